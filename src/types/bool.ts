// bool: Go's bool, one byte holding 0 (false) or 1 (true).
//
// Invariants: a stored bool is exactly 0 or 1 (a zeroed slot is false), so hashAt can hash the
// byte as it is and agree with hash(v), which hashes 0 or 1 widened to a word. Only the JS
// values true and false are accepted: Go has no truthiness, and 1 or "yes" is a wrong kind.
import { hash32 } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

export class BoolType implements GoType<boolean> {
  readonly kind = "bool";
  readonly name = "bool";
  readonly size = 1;
  readonly align = 1;
  readonly reflexive = true;
  readonly needKeyUpdate = false;
  readonly ownsMemory = false;
  readonly heapViews = 0;

  check(v: unknown, what?: string): asserts v is boolean {
    if (v !== true && v !== false) throw wrongKind(v, "bool", what);
  }

  hash(v: boolean, seed: number): number {
    return hash32(v ? 1 : 0, seed);
  }

  hashAt(heap: Heap, off: number, seed: number): number {
    return hash32(heap.u8[off], seed);
  }

  equal(heap: Heap, off: number, v: boolean): boolean {
    return (heap.u8[off] !== 0) === v;
  }

  equalAt(heap: Heap, a: number, b: number): boolean {
    const u8 = heap.u8;
    return u8[a] === u8[b];
  }

  write(heap: Heap, off: number, v: boolean): void {
    heap.u8[off] = v ? 1 : 0;
  }

  read(heap: Heap, off: number): boolean {
    return heap.u8[off] !== 0;
  }

  release(heap: Heap, off: number): void {
    heap.u8[off] = 0;
  }

  zero(): boolean {
    return false;
  }
}

/** Go's bool. */
export const bool: BoolType = new BoolType();
