import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { hash32, hash64 } from "../../src/hash/hash.js";
import { f32, f64 } from "../../src/types/float.js";
import { hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

const cases = [
  { t: f32, kind: "f32", name: "float32", size: 4, round: Math.fround },
  { t: f64, kind: "f64", name: "float64", size: 8, round: (x: number) => x },
];

/** The bits of a non-zero, non-NaN float as hash words, computed independently. */
function refHash(v: number, size: number, seed: number): [number, number] {
  const dv = new DataView(new ArrayBuffer(8));
  if (size === 4) {
    dv.setFloat32(0, v === 0 ? 0 : v, true);
    return pair(hash32(dv.getUint32(0, true), seed));
  }
  dv.setFloat64(0, v === 0 ? 0 : v, true);
  return pair(hash64(dv.getUint32(0, true), dv.getUint32(4, true), seed));
}

for (const c of cases) {
  const { t } = c;

  test(`${c.name}: layout and flags (Go: not reflexive, needs key update)`, () => {
    assert.equal(t.kind, c.kind);
    assert.equal(t.name, c.name);
    assert.equal(t.size, c.size);
    assert.equal(t.align, c.size);
    assert.equal(t.reflexive, false);
    assert.equal(t.needKeyUpdate, true);
    assert.equal(t.ownsMemory, false);
    assert.ok(Object.is(t.zero(), 0));
  });

  test(`${c.name}: round trips any number, -0, NaN and infinities included (property)`, () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        assert.ok(Object.is(t.read(heap, off), c.round(v)), `${v}`);
      }),
    );
    const heap = newHeap();
    for (const v of [-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE]) {
      assert.ok(Object.is(t.read(heap, store(heap, t, v)), c.round(v)), String(v));
    }
    assert.ok(Object.is(t.read(heap, slot(heap, t)), 0));
  });

  test(`${c.name}: hash agrees with hashAt for every non-NaN number, and with the bits (property)`, () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.integer({ min: 0, max: 0xffffffff }), (v, seed) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        const h = hashOf(t, v, seed);
        assert.deepEqual(hashAtOf(t, heap, off, seed), h);
        assert.deepEqual(h, refHash(c.round(v), c.size, seed));
      }),
    );
  });

  test(`${c.name}: +0 and -0 hash alike and are equal (Go ==)`, () => {
    const heap = newHeap();
    const pz = store(heap, t, 0);
    const nz = store(heap, t, -0);
    assert.deepEqual(hashOf(t, -0, 5), hashOf(t, 0, 5));
    assert.deepEqual(hashAtOf(t, heap, nz, 5), hashOf(t, 0, 5));
    assert.equal(t.equal(heap, pz, -0), true);
    assert.equal(t.equal(heap, nz, 0), true);
    assert.equal(t.equalAt(heap, pz, nz), true);
    assert.ok(Object.is(t.read(heap, nz), -0), "the stored -0 keeps its sign");
  });

  test(`${c.name}: NaN is never equal, not even to itself, and hashes randomly`, () => {
    const heap = newHeap();
    const off = store(heap, t, NaN);
    assert.equal(t.equal(heap, off, NaN), false);
    assert.equal(t.equalAt(heap, off, off), false);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(hashOf(t, NaN, 1).join(","));
    for (let i = 0; i < 20; i++) seen.add(hashAtOf(t, heap, off, 1).join(","));
    assert.ok(seen.size > 30, `NaN hashes should differ, got ${seen.size} distinct of 40`);
  });

  test(`${c.name}: equal compares values`, () => {
    const heap = newHeap();
    const off = store(heap, t, 1.5);
    assert.equal(t.equal(heap, off, 1.5), true);
    assert.equal(t.equal(heap, off, 2.5), false);
    assert.equal(t.equalAt(heap, off, store(heap, t, 1.5)), true);
    t.release(heap, off);
    assert.ok(Object.is(t.read(heap, off), 0));
  });

  test(`${c.name}: rejects non-numbers with a TypeError naming the type`, () => {
    for (const v of ["1.5", 1n, null, undefined, true, {}, [1.5]]) {
      const err = thrown(() => t.check(v, "value"));
      assert.ok(err instanceof TypeError, String(v));
      assert.match((err as Error).message, new RegExp(`^gomap: cannot use .* as ${c.name} value$`));
    }
  });
}

test("float32: a value is rounded before it is hashed or compared", () => {
  const heap = newHeap();
  const v = 0.1; // not a float32
  const off = store(heap, f32, v);
  assert.equal(f32.read(heap, off), Math.fround(0.1));
  assert.equal(f32.equal(heap, off, 0.1), true);
  assert.deepEqual(hashOf(f32, 0.1, 3), hashAtOf(f32, heap, off, 3));
  assert.deepEqual(hashOf(f32, 0.1, 3), hashOf(f32, Math.fround(0.1), 3));
  const big = store(heap, f32, 1e300);
  assert.equal(f32.read(heap, big), Infinity);
});
