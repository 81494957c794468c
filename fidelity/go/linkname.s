// Empty on purpose: a package with an assembly file may declare functions without bodies,
// which main.go does to reach the runtime's hash functions through //go:linkname.
