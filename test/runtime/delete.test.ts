// Tests of src/runtime/delete.ts and generic/delete.ts: emptyRest folding (TestMapTombstones),
// zeroing what a deleted entry leaves (the TestIncrementAfterDelete* family, issue 25936), a
// new hash seed when the map empties (issue 25237), and freeing what deleted entries owned.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { Top } from "../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

/** The tophash bytes of bucket i's chain in the current array, bucket by bucket. */
function chainTops(h: HMap, i: number): number[][] {
  const out: number[][] = [];
  for (let b = h.buckets + i * h.t.bucketSize; b !== 0; b = h.overflow(b)) out.push([...h.heap.u8.subarray(b, b + 8)]);
  return out;
}

/** TestMapTombstones' check: in every chain, the non-emptyRest slots form a prefix that does not end with emptyOne. */
function assertTombstones(h: HMap): void {
  for (let i = 0; i < 2 ** h.B; i++) {
    const tops = chainTops(h, i).flat();
    let rest = false;
    let last = -1;
    for (const top of tops) {
      if (top === Top.emptyRest) {
        rest = true;
        continue;
      }
      assert.equal(rest, false, `bucket ${i}: a slot after emptyRest is not emptyRest: ${tops}`);
      last = top;
    }
    assert.notEqual(last, Top.emptyOne, `bucket ${i}: the last non-emptyRest slot is emptyOne: ${tops}`);
  }
}

test("delete: TestMapTombstones: fill 10000, delete half, add 5000 new keys, delete all", () => {
  // Go's steps, on map[int]int: the refill adds new keys N..3N/2-1 (not the deleted ones
  // again), which land in other slots than the holes, some in them, some after them.
  const m = GoMap.make(t.u64, t.u64);
  const h = hmapOf(m)!;
  const N = 10000;
  // Fill a map.
  for (let i = 0; i < N; i++) m.set(i, i);
  checkInvariants(m);
  assertTombstones(h);
  // Delete half of the entries.
  for (let i = 0; i < N; i += 2) m.delete(i);
  assert.equal(m.size, N / 2);
  checkInvariants(m);
  assertTombstones(h);
  // Add new entries to fill in holes.
  for (let i = N; i < (3 * N) / 2; i++) {
    m.set(i, i);
    if (i % 500 === 0) assertTombstones(h);
  }
  assert.equal(m.size, N);
  checkInvariants(m);
  assertTombstones(h);
  // Delete everything.
  for (let i = 0; i < (3 * N) / 2; i++) m.delete(i);
  assert.equal(m.size, 0);
  checkInvariants(m);
  assertTombstones(h);
  // Everything deleted: every slot of every chain has folded to emptyRest.
  for (let i = 0; i < 2 ** h.B; i++) assert.ok(chainTops(h, i).flat().every((top) => top === Top.emptyRest), `bucket ${i}`);
  // The port's own round: refill the same keys, then delete them all again.
  for (let i = 0; i < N; i++) m.set(i, i);
  for (let i = 0; i < N; i += 2) m.delete(i);
  for (let i = 0; i < N; i += 2) m.set(i, i);
  assertTombstones(h);
  for (let i = 0; i < N; i++) m.delete(i);
  assertTombstones(h);
  assert.equal(m.size, 0);
  checkInvariants(m);
});

test("delete: emptyRest folds backwards through emptyOne slots and across overflow buckets", () => {
  // Every key in bucket 0 of a B0 map: one chain; tophash k + 10.
  const kt: GoType<number> = hashedBy(t.u32, (k) => BigInt(k + 10) << 56n);
  const m = GoMap.make(kt, t.u32);
  const h = hmapOf(m)!;
  for (let k = 0; k < 8; k++) m.set(k, k);
  const E1 = Top.emptyOne;
  const E0 = Top.emptyRest;
  m.delete(3);
  assert.deepEqual(chainTops(h, 0), [[10, 11, 12, E1, 14, 15, 16, 17]]);
  m.delete(7); // the last slot of the last bucket: emptyRest at once
  assert.deepEqual(chainTops(h, 0), [[10, 11, 12, E1, 14, 15, 16, E0]]);
  m.delete(5);
  assert.deepEqual(chainTops(h, 0), [[10, 11, 12, E1, 14, E1, 16, E0]]);
  m.delete(6); // folds 6 and then 5
  assert.deepEqual(chainTops(h, 0), [[10, 11, 12, E1, 14, E0, E0, E0]]);
  m.delete(4); // folds 4 and 3
  assert.deepEqual(chainTops(h, 0), [[10, 11, 12, E0, E0, E0, E0, E0]]);
  checkInvariants(m);
  // A chain of two buckets (8 in the head, 2 in an overflow bucket) in a B1 map, which holds
  // 13 without growing; bucket 0 gets every key.
  const m2 = GoMap.make(kt, t.u32, { hint: 13 });
  const h2 = hmapOf(m2)!;
  for (let k = 0; k < 10; k++) m2.set(k, k);
  assert.equal(chainTops(h2, 0).length, 2);
  m2.delete(8); // slot 0 of the overflow bucket, slot 1 still filled
  assert.deepEqual(chainTops(h2, 0)[1].slice(0, 2), [E1, 19]);
  m2.delete(7); // slot 7 of the head: the overflow's slot 0 is not emptyRest, so emptyOne
  assert.equal(chainTops(h2, 0)[0][7], E1);
  m2.delete(9); // the overflow's last filled slot: folds to its slot 0, then back into the head
  assert.deepEqual(chainTops(h2, 0), [
    [10, 11, 12, 13, 14, 15, 16, E0],
    [E0, E0, E0, E0, E0, E0, E0, E0],
  ]);
  checkInvariants(m2);
  for (let k = 0; k < 7; k++) assert.equal(m2.get(k), k);
});

test("delete: a missing key, a nil map and an empty map: false, nothing changes", () => {
  const m = GoMap.make(t.u32, t.u32);
  assert.equal(m.delete(1), false);
  m.set(1, 1);
  const h = hmapOf(m)!;
  const seed = h.hash0;
  assert.equal(m.delete(2), false);
  assert.equal(m.size, 1);
  assert.equal(h.hash0, seed);
  assert.equal(GoMap.nil(t.u32, t.u32).delete(1), false);
  assert.equal(m.delete(1), true);
  assert.equal(m.delete(1), false, "twice");
});

test("delete: hash0 is renewed when count reaches 0 (issue 25237), not before", () => {
  const m = GoMap.make(t.string, t.u32);
  const h = hmapOf(m)!;
  const seeds = new Set<number>();
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 20; i++) m.set(`k${i}`, i);
    const seed = h.hash0;
    seeds.add(seed);
    for (let i = 0; i < 19; i++) {
      m.delete(`k${i}`);
      assert.equal(h.hash0, seed, "the seed stays while entries remain");
    }
    m.delete("k19");
    assert.equal(m.size, 0);
    checkInvariants(m);
  }
  assert.ok(seeds.size >= 9, `the map got a new seed each time it emptied (${seeds.size} seeds in 10 rounds)`);
  // The map still works with its new seed.
  m.set("again", 1);
  assert.equal(m.get("again"), 1);
});

test("delete: the deleted elem is zeroed, and a pointer-free key keeps its bytes (as Go)", () => {
  const m = GoMap.make(t.u32, t.u64);
  m.set(12, 99);
  const h = hmapOf(m)!;
  const b = h.buckets;
  m.delete(12);
  assert.equal(h.heap.u8[b], Top.emptyRest);
  const e = h.elemAt(b, 0);
  assert.deepEqual([...h.heap.u8.subarray(e, e + 8)], [0, 0, 0, 0, 0, 0, 0, 0], "elem zeroed");
  assert.equal(t.u32.read(h.heap, h.keyAt(b, 0)), 12, "key bytes left in place");
});

test("delete: only the deleted elem is zeroed, for elems of 1 to 16 bytes (one word or not)", () => {
  const values = [
    [t.u8, 0xab],
    [t.u16, 0xabcd],
    [t.bytes(3), new Uint8Array([1, 2, 3])],
    [t.u32, 0xdeadbeef],
    [t.f32, -1.5],
    [t.u64.asNumber, 2 ** 40 + 7],
    [t.struct({ a: t.u32, b: t.u16, c: t.f64 }), { a: 7, b: 9, c: 0.25 }],
  ] as unknown as [GoType<unknown, unknown>, unknown][];
  for (const [vt, v] of values) {
    // Three keys in one bucket (B = 0), in slots 0, 1 and 2; the middle one goes.
    const m = GoMap.make(t.u32, vt);
    for (const k of [1, 2, 3]) m.set(k, v);
    const h = hmapOf(m)!;
    const b = h.buckets;
    const slot = (i: number) => [...h.heap.u8.subarray(h.elemAt(b, i), h.elemAt(b, i) + vt.size)];
    const full = slot(0);
    assert.ok(full.some((x) => x !== 0), `${vt.name}: a stored value has nonzero bytes`);
    m.delete(2);
    assert.deepEqual(slot(1), new Array(vt.size).fill(0), `${vt.name}: the deleted elem is zeroed`);
    assert.deepEqual(slot(0), full, `${vt.name}: the elem before it is untouched`);
    assert.deepEqual(slot(2), full, `${vt.name}: the elem after it is untouched`);
    assert.deepEqual(m.get(1), v);
    assert.deepEqual(m.get(3), v);
    checkInvariants(m);
  }
});

// TestIncrementAfterDeleteValueInt, TestIncrementAfterDeleteValueInt32 and
// TestIncrementAfterDeleteValueInt64, one test each:
for (const [name, vt, one] of [
  ["ValueInt", t.i64.asNumber, 1],
  ["ValueInt32", t.i32, 1],
  ["ValueInt64", t.i64, 1n],
] as const) {
  test(`delete: TestIncrementAfterDelete${name}: delete k1, then m[k2]++ gives 1`, () => {
    const vtype: GoType<number | bigint, number | bigint> = vt as GoType<number | bigint, number | bigint>;
    const m = GoMap.make(t.i64.asNumber, vtype);
    m.set(12, typeof one === "bigint" ? 99n : 99);
    m.delete(12);
    const got = m.update(13, (v) => (typeof v === "bigint" ? v + 1n : v + 1));
    assert.equal(got, one);
    assert.equal(m.get(13), one);
    assert.equal(m.size, 1);
    checkInvariants(m);
  });
}

test("delete: TestIncrementAfterDeleteKeyStringValueInt", () => {
  // Go's keys: "" (a string of no bytes) and "x".
  const m = GoMap.make(t.string, t.i64.asNumber);
  m.set("", 99);
  m.delete("");
  m.update("x", (v) => v + 1);
  assert.equal(m.get("x"), 1);
  assert.equal(m.has(""), false);
  m.set("a", 99);
  m.delete("a");
  m.update("b", (v) => v + 1);
  assert.equal(m.get("b"), 1);
  checkInvariants(m);
});

test("delete: TestIncrementAfterDeleteKeyValueString: a string value after delete, then += \"1\" gives \"1\"", () => {
  const m = GoMap.make(t.string, t.string);
  // Go's keys and value: "" -> "99", deleted, then m["x"] += "1".
  m.set("", "99");
  m.delete("");
  m.update("x", (v) => v + "1");
  assert.equal(m.get("x"), "1");
  m.set("a", "xyz");
  m.delete("a");
  m.update("b", (v) => v + "1");
  assert.equal(m.get("b"), "1");
  // The same slot again, through the low level: set then read.
  m.delete("b");
  m.set("c", "");
  assert.equal(m.get("c"), "");
  checkInvariants(m);
});

test("delete: what a deleted entry owned (string bytes, indirect blocks) is freed", () => {
  for (const [kt, vt, key, value] of [
    [t.string, t.string, (i: number) => `key-${i}-${"k".repeat(i % 40)}`, (i: number) => `value-${"v".repeat(i % 60)}`],
    [t.bytes(200), t.bytes(300), (i: number) => new Uint8Array(200).fill(i % 256, 0, 1 + (i % 200)), (i: number) => new Uint8Array(300).fill(i % 7)],
  ] as const) {
    const m = GoMap.make(kt as GoType<unknown>, vt as GoType<unknown>, { hint: 300 });
    const h = hmapOf(m)!;
    const base = h.heap.stats();
    for (let i = 0; i < 200; i++) m.set(key(i), value(i));
    assert.equal(m.size, 200);
    assert.ok(h.heap.stats().inUse > base.inUse);
    for (let i = 0; i < 200; i++) assert.equal(m.delete(key(i)), true);
    const s = h.heap.stats();
    assert.equal(s.inUse, base.inUse, `${kt.name}/${vt.name}: every block freed`);
    assert.equal(s.blocks, base.blocks);
    checkInvariants(m);
  }
});
