// Shared helpers of the type-descriptor tests: a heap, slots in it, and hashes as (lo, hi).
import { hashOut } from "../../src/hash/hash.js";
import { Heap } from "../../src/memory/heap.js";
import type { AnyType } from "../../src/types/type.js";

/** A fresh heap. */
export function newHeap(maxBytes?: number): Heap {
  return Heap.create(maxBytes === undefined ? {} : { maxBytes });
}

/** A zeroed slot for one value of t (heap blocks are 8-aligned, enough for every type). */
export function slot(heap: Heap, t: AnyType): number {
  return heap.alloc(t.size);
}

/** Checks v, stores it in a new slot, and returns the slot. */
export function store(heap: Heap, t: AnyType, v: unknown): number {
  t.check(v);
  const off = slot(heap, t);
  t.write(heap, off, v);
  return off;
}

/** t.hash(v, seed) as [lo, hi]. */
export function hashOf(t: AnyType, v: unknown, seed: number): [number, number] {
  const lo = t.hash(v, seed);
  return [lo, hashOut.hi];
}

/** t.hashAt(heap, off, seed) as [lo, hi]. */
export function hashAtOf(t: AnyType, heap: Heap, off: number, seed: number): [number, number] {
  const lo = t.hashAt(heap, off, seed);
  return [lo, hashOut.hi];
}

/** Runs f and returns what it threw (fails if it did not throw). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

/** A hash function's result as [lo, hi]: pair(hash32(w, seed)). */
export function pair(lo: number): [number, number] {
  return [lo, hashOut.hi];
}

/** s with RegExp syntax escaped, to match it literally inside a pattern. */
export function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** t.check(v, what) through an annotated name (TS requires one to call an assertion). */
export function check(t: AnyType, v: unknown, what?: string): void {
  t.check(v, what);
}
