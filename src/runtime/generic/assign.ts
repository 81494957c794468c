// mapassign: inserting a key or finding it for an update (Go's mapassign and its fast
// variants). A template of the kernel (runtime/specialise.ts), copied per key kind by the
// build and stamped out per key type; with it updateKeyBits, Go's update of an equal key.
//
// Steps (spec §3.3): refuse a write that starts while another is in progress (Go's
// hashWriting flag); hash before setting the flag, since hashing can throw. While the map
// grows, first evacuate the old bucket that feeds the target bucket (growWork), so a key is
// always written into the new array. Walk the chain remembering the first empty slot; stop at
// emptyRest. A new key may first trigger growth (load factor over 6.5, or too many overflow
// buckets), after which the search starts again in the new table. With no empty slot the
// chain gets an overflow bucket.
//
// The tophash bytes are compared four at a time (layout.ts matchTophash, matchEmpty) and the
// results of a bucket's two words made one 8-bit mask (slotMask): a new key's search reads
// every slot of the chain anyway, and this does it with no branch per slot, nor on which half
// of the bucket its first empty slot is in (as a branch, that was a coin toss: hinted u32
// inserts at 1e4 took 31 ns against 29, alternating runs).
// Lookups walk slot by slot instead (access.ts says why).
//
// Nothing changes on failure: every allocation (a growth's array, an overflow bucket, an
// indirect key or elem, a key's string bytes) happens before the slot's tophash is set and
// the count changes, so an allocation that throws leaves every entry where it was; and what
// a refused new key made on its way is taken back: a growth it started with no room to
// evacuate (takeBackGrow), an overflow bucket whose key's bytes did not fit
// (takeBackOverflow). A new key that starts a growth takes the memory it will need first
// (runtime/reserve.ts): a growth that has evacuated can't be taken back, so the key must not
// be refused after it.
import { GoMapError, HeapExhaustedError } from "../../errors.js";
import { hashOut } from "../../hash/hash.js";
import type { Heap } from "../../memory/heap.js";
import { isStructType, ownField } from "../../types/struct.js";
import type { AnyType } from "../../types/type.js";
import { bucketFor, hashGrow, takeBackGrow, tryGrowWork } from "../grow.js";
import type { GrowStart } from "../grow.js";
import { chainTooLong, maxChain } from "../hmap.js";
import type { HMap, Runtime } from "../hmap.js";
import {
  Bucket,
  Hmap,
  Hmap16,
  Hmap32,
  Top,
  bucketMask,
  lowSlot,
  matchEmpty,
  matchTophash,
  overLoadFactor,
  slotMask,
  tooManyOverflowBuckets,
  tophash,
  tophashPattern,
} from "../layout.js";
import { newoverflow, takeBackOverflow, traceOverflow } from "../makemap.js";
import { hashGrowReserved, keyTakesMemory, releaseKey, reserveKey, storeReservedKey } from "../reserve.js";
import type { KeyReserve } from "../reserve.js";
import { abandonWrite, beginWrite, endWrite } from "../writing.js";

export function makeMapassign(kt: AnyType): Pick<Runtime, "mapassign" | "mapassignLocked"> {
  /** The body of mapassign, run with hashWriting set. */
  function assign(h: HMap, key: unknown, lo: number, top: number): number {
    const t = h.t;
    if (h.heap.u32[Hmap32.buckets] === 0) {
      // alloc may replace the heap's buffer: take the view after it.
      const array = h.heap.alloc(t.bucketSize);
      h.heap.u32[Hmap32.buckets] = array;
    }
    /** What hashGrow replaced, when this write started the growth. */
    let started: GrowStart | null = null;
    /** The memory of a new key that started a growth, taken before it (reserve.ts). */
    let reserve: KeyReserve | null = null;
    for (;;) {
      // Header fields through the u32 view alone, as mapaccess reads them (B is flagsB's byte 1).
      const bucket = lo & bucketMask((h.heap.u32[Hmap32.flagsB] >>> 8) & 0xff);
      if (h.heap.u32[Hmap32.oldbuckets] !== 0 && !tryGrowWork(h, bucket)) {
        if (reserve !== null) releaseKey(h.heap, kt, reserve);
        // A growth this write started, with no room to begin it: the new key is refused.
        if (started !== null && takeBackGrow(h, started, bucket)) throw new HeapExhaustedError(t.bucketSize, h.heap.capacity, h.heap.maxBytes);
        return updateInPlace(h, key, lo, top);
      }
      const heap = h.heap;
      const u8 = heap.u8;
      const u32 = heap.u32;
      const keySlot = t.keySlot;
      const ovfOff = t.overflowOffset;
      // `>>> 0`, as mapaccess does (access.ts): without it V8 types the sum as a double, and
      // the chain's walk converted b back to an integer, and checked it was one, at every
      // bucket. Unhinted u32 inserts at 1e5: 73-74 ns against 77-79 (alternating runs).
      const head = (u32[Hmap32.buckets] + bucket * t.bucketSize) >>> 0;
      const pattern = tophashPattern(top);
      let b = head;
      let insertb = 0;
      let inserti = 0;
      // Overflow links followed: only a shared map's chain, overwritten by a buggy thread,
      // goes on past maxChain (hmap.ts), which is read only once a link is followed.
      let links = 0;
      for (;;) {
        // The bucket's eight tophash bytes as two words, matched four at a time (layout.ts
        // slotMask): a match is confirmed with ==, and the first empty slot of the chain is
        // where a new key goes. Neither search branches on which slot it finds.
        const w0 = u32[b >>> 2];
        const w1 = u32[(b >>> 2) + 1];
        for (let m = slotMask(matchTophash(w0, pattern), matchTophash(w1, pattern)); m !== 0; m &= m - 1) {
          const i = lowSlot(m);
          let k = b + Bucket.dataOffset + i * keySlot;
          if (t.indirectKey === true) k = u32[k >>> 2];
          if (!kt.equal(heap, k, key)) continue;
          // The key is present: its value is updated in place.
          h.inserted = false;
          h.bucket = b;
          h.slot = i;
          h.head = head;
          return h.elemAt(b, i);
        }
        if (insertb === 0) {
          const empty = slotMask(matchEmpty(w0), matchEmpty(w1));
          if (empty !== 0) {
            insertb = b;
            inserti = lowSlot(empty);
          }
        }
        // A last slot of emptyRest ends the chain: nothing after it can match.
        if (u8[b + Bucket.cnt - 1] === Top.emptyRest) break;
        const ovf = u32[(b + ovfOff) >>> 2];
        if (ovf === 0) break;
        if (++links > maxChain(u32)) chainTooLong("set");
        b = ovf;
      }
      // The key is new. Past the load factor, or with too many overflow buckets, grow first
      // and search again: growing invalidates everything found above.
      const count = u32[Hmap32.count];
      const B = u8[Hmap.B];
      if (u32[Hmap32.oldbuckets] === 0 && (overLoadFactor(count + 1, B) || tooManyOverflowBuckets(heap.u16[Hmap16.noverflow], B))) {
        if (started !== null) growthAgain(h, reserve);
        // A key that takes memory of its own takes it first (reserve.ts); a plain key (u32,
        // u64, f64...) takes none, so its growth goes as it always did.
        if (keyTakesMemory(h.t, kt)) {
          reserve = reserveKey(h, kt, key);
          started = hashGrowReserved(h, kt, reserve);
        } else {
          started = hashGrow(h);
        }
        continue;
      }
      if (insertb === 0) {
        insertb = overflowWithKey(h, b, key, reserve);
        inserti = 0;
      } else if (reserve === null) {
        storeKey(h, insertb, inserti, key);
      } else {
        storeReservedKey(h, kt, insertb, inserti, key, reserve);
      }
      h.heap.u8[insertb + inserti] = top;
      h.heap.u32[Hmap32.count]++;
      h.inserted = true;
      h.bucket = insertb;
      h.slot = inserti;
      h.head = head;
      return h.elemAt(insertb, inserti);
    }
  }

  /**
   * A write that grew the map (and finished the growth: an old array of one or two buckets)
   * finds it must grow again. A map whose count is its entries' never does: a growth leaves
   * room for the new key, and a same-size growth ends with as few overflow buckets as the
   * entries need, fewer than trigger one while count is below the load factor. So the count
   * lies (a shared map's memory a buggy thread overwrote), and growing again would repeat for
   * ever. The growth done has moved every entry consistently; the key is refused.
   */
  function growthAgain(h: HMap, reserve: KeyReserve | null): never {
    if (reserve !== null) releaseKey(h.heap, kt, reserve);
    throw new GoMapError(`gomap: set: the map grew and must grow again for one key: its count ${h.count} is not its entries', its memory is corrupt`);
  }

  /**
   * With no memory to evacuate: a present key is updated where a lookup finds it, old bucket
   * or new; a new key can't be stored, and the HeapExhaustedError goes to the caller.
   */
  function updateInPlace(h: HMap, key: unknown, lo: number, top: number): number {
    const head = bucketFor(h, lo);
    const b = h.heap.shared ? h.rt.findShared(h, head, top, key, "set") : h.rt.find(h, head, top, key);
    if (b === 0) throw new HeapExhaustedError(h.t.bucketSize, h.heap.capacity, h.heap.maxBytes);
    h.inserted = false;
    h.bucket = b;
    h.head = head;
    return h.elemAt(b, h.slot);
  }

  /**
   * A new overflow bucket after b (the chain's last), with key in its slot 0. If the key can't
   * be stored (no memory for its bytes), the bucket is given back and the map is as it was.
   * With r (the key's memory, reserved before a growth), the key is stored with it, which
   * cannot fail once the bucket is there.
   */
  function overflowWithKey(h: HMap, b: number, key: unknown, r: KeyReserve | null): number {
    const next = h.heap.u32[Hmap32.nextOverflow];
    const noverflow = h.heap.u16[Hmap16.noverflow];
    let ovf: number;
    try {
      ovf = newoverflow(h, b, false);
    } catch (err) {
      if (r !== null) releaseKey(h.heap, kt, r);
      throw err;
    }
    if (r !== null) {
      storeReservedKey(h, kt, ovf, 0, key, r);
    } else {
      try {
        storeKey(h, ovf, 0, key);
      } catch (err) {
        takeBackOverflow(h, b, ovf, next, noverflow);
        throw err;
      }
    }
    traceOverflow(h, b, ovf, next !== 0);
    return ovf;
  }

  /** Writes a new key (and the blocks of an indirect key or elem) into slot i of bucket b. */
  function storeKey(h: HMap, b: number, i: number, key: unknown): void {
    const t = h.t;
    const kslot = b + Bucket.dataOffset + i * t.keySlot;
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

  function mapassign(h: HMap, key: unknown): number {
    // Hash first: a hasher that throws must not leave the flag set.
    const lo = kt.hash(key, h.heap.u32[Hmap32.hash0] | 0);
    const top = tophash(hashOut.hi);
    beginWrite(h);
    let elem: number;
    try {
      elem = assign(h, key, lo, top);
    } catch (err) {
      abandonWrite(h);
      throw err;
    }
    endWrite(h);
    return elem;
  }

  function mapassignLocked(h: HMap, key: unknown): number {
    const lo = kt.hash(key, h.heap.u32[Hmap32.hash0] | 0);
    return assign(h, key, lo, tophash(hashOut.hi));
  }

  return { mapassign, mapassignLocked };
}

/**
 * Go's key update: over a stored key equal to `key`, store the bits of `key` that can differ
 * between equal keys: its float fields (+0 and -0 are equal). Everything else in two equal
 * keys (integers, string bytes) is already identical, so nothing is allocated and nothing can
 * fail: a struct key's strings keep their blocks.
 */
export function updateKeyBits(kt: AnyType, heap: Heap, off: number, key: unknown): void {
  if (kt.reflexive) return;
  if (!isStructType(kt)) {
    kt.write(heap, off, key);
    return;
  }
  const fields = kt.fields;
  const obj = key as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    // Own properties only, as the key was checked and hashed: a missing field named like a
    // member of Object.prototype ("constructor") is the zero value, not the inherited function.
    const v = ownField(obj, f.name);
    updateKeyBits(f.type, heap, off + f.offset, v === undefined ? f.type.zero() : v);
  }
}
