// Invariant checks over a whole map, for tests and debugging (never on a hot path). Each
// failed check throws an Error that names the invariant, the bucket and the slot.
//
// Checked: count equals the live entries; every live key sits in the bucket its hash picks
// and carries its hash's tophash (NaN keys, whose hash is random, only the tophash range);
// no key is live in both an unevacuated old bucket and the new array; in every chain the
// non-emptyRest slots form a prefix whose last slot is filled (TestMapTombstones); every old
// bucket below nevacuate is evacuated, and an evacuated head is all marks.
import { hashOut } from "../hash/hash.js";
import type { HMap } from "./hmap.js";
import { Bucket, Hmap, Hmap32, Top, bucketMask, bucketShift, evacuatedMark, tophash } from "./layout.js";
import { noldbuckets } from "./grow.js";

function fail(msg: string): never {
  throw new Error(`gomap invariant: ${msg}`);
}

/** Throws if any invariant above does not hold. */
export function checkInvariants(h: HMap): void {
  h.heap.sync(); // a shared heap may have grown in another thread
  const heap = h.heap;
  const t = h.t;
  const B = heap.u8[Hmap.B];
  const seed = heap.i32[Hmap32.hash0];
  let live = 0;
  const oldKeys: number[] = [];
  if (h.growing) {
    const n = noldbuckets(h);
    for (let i = 0; i < n; i++) {
      const head = h.oldbuckets + i * t.bucketSize;
      if (evacuatedMark(heap.u8[head])) {
        for (let s = 0; s < Bucket.cnt; s++) {
          if (!evacuatedMark(heap.u8[head + s]) && heap.u8[head + s] !== 4) fail(`old bucket ${i} slot ${s} evacuated head not all marks`);
        }
        continue;
      }
      if (i < h.nevacuate) fail(`old bucket ${i} below nevacuate ${h.nevacuate} not evacuated`);
      live += checkChain(h, head, i, bucketMask(Math.log2(n)), seed, `old bucket ${i}`, oldKeys);
    }
  }
  if (h.buckets !== 0) {
    for (let i = 0; i < bucketShift(B); i++) {
      live += checkChain(h, h.buckets + i * t.bucketSize, i, bucketMask(B), seed, `bucket ${i}`, null);
    }
  }
  if (live !== h.count) fail(`count ${h.count} but ${live} live entries`);
  for (const k of oldKeys) {
    if (inNewArray(h, k, seed)) fail(`a key is live in both an old bucket and the new array`);
  }
}

/** Whether a key equal to the one stored at k is live in the new array. */
function inNewArray(h: HMap, k: number, seed: number): boolean {
  const heap = h.heap;
  const t = h.t;
  const lo = t.key.hashAt(heap, k, seed);
  for (let b = h.buckets + (lo & bucketMask(h.B)) * t.bucketSize; b !== 0; b = h.overflow(b)) {
    for (let i = 0; i < Bucket.cnt; i++) {
      if (heap.u8[b + i] >= Top.minTopHash && t.key.equalAt(heap, h.keyAt(b, i), k)) return true;
    }
  }
  return false;
}

/** Checks one chain; returns its live entries. Collects old keys' offsets when `keys` is given. */
function checkChain(h: HMap, head: number, index: number, mask: number, seed: number, where: string, keys: number[] | null): number {
  const heap = h.heap;
  const t = h.t;
  let live = 0;
  let restSeen = false;
  let lastNonRest = Top.emptyRest;
  for (let b = head, n = 0; b !== 0; b = h.overflow(b), n++) {
    for (let i = 0; i < Bucket.cnt; i++) {
      const top = heap.u8[b + i];
      if (top === Top.emptyRest) {
        restSeen = true;
        continue;
      }
      if (restSeen) fail(`${where} chain ${n} slot ${i}: filled or Top.emptyOne after Top.emptyRest`);
      lastNonRest = top;
      if (top === Top.emptyOne) continue;
      if (top < Top.minTopHash) fail(`${where} chain ${n} slot ${i}: evacuation mark ${top} in a live bucket`);
      live++;
      const k = h.keyAt(b, i);
      if (keys !== null && t.reflexiveKey) keys.push(k);
      if (!t.reflexiveKey && !t.key.equalAt(heap, k, k)) continue; // NaN: random hash
      const lo = t.key.hashAt(heap, k, seed);
      if ((lo & mask) !== index) fail(`${where} chain ${n} slot ${i}: key hashes to bucket ${lo & mask}`);
      if (tophash(hashOut.hi) !== top) fail(`${where} chain ${n} slot ${i}: tophash ${top}, hash says ${tophash(hashOut.hi)}`);
    }
  }
  if (lastNonRest === Top.emptyOne) fail(`${where}: the last slot before Top.emptyRest is Top.emptyOne`);
  return live;
}
