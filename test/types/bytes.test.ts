import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { runInNewContext } from "node:vm";
import { hashBytes } from "../../src/hash/hash.js";
import { Heap } from "../../src/memory/heap.js";
import { bytes, MAX_BYTES } from "../../src/types/bytes.js";
import { hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

test("bytes(n): layout, flags and name", () => {
  for (const n of [0, 1, 4, 16, 32, 33, 100]) {
    const t = bytes(n);
    assert.equal(t.kind, "bytes");
    assert.equal(t.name, `[${n}]byte`);
    assert.equal(t.size, n);
    assert.equal(t.align, 1);
    assert.equal(t.reflexive, true);
    assert.equal(t.needKeyUpdate, false);
    assert.equal(t.ownsMemory, false);
    assert.deepEqual(t.zero(), new Uint8Array(n));
  }
  assert.notEqual(bytes(4).zero(), bytes(4).zero(), "zero() is a fresh array each time");
});

test("bytes(n): one descriptor per n", () => {
  assert.equal(bytes(16), bytes(16));
  assert.notEqual(bytes(16), bytes(15));
  assert.equal(bytes(MAX_BYTES).size, 2 ** 31, "the largest n makes a descriptor without allocating n bytes");
});

test("bytes(n): rejects a bad n", () => {
  for (const n of [-1, 1.5, NaN, Infinity, 2 ** 31 + 1]) assert.throws(() => bytes(n), RangeError, String(n));
  for (const n of ["16", 16n, null, undefined]) assert.throws(() => bytes(n as unknown as number), TypeError);
});

for (const n of [0, 3, 16, 40]) {
  const t = bytes(n);
  const arrays = fc.uint8Array({ minLength: n, maxLength: n });

  test(`[${n}]byte: round trips, hash equals hashBytes and hashAt (property)`, () => {
    fc.assert(
      fc.property(arrays, fc.integer({ min: 0, max: 0xffffffff }), (v, seed) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        const got = t.read(heap, off);
        assert.deepEqual(got, v);
        assert.notEqual(got.buffer, heap.buffer, "read returns a copy");
        const h = hashOf(t, v, seed);
        assert.deepEqual(h, pair(hashBytes(v, 0, n, seed)));
        assert.deepEqual(hashAtOf(t, heap, off, seed), h);
        assert.equal(t.equal(heap, off, v), true);
      }),
    );
  });

  test(`[${n}]byte: equal and equalAt are bytewise (property)`, () => {
    fc.assert(
      fc.property(arrays, arrays, (a, b) => {
        const heap = newHeap();
        const same = a.every((x, i) => x === b[i]);
        const oa = store(heap, t, a);
        const ob = store(heap, t, b);
        assert.equal(t.equal(heap, oa, b), same);
        assert.equal(t.equalAt(heap, oa, ob), same);
      }),
    );
  });
}

test("bytes: equal looks at every byte, the first and the last included", () => {
  const heap = newHeap();
  for (const n of [1, 4, 16, 40]) {
    const t = bytes(n);
    const base = new Uint8Array(n).fill(3);
    const a = store(heap, t, base);
    for (const i of new Set([0, n >> 1, n - 1])) {
      const other = base.slice();
      other[i] = 4;
      assert.equal(t.equal(heap, a, other), false, `[${n}]byte differing at ${i}`);
      assert.equal(t.equalAt(heap, a, store(heap, t, other)), false);
      assert.notDeepEqual(hashOf(t, other, 1), hashOf(t, base, 1));
    }
  }
});

test("bytes: accepts a Buffer and views at an offset", () => {
  const heap = newHeap();
  const t = bytes(4);
  const buf = Buffer.from([9, 1, 2, 3, 4, 9]);
  const view = buf.subarray(1, 5);
  const off = store(heap, t, view);
  assert.deepEqual(t.read(heap, off), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(hashOf(t, view, 2), hashOf(t, new Uint8Array([1, 2, 3, 4]), 2));
  assert.equal(t.equal(heap, off, new Uint8Array([1, 2, 3, 5])), false);
  const stored = t.read(heap, off);
  stored[0] = 42;
  assert.equal(heap.u8[off], 1, "changing a read copy does not change the heap");
});

test("bytes: overwrite and release", () => {
  const heap = newHeap();
  const t = bytes(40);
  const off = store(heap, t, new Uint8Array(40).fill(7));
  t.write(heap, off, new Uint8Array(40).fill(8));
  assert.deepEqual(t.read(heap, off), new Uint8Array(40).fill(8));
  t.release(heap, off);
  assert.deepEqual(t.read(heap, off), new Uint8Array(40));
  assert.deepEqual(t.read(heap, slot(heap, t)), new Uint8Array(40));
});

test("bytes: read from a shared heap returns an unshared copy", () => {
  const heap = Heap.create({ shared: true });
  const t = bytes(16);
  const off = store(heap, t, new Uint8Array(16).fill(5));
  const got = t.read(heap, off);
  assert.ok(!(got.buffer instanceof SharedArrayBuffer));
  assert.deepEqual(got, new Uint8Array(16).fill(5));
});

test("bytes: rejects other kinds with a TypeError and wrong lengths with a RangeError", () => {
  const t = bytes(16);
  for (const v of [[1, 2], "0123456789abcdef", new Uint16Array(16), new Int8Array(16), new Uint8ClampedArray(16), null, 1, new ArrayBuffer(16)]) {
    const err = thrown(() => t.check(v, "key"));
    assert.ok(err instanceof TypeError, String(v));
    assert.match((err as Error).message, /^gomap: cannot use .* as \[16\]byte key$/);
  }
  for (const n of [0, 15, 17]) {
    const err = thrown(() => t.check(new Uint8Array(n), "key"));
    assert.ok(err instanceof RangeError);
    assert.equal((err as Error).message, `gomap: key Uint8Array of ${n} bytes, want [16]byte`);
  }
});

test("bytes: check reads a Uint8Array's own length and kind, not what its object says: a Proxy, a length getter that lies, an Int8Array given Uint8Array's prototype are refused; a Uint8Array of another realm is one", () => {
  const t = bytes(4);
  // Each of these passed `instanceof Uint8Array` and `.length === 4`, and the hash then read
  // bytes the write did not store (undefined as 0, -1 as 0xffffffff), or the Proxy's trap
  // answered the hash and the write differently: a key stored under the wrong hash.
  class LongerThanItIs extends Uint8Array {
    override get length(): number {
      return 4;
    }
  }
  const ownLength = Object.defineProperty(new Uint8Array(2), "length", { value: 4 });
  const signed = Object.setPrototypeOf(new Int8Array([-1, -1, -1, -1]), Uint8Array.prototype) as Uint8Array;
  const proxy = new Proxy(new Uint8Array(4), {});
  for (const [v, E, re] of [
    [new LongerThanItIs(2), RangeError, /^gomap: key Uint8Array of 2 bytes, want \[4\]byte$/],
    [ownLength, RangeError, /^gomap: key Uint8Array of 2 bytes, want \[4\]byte$/],
    [signed, TypeError, /^gomap: cannot use .*Int8Array.* as \[4\]byte key$/],
    [proxy, TypeError, /^gomap: cannot use .*Proxy.* as \[4\]byte key$/],
  ] as const) {
    const err = thrown(() => t.check(v, "key"));
    assert.ok(err instanceof E, String(err));
    assert.match((err as Error).message, re);
  }
  // A Uint8Array made in another realm (a vm context, as test runners such as Jest give each
  // file) is a Uint8Array, though not an instance of this realm's class.
  const foreign = runInNewContext("new Uint8Array([1, 2, 3, 4])") as Uint8Array;
  assert.equal(foreign instanceof Uint8Array, false);
  const heap = newHeap();
  const off = store(heap, t, foreign);
  assert.deepEqual(t.read(heap, off), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(hashOf(t, foreign, 5), hashOf(t, new Uint8Array([1, 2, 3, 4]), 5));
});
