// Tests of src/testing/hooks.ts: hashedBy gives a key type whose hash is the given function's
// (the seed ignored, hash and hashAt in agreement, everything else the base type's), so it
// decides buckets and tophashes; hmapOf gives a map's handle, null for a nil map; and the
// checkInvariants hook runs the debug checks, doing nothing on a nil map.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { hashOut } from "../../src/hash/hash.js";
import { HMap } from "../../src/runtime/hmap.js";
import { Hmap32, tophash } from "../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

test("hooks: hashedBy(() => 0n) puts every key in bucket 0: its chain grows, noverflow with it", () => {
  const kt: GoType<number> = hashedBy(t.u32, () => 0n);
  const m = GoMap.make(kt, t.u32, { hint: 100 }); // B4: 16 buckets
  for (let k = 0; k < 100; k++) m.set(k, k);
  const s = m.inspect();
  assert.equal(s.B, 4);
  assert.equal(s.noverflow, 12, "100 keys in one chain: 13 buckets");
  const h = hmapOf(m)!;
  let chain = 0;
  for (let b = h.buckets; b !== 0; b = h.overflow(b)) chain++;
  assert.equal(chain, 13);
  for (let i = 1; i < 16; i++) assert.equal(h.heap.u8[h.buckets + i * h.t.bucketSize], 0, `bucket ${i} is empty`);
  for (let k = 0; k < 100; k++) assert.equal(m.get(k), k);
  checkInvariants(m);
  // The same keys under u32's own hash spread out.
  const plain = GoMap.make(t.u32, t.u32, { hint: 100 });
  for (let k = 0; k < 100; k++) plain.set(k, k);
  assert.ok(plain.inspect().noverflow < 12);
});

test("hooks: hashedBy's 64-bit hash picks the bucket (low bits) and the tophash (top byte), whatever the seed", () => {
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(0xa0 + k) << 56n) | 0x0034_5678_0000_0000n | BigInt(k));
  for (const seed of [0, 1, -1, 0x7fffffff]) {
    assert.equal(kt.hash(3, seed), 3);
    assert.equal(hashOut.hi, 0xa3345678);
  }
  const m = GoMap.make(kt, t.u32, { hint: 20 }); // B2
  for (let k = 0; k < 4; k++) m.set(k, k);
  const h = hmapOf(m)!;
  for (let k = 0; k < 4; k++) {
    const b = h.buckets + k * h.t.bucketSize;
    assert.equal(h.heap.u8[b], tophash(0xa0345678 + (k << 24)), `key ${k}: bucket ${k}, slot 0`);
    // hashAt (used when the map grows and by the checks) agrees with hash.
    assert.equal(kt.hashAt(h.heap, h.keyAt(b, 0), 12345), k);
    assert.equal(hashOut.hi, 0xa0345678 + (k << 24));
  }
  // Everything but the hash is the base type's.
  assert.equal(kt.size, 4);
  assert.equal(kt.kind, "u32");
  assert.match(kt.name, /^uint32\(hashed by test\)$/);
  assert.throws(() => kt.check(-1), RangeError);
  assert.notEqual(t.u32.hash(3, 0), t.u32.hash(3, 1), "the base type keeps its own, seeded hash");
});

test("hooks: hmapOf: a map's handle (its live header), null for a nil map", () => {
  assert.equal(hmapOf(GoMap.nil(t.u32, t.u32)), null);
  assert.equal(hmapOf(GoMap.nil(t.string, t.string)), null);
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m);
  assert.ok(h instanceof HMap);
  assert.equal(hmapOf(m), h, "the same handle every time");
  m.set(1, 1);
  assert.equal(h.count, 1);
  assert.equal(h.heap.u32[Hmap32.count], m.size);
});

test("hooks: checkInvariants runs the debug checks on a map, and nothing on a nil map", () => {
  checkInvariants(GoMap.nil(t.u32, t.u32));
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 1);
  checkInvariants(m);
  hmapOf(m)!.heap.u32[Hmap32.count] = 2;
  assert.throws(() => checkInvariants(m), /gomap invariant: count 2 but 1 live entries/);
});
