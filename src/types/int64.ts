// int64 and uint64: Go's 64-bit integers, stored as two little-endian u32 words.
//
//   off      off+4    off+8
//   +--------+--------+
//   |   lo   |   hi   |      value = hi * 2^32 + lo; signed types read hi as int32
//   +--------+--------+      (two's complement across the 64 bits, as Go stores int64)
//
// t.i64 and t.u64 take a safe-integer `number` or any `bigint` in range and read `bigint`
// (every value round-trips). t.i64.asNumber and t.u64.asNumber share their layout and hash,
// take safe integers alone (as number or bigint) and read `number`; a RangeError meets a value
// beyond Number.MAX_SAFE_INTEGER given to one, or read through one from a map another type
// (t.i64/t.u64, a snapshot, Go) filled.
//
// Invariants:
// - hash(v) = hash64(lo, hi, seed) with the words write(v) stores, so hashAt agrees.
// - A number input never touches BigInt: split() takes lo from ToUint32 (which is the value
//   modulo 2^32, so two's complement for negatives) and hi from floor(v / 2^32), both exact
//   for safe integers. A bigint inside the safe range takes the same path after Number().
// - equal compares words, so 5 and 5n are the same key.
import { hash64 } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { notInteger, notNumber, notSafe, notSafeForNumber, outOfRange, show, wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

const TWO32 = 4294967296;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;
const MAX_U64 = (1n << 64n) - 1n;
/** |hi| below this (as a signed word) means hi * 2^32 + lo is computed exactly in a double. */
const HI_SAFE = 0x200000;

// split() leaves a value's two words here: module state, so hashing allocates nothing. They
// are kept as int32 (the same 32 bits as the unsigned word): a module variable holds a tagged
// value, and a uint32 past 2^31 would be a new heap number at every split, written with a
// write barrier (u64 lookups of keys spread over the u32 range: 41-45 ns against 38-39).
// equal() compares them through the heap's int32 view; hash64 and Uint32Array stores see the
// same bits either way.
let wLo = 0;
let wHi = 0;

/** The two words of a checked 64-bit integer, into wLo/wHi. */
function split(v: number | bigint): void {
  if (typeof v === "number") {
    wLo = v | 0;
    wHi = Math.floor(v / TWO32) | 0;
  } else if (v >= MIN_SAFE_BIG && v <= MAX_SAFE_BIG) {
    const n = Number(v);
    wLo = n | 0;
    wHi = Math.floor(n / TWO32) | 0;
  } else {
    wLo = Number(BigInt.asIntN(32, v));
    wHi = Number(BigInt.asIntN(32, v >> 32n));
  }
}

/** The stored words at `off` as a signed bigint. */
function readI64(u32: Uint32Array, i: number): bigint {
  const lo = u32[i];
  const hi = u32[i + 1] | 0;
  if (hi >= -HI_SAFE && hi < HI_SAFE) return BigInt(hi * TWO32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

/** The stored words at `off` as an unsigned bigint. */
function readU64(u32: Uint32Array, i: number): bigint {
  const lo = u32[i];
  const hi = u32[i + 1];
  if (hi < HI_SAFE) return BigInt(hi * TWO32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Layout, checks, hash and equality shared by both read flavours. */
abstract class Word64Type<T extends number | bigint> implements GoType<T, number | bigint> {
  abstract readonly kind: "i64" | "u64";
  abstract readonly name: string;
  readonly size = 8;
  readonly align = 8;
  readonly reflexive = true;
  readonly needKeyUpdate = false;
  readonly ownsMemory = false;
  readonly heapViews = 0;
  /** Whether the high word is read as signed. */
  abstract readonly signed: boolean;

  check(v: unknown, what?: string): asserts v is number | bigint {
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) {
        if (!Number.isInteger(v)) throw notInteger(v, this.name, what);
        throw this.unsafe(v, what);
      }
      if (!this.signed && v < 0) throw outOfRange(v, this.name, what);
      return;
    }
    if (typeof v === "bigint") {
      if (this.signed ? v < MIN_I64 || v > MAX_I64 : v < 0n || v > MAX_U64) throw outOfRange(v, this.name, what);
      return;
    }
    throw wrongKind(v, this.name, what);
  }

  /** The error for an integer number past 2^53 (cold: only ever called to throw). */
  protected unsafe(v: number, what: string | undefined): RangeError {
    return notSafe(v, this.name, what);
  }

  hash(v: number | bigint, seed: number): number {
    split(v);
    return hash64(wLo, wHi, seed);
  }

  hashAt(heap: Heap, off: number, seed: number): number {
    const u32 = heap.u32;
    const i = off >>> 2;
    return hash64(u32[i], u32[i + 1], seed);
  }

  equal(heap: Heap, off: number, v: number | bigint): boolean {
    split(v);
    const i32 = heap.i32;
    const i = off >>> 2;
    return i32[i] === wLo && i32[i + 1] === wHi;
  }

  equalAt(heap: Heap, a: number, b: number): boolean {
    const u32 = heap.u32;
    const i = a >>> 2;
    const j = b >>> 2;
    return u32[i] === u32[j] && u32[i + 1] === u32[j + 1];
  }

  write(heap: Heap, off: number, v: number | bigint): void {
    split(v);
    const u32 = heap.u32;
    const i = off >>> 2;
    u32[i] = wLo;
    u32[i + 1] = wHi;
  }

  release(heap: Heap, off: number): void {
    const u32 = heap.u32;
    const i = off >>> 2;
    u32[i] = 0;
    u32[i + 1] = 0;
  }

  abstract read(heap: Heap, off: number): T;
  abstract zero(): T;
}

/** int64/uint64 read as `number`: throws RangeError on reading a value beyond 2^53 - 1. */
export class Word64NumberType extends Word64Type<number> {
  readonly kind: "i64" | "u64";
  readonly name: string;
  readonly signed: boolean;

  constructor(signed: boolean) {
    super();
    this.kind = signed ? "i64" : "u64";
    this.name = signed ? "int64" : "uint64";
    this.signed = signed;
  }

  /**
   * As every 64-bit type checks, and a bigint must be a safe integer too: this type reads
   * numbers, so a value past 2^53 stored through it could never be read back (its get, keys()
   * and for..of would throw on it).
   */
  override check(v: unknown, what?: string): asserts v is number | bigint {
    super.check(v, what);
    if (typeof v === "bigint" && (v > MAX_SAFE_BIG || v < MIN_SAFE_BIG)) throw notNumber(v, this.kind, what);
  }

  /** Not "pass a bigint", as the bigint flavour says: this type refuses those past 2^53 too. */
  protected override unsafe(v: number, what: string | undefined): RangeError {
    return notSafeForNumber(v, this.name, this.kind, what);
  }

  read(heap: Heap, off: number): number {
    const u32 = heap.u32;
    const i = off >>> 2;
    const lo = u32[i];
    const hi = this.signed ? u32[i + 1] | 0 : u32[i + 1];
    if (hi >= -HI_SAFE && hi < HI_SAFE) {
      const n = hi * TWO32 + lo;
      if (Number.isSafeInteger(n)) return n;
    }
    const big = this.signed ? readI64(u32, i) : readU64(u32, i);
    throw new RangeError(
      `gomap: stored ${this.name} ${show(big)} is not a safe integer; read it with t.${this.kind} to get a bigint`,
    );
  }

  zero(): number {
    return 0;
  }
}

/** int64/uint64 read as `bigint`; `asNumber` is the same type read as `number`. */
export class Word64BigIntType extends Word64Type<bigint> {
  readonly kind: "i64" | "u64";
  readonly name: string;
  readonly signed: boolean;
  /** The same type (layout, hash, accepted inputs), read as `number`. */
  readonly asNumber: Word64NumberType;

  constructor(signed: boolean) {
    super();
    this.kind = signed ? "i64" : "u64";
    this.name = signed ? "int64" : "uint64";
    this.signed = signed;
    this.asNumber = new Word64NumberType(signed);
  }

  read(heap: Heap, off: number): bigint {
    return this.signed ? readI64(heap.u32, off >>> 2) : readU64(heap.u32, off >>> 2);
  }

  zero(): bigint {
    return 0n;
  }
}

/** Go's int64, read as bigint; t.i64.asNumber reads number. */
export const i64: Word64BigIntType = new Word64BigIntType(true);
/** Go's uint64, read as bigint; t.u64.asNumber reads number. */
export const u64: Word64BigIntType = new Word64BigIntType(false);
