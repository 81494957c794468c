// The Go runtime's internals that gomap's Go programs read (Go 1.19, 64-bit): the fallback
// hash's key, whether the AES hash is on, and runtime.maptype's layout. This program uses
// them, and fidelity/structs.ts copies this file beside the program it generates.
package main

import "unsafe"

// hashkey is the runtime's fallback-hash key; only hashkey[0] is used on 64-bit machines.
//
//go:linkname hashkey runtime.hashkey
var hashkey [4]uintptr

//go:linkname useAeshash runtime.useAeshash
var useAeshash bool

// maptype mirrors runtime.maptype: a 48-byte _type, then these fields.
type maptype struct {
	typ        [48]byte
	key        unsafe.Pointer
	elem       unsafe.Pointer
	bucket     unsafe.Pointer
	hasher     func(unsafe.Pointer, uintptr) uintptr
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32
}

// eface mirrors an empty interface: its type word is the map's *maptype.
type eface struct {
	typ  *maptype
	data unsafe.Pointer
}
