// Tests of src/runtime/makemap.ts: the B a hint gives (as Go's makemap picks it), bogus hints
// ignored (TestIgnoreBogusMapHint, TestMapBuckets), and the preallocated overflow pool of
// 2^(B-4) buckets that arrays of B >= 4 carry, and how far a fresh overflow bucket grows a heap.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { fastrand, seedFastrand } from "../../src/hash/rand.js";
import { Hmap32 } from "../../src/runtime/layout.js";
import { arrayBuckets, bucketsForHint, incrnoverflow, overflowPerBucket } from "../../src/runtime/makemap.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

test("makemap: hint -> B as Go picks it (0-8 -> 0, 9-13 -> 1, 14-26 -> 2, 27-52 -> 3, 53-104 -> 4, 105 -> 5, 1000 -> 8)", () => {
  const cases: [number, number][] = [
    [0, 0], [1, 0], [8, 0], [9, 1], [13, 1], [14, 2], [26, 2], [27, 3], [52, 3], [53, 4], [104, 4], [105, 5], [208, 5], [209, 6], [1000, 8],
  ];
  for (const [hint, B] of cases) {
    assert.equal(bucketsForHint(hint), B, `bucketsForHint(${hint})`);
    const m = GoMap.make(t.u64, t.u64, { hint });
    assert.equal(m.inspect().B, B, `make(map[uint64]uint64, ${hint}).B`);
    assert.equal(m.size, 0);
    checkInvariants(m);
  }
});

test("makemap: B = 0 allocates no bucket until the first insert; B > 0 allocates the array now", () => {
  const small = GoMap.make(t.u32, t.u32);
  assert.equal(hmapOf(small)!.buckets, 0, "makemap_small leaves buckets nil");
  assert.equal(small.inspect().buckets, 0);
  small.set(1, 1);
  assert.notEqual(hmapOf(small)!.buckets, 0);
  assert.equal(small.inspect().buckets, 1);
  const big = GoMap.make(t.u32, t.u32, { hint: 9 });
  assert.notEqual(hmapOf(big)!.buckets, 0);
  assert.equal(big.inspect().buckets, 2);
});

test("makemap: TestMapBuckets: bucket counts for n = -2^30, -1, 0, 1, 8, 9, 13, 14, 26, without a hint and with hint n", () => {
  // Go's table (escaping maps): n elements inserted into a map made without a hint (Go's
  // "mapliteral" and "nohint"), or with hint n ("makemap", "makemap64"), leave these many
  // buckets. Go's MapBucketsCount is 1 << B, so a B0 map counts 1 before its bucket exists;
  // gomap's inspect counts the buckets there are, so an empty B0 map is checked as B0.
  const cases: [number, number][] = [[-(2 ** 30), 1], [-1, 1], [0, 1], [1, 1], [8, 1], [9, 2], [13, 2], [14, 4], [26, 4]];
  for (const [n, buckets] of cases) {
    for (const hint of [undefined, n]) {
      const m = hint === undefined ? GoMap.make(t.u32, t.u32) : GoMap.make(t.u32, t.u32, { hint });
      const h = hmapOf(m)!;
      // Go: "escape: buckets pointer is nil" must not hold for a map of more than one bucket.
      if (2 ** h.B > 1) assert.notEqual(h.buckets, 0, `hint ${hint}: ${2 ** h.B} buckets, none allocated`);
      for (let i = 0; i < n; i++) m.set(i, i);
      assert.equal(2 ** h.B, buckets, `hint ${hint}, n = ${n}`);
      if (n > 0) assert.equal(m.inspect().buckets, buckets, `hint ${hint}, n = ${n}: inspect`);
      else assert.equal(m.inspect().B, 0, `hint ${hint}, n = ${n}: inspect`);
      assert.equal(m.size, Math.max(0, n));
      assert.equal(m.inspect().growing, false);
    }
  }
});

test("makemap: TestIgnoreBogusMapHint: hints -1, 2^62, Infinity, 2^40 give B0 and a usable map", () => {
  for (const hint of [-1, -(2 ** 62), 2 ** 62, Infinity, -Infinity, 2 ** 40]) {
    const m = GoMap.make(t.u64, t.u64, { hint });
    assert.equal(m.inspect().B, 0, `hint ${hint}`);
    m.set(1, 2);
    assert.equal(m.get(1), 2n);
  }
  // A fractional hint is a hint.
  assert.equal(GoMap.make(t.u64, t.u64, { hint: 9.5 }).inspect().B, 1);
  assert.throws(() => GoMap.make(t.u64, t.u64, { hint: NaN }), TypeError);
  assert.throws(() => GoMap.make(t.u64, t.u64, { hint: "10" as unknown as number }), TypeError);
});

test("makemap: arrays of B >= 4 carry an overflow pool of 2^(B-4) buckets", () => {
  for (let B = 0; B < 4; B++) assert.equal(arrayBuckets(B), 2 ** B);
  for (let B = 4; B < 12; B++) assert.equal(arrayBuckets(B), 2 ** B + 2 ** (B - 4));
  for (const [hint, B] of [[10, 1], [60, 4], [150, 5], [300, 6]] as [number, number][]) {
    const m = GoMap.make(t.u32, t.u32, { hint });
    const h = hmapOf(m)!;
    const bs = h.t.bucketSize;
    const next = h.heap.u32[Hmap32.nextOverflow];
    assert.ok(h.heap.sizeOf(h.buckets) >= arrayBuckets(B) * bs, "one block holds the array and its pool");
    if (B < 4) {
      assert.equal(next, 0, `B${B}: no pool`);
      continue;
    }
    assert.equal(next, h.buckets + 2 ** B * bs, `B${B}: the pool starts after the 2^B buckets`);
    const last = h.buckets + (arrayBuckets(B) - 1) * bs;
    assert.equal(h.overflow(last), h.buckets, "the last pool bucket's link marks the end of the pool");
    for (let i = 2 ** B; i < arrayBuckets(B) - 1; i++) assert.equal(h.overflow(h.buckets + i * bs), 0);
  }
});

test("makemap: overflow buckets come from the pool first, then from the heap; noverflow counts both", () => {
  // hint 60 -> B4: 16 buckets, a pool of 1. Every key lands in bucket 3, distinct tophash.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(k + 16) << 56n) | 3n);
  const m = GoMap.make(kt, t.u32, { hint: 60 });
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  const pool = h.buckets + 16 * bs;
  for (let k = 0; k < 8; k++) m.set(k, k);
  assert.equal(h.noverflow, 0);
  const blocks = h.heap.stats().blocks;
  m.set(8, 8); // the 9th key of bucket 3: an overflow bucket, from the pool
  assert.equal(h.noverflow, 1);
  assert.equal(h.overflow(h.buckets + 3 * bs), pool, "the first overflow bucket is the pool's");
  assert.equal(h.overflow(pool), 0, "its end-of-pool mark is gone once in use");
  assert.equal(h.heap.u32[Hmap32.nextOverflow], 0, "the pool is used up");
  assert.equal(h.heap.stats().blocks, blocks, "no heap block for a pool bucket");
  for (let k = 9; k < 17; k++) m.set(k, k); // the 17th key: a fresh heap block
  assert.equal(h.noverflow, 2);
  assert.equal(h.heap.stats().blocks, blocks + 1);
  const fresh = h.overflow(pool);
  assert.ok(fresh !== 0 && (fresh < h.buckets || fresh >= pool + bs), "the second overflow bucket is its own block");
  for (let k = 0; k < 17; k++) assert.equal(m.get(k), k);
  checkInvariants(m);
});

for (const [name, kt, key] of [
  ["u32", t.u32, (i: number) => Math.imul(i, 0x9e3779b1) >>> 0],
  ["short string", t.string, (i: number) => `k${i}`],
] as const) {
  test(`makemap: an overflow bucket that grows the heap grows it by what the map takes before it doubles (${name} keys)`, () => {
    // B12 (4096 buckets) until 26,624 entries: from 20,000 on, fresh overflow buckets make the
    // heap grow. It used to grow by half each time (a capacity 1.47x its top at 26,000 u32
    // entries); now by room for the overflow buckets the map may still add, so it stays close
    // to its top.
    const m = GoMap.make(kt as GoType<number | string>, t.u32, { seed: 1 });
    const h = hmapOf(m)!;
    let grown = 0;
    let last = h.heap.capacity;
    for (let i = 0; i < 26_500; i++) {
      m.set(key(i), i);
      if (i < 20_000 || i % 100 !== 0) continue;
      assert.equal(h.B, 12);
      assert.equal(h.oldbuckets, 0, "no growth in progress");
      const s = h.heap.stats();
      if (s.capacity !== last) grown++;
      last = s.capacity;
      assert.ok(s.capacity <= s.top + (s.top >>> 3) + 65_536, `at ${i} entries: capacity ${s.capacity} for top ${s.top}`);
    }
    assert.ok(grown > 0, "an overflow bucket grew the heap");
    checkInvariants(m);
  });
}

test("makemap: overflowPerBucket agrees with the %overflow column of Go's table in map.go", () => {
  // Go's measured share of buckets with an overflow bucket, by load factor; the model counts
  // second overflow buckets too, which at these loads adds less than 0.4 points.
  const goTable: [number, number][] = [[4.0, 2.13], [4.5, 4.05], [5.0, 6.85], [5.5, 10.55], [6.0, 15.27], [6.5, 20.90], [7.0, 27.14], [7.5, 34.03], [8.0, 41.10]];
  for (const [load, percent] of goTable) {
    const model = 100 * overflowPerBucket(load);
    assert.ok(Math.abs(model - percent) < 0.4, `load ${load}: ${model.toFixed(2)}% against Go's ${percent}%`);
  }
  assert.ok(overflowPerBucket(3.25) < 0.01, "a map a doubling just left has almost none");
});

test("makemap: each map gets its own random hash0", () => {
  const seeds = new Set<number>();
  for (let i = 0; i < 20; i++) seeds.add(hmapOf(GoMap.make(t.u32, t.u32))!.hash0);
  assert.ok(seeds.size >= 19, `${seeds.size} distinct seeds of 20`);
});

test("makemap: incrnoverflow counts every overflow bucket while B < 16, then one in 2^(B-15) (Go's incrnoverflow)", () => {
  // Go: `if h.B < 16 { h.noverflow++; return }; mask := 1<<(h.B-15) - 1; if fastrand()&mask == 0
  // { h.noverflow++ }`. The expected count replays the same fastrand draws.
  const calls = 4096;
  try {
    for (const B of [15, 16, 17]) {
      // The smallest map with 2^B buckets (u8 keys and elems: 32-byte buckets, 4.4 MB at B17).
      const m = GoMap.make(t.u8, t.u8, { hint: 6.5 * 2 ** B });
      const h = hmapOf(m)!;
      assert.equal(h.B, B);
      let expected = calls;
      if (B >= 16) {
        const mask = 2 ** (B - 15) - 1;
        seedFastrand(0x5eed0000 + B);
        expected = 0;
        for (let i = 0; i < calls; i++) if ((fastrand() & mask) === 0) expected++;
      }
      seedFastrand(0x5eed0000 + B);
      for (let i = 0; i < calls; i++) incrnoverflow(h);
      assert.equal(h.noverflow, expected, `B=${B}`);
      if (B >= 16) {
        const share = expected / calls;
        assert.ok(Math.abs(share - 2 ** (15 - B)) < 0.05, `B=${B}: one in ${2 ** (B - 15)} is counted (${share})`);
      }
    }
  } finally {
    const r = crypto.getRandomValues(new Uint32Array(4));
    seedFastrand(r[0], r[1], r[2], r[3]);
  }
});
