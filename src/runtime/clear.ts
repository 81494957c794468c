// mapclear: removing every entry (Go 1.21's clear(m); spec §3.9), NaN keys included.
//
// Steps: free what live entries own; mark every slot of the current and old buckets
// emptyRest, so iterators still running produce nothing more (Go issue 59411); free the old
// array and every overflow block; zero the current array in place, keeping B (maps never
// shrink) and rebuilding its overflow pool; reset the header and pick a new hash seed.
import { GoMapError } from "../errors.js";
import { fastrand } from "../hash/rand.js";
import type { HMap } from "./hmap.js";
import {
  HMAP_B,
  HMAP_FLAGS,
  I16_NOVERFLOW,
  I_BUCKETS,
  I_COUNT,
  I_HASH0,
  I_NEVACUATE,
  I_NEXTOVERFLOW,
  I_OLDBUCKETS,
  bucketCnt,
  bucketShift,
  emptyRest,
  evacuatedMark,
  hashWriting,
  minTopHash,
  sameSizeGrow,
} from "./layout.js";
import { arrayBuckets } from "./makemap.js";
import { clearEntry } from "./delete.js";
import { noldbuckets } from "./grow.js";

export function mapclear(h: HMap): void {
  const heap = h.heap;
  if (heap.u32[I_COUNT] === 0) return;
  if ((heap.u8[HMAP_FLAGS] & hashWriting) !== 0) throw new GoMapError("concurrent map writes");
  heap.u8[HMAP_FLAGS] ^= hashWriting;
  const t = h.t;
  const B = heap.u8[HMAP_B];
  const buckets = heap.u32[I_BUCKETS];
  const old = heap.u32[I_OLDBUCKETS];
  if (old !== 0) {
    const n = noldbuckets(h);
    const oldTotal = arrayBuckets((heap.u8[HMAP_FLAGS] & sameSizeGrow) !== 0 ? B : B - 1);
    for (let i = 0; i < n; i++) {
      const head = old + i * t.bucketSize;
      // An evacuated chain's entries now belong to the new array, and its blocks are freed.
      if (evacuatedMark(h.heap.u8[head])) h.heap.u8.fill(emptyRest, head, head + bucketCnt);
      else emptyChain(h, head, old, oldTotal);
    }
    h.heap.free(old);
  }
  const total = arrayBuckets(B);
  for (let i = 0; i < bucketShift(B); i++) emptyChain(h, buckets + i * t.bucketSize, buckets, total);
  const u32 = h.heap.u32;
  h.heap.u8.fill(0, buckets, buckets + total * t.bucketSize);
  if (total !== bucketShift(B)) {
    u32[(buckets + (total - 1) * t.bucketSize + t.overflowOffset) >>> 2] = buckets;
    u32[I_NEXTOVERFLOW] = buckets + bucketShift(B) * t.bucketSize;
  } else {
    u32[I_NEXTOVERFLOW] = 0;
  }
  h.heap.u8[HMAP_FLAGS] &= ~sameSizeGrow;
  u32[I_OLDBUCKETS] = 0;
  u32[I_NEVACUATE] = 0;
  h.heap.u16[I16_NOVERFLOW] = 0;
  u32[I_COUNT] = 0;
  u32[I_HASH0] = fastrand();
  h.epoch++;
  h.heap.u8[HMAP_FLAGS] &= ~hashWriting;
}

/**
 * Frees what the live entries of the chain at `head` own, marks all its slots emptyRest and
 * frees its overflow blocks that are not pool buckets of the array [array, total buckets).
 */
function emptyChain(h: HMap, head: number, array: number, total: number): void {
  const t = h.t;
  const end = array + total * t.bucketSize;
  for (let b = head; b !== 0; ) {
    if (t.ownsMemory) {
      for (let i = 0; i < bucketCnt; i++) if (h.heap.u8[b + i] >= minTopHash) clearEntry(h, b, i);
    }
    h.heap.u8.fill(emptyRest, b, b + bucketCnt);
    const next = h.overflow(b);
    if (b !== head && (b < array || b >= end)) h.heap.free(b);
    b = next;
  }
}
