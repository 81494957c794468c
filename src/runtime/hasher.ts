// Which hash a map's keys use, recorded in its header (layout.ts Hmap.hasher, Hmap.hashKey) so
// that whoever reads the buffer (another worker, a loaded snapshot) hashes as its maker did:
// gomap's own hash (Hasher.gomap), or Go 1.19's portable hash with a given key (Hasher.go119,
// types/gohash.ts). The runtime hashes through the map's key type, so the choice is made by
// picking the key type: the base type, or its Go-hashed copy.
import type { Heap } from "../memory/heap.js";
import { baseOf, goHashed } from "../types/gohash.js";
import type { GoType } from "../types/type.js";
import { Hasher, Hmap32 } from "./layout.js";

/** Records the map's hash in its header: gomap's own (hashKey null) or Go 1.19's with hashKey. */
export function writeHasher(heap: Heap, hashKey: bigint | null): void {
  const u32 = heap.u32;
  u32[Hmap32.hasher] = hashKey === null ? Hasher.gomap : Hasher.go119;
  u32[Hmap32.hashKeyLo] = hashKey === null ? 0 : Number(hashKey & 0xffffffffn);
  u32[Hmap32.hashKeyHi] = hashKey === null ? 0 : Number(hashKey >> 32n);
}

/** What is wrong with the header's hasher fields, or null when they are valid. */
export function hasherProblem(heap: Heap): string | null {
  const u32 = heap.u32;
  const h = u32[Hmap32.hasher];
  if (h === Hasher.gomap) return u32[Hmap32.hashKeyLo] === 0 && u32[Hmap32.hashKeyHi] === 0 ? null : "a hash key without hash go1.19";
  if (h === Hasher.go119) return (u32[Hmap32.hashKeyLo] & 1) === 1 ? null : "an even go1.19 hash key (Go forces it odd)";
  return `unknown hasher ${h}`;
}

/**
 * The key type as the map in `heap` hashes it: kt's base type, or that hashed as Go 1.19 does,
 * as the header says. kt may carry a hash of its own (a GoMap's keyType is Go-hashed when its
 * map is): that is dropped, since the bytes were placed by the header's hash and only it finds them.
 */
export function keyTypeOf<T, In>(heap: Heap, kt: GoType<T, In>): GoType<T, In> {
  const u32 = heap.u32;
  const base = baseOf(kt);
  if (u32[Hmap32.hasher] !== Hasher.go119) return base;
  return goHashed(base, (BigInt(u32[Hmap32.hashKeyHi]) << 32n) | BigInt(u32[Hmap32.hashKeyLo]));
}
