// Tests of src/runtime/generic/assign.ts: what mapassign reports (h.inserted, h.bucket, h.slot,
// h.head and the elem offset) for new and present keys, in a head bucket and in an overflow
// bucket; the first empty slot of the chain taken by a new key while the walk goes on to find
// an equal key past it; growth started by a new key exactly past 6.5 entries a bucket, never
// by an update; and updateKeyBits, which stores only the bits equal keys can differ in.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../../src/gomap.js";
import { updateKeyBits } from "../../../src/runtime/generic/assign.js";
import { Top } from "../../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../../src/testing/hooks.js";
import { types as t } from "../../../src/types/index.js";
import type { GoType } from "../../../src/types/type.js";

/** The key's bucket is floor(k / 100); every tophash is minTopHash. */
const byHundreds: GoType<number> = hashedBy(t.u32, (k) => BigInt(Math.floor(k / 100)));

test("assign: a new key and a present one: inserted, bucket, slot, chain head and elem offset", () => {
  const m = GoMap.make(byHundreds, t.u32, { hint: 20 }); // B2, no pool
  const h = hmapOf(m)!;
  const head = h.buckets + 1 * h.t.bucketSize;
  let e = h.rt.mapassign(h, 100);
  assert.deepEqual([h.inserted, h.bucket, h.slot, h.head], [true, head, 0, head]);
  assert.equal(e, h.elemAt(head, 0));
  assert.equal(h.heap.u8[head], Top.minTopHash, "the tophash is set");
  assert.equal(m.size, 1);
  assert.equal(m.get(100), 0, "the elem is left zero for the caller to fill");
  for (let k = 101; k <= 107; k++) m.set(k, k);
  // The 9th key of the chain goes into a new overflow bucket; head still names the chain's first.
  e = h.rt.mapassign(h, 108);
  const ovf = h.overflow(head);
  assert.notEqual(ovf, 0);
  assert.deepEqual([h.inserted, h.bucket, h.slot, h.head], [true, ovf, 0, head]);
  assert.equal(e, h.elemAt(ovf, 0));
  assert.equal(m.size, 9);
  // Present keys: inserted is false again, and nothing is counted.
  e = h.rt.mapassign(h, 103);
  assert.deepEqual([h.inserted, h.bucket, h.slot, h.head], [false, head, 3, head]);
  assert.equal(e, h.elemAt(head, 3));
  e = h.rt.mapassign(h, 108);
  assert.deepEqual([h.inserted, h.bucket, h.slot, h.head], [false, ovf, 0, head]);
  assert.equal(e, h.elemAt(ovf, 0));
  assert.equal(m.size, 9);
  checkInvariants(m);
});

test("assign: a new key takes the chain's first empty slot (emptyOne left by a delete); a present key past a hole is found, not added twice", () => {
  const m = GoMap.make(byHundreds, t.u32, { hint: 20 });
  const h = hmapOf(m)!;
  const head = h.buckets + 1 * h.t.bucketSize;
  for (let k = 100; k <= 104; k++) m.set(k, k); // slots 0..4
  m.delete(103);
  m.delete(101);
  assert.deepEqual([...h.heap.u8.subarray(head, head + 6)], [Top.minTopHash, Top.emptyOne, Top.minTopHash, Top.emptyOne, Top.minTopHash, Top.emptyRest]);
  h.rt.mapassign(h, 104);
  assert.deepEqual([h.inserted, h.slot], [false, 4], "104 sits past two holes");
  assert.equal(m.size, 3);
  h.rt.mapassign(h, 150);
  assert.deepEqual([h.inserted, h.bucket, h.slot], [true, head, 1]);
  h.rt.mapassign(h, 151);
  assert.deepEqual([h.inserted, h.bucket, h.slot], [true, head, 3]);
  h.rt.mapassign(h, 152);
  assert.deepEqual([h.inserted, h.bucket, h.slot], [true, head, 5]);
  checkInvariants(m);
  // A hole in the head bucket is taken before a free slot in the overflow bucket.
  for (let k = 153; k <= 155; k++) m.set(k, k); // head full (8), overflow slot 0
  const ovf = h.overflow(head);
  assert.notEqual(ovf, 0);
  m.delete(102);
  h.rt.mapassign(h, 160);
  assert.deepEqual([h.inserted, h.bucket, h.slot], [true, head, 2]);
  h.rt.mapassign(h, 161);
  assert.deepEqual([h.inserted, h.bucket, h.slot], [true, ovf, 1]);
  assert.equal(m.size, 10);
  checkInvariants(m);
});

test("assign: a new key grows the map exactly past 6.5 entries a bucket; an update at the threshold does not", () => {
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  // The largest count each B holds: B0 8, B1 13, B2 26, B3 52.
  let k = 0;
  for (const [B, most] of [[0, 8], [1, 13], [2, 26], [3, 52]]) {
    while (k < most) m.set(k++, 1);
    for (let w = 0; h.growing; w++) {
      assert.ok(w < 16, "a growth ends after at most 2^oldB writes");
      m.set(0, 1); // updates move a running growth along
    }
    assert.equal(h.B, B, `${most} entries`);
    for (let u = 0; u < most; u++) m.set(u, 2); // updates of present keys at the threshold
    assert.equal(h.B, B, `updates at ${most} entries`);
    assert.equal(h.growing, false);
    m.set(k++, 1);
    assert.equal(h.B, B + 1, `the new key #${most + 1}`);
    assert.equal(m.get(k - 1), 1);
    checkInvariants(m);
  }
});

test("assign: updateKeyBits: over an equal struct key {f: f64, s: string}, only the float's bits change; the string keeps its block", () => {
  const kt = t.struct({ f: t.f64, s: t.string });
  const sField = kt.fields.find((f) => f.name === "s")!;
  const fField = kt.fields.find((f) => f.name === "f")!;
  const long = "a string of more than twelve bytes";
  const m = GoMap.make(kt, t.u32);
  m.set({ f: 0, s: long }, 1);
  const h = hmapOf(m)!;
  const b = h.rt.mapaccess(h, { f: 0, s: long });
  const key = h.keyAt(b, h.slot);
  const ptr = h.heap.u32[(key + sField.offset) >>> 2];
  assert.notEqual(ptr, 0, "the string is long enough to own a block");
  const before = h.heap.stats();
  const f = (): number => h.heap.f64[(key + fField.offset) >>> 3];
  // Directly...
  updateKeyBits(kt, h.heap, key, { f: -0, s: long });
  assert.ok(Object.is(f(), -0), "-0 over +0");
  assert.equal(h.heap.u32[(key + sField.offset) >>> 2], ptr, "the string's block is the same one");
  assert.deepEqual(h.heap.stats(), before);
  updateKeyBits(kt, h.heap, key, { s: long });
  assert.ok(Object.is(f(), 0), "a missing field is its zero value, +0");
  // ...and through set, which calls it for a present key once the value is stored.
  m.set({ f: -0, s: long }, 2);
  assert.equal(m.size, 1);
  assert.ok(Object.is([...m.keys()][0].f, -0));
  assert.equal(m.get({ f: 0, s: long }), 2);
  assert.equal(h.heap.u32[(key + sField.offset) >>> 2], ptr);
  assert.deepEqual(h.heap.stats(), before);
  // A reflexive key type (string) has no such bits: nothing is written at all.
  const sm = GoMap.make(t.string, t.u32);
  sm.set(long, 1);
  const sh = hmapOf(sm)!;
  const sb = sh.rt.mapaccess(sh, long);
  const skey = sh.keyAt(sb, sh.slot);
  const sptr = sh.heap.u32[skey >>> 2];
  const sbefore = sh.heap.stats();
  updateKeyBits(t.string, sh.heap, skey, long);
  sm.set(long, 2);
  assert.equal(sh.heap.u32[skey >>> 2], sptr);
  assert.deepEqual(sh.heap.stats(), sbefore);
  checkInvariants(m);
});
