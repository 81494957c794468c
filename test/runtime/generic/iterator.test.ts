// Tests of the kernel's iterator (src/runtime/generic/iterator.ts): what keys(), values() and
// entries() yield. The iteration's rules (growth, deletes, clear) are tested in
// test/runtime/iterate.test.ts.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../../src/gomap.js";
import { Done } from "../../../src/runtime/generic/iterator.js";
import { hmapOf } from "../../../src/testing/hooks.js";
import { types as t } from "../../../src/types/index.js";

test("iterator: entries are fresh two-element arrays, keys past the small-integer range included", () => {
  // 2^30 and above are doubles to V8, below are small integers: the pairs mix both.
  const keys = [0, 1, 2 ** 30 - 1, 2 ** 30, 2 ** 31, 2 ** 32 - 1, 123_456_789, 3_000_000_000];
  const m = GoMap.make(t.u32, t.f64);
  for (const k of keys) m.set(k, k / 2);
  const seen = new Set<unknown>();
  const got = new Map<number, number>();
  for (const e of m.entries()) {
    assert.ok(Array.isArray(e));
    assert.equal(e.length, 2);
    assert.ok(!seen.has(e), "each entry is a new array");
    seen.add(e);
    got.set(e[0], e[1]);
    e[0] = -1; // the caller owns the array: changing it touches neither the map nor later entries
  }
  assert.deepEqual(got, new Map(keys.map((k) => [k, k / 2])));
  for (const [k, v] of m) assert.equal(v, k / 2);
  assert.equal(m.get(2 ** 32 - 1), (2 ** 32 - 1) / 2);
});

test("iterator: entries of string, u64 and struct maps destructure to the stored pairs", () => {
  const s = GoMap.make(t.string, t.u32);
  const u = GoMap.make(t.u64, t.u64);
  const st = GoMap.make(t.struct({ a: t.u8 }), t.string);
  for (let i = 0; i < 40; i++) {
    s.set(`k${i}`, i);
    u.set(BigInt(i) << 40n, BigInt(i));
    st.set({ a: i }, `v${i}`);
  }
  for (const [k, v] of s) assert.equal(k, `k${v}`);
  for (const [k, v] of u) assert.equal(k, v << 40n);
  for (const [k, v] of st) assert.equal(v, `v${k.a}`);
  assert.equal([...s].length + [...u].length + [...st].length, 120);
});

test("iterator: a done result's value is 0 (Done.value), [0, 0] for entries, at every call", () => {
  // Not undefined, as JS's own iterators give: src/runtime/generic/iterator.ts says why.
  assert.equal(Done.value, 0);
  const m = GoMap.make(t.u32, t.string);
  m.set(2 ** 31 + 5, "x");
  const kinds: [Iterator<unknown>, unknown][] = [
    [m.keys(), 0],
    [m.values(), 0],
    [m.entries(), [0, 0]],
    [m[Symbol.iterator](), [0, 0]],
  ];
  for (const [it, done] of kinds) {
    assert.equal(it.next().done, false);
    for (let i = 0; i < 2; i++) assert.deepEqual(it.next(), { done: true, value: done });
  }
  const st = GoMap.make(t.u64, t.struct({ a: t.u8, b: t.bool }));
  assert.deepEqual(st.entries().next(), { done: true, value: [0, 0] });
  const nil = GoMap.nil(t.string, t.bytes(2));
  assert.deepEqual(nil.keys().next(), { done: true, value: 0 });
  assert.deepEqual(nil.values().next(), { done: true, value: 0 });
});

test("iterator: keys(), values() and entries() yield their own kind; for..of yields pairs", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 100; i++) m.set(i * 7, i);
  const sorted = (a: number[]) => a.sort((x, y) => x - y);
  assert.deepEqual(sorted([...m.keys()]), Array.from({ length: 100 }, (_, i) => i * 7));
  assert.deepEqual(sorted([...m.values()]), Array.from({ length: 100 }, (_, i) => i));
  for (const [k, v] of m.entries()) assert.equal(k, v * 7);
  for (const [k, v] of m) assert.equal(k, v * 7);
});

test("iterator: return() before the first next() ends it, as a generator's does: no entries and no hold after", () => {
  const m = GoMap.make(t.u32, t.u32, { maxBytes: 1 << 16 });
  for (let i = 0; i < 20; i++) m.set(i, i);
  for (const make of [() => m[Symbol.iterator](), () => m.keys(), () => m.values(), () => m.entries()]) {
    const it = make();
    assert.deepEqual(it.return?.(), { done: true, value: undefined });
    assert.equal(it.next().done, true);
    assert.equal(it.next().done, true);
  }
  // None of them holds the heap (a hold would defer every free of the map's).
  assert.equal(hmapOf(m)!.heap.held, false);
});

test("iterator: iterators dropped unfinished still give their holds back once collected, however many one job drops", async () => {
  // The registry that ends a dropped iterator's hold is told of it only after the job that
  // started it, or once 256 have started (iterator.ts, watchLater): those paths, and iterators
  // that finish first (never registered), must leave no hold behind.
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const m = GoMap.make(t.u32, t.string);
  for (let k = 0; k < 100; k++) m.set(k, `a value longer than twelve bytes: ${k}`); // each a block
  const heap = hmapOf(m)!.heap;
  for (let j = 0; j < 1000; j++) m.values().next(); // 1,000 dropped in one job
  for (let j = 0; j < 50; j++) for (const v of m.values()) if (v.endsWith(": 3")) break; // returned
  for (let j = 0; j < 50; j++) [...m.keys()]; // finished
  assert.equal(heap.held, true, "the dropped iterators hold the heap");
  m.delete(7);
  assert.equal(heap.pendingFrees.length, 1, "a free while the heap is held waits");
  for (let r = 0; r < 20 && heap.held; r++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(heap.held, false, "every dropped iterator's hold is gone once they are collected");
  assert.equal(heap.pendingFrees.length, 0, "and what was freed meanwhile is freed");
});
