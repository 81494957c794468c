// float32 and float64: Go's IEEE 754 floats, stored in their natural width and alignment.
//
// Go's == on floats is not JS's Object.is, and not Map's SameValueZero either:
// - +0 == -0, so they are one key; they hash alike (hashF32/hashF64 hash every zero as 0).
// - NaN != NaN, so a NaN key never finds itself: every m[NaN] = v adds an entry, and a NaN's
//   hash is random (hashAt of a stored NaN too), which spreads NaN keys over the buckets.
// Hence reflexive is false (k == k fails for NaN) and needKeyUpdate is true (an overwrite of
// +0 with -0 stores -0, as Go's mapassign does).
//
// Invariants: any JS number is accepted (NaN and infinities included). float32 stores
// Math.fround(v), and hashes and compares the rounded value, so hash(v) agrees with hashAt of
// what write(v) stored. read returns the stored number, -0 and NaN included.
import { hashF32, hashF64 } from "../hash/hash.js";
import { View } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";
import { wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

export class Float32Type implements GoType<number> {
  readonly kind = "f32";
  readonly name = "float32";
  readonly size = 4;
  readonly align = 4;
  readonly reflexive = false;
  readonly needKeyUpdate = true;
  readonly ownsMemory = false;
  readonly heapViews = View.f32;

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number") throw wrongKind(v, "float32", what);
  }
  hash(v: number, seed: number): number {
    return hashF32(Math.fround(v), seed);
  }
  hashAt(heap: Heap, off: number, seed: number): number {
    return hashF32(heap.f32[off >>> 2], seed);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.f32[off >>> 2] === Math.fround(v);
  }
  equalAt(heap: Heap, a: number, b: number): boolean {
    const f32 = heap.f32;
    return f32[a >>> 2] === f32[b >>> 2];
  }
  write(heap: Heap, off: number, v: number): void {
    heap.f32[off >>> 2] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.f32[off >>> 2];
  }
  release(heap: Heap, off: number): void {
    heap.u32[off >>> 2] = 0;
  }
  zero(): number {
    return 0;
  }
}

export class Float64Type implements GoType<number> {
  readonly kind = "f64";
  readonly name = "float64";
  readonly size = 8;
  readonly align = 8;
  readonly reflexive = false;
  readonly needKeyUpdate = true;
  readonly ownsMemory = false;
  readonly heapViews = View.f64;

  check(v: unknown, what?: string): asserts v is number {
    if (typeof v !== "number") throw wrongKind(v, "float64", what);
  }
  hash(v: number, seed: number): number {
    return hashF64(v, seed);
  }
  hashAt(heap: Heap, off: number, seed: number): number {
    return hashF64(heap.f64[off >>> 3], seed);
  }
  equal(heap: Heap, off: number, v: number): boolean {
    return heap.f64[off >>> 3] === v;
  }
  equalAt(heap: Heap, a: number, b: number): boolean {
    const f64 = heap.f64;
    return f64[a >>> 3] === f64[b >>> 3];
  }
  write(heap: Heap, off: number, v: number): void {
    heap.f64[off >>> 3] = v;
  }
  read(heap: Heap, off: number): number {
    return heap.f64[off >>> 3];
  }
  release(heap: Heap, off: number): void {
    const u32 = heap.u32;
    const i = off >>> 2;
    u32[i] = 0;
    u32[i + 1] = 0;
  }
  zero(): number {
    return 0;
  }
}

/** Go's float32. */
export const f32: Float32Type = new Float32Type();
/** Go's float64. */
export const f64: Float64Type = new Float64Type();
