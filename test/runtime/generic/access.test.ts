// Tests of src/runtime/generic/access.ts and the bucketFor it calls (grow.ts): which bucket
// bucketFor picks while a map grows (the old one until it is evacuated, the new one after;
// the old mask of a doubling, the full mask of a same-size growth), mapaccess's early answers
// (count 0 before anything else, then the hashWriting check), and find's walk (tophash
// filter, emptyOne skipped, emptyRest ends it).
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError } from "../../../src/errors.js";
import { GoMap } from "../../../src/gomap.js";
import { bucketFor } from "../../../src/runtime/grow.js";
import { Flag, Hmap, Hmap32, Top, evacuatedMark } from "../../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../../src/testing/hooks.js";
import { types as t } from "../../../src/types/index.js";
import type { GoType } from "../../../src/types/type.js";

/** Hash of key k: lo = k, hi = 0 (so every tophash is minTopHash and bucket = k & mask). */
const identity: GoType<number> = hashedBy(t.u32, (k) => BigInt(k));

test("access: bucketFor, not growing: the bucket of the low B bits, whatever the high bits", () => {
  const m = GoMap.make(identity, t.u32, { hint: 20 }); // B2
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  assert.equal(h.B, 2);
  for (const lo of [0, 1, 2, 3, 4, 7, 0x7fffffff, 0xfffffffe, -1]) {
    assert.equal(bucketFor(h, lo), h.buckets + (lo & 3) * bs, `lo ${lo}`);
  }
});

test("access: bucketFor during a doubling: the old bucket (lo & oldmask) until it is evacuated, then the new one", () => {
  const m = GoMap.make(identity, t.u32);
  for (let k = 1; k <= 27; k++) m.set(k, k);
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  // The 27th insert doubled B2 -> B3 and evacuated old 3 (its own bucket) and old 0 (nevacuate).
  assert.equal(h.growing, true);
  assert.equal(h.B, 3);
  const old = h.oldbuckets;
  const evacuated = [0, 1, 2, 3].map((i) => evacuatedMark(h.heap.u8[old + i * bs]));
  assert.deepEqual(evacuated, [true, false, false, true]);
  for (let lo = 0; lo < 16; lo++) {
    const want = evacuated[lo & 3] ? h.buckets + (lo & 7) * bs : old + (lo & 3) * bs;
    assert.equal(bucketFor(h, lo), want, `lo ${lo}`);
  }
  // lo 1 and 5 share old bucket 1; once it is evacuated they part for new buckets 1 and 5.
  assert.equal(bucketFor(h, 5), old + 1 * bs);
  h.rt.evacuate(h, 1);
  assert.equal(bucketFor(h, 1), h.buckets + 1 * bs);
  assert.equal(bucketFor(h, 5), h.buckets + 5 * bs);
  assert.equal(bucketFor(h, 2), old + 2 * bs, "old bucket 2 is still the one to read");
  for (let k = 1; k <= 27; k++) assert.equal(m.get(k), k);
  checkInvariants(m);
});

test("access: bucketFor during a same-size growth uses the full mask for the old array", () => {
  // The key's bucket is floor(k / 1000); tophashes vary. hint 20 -> B2 (4 buckets, no pool).
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 20 });
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  // 26 keys in bucket 0 (3 overflow buckets), all deleted; 9 in bucket 1 (a 4th): noverflow 4 = 2^B.
  for (let k = 0; k < 26; k++) m.set(k, k);
  for (let k = 0; k < 26; k++) m.delete(k);
  for (let k = 1000; k < 1009; k++) m.set(k, k);
  assert.equal(h.noverflow, 4);
  m.set(2000, 1); // a new key: same-size growth; evacuates old 2 (its bucket) and old 0
  assert.equal(h.growing, true);
  assert.ok((h.flags & Flag.sameSizeGrow) !== 0);
  assert.equal(h.B, 2);
  const old = h.oldbuckets;
  assert.deepEqual([0, 1, 2, 3].map((i) => evacuatedMark(h.heap.u8[old + i * bs])), [true, false, true, false]);
  // lo 3 is old bucket 3 (mask 3), not old bucket 1 (the mask a doubling would use).
  assert.equal(bucketFor(h, 3), old + 3 * bs);
  assert.equal(bucketFor(h, 1), old + 1 * bs);
  assert.equal(bucketFor(h, 2), h.buckets + 2 * bs);
  assert.equal(bucketFor(h, 0), h.buckets);
  for (let k = 1000; k < 1009; k++) assert.equal(m.get(k), k);
  checkInvariants(m);
});

test("access: mapaccess on an empty map (count 0) returns 0 before it looks at flags or buckets", () => {
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  assert.equal(h.buckets, 0);
  assert.equal(h.rt.mapaccess(h, 5), 0, "no bucket array yet");
  m.set(5, 50);
  assert.notEqual(h.rt.mapaccess(h, 5), 0);
  // The key's bytes are still in its slot, but a count of 0 answers first (as Go's h.count == 0).
  h.heap.u32[Hmap32.count] = 0;
  assert.equal(h.rt.mapaccess(h, 5), 0);
  // ...and before the hashWriting check: Go's mapaccess returns the zero value there too.
  h.heap.u8[Hmap.flags] |= Flag.hashWriting;
  assert.equal(h.rt.mapaccess(h, 5), 0);
  h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
  h.heap.u32[Hmap32.count] = 1;
  const b = h.rt.mapaccess(h, 5);
  assert.equal(b, h.buckets);
  assert.equal(h.heap.u32[h.elemAt(b, h.slot) >>> 2], 50);
});

test("access: mapaccess throws GoMapError 'concurrent map read and map write' while hashWriting is set", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 20; k++) m.set(k, k);
  const h = hmapOf(m)!;
  const isConcurrent = (err: unknown): boolean => err instanceof GoMapError && err.message === "concurrent map read and map write";
  // The other flags are no reason to refuse a read.
  h.heap.u8[Hmap.flags] |= Flag.iterator | Flag.oldIterator | Flag.sameSizeGrow;
  assert.notEqual(h.rt.mapaccess(h, 3), 0);
  h.heap.u8[Hmap.flags] |= Flag.hashWriting;
  assert.throws(() => h.rt.mapaccess(h, 3), isConcurrent);
  assert.throws(() => h.rt.mapaccess(h, 999), isConcurrent, "a missing key too: the check comes before the search");
  assert.throws(() => m.get(3), isConcurrent);
  h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
  assert.equal(m.get(3), 3);
});

test("access: find skips slots of another tophash and emptyOne slots, and stops at emptyRest", () => {
  // Every key in bucket 0 with tophash minTopHash. hint 20 -> B2, no pool: 10 keys = 8 + 2 in an overflow bucket.
  const kt: GoType<number> = hashedBy(t.u32, () => 0n);
  const m = GoMap.make(kt, t.u32, { hint: 20 });
  for (let k = 0; k < 10; k++) m.set(k, k * 10);
  const h = hmapOf(m)!;
  const head = h.buckets;
  const ovf = h.overflow(head);
  assert.notEqual(ovf, 0);
  const top = Top.minTopHash;
  // Every slot's tophash byte is read (find reads them as the bucket's two words, a byte a slot).
  for (let k = 0; k < 10; k++) {
    assert.equal(h.rt.find(h, head, top, k), k < 8 ? head : ovf, `key ${k}'s bucket`);
    assert.equal(h.slot, k % 8, `key ${k}'s slot`);
  }
  assert.equal(h.rt.find(h, head, top, 42), 0, "a missing key");
  assert.equal(h.rt.find(h, head, top + 1, 4), 0, "a present key under another tophash is never compared");
  // An emptyOne slot is passed over.
  h.heap.u8[head + 3] = Top.emptyOne;
  assert.equal(h.rt.find(h, head, top, 3), 0);
  assert.equal(h.rt.find(h, head, top, 9), ovf);
  // emptyRest ends the walk: with slots 3.. of the head emptyRest, the overflow bucket is never
  // read (its keys are still there, so a walk into it would find 9).
  h.heap.u8.fill(Top.emptyRest, head + 3, head + 8);
  assert.equal(h.rt.find(h, head, top, 2), head);
  assert.equal(h.rt.find(h, head, top, 5), 0);
  assert.equal(h.rt.find(h, head, top, 9), 0);
  assert.equal(m.has(9), false, "mapaccess goes through find");
});

test("access: on a shared heap, a chain that links back on itself (memory a racing writer reused) ends in 'concurrent map read and map write' within a walk of the heap's buckets", () => {
  // Every key in bucket 0 with tophash minTopHash; the key type counts its comparisons, and
  // throws a plain Error far past the bound, so a walk with no bound fails instead of hanging.
  let compares = 0;
  const base: GoType<number> = hashedBy(t.u32, () => 0n);
  const kt: GoType<number> = Object.create(base, {
    equal: {
      value(heap: never, off: number, v: number): boolean {
        if (++compares > 1_000_000) throw new Error("the walk went on past any bound");
        return base.equal(heap, off, v);
      },
    },
  });
  const m = GoMap.make(kt, t.u32, { hint: 20, shared: true }); // B2, no pool
  for (let k = 0; k < 16; k++) m.set(k, k); // bucket 0 and a full overflow bucket: no emptyRest ends the walk
  const h = hmapOf(m)!;
  const head = h.buckets;
  const ovf = h.overflow(head);
  assert.notEqual(ovf, 0);
  h.heap.u32[(ovf + h.t.overflowOffset) >>> 2] = head; // the overflow bucket now links back to the head
  compares = 0;
  assert.throws(() => m.get(999), (err: unknown) => err instanceof GoMapError && err.message === "concurrent map read and map write");
  // At most one walk of every bucket the heap could hold, eight comparisons each.
  const bound = 8 * Math.ceil(h.heap.capacity / h.t.bucketSize);
  assert.ok(compares <= bound, `${compares} comparisons, bound ${bound}`);
  assert.ok(compares > 8, "the walk went round the loop");
});
