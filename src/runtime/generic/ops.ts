// The safe layer's hot paths for maps of one type pair (K, V): check the key (and value), call
// the runtime, read or write the value. A template of the kernel (runtime/specialise.ts),
// copied per key kind by the build, so a program's u32 maps and string maps run separate code
// with feedback of its own; ops.ts stamps it out once per type pair. Above them, mapMethods:
// the public get/has/lookup/set/delete, which gomap.ts puts on one prototype per kind.
//
// A map on a shared heap (threads share it) gets makeSharedOps' copy: reads first sync the
// heap's views (another thread may have grown it) and check hashWriting again at the end, and
// set keeps hashWriting from the key's insertion until its value is stored, so no other
// thread can move or reuse the slot in between. makeOps' copy pays for none of that.
import { GoMapError } from "../../errors.js";
import type { AnyType } from "../../types/type.js";
import { mapdeleteAt } from "../delete.js";
import type { HMap, Runtime } from "../hmap.js";
import { MapType } from "../maptype.js";
import { abandonWrite, beginWrite, endWrite, readDone } from "../writing.js";
import { updateKeyBits } from "./assign.js";

export interface Ops {
  /** The value for key, or undefined. */
  get(h: HMap, key: unknown): unknown;
  /** Whether key is present. */
  has(h: HMap, key: unknown): boolean;
  /** Go's `v, ok := m[key]`: the value and true, or the zero value and false. */
  lookup(h: HMap, key: unknown): [unknown, boolean];
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
    get(h: HMap, key: unknown): unknown {
      kt.check(key, "key");
      const b = rt.mapaccess(h, key);
      return b === 0 ? undefined : vt.read(h.heap, elemAt(h, b, h.slot));
    },
    has(h: HMap, key: unknown): boolean {
      kt.check(key, "key");
      return rt.mapaccess(h, key) !== 0;
    },
    lookup(h: HMap, key: unknown): [unknown, boolean] {
      kt.check(key, "key");
      const b = rt.mapaccess(h, key);
      return b === 0 ? [vt.zero(), false] : [vt.read(h.heap, elemAt(h, b, h.slot)), true];
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
    get(h: HMap, key: unknown): unknown {
      kt.check(key, "key");
      h.heap.sync();
      const b = rt.mapaccess(h, key);
      const v = b === 0 ? undefined : vt.read(h.heap, h.elemAt(b, h.slot));
      readDone(h);
      return v;
    },
    has(h: HMap, key: unknown): boolean {
      kt.check(key, "key");
      h.heap.sync();
      const found = rt.mapaccess(h, key) !== 0;
      readDone(h);
      return found;
    },
    lookup(h: HMap, key: unknown): [unknown, boolean] {
      kt.check(key, "key");
      h.heap.sync();
      const b = rt.mapaccess(h, key);
      const v = b === 0 ? vt.zero() : vt.read(h.heap, h.elemAt(b, h.slot));
      readDone(h);
      return [v, b !== 0];
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

/** What mapMethods read of the map they are called on: GoMap's fields (gomap.ts). */
export interface MapFields {
  /** The map's runtime handle; null for a nil map. */
  readonly h: HMap | null;
  /** The hot paths for the map's type pair, from this copy of the kernel. */
  readonly ops: Ops;
  readonly keyType: AnyType;
  readonly valueType: AnyType;
}

/**
 * GoMap's get, lookup, has, set and delete, as this copy's own source. gomap.ts puts each
 * copy's on a prototype of its own, one per key kind, so that a call to m.get in a loop over
 * u32 maps reaches this copy alone and V8 can inline all of it (one method shared by every
 * kind would see every kind's ops, and V8 would call them, not inline them). A nil map reads
 * as empty and refuses set, as in Go; its keys and values are checked all the same.
 */
export const mapMethods = {
  get(this: MapFields, key: unknown): unknown {
    const h = this.h;
    if (h !== null) return this.ops.get(h, key);
    this.keyType.check(key, "key");
    return undefined;
  },

  lookup(this: MapFields, key: unknown): [unknown, boolean] {
    const h = this.h;
    if (h !== null) return this.ops.lookup(h, key);
    this.keyType.check(key, "key");
    return [this.valueType.zero(), false];
  },

  has(this: MapFields, key: unknown): boolean {
    const h = this.h;
    if (h !== null) return this.ops.has(h, key);
    this.keyType.check(key, "key");
    return false;
  },

  set<T extends MapFields>(this: T, key: unknown, value: unknown): T {
    const h = this.h;
    if (h === null) {
      this.keyType.check(key, "key");
      this.valueType.check(value, "value");
      throw new GoMapError("assignment to entry in nil map");
    }
    this.ops.set(h, key, value);
    return this;
  },

  delete(this: MapFields, key: unknown): boolean {
    this.keyType.check(key, "key");
    const h = this.h;
    return h !== null && h.rt.mapdelete(h, key);
  },
};
