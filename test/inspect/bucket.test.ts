// Tests of src/inspect/bucket.ts (inspect.bucket): a chain read back slot by slot (tophash,
// keys, values, links) for colliding keys; every entry of a map found in exactly one walked
// bucket, mid-growth included (property test against a Map model, fixed seed); old buckets,
// evacuated and not; indirect keys; and the errors for indexes and arrays that aren't there.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { GoMap } from "../../src/gomap.js";
import { inspect } from "../../src/inspect/index.js";
import type { BucketView } from "../../src/inspect/bucket.js";
import { Top, tophash } from "../../src/runtime/layout.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const SEED = Number(process.env.INSPECT_SEED ?? 20261122);

/** Every [key, value] of the chains that hold entries: each new bucket, each old one not evacuated. */
function entriesOf<K, V>(m: GoMap<K, V, unknown, unknown>): [K, V][] {
  const s = m.inspect();
  const views: BucketView<K, V>[] = [];
  for (let i = 0; i < s.buckets; i++) views.push(inspect.bucket(m, i));
  for (let i = 0; i < s.oldBuckets; i++) views.push(inspect.bucket(m, i, { old: true }));
  const out: [K, V][] = [];
  for (const v of views) {
    if (v.evacuated) continue;
    for (const b of v.chain) {
      for (let i = 0; i < 8; i++) {
        const filled = b.tophash[i] >= Top.minTopHash;
        assert.equal(b.keys[i] !== undefined, filled, `key shown iff slot ${i} is filled`);
        assert.equal(b.values[i] !== undefined, filled);
        if (filled) out.push([b.keys[i] as K, b.values[i] as V]);
      }
    }
  }
  return out;
}

test("bucket: colliding keys: one chain of three bmaps, slots in insertion order, links to the next", () => {
  // Low half 0: every key in bucket 0. The high half's top byte is k + 20, so tophash k + 20.
  const kt: GoType<number> = hashedBy(t.u32, (k) => BigInt(k + 20) << 56n);
  const m = GoMap.make(kt, t.string, { hint: 20 }); // B=2
  for (let k = 0; k < 20; k++) m.set(k, `v${k}`);
  const v = inspect.bucket(m, 0);
  assert.equal(v.index, 0);
  assert.equal(v.old, false);
  assert.equal(v.evacuated, false);
  assert.equal(v.chain.length, 3);
  assert.equal(v.chain[0].offset, hmapOf(m as AnyMap)!.buckets);
  for (let j = 0; j < 3; j++) {
    const b = v.chain[j];
    assert.equal(b.overflow, j < 2 ? v.chain[j + 1].offset : 0);
    for (let i = 0; i < 8; i++) {
      const k = j * 8 + i;
      if (k < 20) {
        assert.equal(b.tophash[i], tophash((k + 20) << 24));
        assert.equal(b.keys[i], k);
        assert.equal(b.values[i], `v${k}`);
      } else {
        assert.equal(b.tophash[i], Top.emptyRest);
        assert.equal(b.keys[i], undefined);
        assert.equal(b.values[i], undefined);
      }
    }
  }
  // A delete leaves emptyOne where the chain goes on.
  m.delete(3);
  const after = inspect.bucket(m, 0).chain[0];
  assert.equal(after.tophash[3], Top.emptyOne);
  assert.equal(after.keys[3], undefined);
  assert.deepEqual(inspect.bucket(m, 1).chain.map((b) => b.keys), [[undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]]);
});

test("bucket: old buckets mid-doubling: evacuated ones show only marks, the rest their entries", () => {
  // Key k hashes to bucket k & mask, tophash k + 20: 6 or 7 keys in each of the 8 old buckets,
  // none empty (with the real hash, about one map in 130 left an old bucket empty).
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(k + 20) << 56n) | BigInt(k));
  const m = GoMap.make(kt, t.u32, { hint: 52 }); // B=3: the 53rd key starts a doubling
  for (let k = 0; k < 53; k++) m.set(k, k * 10);
  const s = m.inspect();
  assert.equal(s.growth, "doubling");
  const evacuated: number[] = [];
  for (let i = 0; i < s.oldBuckets; i++) {
    const v = inspect.bucket(m, i, { old: true });
    assert.equal(v.old, true);
    if (v.evacuated) {
      evacuated.push(i);
      assert.equal(v.chain.length, 1, "an evacuated bucket is shown alone");
      for (const top of v.chain[0].tophash) assert.ok(top >= Top.evacuatedX && top <= Top.evacuatedEmpty, `mark ${top}`);
      assert.deepEqual(v.chain[0].keys, new Array(8).fill(undefined));
    } else {
      const own = Array.from({ length: 53 }, (_, k) => k).filter((k) => (k & 7) === i);
      assert.deepEqual(v.chain.flatMap((b) => b.keys.filter((k) => k !== undefined)), own, `old bucket ${i} shows its entries`);
    }
  }
  // The 53rd key's write evacuated its own old bucket (52 & 7) and nevacuate's (0).
  assert.deepEqual(evacuated, [0, 4]);
  assert.equal(evacuated.length, s.oldBuckets - s.oldBucketsLeft);
  const found = entriesOf(m);
  assert.equal(found.length, 53);
  assert.deepEqual(new Map(found), new Map(Array.from({ length: 53 }, (_, k) => [k, k * 10])));
});

test("bucket: indirect keys and struct values read back as copies", () => {
  const V = t.struct({ age: t.u8, name: t.string });
  const m = GoMap.make(t.bytes(200), V);
  m.set(new Uint8Array(200).fill(7), { age: 30, name: "a name longer than twelve bytes" });
  const [[k, v]] = entriesOf(m);
  assert.deepEqual(k, new Uint8Array(200).fill(7));
  assert.deepEqual(v, { age: 30, name: "a name longer than twelve bytes" });
  v.age = 99;
  assert.equal(m.get(new Uint8Array(200).fill(7))!.age, 30, "changing what inspect returned changes nothing");
});

test("bucket: random sets and deletes: every entry is in exactly one walked bucket, with its value", () => {
  const steps = fc.array(fc.record({ set: fc.boolean(), k: fc.nat({ max: 300 }) }), { minLength: 20, maxLength: 400, size: "max" });
  fc.assert(
    fc.property(steps, (ops) => {
      const m = GoMap.make(t.string, t.u32);
      const model = new Map<string, number>();
      for (const { set, k } of ops) {
        const key = `key ${k}${k % 4 === 0 ? " with a long tail" : ""}`;
        if (set) {
          m.set(key, k);
          model.set(key, k);
        } else {
          m.delete(key);
          model.delete(key);
        }
      }
      const found = entriesOf(m);
      assert.equal(found.length, model.size, "no entry twice");
      assert.deepEqual(new Map(found), model);
    }),
    { seed: SEED, numRuns: 60 },
  );
});

test("bucket: bad indexes, options and arrays are typed errors that change nothing", () => {
  const m = GoMap.make(t.u32, t.u32);
  assert.throws(() => inspect.bucket(m, 0), { name: "RangeError", message: /no bucket array/ });
  assert.throws(() => inspect.bucket(GoMap.nil(t.u32, t.u32), 0), { name: "RangeError", message: /no bucket array/ });
  for (let i = 0; i < 20; i++) m.set(i, i);
  const h = hmapOf(m as AnyMap)!;
  const bytes = h.heap.u8.slice();
  assert.equal(h.growing, false);
  assert.throws(() => inspect.bucket(m, 4), { name: "RangeError", message: /index 4 out of range: the current array has 4 buckets/ });
  assert.throws(() => inspect.bucket(m, -1), { name: "RangeError", message: /index -1 out of range/ });
  assert.throws(() => inspect.bucket(m, 1.5), { name: "TypeError", message: /index must be an integer, got 1.5/ });
  assert.throws(() => inspect.bucket(m, "0" as never), { name: "TypeError", message: /got string/ });
  assert.throws(() => inspect.bucket(m, 0, { old: true }), { name: "RangeError", message: /not growing/ });
  assert.throws(() => inspect.bucket(m, 0, { old: 1 } as never), { name: "TypeError", message: /old must be a boolean/ });
  assert.throws(() => inspect.bucket(m, 0, null as never), { name: "TypeError", message: /options must be an object/ });
  // A misspelt option is refused, not ignored: { Old: true } read the current array.
  assert.throws(() => inspect.bucket(m, 0, { Old: true } as never), { name: "TypeError", message: 'gomap: unknown inspect.bucket option "Old" (the options are old)' });
  assert.throws(() => inspect.bucket({} as never, 0), { name: "TypeError", message: /inspect.bucket needs a GoMap/ });
  assert.deepEqual(h.heap.u8, bytes);
});

test("bucket: mid-doubling, the old array's bound is its own 2^oldB, not the current array's 2^B", () => {
  const m = GoMap.make(t.u32, t.u32, { hint: 52 }); // B=3: the 53rd key starts a doubling to B=4
  for (let k = 0; k < 53; k++) m.set(k, k);
  const s = m.inspect();
  assert.equal(s.growth, "doubling");
  assert.equal(s.oldBuckets, 8);
  assert.equal(s.buckets, 16);
  const h = hmapOf(m as AnyMap)!;
  const bytes = h.heap.u8.slice();
  assert.equal(inspect.bucket(m, 7, { old: true }).index, 7);
  for (const i of [8, 15]) {
    assert.throws(() => inspect.bucket(m, i, { old: true }), { name: "RangeError", message: new RegExp(`index ${i} out of range: the old array has 8 buckets`) });
  }
  assert.equal(inspect.bucket(m, 15).index, 15);
  assert.deepEqual(h.heap.u8, bytes);
});

test("bucket: the out-of-range message counts one bucket in the singular", () => {
  const m = GoMap.make(t.u32, t.u32).set(1, 1);
  assert.throws(() => inspect.bucket(m, 1), { name: "RangeError", message: "gomap: inspect.bucket: index 1 out of range: the current array has 1 bucket" });
});
