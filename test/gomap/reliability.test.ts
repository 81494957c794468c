// Reliability across the public surface: bad input at every entry point of several map types
// (wrong kinds, NaN and infinities for integers, bigints out of range, undefined and null,
// prototype-pollution keys in struct objects, lone surrogates, an update callback returning a
// bad value) is a typed error that leaves every entry as it was; callbacks that throw halfway
// change nothing; and under memory pressure a map keeps every entry, resumes writes once
// deletes free room, and a snapshot of it loaded with a larger maxBytes takes the writes the
// small heap refused. (Type-level rejection is tested in test/types; this is the map's view.)
import assert from "node:assert/strict";
import test from "node:test";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { ROOT_OFFSET, ROOT_SIZE } from "../../src/memory/heap.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : Object.is(x, -0) ? "-0" : x));

function contents(m: AnyMap): string[] {
  return [...m].map(([k, v]) => `${show(k)}=${show(v)}`).sort();
}

const User = t.struct({ name: t.string, age: t.u8, tags: t.struct({ admin: t.bool }) });
const polluted = [JSON.parse('{"__proto__": {"age": 1}}'), { constructor: 1 }, JSON.parse('{"name": "x", "__proto__": null}')];

interface Case {
  name: string;
  kt: AnyType;
  vt: AnyType;
  good: [unknown, unknown][];
  badKeys: unknown[];
  badValues: unknown[];
}

const cases: Case[] = [
  {
    name: "u32->u32",
    kt: t.u32,
    vt: t.u32,
    good: [[1, 10], [2, 20], [4294967295, 0]],
    badKeys: [NaN, Infinity, -Infinity, -1, 1.5, 2 ** 32, 1n, "1", null, undefined, {}, true],
    badValues: [NaN, Infinity, -1, 2 ** 32, 3n, "3", null, undefined],
  },
  {
    name: "string->struct",
    kt: t.string,
    vt: User,
    good: [["ann", { name: "Ann", age: 30 }], ["日本", { name: "x", tags: { admin: true } }]],
    badKeys: [1, null, undefined, "\ud800lone", Symbol("k"), ["a"]],
    badValues: [...polluted, { age: 256 }, { age: NaN }, { name: 5 }, { tags: { admin: 1 } }, { extra: 1 }, null, undefined, "x"],
  },
  {
    name: "u64->i64",
    kt: t.u64,
    vt: t.i64,
    good: [[0n, -1n], [2n ** 64n - 1n, 2n ** 63n - 1n]],
    badKeys: [-1n, 2n ** 64n, 2 ** 53, NaN, Infinity, 0.5, null, undefined],
    badValues: [2n ** 63n, -(2n ** 63n) - 1n, Infinity, NaN, 2 ** 60, null],
  },
  {
    name: "struct->string",
    kt: User,
    vt: t.string,
    good: [[{ name: "a", age: 1 }, "one"], [{ name: "b" }, "two"]],
    badKeys: [...polluted, { age: -1 }, { name: null }, null, undefined, 7],
    badValues: [5, null, undefined, "\udfffbad", {}],
  },
];

for (const c of cases) {
  test(`reliability: ${c.name}: bad keys and values at every entry point are typed errors and change nothing`, () => {
    const m = GoMap.make(c.kt, c.vt) as AnyMap;
    for (const [k, v] of c.good) m.set(k, v);
    const before = contents(m);
    const typed = (e: unknown): boolean => e instanceof TypeError || e instanceof RangeError;
    const [k0, v0] = c.good[0];
    for (const k of c.badKeys) {
      for (const call of [() => m.set(k, v0), () => m.get(k), () => m.has(k), () => m.delete(k), () => m.lookup(k), () => m.update(k, () => v0), () => m.ref(k)]) {
        assert.throws(call, typed, `key ${show(k)}`);
      }
    }
    for (const v of c.badValues) {
      assert.throws(() => m.set(k0, v), typed, `value ${show(v)}`);
      assert.throws(() => m.set(c.good[1][0], v), typed);
      // update's callback returning a bad value (undefined means "keep the value as changed").
      if (v !== undefined) assert.throws(() => m.update(k0, () => v as never), typed, `update -> ${show(v)}`);
    }
    assert.deepEqual(contents(m), before);
    assert.equal(m.size, c.good.length);
    checkInvariants(m);
    // Still writable afterwards.
    m.delete(k0);
    m.set(k0, v0);
    assert.deepEqual(contents(m), before);
  });
}

test("reliability: callbacks that throw halfway through update, forEach or for..of change nothing", () => {
  const m = GoMap.make(t.u32, User) as AnyMap;
  for (let i = 0; i < 500; i++) m.set(i, { name: `u${i}`, age: i & 0xff });
  const before = contents(m);
  assert.throws(
    () =>
      m.update(3, (u) => {
        (u as { age: number }).age = 99;
        throw new Error("halfway");
      }),
    /halfway/,
  );
  assert.throws(() => m.update(100000, () => { throw new Error("absent"); }), /absent/);
  let seen = 0;
  assert.throws(() => m.forEach(() => { if (++seen === 250) throw new Error("forEach"); }), /forEach/);
  assert.throws(() => { for (const _ of m) if (++seen > 400) throw new Error("loop"); }, /loop/);
  assert.deepEqual(contents(m), before);
  assert.equal(hmapOf(m)!.heap.held, false, "the iterations let go of the heap");
  for (let i = 500; i < 3000; i++) m.set(i, { name: `u${i}` });
  checkInvariants(m);
  assert.equal(m.size, 3000);
});

test("reliability: memory pressure: a growth that cannot fit keeps every entry; deletes make room; a bigger maxBytes via a snapshot takes the rest", () => {
  const maxBytes = 48 << 10;
  const m = GoMap.make(t.u32, t.string, { maxBytes }) as AnyMap;
  const model = new Map<number, string>();
  let refused = 0;
  let i = 0;
  for (; refused < 20 && i < 100000; i++) {
    const v = i % 2 === 0 ? `short${i}` : `a value long enough for its own block ${i}`;
    try {
      m.set(i, v);
      model.set(i, v);
    } catch (e) {
      assert.ok(e instanceof HeapExhaustedError, String(e));
      refused++;
    }
  }
  const check = (x: AnyMap): void => {
    checkInvariants(x);
    assert.equal(x.size, model.size);
    for (const [k, v] of model) assert.equal(x.get(k), v);
  };
  check(m);
  assert.ok(hmapOf(m)!.heap.capacity <= maxBytes);
  // Deletes free string blocks and slots: new entries fit again.
  for (const k of [...model.keys()].slice(0, 200)) {
    m.delete(k);
    model.delete(k);
  }
  for (let j = 0; j < 100; j++) {
    m.set(1_000_000 + j, "x");
    model.set(1_000_000 + j, "x");
  }
  check(m);
  // The same map with four times the room takes what this one refused.
  const roomy = GoMap.fromBytes(m.toBytes(), t.u32, t.string, { maxBytes: 4 * maxBytes }) as AnyMap;
  check(roomy);
  for (let j = 0; j < 1000; j++) {
    roomy.set(2_000_000 + j, `more ${j}`);
    model.set(2_000_000 + j, `more ${j}`);
  }
  check(roomy);
});

/** What a refused write must leave as it was: every entry, and the map's shape and seed (not its heap's byte counts). */
function state(m: AnyMap): string {
  const { bytes: _b, heap: _h, histograms: _s, ...shape } = m.inspect({ seed: true });
  return JSON.stringify({ shape, entries: contents(m) });
}

test("reliability: a refused value changes nothing, not even what inserting its key would have: the seed of an empty map, a growth at the load factor", () => {
  const Named = t.struct({ n: t.u8, s: t.string });
  for (const [vt, bad] of [[t.string, "ab\ud800"], [Named, { n: 1, s: "\udc00" }]] as [AnyType, unknown][]) {
    const empty = GoMap.make(t.u32, vt, { seed: 12345 }) as AnyMap;
    const was = state(empty);
    assert.throws(() => empty.set(1, bad), TypeError);
    assert.equal(state(empty), was, "an empty map keeps its seed");
    const full = GoMap.make(t.u32, vt, { seed: 99 }) as AnyMap;
    const good = vt === t.string ? "v" : { n: 2, s: "v" };
    for (let i = 0; i < 13; i++) full.set(i, good); // 13 entries in 2 buckets: the next insert doubles
    const before = state(full);
    assert.throws(() => full.set(100, bad), TypeError);
    assert.throws(() => full.update(100, () => bad as never), TypeError);
    assert.equal(state(full), before, "no growth started for a key that was never stored");
    full.set(100, good);
    assert.equal(full.inspect().B, 2, "the insert of a stored value doubles the map");
    checkInvariants(full);
  }
});

test("reliability: a value with no room for its bytes changes nothing; the same write fits once room is made", () => {
  const m = GoMap.make(t.u32, t.string, { maxBytes: 16 * 1024, seed: 7 }) as AnyMap;
  const long = "x".repeat(3000);
  let i = 0;
  for (;;) {
    const before = state(m);
    try {
      m.set(i, long);
    } catch (err) {
      assert.ok(err instanceof HeapExhaustedError);
      assert.equal(state(m), before);
      break;
    }
    i++;
  }
  m.delete(0);
  m.set(i, long);
  assert.equal(m.get(i), long);
  checkInvariants(m);
  // On a full heap an update that needs no memory (a string of at most 12 bytes is stored in
  // its slot) still goes through, as a u32 value's does.
  const full = GoMap.make(t.u32, t.string, { maxBytes: 16 * 1024 }) as AnyMap;
  for (let j = 0; j < 50; j++) full.set(j, `v${j}`);
  const heap = hmapOf(full)!.heap;
  for (const n of [1024, 256, 64, 8]) {
    try {
      for (;;) heap.alloc(n);
    } catch {
      // full, at this size
    }
  }
  assert.throws(() => full.set(3, "a string too long for its slot"), HeapExhaustedError);
  full.set(3, "w3");
  assert.equal(full.get(3), "w3");
  // An empty map keeps its seed (taking a key inserted for the value away again renewed it).
  const e = GoMap.make(t.u32, t.string, { maxBytes: 4096, seed: 3 }) as AnyMap;
  const was = state(e);
  assert.throws(() => e.set(1, "y".repeat(5000)), HeapExhaustedError);
  assert.equal(state(e), was);
});

test("reliability: struct views and objects as keys and values", () => {
  // A ref's view as the value of a key whose insertion doubles the map (moving the viewed entry).
  const V = t.struct({ a: t.u32, s: t.string });
  const m = GoMap.make(t.u32, V) as AnyMap;
  for (let i = 0; i < 13; i++) m.set(i, { a: i, s: `v${i}` });
  const B = m.inspect().B;
  m.set(100, m.ref(3));
  assert.deepEqual(m.get(100), { a: 3, s: "v3" });
  assert.equal(m.inspect().B, B + 1);
  checkInvariants(m);
  // update's callback returning a view of another entry: update returns what it stored
  // (the view's lookup moved h.slot, and update read another entry's value back).
  const P = t.struct({ x: t.u32, y: t.u32 });
  for (let k1 = 0; k1 < 52; k1++) {
    const pm = GoMap.make(t.u32, P, { seed: 99 }) as AnyMap;
    for (let i = 0; i < 52; i++) pm.set(i, { x: i, y: i });
    const r = pm.ref(k1);
    assert.deepEqual(pm.update(1000, () => r), { x: k1, y: k1 });
    assert.deepEqual(pm.get(1000), { x: k1, y: k1 });
  }
  // A view of a type with the same layout but another reading (int64 as bigint, not asNumber)
  // is checked field by field: 2^60 can't be read back as a number.
  const Big = t.struct({ x: t.i64 });
  const Small = t.struct({ x: t.i64.asNumber });
  const big = GoMap.make(t.u32, Big) as AnyMap;
  big.set(1, { x: 2n ** 60n });
  big.set(2, { x: 5n });
  const small = GoMap.make(t.u32, Small) as AnyMap;
  assert.throws(() => small.set(1, big.ref(1)), RangeError);
  assert.equal(small.size, 0);
  small.set(2, big.ref(2));
  assert.deepEqual(small.get(2), { x: 5 });
  // A struct key overwritten by an equal key stores the new key's float fields (Go's key
  // update); a field named like a member of Object.prototype and left out is 0, not the
  // inherited function (which stored NaN, and the entry could not be found again).
  for (const name of ["constructor", "valueOf", "toString", "x"]) {
    const K = t.struct({ [name]: t.f64, id: t.u32 });
    const km = GoMap.make(K, t.u32) as AnyMap;
    km.set({ id: 1 }, 1);
    km.set({ id: 1 }, 2);
    assert.equal(km.size, 1, name);
    assert.equal(km.get({ id: 1 }), 2, name);
    assert.deepEqual([...km.keys()], [{ [name]: 0, id: 1 }], name);
  }
});

test("reliability: an insert refused for want of memory changes nothing: not a growth it would start, not an overflow bucket for a key whose bytes don't fit", () => {
  // Every maxBytes in a range: the first refused insert of each map comes at a different
  // point (a growth's array, its first evacuation, an overflow bucket, a long key's bytes).
  let refused = 0;
  for (const [kt, key] of [
    [t.u32, (i: number) => i],
    [t.string, (i: number) => `a key long enough to need its own heap block #${i}`],
  ] as [AnyType, (i: number) => unknown][]) {
    for (let maxBytes = 4096; maxBytes < 24_000; maxBytes += 40) {
      const m = GoMap.make(kt, t.u32, { maxBytes, seed: 1 }) as AnyMap;
      const heap = hmapOf(m)!.heap;
      // The map's header (count, flags, B, noverflow, hash0, the arrays, nevacuate, the pool),
      // as bytes: state() on every insert would take most of a minute.
      const header = (): string => Buffer.from(heap.u8.subarray(ROOT_OFFSET, ROOT_OFFSET + ROOT_SIZE)).toString("hex");
      for (let i = 0; ; i++) {
        const before = header();
        try {
          m.set(key(i), i);
        } catch (err) {
          assert.ok(err instanceof HeapExhaustedError);
          assert.equal(header(), before, `maxBytes ${maxBytes}, insert ${i}`);
          assert.equal(m.size, i);
          for (let j = 0; j < i; j++) assert.equal(m.get(key(j)), j);
          refused++;
          break;
        }
      }
      checkInvariants(m);
    }
  }
  assert.equal(refused, 2 * Math.ceil((24_000 - 4096) / 40));
});

test("reliability: update of a key that can't be stored (a lone surrogate) refuses it before its callback runs, even on an empty map", () => {
  const m = GoMap.make(t.string, t.u32) as AnyMap;
  let calls = 0;
  assert.throws(() => m.update("\ud800", () => (calls++, 1)), TypeError);
  assert.equal(calls, 0);
  assert.equal(m.size, 0);
  // A lookup in an empty map hashes nothing: the key is simply not there.
  assert.equal(m.get("\ud800"), undefined);
});
