// evacuate: moving one old bucket's chain into the new array (Go's evacuate; spec §3.6). A
// template of the kernel (runtime/specialise.ts), copied per key kind by the build and
// stamped out per key type, since it rehashes keys; growth's other steps are in grow.ts.
//
// A doubling splits the chain by hash bit oldB into new bucket i (X) and i + 2^oldB (Y); a
// same-size growth copies it into bucket i, dropping its holes. Entries keep their order.
//
// Why one call can't fail halfway: reserve() makes room for the worst case (as many overflow
// buckets as the old chain has buckets: X and Y together never need more) before anything
// moves, and nothing else in the move can throw. The moves themselves need one fewer (n
// buckets hold at most 8n entries, and X and Y start empty with 8 slots each), and the pool's
// preallocated buckets would do for some; the room left over is what lets the write that
// evacuated (growWork comes first in mapassign) store its key afterwards, an overflow bucket
// or a string's bytes, so that a write refused for want of memory leaves even the growth's
// progress as it was (test/gomap/reliability.test.ts). Reserving n - 1 less the pool's kept
// small maps' buffers from growing by half with nothing allocated (89 of 100 maps of 3,000
// random u32 keys did, 11 then) but broke that: it needs the write's own memory taken before
// growWork, for every write to a growing map. A hash is a function of its key, and every
// stored key was hashed once already, when it was written: gomap's own hashers read only
// bytes the map wrote, and a test hook's must throw for a key every time or never (hooks.ts).
// So each entry is hashed and moved in one pass; hashing the whole chain first, in a pass of
// its own, cost unhinted u32 inserts 5%.
import { hashOut } from "../../hash/hash.js";
import type { Heap } from "../../memory/heap.js";
import type { AnyType } from "../../types/type.js";
import { advanceEvacuationMark, noldbuckets } from "../grow.js";
import { chainTooLong, maxChain } from "../hmap.js";
import type { HMap } from "../hmap.js";
import { Bucket, Flag, Hmap, Hmap32, Top, evacuatedMark, tophash } from "../layout.js";
import { arrayBuckets, newoverflow } from "../makemap.js";
import { keySlotOf, slotWords } from "../maptype.js";
import { tracer } from "../trace.js";

export function makeEvacuate(kt: AnyType): (h: HMap, oldbucket: number) => void {
  // The key slot's geometry is the key type's alone (MapType computes the same).
  const keySlot = keySlotOf(kt);
  const indirect = kt.size > Bucket.maxKeySize;
  const keyWords = slotWords(keySlot);
  function evacuate(h: HMap, oldbucket: number): void {
    const t = h.t;
    const newbit = noldbuckets(h);
    const old = h.heap.u32[Hmap32.oldbuckets];
    const head = old + oldbucket * t.bucketSize;
    if (!evacuatedMark(h.heap.u8[head])) {
      const s = (scratch[depth] ??= newScratch());
      depth++;
      try {
        moveChain(h, oldbucket, head, newbit, s);
      } finally {
        depth--;
      }
    }
    if (oldbucket === h.heap.u32[Hmap32.nevacuate]) advanceEvacuationMark(h, newbit);
  }

  /** evacuate's work on a chain not yet evacuated: reserve, then hash and move each entry, free. */
  function moveChain(h: HMap, oldbucket: number, head: number, newbit: number, s: Scratch): void {
    const t = h.t;
    const ovfOff = t.overflowOffset | 0;
    // Room for the worst case first, so the moves below cannot fail halfway. The count also
    // bounds the walks: a chain longer than the heap can hold went round bytes a buggy thread
    // overwrote in a shared heap (hmap.ts maxChain), and the chain is left as it is; one that
    // grows as the move walks it links into the new array, whose buckets the move fills as it
    // reads them, and would chase its own copies until the heap is full: that move stops,
    // half done, at the first bucket past the count.
    let buckets = 0;
    const most = maxChain(h.heap.u32);
    for (let b = head; b !== 0; b = h.heap.u32[(b + ovfOff) >>> 2]) if (++buckets > most) chainTooLong("grow");
    h.heap.reserve(buckets, t.bucketSize);
    const heap = h.heap;
    const bs = t.bucketSize;
    const flags = heap.u32[Hmap32.flagsB];
    const doubling = (flags & Flag.sameSizeGrow) === 0;
    const hash0 = heap.u32[Hmap32.hash0] | 0;
    // NaN keys need the iterator's choice kept (below); only a float key can be one.
    const nanCheck = t.reflexiveKey === false && (flags & Flag.iterator) !== 0;
    // newbit is 2^oldB: the hash bit that picks Y is bit oldB.
    const newshift = 31 - Math.clz32(newbit);
    // X and Y: the bucket and next free slot of each destination chain, picked by index
    // (the entry's useY bit), not by a branch: which half an entry goes to is a coin toss
    // the CPU could not predict.
    const x = heap.u32[Hmap32.buckets] + oldbucket * bs;
    const toXY = s.toXY;
    toXY[0] = x;
    toXY[1] = 0;
    toXY[2] = x + newbit * bs;
    toXY[3] = 0;
    // `| 0` and `>>> 0` below: the geometry and the offsets as machine integers for V8, which
    // otherwise kept them tagged and checked them at every entry.
    const elemsOffset = t.elemsOffset | 0;
    const elemSlot = t.elemSlot | 0;
    const elemWords = t.elemWords | 0;
    // reserve() above made room, so no allocation below should replace the buffer; the views
    // are taken again after each newoverflow all the same, so that one never writes a stale one.
    let u8 = heap.u8;
    let u32 = heap.u32;
    let n = 0;
    let toY = 0;
    let left = buckets;
    for (let b = head; b !== 0; b = u32[(b + ovfOff) >>> 2]) {
      if (--left < 0) chainTooLong("grow");
      for (let i = 0; i < Bucket.cnt; i++) {
        let top = u8[b + i];
        if (top <= Top.emptyOne) {
          u8[b + i] = Top.evacuatedEmpty;
          continue;
        }
        let useY = 0;
        if (doubling) {
          let k = b + Bucket.dataOffset + i * keySlot;
          if (indirect) k = u32[k >>> 2];
          const lo = kt.hashAt(heap, k, hash0);
          if (nanCheck && !kt.equalAt(heap, k, k)) {
            // A NaN's hash is random: keep the choice a running iterator made from the
            // tophash's low bit, and give the key a fresh tophash.
            useY = top & 1;
            top = tophash(hashOut.hi);
          } else {
            // The bit as a number, not a branch: X or Y is a coin toss the CPU cannot
            // predict, and a branch on it cost a misprediction every other entry (u32
            // inserts without a hint, 1e4 entries: 71 ns against 80).
            useY = (lo >>> newshift) & 1;
          }
        }
        n++;
        toY += useY;
        u8[b + i] = Top.evacuatedX + useY;
        const side = useY << 1;
        let db = toXY[side];
        let di = toXY[side + 1];
        if (di === Bucket.cnt) {
          db = newoverflow(h, db) >>> 0;
          u8 = heap.u8;
          u32 = heap.u32;
          toXY[side] = db;
          di = 0;
        }
        toXY[side + 1] = di + 1;
        // The entry: its tophash, then key and elem (or their links) copied slot to slot.
        u8[db + di] = top;
        copySlot(heap, b + Bucket.dataOffset + i * keySlot, db + Bucket.dataOffset + di * keySlot, keySlot, keyWords);
        copySlot(heap, b + elemsOffset + i * elemSlot, db + elemsOffset + di * elemSlot, elemSlot, elemWords);
      }
    }
    freeOldChain(h, head);
    h.epoch++;
    if (tracer !== null) traceEvacuate(h, oldbucket, n - toY, toY, newbit);
  }

  return evacuate;
}

/**
 * evacuate's scratch: `toXY`, X's bucket and next slot, then Y's. One per nesting level: an
 * evacuation can start inside another, when a trace listener called from newoverflow writes to
 * another map, and must not overwrite the outer one's.
 */
interface Scratch {
  toXY: Uint32Array;
}

const scratch: Scratch[] = [];
let depth = 0;

function newScratch(): Scratch {
  return { toXY: new Uint32Array(4) };
}

/** Tells the tracer that evacuate sent toX entries of old bucket `oldbucket` to X and toY to Y. */
function traceEvacuate(h: HMap, oldbucket: number, toX: number, toY: number, newbit: number): void {
  const doubling = (h.heap.u8[Hmap.flags] & Flag.sameSizeGrow) === 0;
  tracer?.evacuate(h, oldbucket, toX, toY, oldbucket, doubling ? oldbucket + newbit : -1);
}

/**
 * Copies a slot of n bytes from src to dst: by u32 words when the slot is `words` of them
 * (n a multiple of 4; offsets then are too, slots keeping their type's alignment), else
 * byte by byte.
 */
function copySlot(heap: Heap, src: number, dst: number, n: number, words: number): void {
  if (words !== 0) {
    const u32 = heap.u32;
    const s = src >>> 2;
    const d = dst >>> 2;
    u32[d] = u32[s];
    for (let w = 1; w < words; w++) u32[d + w] = u32[s + w];
    return;
  }
  const u8 = heap.u8;
  for (let j = 0; j < n; j++) u8[dst + j] = u8[src + j];
}

/**
 * Frees the overflow blocks of an evacuated old chain that are blocks of their own (pool
 * buckets go with the array). The links stay, for iterators still walking the chain.
 */
function freeOldChain(h: HMap, head: number): void {
  const t = h.t;
  const heap = h.heap;
  const old = heap.u32[Hmap32.oldbuckets];
  const oldEnd = old + arrayBuckets(oldB(h)) * t.bucketSize;
  for (let b = heap.u32[(head + t.overflowOffset) >>> 2]; b !== 0 && b !== old; ) {
    const next = heap.u32[(b + t.overflowOffset) >>> 2];
    if (b < old || b >= oldEnd) heap.free(b);
    b = next;
  }
}

function oldB(h: HMap): number {
  const B = h.heap.u8[Hmap.B];
  return (h.heap.u8[Hmap.flags] & Flag.sameSizeGrow) !== 0 ? B : B - 1;
}
