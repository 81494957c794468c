// The fixed-width integers up to 32 bits: int8, int16, int32, uint8, uint16, uint32.
//
// Each is one class with one singleton, so a call through a map's key type stays monomorphic.
// What a width's signed and unsigned types share (hashing, comparing and clearing the stored
// bytes) lives in one base class a width. A value is stored in its natural width at a slot
// aligned to that width (1, 2 or 4 bytes), signed types in two's complement, as Go stores them.
//
// Invariants:
// - Only a JS `number` holding an integer in the type's range is accepted (TypeError for other
//   kinds, bigint included; RangeError for NaN, infinities, fractions and out-of-range values).
//   -0 is accepted as 0: it is the same integer.
// - hash(v) hashes exactly the bytes write(v) stores, widened to a word with zero upper bits:
//   int8 -1 is stored as 0xff and hashed as the word 0x000000ff. So hashAt reads the stored
//   bytes unsigned and the two agree without sign handling on the stored side.
// - equal is numeric equality of the stored value with v, read with the type's own view.
import { hash32 } from "../hash/hash.js";
import { View } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";
import { notInteger, outOfRange, wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

/** The error for a number an integer type rejected: a fraction/NaN/infinity, or out of range. */
function badInt(v: number, type: string, what: string | undefined): RangeError {
  return Number.isInteger(v) ? outOfRange(v, type, what) : notInteger(v, type, what);
}

/** What every integer type of up to 32 bits shares: the flags, the zero value, the errors. */
abstract class SmallInt {
  abstract readonly name: string;
  readonly reflexive = true;
  readonly needKeyUpdate = false;
  readonly ownsMemory = false;
  readonly heapViews: number = 0;

  zero(): number {
    return 0;
  }

  /** The error for v, which is not a number in range. */
  protected reject(v: unknown, what: string | undefined): never {
    if (typeof v !== "number") throw wrongKind(v, this.name, what);
    throw badInt(v, this.name, what);
  }
}

/** 8-bit integers: the stored byte is hashed, compared and cleared unsigned. */
abstract class Width8 extends SmallInt {
  readonly size = 1;
  readonly align = 1;

  hash(v: number, seed: number): number {
    return hash32(v & 0xff, seed);
  }
  hashAt(heap: Heap, off: number, seed: number): number {
    return hash32(heap.u8[off], seed);
  }
  equalAt(heap: Heap, a: number, b: number): boolean {
    const u8 = heap.u8;
    return u8[a] === u8[b];
  }
  release(heap: Heap, off: number): void {
    heap.u8[off] = 0;
  }
}

/** 16-bit integers: the stored halfword is hashed, compared and cleared unsigned. */
abstract class Width16 extends SmallInt {
  readonly size = 2;
  readonly align = 2;

  hash(v: number, seed: number): number {
    return hash32(v & 0xffff, seed);
  }
  hashAt(heap: Heap, off: number, seed: number): number {
    return hash32(heap.u16[off >>> 1], seed);
  }
  equalAt(heap: Heap, a: number, b: number): boolean {
    const u16 = heap.u16;
    return u16[a >>> 1] === u16[b >>> 1];
  }
  release(heap: Heap, off: number): void {
    heap.u16[off >>> 1] = 0;
  }
}

/** 32-bit integers: the stored word is hashed, compared and cleared unsigned. */
abstract class Width32 extends SmallInt {
  readonly size = 4;
  readonly align = 4;

  hash(v: number, seed: number): number {
    // hash32 mixes with Math.imul, which reads -1 and 0xffffffff as the same word.
    return hash32(v, seed);
  }
  hashAt(heap: Heap, off: number, seed: number): number {
    return hash32(heap.u32[off >>> 2], seed);
  }
  equalAt(heap: Heap, a: number, b: number): boolean {
    const u32 = heap.u32;
    return u32[a >>> 2] === u32[b >>> 2];
  }
  release(heap: Heap, off: number): void {
    heap.u32[off >>> 2] = 0;
  }
}

export class Int8Type extends Width8 implements GoType<number> {
  readonly kind = "i8";
  readonly name = "int8";
  override readonly heapViews = View.i8;

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || (v << 24) >> 24 !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.i8[off] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.i8[off] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.i8[off];
  }
}

export class Uint8Type extends Width8 implements GoType<number> {
  readonly kind = "u8";
  readonly name = "uint8";

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || (v & 0xff) !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.u8[off] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.u8[off] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.u8[off];
  }
}

export class Int16Type extends Width16 implements GoType<number> {
  readonly kind = "i16";
  readonly name = "int16";
  override readonly heapViews = View.i16;

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || (v << 16) >> 16 !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.i16[off >>> 1] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.i16[off >>> 1] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.i16[off >>> 1];
  }
}

export class Uint16Type extends Width16 implements GoType<number> {
  readonly kind = "u16";
  readonly name = "uint16";

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || (v & 0xffff) !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.u16[off >>> 1] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.u16[off >>> 1] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.u16[off >>> 1];
  }
}

export class Int32Type extends Width32 implements GoType<number> {
  readonly kind = "i32";
  readonly name = "int32";

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || (v | 0) !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.i32[off >>> 2] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.i32[off >>> 2] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.i32[off >>> 2];
  }
}

export class Uint32Type extends Width32 implements GoType<number> {
  readonly kind = "u32";
  readonly name = "uint32";

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number" || v >>> 0 !== v) this.reject(v, what);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.u32[off >>> 2] === v;
  }
  write(heap: Heap, off: number, v: number): void {
    heap.u32[off >>> 2] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.u32[off >>> 2];
  }
}

/** Go's int8. */
export const i8: Int8Type = new Int8Type();
/** Go's int16. */
export const i16: Int16Type = new Int16Type();
/** Go's int32. */
export const i32: Int32Type = new Int32Type();
/** Go's uint8 (byte). */
export const u8: Uint8Type = new Uint8Type();
/** Go's uint16. */
export const u16: Uint16Type = new Uint16Type();
/** Go's uint32. */
export const u32: Uint32Type = new Uint32Type();
