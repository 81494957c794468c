// Tests of the kernel's iterator (src/runtime/generic/iterator.ts): what keys(), values() and
// entries() yield. The iteration's rules (growth, deletes, clear) are tested in
// test/runtime/iterate.test.ts.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../../src/gomap.js";
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
