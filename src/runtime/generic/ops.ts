// The safe layer's hot paths for maps of one type pair (K, V): check the key (and value), call
// the runtime, read or write the value. A template of the kernel (runtime/specialise.ts),
// copied per key kind by the build, so a program's u32 maps and string maps run separate code
// with feedback of its own; ops.ts stamps it out once per type pair. The public methods over
// them are methods.ts's.
//
// A map on a shared heap (threads share it) gets makeSharedOps' copy: reads first sync the
// heap's views (another thread may have grown it), walk chains with mapaccessShared (which
// can't loop on memory a writer freed and reused) and check hashWriting again at the end, and
// set keeps hashWriting from the key's insertion until its value is stored, so no other
// thread can move or reuse the slot in between. makeOps' copy pays for none of that.
import { StringType } from "../../types/string.js";
import { isStructType, plainInput, refuseUnstorable } from "../../types/struct.js";
import type { AnyType } from "../../types/type.js";
import { mapdeleteAt } from "../delete.js";
import type { HMap, Runtime } from "../hmap.js";
import { Hmap32 } from "../layout.js";
import { MapType } from "../maptype.js";
import { abandonWrite, beginWrite, endWrite, readDone, refuseWhileWriting } from "../writing.js";
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
   * m[key] = value; a key or value refused changes nothing. Afterwards h.bucket and h.slot
   * say where the entry is.
   */
  set(h: HMap, key: unknown, value: unknown): void;
}

/**
 * set's second half, for one type pair: stores value in the slot mapassign returned (elem,
 * in bucket h.bucket, slot h.slot); an existing float key gets the new key's bits (Go stores
 * the new key over an equal one, +0 by -0) once the value is in. A value type whose write
 * allocates goes through stagedSet instead (below), so that its write cannot fail here.
 * Should one fail all the same (a struct input whose getter throws on a second read), the
 * key inserted for it is taken away again, and the hash seed that taking the last key away
 * renews is put back: the map holds what it held (its entries, not byte for byte: a growth
 * or an overflow bucket the insert made stays, as does the key's bytes in its emptied slot).
 * README says such inputs are not supported; this only keeps the count and chains true.
 */
function makeStore(kt: AnyType, vt: AnyType): (h: HMap, elem: number, key: unknown, value: unknown) => void {
  return (h, elem, key, value) => {
    const b = h.bucket;
    const i = h.slot;
    try {
      vt.write(h.heap, elem, value);
    } catch (err) {
      if (h.inserted === true) {
        const seed = h.heap.u32[Hmap32.hash0];
        mapdeleteAt(h, h.head, b, i);
        h.heap.u32[Hmap32.hash0] = seed;
      }
      throw err;
    }
    if (h.inserted === false && h.t.needKeyUpdate === true) updateKeyBits(kt, h.heap, h.keyAt(b, i), key);
  };
}

/**
 * set's work for a value type whose write allocates (strings, structs holding them), and so
 * can fail: no memory for its bytes, or a string with a lone surrogate. The value's bytes are
 * staged first, before the map is touched, so a refused value changes nothing (no key
 * inserted, no growth started); once `assign` has inserted the key (or found it), they are
 * committed into its slot, which cannot fail; if the insert fails, they are freed. A string
 * that fits in its slot (12 bytes or fewer) stages nothing, so an update needs no memory.
 * A key that can't be stored (a lone surrogate, found where it is hashed) is refused first,
 * and the caller refuses a write that overlaps another before this stages anything.
 */
function stagedSet(h: HMap, kt: AnyType, vt: AnyType, assign: (h: HMap, key: unknown) => number, key: unknown, value: unknown): void {
  if (kt.ownsMemory) refuseUnstorable(kt, key);
  if (isStructType(vt)) {
    const frame = vt.stageWrite(h.heap, value as Record<string, unknown>);
    let elem: number;
    try {
      elem = assign(h, key);
    } catch (err) {
      vt.dropWrite(h.heap, frame);
      throw err;
    }
    vt.commitWrite(h.heap, elem, frame);
  } else {
    const s = vt as StringType;
    const p = s.stage(h.heap, value as string);
    const len = s.stagedLen; // a local: the key's own writes stage strings too
    let elem: number;
    try {
      elem = assign(h, key);
    } catch (err) {
      h.heap.free(p);
      throw err;
    }
    s.commit(h.heap, elem, p, len, value as string);
  }
  if (h.inserted === false && h.t.needKeyUpdate === true) updateKeyBits(kt, h.heap, h.keyAt(h.bucket, h.slot), key);
}

/** Whether set stages vt's values (stagedSet): strings, and structs that hold them. */
function staged(vt: AnyType): boolean {
  // Strings and the structs that hold them are the only types that own memory (struct()
  // refuses any other field type that does).
  return vt.ownsMemory;
}

/**
 * set's inputs, for a struct key or value type: a view (ref()'s) is read into a plain object
 * before the map changes, since inserting the key may move the very entry the view reads.
 */
function plainInputs(kt: AnyType, vt: AnyType, set: Ops["set"]): Ops["set"] {
  if (!isStructType(kt) && !isStructType(vt)) return set;
  return (h, key, value) => set(h, plainInput(key), plainInput(value));
}

/**
 * The offset of the elem in slot i of bucket b, for maps of key type kt and elem type vt: as
 * HMap.elemAt, with the bucket geometry fixed for the pair, so a get reads no MapType field.
 */
function makeElemAt(kt: AnyType, vt: AnyType): (h: HMap, b: number, i: number) => number {
  const t = MapType.of(kt, vt);
  const elemsOffset = t.elemsOffset;
  const elemSlot = t.elemSlot;
  if (!t.indirectElem) return (_h, b, i) => b + elemsOffset + i * elemSlot;
  return (h, b, i) => h.heap.u32[(b + elemsOffset + i * elemSlot) >>> 2];
}

export function makeOps(kt: AnyType, vt: AnyType, rt: Runtime): Ops {
  const store = makeStore(kt, vt);
  const elemAt = makeElemAt(kt, vt);
  function set(h: HMap, key: unknown, value: unknown): void {
    kt.check(key, "key");
    vt.check(value, "value");
    store(h, rt.mapassign(h, key), key, value);
  }
  function setStaged(h: HMap, key: unknown, value: unknown): void {
    kt.check(key, "key");
    vt.check(value, "value");
    refuseWhileWriting(h);
    stagedSet(h, kt, vt, rt.mapassign, key, value);
  }
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
    set: plainInputs(kt, vt, staged(vt) ? setStaged : set),
  };
}

export function makeSharedOps(kt: AnyType, vt: AnyType, rt: Runtime): Ops {
  const store = makeStore(kt, vt);
  // Under hashWriting, staging included: only a writer may grow a shared heap.
  const write = staged(vt)
    ? (h: HMap, key: unknown, value: unknown): void => stagedSet(h, kt, vt, rt.mapassignLocked, key, value)
    : (h: HMap, key: unknown, value: unknown): void => store(h, rt.mapassignLocked(h, key), key, value);
  function set(h: HMap, key: unknown, value: unknown): void {
    kt.check(key, "key");
    vt.check(value, "value");
    beginWrite(h);
    try {
      write(h, key, value);
    } catch (err) {
      abandonWrite(h);
      throw err;
    }
    endWrite(h);
  }
  return {
    get(h: HMap | null, key: unknown): unknown {
      kt.check(key, "key");
      if (h === null) return undefined;
      h.heap.sync();
      const b = rt.mapaccessShared(h, key);
      const v = b === 0 ? undefined : vt.read(h.heap, h.elemAt(b, h.slot));
      readDone(h);
      return v;
    },
    has(h: HMap | null, key: unknown): boolean {
      kt.check(key, "key");
      if (h === null) return false;
      h.heap.sync();
      const found = rt.mapaccessShared(h, key) !== 0;
      readDone(h);
      return found;
    },
    set: plainInputs(kt, vt, set),
  };
}
