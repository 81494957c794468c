import assert from "node:assert/strict";
import test from "node:test";
import { types as t } from "../../src/types/index.js";
import type { AnyType, In, Out } from "../../src/types/index.js";
import { isGoType } from "../../src/types/type.js";
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
