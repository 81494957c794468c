// mapassign: inserting a key or finding it for an update (Go's mapassign and its fast
// variants). A template, stamped out per key type by runtime/specialise.ts.
//
// Steps (spec §3.3): refuse a write that starts while another is in progress (Go's
// hashWriting flag); hash before setting the flag, since hashing can throw. While the map
// grows, first evacuate the old bucket that feeds the target bucket (growWork), so a key is
// always written into the new array. Walk the chain remembering the first empty slot; stop at
// emptyRest. A new key may first trigger growth (load factor over 6.5, or too many overflow
// buckets), after which the search starts again in the new table. With no empty slot the
// chain gets an overflow bucket.
//
// Nothing is lost on failure: every allocation (a growth's array, an overflow bucket, an
// indirect key or elem, a key's string bytes) happens before the slot's tophash is set and
// the count changes, so an allocation that throws leaves every entry where it was.
import { GoMapError } from "../errors.js";
import { hashOut } from "../hash/hash.js";
import type { AnyType } from "../types/type.js";
import { growWork, hashGrow } from "./grow.js";
import type { HMap } from "./hmap.js";
import { Bucket, Flag, Hmap, Hmap16, Hmap32, Top, bucketMask, isEmpty, overLoadFactor, tooManyOverflowBuckets, tophash } from "./layout.js";
import { newoverflow } from "./makemap.js";

export function makeMapassign(kt: AnyType): (h: HMap, key: unknown) => number {
  /** The body of mapassign, run with hashWriting set. */
  function assign(h: HMap, key: unknown, lo: number, top: number): number {
    const t = h.t;
    if (h.heap.u32[Hmap32.buckets] === 0) h.heap.u32[Hmap32.buckets] = h.heap.alloc(t.bucketSize);
    for (;;) {
      const bucket = lo & bucketMask(h.heap.u8[Hmap.B]);
      if (h.heap.u32[Hmap32.oldbuckets] !== 0) growWork(h, bucket);
      const heap = h.heap;
      const u8 = heap.u8;
      const u32 = heap.u32;
      const keySlot = t.keySlot;
      const ovfOff = t.overflowOffset;
      const head = u32[Hmap32.buckets] + bucket * t.bucketSize;
      let b = head;
      let insertb = 0;
      let inserti = 0;
      bucketloop: for (;;) {
        for (let i = 0; i < Bucket.cnt; i++) {
          const th = u8[b + i];
          if (th !== top) {
            if (insertb === 0 && isEmpty(th)) {
              insertb = b;
              inserti = i;
            }
            if (th === Top.emptyRest) break bucketloop;
            continue;
          }
          let k = b + 8 + i * keySlot;
          if (t.indirectKey) k = u32[k >>> 2];
          if (!kt.equal(heap, k, key)) continue;
          // The key is present: its value is updated in place.
          h.inserted = false;
          h.bucket = b;
          h.slot = i;
          h.head = head;
          return h.elemAt(b, i);
        }
        const ovf = u32[(b + ovfOff) >>> 2];
        if (ovf === 0) break;
        b = ovf;
      }
      // The key is new. Past the load factor, or with too many overflow buckets, grow first
      // and search again: growing invalidates everything found above.
      const count = u32[Hmap32.count];
      const B = u8[Hmap.B];
      if (u32[Hmap32.oldbuckets] === 0 && (overLoadFactor(count + 1, B) || tooManyOverflowBuckets(heap.u16[Hmap16.noverflow], B))) {
        hashGrow(h);
        continue;
      }
      if (insertb === 0) {
        insertb = newoverflow(h, b);
        inserti = 0;
      }
      storeKey(h, insertb, inserti, key);
      h.heap.u8[insertb + inserti] = top;
      h.heap.u32[Hmap32.count]++;
      h.inserted = true;
      h.bucket = insertb;
      h.slot = inserti;
      h.head = head;
      return h.elemAt(insertb, inserti);
    }
  }

  /** Writes a new key (and the blocks of an indirect key or elem) into slot i of bucket b. */
  function storeKey(h: HMap, b: number, i: number, key: unknown): void {
    const t = h.t;
    const kslot = b + 8 + i * t.keySlot;
    if (!t.indirectKey && !t.indirectElem) {
      kt.write(h.heap, kslot, key);
      return;
    }
    const eslot = b + t.elemsOffset + i * t.elemSlot;
    let kblock = 0;
    let eblock = 0;
    try {
      if (t.indirectKey) kblock = h.heap.alloc(kt.size);
      if (t.indirectElem) eblock = h.heap.alloc(t.elem.size);
      kt.write(h.heap, t.indirectKey ? kblock : kslot, key);
    } catch (err) {
      h.heap.free(kblock);
      h.heap.free(eblock);
      throw err;
    }
    if (t.indirectKey) h.heap.u32[kslot >>> 2] = kblock;
    if (t.indirectElem) h.heap.u32[eslot >>> 2] = eblock;
  }

  return function mapassign(h: HMap, key: unknown): number {
    if ((h.heap.u8[Hmap.flags] & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
    const lo = kt.hash(key, h.heap.i32[Hmap32.hash0]);
    const top = tophash(hashOut.hi);
    h.heap.u8[Hmap.flags] ^= Flag.hashWriting;
    let elem: number;
    try {
      elem = assign(h, key, lo, top);
    } catch (err) {
      h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
      throw err;
    }
    const u8 = h.heap.u8;
    if ((u8[Hmap.flags] & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
    u8[Hmap.flags] &= ~Flag.hashWriting;
    return elem;
  };
}
