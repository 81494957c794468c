// The safe layer's hot paths for maps of one type pair (K, V): check the key (and value), call
// the runtime, read or write the value. A template of the kernel (runtime/specialise.ts),
// copied per key kind by the build, so a program's u32 maps and string maps run separate code
// with feedback of its own; ops.ts stamps it out once per type pair. The public methods over
// them are methods.ts's.
//
// A map on a shared heap (threads share it) gets makeSharedOps' copy: reads first sync the
// heap's views (another thread may have grown it) and check hashWriting again at the end, and
// set keeps hashWriting from the key's insertion until its value is stored, so no other
// thread can move or reuse the slot in between. makeOps' copy pays for none of that.
import type { AnyType } from "../../types/type.js";
import { mapdeleteAt } from "../delete.js";
import type { HMap, Runtime } from "../hmap.js";
import { MapType } from "../maptype.js";
import { abandonWrite, beginWrite, endWrite, readDone } from "../writing.js";
import { updateKeyBits } from "./assign.js";

export interface Ops {
  /**
   * The value for key, or undefined (no stored value reads as undefined). h is null for a nil
   * map: taking it here keeps GoMap's get, has and lookup a call each, small enough for V8 to
   * inline their whole path into a caller's loop (methods.ts says why that matters).
   */
  get(h: HMap | null, key: unknown): unknown;
  /** Whether key is present; h is null for a nil map. */
  has(h: HMap | null, key: unknown): boolean;
  /**
   * m[key] = value; a value that fails to store takes a key inserted for it away again.
   * Afterwards h.bucket and h.slot say where the entry is.
   */
  set(h: HMap, key: unknown, value: unknown): void;
}

/**
 * set's second half, for one type pair: stores value in the slot mapassign returned (elem,
 * in bucket h.bucket, slot h.slot). A value that fails to store (only an allocation can) takes
 * a key inserted for it away again; an existing float key gets the new key's bits (Go stores
 * the new key over an equal one, +0 by -0) only once the value is in.
 */
function makeStore(kt: AnyType, vt: AnyType): (h: HMap, elem: number, key: unknown, value: unknown) => void {
  return (h, elem, key, value) => {
    const b = h.bucket;
    const i = h.slot;
    try {
      vt.write(h.heap, elem, value);
    } catch (err) {
      if (h.inserted === true) mapdeleteAt(h, h.head, b, i);
      throw err;
    }
    if (h.inserted === false && h.t.needKeyUpdate === true) updateKeyBits(kt, h.heap, h.keyAt(b, i), key);
  };
}

/**
 * The offset of the elem in slot i of bucket b, for maps of key type kt and elem type vt: as
 * HMap.elemAt, with the bucket geometry fixed for the pair, so a get reads no MapType field.
 */
function makeElemAt(kt: AnyType, vt: AnyType): (h: HMap, b: number, i: number) => number {
  const t = new MapType(kt, vt);
  const elemsOffset = t.elemsOffset;
  const elemSlot = t.elemSlot;
  if (!t.indirectElem) return (_h, b, i) => b + elemsOffset + i * elemSlot;
  return (h, b, i) => h.heap.u32[(b + elemsOffset + i * elemSlot) >>> 2];
}

export function makeOps(kt: AnyType, vt: AnyType, rt: Runtime): Ops {
  const store = makeStore(kt, vt);
  const elemAt = makeElemAt(kt, vt);
  return {
    get(h: HMap | null, key: unknown): unknown {
      kt.check(key, "key");
      const b = h === null ? 0 : rt.mapaccess(h, key);
      return b === 0 ? undefined : vt.read((h as HMap).heap, elemAt(h as HMap, b, (h as HMap).slot));
    },
    has(h: HMap | null, key: unknown): boolean {
      kt.check(key, "key");
      return h !== null && rt.mapaccess(h, key) !== 0;
    },
    set(h: HMap, key: unknown, value: unknown): void {
      kt.check(key, "key");
      vt.check(value, "value");
      store(h, rt.mapassign(h, key), key, value);
    },
  };
}

export function makeSharedOps(kt: AnyType, vt: AnyType, rt: Runtime): Ops {
  const store = makeStore(kt, vt);
  return {
    get(h: HMap | null, key: unknown): unknown {
      kt.check(key, "key");
      if (h === null) return undefined;
      h.heap.sync();
      const b = rt.mapaccess(h, key);
      const v = b === 0 ? undefined : vt.read(h.heap, h.elemAt(b, h.slot));
      readDone(h);
      return v;
    },
    has(h: HMap | null, key: unknown): boolean {
      kt.check(key, "key");
      if (h === null) return false;
      h.heap.sync();
      const found = rt.mapaccess(h, key) !== 0;
      readDone(h);
      return found;
    },
    set(h: HMap, key: unknown, value: unknown): void {
      kt.check(key, "key");
      vt.check(value, "value");
      beginWrite(h);
      try {
        store(h, rt.mapassignLocked(h, key), key, value);
      } catch (err) {
        abandonWrite(h);
        throw err;
      }
      endWrite(h);
    },
  };
}
