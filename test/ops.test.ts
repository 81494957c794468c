// Tests of src/ops.ts and runtime/generic/ops.ts: opsFor makes one Ops per (key type, value
// type) pair and hands it out again; set takes away a key it inserted when the value cannot be
// stored (and, for a present key, keeps the old value and the old key's bits); get tells a
// missing key (undefined) from a present zero value.
import assert from "node:assert/strict";
import test from "node:test";
import { HeapExhaustedError } from "../src/errors.js";
import { GoMap } from "../src/gomap.js";
import { opsFor } from "../src/ops.js";
import { checkInvariants, hmapOf } from "../src/testing/hooks.js";
import { types as t } from "../src/types/index.js";
import type { GoType } from "../src/types/type.js";

/** Far more than the 64 KiB heaps below can hold. */
const huge = "x".repeat(200_000);

test("ops: opsFor caches one Ops per (K, V) pair", () => {
  const ops = opsFor(t.u32, t.u32);
  assert.equal(opsFor(t.u32, t.u32), ops);
  assert.notEqual(opsFor(t.u32, t.u64), ops, "another value type");
  assert.notEqual(opsFor(t.u64, t.u32), ops, "another key type");
  assert.notEqual(opsFor(t.u64, t.u32), opsFor(t.u32, t.u64), "(K, V) is not (V, K)");
  assert.equal(opsFor(t.u32, t.u64), opsFor(t.u32, t.u64));
  const s1 = t.struct({ a: t.u8 });
  const s2 = t.struct({ a: t.u8 });
  assert.notEqual(opsFor(t.u32, s1), opsFor(t.u32, s2), "types by identity");
  for (const fn of ["get", "has", "set"] as const) {
    assert.notEqual(ops[fn], opsFor(t.u32, t.u64)[fn], `${fn} is made per pair`);
  }
});

test("ops: opsFor keeps a map of one thread's Ops and a shared map's apart, whichever was asked for first", () => {
  // A shared map given the one-thread copy would skip the view syncs, the walk that can't loop
  // on reused memory and the second hashWriting check (generic/ops.ts makeSharedOps).
  const k1 = t.struct({ a: t.u16 });
  const plain1 = opsFor(k1, t.i16);
  const shared1 = opsFor(k1, t.i16, true);
  assert.notEqual(shared1, plain1);
  assert.notEqual(shared1.set, plain1.set);
  assert.equal(opsFor(k1, t.i16, true), shared1);
  assert.equal(opsFor(k1, t.i16, false), plain1);
  const k2 = t.struct({ a: t.u16 });
  const shared2 = opsFor(k2, t.i16, true);
  assert.notEqual(opsFor(k2, t.i16), shared2);
});

test("ops: set of a value that cannot be allocated on a new key leaves no entry and no leak", () => {
  const m = GoMap.make(t.u32, t.string, { maxBytes: 65536 });
  for (let k = 0; k < 5; k++) m.set(k, `value number ${k}`);
  const h = hmapOf(m)!;
  const before = h.heap.stats();
  assert.throws(() => m.set(99, huge), HeapExhaustedError);
  assert.equal(m.size, 5);
  assert.equal(m.has(99), false);
  assert.equal(m.get(99), undefined);
  assert.equal(h.heap.stats().inUse, before.inUse);
  assert.equal(h.heap.stats().blocks, before.blocks);
  checkInvariants(m);
  for (let k = 0; k < 5; k++) assert.equal(m.get(k), `value number ${k}`);
  m.set(99, "fits");
  assert.equal(m.get(99), "fits");
  checkInvariants(m);
});

test("ops: set of a value that cannot be allocated on a present key keeps its value and its key's sign", () => {
  const m = GoMap.make(t.f64, t.string, { maxBytes: 65536 });
  m.set(0, "a value of some length");
  assert.throws(() => m.set(-0, huge), HeapExhaustedError);
  assert.equal(m.size, 1);
  assert.equal(m.get(0), "a value of some length");
  assert.ok(Object.is([...m.keys()][0], 0), "the key is still +0: -0 is stored only once the value is in");
  m.set(-0, "ok");
  assert.ok(Object.is([...m.keys()][0], -0));
  checkInvariants(m);
});

test("ops: get on a missing key is undefined, on a present zero value the zero value; has agrees", () => {
  const ops = opsFor(t.u32, t.u32);
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  assert.equal(ops.get(h, 1), undefined, "an empty map with no buckets");
  m.set(1, 0);
  m.set(2, 7);
  assert.equal(ops.get(h, 1), 0);
  assert.equal(ops.get(h, 2), 7);
  assert.equal(ops.get(h, 3), undefined);
  assert.deepEqual([ops.has(h, 1), ops.has(h, 3)], [true, false]);
  assert.throws(() => ops.get(h, -1), RangeError, "the key is checked first");
  const s = GoMap.make(t.string, t.struct({ a: t.u8 }));
  s.set("zero", {});
  assert.deepEqual(s.get("zero"), { a: 0 });
  assert.equal(s.get("none"), undefined);
});

test("ops: a set from inside update's callback is refused as a concurrent write before its value's bytes are staged: the heap is byte for byte as it was", () => {
  // A string value longer than its slot (and a struct holding one) is staged into the heap
  // before the key is inserted; staged while the map was being written, it grew the heap
  // (or, under maxBytes, threw HeapExhaustedError instead of Go's error) before the refusal.
  const S = t.struct({ n: t.u8, s: t.string });
  for (const [vt, value] of [[t.string, huge], [S, { n: 1, s: huge }]] as const) {
    for (const maxBytes of [undefined, 65536]) {
      const m = GoMap.make(t.u32, vt, { maxBytes }) as GoMap<unknown, unknown, unknown, unknown>;
      m.set(1, vt === t.string ? "one" : { s: "one" });
      const heap = hmapOf(m)!.heap;
      const bytes = heap.u8.slice();
      assert.throws(() => m.update(2, () => void m.set(3, value)), /^GoMapError: concurrent map writes$/, `${vt.name}, maxBytes ${maxBytes}`);
      assert.equal(hmapOf(m)!.heap.capacity, bytes.length, `${vt.name}, maxBytes ${maxBytes}: the heap grew`);
      assert.deepEqual(hmapOf(m)!.heap.u8, bytes, `${vt.name}, maxBytes ${maxBytes}: the heap's bytes changed`);
      m.set(3, vt === t.string ? "three" : { s: "three" });
      assert.equal(m.size, 2);
      checkInvariants(m);
    }
  }
});

test("ops: a key that can't be stored (a lone surrogate) is refused before the value's bytes are staged: a TypeError, not HeapExhaustedError, and the heap byte for byte as it was", () => {
  // check() tests a string's kind only; the surrogate is found where the key is hashed. set
  // staged the value first: a value too long for the heap threw HeapExhaustedError for the
  // key's fault, and one that fitted grew the heap and left its bytes behind.
  const K = t.struct({ id: t.u8, name: t.string, inner: t.struct({ tag: t.string }) });
  const cases: [GoType<unknown, unknown>, unknown][] = [
    [t.string, "lone \ud800 surrogate"],
    [K, { id: 1, name: "fine", inner: { tag: "\udfff" } }],
  ];
  for (const [kt, badKey] of cases) {
    for (const shared of [false, true]) {
      for (const maxBytes of [undefined, 65536]) {
        const m = GoMap.make(kt, t.string, { maxBytes, shared }) as GoMap<unknown, unknown, unknown, unknown>;
        const heap = hmapOf(m)!.heap;
        const bytes = heap.u8.slice();
        const what = `${kt.name}, shared ${shared}, maxBytes ${maxBytes}`;
        assert.throws(() => m.set(badKey, huge), { name: "TypeError", message: /lone surrogate/ }, what);
        assert.throws(() => m.update(badKey, () => huge), { name: "TypeError", message: /lone surrogate/ }, what);
        heap.sync();
        assert.equal(heap.capacity, bytes.length, `${what}: the heap grew`);
        assert.deepEqual(heap.u8, bytes, `${what}: the heap's bytes changed`);
        assert.equal(m.size, 0);
        checkInvariants(m);
      }
    }
  }
});
