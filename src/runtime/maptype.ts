// MapType: what the runtime knows of one map[K]V, as Go's compiler-built maptype tells
// map.go: the key and elem types, their slot sizes, and the bucket geometry that follows.
//
// Invariants: keySlot and elemSlot are the type sizes, or 8 when the type is larger than
// maxKeySize/maxElemSize and is stored indirectly (the slot holds a heap offset). bucketSize
// = 8 + 8*keySlot + 8*elemSlot + 8 is a multiple of 8, so every bucket in an array, and every
// key and elem slot in it, keeps its type's alignment when the array starts 8-aligned.
//
// Hot paths test these booleans (and Heap.shared, and the iterator's) with `=== true` or
// `=== false`, not bare: V8 keeps no boolean type for an object's field, so `if (t.indirectKey)`
// compiles to a full ToBoolean (about ten instructions with their branches) where `=== true`
// is one compare. An iteration step tests three such fields; it measured 5-15% faster so.
import type { AnyType } from "../types/type.js";
import { Bucket } from "./layout.js";

/** Bytes of a key slot of type `key` (8, a heap offset, for a key stored indirectly). */
export function keySlotOf(key: AnyType): number {
  return key.size > Bucket.maxKeySize ? 8 : key.size;
}

/** The u32 words of a slot of `slot` bytes, or 0 when it is not a whole number of words. */
export function slotWords(slot: number): number {
  return (slot & 3) === 0 ? slot >>> 2 : 0;
}

/** The MapType of each pair of types already met (see MapType.of). */
const made = new WeakMap<AnyType, WeakMap<AnyType, MapType>>();

export class MapType {
  /**
   * The MapType of map[key]elem: one object for every map of the pair, as Go's compiler
   * builds one maptype a map type. It holds nothing but what follows from the two types, so
   * sharing it is safe, and saves 128 bytes of the JS heap a map. The cache holds its types
   * weakly: a type no program holds any more takes its MapTypes with it.
   */
  static of(key: AnyType, elem: AnyType): MapType {
    let byElem = made.get(key);
    if (byElem === undefined) made.set(key, (byElem = new WeakMap()));
    let t = byElem.get(elem);
    if (t === undefined) byElem.set(elem, (t = new MapType(key, elem)));
    return t;
  }

  readonly key: AnyType;
  readonly elem: AnyType;
  /** The key is stored in its own heap block; the slot holds its offset. */
  readonly indirectKey: boolean;
  /** The elem is stored in its own heap block; the slot holds its offset. */
  readonly indirectElem: boolean;
  /** Bytes of one key slot. */
  readonly keySlot: number;
  /** Bytes of one elem slot. */
  readonly elemSlot: number;
  /** elemSlot in u32 words (slotWords), 0 when it is not a whole number of them. */
  readonly elemWords: number;
  /** Offset of elems[0] in a bucket. */
  readonly elemsOffset: number;
  /** Offset of the overflow link in a bucket. */
  readonly overflowOffset: number;
  /** Bytes of one bucket. */
  readonly bucketSize: number;
  /** k == k for every key (false for float keys: NaN). */
  readonly reflexiveKey: boolean;
  /** An overwrite stores the new key's bytes (floats, where -0 may replace +0). */
  readonly needKeyUpdate: boolean;
  /** Keys or elems own heap memory that delete and clear must free. */
  readonly ownsMemory: boolean;

  constructor(key: AnyType, elem: AnyType) {
    this.key = key;
    this.elem = elem;
    this.indirectKey = key.size > Bucket.maxKeySize;
    this.indirectElem = elem.size > Bucket.maxElemSize;
    this.keySlot = keySlotOf(key);
    this.elemSlot = this.indirectElem ? 8 : elem.size;
    this.elemWords = slotWords(this.elemSlot);
    this.elemsOffset = Bucket.dataOffset + Bucket.cnt * this.keySlot;
    this.overflowOffset = this.elemsOffset + Bucket.cnt * this.elemSlot;
    this.bucketSize = this.overflowOffset + 8;
    this.reflexiveKey = key.reflexive;
    // A string key overwritten by an equal string keeps the same bytes, so only keys whose
    // equal values can differ in bits (floats, and structs holding them) are rewritten.
    this.needKeyUpdate = key.needKeyUpdate && !key.reflexive;
    this.ownsMemory = key.ownsMemory || elem.ownsMemory || this.indirectKey || this.indirectElem;
  }
}
