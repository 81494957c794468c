// Iteration: mapiterinit and mapiternext (Go's map.go, same names; spec §3.8).
//
// An iterator starts at a random bucket and a random slot offset, and walks the bucket array
// that was current when it started (its snapshot), wrapping around once. Its rules:
// 1. MUST return every entry present for the whole iteration exactly once, even while the map
//    grows: entries keep their order within a chain when evacuated, and an entry found in an
//    evacuated old slot is looked up again in the current table.
// 2. MUST NOT return an entry deleted before the iterator reached it: the lookup of an
//    evacuated slot misses, and a delete in a not-yet-evacuated bucket evacuates it first.
// 3. MUST return the latest value of an entry updated before it was reached.
// 4. MAY return entries added during the iteration.
// 5. While walking an old bucket that splits into two new ones (a doubling in progress that
//    began before this iterator), it returns only the keys that belong to the new bucket it is
//    visiting, so each is returned once. A NaN key, whose hash is random, goes by the low bit
//    of its tophash, the same rule evacuate uses.
// 6. A NaN key is returned from the slot it is found in, never looked up (it can't be found).
//
// 7. A clear() ends the iteration (see clear.ts).
//
// An iterator holds the heap (Heap.hold) from start to finish, so no bucket it may still
// read is reused meanwhile. A clear that ends it gives its hold back there and then (its next
// step sees the clear before it reads anything), so what the clear frees is reusable at once.
// That hold is its thread's own: on a shared heap a writer in another thread may free and
// reuse a bucket an iteration is walking (a race, as in Go), so an iteration follows at most
// as many links as two walks of the heap's buckets can, and then throws "concurrent map
// iteration and map write" rather than loop on what the memory now says.
import { GoMapError } from "../errors.js";
import { fastrand } from "../hash/rand.js";
import type { HMap } from "./hmap.js";
import { Bucket, Flag, Hmap, Hmap32, Top, bucketMask, bucketShift, evacuatedMark, isEmpty } from "./layout.js";
import { noldbuckets } from "./grow.js";
import { compactAfterHolds } from "./compact.js";
import { markIterating } from "./writing.js";

/** checkBucket when no filtering is needed. */
const noCheck = -1;

/** Go's hiter: where an iteration is. */
export class Hiter {
  readonly h: HMap;
  /** The bucket array when the iteration started. */
  buckets: number;
  /** B when the iteration started. */
  B: number;
  /** The bucket being walked (0 between buckets). */
  bptr: number;
  startBucket: number;
  /** Slot rotation used in every bucket. */
  offset: number;
  wrapped: boolean;
  /** Next slot to look at in bptr. */
  i: number;
  /** Next bucket index of the snapshot to visit. */
  bucket: number;
  /** While walking an old bucket: the new bucket whose keys are wanted; else noCheck. */
  checkBucket: number;
  /** The current entry's key and elem offsets. */
  keyOff: number;
  elemOff: number;
  /** Still holding the heap. */
  holding: boolean;
  /** The heap's hold generation when the iteration started: a clear changes it, ending the iteration. */
  generation: number;
  /** Overflow links the iteration has followed (walk bounds them on a shared heap). */
  links: number;

  constructor(h: HMap) {
    this.h = h;
    this.buckets = 0;
    this.B = 0;
    this.bptr = 0;
    this.startBucket = 0;
    this.offset = 0;
    this.wrapped = false;
    this.i = 0;
    this.bucket = 0;
    this.checkBucket = noCheck;
    this.keyOff = 0;
    this.elemOff = 0;
    this.holding = false;
    this.generation = 0;
    this.links = 0;
  }

  /** Ends the iteration early or after the last entry: lets the heap free again. */
  finish(): void {
    if (this.holding) {
      this.holding = false;
      // An iteration a clear ended had its hold given back by that clear.
      if (this.generation !== this.h.heap.holdGeneration) return;
      this.h.heap.unhold();
      compactAfterHolds(this.h);
    }
  }
}

/** Starts an iteration at a random bucket and slot offset. Returns false when the map is empty. */
export function mapiterinit(it: Hiter): boolean {
  const heap = it.h.heap;
  if (heap.u32[Hmap32.count] === 0) return false;
  const B = heap.u8[Hmap.B];
  const r = fastrand();
  // Go draws 64 random bits when B > 28; 32 bits then leave too few above B for the offset.
  const offset = (B <= 28 ? r >>> B : fastrand()) & (Bucket.cnt - 1);
  return mapiterstart(it, r & bucketMask(B), offset);
}

/**
 * mapiterinit's work after the random draw: starts at bucket startBucket with slot rotation
 * offset. The fidelity harness calls it with the start a real Go iteration drew.
 */
export function mapiterstart(it: Hiter, startBucket: number, offset: number): boolean {
  const h = it.h;
  const heap = h.heap;
  if (heap.u32[Hmap32.count] === 0) return false;
  // Go marks the map iterated first and fails at the first mapiternext; refused here, before
  // the mark, an iteration started inside a write (from update's fn) leaves no trace.
  if ((heap.u8[Hmap.flags] & Flag.hashWriting) !== 0) concurrentIteration();
  it.B = heap.u8[Hmap.B];
  it.buckets = heap.u32[Hmap32.buckets];
  it.startBucket = startBucket;
  it.offset = offset;
  it.bucket = it.startBucket;
  markIterating(h);
  heap.hold();
  it.holding = true;
  it.generation = heap.holdGeneration;
  return true;
}

/** Moves to the next entry (its offsets in it.keyOff, it.elemOff); false when done. */
export function mapiternext(it: Hiter): boolean {
  const h = it.h;
  if (it.holding === false) return false;
  const heap = h.heap;
  heap.sync();
  if ((heap.u8[Hmap.flags] & Flag.hashWriting) !== 0) concurrentIteration();
  if (it.generation !== heap.holdGeneration) {
    it.finish();
    return false;
  }
  // The common step first: the next live slot of the bucket being walked, when the bucket is
  // this iterator's alone to return (no checkBucket). An evacuated slot, or the end of the
  // bucket, is walk()'s.
  const b = it.bptr;
  if (b > 0 && it.checkBucket === noCheck) {
    const u8 = heap.u8;
    const offset = it.offset;
    for (let i = it.i; i < Bucket.cnt; i++) {
      const offi = (i + offset) & (Bucket.cnt - 1);
      const top = u8[b + offi];
      if (top >= Top.minTopHash) {
        it.keyOff = h.keyAt(b, offi);
        it.elemOff = h.elemAt(b, offi);
        it.i = i + 1;
        return true;
      }
      // Below minTopHash: empty (skipped here), or evacuated, which walk() handles.
      if (top === Top.evacuatedX || top === Top.evacuatedY) {
        it.i = i;
        return walk(it);
      }
    }
    it.i = Bucket.cnt;
  }
  return walk(it);
}

function concurrentIteration(): never {
  throw new GoMapError("concurrent map iteration and map write");
}

/** The rest of mapiternext's step: the rest of the chain from it.i, then the next buckets. */
function walk(it: Hiter): boolean {
  const h = it.h;
  const t = h.t;
  const bs = t.bucketSize;
  let bucket = it.bucket;
  let b = it.bptr;
  let i = it.i;
  let checkBucket = it.checkBucket;
  // Overflow links the iteration may still follow: in all its steps it walks each chain once,
  // or twice (an old chain is walked for its X and its Y half), and while it holds the heap no
  // bucket is freed and reused in this thread, so every link is to a distinct bucket the heap
  // holds (or held, as it only grows). More is a walk into memory a writer in another thread
  // freed and reused, whose bytes may link back, even through full buckets that give an entry
  // a step. Only a shared heap can race so; a map of one thread's steps skip the division.
  const budget = h.heap.shared ? 2 * Math.floor(h.heap.u8.length / bs) + 2 - it.links : 0x7fffffff;
  let links = budget;
  for (;;) {
    // `> 0`, not `!== 0`: a link read past a stale view of a shared heap (a writer in another
    // thread grew it mid-step) is undefined, and must end the chain rather than loop.
    if (!(b > 0)) {
      if (bucket === it.startBucket && it.wrapped) {
        it.finish();
        return false;
      }
      const heap = h.heap;
      const old = heap.u32[Hmap32.oldbuckets];
      if (old !== 0 && it.B === heap.u8[Hmap.B]) {
        // Started during this growth: an old bucket not yet evacuated still holds the keys.
        b = old + (bucket & (noldbuckets(h) - 1)) * bs;
        if (!evacuatedMark(heap.u8[b])) {
          checkBucket = bucket;
        } else {
          b = it.buckets + bucket * bs;
          checkBucket = noCheck;
        }
      } else {
        b = it.buckets + bucket * bs;
        checkBucket = noCheck;
      }
      bucket++;
      if (bucket === bucketShift(it.B)) {
        bucket = 0;
        it.wrapped = true;
      }
      i = 0;
    }
    const u8 = h.heap.u8;
    for (; i < Bucket.cnt; i++) {
      const offi = (i + it.offset) & (Bucket.cnt - 1);
      const top = u8[b + offi];
      if (isEmpty(top) || top === Top.evacuatedEmpty) continue;
      if (checkBucket === noCheck && top >= Top.minTopHash) {
        // The common case: a live slot of a bucket that is this iterator's alone to return.
        it.keyOff = h.keyAt(b, offi);
        it.elemOff = h.elemAt(b, offi);
      } else if (!found(it, b, offi, top, checkBucket)) {
        continue;
      }
      it.bucket = bucket;
      it.bptr = b;
      it.i = i + 1;
      it.checkBucket = checkBucket;
      it.links += budget - links;
      return true;
    }
    if (--links < 0) concurrentIteration();
    b = h.overflow(b);
    i = 0;
  }
}

/** Decides whether slot offi of bucket b is returned, and if so sets keyOff and elemOff. */
function found(it: Hiter, b: number, offi: number, top: number, checkBucket: number): boolean {
  const h = it.h;
  const heap = h.heap;
  const t = h.t;
  const kt = t.key;
  const k = h.keyAt(b, offi);
  const keyIsSelf = t.reflexiveKey || kt.equalAt(heap, k, k);
  if (checkBucket !== noCheck && (heap.u8[Hmap.flags] & Flag.sameSizeGrow) === 0) {
    if (keyIsSelf) {
      if ((kt.hashAt(heap, k, heap.i32[Hmap32.hash0]) & bucketMask(it.B)) !== checkBucket) return false;
    } else if (checkBucket >>> (it.B - 1) !== (top & 1)) {
      return false;
    }
  }
  if ((top !== Top.evacuatedX && top !== Top.evacuatedY) || !keyIsSelf) {
    it.keyOff = k;
    it.elemOff = h.elemAt(b, offi);
    return true;
  }
  // The entry moved: what it holds now, if it is still there, is in the current table.
  const rb = h.access(kt.read(heap, k));
  if (rb === 0) return false;
  it.keyOff = h.keyAt(rb, h.slot);
  it.elemOff = h.elemAt(rb, h.slot);
  return true;
}
