// Key types that hash as Go 1.19 hashes them (a map made with `hash: "go1.19"`).
//
// goHashed(t, hashKey) is a copy of key type t whose hash and hashAt are Go's: the function the
// Go compiler picks for the same Go type (reflectdata.genhash), over Go's portable hash
// (hash/go119.ts). Everything else (size, layout, ==, reading and writing) is t's own.
//
// Go's choice, mirrored by planOf:
// - A type that is plain memory (integers, bool, byte arrays, structs of those without
//   padding) hashes its bytes with one memhash; a zero-size one hashes to the seed.
// - f32/f64 use f32hash/f64hash (±0 alike, NaN at random); a string, strhash of its bytes.
// - Any other struct chains the seed through its fields in order: each maximal run of
//   adjacent plain-memory fields with no padding between them is one memhash (Go's Memrun),
//   every other field uses its own hash. A nested struct that is not plain memory is hashed
//   by its own chain, which is the same as inlining its parts here.
// - A field named "_" is Go's blank field: Go's hash skips it, and a struct holding one is
//   never plain memory (a run stops before it). gomap stores and compares it as any field;
//   Go code can't set one, so its == agrees with Go's only while the field stays zero.
//
// Stored keys are hashed from their bytes in the heap. A JS value is first written into a
// private scratch heap (t.write), hashed there and released, so both hashes agree by
// construction. Made once per (type, key) and cached while anything holds it, so maps that
// share them share the runtime specialised for them; the cache holds its types weakly, since a
// map made without a hashKey draws a random one: a type (with its MapType and kernel) a map.
import { Go119Hash } from "../hash/go119.js";
import { hashOut } from "../hash/hash.js";
import { Heap } from "../memory/heap.js";
import { storedBytes, storedLength } from "./string.js";
import { isStructType } from "./struct.js";
import type { StructType } from "./struct.js";
import type { AnyType, GoType } from "./type.js";

const enum Op {
  mem,
  f32,
  f64,
  str,
}

/** One step of a type's hash: an op over the bytes at `off` (and `len` of them for mem). */
interface Part {
  readonly op: Op;
  readonly off: number;
  readonly len: number;
}

/** Whether Go treats t as plain memory (hashed and compared as its bytes). */
function isPlainMemory(t: AnyType): boolean {
  if (t.kind === "f32" || t.kind === "f64" || t.kind === "string") return false;
  if (!isStructType(t)) return true;
  const n = t.fields.length;
  for (let i = 0; i < n; i++) {
    if (isBlank(t, i) || !isPlainMemory(t.fields[i].type) || isPadded(t, i)) return false;
  }
  return true;
}

/** Whether field i of st is Go's blank field `_`, which Go's hash and == skip. */
function isBlank(st: StructType, i: number): boolean {
  return st.fields[i].name === "_";
}

/** Whether padding follows field i of st (before the next field, or the struct's end). */
function isPadded(st: StructType, i: number): boolean {
  const fs = st.fields;
  const end = fs[i].offset + fs[i].type.size;
  return end < (i + 1 < fs.length ? fs[i + 1].offset : st.size);
}

/** Appends the parts of a value of type t stored at `base` to parts. */
function planOf(t: AnyType, base: number, parts: Part[]): void {
  if (t.kind === "f32") parts.push({ op: Op.f32, off: base, len: 4 });
  else if (t.kind === "f64") parts.push({ op: Op.f64, off: base, len: 8 });
  else if (t.kind === "string") parts.push({ op: Op.str, off: base, len: 0 });
  else if (isPlainMemory(t)) parts.push({ op: Op.mem, off: base, len: t.size });
  else planFields(t as StructType, base, parts);
}

/** genhash's loop over a struct that is not plain memory. */
function planFields(st: StructType, base: number, parts: Part[]): void {
  const fs = st.fields;
  for (let i = 0; i < fs.length; ) {
    if (isBlank(st, i)) {
      i++;
      continue;
    }
    if (!isPlainMemory(fs[i].type)) {
      planOf(fs[i].type, base + fs[i].offset, parts);
      i++;
      continue;
    }
    let next = i + 1;
    while (next < fs.length && !isPadded(st, next - 1) && !isBlank(st, next) && isPlainMemory(fs[next].type)) next++;
    const last = fs[next - 1];
    parts.push({ op: Op.mem, off: base + fs[i].offset, len: last.offset + last.type.size - fs[i].offset });
    i = next;
  }
}

/** The scratch heap JS values are written into to be hashed, and its one slot. */
let scratch: Heap | null = null;
let scratchSlot = 0;
let scratchSize = 0;

function scratchFor(size: number): Heap {
  if (scratch === null) scratch = Heap.create({ initialBytes: 4096 });
  if (size > scratchSize) {
    if (scratchSize > 0) scratch.free(scratchSlot);
    scratchSlot = scratch.alloc(Math.max(size, 8));
    scratchSize = size;
  }
  return scratch;
}

/** Hashes stored values of one type the way Go 1.19 does, for one hash key. */
class GoHasher {
  private readonly go: Go119Hash;
  private readonly ops: Int32Array;
  private readonly offs: Int32Array;
  private readonly lens: Int32Array;
  /** The type is zero-size plain memory, or has nothing Go hashes (only blank fields): its hash is the seed. */
  private readonly seedOnly: boolean;

  constructor(t: AnyType, hashKey: bigint) {
    this.go = new Go119Hash(hashKey);
    const parts: Part[] = [];
    planOf(t, 0, parts);
    this.ops = Int32Array.from(parts, (p) => p.op);
    this.offs = Int32Array.from(parts, (p) => p.off);
    this.lens = Int32Array.from(parts, (p) => p.len);
    this.seedOnly = (t.size === 0 && isPlainMemory(t)) || parts.length === 0;
  }

  /** The hash of the value at `off` for a map seed (Go's hash0, zero-extended). */
  hashAt(heap: Heap, off: number, seed: number): number {
    let lo = seed >>> 0;
    let hi = 0;
    if (this.seedOnly) {
      hashOut.hi = 0;
      return lo | 0;
    }
    const u8 = heap.u8;
    const go = this.go;
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) {
      const p = off + this.offs[i];
      const op = ops[i];
      if (op === Op.mem) lo = go.memhash(u8, p, this.lens[i], hi, lo);
      else if (op === Op.str) lo = go.memhash(u8, storedBytes(heap, p), storedLength(heap, p), hi, lo);
      else if (op === Op.f64) lo = go.f64hash(u8, p, hi, lo);
      else lo = go.f32hash(u8, p, hi, lo);
      hi = hashOut.hi >>> 0;
      lo >>>= 0;
    }
    return lo | 0;
  }
}

const cache = new WeakMap<AnyType, Map<bigint, WeakRef<AnyType>>>();
/** Drops a collected type's cache entry (unless another type took its key since). */
const dropped = new FinalizationRegistry<{ byKey: Map<bigint, WeakRef<AnyType>>; key: bigint; ref: WeakRef<AnyType> }>(
  ({ byKey, key, ref }) => {
    if (byKey.get(key) === ref) byKey.delete(key);
  },
);
/** Each Go-hashed type's base type. */
const bases = new WeakMap<AnyType, AnyType>();

/** The type t was made from by goHashed, or t itself (for code that names types, e.g. handles). */
export function baseOf<T, In>(t: GoType<T, In>): GoType<T, In> {
  return (bases.get(t) as GoType<T, In> | undefined) ?? t;
}

/** A copy of key type base that hashes as Go 1.19 does with runtime.hashkey[0] = hashKey. */
export function goHashed<T, In>(base: GoType<T, In>, hashKey: bigint): GoType<T, In> {
  const key = BigInt.asUintN(64, hashKey) | 1n;
  let byKey = cache.get(base);
  if (byKey === undefined) cache.set(base, (byKey = new Map()));
  const hit = byKey.get(key)?.deref();
  if (hit !== undefined) return hit as GoType<T, In>;
  const hasher = new GoHasher(base, key);
  const wrapped: GoType<T, In> = Object.create(base);
  Object.defineProperties(wrapped, {
    name: { value: base.name },
    hash: {
      value(v: In, seed: number): number {
        const heap = scratchFor(base.size);
        const slot = scratchSlot;
        base.write(heap, slot, v);
        try {
          return hasher.hashAt(heap, slot, seed);
        } finally {
          base.release(heap, slot);
        }
      },
    },
    hashAt: { value: (heap: Heap, off: number, seed: number) => hasher.hashAt(heap, off, seed) },
  });
  const ref = new WeakRef<AnyType>(wrapped);
  byKey.set(key, ref);
  dropped.register(wrapped, { byKey, key, ref });
  bases.set(wrapped, base);
  return wrapped;
}
