// makemap, makeBucketArray and newoverflow: where buckets come from (Go's map.go, same names).
//
// A bucket array of 2^B buckets is one heap block. For B >= 4 the block holds 2^(B-4) more
// buckets after the 2^B: a pool of preallocated overflow buckets. nextOverflow in the header
// points at the next unused pool bucket; the last pool bucket's overflow link holds the array's
// own offset, a non-nil mark that says "end of pool" (a pool bucket in use never keeps it).
// Go rounds the block up to a malloc size class and so sometimes gets a few more pool
// buckets; gomap's allocator has no size classes, so the pool is exactly 2^(B-4). The pool
// only changes memory use: noverflow counts pool and fresh overflow buckets alike.
//
// Overflow buckets that do not come from a pool are heap blocks of their own, given back
// when their chain is evacuated (generic/evacuate.ts freeOldChain) or cleared (clear.ts),
// since here no GC does it. One that does not fit grows the heap by what the map will take
// before it next doubles (heapAhead, from the expected overflow buckets of uniformly hashed
// keys), not by the heap's usual half, so the buffer stays close to what it holds.
import { BLOCK_HEADER } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";
import { fastrand, seedrand } from "../hash/rand.js";
import { Bucket, Hmap, Hmap16, Hmap32, Limit, bucketShift, loadLimit, overLoadFactor } from "./layout.js";
import type { HMap } from "./hmap.js";
import type { MapType } from "./maptype.js";
import { tracer } from "./trace.js";

/** The B Go picks for `make(map[K]V, hint)`: the smallest B whose table holds hint entries. */
export function bucketsForHint(hint: number): number {
  let B = 0;
  while (overLoadFactor(hint, B)) B++;
  return B;
}

/** Buckets in the block of a 2^B array: the array plus its overflow pool. */
export function arrayBuckets(B: number): number {
  return B >= 4 ? bucketShift(B) + bucketShift(B - 4) : bucketShift(B);
}

/**
 * Writes a new map's header into the heap's root: count 0, a fresh hash0, and the bucket
 * array for `hint` entries (none yet when B = 0, as makemap_small leaves it).
 */
export function makemap(heap: Heap, t: MapType, hint: number): void {
  const B = bucketsForHint(hint);
  heap.u32[Hmap32.hash0] = seedrand();
  heap.u8[Hmap.B] = B;
  if (B > 0) {
    const { array, nextOverflow } = makeBucketArray(heap, t, B);
    heap.u32[Hmap32.buckets] = array;
    heap.u32[Hmap32.nextOverflow] = nextOverflow;
  }
}

/**
 * Allocates a zeroed array of 2^B buckets with its overflow pool. Returns the array and the
 * first pool bucket (0 when there is no pool). Throws HeapExhaustedError, changing nothing.
 */
export function makeBucketArray(heap: Heap, t: MapType, B: number): { array: number; nextOverflow: number } {
  const base = bucketShift(B);
  const n = arrayBuckets(B);
  const array = heap.alloc(n * t.bucketSize);
  if (n === base) return { array, nextOverflow: 0 };
  const last = array + (n - 1) * t.bucketSize;
  heap.u32[(last + t.overflowOffset) >>> 2] = array;
  return { array, nextOverflow: array + base * t.bucketSize };
}

/**
 * Links a new, empty overflow bucket after b (the last bucket of its chain) and returns it:
 * from the pool when one is left, else a fresh heap block. Throws HeapExhaustedError,
 * changing nothing. With `trace` false the caller tells the tracer itself (traceOverflow),
 * once the bucket is sure to stay.
 */
export function newoverflow(h: HMap, b: number, trace = true): number {
  const t = h.t;
  const heap = h.heap;
  let ovf = heap.u32[Hmap32.nextOverflow];
  const preallocated = ovf !== 0;
  if (preallocated) {
    const link = (ovf + t.overflowOffset) >>> 2;
    if (heap.u32[link] === 0) {
      heap.u32[Hmap32.nextOverflow] = ovf + t.bucketSize;
    } else {
      // The last pool bucket: drop its end-of-pool mark.
      heap.u32[link] = 0;
      heap.u32[Hmap32.nextOverflow] = 0;
    }
  } else {
    if (!heap.fits(t.bucketSize)) heap.growAhead(t.bucketSize, heapAhead(h));
    ovf = heap.alloc(t.bucketSize);
  }
  incrnoverflow(h);
  h.heap.u32[(b + t.overflowOffset) >>> 2] = ovf;
  if (trace && tracer !== null) tracer.overflow(h, b, ovf, preallocated);
  return ovf;
}

/** The tracer's overflow event for ovf, linked after b, when newoverflow left it to its caller. */
export function traceOverflow(h: HMap, b: number, ovf: number, preallocated: boolean): void {
  if (tracer !== null) tracer.overflow(h, b, ovf, preallocated);
}

/**
 * Undoes newoverflow(h, b) that returned ovf, for a write that then could not store its key
 * (no memory for the key's bytes): unlinks ovf, puts it back in the pool it came from (with
 * the pool's end mark, if it was the last) or frees it, and sets noverflow back. `next` and
 * `noverflow` are the header's values from before newoverflow.
 */
export function takeBackOverflow(h: HMap, b: number, ovf: number, next: number, noverflow: number): void {
  const t = h.t;
  const heap = h.heap;
  heap.u32[(b + t.overflowOffset) >>> 2] = 0;
  heap.u16[Hmap16.noverflow] = noverflow;
  if (next === 0) {
    heap.free(ovf);
    return;
  }
  // From the pool: it is the pool's next bucket again; the last one gets its end mark back.
  if (heap.u32[Hmap32.nextOverflow] === 0) heap.u32[(ovf + t.overflowOffset) >>> 2] = heap.u32[Hmap32.buckets];
  heap.u32[Hmap32.nextOverflow] = next;
}

/**
 * The overflow buckets a bucket has on average when the map holds `load` entries a bucket,
 * for keys hashed uniformly: a bucket's entries are Poisson-distributed, and one with j
 * entries has floor((j - 1) / 8) overflow buckets. 0.209 at the load factor, 6.5, which is
 * the 20.90% of Go's table in map.go; 0.006 at 3.25, where a doubling leaves a map.
 */
export function overflowPerBucket(load: number): number {
  let p = Math.exp(-load);
  let sum = 0;
  for (let j = 1; j <= 80; j++) {
    p = (p * load) / j;
    sum += p * Math.floor((j - 1) / Bucket.cnt);
  }
  return sum;
}

const overflowAtLoadFactor = overflowPerBucket(loadLimit(0));

/**
 * The bytes the map's heap may take before the map next doubles, for the heap's growAhead
 * when an overflow bucket makes it grow:
 * - the overflow buckets it will have at the load factor, less those it has at its load now
 *   (expected counts), and three standard deviations of the first (the square root of its
 *   mean, as for any count of rare events) for a map that draws more; growAhead's sixteenth
 *   takes any beyond that;
 * - when keys or values own memory (strings, indirect slots), for each entry it can still
 *   take below the load factor, what an entry holds now beyond the bucket arrays (an average
 *   that counts overflow buckets too, so it errs towards room).
 */
function heapAhead(h: HMap): number {
  const heap = h.heap;
  const t = h.t;
  const B = heap.u8[Hmap.B];
  const nbuckets = bucketShift(B);
  const count = heap.u32[Hmap32.count];
  const more = Math.max(0, overflowAtLoadFactor - overflowPerBucket(count / nbuckets)) * nbuckets;
  const spread = 3 * Math.sqrt(overflowAtLoadFactor * nbuckets);
  const overflow = Math.ceil(more + spread) * (t.bucketSize + BLOCK_HEADER);
  if (t.ownsMemory === false || count === 0) return overflow;
  const room = Math.max(0, loadLimit(B) - count);
  const old = heap.u32[Hmap32.oldbuckets];
  const arrays = heap.sizeOf(heap.u32[Hmap32.buckets]) + (old !== 0 ? heap.sizeOf(old) : 0);
  return overflow + Math.ceil(room * (Math.max(0, heap.inUse - arrays) / count));
}

/**
 * Counts one more overflow bucket: exactly while B < 16, then with probability
 * 1/2^(B-15), so that noverflow (a u16) approximates the count at any size.
 */
export function incrnoverflow(h: HMap): void {
  const heap = h.heap;
  const B = heap.u8[Hmap.B];
  if (B < 16) {
    heap.u16[Hmap16.noverflow]++;
    return;
  }
  const mask = 2 ** (B - Limit.noverflowExactBits) - 1;
  if ((fastrand() & mask) === 0) heap.u16[Hmap16.noverflow]++;
}
