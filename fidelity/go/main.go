// Command fidelity runs a script of map operations on a real Go 1.19 map and dumps the
// runtime's own state (hmap and every bucket, read through unsafe) as JSON lines, so gomap
// can replay the same script and be compared with Go slot by slot. Format: ../README.md.
//
//	fidelity SCRIPT.json   run a script, dump to stdout
//	fidelity -vectors      print hash test vectors (memhash, strhash, f32/f64hash) as JSON
//
// It must run with GODEBUG=cpu.aes=off: only Go's portable fallback hash reads the
// runtime.hashkey that the script sets, which makes every layout deterministic. The program
// refuses to run otherwise.
//
// The unsafe mirrors below (hmap, the reflect.MapIter's hiter) and in runtime.go (maptype,
// hashkey) are Go 1.19's layouts on a 64-bit machine; go.mod pins the language version and
// main checks runtime.Version().
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"unsafe"
)

//go:linkname memhash runtime.memhash
func memhash(p unsafe.Pointer, h, s uintptr) uintptr

//go:linkname strhash runtime.strhash
func strhash(p unsafe.Pointer, h uintptr) uintptr

//go:linkname f32hash runtime.f32hash
func f32hash(p unsafe.Pointer, h uintptr) uintptr

//go:linkname f64hash runtime.f64hash
func f64hash(p unsafe.Pointer, h uintptr) uintptr

// hmap mirrors runtime.hmap (Go 1.19, 64-bit).
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}

// mapIter mirrors reflect.MapIter: a reflect.Value (3 words), then the runtime's hiter.
type mapIter struct {
	value       [3]uintptr
	key         unsafe.Pointer
	elem        unsafe.Pointer
	t           unsafe.Pointer
	h           unsafe.Pointer
	buckets     unsafe.Pointer
	bptr        unsafe.Pointer
	overflow    unsafe.Pointer
	oldoverflow unsafe.Pointer
	startBucket uintptr
	offset      uint8
}

const (
	bucketCnt     = 8
	dataOffset    = 8
	minTopHash    = 5
	flagSameSize  = 8
	noverflowBits = 15
)

// SK is the struct key: padding after A, a float field and a string field, so its hash
// chains memhash runs, f64hash and strhash.
type SK struct {
	A uint16
	B uint32
	F float64
	S string
}

// Script is the input: see ../README.md.
type Script struct {
	Name    string            `json:"name"`
	Key     string            `json:"key"`
	Hashkey string            `json:"hashkey"`
	Seed    uint32            `json:"seed"`
	Hint    int               `json:"hint"`
	Ops     []json.RawMessage `json:"ops"`
}

// codec converts keys and values between JSON and Go for one map type.
type codec[K comparable, V any] struct {
	key func(json.RawMessage) K
	val func(json.RawMessage) V
	enc func(any) any
	// reflexive: k == k for every key (false for SK, whose F may be NaN). Go 1.19 compiles
	// the clear idiom to runtime.mapclear only for reflexive keys; otherwise it is a real loop.
	reflexive bool
}

type runner[K comparable, V any] struct {
	c    codec[K, V]
	m    map[K]V
	mt   *maptype
	seed uint32
	out  *bufio.Writer
	keys map[K]bool // every key the script touched
	seen []K        // the same, in the order first touched
	step int
}

func main() {
	if runtime.Version() != "go1.19" && !strings.HasPrefix(runtime.Version(), "go1.19.") {
		fail("needs Go 1.19, running %s", runtime.Version())
	}
	if useAeshash {
		fail("run with GODEBUG=cpu.aes=off: the AES hash ignores runtime.hashkey")
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	if len(os.Args) == 2 && os.Args[1] == "-vectors" {
		vectors(out)
		return
	}
	if len(os.Args) != 2 {
		fail("usage: fidelity SCRIPT.json | fidelity -vectors")
	}
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	var s Script
	check(json.Unmarshal(raw, &s))
	k, err := strconv.ParseUint(strings.TrimPrefix(s.Hashkey, "0x"), 16, 64)
	check(err)
	hashkey[0] = uintptr(k) | 1
	switch s.Key {
	case "u32":
		run(&s, out, codec[uint32, uint32]{key: decode[uint32], val: decode[uint32], enc: same, reflexive: true})
	case "u64":
		run(&s, out, codec[uint64, uint64]{key: decodeU64, val: decodeU64, enc: encodeU64, reflexive: true})
	case "string":
		run(&s, out, codec[string, uint32]{key: decode[string], val: decode[uint32], enc: same, reflexive: true})
	case "struct":
		run(&s, out, codec[SK, uint32]{key: decode[SK], val: decode[uint32], enc: same})
	default:
		fail("unknown key type %q", s.Key)
	}
}

func run[K comparable, V any](s *Script, out *bufio.Writer, c codec[K, V]) {
	m := make(map[K]V, s.Hint)
	r := &runner[K, V]{c: c, m: m, mt: (*eface)(unsafe.Pointer(&[]any{m}[0])).typ, seed: s.Seed, out: out, keys: map[K]bool{}}
	r.hmap().hash0 = s.Seed
	for i, op := range s.Ops {
		r.step = i
		r.apply(op)
	}
	r.emitHashes()
}

func (r *runner[K, V]) hmap() *hmap {
	return *(**hmap)(unsafe.Pointer(&r.m))
}

// reseed undoes the runtime's new random hash0 after a delete or clear empties the map
// (gomap's replay does the same), so every hash stays a function of the script's seed.
func (r *runner[K, V]) reseed() {
	if len(r.m) == 0 {
		r.hmap().hash0 = r.seed
	}
}

func (r *runner[K, V]) touch(k K) {
	if !r.keys[k] {
		r.keys[k] = true
		r.seen = append(r.seen, k)
	}
}

func (r *runner[K, V]) apply(op json.RawMessage) {
	var parts []json.RawMessage
	check(json.Unmarshal(op, &parts))
	var name string
	check(json.Unmarshal(parts[0], &name))
	switch name {
	case "set":
		k := r.c.key(parts[1])
		r.touch(k)
		r.m[k] = r.c.val(parts[2])
	case "del":
		k := r.c.key(parts[1])
		r.touch(k)
		delete(r.m, k)
		r.reseed()
	case "get":
		k := r.c.key(parts[1])
		r.touch(k)
		v, ok := r.m[k]
		r.emit(map[string]any{"kind": "get", "step": r.step, "v": r.c.enc(v), "ok": ok})
	case "clear":
		if r.c.reflexive {
			for k := range r.m { // Go 1.19 compiles this loop to runtime.mapclear
				delete(r.m, k)
			}
		} else {
			r.rangeOver(nil, true) // the same loop, run as written: record where it started
		}
		r.reseed()
	case "dump":
		r.dump()
	case "range":
		r.rangeOver(parts[1], false)
	default:
		fail("step %d: unknown op %q", r.step, name)
	}
}

// rangeOver ranges over the map through reflect.MapIter, whose hiter shows the random start
// bucket and offset; after the n-th entry it applies the ops listed under "n" (raw), or
// deletes the entry (deleteEach: `for k := range m { delete(m, k) }`).
func (r *runner[K, V]) rangeOver(raw json.RawMessage, deleteEach bool) {
	var actions map[string][]json.RawMessage
	if raw != nil {
		check(json.Unmarshal(raw, &actions))
	}
	it := reflect.ValueOf(r.m).MapRange()
	mi := (*mapIter)(unsafe.Pointer(it))
	seq := [][2]any{}
	start, offset := -1, -1
	for n := 0; it.Next(); n++ {
		if n == 0 {
			start, offset = int(mi.startBucket), int(mi.offset)
		}
		seq = append(seq, [2]any{r.c.enc(it.Key().Interface()), r.c.enc(it.Value().Interface())})
		if deleteEach {
			delete(r.m, it.Key().Interface().(K))
		}
		for _, op := range actions[strconv.Itoa(n)] {
			r.apply(op)
		}
	}
	r.emit(map[string]any{"kind": "range", "step": r.step, "start": start, "offset": offset, "seq": seq})
}

// bmapJSON is one bucket of a chain: tophash bytes, and the key and value of each filled slot
// (null elsewhere: Go leaves stale bytes in emptied and evacuated slots); a bucket with no
// filled slot has no keys and vals.
type bmapJSON struct {
	Top  []int `json:"top"`
	Keys []any `json:"keys,omitempty"`
	Vals []any `json:"vals,omitempty"`
}

func (r *runner[K, V]) dump() {
	h := r.hmap()
	d := map[string]any{
		"kind": "dump", "step": r.step, "count": h.count, "flags": h.flags, "B": h.B,
		"noverflow": h.noverflow, "hash0": h.hash0, "growing": h.oldbuckets != nil,
		"sameSize": h.flags&flagSameSize != 0, "nevacuate": h.nevacuate,
	}
	d["buckets"] = r.buckets(h.buckets, 1<<h.B)
	if h.oldbuckets != nil {
		n := 1 << h.B
		if h.flags&flagSameSize == 0 {
			n >>= 1
		}
		d["oldbuckets"] = r.buckets(h.oldbuckets, n)
	}
	r.emit(d)
}

// buckets reads n bucket chains from a bucket array (nil: Go allocates a B=0 map's only
// bucket on its first write).
func (r *runner[K, V]) buckets(arr unsafe.Pointer, n int) [][]bmapJSON {
	if arr == nil {
		return nil
	}
	size := uintptr(r.mt.bucketsize)
	all := make([][]bmapJSON, n)
	for i := 0; i < n; i++ {
		for b := unsafe.Add(arr, uintptr(i)*size); b != nil; b = *(*unsafe.Pointer)(unsafe.Add(b, size-8)) {
			all[i] = append(all[i], r.bmap(b))
		}
	}
	return all
}

func (r *runner[K, V]) bmap(b unsafe.Pointer) bmapJSON {
	ks, es := uintptr(r.mt.keysize), uintptr(r.mt.elemsize)
	j := bmapJSON{Top: make([]int, bucketCnt)}
	for i := uintptr(0); i < bucketCnt; i++ {
		top := *(*uint8)(unsafe.Add(b, i))
		j.Top[i] = int(top)
		if top >= minTopHash {
			if j.Keys == nil {
				j.Keys, j.Vals = make([]any, bucketCnt), make([]any, bucketCnt)
			}
			j.Keys[i] = r.c.enc(*(*K)(unsafe.Add(b, dataOffset+i*ks)))
			j.Vals[i] = r.c.enc(*(*V)(unsafe.Add(b, dataOffset+bucketCnt*ks+i*es)))
		}
	}
	return j
}

// emitHashes prints the 64-bit hash Go's map uses for every key the script touched.
func (r *runner[K, V]) emitHashes() {
	hashes := [][2]any{}
	for _, k := range r.seen {
		k := k
		h := r.mt.hasher(unsafe.Pointer(&k), uintptr(r.seed))
		hashes = append(hashes, [2]any{r.c.enc(k), fmt.Sprintf("%016x", uint64(h))})
	}
	r.emit(map[string]any{"kind": "hashes", "hashes": hashes})
}

func (r *runner[K, V]) emit(v any) {
	b, err := json.Marshal(v)
	check(err)
	r.out.Write(b)
	r.out.WriteByte('\n')
}

// vectors prints the fallback hash of fixed inputs under a fixed hashkey, for gomap's
// "go1.19" hasher to be checked against.
func vectors(out *bufio.Writer) {
	hashkey[0] = 0x0123456789abcdef
	type vec struct {
		Fn    string `json:"fn"`
		Input string `json:"input"`
		Seed  uint32 `json:"seed"`
		Hash  string `json:"hash"`
	}
	var vs []vec
	seeds := []uint32{0, 0x9e3779b9}
	lengths := []int{96, 128, 200}
	for n := 0; n <= 64; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*131 + n*7 + 3)
		}
		s := string(b)
		for _, seed := range seeds {
			vs = append(vs, vec{"memhash", fmt.Sprintf("%x", b), seed, hex64(memhash(bytesPtr(b), uintptr(seed), uintptr(n)))})
		}
		if n%7 == 0 || n > 64 {
			vs = append(vs, vec{"strhash", fmt.Sprintf("%x", b), 0xffffffff, hex64(strhash(unsafe.Pointer(&s), 0xffffffff))})
		}
	}
	floats := []float64{0, 1, -2.5, 3.141592653589793, 1e300, -1e-300, 65536, 0.1}
	for _, f := range floats {
		f32 := float32(f)
		for _, seed := range seeds {
			vs = append(vs, vec{"f64hash", strconv.FormatFloat(f, 'g', -1, 64), seed, hex64(f64hash(unsafe.Pointer(&f), uintptr(seed)))})
			vs = append(vs, vec{"f32hash", strconv.FormatFloat(float64(f32), 'g', -1, 32), seed, hex64(f32hash(unsafe.Pointer(&f32), uintptr(seed)))})
		}
	}
	b, err := json.MarshalIndent(map[string]any{"hashkey": "0x0123456789abcdef", "vectors": vs}, "", " ")
	check(err)
	out.Write(b)
	out.WriteByte('\n')
}

// bytesPtr is the address of b's bytes (nil when empty: memhash reads nothing then).
func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

func hex64(h uintptr) string { return fmt.Sprintf("%016x", uint64(h)) }

func decode[T any](raw json.RawMessage) T {
	var v T
	check(json.Unmarshal(raw, &v))
	return v
}

// 64-bit integers travel as decimal strings: JSON numbers lose precision past 2^53.
func decodeU64(raw json.RawMessage) uint64 {
	v, err := strconv.ParseUint(decode[string](raw), 10, 64)
	check(err)
	return v
}

func encodeU64(v any) any { return strconv.FormatUint(v.(uint64), 10) }

func same(v any) any { return v }

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fidelity: "+format+"\n", args...)
	os.Exit(2)
}
