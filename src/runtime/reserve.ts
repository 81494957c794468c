// The memory a new key will need, taken before the growth its insert starts (assign.ts).
//
// A new key that crosses the load factor (or the overflow-bucket limit) first starts a
// growth, which allocates the new array and evacuates the key's bucket, moving entries; only
// then is the key stored. A growth that has moved entries can't be taken back, so a key whose
// bytes did not fit after it (a long string's bytes, an out-of-line key or elem block, a
// struct key's strings) was refused with the map grown. The insert takes that memory first:
// reserveKey allocates and fills the key's blocks before hashGrow; storeReservedKey then
// writes the key with them, which cannot fail, and releaseKey gives them back when the write
// is refused after all.
//
// Only the growth path reserves (a write that starts a growth, once per 2^B inserts or so),
// and only for a key that takes memory of its own (keyTakesMemory): an insert with no growth
// to start, or whose key is plain (u32, u64, f64...), stores its key as before, after one more
// null test: a plain key has no memory of its own to take, so its growth allocates no reserve.
//
// No overflow bucket is reserved for the key's new chain: the growth's first evacuation
// already sets aside room for the worst case of its chains (evacuate.ts), and a bucket reserved
// beside that, on the chance that the key's chain is full, refused writes that fit (in a
// sweep of maxBytes with colliding 300-byte keys, 8 ninth inserts of 138 went in with it, 31
// without) while no sweep found a growth it kept from being left behind. So a new key refused
// for want of an overflow bucket right after the growth it started may leave that growth
// behind, its entries all in place (README "Failures lose nothing").
import type { Heap } from "../memory/heap.js";
import { isStructType } from "../types/struct.js";
import { StringType } from "../types/string.js";
import type { AnyType } from "../types/type.js";
import { Bucket } from "./layout.js";
import type { HMap } from "./hmap.js";
import { hashGrow } from "./grow.js";
import type { GrowStart } from "./grow.js";
import type { MapType } from "./maptype.js";

/** Blocks taken for one new key: each 0 when not needed. */
export class KeyReserve {
  /** The key's own block, for a key stored out of line. */
  kblock = 0;
  /** The elem's block, for an elem stored out of line. */
  eblock = 0;
  /** A string key's staged bytes (StringType.stage) and their length. */
  p = 0;
  len = 0;
  /** A struct key's write-stack frame (StructType.stageWrite), or -1. */
  frame = -1;
}

/** Whether a new key of map type t takes memory beside its slot (a block, or string bytes). */
export function keyTakesMemory(t: MapType, kt: AnyType): boolean {
  return t.indirectKey || t.indirectElem || kt.ownsMemory;
}

/** hashGrow for a new key whose memory r holds; r is given back if the growth can't start. */
export function hashGrowReserved(h: HMap, kt: AnyType, r: KeyReserve): GrowStart {
  try {
    return hashGrow(h);
  } catch (err) {
    releaseKey(h.heap, kt, r);
    throw err;
  }
}

/** The memory key will take, allocated; throws HeapExhaustedError (having kept nothing) when it does not fit. */
export function reserveKey(h: HMap, kt: AnyType, key: unknown): KeyReserve {
  const t = h.t;
  const heap = h.heap;
  const r = new KeyReserve();
  try {
    if (t.indirectKey) r.kblock = heap.alloc(kt.size);
    if (t.indirectElem) r.eblock = heap.alloc(t.elem.size);
    if (kt instanceof StringType) {
      r.p = kt.stage(heap, key as string);
      r.len = kt.stagedLen;
    } else if (isStructType(kt) && kt.ownsMemory) {
      r.frame = kt.stageWrite(heap, key as never);
    }
  } catch (err) {
    heap.free(r.kblock);
    heap.free(r.eblock);
    throw err;
  }
  return r;
}

/** Gives back what reserveKey took. */
export function releaseKey(heap: Heap, kt: AnyType, r: KeyReserve): void {
  if (r.frame >= 0 && isStructType(kt)) kt.dropWrite(heap, r.frame);
  r.frame = -1;
  heap.free(r.p);
  heap.free(r.eblock);
  heap.free(r.kblock);
  r.p = r.eblock = r.kblock = 0;
}

/** Writes key into slot i of bucket b with the blocks of r. Cannot fail. */
export function storeReservedKey(h: HMap, kt: AnyType, b: number, i: number, key: unknown, r: KeyReserve): void {
  const t = h.t;
  const heap = h.heap;
  const kslot = b + Bucket.dataOffset + i * t.keySlot;
  const at = t.indirectKey ? r.kblock : kslot;
  if (kt instanceof StringType) kt.commit(heap, at, r.p, r.len, key as string);
  else if (r.frame >= 0 && isStructType(kt)) kt.commitWrite(heap, at, r.frame);
  else kt.write(heap, at, key);
  if (t.indirectKey) heap.u32[kslot >>> 2] = r.kblock;
  if (t.indirectElem) heap.u32[(b + t.elemsOffset + i * t.elemSlot) >>> 2] = r.eblock;
  r.p = r.eblock = r.kblock = 0;
  r.frame = -1;
}
