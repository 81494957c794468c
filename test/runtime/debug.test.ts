// Tests of src/runtime/debug.ts: checkInvariants passes on healthy maps of every shape, and
// each invariant it checks, broken on purpose by writing the heap's bytes through
// hmapOf(m).heap, makes it throw with a message naming that invariant.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { Hmap32, Top, evacuatedMark } from "../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

type U32Map = GoMap<number, number, number, number>;

/** Hash of key k: lo = k, hi = 0: bucket k & mask, every tophash minTopHash. */
const identity: GoType<number> = hashedBy(t.u32, (k) => BigInt(k));

/** Asserts that checkInvariants(m) throws an invariant error matching `re`. */
function assertBroken(m: U32Map, re: RegExp): void {
  assert.throws(() => checkInvariants(m), (err: unknown) => err instanceof Error && /^gomap invariant: /.test(err.message) && re.test(err.message));
}

/** Keys 0, 4, 8, ... (n of them): all in bucket 0 of a B2 map (hint 20, no pool), slots 0..n-1. */
function bucketZero(n: number): { m: U32Map; h: HMap } {
  const m = GoMap.make(identity, t.u32, { hint: 20 });
  for (let i = 0; i < n; i++) m.set(4 * i, i);
  checkInvariants(m);
  return { m, h: hmapOf(m)! };
}

/** Keys 1..27 with identity hashes: growing B2 -> B3, old 0 and 3 evacuated, old 1 and 2 not, nevacuate 1. */
function midGrowth(): { m: U32Map; h: HMap } {
  const m = GoMap.make(identity, t.u32);
  for (let k = 1; k <= 27; k++) m.set(k, k);
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  assert.equal(h.growing, true);
  assert.deepEqual([0, 1, 2, 3].map((i) => evacuatedMark(h.heap.u8[h.oldbuckets + i * bs])), [true, false, false, true]);
  assert.equal(h.nevacuate, 1);
  checkInvariants(m);
  return { m, h };
}

test("debug: healthy maps pass: empty, nil, growing (doubling and same-size), after deletes, NaN and -0 keys, strings", () => {
  checkInvariants(GoMap.make(t.u32, t.u32));
  checkInvariants(GoMap.nil(t.u32, t.u32));
  midGrowth();
  const u = GoMap.make(t.u64, t.u64);
  for (let k = 0; k < 3000; k++) {
    u.set(k, k);
    if (k % 3 === 0) u.delete(k >> 1);
  }
  checkInvariants(u);
  const f = GoMap.make(t.f64, t.u32);
  for (let i = 0; i < 50; i++) f.set(NaN, i);
  f.set(0, 1);
  f.set(-0, 2);
  for (let i = 1; i < 100; i++) f.set(i / 7, i);
  checkInvariants(f);
  const s = GoMap.make(t.string, t.string);
  for (let i = 0; i < 500; i++) s.set(`key number ${i}`, `v${i}`);
  for (let i = 0; i < 500; i += 2) s.delete(`key number ${i}`);
  checkInvariants(s);
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const same = GoMap.make(kt, t.u32, { hint: 20 });
  for (let k = 0; k < 26; k++) same.set(k, k);
  for (let k = 0; k < 26; k++) same.delete(k);
  for (let k = 1000; k < 1010; k++) same.set(k, k);
  assert.equal(same.inspect().sameSizeGrow, true);
  checkInvariants(same);
});

test("debug: a count that differs from the live entries", () => {
  const { m, h } = bucketZero(3);
  h.heap.u32[Hmap32.count]++;
  assertBroken(m, /count 4 but 3 live entries/);
  h.heap.u32[Hmap32.count] -= 2;
  assertBroken(m, /count 2 but 3 live entries/);
});

test("debug: a tophash that is not the key's hash's", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 5; k++) m.set(k, k);
  const h = hmapOf(m)!;
  const top = h.heap.u8[h.buckets + 2];
  h.heap.u8[h.buckets + 2] = top === 255 ? 254 : top + 1;
  assertBroken(m, /bucket 0 chain 0 slot 2: tophash \d+, hash says \d+/);
});

test("debug: a key in a bucket its hash does not pick", () => {
  const { m, h } = bucketZero(3);
  // Key 8 in slot 2 becomes 9: same tophash (identity hashes have hi = 0), but bucket 1.
  h.heap.u32[h.keyAt(h.buckets, 2) >>> 2] = 9;
  assertBroken(m, /bucket 0 chain 0 slot 2: key hashes to bucket 1/);
});

test("debug: a filled slot, or an emptyOne, after emptyRest", () => {
  const a = bucketZero(3);
  a.h.heap.u8[a.h.buckets + 1] = Top.emptyRest;
  a.h.heap.u32[Hmap32.count]--;
  assertBroken(a.m, /bucket 0 chain 0 slot 2: filled or Top.emptyOne after Top.emptyRest/);
  // The same across an overflow bucket: emptyRest at the head's last slot, key 32 in the overflow.
  const b = bucketZero(9);
  b.h.heap.u8[b.h.buckets + 7] = Top.emptyRest;
  b.h.heap.u32[Hmap32.count]--;
  assertBroken(b.m, /bucket 0 chain 1 slot 0: filled or Top.emptyOne after Top.emptyRest/);
  const c = bucketZero(3);
  c.h.heap.u8[c.h.buckets + 1] = Top.emptyRest;
  c.h.heap.u8[c.h.buckets + 2] = Top.emptyOne;
  c.h.heap.u32[Hmap32.count] -= 2;
  assertBroken(c.m, /slot 2: filled or Top.emptyOne after Top.emptyRest/);
});

test("debug: an emptyOne as the last non-emptyRest slot: before emptyRest, or at the end of a chain", () => {
  const a = bucketZero(3);
  a.m.delete(4); // a legitimate hole: emptyOne with a filled slot after it
  assert.equal(a.h.heap.u8[a.h.buckets + 1], Top.emptyOne);
  checkInvariants(a.m);
  a.h.heap.u8[a.h.buckets + 2] = Top.emptyOne;
  a.h.heap.u32[Hmap32.count]--;
  assertBroken(a.m, /bucket 0: the last slot before Top.emptyRest is Top.emptyOne/);
  // A full head bucket with no overflow: slot 7 is the chain's last, no emptyRest follows at all.
  const b = bucketZero(8);
  assert.equal(b.h.overflow(b.h.buckets), 0);
  b.h.heap.u8[b.h.buckets + 7] = Top.emptyOne;
  b.h.heap.u32[Hmap32.count]--;
  assertBroken(b.m, /bucket 0: the last slot before Top.emptyRest is Top.emptyOne/);
  // And at the end of an overflow bucket.
  const c = bucketZero(16);
  const ovf = c.h.overflow(c.h.buckets);
  assert.equal(c.h.overflow(ovf), 0);
  c.h.heap.u8[ovf + 7] = Top.emptyOne;
  c.h.heap.u32[Hmap32.count]--;
  assertBroken(c.m, /bucket 0: the last slot before Top.emptyRest is Top.emptyOne/);
});

test("debug: an evacuation mark in a live bucket", () => {
  const { m, h } = bucketZero(3);
  h.heap.u8[h.buckets + 1] = Top.evacuatedX;
  assertBroken(m, /bucket 0 chain 0 slot 1: evacuation mark 2 in a live bucket/);
});

test("debug: growth state: an unevacuated old bucket below nevacuate, an evacuated head not all marks, a key in both arrays", () => {
  const a = midGrowth();
  a.h.heap.u32[Hmap32.nevacuate] = 2;
  assertBroken(a.m, /old bucket 1 below nevacuate 2 not evacuated/);

  const b = midGrowth();
  b.h.heap.u8[b.h.oldbuckets + 5] = Top.minTopHash; // old bucket 0 is evacuated
  assertBroken(b.m, /old bucket 0 slot 5 evacuated head not all marks/);

  // Key 1 is live in old bucket 1 (not evacuated); put a copy into its new bucket 1, which
  // is still empty since only old bucket 1 feeds it.
  const c = midGrowth();
  const nb = c.h.buckets + 1 * c.h.t.bucketSize;
  assert.ok(c.h.heap.u8.subarray(nb, nb + 8).every((x) => x === Top.emptyRest));
  c.h.heap.u8[nb] = Top.minTopHash;
  c.h.heap.u32[c.h.keyAt(nb, 0) >>> 2] = 1;
  c.h.heap.u32[Hmap32.count]++;
  assertBroken(c.m, /a key is live in both an old bucket and the new array/);
});
