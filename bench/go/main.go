// Command bench measures Go 1.19's own map on the workloads of gomap's benchmark table
// (src/bench/measure.ts), with the same keys, the same shuffled order and the same rules, and
// prints one JSON result: ns per element for insert, get hit, get miss, iterate and delete
// (best of 3 runs; 1 at 1e7 and above), and bytes per entry (heap growth over the inserts,
// after a GC; null below bytesMin entries, where the runtime's own drift between two GCs, a
// KiB or two either way, outweighs the map). Run by `npm run bench:go` (bench/go.ts):
//
//	bench u32|string N
//
// `bench small u32|string N` measures memory alone (npm run bench:small, bench/small.ts): the
// bytes a map holding N entries (N >= 0) takes, as the heap growth over smallMaps such maps
// kept alive, after a GC, divided by their count.
//
// `bench plan u32|string N` measures nothing: it prints the workload as this program defines
// it (its name, the rounds and untimed iterations, an FNV-1a digest of the hit, miss and
// lookup-order key lists, and the lists themselves up to planListMax keys), which
// test/bench/workload.test.ts compares with measure.ts's own.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type result struct {
	Workload      string   `json:"workload"`
	Impl          string   `json:"impl"`
	N             int      `json:"n"`
	Insert        float64  `json:"insert"`
	GetHit        float64  `json:"getHit"`
	GetMiss       float64  `json:"getMiss"`
	Iterate       float64  `json:"iterate"`
	Del           float64  `json:"del"`
	BytesPerEntry *float64 `json:"bytesPerEntry"` // nil (null, "-" in the table): see bytesMin
}

// bytesMin is the fewest entries whose heap growth is reported: HeapAlloc after a GC moves by
// a KiB or two with no allocation of the program's (measured: -916 bytes over 9 entries'
// inserts, +1384 over 10), which at 10,000 entries is under 0.2 bytes an entry.
const bytesMin = 10_000

var sink uint32

// u32Keys are measure.ts's keys: i * 0x9e3779b1 mod 2^32 for i in [from, to).
func u32Keys(from, to int) []uint32 {
	out := make([]uint32, to-from)
	for i := from; i < to; i++ {
		out[i-from] = uint32(i) * 0x9e3779b1
	}
	return out
}

func stringKeys(from, to int) []string {
	out := make([]string, to-from)
	for i, k := range u32Keys(from, to) {
		out[i] = "user:" + strconv.FormatUint(uint64(k), 36)
	}
	return out
}

// shuffled is measure.ts's shuffle: the same LCG, so the same order.
func shuffled[K any](a []K) []K {
	out := append([]K(nil), a...)
	s := uint32(12345)
	for i := len(out) - 1; i > 0; i-- {
		s = s*1103515245 + 12345
		j := int(s % uint32(i+1))
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// roundsFor is measure.ts's roundsFor: how many runs each column is the best of.
func roundsFor(n int) int {
	if n >= 10_000_000 {
		return 1
	}
	return 3
}

// iterateUntimed is measure.ts's ITERATE_UNTIMED: full passes before iteration is timed.
const iterateUntimed = 2

func best(n, rounds int, fn func()) float64 {
	b := time.Duration(1 << 62)
	for r := 0; r < rounds; r++ {
		t0 := time.Now()
		fn()
		if d := time.Since(t0); d < b {
			b = d
		}
	}
	return float64(b.Nanoseconds()) / float64(n)
}

func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func measure[K comparable](name string, hits, misses []K) result {
	n := len(hits)
	rounds := roundsFor(n)
	order := shuffled(hits)
	insert := func() map[K]uint32 {
		m := make(map[K]uint32)
		for i, k := range hits {
			m[k] = uint32(i)
		}
		return m
	}
	get := func(m map[K]uint32, keys []K) {
		var s uint32
		for _, k := range keys {
			if v, ok := m[k]; ok {
				s += v
			} else {
				s++
			}
		}
		sink ^= s
	}
	before := heapAlloc()
	m := insert()
	// Signed: the heap can come out smaller than before (see bytesMin), which as uint64 was 2^64.
	grown := int64(heapAlloc()) - int64(before)
	r := result{Workload: name, Impl: "Go", N: n}
	if n >= bytesMin && grown > 0 {
		bytes := float64(grown) / float64(n)
		r.BytesPerEntry = &bytes
	}
	// The previous map is dropped before each build, as measure.ts drops its own.
	r.Insert = best(n, rounds, func() { m = nil; m = insert() })
	r.GetHit = best(n, rounds, func() { get(m, order) })
	r.GetMiss = best(n, rounds, func() { get(m, misses) })
	iterate := func() {
		var s uint32
		for _, v := range m {
			s += v
		}
		sink ^= s
	}
	// Two untimed passes first, as the JS side makes (src/bench/measure.ts says why).
	for i := 0; i < iterateUntimed; i++ {
		iterate()
	}
	r.Iterate = best(n, rounds, iterate)
	r.Del = 1e300
	for i := 0; i < rounds; i++ {
		if i > 0 {
			m = insert()
		}
		d := best(n, 1, func() {
			for _, k := range order {
				delete(m, k)
			}
		})
		if d < r.Del {
			r.Del = d
		}
	}
	return r
}

// planListMax is the most keys a plan prints as lists (beyond it, only their digests).
const planListMax = 10_000

type plan struct {
	Workload       string            `json:"workload"`
	N              int               `json:"n"`
	Rounds         int               `json:"rounds"`
	IterateUntimed int               `json:"iterateUntimed"`
	Digests        map[string]uint32 `json:"digests"`
	Hits           any               `json:"hits,omitempty"`
	Misses         any               `json:"misses,omitempty"`
	Order          any               `json:"order,omitempty"`
}

// fnv1a32 adds b to an FNV-1a (32-bit) digest.
func fnv1a32(h uint32, b ...byte) uint32 {
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// digestU32 is the FNV-1a digest of keys' 4 little-endian bytes each.
func digestU32(keys []uint32) uint32 {
	h := uint32(2166136261)
	for _, k := range keys {
		h = fnv1a32(h, byte(k), byte(k>>8), byte(k>>16), byte(k>>24))
	}
	return h
}

// digestString is the FNV-1a digest of keys' bytes, each key followed by a 0 byte.
func digestString(keys []string) uint32 {
	h := uint32(2166136261)
	for _, k := range keys {
		h = fnv1a32(h, []byte(k)...)
		h = fnv1a32(h, 0)
	}
	return h
}

func makePlan[K comparable](name string, hits, misses []K, digest func([]K) uint32) plan {
	order := shuffled(hits)
	p := plan{
		Workload: name, N: len(hits), Rounds: roundsFor(len(hits)), IterateUntimed: iterateUntimed,
		Digests: map[string]uint32{"hits": digest(hits), "misses": digest(misses), "order": digest(order)},
	}
	if len(hits) <= planListMax {
		p.Hits, p.Misses, p.Order = hits, misses, order
	}
	return p
}

// smallMaps is how many maps `bench small` makes: enough that the runtime's own drift of a
// KiB or two (see bytesMin) is a fraction of a byte a map.
const smallMaps = 10_000

// smallBytes is the heap growth per map of smallMaps maps holding keys[i] -> i each.
func smallBytes[K comparable](keys []K) float64 {
	maps := make([]map[K]uint32, smallMaps)
	before := heapAlloc()
	for m := range maps {
		maps[m] = make(map[K]uint32)
		for i, k := range keys {
			maps[m][k] = uint32(i)
		}
	}
	after := heapAlloc()
	runtime.KeepAlive(maps)
	return float64(after-before) / smallMaps
}

// small runs `bench small`: prints {"bytesPerMap": ...}.
func small(kind string, n int) {
	var b float64
	switch kind {
	case "u32":
		b = smallBytes(u32Keys(0, n))
	case "string":
		b = smallBytes(stringKeys(0, n))
	default:
		badWorkload()
	}
	out, _ := json.Marshal(map[string]float64{"bytesPerMap": b})
	fmt.Println(string(out))
}

// parseN is the entry count N of the command line; anything but a positive integer exits 2.
func parseN(arg string) int {
	n, err := strconv.Atoi(arg)
	if err != nil || n <= 0 {
		fmt.Fprintln(os.Stderr, "bench: N must be a positive integer")
		os.Exit(2)
	}
	return n
}

// badWorkload exits 2 for a workload name that is neither u32 nor string.
func badWorkload() {
	fmt.Fprintln(os.Stderr, "bench: workload must be u32 or string")
	os.Exit(2)
}

func main() {
	if len(os.Args) == 4 && os.Args[1] == "small" {
		n, err := strconv.Atoi(os.Args[3])
		if err != nil || n < 0 {
			fmt.Fprintln(os.Stderr, "bench: N must be a whole number >= 0")
			os.Exit(2)
		}
		small(os.Args[2], n)
		return
	}
	if len(os.Args) == 4 && os.Args[1] == "plan" {
		n := parseN(os.Args[3])
		var p plan
		switch os.Args[2] {
		case "u32":
			p = makePlan(fmt.Sprintf("u32->u32 n=%s", exp(n)), u32Keys(0, n), u32Keys(n, 2*n), digestU32)
		case "string":
			p = makePlan(fmt.Sprintf("string->u32 n=%s", exp(n)), stringKeys(0, n), stringKeys(n, 2*n), digestString)
		default:
			badWorkload()
		}
		b, _ := json.Marshal(p)
		fmt.Println(string(b))
		return
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bench u32|string N, bench small u32|string N, or bench plan u32|string N")
		os.Exit(2)
	}
	n := parseN(os.Args[2])
	var r result
	switch os.Args[1] {
	case "u32":
		r = measure(fmt.Sprintf("u32->u32 n=%s", exp(n)), u32Keys(0, n), u32Keys(n, 2*n))
	case "string":
		r = measure(fmt.Sprintf("string->u32 n=%s", exp(n)), stringKeys(0, n), stringKeys(n, 2*n))
	default:
		badWorkload()
	}
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
}

// exp writes n (> 0) as JS's n.toExponential() does, as measure.ts's workloadName: every
// digit it needs, one before the point: 1e+5, 1.5e+3, 1.2345e+4.
func exp(n int) string {
	digits := strings.TrimRight(strconv.Itoa(n), "0")
	e := len(strconv.Itoa(n)) - 1
	if len(digits) == 1 {
		return fmt.Sprintf("%se+%d", digits, e)
	}
	return fmt.Sprintf("%s.%se+%d", digits[:1], digits[1:], e)
}
