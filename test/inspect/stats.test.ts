// Tests of src/inspect/stats.ts (m.inspect() and inspect.map()): the figures against what
// they must add up to (entries, chains, overflow buckets, the heap's live bytes), property
// tests over random sets, deletes and clears against a Map model (fixed seed), the growth
// fields mid-growth (doubling and same-size), the seed shown only on request, bad options,
// and that inspecting never changes a byte of the heap.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { GoMap } from "../../src/gomap.js";
import { inspect } from "../../src/inspect/index.js";
import type { MapStats } from "../../src/inspect/stats.js";
import { Flag } from "../../src/runtime/layout.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const SEED = Number(process.env.INSPECT_SEED ?? 20261122);

/** The sums every stats object must satisfy, whatever the map holds. */
function checkSums(s: MapStats, m: AnyMap): void {
  const h = hmapOf(m)!;
  const slots = s.histograms.slotsUsed;
  const chains = s.histograms.chainLength;
  assert.equal(slots.length, 9);
  assert.equal(slots.reduce((a, n, k) => a + n * k, 0), s.count, "filled slots = count");
  assert.equal(slots.reduce((a, n) => a + n, 0), s.buckets + s.oldBucketsLeft + s.overflowBuckets.inUse, "every bmap walked once");
  assert.equal(chains.reduce((a, n) => a + n, 0), s.buckets + s.oldBucketsLeft, "one chain per walked bucket");
  assert.equal(chains.reduce((a, n, k) => a + n * k, 0), s.overflowBuckets.inUse, "overflow buckets = chain lengths");
  const b = s.bytes;
  for (const [k, v] of Object.entries(b)) assert.ok(v >= 0, `bytes.${k} = ${v}`);
  assert.equal(b.total, b.buckets + b.overflow + b.strings + b.indirect + b.wasted);
  assert.equal(b.total, h.heap.capacity);
  // With no iterator holding frees back, the live blocks are exactly these.
  assert.equal(b.buckets + b.overflow + b.strings + b.indirect, s.heap.inUse, "classified bytes = live payload bytes");
  assert.equal(s.count, m.size);
  assert.equal(s.loadFactor, s.buckets === 0 ? 0 : s.count / s.buckets);
  assert.equal(s.growth, s.growing ? (s.sameSizeGrow ? "same-size" : "doubling") : null);
  if (!s.growing) {
    assert.equal(s.oldBuckets, 0);
    assert.equal(s.oldBucketsLeft, 0);
    // The header keeps nevacuate at the old bucket count once a growth is over (as Go's does).
    assert.equal(s.nevacuate, 0);
    // noverflow counts every overflow bucket made since the growth began: exact below B=16.
    assert.equal(s.overflowBuckets.inUse, s.noverflow);
  } else {
    assert.ok(s.oldBucketsLeft >= 1 && s.oldBucketsLeft <= s.oldBuckets - s.nevacuate);
  }
  assert.equal(s.overflowBuckets.preallocated, s.B >= 4 && s.buckets > 0 ? 2 ** (s.B - 4) : 0);
  assert.ok(s.overflowBuckets.preallocatedUnused <= s.overflowBuckets.preallocated);
  assert.equal("hash0" in s, false);
}

test("stats: a nil map and a new B=0 map (no bucket array yet) are all zeros", () => {
  const nil = GoMap.nil(t.u32, t.u32).inspect();
  assert.equal(nil.count, 0);
  assert.equal(nil.buckets, 0);
  assert.equal(nil.growth, null);
  assert.deepEqual(nil.bytes, { total: 0, buckets: 0, overflow: 0, strings: 0, indirect: 0, wasted: 0 });
  assert.deepEqual(nil.histograms, { chainLength: [], slotsUsed: [0, 0, 0, 0, 0, 0, 0, 0, 0] });
  const m = GoMap.make(t.u32, t.u32);
  const s = m.inspect();
  assert.equal(s.buckets, 0);
  assert.equal(s.bytes.buckets, 0);
  assert.deepEqual(s.histograms.chainLength, []);
  checkSums(s, m as AnyMap);
});

test("stats: u32 -> u32 with 1000 entries: histograms and bytes add up, pool figures match B", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 1000; i++) m.set(i * 7919, i);
  const s = inspect.map(m as AnyMap);
  assert.equal(s.B, 8);
  assert.equal(s.buckets, 256);
  assert.equal(s.bytes.strings, 0);
  assert.equal(s.bytes.indirect, 0);
  assert.equal(s.bytes.buckets, (256 + 16) * 80, "the array and its 16 pool buckets");
  assert.equal(s.overflowBuckets.preallocated, 16);
  assert.deepEqual(s, m.inspect(), "inspect.map(m) is m.inspect()");
  checkSums(s, m as AnyMap);
});

test("stats: long strings and structs holding them count in bytes.strings; short ones are inline", () => {
  const V = t.struct({ name: t.string, n: t.u32 });
  const m = GoMap.make(t.string, V);
  let expected = 0;
  for (let i = 0; i < 100; i++) {
    const k = i % 2 === 0 ? `k${i}` : `a key longer than twelve bytes ${i}`;
    const name = i % 3 === 0 ? "short" : `a name that does not fit inline, number ${i}`;
    m.set(k, { name, n: i });
    for (const s of [k, name]) if (s.length > 12) expected += Math.ceil(s.length / 8) * 8;
  }
  const s = m.inspect();
  assert.ok(s.bytes.strings >= expected && s.bytes.strings < expected + 16 * 200, `${s.bytes.strings} vs ${expected}`);
  checkSums(s, m as AnyMap);
});

test("stats: keys and values over 128 bytes are counted as indirect", () => {
  const m = GoMap.make(t.bytes(200), t.bytes(130));
  for (let i = 0; i < 20; i++) m.set(new Uint8Array(200).fill(i), new Uint8Array(130));
  const s = m.inspect();
  // Each block is its size rounded up to 8, or up to 8 more where a free block was not split.
  const least = 20 * (200 + 136);
  assert.ok(s.bytes.indirect >= least && s.bytes.indirect <= least + 40 * 8, `${s.bytes.indirect}`);
  checkSums(s, m as AnyMap);
});

test("stats: colliding keys make one long chain: chainLength and slotsUsed show it", () => {
  // Every key in bucket 0 (hash 0 low half); tophashes differ so lookups stay exact.
  const kt: GoType<number> = hashedBy(t.u32, (k) => BigInt((k % 200) + 20) << 56n);
  const m = GoMap.make(kt, t.u32, { hint: 20 }); // B=2, no growth for 20 entries
  for (let k = 0; k < 20; k++) m.set(k, k);
  const s = m.inspect();
  assert.equal(s.B, 2);
  assert.deepEqual(s.histograms.chainLength, [3, 0, 1], "three empty chains, one with 2 overflow buckets");
  assert.deepEqual(s.histograms.slotsUsed, [3, 0, 0, 0, 1, 0, 0, 0, 2], "8 + 8 + 4 in bucket 0's chain");
  assert.equal(s.overflowBuckets.inUse, 2);
  assert.equal(s.bytes.overflow, 2 * s.bucketSize, "fresh overflow blocks (B < 4: no pool)");
  checkSums(s, m as AnyMap);
});

test("stats: mid-doubling and mid-same-size growth: growth kind, old buckets left, nevacuate", () => {
  const m = GoMap.make(t.u32, t.u32, { hint: 52 }); // B=3: the 53rd key starts a doubling
  for (let k = 0; k < 53; k++) m.set(k, k);
  const s = m.inspect();
  assert.equal(s.growth, "doubling");
  assert.equal(s.B, 4);
  assert.equal(s.oldBuckets, 8);
  assert.ok(s.oldBucketsLeft === 6 || s.oldBucketsLeft === 7, `one write evacuates one or two old buckets, left ${s.oldBucketsLeft}`);
  checkSums(s, m as AnyMap);

  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const same = GoMap.make(kt, t.u32, { hint: 20 });
  for (let k = 0; k < 26; k++) same.set(k, k);
  for (let k = 0; k < 26; k++) same.delete(k);
  for (let k = 1000; k < 1010; k++) same.set(k, k);
  const ss = same.inspect();
  assert.equal(ss.growth, "same-size");
  assert.equal(ss.sameSizeGrow, true);
  assert.equal(ss.B, 2);
  assert.equal(ss.oldBuckets, 4);
  assert.ok((hmapOf(same as AnyMap)!.flags & Flag.sameSizeGrow) !== 0);
  checkSums(ss, same as AnyMap);
});

test("stats: oldBucketsLeft counts old buckets not yet evacuated, empty ones included", () => {
  // Every key in bucket 1 of a B=2 map: the 27th starts a doubling, and its write evacuates
  // old bucket 1 and then old bucket 0 (nevacuate's); old buckets 2 and 3 never held an entry
  // and are not evacuated yet, so two old buckets are left, holding nothing.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(k + 20) << 56n) | 1n);
  const m = GoMap.make(kt, t.u32, { hint: 14 });
  assert.equal(m.inspect().B, 2);
  for (let k = 0; k < 27; k++) m.set(k, k);
  const s = m.inspect();
  assert.equal(s.growth, "doubling");
  assert.equal(s.oldBuckets, 4);
  assert.equal(s.nevacuate, 2);
  assert.equal(s.oldBucketsLeft, 2);
  for (const i of [2, 3]) {
    const v = inspect.bucket(m, i, { old: true });
    assert.equal(v.evacuated, false);
    assert.deepEqual(v.chain.flatMap((b) => b.keys.filter((k) => k !== undefined)), [], `old bucket ${i} holds no entry`);
  }
  checkSums(s, m as AnyMap);
});

test("stats: hash0 only with { seed: true }, and it is the header's seed", () => {
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 1);
  assert.equal("hash0" in m.inspect(), false);
  assert.equal("hash0" in m.inspect({ seed: false }), false);
  assert.equal(m.inspect({ seed: true }).hash0, hmapOf(m as AnyMap)!.hash0);
  assert.equal(GoMap.nil(t.u32, t.u32).inspect({ seed: true }).hash0, 0);
});

test("stats: bad options and non-maps are TypeErrors that change nothing", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 100; i++) m.set(i, i);
  const before = hmapOf(m as AnyMap)!.heap.u8.slice();
  assert.throws(() => m.inspect(null as never), { name: "TypeError", message: /inspect options must be an object, got null/ });
  assert.throws(() => m.inspect(3 as never), { name: "TypeError", message: /got number/ });
  assert.throws(() => m.inspect({ seed: 1 } as never), { name: "TypeError", message: /seed must be a boolean, got number/ });
  // A misspelt option is refused, as the factories refuse theirs, not ignored (hiding the seed asked for).
  assert.throws(() => m.inspect({ seeds: true } as never), { name: "TypeError", message: 'gomap: unknown inspect option "seeds" (the options are seed)' });
  assert.throws(() => m.inspect([] as never), { name: "TypeError", message: "gomap: inspect options must be an object, got an array" });
  assert.throws(() => inspect.map(new Map() as never), { name: "TypeError", message: /inspect.map needs a GoMap, got object/ });
  assert.throws(() => inspect.map(undefined as never), { name: "TypeError", message: /got undefined/ });
  assert.deepEqual(hmapOf(m as AnyMap)!.heap.u8, before);
});

test("stats: inspecting a growing map with strings changes no byte of the heap, nor its size", () => {
  const m = GoMap.make(t.string, t.string, { hint: 52 });
  for (let k = 0; k < 54; k++) m.set(`key number ${k} of the test`, `value ${k}`);
  const h = hmapOf(m as AnyMap)!;
  assert.equal(h.growing, true);
  const bytes = h.heap.u8.slice();
  const buffer = h.heap.buffer;
  const epoch = h.epoch;
  m.inspect({ seed: true });
  inspect.map(m as AnyMap);
  for (let i = 0; i < 16; i++) inspect.bucket(m, i);
  for (let i = 0; i < 8; i++) inspect.bucket(m, i, { old: true });
  assert.equal(h.heap.buffer, buffer, "same buffer: nothing grew or shrank");
  assert.deepEqual(h.heap.u8, bytes);
  assert.equal(h.epoch, epoch);
});

test("stats: random sets, deletes and clears (u32 and string keys): the sums hold after every step", () => {
  const steps = fc.array(
    fc.oneof(
      { weight: 12, arbitrary: fc.record({ op: fc.constant("set" as const), k: fc.nat({ max: 400 }), long: fc.boolean() }) },
      { weight: 6, arbitrary: fc.record({ op: fc.constant("delete" as const), k: fc.nat({ max: 400 }), long: fc.constant(false) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), k: fc.constant(0), long: fc.constant(false) }) },
    ),
    { minLength: 20, maxLength: 300, size: "max" },
  );
  fc.assert(
    fc.property(steps, fc.boolean(), (ops, strings) => {
      const m = (strings ? GoMap.make(t.string, t.string) : GoMap.make(t.u32, t.u32)) as AnyMap;
      const model = new Map<unknown, unknown>();
      const key = (k: number): unknown => (strings ? `k${k}${k % 3 === 0 ? " and a long tail" : ""}` : k);
      for (const { op, k, long } of ops) {
        if (op === "set") {
          const v = strings ? (long ? `value ${k} long enough to leave the slot` : `v${k}`) : k;
          m.set(key(k), v);
          model.set(key(k), v);
        } else if (op === "delete") {
          m.delete(key(k));
          model.delete(key(k));
        } else {
          m.clear();
          model.clear();
        }
        const s = m.inspect();
        checkSums(s, m);
        assert.equal(s.count, model.size);
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test("stats: pool overflow buckets count in bytes.buckets, never as blocks of their own, in the current array and in a same-size growth's old array", () => {
  // Key b*1000 + j hashes to bucket b with tophash j + 20 (distinct within a bucket).
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 1000) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 100 }); // B=4: 16 buckets and one pool bucket
  // Bucket 15 overflows first and takes the pool bucket, the one right after it in the array.
  for (let j = 0; j < 9; j++) m.set(15_000 + j, j);
  let s = m.inspect();
  assert.equal(s.B, 4);
  assert.equal(s.overflowBuckets.preallocated, 1);
  assert.equal(s.overflowBuckets.preallocatedUnused, 0);
  assert.equal(s.overflowBuckets.inUse, 1);
  assert.equal(s.bytes.overflow, 0, "a pool bucket is part of its array's block");
  checkSums(s, m as AnyMap);
  for (let j = 0; j < 9; j++) m.delete(15_000 + j);
  // Each other bucket gets an overflow bucket of its own (a fresh block): 16 in all, so the
  // next new key starts a same-size growth. Its write evacuates old buckets 5 and 0; old
  // bucket 15, whose chain holds the old array's pool bucket, is left for later.
  for (let b = 14; b >= 0; b--) {
    for (let j = 0; j < 9; j++) m.set(b * 1000 + j, j);
    for (let j = 0; j < 9; j++) m.delete(b * 1000 + j);
  }
  m.set(5_000, 1);
  s = m.inspect();
  assert.equal(s.growth, "same-size");
  assert.equal(s.oldBuckets, 16);
  assert.ok(s.oldBucketsLeft >= 13, `old buckets left: ${s.oldBucketsLeft}`);
  assert.ok(!inspect.bucket(m, 15, { old: true }).evacuated);
  assert.equal(s.bytes.overflow, (s.overflowBuckets.inUse - 1) * s.bucketSize, "every overflow bucket but the pool one is a fresh block");
  checkSums(s, m as AnyMap);
});
