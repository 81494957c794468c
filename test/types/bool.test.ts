import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { hash32 } from "../../src/hash/hash.js";
import { bool } from "../../src/types/bool.js";
import { hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

test("bool: layout and flags", () => {
  assert.equal(bool.kind, "bool");
  assert.equal(bool.name, "bool");
  assert.equal(bool.size, 1);
  assert.equal(bool.align, 1);
  assert.equal(bool.reflexive, true);
  assert.equal(bool.needKeyUpdate, false);
  assert.equal(bool.ownsMemory, false);
  assert.equal(bool.zero(), false);
});

test("bool: stores 0 and 1 and reads them back", () => {
  const heap = newHeap();
  const t = store(heap, bool, true);
  const f = store(heap, bool, false);
  assert.equal(heap.u8[t], 1);
  assert.equal(heap.u8[f], 0);
  assert.equal(bool.read(heap, t), true);
  assert.equal(bool.read(heap, f), false);
  assert.equal(bool.read(heap, slot(heap, bool)), false, "a zeroed slot is false");
  bool.write(heap, t, false);
  assert.equal(bool.read(heap, t), false);
  bool.write(heap, f, true);
  bool.release(heap, f);
  assert.equal(heap.u8[f], 0);
});

test("bool: hash is hash32 of 0 or 1, and hashAt agrees", () => {
  fc.assert(
    fc.property(fc.boolean(), fc.integer({ min: 0, max: 0xffffffff }), (v, seed) => {
      const heap = newHeap();
      const off = store(heap, bool, v);
      const got = hashOf(bool, v, seed);
      assert.deepEqual(got, pair(hash32(v ? 1 : 0, seed)));
      assert.deepEqual(hashAtOf(bool, heap, off, seed), got);
    }),
  );
});

test("bool: equal and equalAt", () => {
  const heap = newHeap();
  const t = store(heap, bool, true);
  const f = store(heap, bool, false);
  const t2 = store(heap, bool, true);
  assert.equal(bool.equal(heap, t, true), true);
  assert.equal(bool.equal(heap, t, false), false);
  assert.equal(bool.equal(heap, f, false), true);
  assert.equal(bool.equal(heap, f, true), false);
  assert.equal(bool.equalAt(heap, t, t2), true);
  assert.equal(bool.equalAt(heap, t, f), false);
});

test("bool: rejects everything but true and false with a TypeError naming bool", () => {
  for (const v of [0, 1, "true", null, undefined, 1n, {}, [], NaN]) {
    const err = thrown(() => bool.check(v, "key"));
    assert.ok(err instanceof TypeError, String(v));
    assert.match((err as Error).message, /^gomap: cannot use .* as bool key$/);
  }
  bool.check(true);
  bool.check(false);
});
