// mapdelete: removing a key (Go's mapdelete and its fast variants). A template of the kernel
// (runtime/specialise.ts), copied per key kind by the build and stamped out per key type.
//
// Steps (spec §3.4): as a lookup, but a write: growWork first, then find the key, then
// mapdeleteAt (runtime/delete.ts) empties its slot.
import { hashOut } from "../../hash/hash.js";
import type { AnyType } from "../../types/type.js";
import { mapdeleteAt } from "../delete.js";
import { bucketFor, tryGrowWork } from "../grow.js";
import type { HMap } from "../hmap.js";
import { Hmap, Hmap32, bucketMask, tophash } from "../layout.js";
import { abandonWrite, beginWrite, endWrite } from "../writing.js";

export function makeMapdelete(kt: AnyType): (h: HMap, key: unknown) => boolean {
  function remove(h: HMap, key: unknown, lo: number, top: number): boolean {
    // growWork first; then the key, if present, is where a lookup finds it: in the new array,
    // or, when there was no memory to evacuate its old bucket, still there.
    if (h.heap.u32[Hmap32.oldbuckets] !== 0) tryGrowWork(h, lo & bucketMask(h.heap.u8[Hmap.B]));
    const head = bucketFor(h, lo);
    // A shared map's chain may go round bytes a buggy thread overwrote: its walk is bounded.
    const b = h.heap.shared ? h.rt.findShared(h, head, top, key, "delete") : h.rt.find(h, head, top, key);
    if (b === 0) return false;
    mapdeleteAt(h, head, b, h.slot);
    return true;
  }

  return function mapdelete(h: HMap, key: unknown): boolean {
    if (h.heap.u32[Hmap32.count] === 0) return false;
    const lo = kt.hash(key, h.heap.i32[Hmap32.hash0]);
    const top = tophash(hashOut.hi);
    beginWrite(h);
    let found: boolean;
    try {
      found = remove(h, key, lo, top);
    } catch (err) {
      abandonWrite(h);
      throw err;
    }
    endWrite(h);
    return found;
  };
}
