// Growth: hashGrow starts it, growWork and evacuate carry it out a bucket or two per write,
// advanceEvacuationMark ends it (Go's map.go, same names; spec §3.5-3.6). evacuate touches
// keys, so it is a kernel template (generic/evacuate.ts); the rest is here.
//
// hashGrow allocates the new array and moves the current one to oldbuckets; no entry moves
// yet. Doubling (load factor over 6.5) splits each old bucket i into new buckets i (X) and
// i + 2^oldB (Y) by hash bit oldB; a same-size growth (too many overflow buckets) copies
// each chain into the same index, dropping its holes. Every write to a growing map first
// evacuates the old bucket it is about to touch and then the oldest one not yet evacuated
// (nevacuate), so the growth ends after at most 2^oldB writes and no write ever moves more
// than two chains. Entries keep their relative order, so an iterator never sees a key twice.
//
// Why one write can't fail halfway: evacuate reserves heap space for the worst case before it
// moves anything, and a stored key's hash cannot throw, so nothing after the first move does.
//
// Memory: once an old chain is evacuated its own overflow blocks are freed; the old array is
// freed when the growth ends, and the new array slides down into the space (compact.ts). Frees wait while an iterator holds the heap (Heap.hold), since
// an iterator started before the growth still walks the old array, as Go's GC would keep it.
import { HeapExhaustedError } from "../errors.js";
import type { HMap } from "./hmap.js";
import { Flag, Hmap, Hmap16, Hmap32, Limit, bucketMask, bucketShift, evacuatedMark, overLoadFactor } from "./layout.js";
import { makeBucketArray } from "./makemap.js";
import { compactBuckets } from "./compact.js";
import { tracer } from "./trace.js";

/** The header fields hashGrow replaces, for takeBackGrow. */
export interface GrowStart {
  readonly B: number;
  readonly flags: number;
  readonly nevacuate: number;
  readonly noverflow: number;
  readonly nextOverflow: number;
}

/** Starts a growth: doubling when over the load factor, else the same size. Returns what it replaced. */
export function hashGrow(h: HMap): GrowStart {
  const heap = h.heap;
  const B = heap.u8[Hmap.B];
  const bigger = overLoadFactor(heap.u32[Hmap32.count] + 1, B) ? 1 : 0;
  // Allocate before changing anything, so a failed allocation leaves the map as it was.
  const { array, nextOverflow } = makeBucketArray(heap, h.t, B + bigger);
  const u8 = h.heap.u8;
  const u32 = h.heap.u32;
  const flags = u8[Hmap.flags];
  const before: GrowStart = { B, flags, nevacuate: u32[Hmap32.nevacuate], noverflow: h.heap.u16[Hmap16.noverflow], nextOverflow: u32[Hmap32.nextOverflow] };
  let next = flags & ~(Flag.iterator | Flag.oldIterator);
  if ((flags & Flag.iterator) !== 0) next |= Flag.oldIterator;
  if (bigger === 0) next |= Flag.sameSizeGrow;
  u8[Hmap.flags] = next;
  u8[Hmap.B] = B + bigger;
  u32[Hmap32.oldbuckets] = u32[Hmap32.buckets];
  u32[Hmap32.buckets] = array;
  u32[Hmap32.nevacuate] = 0;
  h.heap.u16[Hmap16.noverflow] = 0;
  u32[Hmap32.nextOverflow] = nextOverflow;
  if (tracer !== null) tracer.grow(h, B, B + bigger, bigger === 0, u32[Hmap32.count]);
  return before;
}

/**
 * Takes back the growth hashGrow just started (it returned `before`), when the write that
 * started it could not evacuate the old bucket it writes to, for lack of memory, and so must
 * refuse its key: nothing has moved yet, so the map goes back to as it was before the write
 * (Go would have died of the allocation instead) and the new array is freed. Returns false,
 * changing nothing, if anything was evacuated after all.
 */
export function takeBackGrow(h: HMap, before: GrowStart, bucket: number): boolean {
  const heap = h.heap;
  const u32 = heap.u32;
  const old = u32[Hmap32.oldbuckets];
  if (u32[Hmap32.nevacuate] !== 0 || evacuatedMark(heap.u8[old + (bucket & (noldbuckets(h) - 1)) * h.t.bucketSize])) return false;
  const array = u32[Hmap32.buckets];
  heap.u8[Hmap.B] = before.B;
  heap.u8[Hmap.flags] = before.flags;
  u32[Hmap32.buckets] = old;
  u32[Hmap32.oldbuckets] = 0;
  u32[Hmap32.nevacuate] = before.nevacuate;
  heap.u16[Hmap16.noverflow] = before.noverflow;
  u32[Hmap32.nextOverflow] = before.nextOverflow;
  heap.free(array);
  return true;
}

/** Old bucket count of the growth in progress. */
export function noldbuckets(h: HMap): number {
  const B = h.heap.u8[Hmap.B];
  return (h.heap.u8[Hmap.flags] & Flag.sameSizeGrow) !== 0 ? bucketShift(B) : bucketShift(B - 1);
}

/**
 * growWork: evacuates the old bucket feeding `bucket`, then one more, to move the growth
 * along. Returns false when the heap has no room for the first evacuation's overflow
 * buckets: the write then works where a lookup would (gomap's own fallback; Go's allocator
 * would have thrown "out of memory" and ended the program). With no room for the second
 * (nevacuate's), the write goes on all the same, since its own bucket has moved; a later
 * write evacuates that one.
 */
export function tryGrowWork(h: HMap, bucket: number): boolean {
  if (!tryEvacuate(h, bucket & (noldbuckets(h) - 1))) return false;
  if (h.heap.u32[Hmap32.oldbuckets] !== 0) tryEvacuate(h, h.heap.u32[Hmap32.nevacuate]);
  return true;
}

/** evacuate(h, oldbucket), false (having moved nothing) when the heap has no room for it. */
function tryEvacuate(h: HMap, oldbucket: number): boolean {
  try {
    h.rt.evacuate(h, oldbucket);
    return true;
  } catch (err) {
    if (err instanceof HeapExhaustedError) return false;
    throw err;
  }
}

/** The bucket that holds keys of hash `lo` in a map with 2^B buckets, growing or not. */
export function bucketFor(h: HMap, lo: number): number {
  const heap = h.heap;
  const t = h.t;
  const m = bucketMask(heap.u8[Hmap.B]);
  // `>>> 0` keeps each address a u32 for V8, as mapaccess does (generic/access.ts says why):
  // deletes measured 3-15% faster in the caches with it (paired rounds, both orders).
  const b = (heap.u32[Hmap32.buckets] + (lo & m) * t.bucketSize) >>> 0;
  const old = heap.u32[Hmap32.oldbuckets];
  if (old === 0) return b;
  const oldMask = (heap.u8[Hmap.flags] & Flag.sameSizeGrow) !== 0 ? m : m >>> 1;
  const ob = (old + (lo & oldMask) * t.bucketSize) >>> 0;
  return evacuatedMark(heap.u8[ob]) ? b : ob;
}

/** Moves nevacuate past evacuated buckets; when it reaches newbit the growth is over. */
export function advanceEvacuationMark(h: HMap, newbit: number): void {
  const t = h.t;
  const u32 = h.heap.u32;
  const old = u32[Hmap32.oldbuckets];
  let n = u32[Hmap32.nevacuate] + 1;
  // Bound the scan so a write never does unbounded work.
  let stop = n + Limit.maxEvacuationScan;
  if (stop > newbit) stop = newbit;
  while (n !== stop && evacuatedMark(h.heap.u8[old + n * t.bucketSize])) n++;
  u32[Hmap32.nevacuate] = n;
  if (n === newbit) {
    // Growth done: the old array is garbage.
    u32[Hmap32.oldbuckets] = 0;
    h.heap.u8[Hmap.flags] &= ~Flag.sameSizeGrow;
    h.heap.free(old);
    h.epoch++;
    compactBuckets(h);
  }
}
