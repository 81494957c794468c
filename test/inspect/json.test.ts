// Tests of src/inspect/json.ts: what JSON.stringify makes of a GoMap and a SyncMap. String
// and integer keys make an object (sorted as Go sorts them; integer keys as decimal strings,
// bigints included), a nil map makes null, other key types are a TypeError naming the map
// type; values are get's, with [N]byte values and fields as number arrays.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { mapJSON } from "../../src/inspect/json.js";
import { SyncMap } from "../../src/sync/syncmap.js";
import { types as t } from "../../src/types/index.js";

test("json: string keys make an object in Go's sorted order, __proto__ an entry like any other", () => {
  const m = GoMap.make(t.string, t.u32);
  for (const k of ["b", "a", "__proto__", "", "B", "é"]) m.set(k, k.length);
  const text = JSON.stringify(m);
  assert.equal(text, '{"":0,"B":1,"__proto__":9,"a":1,"b":1,"é":1}');
  assert.deepEqual(Object.keys(JSON.parse(text) as object), ["", "B", "__proto__", "a", "b", "é"]);
});

test("json: integer keys of every width are decimal strings, 64-bit ones as numbers or bigints", () => {
  assert.equal(JSON.stringify(GoMap.make(t.i8, t.u8).set(-128, 1).set(127, 2)), '{"127":2,"-128":1}');
  assert.equal(JSON.stringify(GoMap.make(t.u32, t.u32).set(4294967295, 1).set(0, 2)), '{"0":2,"4294967295":1}');
  const big = GoMap.make(t.u64, t.bool).set(2n ** 64n - 1n, true);
  assert.equal(JSON.stringify(big), '{"18446744073709551615":true}');
  const neg = GoMap.make(t.i64.asNumber, t.f64).set(-(2 ** 53) + 1, 0.5);
  assert.equal(JSON.stringify(neg), '{"-9007199254740991":0.5}');
});

test("json: every entry of a grown map comes out once, with its value", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 5000; i++) m.set((i * 2654435761) >>> 0, i);
  for (let i = 0; i < 5000; i += 3) m.delete((i * 2654435761) >>> 0);
  const parsed = JSON.parse(JSON.stringify(m)) as Record<string, number>;
  assert.equal(Object.keys(parsed).length, m.size);
  for (const [k, v] of m) assert.equal(parsed[String(k)], v);
});

test("json: struct values are objects, [N]byte values and fields number arrays; NaN is null as in JSON", () => {
  const Row = t.struct({ id: t.bytes(3), score: t.f64, inner: t.struct({ tag: t.bytes(2), n: t.u16 }) });
  const m = GoMap.make(t.string, Row);
  m.set("x", { id: new Uint8Array([1, 2, 3]), score: NaN, inner: { tag: new Uint8Array([9, 8]), n: 7 } });
  assert.equal(JSON.stringify(m), '{"x":{"id":[1,2,3],"score":null,"inner":{"tag":[9,8],"n":7}}}');
  const ids = GoMap.make(t.u8, t.bytes(2)).set(1, new Uint8Array([255, 0]));
  assert.equal(JSON.stringify(ids), '{"1":[255,0]}');
});

test("json: a nil map is null; a map inside an object serialises with it", () => {
  assert.equal(JSON.stringify(GoMap.nil(t.string, t.u32)), "null");
  assert.equal(JSON.stringify({ a: GoMap.make(t.string, t.string).set("k", "v"), b: GoMap.make(t.u16, t.u8) }), '{"a":{"k":"v"},"b":{}}');
});

test("json: keys that have no JSON form are a TypeError naming the map type, nil maps too", () => {
  const cases = [
    GoMap.make(t.bool, t.u32).set(true, 1),
    GoMap.make(t.f64, t.u32).set(1.5, 1),
    GoMap.make(t.f32, t.u32),
    GoMap.make(t.bytes(4), t.u32),
    GoMap.make(t.struct({ a: t.u8 }), t.u32),
    GoMap.nil(t.f64, t.string),
  ];
  for (const m of cases) {
    const type = `map[${m.keyType.name}]${m.valueType.name}`;
    assert.throws(() => JSON.stringify(m), { name: "TypeError", message: `gomap: ${type} has no JSON form: JSON object keys come from string and integer keys only (Go's json.Marshal refuses it too)` });
  }
});

test("json: bigint values are left to JSON.stringify, which refuses them; read as numbers they serialise", () => {
  assert.throws(() => JSON.stringify(GoMap.make(t.u32, t.i64).set(1, 2n)), /BigInt/);
  assert.equal(JSON.stringify(GoMap.make(t.u32, t.i64.asNumber).set(1, -2)), '{"1":-2}');
});

test("json: a SyncMap serialises its entries as range sees them, by the same rules", () => {
  const s = SyncMap.make(t.string, t.u32);
  assert.equal(JSON.stringify(s), "{}");
  s.store("b", 2);
  s.store("a", 1);
  assert.equal(JSON.stringify(s), '{"a":1,"b":2}');
  assert.throws(() => JSON.stringify(SyncMap.make(t.f64, t.u32)), /map\[float64\]uint32 has no JSON form/);
});

test("json: mapJSON reads the entries it is given and nothing else", () => {
  const out = mapJSON([["k", new Uint8Array([1])]], t.string, t.bytes(1));
  assert.deepEqual(JSON.parse(JSON.stringify(out)), { k: [1] });
  assert.equal(mapJSON(null, t.u32, t.u32), null);
});

test("json: string keys in Go's order, by UTF-8 bytes (code points), not by UTF-16 units", () => {
  const m = GoMap.make(t.string, t.u8);
  m.set("\uffff", 1);
  m.set("\u{10000}", 2);
  m.set("\ue000", 3);
  m.set("a", 4);
  m.set("ab", 5);
  // JS's < puts the surrogate pair of U+10000 before U+E000; Go's sort.Strings does not.
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(m)) as object), ["a", "ab", "\ue000", "\uffff", "\u{10000}"]);
});
