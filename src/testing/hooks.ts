// The one door tests use into gomap's internals (STYLE: tests reach internals through one
// typed test-hooks module, never `as any`). Not exported from the package's index.
//
// - hmapOf(m): the runtime handle of a GoMap (null for a nil map).
// - checkInvariants(m): runtime/debug.ts's whole-map checks.
// - hashedBy(keyType, fn): a copy of a key type whose hash is fn(key), a 64-bit bigint. The
//   runtime specialises for it like any key type, so a test can force collisions (fn = () => 0n)
//   or replay hashes recorded from real Go.
// - rangeFrom(m, startBucket, offset): an iteration from a chosen start (the fidelity harness
//   replays Go's); setHash0(m, seed): sets the seed, as Go tests do through unsafe.
import { GoMap } from "../gomap.js";
import { hashOut } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { checkInvariants as checkHMap } from "../runtime/debug.js";
import type { HMap } from "../runtime/hmap.js";
import { Hiter, mapiternext, mapiterstart } from "../runtime/iterate.js";
import { Hmap32 } from "../runtime/layout.js";
import type { GoType } from "../types/type.js";

export function hmapOf(m: GoMap<unknown, unknown, unknown, unknown>): HMap | null {
  return GoMap.hmapOf(m);
}

export function checkInvariants(m: GoMap<unknown, unknown, unknown, unknown>): void {
  const h = GoMap.hmapOf(m);
  if (h !== null) checkHMap(h);
}

/**
 * A key type like `base` whose 64-bit hash of a key is fn(key), whatever the seed. fn must be
 * a function of the key, as every hash is: it may throw for a key (a write of that key then
 * changes nothing), but then always for that key, so never for a key already in the map.
 * evacuate rehashes stored keys and moves each in the same pass, which that allows.
 */
export function hashedBy<T, In>(base: GoType<T, In>, fn: (key: In) => bigint): GoType<T, In> {
  const split = (h: bigint): number => {
    hashOut.hi = Number((h >> 32n) & 0xffffffffn);
    return Number(h & 0xffffffffn);
  };
  const wrapped: GoType<T, In> = Object.create(base);
  Object.defineProperties(wrapped, {
    name: { value: `${base.name}(hashed by test)` },
    hash: { value: (v: In) => split(fn(v)) },
    hashAt: { value: (heap: Heap, off: number) => split(fn(base.read(heap, off) as unknown as In)) },
  });
  return wrapped;
}

/**
 * Ranges over m from a chosen start bucket and slot offset (Go's hiter.startBucket and
 * offset) instead of random ones: yields each entry's [key, value] as `for k, v := range m`
 * would; the loop body may set and delete entries, as Go's may.
 */
export function* rangeFrom<K, V>(m: GoMap<K, V, unknown, unknown>, startBucket: number, offset: number): Generator<[K, V]> {
  const h = GoMap.hmapOf(m as GoMap<unknown, unknown, unknown, unknown>);
  if (h === null) return;
  const it = new Hiter(h);
  if (!mapiterstart(it, startBucket, offset)) return;
  try {
    while (mapiternext(it)) yield [m.keyType.read(h.heap, it.keyOff), m.valueType.read(h.heap, it.elemOff)];
  } finally {
    it.finish();
  }
}

/** Sets m's hash seed (Go's hash0), as a Go test sets it through unsafe while the map is empty. */
export function setHash0(m: GoMap<unknown, unknown, unknown, unknown>, seed: number): void {
  const h = GoMap.hmapOf(m);
  if (h !== null) h.heap.u32[Hmap32.hash0] = seed;
}
