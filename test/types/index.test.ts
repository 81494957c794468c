import assert from "node:assert/strict";
import test from "node:test";
import { types as t } from "../../src/types/index.js";
import type { AnyType, In, Out } from "../../src/types/index.js";
import { isGoType, viewsOf } from "../../src/types/type.js";
import { Heap, View } from "../../src/memory/heap.js";
import { newHeap, store } from "./helpers.js";

const scalars: [string, AnyType, string, number, number][] = [
  ["bool", t.bool, "bool", 1, 1],
  ["i8", t.i8, "int8", 1, 1],
  ["i16", t.i16, "int16", 2, 2],
  ["i32", t.i32, "int32", 4, 4],
  ["i64", t.i64, "int64", 8, 8],
  ["u8", t.u8, "uint8", 1, 1],
  ["u16", t.u16, "uint16", 2, 2],
  ["u32", t.u32, "uint32", 4, 4],
  ["u64", t.u64, "uint64", 8, 8],
  ["f32", t.f32, "float32", 4, 4],
  ["f64", t.f64, "float64", 8, 8],
  ["string", t.string, "string", 16, 8],
];

test("types: every scalar with its Go name, size and alignment", () => {
  for (const [kind, type, name, size, align] of scalars) {
    assert.equal(type.kind, kind);
    assert.equal(type.name, name);
    assert.equal(type.size, size, name);
    assert.equal(type.align, align, name);
    assert.equal(type.size % type.align, 0);
    assert.ok(isGoType(type));
  }
  assert.equal(t.bytes(16).name, "[16]byte");
  assert.equal(t.struct({ age: t.u8, score: t.f64 }).name, "struct{age uint8; score float64}");
});

test("types: the object is frozen and scalars are singletons", () => {
  assert.ok(Object.isFrozen(t));
  assert.deepEqual(Object.keys(t).sort(), ["bool", "bytes", "f32", "f64", "i16", "i32", "i64", "i8", "string", "struct", "u16", "u32", "u64", "u8"]);
  assert.throws(() => {
    (t as { u32: unknown }).u32 = null;
  }, TypeError);
});

test("types: every descriptor keeps the contract on its zero value", () => {
  const heap = newHeap();
  const all: AnyType[] = [...scalars.map((s) => s[1]), t.i64.asNumber, t.u64.asNumber, t.bytes(3), t.struct({ a: t.u8, s: t.string })];
  for (const type of all) {
    const z = type.zero();
    type.check(z);
    const off = store(heap, type, z);
    assert.deepEqual(type.read(heap, off), z, type.name);
    assert.equal(type.equal(heap, off, z), true, type.name);
    // A zeroed slot holds the zero value.
    const fresh = heap.alloc(type.size);
    assert.equal(type.equalAt(heap, off, fresh), true, type.name);
    assert.deepEqual(type.read(heap, fresh), z, type.name);
  }
});

test("types: In and Out follow the field types (compile-time)", () => {
  const User = t.struct({ age: t.u8, big: t.i64, small: t.i64.asNumber, n: t.struct({ s: t.string }) });
  const out: Out<typeof User> = { age: 1, big: 1n, small: 2, n: { s: "" } };
  const input: In<typeof User> = { big: 5, n: {} };
  // @ts-expect-error reads give bigint for t.i64
  const wrong: Out<typeof User> = { age: 1, big: 1, small: 2, n: { s: "" } };
  // @ts-expect-error a value must not carry unknown fields
  const extra: In<typeof User> = { age: 1, other: 2 };
  assert.ok(out && input && wrong && extra);
});

test("types: each descriptor's heapViews names every optional heap view it reads or writes", () => {
  // A heap makes only the views its map's types name (memory/heap.ts View); a type that read
  // another would read undefined, and a write to it would be lost. So every value is written,
  // read, hashed and compared on a heap with just the type's views, and must come out as on a
  // heap with all of them.
  const every = t.struct({ b: t.bool, i8: t.i8, i16: t.i16, i32: t.i32, i64: t.i64, u8: t.u8, u16: t.u16, u32: t.u32, u64: t.u64, f32: t.f32, f64: t.f64, s: t.string, by: t.bytes(3) });
  const nested = t.struct({ p: t.struct({ x: t.f32, y: t.i8 }), n: t.u16 });
  const values: [AnyType, unknown[]][] = [
    [t.bool, [true, false]],
    [t.i8, [-128, -1, 0, 127]],
    [t.i16, [-32768, -2, 300, 32767]],
    [t.i32, [-(2 ** 31), -3, 2 ** 31 - 1]],
    [t.i64, [-(2n ** 63n), -4n, 2n ** 63n - 1n]],
    [t.u8, [0, 255]],
    [t.u16, [1, 65535]],
    [t.u32, [0, 2 ** 32 - 1]],
    [t.u64, [0n, 2n ** 64n - 1n]],
    [t.f32, [1.5, -0, NaN, -3.25e10]],
    [t.f64, [0.1, -0, NaN, 1e300]],
    [t.string, ["", "short", "a string longer than twelve bytes, ü"]],
    [t.bytes(3), [new Uint8Array([1, 2, 3])]],
    [every, [{ b: true, i8: -7, i16: -300, i32: -70000, i64: -5n, u8: 200, u16: 60000, u32: 4e9, u64: 9n, f32: 0.5, f64: -2.5, s: "x", by: new Uint8Array([9, 8, 7]) }]],
    [nested, [{ p: { x: -1.25, y: -3 }, n: 513 }]],
  ];
  const seed = 0x5eed;
  const run = (type: AnyType, heap: Heap, v: unknown): unknown[] => {
    const off = heap.alloc(type.size);
    type.write(heap, off, v);
    const copy = heap.alloc(type.size);
    type.write(heap, copy, type.read(heap, off));
    // A NaN's hash is random, as Go's.
    const hash = Number.isNaN(v) ? "random" : type.hashAt(heap, off, seed);
    return [type.read(heap, off), hash, type.equal(heap, off, v), type.equalAt(heap, off, copy), type.read(heap, copy)];
  };
  for (const [type, vs] of values) {
    assert.equal(typeof type.heapViews, "number", `${type.name} declares its views`);
    const own = Heap.create({ views: viewsOf(type, type) });
    const full = Heap.create({ views: View.all });
    for (const v of vs) assert.deepEqual(run(type, own, v), run(type, full, v), `${type.name}: ${String(v)}`);
  }
  assert.equal(every.heapViews, View.all, "a struct's views are its fields'");
  assert.equal(nested.heapViews, View.f32 | View.i8);
  assert.deepEqual([t.u32, t.string, t.u64, t.bool, t.bytes(16)].map((x) => x.heapViews), [0, 0, 0, 0, 0], "these read only the views every heap has");
});
