import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { hash32 } from "../../src/hash/hash.js";
import { i16, i32, i8, u16, u32, u8 } from "../../src/types/int.js";
import type { GoType } from "../../src/types/type.js";
import { check, esc, hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

interface Case {
  t: GoType<number>;
  kind: string;
  name: string;
  size: number;
  min: number;
  max: number;
}

const cases: Case[] = [
  { t: i8, kind: "i8", name: "int8", size: 1, min: -128, max: 127 },
  { t: i16, kind: "i16", name: "int16", size: 2, min: -32768, max: 32767 },
  { t: i32, kind: "i32", name: "int32", size: 4, min: -(2 ** 31), max: 2 ** 31 - 1 },
  { t: u8, kind: "u8", name: "uint8", size: 1, min: 0, max: 255 },
  { t: u16, kind: "u16", name: "uint16", size: 2, min: 0, max: 65535 },
  { t: u32, kind: "u32", name: "uint32", size: 4, min: 0, max: 2 ** 32 - 1 },
];

/** The stored bytes of v as an unsigned word, computed independently of the descriptors. */
function storedWord(v: number, size: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v | 0, true);
  let w = 0;
  for (let i = 0; i < size; i++) w |= b[i] << (8 * i);
  return w >>> 0;
}

for (const c of cases) {
  const { t } = c;

  test(`${c.name}: layout and flags`, () => {
    assert.equal(t.kind, c.kind);
    assert.equal(t.name, c.name);
    assert.equal(t.size, c.size);
    assert.equal(t.align, c.size);
    assert.equal(t.reflexive, true);
    assert.equal(t.needKeyUpdate, false);
    assert.equal(t.ownsMemory, false);
    assert.equal(t.zero(), 0);
  });

  test(`${c.name}: round trips the range, stored little-endian in ${c.size} bytes`, () => {
    const heap = newHeap();
    for (const v of [c.min, c.min + 1, -1, 0, 1, c.max - 1, c.max]) {
      if (v < c.min) continue;
      const off = store(heap, t, v);
      assert.equal(t.read(heap, off), v);
      const w = storedWord(v, c.size);
      for (let i = 0; i < c.size; i++) assert.equal(heap.u8[off + i], (w >>> (8 * i)) & 0xff, `byte ${i} of ${v}`);
      for (let i = c.size; i < 8; i++) assert.equal(heap.u8[off + i], 0, `byte ${i} of ${v} is outside the slot`);
    }
    assert.equal(t.read(heap, slot(heap, t)), 0);
  });

  test(`${c.name}: -0 is stored as 0`, () => {
    const heap = newHeap();
    check(t, -0);
    const off = store(heap, t, -0);
    assert.ok(Object.is(t.read(heap, off), 0));
    assert.equal(t.equal(heap, off, 0), true);
    assert.deepEqual(hashOf(t, -0, 9), hashOf(t, 0, 9));
  });

  test(`${c.name}: hash is hash32 of the stored bytes, and hashAt agrees (property)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: c.min, max: c.max }), fc.integer({ min: 0, max: 0xffffffff }), (v, seed) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        const h = hashOf(t, v, seed);
        assert.deepEqual(h, pair(hash32(storedWord(v, c.size), seed)));
        assert.deepEqual(hashAtOf(t, heap, off, seed), h);
        assert.equal(t.read(heap, off), v);
      }),
    );
  });

  test(`${c.name}: equal, equalAt, overwrite and release`, () => {
    const heap = newHeap();
    const a = store(heap, t, c.max);
    const b = store(heap, t, c.max);
    const z = store(heap, t, 0);
    assert.equal(t.equal(heap, a, c.max), true);
    assert.equal(t.equal(heap, a, c.max - 1), false);
    assert.equal(t.equal(heap, z, 0), true);
    assert.equal(t.equalAt(heap, a, b), true);
    assert.equal(t.equalAt(heap, a, z), false);
    t.write(heap, a, c.min);
    assert.equal(t.read(heap, a), c.min);
    assert.equal(t.equal(heap, a, c.min), true);
    t.release(heap, b);
    assert.equal(t.read(heap, b), 0);
  });

  test(`${c.name}: rejects non-numbers with a TypeError naming the type`, () => {
    for (const v of ["1", 1n, null, undefined, true, {}, [1], new Number(1)]) {
      const err = thrown(() => t.check(v, "key"));
      assert.ok(err instanceof TypeError, `${String(v)} is a TypeError`);
      assert.ok(!(err instanceof RangeError));
      assert.match((err as Error).message, new RegExp(`^gomap: cannot use .* as ${c.name} key$`));
    }
  });

  test(`${c.name}: rejects out-of-range and non-integer numbers with a RangeError naming the type`, () => {
    for (const v of [c.min - 1, c.max + 1, 2 ** 32, -(2 ** 32), 2 ** 53, 1e300]) {
      const err = thrown(() => t.check(v, "key"));
      assert.ok(err instanceof RangeError, `${v} is a RangeError`);
      assert.match((err as Error).message, new RegExp(`^gomap: key ${esc(String(v))} out of range for ${c.name}$`));
    }
    for (const v of [0.5, -1.5, NaN, Infinity, -Infinity, c.max + 0.5]) {
      const err = thrown(() => t.check(v, "value"));
      assert.ok(err instanceof RangeError, `${v} is a RangeError`);
      assert.match((err as Error).message, new RegExp(`^gomap: value ${esc(String(v))} is not an integer, want ${c.name}$`));
    }
  });

  test(`${c.name}: accepts exactly the integers in range (property)`, () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        const ok = Number.isInteger(v) && v >= c.min && v <= c.max;
        if (ok) check(t, v);
        else assert.throws(() => t.check(v), RangeError);
      }),
    );
  });
}

test("u32: the message for 2^32 reads as the docs show it", () => {
  assert.throws(() => u32.check(4294967296, "key"), { name: "RangeError", message: "gomap: key 4294967296 out of range for uint32" });
  assert.throws(() => u32.check(4294967296), { message: "gomap: 4294967296 out of range for uint32" });
});

test("i8 and u8 with the same bits hash alike (the stored byte is hashed)", () => {
  assert.deepEqual(hashOf(i8, -1, 3), hashOf(u8, 255, 3));
  assert.deepEqual(hashOf(i16, -2, 3), hashOf(u16, 65534, 3));
  assert.deepEqual(hashOf(i32, -1, 3), hashOf(u32, 0xffffffff, 3));
});
