// Removing an entry from its slot (Go's mapdelete after the key is found; spec §3.4): free
// what the entry owns, zero its elem (so a later insert into the slot starts from the zero
// value, issue 25936), and mark the slot emptyOne. Then fold trailing empties: if nothing
// after this slot in the chain is filled, this slot and the emptyOne slots before it become
// emptyRest, so lookups and inserts stop early. When the count reaches 0 the map gets a new
// hash seed, so an attacker who learned the old one cannot keep aiming at the same buckets.
// Finding the key is the kernel's (generic/delete.ts); what is here touches no key type.
import { seedrand } from "../hash/rand.js";
import type { HMap } from "./hmap.js";
import { Bucket, Hmap32, Top } from "./layout.js";

/**
 * Removes the entry in slot i of bucket b, in the chain that starts at head. Also undoes an
 * insert whose value could not be stored (a NaN key can't be deleted by key).
 *
 * The common case is written here and the rest called: an entry that owns no memory only has
 * its elem zeroed, and the emptyRest fold is called only when the slot after this one is
 * emptyRest (or this is a bucket's last slot). That keeps a delete's path small enough for V8
 * to inline most of it into the caller's loop (it inlines within a budget of bytecode a loop):
 * with clearEntry's branches and the fold's loop inline here, it inlined less (in one trace
 * only GoMap.delete's first layer), and a u32 delete at 1e6 entries took 2.0-2.2x a bare JS
 * delete over the same buckets (70-76 ns), against 1.8x so (62-65 ns); alternating runs, one
 * process each.
 */
export function mapdeleteAt(h: HMap, head: number, b: number, i: number): void {
  const t = h.t;
  if (t.ownsMemory === false) h.heap.zero(b + t.elemsOffset + i * t.elemSlot, t.elemSlot);
  else clearEntry(h, b, i);
  const heap = h.heap;
  const u8 = heap.u8;
  u8[b + i] = Top.emptyOne;
  if (i === Bucket.cnt - 1 || u8[b + i + 1] === Top.emptyRest) foldEmptyRest(h, head, b, i);
  if (--heap.u32[Hmap32.count] === 0) heap.u32[Hmap32.hash0] = seedrand();
  h.epoch++;
}

/**
 * Frees what slot i of bucket b owns and zeroes its elem. A key that owns nothing keeps its
 * bytes, as Go leaves a pointer-free key in place.
 */
export function clearEntry(h: HMap, b: number, i: number): void {
  const t = h.t;
  const heap = h.heap;
  const kslot = b + Bucket.dataOffset + i * t.keySlot;
  const eslot = b + t.elemsOffset + i * t.elemSlot;
  if (t.indirectKey === true) {
    const k = heap.u32[kslot >>> 2];
    if (t.key.ownsMemory) releaseKeepingBytes(h, k);
    heap.free(k);
    heap.u32[kslot >>> 2] = 0;
  } else if (t.key.ownsMemory) {
    t.key.release(heap, kslot);
  }
  if (t.indirectElem === true) {
    const e = heap.u32[eslot >>> 2];
    if (t.elem.ownsMemory) t.elem.release(heap, e);
    heap.free(e);
    heap.u32[eslot >>> 2] = 0;
  } else if (t.elem.ownsMemory) {
    t.elem.release(heap, eslot);
  } else {
    heap.zero(eslot, t.elemSlot);
  }
}

/**
 * Frees what the indirect key block at k owns (its strings' blocks), leaving the block's bytes
 * as they are, as Go's delete only drops the slot's pointer to the key. After a growth an
 * evacuated old slot points at the same block, and an iterator still walking the old array
 * reads the key there to look it up again: its frees wait while the iterator holds the heap,
 * but release() zeroes the bytes at once, and the iterator would look up the zero key instead
 * (and return that entry again, once for each key deleted so).
 */
function releaseKeepingBytes(h: HMap, k: number): void {
  const heap = h.heap;
  const kt = h.t.key;
  const bytes = heap.u8.slice(k, k + kt.size);
  kt.release(heap, k);
  heap.u8.set(bytes, k);
}

/**
 * After slot i of bucket b (in the chain starting at bOrig) became emptyOne: if no filled
 * slot follows it in the chain, turn it and the emptyOne run before it into emptyRest.
 */
function foldEmptyRest(h: HMap, bOrig: number, b: number, i: number): void {
  const u8 = h.heap.u8;
  if (i === Bucket.cnt - 1) {
    const next = h.overflow(b);
    if (next !== 0 && u8[next] !== Top.emptyRest) return;
  } else if (u8[b + i + 1] !== Top.emptyRest) {
    return;
  }
  for (;;) {
    u8[b + i] = Top.emptyRest;
    if (i === 0) {
      if (b === bOrig) return;
      // Step back to the last slot of the previous bucket in the chain.
      const c = b;
      for (b = bOrig; h.overflow(b) !== c; b = h.overflow(b));
      i = Bucket.cnt - 1;
    } else {
      i--;
    }
    if (u8[b + i] !== Top.emptyOne) return;
  }
}
