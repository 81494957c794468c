// mapclear: removing every entry (Go 1.21's clear(m); spec §3.9), NaN keys included.
//
// Steps: free what live entries own; mark every slot of the current and old buckets
// emptyRest, so iterators still running produce nothing more (Go issue 59411); free the old
// array and every overflow block; zero the current array in place, keeping B (maps never
// shrink) and rebuilding its overflow pool; reset the header and pick a new hash seed.
// Iterations running across a clear end there: gomap's choice, where Go's iterator may go on
// and return entries added after the clear (which the spec allows either way). Ending is
// simpler to keep right: the zeroed array's pool end mark would lead an iterator standing in
// the last pool bucket back to bucket 0, returning entries twice. The iterations it ends give
// back their heap holds here (Heap.releaseHolds), not at their next step: nothing reads through
// them again, and a map cleared beside a kept iterator could otherwise reuse none of what it
// freed (at its maxBytes it refused every insert). The holds and their generation are the
// Heap's, of which a thread has one per shared buffer, so a clear ends the iterations of every
// handle of the map this thread made or attached from that buffer: one map to this thread, as
// an alias is one map to Go's range. Other threads' iterations are not ended (a race, as in Go).
import { seedrand } from "../hash/rand.js";
import { ChainBudget } from "./hmap.js";
import type { HMap } from "./hmap.js";
import { Bucket, Flag, Hmap, Hmap16, Hmap32, Top, bucketShift, evacuatedMark } from "./layout.js";
import { arrayBuckets } from "./makemap.js";
import { clearEntry } from "./delete.js";
import { noldbuckets } from "./grow.js";
import { abandonWrite, beginWrite, endWrite } from "./writing.js";
import { tracer } from "./trace.js";
import { compactAfterHolds } from "./compact.js";

export function mapclear(h: HMap): void {
  const heap = h.heap;
  const removed = heap.u32[Hmap32.count];
  if (removed === 0) return;
  beginWrite(h);
  const t = h.t;
  const B = heap.u8[Hmap.B];
  const buckets = heap.u32[Hmap32.buckets];
  const old = heap.u32[Hmap32.oldbuckets];
  const budget = new ChainBudget(h);
  try {
    if (old !== 0) emptyOldChains(h, old, noldbuckets(h), arrayBuckets((heap.u8[Hmap.flags] & Flag.sameSizeGrow) !== 0 ? B : B - 1), budget);
    emptyChains(h, buckets, bucketShift(B), arrayBuckets(B), budget);
  } catch (err) {
    abandonWrite(h); // a corrupt shared map's chain went round: half cleared, as it was found, corrupt
    throw err;
  }
  h.heap.free(old);
  const total = arrayBuckets(B);
  const u32 = h.heap.u32;
  h.heap.u8.fill(0, buckets, buckets + total * t.bucketSize);
  if (total !== bucketShift(B)) {
    u32[(buckets + (total - 1) * t.bucketSize + t.overflowOffset) >>> 2] = buckets;
    u32[Hmap32.nextOverflow] = buckets + bucketShift(B) * t.bucketSize;
  } else {
    u32[Hmap32.nextOverflow] = 0;
  }
  h.heap.u8[Hmap.flags] &= ~Flag.sameSizeGrow;
  u32[Hmap32.oldbuckets] = 0;
  u32[Hmap32.nevacuate] = 0;
  h.heap.u16[Hmap16.noverflow] = 0;
  u32[Hmap32.count] = 0;
  u32[Hmap32.hash0] = seedrand();
  h.epoch++;
  // The iterations just ended, through any of this thread's handles of the map, read nothing
  // more (mapiternext sees the new hold generation first): their holds go now, and with them
  // every free they deferred.
  heap.releaseHolds();
  if (tracer !== null) tracer.clear(h, removed, B);
  endWrite(h);
  compactAfterHolds(h);
}

// The loops over a whole array are functions of their own, so that mapclear has none: V8
// compiles a long loop while it runs (on-stack replacement), and mapclear's first clear of a
// large map was compiled so before the code after its loop had ever run. V8 kept that code
// and entered it at every later clear's loop, which then deoptimised after the loop for want
// of the feedback it had gathered since (in half the runs of a program clearing maps of 1e5
// and 5e4 strings, every clear: 18 of 18). After these loops there is nothing to miss.

/** emptyChain for each of the first n chains of the array at `array` ([array, total buckets)). */
function emptyChains(h: HMap, array: number, n: number, total: number, budget: ChainBudget): void {
  const bs = h.t.bucketSize;
  for (let i = 0; i < n; i++) emptyChain(h, array + i * bs, array, total, budget);
}

/**
 * The old array's n chains: an evacuated chain's entries now belong to the new array, and its
 * blocks are freed, so its slots are only marked; the others are emptied as any chain.
 */
function emptyOldChains(h: HMap, old: number, n: number, oldTotal: number, budget: ChainBudget): void {
  const bs = h.t.bucketSize;
  for (let i = 0; i < n; i++) {
    const head = old + i * bs;
    if (evacuatedMark(h.heap.u8[head])) h.heap.u8.fill(Top.emptyRest, head, head + Bucket.cnt);
    else emptyChain(h, head, old, oldTotal, budget);
  }
}

/**
 * Frees what the live entries of the chain at `head` own, marks all its slots emptyRest and
 * frees its overflow blocks that are not pool buckets of the array [array, total buckets).
 */
function emptyChain(h: HMap, head: number, array: number, total: number, budget: ChainBudget): void {
  const t = h.t;
  const end = array + total * t.bucketSize;
  for (let b = head; b !== 0; ) {
    budget.step("clear");
    if (t.ownsMemory) {
      for (let i = 0; i < Bucket.cnt; i++) if (h.heap.u8[b + i] >= Top.minTopHash) clearEntry(h, b, i);
    }
    h.heap.u8.fill(Top.emptyRest, b, b + Bucket.cnt);
    const next = h.overflow(b);
    if (b !== head && (b < array || b >= end)) h.heap.free(b);
    b = next;
  }
}
