import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { hash64 } from "../../src/hash/hash.js";
import { i64, u64 } from "../../src/types/int64.js";
import { check, esc, hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;
const MAX_U64 = (1n << 64n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The two stored words of v, computed with BigInt (independently of the descriptors). */
function words(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}

const flavours = [
  { name: "int64", t: i64, min: MIN_I64, max: MAX_I64 },
  { name: "uint64", t: u64, min: 0n, max: MAX_U64 },
];

test("int64/uint64: layout and flags of both read flavours", () => {
  for (const t of [i64, u64, i64.asNumber, u64.asNumber]) {
    assert.equal(t.size, 8);
    assert.equal(t.align, 8);
    assert.equal(t.reflexive, true);
    assert.equal(t.needKeyUpdate, false);
    assert.equal(t.ownsMemory, false);
  }
  assert.equal(i64.kind, "i64");
  assert.equal(i64.name, "int64");
  assert.equal(u64.kind, "u64");
  assert.equal(u64.name, "uint64");
  assert.equal(i64.asNumber.kind, "i64");
  assert.equal(i64.asNumber.name, "int64");
  assert.equal(u64.asNumber.kind, "u64");
  assert.equal(u64.asNumber.name, "uint64");
  assert.equal(i64.zero(), 0n);
  assert.equal(u64.zero(), 0n);
  assert.equal(i64.asNumber.zero(), 0);
  assert.equal(i64.asNumber, i64.asNumber, "one asNumber descriptor");
});

for (const { name, t, min, max } of flavours) {
  const bigs = fc.bigInt({ min, max });
  const safes = fc.integer({ min: min < 0n ? -Number.MAX_SAFE_INTEGER : 0, max: Number.MAX_SAFE_INTEGER });

  test(`${name}: stores two little-endian words (lo, hi) and reads back a bigint (property)`, () => {
    fc.assert(
      fc.property(bigs, (v) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        const [lo, hi] = words(v);
        assert.equal(heap.u32[off >>> 2], lo);
        assert.equal(heap.u32[(off >>> 2) + 1], hi);
        assert.equal(t.read(heap, off), v);
      }),
    );
  });

  test(`${name}: numbers and bigints store the same words, hash alike and compare equal (property)`, () => {
    fc.assert(
      fc.property(safes, fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
        const heap = newHeap();
        const a = store(heap, t, n);
        const b = store(heap, t, BigInt(n));
        assert.equal(heap.u32[a >>> 2], heap.u32[b >>> 2]);
        assert.equal(heap.u32[(a >>> 2) + 1], heap.u32[(b >>> 2) + 1]);
        assert.deepEqual(words(BigInt(n)), [heap.u32[a >>> 2], heap.u32[(a >>> 2) + 1]]);
        assert.deepEqual(hashOf(t, n, seed), hashOf(t, BigInt(n), seed));
        assert.equal(t.equal(heap, a, BigInt(n)), true);
        assert.equal(t.equal(heap, b, n), true);
        assert.equal(t.equalAt(heap, a, b), true);
        assert.equal(t.read(heap, a), BigInt(n));
        assert.equal(t.asNumber.read(heap, a), n);
      }),
    );
  });

  test(`${name}: hash is hash64(lo, hi) and hashAt agrees (property)`, () => {
    fc.assert(
      fc.property(bigs, fc.integer({ min: 0, max: 0xffffffff }), (v, seed) => {
        const heap = newHeap();
        const off = store(heap, t, v);
        const [lo, hi] = words(v);
        const h = hashOf(t, v, seed);
        assert.deepEqual(h, pair(hash64(lo, hi, seed)));
        assert.deepEqual(hashAtOf(t, heap, off, seed), h);
        assert.deepEqual(hashAtOf(t.asNumber, heap, off, seed), h);
      }),
    );
  });

  test(`${name}: equal is value equality, words with their top bit set included (property)`, () => {
    // split() keeps the words as int32 and equal reads the int32 view: a word past 2^31 must
    // still match itself and nothing else.
    const near = fc.constantFrom(min, max, 0n, -1n, 1n << 31n, (1n << 32n) - 1n, (1n << 63n) - 1n);
    const vals = fc.oneof(bigs, near.filter((x) => x >= min && x <= max));
    fc.assert(
      fc.property(vals, vals, (a, b) => {
        const heap = newHeap();
        const off = store(heap, t, a);
        assert.equal(t.equal(heap, off, b), a === b);
        if (b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)) {
          assert.equal(t.equal(heap, off, Number(b)), a === b);
        }
      }),
    );
  });

  test(`${name}: equal tells values apart in either word`, () => {
    const heap = newHeap();
    const off = store(heap, t, 1n << 40n);
    assert.equal(t.equal(heap, off, 1n << 40n), true);
    assert.equal(t.equal(heap, off, 2 ** 40), true);
    assert.equal(t.equal(heap, off, (1n << 40n) + 1n), false);
    assert.equal(t.equal(heap, off, 1n << 41n), false);
    assert.equal(t.equal(heap, off, 0), false);
    const other = store(heap, t, (1n << 40n) + 1n);
    assert.equal(t.equalAt(heap, off, other), false);
    t.release(heap, other);
    assert.equal(t.read(heap, other), 0n);
    assert.equal(t.read(heap, slot(heap, t)), 0n);
  });

  test(`${name}: rejects wrong kinds with a TypeError naming ${name}`, () => {
    for (const v of ["1", null, undefined, true, {}, [], Object(1n)]) {
      const err = thrown(() => t.check(v, "key"));
      assert.ok(err instanceof TypeError);
      assert.match((err as Error).message, new RegExp(`^gomap: cannot use .* as ${name} key$`));
      assert.throws(() => t.asNumber.check(v), TypeError);
    }
  });

  test(`${name}: rejects unsafe numbers, fractions, NaN and out-of-range values with a RangeError`, () => {
    const cases: [unknown, RegExp][] = [
      [2 ** 53, new RegExp(`^gomap: key 9007199254740992 is not a safe integer, want ${name}`)],
      [-(2 ** 53), /is not a safe integer/],
      [1e300, /is not a safe integer/],
      [0.5, new RegExp(`^gomap: key 0.5 is not an integer, want ${name}$`)],
      [NaN, /NaN is not an integer/],
      [Infinity, /Infinity is not an integer/],
      [max + 1n, new RegExp(`^gomap: key ${max + 1n}n out of range for ${name}$`)],
      [min - 1n, new RegExp(`^gomap: key ${esc(String(min - 1n))}n out of range for ${name}$`)],
    ];
    if (min === 0n) cases.push([-1, new RegExp(`^gomap: key -1 out of range for ${name}$`)]);
    for (const [v, re] of cases) {
      const err = thrown(() => t.check(v, "key"));
      assert.ok(err instanceof RangeError, String(v));
      assert.match((err as Error).message, re);
      assert.throws(() => t.asNumber.check(v), RangeError);
    }
    check(t, max);
    check(t, min);
    check(t, Number.MAX_SAFE_INTEGER);
  });
}

test("int64: the extremes round trip and store two's complement", () => {
  const heap = newHeap();
  for (const [v, lo, hi] of [
    [-1n, 0xffffffff, 0xffffffff],
    [MIN_I64, 0, 0x80000000],
    [MAX_I64, 0xffffffff, 0x7fffffff],
    [-(2n ** 32n), 0, 0xffffffff],
    [-SAFE, 1, 0xffe00000],
  ] as const) {
    const off = store(heap, i64, v);
    assert.equal(heap.u32[off >>> 2], lo, `lo of ${v}`);
    assert.equal(heap.u32[(off >>> 2) + 1], hi, `hi of ${v}`);
    assert.equal(i64.read(heap, off), v);
    // The same value as a number, when it is one, takes the BigInt-free path to the same words.
    if (v >= -SAFE && v <= SAFE) {
      const n = store(heap, i64, Number(v));
      assert.equal(i64.equalAt(heap, off, n), true);
    }
  }
});

test("int64/uint64: values around 2^53, where doubles lose odd numbers, read back exactly", () => {
  const heap = newHeap();
  const near = [SAFE, SAFE + 1n, SAFE + 2n, (1n << 53n) + (1n << 32n) + 1n, (1n << 54n) - 1n, (1n << 62n) + 3n];
  for (const v of near) {
    for (const [t, x] of [
      [i64, v],
      [i64, -v],
      [u64, v],
    ] as const) {
      assert.equal(t.read(heap, store(heap, t, x)), x, `${t.name} ${x}`);
    }
  }
});

test("asNumber reads safe integers as numbers and throws a RangeError beyond them", () => {
  const heap = newHeap();
  const ok = [0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32, -(2 ** 32)];
  for (const v of ok) {
    const off = store(heap, i64.asNumber, v);
    assert.equal(i64.asNumber.read(heap, off), v);
    assert.equal(typeof i64.asNumber.read(heap, off), "number");
  }
  for (const v of [SAFE + 1n, -SAFE - 1n, MAX_I64, MIN_I64]) {
    const off = store(heap, i64, v);
    assert.throws(() => i64.asNumber.read(heap, off), {
      name: "RangeError",
      message: new RegExp(`^gomap: stored int64 ${esc(String(v))}n is not a safe integer`),
    });
  }
  const big = store(heap, u64, MAX_U64);
  assert.throws(() => u64.asNumber.read(heap, big), /stored uint64 18446744073709551615n is not a safe integer/);
  const top = store(heap, u64, SAFE);
  assert.equal(u64.asNumber.read(heap, top), Number.MAX_SAFE_INTEGER);
  // uint64 reads the high word unsigned: 2^63 is not negative.
  const high = store(heap, u64, 1n << 63n);
  assert.equal(u64.read(heap, high), 1n << 63n);
  assert.equal(i64.read(heap, high), MIN_I64);
});

test("asNumber takes safe integers alone, as numbers or bigints: a bigint past 2^53 is refused, since it could not be read back", () => {
  for (const [name, t, kind] of [["int64", i64, "i64"], ["uint64", u64, "u64"]] as const) {
    check(t.asNumber, SAFE);
    check(t.asNumber, 5n);
    if (t === i64) check(t.asNumber, -SAFE);
    for (const v of [SAFE + 1n, t === i64 ? -SAFE - 1n : MAX_U64]) {
      assert.throws(() => t.asNumber.check(v, "key"), {
        name: "RangeError",
        message: `gomap: key ${v}n is beyond 2^53: t.${kind}.asNumber reads numbers and could not read it back; use t.${kind} for bigints`,
      });
      // The bigint flavour takes it.
      check(t, v);
    }
    assert.equal(t.asNumber.name, name);
  }
});

test("asNumber refuses an unsafe number without suggesting a bigint, which it refuses too: it names the bigint type", () => {
  for (const [name, t, kind] of [["int64", i64, "i64"], ["uint64", u64, "u64"]] as const) {
    const err = thrown(() => t.asNumber.check(2 ** 53, "key"));
    assert.ok(err instanceof RangeError);
    assert.equal(
      (err as Error).message,
      `gomap: key 9007199254740992 is not a safe integer, want ${name}: t.${kind}.asNumber takes safe integers only; use t.${kind} (with a bigint) for values beyond 2^53`,
    );
    // What the message says works: the bigint flavour takes the value as a bigint.
    check(t, 2n ** 53n);
    // The bigint flavour's own message still says to pass a bigint.
    assert.match((thrown(() => t.check(2 ** 53, "key")) as Error).message, /\(pass a bigint for values beyond 2\^53\)$/);
  }
});
