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
