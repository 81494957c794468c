// The one door tests use into gomap's internals (STYLE: tests reach internals through one
// typed test-hooks module, never `as any`). Not exported from the package's index.
//
// - hmapOf(m): the runtime handle of a GoMap (null for a nil map).
// - checkInvariants(m): runtime/debug.ts's whole-map checks.
// - hashedBy(keyType, fn): a copy of a key type whose hash is fn(key), a 64-bit bigint. The
//   runtime specialises for it like any key type, so a test can force collisions (fn = () => 0n)
//   or replay hashes recorded from real Go.
import { GoMap } from "../gomap.js";
import { hashOut } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { checkInvariants as checkHMap } from "../runtime/debug.js";
import type { HMap } from "../runtime/hmap.js";
import type { GoType } from "../types/type.js";

export function hmapOf(m: GoMap<unknown, unknown, unknown, unknown>): HMap | null {
  return GoMap.hmapOf(m);
}

export function checkInvariants(m: GoMap<unknown, unknown, unknown, unknown>): void {
  const h = GoMap.hmapOf(m);
  if (h !== null) checkHMap(h);
}

/** A key type like `base` whose 64-bit hash of a key is fn(key), whatever the seed. */
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
