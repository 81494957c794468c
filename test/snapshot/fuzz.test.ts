// Fuzzing snapshot loads (fast-check, fixed seeds; FUZZ_RUNS_FACTOR=n runs n times more,
// FUZZ_SEED=s replays a seed). Three properties over snapshots of several map types, one of
// them saved mid-growth:
//
// 1. Damage with the checksum left as it was (bit flips, truncations, splices, duplicated
//    ranges): every load throws SnapshotError. Nothing else: no other exception, no map.
// 2. A structural field set to a chosen value with the checksum recomputed (heap header,
//    hmap header, a tophash byte, an overflow link, a string header word): the load throws
//    SnapshotError, or gives a map that passes checkInvariants and answers like the
//    original for every key, and keeps doing so through later writes.
// 3. Any bytes replaced with the checksum recomputed (keys and values included, which no
//    check can tell from real data): the load throws SnapshotError, or gives a map that is
//    consistent with itself (checkInvariants; every entry iteration shows is found by get
//    with that value; size counts them) and then behaves like a Map model seeded with its
//    entries through a run of sets, deletes and gets.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { SnapshotError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { seedFastrand } from "../../src/hash/rand.js";
import { HEADER_BYTES, pad16 } from "../../src/snapshot/format.js";
import { Bucket, Hmap } from "../../src/runtime/layout.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { assertSameMap, canon, reseal, specs } from "./helpers.js";
import type { AnyMap, Spec } from "./helpers.js";

const factor = Number(process.env.FUZZ_RUNS_FACTOR ?? 1);
const seed = process.env.FUZZ_SEED === undefined ? 20261122 : Number(process.env.FUZZ_SEED);
const params = (runs: number): fc.Parameters<unknown> => ({ numRuns: runs * factor, seed, endOnFailure: true });

seedFastrand(seed);

interface Base {
  name: string;
  spec: Spec;
  map: AnyMap;
  bytes: Uint8Array;
  /** Byte offset of the heap section in bytes. */
  heapAt: number;
  /** Heap offsets (of u32 words) that hold structure, not key or value data. */
  structural: number[];
}

/** A map of spec's type: n entries from index 0, every third deleted; `grow` stops mid-doubling. */
function makeBase(name: string, spec: Spec, n: number, grow: boolean): Base {
  const m = GoMap.make(spec.keyType, spec.valueType) as AnyMap;
  let i = 0;
  for (; i < n || (grow && !(m.inspect().growing && m.inspect().nevacuate > 0)); i++) m.set(spec.key(i), spec.value(i));
  for (let j = 0; j < i; j += 3) if (!grow) m.delete(spec.key(j));
  const bytes = m.toBytes();
  const dv = new DataView(bytes.buffer);
  const heapAt = HEADER_BYTES + pad16(dv.getUint32(16, true) + dv.getUint32(20, true));
  return { name, spec, map: m, bytes, heapAt, structural: structuralWords(m) };
}

/** The words of the heap header, the hmap, every bucket's tophash and link, and string headers. */
function structuralWords(m: AnyMap): number[] {
  const h = hmapOf(m)!;
  const t0 = h.t;
  const out: number[] = [];
  for (let w = 0; w < (Hmap.count + Hmap.size) >>> 2; w++) out.push(w * 4);
  const arrays = [h.buckets, h.oldbuckets].filter((a) => a !== 0);
  for (const a of arrays) {
    const n = h.heap.sizeOf(a) / t0.bucketSize;
    for (let j = 0; j < n; j++) {
      const b = a + j * t0.bucketSize;
      out.push(b, b + 4, b + t0.overflowOffset, b + t0.overflowOffset + 4);
      if (t0.key.kind === "string") for (let s = 0; s < Bucket.cnt; s++) for (let w = 0; w < 4; w++) out.push(b + Bucket.dataOffset + s * 16 + w * 4);
    }
  }
  return out;
}

const stringSpec = specs[1];
const bases: Base[] = [
  makeBase("u32->u32 mid-growth", specs[0], 60, true),
  makeBase("string->string", stringSpec, 150, false),
  makeBase("struct->bytes(16)", specs[4], 60, false),
  makeBase("f64->struct", specs[3], 40, false),
];
// A NaN key in the float map: iteration shows it, get never finds it.
bases[3].map.set(NaN, { id: 1, name: "nan", ok: true });
bases[3].bytes = bases[3].map.toBytes();

function load(base: Base, bytes: Uint8Array): AnyMap | SnapshotError {
  try {
    return GoMap.fromBytes(bytes, base.spec.keyType, base.spec.valueType) as AnyMap;
  } catch (err) {
    if (err instanceof SnapshotError) return err;
    throw err;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const baseIndex = fc.integer({ min: 0, max: bases.length - 1 });

/** Damage that leaves the checksum stale. */
type Damage =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "cut"; at: number }
  | { kind: "splice"; at: number; remove: number; insert: Uint8Array }
  | { kind: "dup"; at: number; from: number; len: number };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), remove: fc.nat({ max: 64 }), insert: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant("dup" as const), at: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }),
);

function applyDamage(bytes: Uint8Array, d: Damage): Uint8Array {
  const at = d.at % bytes.length;
  switch (d.kind) {
    case "flip": {
      const b = bytes.slice();
      b[at] ^= 1 << d.bit;
      return b;
    }
    case "cut":
      return bytes.slice(0, at);
    case "splice":
      return Uint8Array.from([...bytes.subarray(0, at), ...d.insert, ...bytes.subarray(at + d.remove)]);
    case "dup": {
      const from = d.from % bytes.length;
      const b = bytes.slice();
      b.copyWithin(at, from, from + d.len);
      return b;
    }
  }
}

test("fuzz: damage without a fresh checksum always ends in SnapshotError", () => {
  fc.assert(
    fc.property(baseIndex, damage, (bi, d) => {
      const base = bases[bi];
      const bytes = applyDamage(base.bytes, d);
      const got = load(base, bytes);
      if (sameBytes(bytes, base.bytes)) assert.ok(!(got instanceof SnapshotError));
      else assert.ok(got instanceof SnapshotError, "a damaged snapshot loaded");
    }),
    params(3000),
  );
});

/** The same writes on the original and the loaded map; both then hold the same. */
function writeAlong(base: Base, a: AnyMap, b: AnyMap): void {
  for (let i = 1000; i < 1060; i++) {
    a.set(base.spec.key(i), base.spec.value(i));
    b.set(base.spec.key(i), base.spec.value(i));
    a.delete(base.spec.key(i - 500));
    b.delete(base.spec.key(i - 500));
  }
  assertSameMap(a, b);
}

const values = (orig: number): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(0, 1, 2, 4, 5, 255, 256, 0xffffffff, 0x80000000, orig + 8, orig - 8, orig + 1, orig ^ 0x100), fc.nat({ max: 0xffffffff }));

test("fuzz: a structural field set to any value, checksum recomputed: SnapshotError, or a map that answers like the original", () => {
  fc.assert(
    fc.property(
      baseIndex.chain((bi) =>
        fc.nat({ max: bases[bi].structural.length - 1 }).chain((i) => {
          const off = bases[bi].structural[i];
          const orig = new DataView(bases[bi].bytes.buffer).getUint32(bases[bi].heapAt + off, true);
          return fc.tuple(fc.constant(bi), fc.constant(off), values(orig), fc.boolean());
        }),
      ),
      ([bi, off, value, oneByte]) => {
        const base = bases[bi];
        const bytes = base.bytes.slice();
        const dv = new DataView(bytes.buffer);
        if (oneByte) bytes[base.heapAt + off] = value & 0xff;
        else dv.setUint32(base.heapAt + off, value >>> 0, true);
        const got = load(base, reseal(bytes));
        if (got instanceof SnapshotError) return;
        assertSameMap(base.map, got);
        writeAlong(base, load(base, base.bytes) as AnyMap, got);
      },
    ),
    params(2000),
  );
});

test("fuzz: any bytes replaced, checksum recomputed: SnapshotError, or a map consistent with itself and with a model after", () => {
  const selfSpecs = bases.slice(0, 3); // no float keys: the model compares keys by value
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: selfSpecs.length - 1 }),
      fc.array(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat({ max: 400 })), { maxLength: 60 }),
      (bi, edits, ops) => {
        const base = selfSpecs[bi];
        const bytes = base.bytes.slice();
        const heapLen = bytes.length - 16 - base.heapAt;
        for (const e of edits) bytes.set(e.bytes.subarray(0, Math.max(0, heapLen - (e.at % heapLen))), base.heapAt + (e.at % heapLen));
        const got = load(base, reseal(bytes));
        if (got instanceof SnapshotError) return;
        checkInvariants(got);
        const model = new Map<string, [unknown, unknown]>();
        for (const [k, v] of got) {
          assert.equal(canon(got.get(k)), canon(v));
          model.set(canon(k), [k, v]);
        }
        assert.equal(got.size, model.size);
        for (const [op, i] of ops) {
          const k = base.spec.key(i);
          if (op === 0) {
            got.set(k, base.spec.value(i));
            model.set(canon(k), [k, got.get(k)]);
          } else if (op === 1) {
            assert.equal(got.delete(k), model.delete(canon(k)));
          } else {
            assert.equal(canon(got.get(k)), canon(model.get(canon(k))?.[1]));
          }
        }
        checkInvariants(got);
        assert.equal(got.size, model.size);
        for (const [ck, [k, v]] of model) assert.equal(canon(got.get(k)), canon(v), ck);
      },
    ),
    params(1500),
  );
});

test("fuzz: the bases themselves load and hold what was saved", () => {
  for (const base of bases) {
    const got = load(base, base.bytes);
    assert.ok(!(got instanceof SnapshotError), `${base.name}: ${String(got)}`);
    assertSameMap(base.map, got);
  }
  assert.ok(bases[0].map.inspect().growing, "the first base is saved mid-growth");
});
