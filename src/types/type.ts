// The type descriptor: what the runtime knows of a key or value type, as Go's maptype and
// its alg functions tell the runtime about K and V.
//
// A descriptor turns a JS value into bytes in the heap and back, hashes it, and compares a
// stored key with a JS value using Go's ==. The runtime (src/runtime) sees only this
// interface; it never looks at JS values itself.
//
// Invariants every descriptor keeps:
// - size is a multiple of align; align is 1, 2, 4 or 8. A slot of `size` bytes at an offset
//   that is a multiple of `align` holds one value.
// - hash(v, seed) and hashAt(heap, off, seed) agree for a stored v: both return lo and leave
//   hi in hashOut.hi (src/hash/hash.ts).
// - equal(heap, off, v) is Go's == between the stored value and v: +0 == -0, NaN != NaN,
//   strings and byte arrays by content, structs field by field.
// - check(v) throws TypeError (wrong kind of value) or RangeError (out of range) naming the
//   expected type, and is called before anything is written; write() assumes a checked value.
// - write() into a slot that already holds a value replaces it: it allocates what the new
//   value needs first, and only then releases what the old one owned, so a failed allocation
//   (HeapExhaustedError) leaves the old value in place. A zeroed slot holds the zero value.
// - release() frees the heap memory a stored value owns (string bytes) and zeroes the slot.
import { View } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";

export type Kind =
  | "bool"
  | "i8"
  | "i16"
  | "i32"
  | "i64"
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "f32"
  | "f64"
  | "string"
  | "bytes"
  | "struct";

/** A type gomap can store as a key or a value. `T` is what reads give back; `In` what writes accept. */
export interface GoType<T, In = T> {
  readonly kind: Kind;
  /** Go-like spelling, used in error messages: "uint32", "string", "[16]byte", "struct{...}". */
  readonly name: string;
  /** Bytes one value occupies in a slot. */
  readonly size: number;
  /** Alignment of a slot, in bytes. */
  readonly align: number;
  /** k == k holds for every k (false for floats and structs that contain them). */
  readonly reflexive: boolean;
  /** An overwrite must store the new key (floats: -0 replaces +0; strings). */
  readonly needKeyUpdate: boolean;
  /** Stored values own heap memory (string bytes) that release() must free. */
  readonly ownsMemory: boolean;
  /**
   * Which of the heap's optional views (memory/heap.ts View: i8, i16, f32, f64) the methods
   * below read; a descriptor without it may read any.
   */
  readonly heapViews?: number;

  /**
   * Throws TypeError/RangeError naming the expected type unless v is a valid In. `what` names
   * the value's role for the message ("key", "value"; struct fields append ".field"), so a
   * bad map value is not reported as a bad key; without it the message names no role.
   */
  check(v: unknown, what?: string): asserts v is In;
  /** Hash of a checked value: returns lo; hi is in hashOut.hi. */
  hash(v: In, seed: number): number;
  /** Hash of the value stored at `off`; equal to hash() of the same value. */
  hashAt(heap: Heap, off: number, seed: number): number;
  /** Go's == between the stored value at `off` and v. */
  equal(heap: Heap, off: number, v: In): boolean;
  /** Go's == between two stored values. */
  equalAt(heap: Heap, a: number, b: number): boolean;
  /** Stores a checked value at `off` (see the replacement rule above). */
  write(heap: Heap, off: number, v: In): void;
  /** A fresh JS value read from `off` (a copy: changing it does not change the map). */
  read(heap: Heap, off: number): T;
  /** Frees what the stored value owns and zeroes the slot. */
  release(heap: Heap, off: number): void;
  /** The zero value, as Go's zero value of the type. */
  zero(): T;
}

/** Any descriptor, whatever it reads and writes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyType = GoType<any, any>;

/** What reads of a descriptor give back. */
export type Out<D> = D extends GoType<infer T, unknown> ? T : never;
/** What writes to a descriptor accept. */
export type In<D> = D extends GoType<unknown, infer I> ? I : never;

/**
 * Refuses a map's key or value type argument that is not a descriptor (`"u32"` for `t.u32`, a
 * forgotten value type), with a TypeError saying what was expected, before anything is built.
 */
export function checkTypeArgs(keyType: unknown, valueType: unknown): void {
  for (const [what, x] of [["key", keyType], ["value", valueType]] as const) {
    if (!isGoType(x)) {
      const got = typeof x === "string" ? JSON.stringify(x) : x === null ? "null" : typeof x;
      throw new TypeError(`gomap: the ${what} type must be a gomap type (types.u32, types.string...), got ${got}`);
    }
  }
}

/** The optional heap views a map of key type k and value type v reads (GoType.heapViews). */
export function viewsOf(k: AnyType, v: AnyType): number {
  return (k.heapViews ?? View.all) | (v.heapViews ?? View.all);
}

/** Whether x looks like a descriptor: the members the runtime calls are all there. */
export function isGoType(x: unknown): x is AnyType {
  if (typeof x !== "object" || x === null) return false;
  const t = x as Partial<Record<keyof AnyType, unknown>>;
  return (
    typeof t.kind === "string" &&
    typeof t.name === "string" &&
    typeof t.size === "number" &&
    typeof t.align === "number" &&
    typeof t.check === "function" &&
    typeof t.hash === "function" &&
    typeof t.hashAt === "function" &&
    typeof t.equal === "function" &&
    typeof t.equalAt === "function" &&
    typeof t.write === "function" &&
    typeof t.read === "function" &&
    typeof t.release === "function" &&
    typeof t.zero === "function"
  );
}
