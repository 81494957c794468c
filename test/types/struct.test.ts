import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { hash32 } from "../../src/hash/hash.js";
import { Heap } from "../../src/memory/heap.js";
import { bool } from "../../src/types/bool.js";
import { bytes } from "../../src/types/bytes.js";
import { f32, f64 } from "../../src/types/float.js";
import { i16, i32, i8, u16, u32, u8 } from "../../src/types/int.js";
import { i64, u64 } from "../../src/types/int64.js";
import { string } from "../../src/types/string.js";
import { StructType, isStructType, struct } from "../../src/types/struct.js";
import type { Slot } from "../../src/types/struct.js";
import { check, hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

/** A slot at a fixed offset of heap that can be made stale. */
class TestSlot implements Slot {
  stale = false;
  constructor(
    readonly h: Heap,
    readonly off: number,
  ) {}
  heap(): Heap {
    return this.h;
  }
  offset(): number {
    if (this.stale) throw new Error("stale slot");
    return this.off;
  }
  path(): string {
    return "value";
  }
}

test("struct: Go layout, pinned", () => {
  const s = struct({ a: u8, b: f64, c: u16 });
  assert.deepEqual(
    s.fields.map((f) => [f.name, f.offset]),
    [
      ["a", 0],
      ["b", 8],
      ["c", 16],
    ],
  );
  assert.equal(s.size, 24);
  assert.equal(s.align, 8);
  assert.equal(s.name, "struct{a uint8; b float64; c uint16}");
  assert.equal(s.kind, "struct");

  const empty = struct({});
  assert.equal(empty.size, 0);
  assert.equal(empty.align, 1);
  assert.equal(empty.name, "struct{}");

  const packed = struct({ a: u8, b: u8, c: u16, d: u32 });
  assert.deepEqual(packed.fields.map((f) => f.offset), [0, 1, 2, 4]);
  assert.equal(packed.size, 8);
  assert.equal(packed.align, 4);

  const nested = struct({ a: u8, n: struct({ b: u16, c: u8 }) });
  assert.deepEqual(nested.fields.map((f) => f.offset), [0, 2]);
  assert.equal(nested.size, 6);
  assert.equal(nested.align, 2);
  assert.equal(nested.name, "struct{a uint8; n struct{b uint16; c uint8}}");

  const withString = struct({ age: u8, name: string, id: bytes(16), big: i64 });
  assert.deepEqual(withString.fields.map((f) => f.offset), [0, 8, 24, 40]);
  assert.equal(withString.size, 48);
  assert.equal(withString.align, 8);
  assert.equal(withString.name, "struct{age uint8; name string; id [16]byte; big int64}");

  const all = struct({ a: bool, b: i8, c: i16, d: i32, e: u64, f: f32, g: u8 });
  assert.deepEqual(all.fields.map((f) => f.offset), [0, 1, 2, 4, 8, 16, 20]);
  assert.equal(all.size, 24);
});

test("struct: a trailing zero-size field gets a byte of padding, as in Go", () => {
  assert.equal(struct({ x: i64, e: struct({}) }).size, 16);
  assert.equal(struct({ a: u8, e: bytes(0) }).size, 2);
  assert.equal(struct({ e: struct({}), a: u8 }).size, 1, "a leading zero-size field takes no room");
  assert.equal(struct({ e: struct({}), f: bytes(0) }).size, 0, "a struct of zero-size fields is zero-size");
  const s = struct({ a: u32, b: u64, c: u64, d: u64, e: struct({}) });
  assert.equal(s.fields[4].offset, 32);
  assert.equal(s.size, 40);
});

test("struct: fields follow JS key order (integer-like keys first)", () => {
  const s = struct({ b: u8, 1: u32, a: u8 });
  assert.deepEqual(s.fields.map((f) => f.name), ["1", "b", "a"]);
});

test("struct: flags combine the fields'", () => {
  const plain = struct({ a: u8, b: i64 });
  assert.deepEqual([plain.reflexive, plain.needKeyUpdate, plain.ownsMemory], [true, false, false]);
  const float = struct({ a: u8, b: f32 });
  assert.deepEqual([float.reflexive, float.needKeyUpdate, float.ownsMemory], [false, true, false]);
  const str = struct({ a: u8, s: string });
  assert.deepEqual([str.reflexive, str.needKeyUpdate, str.ownsMemory], [true, true, true]);
  const deep = struct({ n: struct({ m: struct({ s: string, f: f64 }) }) });
  assert.deepEqual([deep.reflexive, deep.needKeyUpdate, deep.ownsMemory], [false, true, true]);
  assert.deepEqual([struct({}).reflexive, struct({}).needKeyUpdate, struct({}).ownsMemory], [true, false, false]);
});

test("struct: each call makes a new type; isStructType tells struct types apart", () => {
  assert.notEqual(struct({ a: u8 }), struct({ a: u8 }));
  assert.equal(isStructType(struct({ a: u8 })), true);
  for (const t of [u8, string, bytes(4), i64, i64.asNumber, null, {}, "struct"]) assert.equal(isStructType(t), false);
});

const User = struct({ age: u8, score: f64, name: string, id: bytes(4), big: i64, n: struct({ ok: bool, tag: string }) });
const users = fc.record(
  {
  age: fc.integer({ min: 0, max: 255 }),
  score: fc.double(),
  name: fc.string({ unit: "binary", maxLength: 30 }),
  id: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  big: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  n: fc.record({ ok: fc.boolean(), tag: fc.string({ maxLength: 50 }) }, { noNullPrototype: true }),
  },
  { noNullPrototype: true },
);

test("struct: round trips through the heap (property)", () => {
  const heap = newHeap();
  fc.assert(
    fc.property(users, (u) => {
      const off = store(heap, User, u);
      const got = User.read(heap, off);
      assert.deepEqual(got, u);
      assert.deepEqual(Object.keys(got), ["age", "score", "name", "id", "big", "n"]);
      User.release(heap, off);
      heap.free(off);
    }),
  );
  assert.equal(heap.stats().inUse, 0);
});

test("struct: hash equals hashAt, hi included (property)", () => {
  const heap = newHeap();
  fc.assert(
    fc.property(users, fc.integer({ min: 0, max: 0xffffffff }), (u, seed) => {
      fc.pre(!Number.isNaN(u.score));
      const off = store(heap, User, u);
      assert.deepEqual(hashAtOf(User, heap, off, seed), hashOf(User, u, seed));
      assert.equal(User.equal(heap, off, u), true);
      User.release(heap, off);
    }),
  );
});

test("struct: the hash chains the fields as h = lo ^ hi", () => {
  const s = struct({ a: u32, b: u32 });
  for (const seed of [0, 1, 0xdeadbeef]) {
    const a = pair(hash32(7, seed));
    const h = (a[0] ^ a[1]) >>> 0;
    assert.deepEqual(hashOf(s, { a: 7, b: 9 }, seed), pair(hash32(9, h)));
  }
  assert.deepEqual(hashOf(struct({}), {}, 5), pair(hash32(0, 5)));
  const heap = newHeap();
  assert.deepEqual(hashAtOf(struct({}), heap, slot(heap, struct({ a: u8 })), 5), pair(hash32(0, 5)));
  assert.deepEqual(hashOf(struct({ a: u32 }), { a: 3 }, 5), pair(hash32(3, 5)), "one field: that field's hash");
});

test("struct: a missing or undefined field is the zero value", () => {
  const heap = newHeap();
  const zero = User.zero();
  assert.deepEqual(zero, { age: 0, score: 0, name: "", id: new Uint8Array(4), big: 0n, n: { ok: false, tag: "" } });
  for (const v of [{}, { age: undefined }, { n: {} }, { n: { ok: undefined } }]) {
    check(User, v);
    const off = store(heap, User, v);
    assert.deepEqual(User.read(heap, off), zero);
    assert.deepEqual(hashOf(User, v, 3), hashOf(User, zero, 3));
    assert.deepEqual(hashAtOf(User, heap, off, 3), hashOf(User, zero, 3));
    assert.equal(User.equal(heap, off, zero), true);
    assert.equal(User.equal(heap, off, v), true);
    assert.equal(User.equal(heap, off, { age: 1 }), false);
  }
  const partial = store(heap, User, { name: "bob", n: { tag: "x" } });
  assert.deepEqual(User.read(heap, partial), { ...zero, name: "bob", n: { ok: false, tag: "x" } });
  const nullProto = Object.assign(Object.create(null) as object, { age: 3 });
  check(User, nullProto);
  assert.equal(User.read(heap, store(heap, User, nullProto)).age, 3);
});

test("struct: equal is Go's == field by field (+0 == -0, NaN != NaN)", () => {
  const P = struct({ x: f64, y: u8 });
  const heap = newHeap();
  const a = store(heap, P, { x: -0, y: 1 });
  const b = store(heap, P, { x: 0, y: 1 });
  const nan = store(heap, P, { x: NaN, y: 1 });
  assert.equal(P.equal(heap, a, { x: 0, y: 1 }), true);
  assert.equal(P.equal(heap, a, { x: 0, y: 2 }), false);
  assert.equal(P.equalAt(heap, a, b), true);
  assert.deepEqual(hashOf(P, { x: -0, y: 1 }, 4), hashOf(P, { x: 0, y: 1 }, 4));
  assert.equal(P.equal(heap, nan, { x: NaN, y: 1 }), false);
  assert.equal(P.equalAt(heap, nan, nan), false);
  assert.ok(Object.is(P.read(heap, a).x, -0));
  const S = struct({ s: string, n: struct({ t: string }) });
  const s1 = store(heap, S, { s: "é", n: { t: "a" } });
  const s2 = store(heap, S, { s: "é", n: { t: "a" } });
  const s3 = store(heap, S, { s: "é", n: { t: "b" } });
  assert.equal(S.equalAt(heap, s1, s2), true);
  assert.equal(S.equalAt(heap, s1, s3), false);
  assert.equal(S.equal(heap, s3, { s: "é", n: { t: "b" } }), true);
});

test("struct: rejects values that are not plain objects with a TypeError naming the type", () => {
  const S = struct({ age: u8 });
  class C {
    age = 1;
  }
  for (const v of [null, undefined, 1, "x", [1], new Map([["age", 1]]), new Date(0), new C(), new Uint8Array(1), () => 1]) {
    const err = thrown(() => S.check(v, "value"));
    assert.ok(err instanceof TypeError, String(v));
    assert.match((err as Error).message, /^gomap: cannot use .* as struct\{age uint8\} value$/);
  }
});

test("struct: rejects unknown fields, __proto__ and constructor included", () => {
  const S = struct({ age: u8, inner: struct({ b: u8 }) });
  const cases: unknown[] = [{ x: 1 }, { age: 1, agee: 2 }, JSON.parse('{"__proto__": 1}'), { constructor: 1 }, { toString: "x" }];
  for (const v of cases) {
    const err = thrown(() => S.check(v, "key"));
    assert.ok(err instanceof TypeError);
    assert.match((err as Error).message, /^gomap: unknown field ".+" in struct\{age uint8; inner struct\{b uint8\}\} key$/);
  }
  assert.throws(() => S.check({ inner: { c: 1 } }, "key"), { name: "TypeError", message: 'gomap: unknown field "c" in struct{b uint8} key.inner' });
  assert.throws(() => S.check({ x: 1 }), { message: 'gomap: unknown field "x" in struct{age uint8; inner struct{b uint8}}' });
});

test("struct: field errors name the field path", () => {
  const S = struct({ age: u8, inner: struct({ deep: struct({ n: u32, s: string }) }) });
  assert.throws(() => S.check({ age: 300 }, "key"), { name: "RangeError", message: "gomap: key.age 300 out of range for uint8" });
  assert.throws(() => S.check({ age: 300 }), { name: "RangeError", message: "gomap: age 300 out of range for uint8" });
  assert.throws(() => S.check({ age: "1" }, "value"), { name: "TypeError", message: 'gomap: cannot use "1" (string) as uint8 value.age' });
  assert.throws(() => S.check({ inner: { deep: { n: -1 } } }, "key"), { name: "RangeError", message: "gomap: key.inner.deep.n -1 out of range for uint32" });
  assert.throws(() => S.check({ inner: { deep: { s: 7 } } }, "key"), { name: "TypeError", message: /^gomap: cannot use 7 \(number\) as string key\.inner\.deep\.s$/ });
  assert.throws(() => S.check({ inner: 5 }, "key"), { name: "TypeError", message: /^gomap: cannot use 5 \(number\) as struct\{deep .* key\.inner$/ });
  assert.throws(() => S.check({ inner: null }, "key"), TypeError);
});

test("struct: fields named like Object.prototype members work, and are never inherited", () => {
  const S = struct({ constructor: u8, toString: string, hasOwnProperty: bool });
  const heap = newHeap();
  check(S, {});
  const off = store(heap, S, {});
  assert.deepEqual(S.read(heap, off), { constructor: 0, toString: "", hasOwnProperty: false });
  assert.deepEqual(hashOf(S, {}, 1), hashOf(S, S.zero(), 1));
  assert.equal(S.equal(heap, off, {}), true);
  const off2 = store(heap, S, { constructor: 7, toString: "x", hasOwnProperty: true });
  assert.deepEqual(S.read(heap, off2), { constructor: 7, toString: "x", hasOwnProperty: true });
  const view = S.view(new TestSlot(heap, off2));
  assert.equal(view.constructor, 7);
  view.toString = "y";
  assert.equal(S.read(heap, off2).toString, "y");
});

test("struct: struct() rejects bad field specs", () => {
  assert.throws(() => struct(null as never), TypeError);
  assert.throws(() => struct([u8] as never), TypeError);
  // Not a plain object: a Map's entries are not its own keys, and made struct{} before.
  assert.throws(() => struct(new Map([["age", u8]]) as never), { name: "TypeError", message: /plain object/ });
  assert.equal(struct(Object.assign(Object.create(null) as object, { a: u8 })).name, "struct{a uint8}");
  assert.throws(() => struct({ a: 1 } as never), { name: "TypeError", message: /struct field "a" wants a gomap type/ });
  assert.throws(() => struct({ a: { kind: "u8" } } as never), TypeError);
  assert.throws(() => struct(JSON.parse('{"__proto__": 1}') as never), TypeError);
  const spec = Object.defineProperty({}, "__proto__", { value: u8, enumerable: true });
  assert.throws(() => struct(spec as never), { name: "TypeError", message: /"__proto__" is not allowed/ });
  assert.throws(() => struct({ a: bytes(2 ** 31), b: bytes(1) }), RangeError);
});

test("struct: an overwrite frees the old strings; release frees them and zeroes the slot", () => {
  const S = struct({ a: string, n: struct({ b: string, x: u32 }) });
  const heap = newHeap();
  const off = slot(heap, S);
  const base = heap.stats();
  S.write(heap, off, { a: "first string, long enough", n: { b: "ünïcödé one", x: 1 } });
  const one = heap.stats();
  assert.equal(one.blocks, base.blocks + 2);
  S.write(heap, off, { a: "other string, long enough", n: { b: "ünïcödé two", x: 2 } });
  assert.equal(heap.stats().inUse, one.inUse);
  assert.equal(heap.stats().blocks, one.blocks);
  assert.deepEqual(S.read(heap, off), { a: "other string, long enough", n: { b: "ünïcödé two", x: 2 } });
  S.write(heap, off, { n: { x: 3 } });
  assert.equal(heap.stats().inUse, base.inUse);
  S.write(heap, off, { a: "again", n: { x: 5 } });
  S.release(heap, off);
  assert.equal(heap.stats().inUse, base.inUse);
  assert.equal(heap.stats().blocks, base.blocks);
  assert.ok(heap.u8.subarray(off, off + S.size).every((b) => b === 0));
});

test("struct: release zeroes a struct that owns no memory", () => {
  const P = struct({ a: u8, b: f64, n: struct({ c: i64 }) });
  const heap = newHeap();
  const off = store(heap, P, { a: 1, b: 2, n: { c: -1n } });
  const before = heap.stats();
  P.release(heap, off);
  assert.ok(heap.u8.subarray(off, off + P.size).every((b) => b === 0));
  assert.deepEqual(P.read(heap, off), P.zero());
  assert.deepEqual(heap.stats(), before);
});

test("struct: a write that exhausts the heap frees what it allocated and leaves the old value", () => {
  const S = struct({ a: string, n: struct({ b: string, x: u32 }), c: string, y: u8 });
  const heap = Heap.create({ maxBytes: 4096 });
  const off = slot(heap, S);
  const old = { a: "old a", n: { b: "old b, a little longer", x: 1 }, c: "old c", y: 2 };
  S.write(heap, off, old);
  const before = heap.stats();
  const bytesBefore = heap.u8.slice(off, off + S.size);
  // a and b fit, c does not: a and b's new blocks must be freed again.
  const err = thrown(() => S.write(heap, off, { a: "new a ".repeat(20), n: { b: "new b ".repeat(20), x: 9 }, c: "c".repeat(5000), y: 9 }));
  assert.ok(err instanceof HeapExhaustedError);
  assert.deepEqual(S.read(heap, off), old);
  assert.deepEqual(heap.stats().inUse, before.inUse);
  assert.deepEqual(heap.stats().blocks, before.blocks);
  assert.deepEqual(heap.u8.slice(off, off + S.size), bytesBefore);
  // The heap still works, and a write that fits succeeds.
  S.write(heap, off, { a: "fits", c: "fits too", y: 3 });
  assert.deepEqual(S.read(heap, off), { a: "fits", n: { b: "", x: 0 }, c: "fits too", y: 3 });
});

test("struct view: reads and writes fields in place", () => {
  const heap = newHeap();
  const off = store(heap, User, { age: 30, score: 1.5, name: "alice", big: 5n, n: { ok: true, tag: "t" } });
  const view = User.view(new TestSlot(heap, off));
  assert.equal(view.age, 30);
  assert.equal(view.name, "alice");
  assert.equal(view.big, 5n);
  assert.equal(view.n.ok, true);
  assert.equal(view.n.tag, "t");
  view.age = 31;
  view.score = -0;
  view.name = "alicia";
  view.id = new Uint8Array([1, 2, 3, 4]);
  view.big = -7n;
  view.n.tag = "ünï";
  view.n.ok = false;
  assert.deepEqual(User.read(heap, off), {
    age: 31,
    score: -0,
    name: "alicia",
    id: new Uint8Array([1, 2, 3, 4]),
    big: -7n,
    n: { ok: false, tag: "ünï" },
  });
  assert.equal(view.n, view.n, "a nested view is made once");
  view.n = { ok: true, tag: "replaced" };
  assert.deepEqual(User.read(heap, off).n, { ok: true, tag: "replaced" });
  assert.equal(view.n.tag, "replaced");
  assert.deepEqual(Object.keys(Object.getPrototypeOf(view) as object), ["age", "score", "name", "id", "big", "n"]);
});

test("struct view: JSON.stringify writes the stored value, also when a field is named toJSON", () => {
  const Inner = struct({ toJSON: u8, tag: string });
  const Outer = struct({ toJSON: f64, inner: Inner, plain: struct({ a: u16 }) });
  const heap = newHeap();
  const off = store(heap, Outer, { toJSON: 1.5, inner: { toJSON: 7, tag: "x" }, plain: { a: 3 } });
  const view = Outer.view(new TestSlot(heap, off));
  const want = '{"toJSON":1.5,"inner":{"toJSON":7,"tag":"x"},"plain":{"a":3}}';
  assert.equal(JSON.stringify(view), want);
  assert.equal(JSON.stringify(Outer.read(heap, off)), want, "as get()'s copy");
  view.toJSON = 2.5;
  view.inner.toJSON = 8;
  assert.equal(JSON.stringify(view), want.replace("1.5", "2.5").replace("7", "8"));
  assert.deepEqual(Outer.read(heap, off).inner, { toJSON: 8, tag: "x" });
  // Views of types without such a field keep their fields on the prototype alone.
  assert.deepEqual(Object.keys(view.plain), []);
  assert.equal(JSON.stringify(view.plain), '{"a":3}');
});

test("struct view: string writes free the old block", () => {
  const S = struct({ s: string });
  const heap = newHeap();
  const off = store(heap, S, { s: "a string long enough to matter" });
  const before = heap.stats();
  const view = S.view(new TestSlot(heap, off));
  view.s = "another string just as long as..";
  assert.equal(heap.stats().inUse, before.inUse);
  view.s = "";
  assert.equal(heap.stats().blocks, before.blocks - 1);
});

test("struct view: setters check the value first and leave the slot alone on error", () => {
  const heap = newHeap();
  const off = store(heap, User, { age: 30, name: "alice" });
  const view = User.view(new TestSlot(heap, off));
  const before = heap.u8.slice(off, off + User.size);
  assert.throws(() => {
    view.age = 256;
  }, { name: "RangeError", message: "gomap: value.age 256 out of range for uint8" });
  assert.throws(() => {
    (view as { name: unknown }).name = 5;
  }, TypeError);
  assert.throws(() => {
    view.n = { ok: 1 } as never;
  }, { name: "TypeError", message: "gomap: cannot use 1 (number) as bool value.n.ok" });
  assert.deepEqual(heap.u8.slice(off, off + User.size), before);
});

test("struct view: every access calls slot.offset() first, so a stale view throws", () => {
  const heap = newHeap();
  const off = store(heap, User, { age: 30, name: "alice" });
  const s = new TestSlot(heap, off);
  const view = User.view(s);
  const nested = view.n;
  s.stale = true;
  const before = heap.u8.slice(off, off + User.size);
  const stats = heap.stats();
  assert.throws(() => view.age, /stale slot/);
  assert.throws(() => view.name, /stale slot/);
  assert.throws(() => view.n, /stale slot/);
  assert.throws(() => nested.tag, /stale slot/);
  assert.throws(() => {
    view.age = 1;
  }, /stale slot/);
  assert.throws(() => {
    view.name = "a new string";
  }, /stale slot/);
  assert.throws(() => {
    nested.tag = "x";
  }, /stale slot/);
  assert.throws(() => {
    view.age = 300; // stale wins over the bad value: offset() is called first
  }, /stale slot/);
  assert.deepEqual(heap.u8.slice(off, off + User.size), before);
  assert.deepEqual(heap.stats(), stats);
  s.stale = false;
  assert.equal(view.age, 30);
});

test("struct view: accepted as a value of the same type (its current contents)", () => {
  const heap = newHeap();
  const a = store(heap, User, { age: 30, name: "alice", n: { tag: "x" } });
  const view = User.view(new TestSlot(heap, a));
  check(User, view);
  const b = store(heap, User, view);
  assert.deepEqual(User.read(heap, b), User.read(heap, a));
  assert.equal(User.equal(heap, a, view), true);
  assert.deepEqual(hashOf(User, view, 2), hashAtOf(User, heap, a, 2));
  // A nested view as a field value.
  check(User, { n: view.n });
  const c = store(heap, User, { age: 1, n: view.n });
  assert.deepEqual(User.read(heap, c).n, { ok: false, tag: "x" });
  // Writing a view of a slot onto that slot keeps the value and leaks nothing.
  const stats = heap.stats();
  User.write(heap, a, view);
  assert.equal(view.name, "alice");
  assert.equal(heap.stats().inUse, stats.inUse);
  // A view of a struct type with another layout is not accepted.
  const Other = struct({ age: u8 });
  assert.throws(() => Other.check(view, "value"), { name: "TypeError", message: /view of struct\{age uint8; score float64.* as struct\{age uint8\} value/ });
  // A view of a different struct() call with the same fields is.
  const Same = struct({ age: u8, score: f64, name: string, id: bytes(4), big: i64, n: struct({ ok: bool, tag: string }) });
  check(Same, view);
});

// read() and zero() are generated per struct type (compileAccessors); where generated code is
// refused they are loops over the fields. Both must give the same objects.
const oddNames = { "a b": u8, 'q"uote': u16, "line\u2028sep": u32, "0": i8, constructor: bool, toString: f64, "": string, nested: struct({ x: u8, "y\\z": string }) };
const oddValue = { "a b": 7, 'q"uote': 65535, "line\u2028sep": 4e9, "0": -5, constructor: true, toString: -0.25, "": "long enough to own a block", nested: { x: 9, "y\\z": "é" } };

test("struct: read and zero give plain objects with the fields in layout order, whatever the names", () => {
  const T = struct(oddNames);
  const heap = newHeap();
  const off = store(heap, T, oddValue);
  const got = T.read(heap, off);
  assert.deepEqual(got, oddValue);
  assert.deepEqual(Object.keys(got), T.fields.map((f) => f.name), "keys in layout order");
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.notEqual(T.read(heap, off), got, "a fresh object each time");
  assert.deepEqual(T.zero(), { "a b": 0, 'q"uote': 0, "line\u2028sep": 0, "0": 0, constructor: false, toString: 0, "": "", nested: { x: 0, "y\\z": "" } });
  assert.deepEqual(struct({}).read(heap, off), {});
  assert.deepEqual(struct({}).zero(), {});
});

test("struct: where generated code is refused (--disallow-code-generation-from-strings), maps of structs work the same", () => {
  const script = `
    const { GoMap, types: t } = await import(${JSON.stringify(new URL("../../src/index.js", import.meta.url).href)});
    let refused = false;
    try { new Function("return 1"); } catch { refused = true; }
    const S = t.struct({ "a b": t.u8, s: t.string, n: t.struct({ x: t.f64 }) });
    const m = GoMap.make(t.u32, S);
    for (let i = 0; i < 100; i++) m.set(i, { "a b": i, s: "v".repeat(i % 20), n: { x: i / 2 } });
    m.update(3, (v) => { v["a b"] = 200; });
    const byKey = GoMap.make(t.struct({ a: t.u32, s: t.string }), t.u32);
    for (let i = 0; i < 50; i++) byKey.set({ a: i, s: "k" + i }, i);
    const keyed = [byKey.get({ a: 7, s: "k7" }), byKey.get({ a: 7, s: "k8" }), byKey.has({ s: "k0", a: 0 })];
    const errors = [];
    for (const bad of [{ nope: 1 }, { n: { x: "1" } }, { "a b": 256 }]) try { m.set(7, bad); } catch (e) { errors.push(e.message); }
    console.log(JSON.stringify({ refused, got: [m.get(3), m.get(19), m.lookup(500)], size: m.size, errors, keyed }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.deepEqual(out, {
    refused: true,
    got: [{ "a b": 200, s: "vvv", n: { x: 1.5 } }, { "a b": 19, s: "v".repeat(19), n: { x: 9.5 } }, [{ "a b": 0, s: "", n: { x: 0 } }, false]],
    size: 100,
    errors: [
      'gomap: unknown field "nope" in struct{a b uint8; s string; n struct{x float64}} value',
      'gomap: cannot use "1" (string) as float64 value.n.x',
      "gomap: value.a b 256 out of range for uint8",
    ],
    keyed: [7, null, true],
  });
});

test("struct: the objects read for one struct type share one hidden class in V8", () => {
  const script = `
    const { GoMap, types: t } = await import(${JSON.stringify(new URL("../../src/index.js", import.meta.url).href)});
    const A = t.struct({ a: t.u8, b: t.f64, c: t.string }), B = t.struct({ c: t.string, a: t.u8 });
    const ma = GoMap.make(t.u32, A), mb = GoMap.make(t.u32, B);
    for (let i = 0; i < 10; i++) { ma.set(i, { a: i, b: i / 3, c: "x" + i }); mb.set(i, { a: i, c: "" }); }
    const as = [...ma.values()], bs = [...mb.values()];
    console.log(JSON.stringify([as.every((o) => %HaveSameMap(o, as[0])), bs.every((o) => %HaveSameMap(o, bs[0])), %HaveSameMap(A.zero(), as[0]), %HaveSameMap(as[0], bs[0])]));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" }));
  assert.deepEqual(out, [true, true, true, false]);
});

test("struct: check's quick pass and write take what the exact pass takes: undefined fields, null prototypes, fields named like Object.prototype's, a polluted Object.prototype", () => {
  const T = struct({ a: u8, toString: u16, constructor: bool });
  const heap = newHeap();
  const valid: object[] = [{ a: 1 }, { a: undefined, toString: 2 }, Object.assign(Object.create(null), { a: 3, constructor: true }), {}];
  for (const v of valid) assert.doesNotThrow(() => T.check(v, "value"));
  assert.deepEqual(T.read(heap, store(heap, T, { a: 5 })), { a: 5, toString: 0, constructor: false }, "inherited toString and constructor are not the fields");
  assert.deepEqual(T.read(heap, store(heap, T, { toString: 9, constructor: true })), { a: 0, toString: 9, constructor: true });
  const at = store(heap, T, { a: 1 });
  // Values typed loosely: TypeScript reads an object literal's toString as the inherited method.
  const loose = T as unknown as StructType;
  for (const same of [{ a: 1 }, { a: 1, toString: 0, constructor: false }, { a: 1, toString: undefined }, Object.assign(Object.create(null), { a: 1 })]) {
    assert.equal(loose.hash(same, 42), T.hashAt(heap, at, 42), "a left-out field hashes as its zero");
    assert.equal(loose.equal(heap, at, same), true);
  }
  assert.equal(loose.equal(heap, at, { a: 1, constructor: true }), false);
  assert.notEqual(loose.hash({ a: 1, constructor: true }, 42), T.hashAt(heap, at, 42));
  assert.equal(struct({}).hash({}, 42), hash32(0, 42), "no fields: hash32(0, seed)");
  assert.throws(() => T.check({ a: 1, b: undefined }, "value"), { message: 'gomap: unknown field "b" in struct{a uint8; toString uint16; constructor bool} value' });
  assert.throws(() => T.check({ toString: 1 << 16 }, "value"), { name: "RangeError", message: "gomap: value.toString 65536 out of range for uint16" });
  const proto = Object.prototype as Record<string, unknown>;
  proto.polluted = 1;
  try {
    assert.doesNotThrow(() => T.check({ a: 1 }, "value"));
    assert.deepEqual(T.read(heap, store(heap, T, { a: 7 })), { a: 7, toString: 0, constructor: false });
  } finally {
    delete proto.polluted;
  }
});
