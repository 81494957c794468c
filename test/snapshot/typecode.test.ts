// Tests of src/snapshot/typecode.ts: the pinned encoding of every kind of type (a change
// here is a format change), equal codes for equal layouts, and asNumber sharing int64's code.
import assert from "node:assert/strict";
import test from "node:test";
import { SnapshotError } from "../../src/errors.js";
import { HEADER_BYTES, encodeHeader, hashFingerprint, pad16 } from "../../src/snapshot/format.js";
import { snapshotTypes } from "../../src/snapshot/index.js";
import { checkTypeCode, encodeTypeCode, typeOfCode, typesDigest } from "../../src/snapshot/typecode.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

const text = (ty: AnyType): string => new TextDecoder().decode(encodeTypeCode(ty));

test("typecode: the encoding is pinned", () => {
  assert.equal(text(t.u32), '["u32"]');
  assert.equal(text(t.string), '["string"]');
  assert.equal(text(t.bytes(16)), '["bytes",16]');
  assert.equal(text(t.struct({ a: t.u8, b: t.struct({ c: t.f64 }) })), '["struct",[["a",["u8"]],["b",["struct",[["c",["f64"]]]]]]]');
  assert.equal(text(t.struct({})), '["struct",[]]');
});

test("typecode: int64 read as number shares the code; field names with any characters stay unambiguous", () => {
  assert.equal(text(t.i64.asNumber), text(t.i64));
  assert.notEqual(text(t.i64), text(t.u64));
  const odd = t.struct({ 'a"; b': t.u8 });
  assert.doesNotThrow(() => checkTypeCode(encodeTypeCode(odd), t.struct({ 'a"; b': t.u8 }), "key"));
  assert.throws(() => checkTypeCode(encodeTypeCode(odd), t.struct({ a: t.u8 }), "key"), SnapshotError);
});

test("typecode: a code that is not JSON is corrupt-header", () => {
  assert.throws(() => checkTypeCode(new Uint8Array([0xff, 0x00]), t.u32, "value"), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-header");
});

test("typecode: a code nested past MAX_TYPE_NESTING is corrupt-header, not a stack overflow; a deep struct within it loads", () => {
  const deep = new TextEncoder().encode("[".repeat(30000) + "]".repeat(30000)); // valid JSON, under MAX_TYPE_CODE
  for (const read of [() => checkTypeCode(deep, t.u32, "key"), () => typeOfCode(deep, "key", 1 << 20)]) {
    assert.throws(read, (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-header" && /nests deeper than 512 levels/.test(e.message));
  }
  // Brackets inside field names don't count.
  let ty: AnyType = t.struct({ "[[[[[[[[": t.u8 });
  for (let i = 0; i < 150; i++) ty = t.struct({ [`f${i}[[[`]: ty });
  checkTypeCode(encodeTypeCode(ty), ty, "value");
  assert.equal(typeOfCode(encodeTypeCode(ty), "value", 1 << 20).name, ty.name);
});

test("typecode: typeOfCode rebuilds every kind of type with the code it came from", () => {
  const all: AnyType[] = [t.bool, t.i8, t.i16, t.i32, t.i64, t.u8, t.u16, t.u32, t.u64, t.f32, t.f64, t.string, t.bytes(0), t.bytes(16)];
  all.push(t.struct({}), t.struct({ a: t.u8, b: t.struct({ c: t.f64, d: t.bytes(3) }), s: t.string, 'a"; b': t.i64 }));
  for (const ty of all) {
    const back = typeOfCode(encodeTypeCode(ty), "key", 1 << 20);
    assert.equal(back.name, ty.name);
    assert.equal(text(back), text(ty));
    assert.equal(back.size, ty.size);
  }
  // Scalars come back as the package's own descriptors; 64-bit integers as bigints.
  assert.equal(typeOfCode(encodeTypeCode(t.u32), "key", 0), t.u32);
  assert.equal(typeOfCode(encodeTypeCode(t.i64.asNumber), "value", 0), t.i64);
});

test("typecode: typeOfCode refuses a code that describes no gomap type, as corrupt-header naming the role", () => {
  const code = (s: string): Uint8Array => new TextEncoder().encode(s);
  for (const bad of ['["u128"]', '["u32", 1]', '"u32"', "[]", '["bytes", -1]', '["struct", 5]', '["struct", [[1, ["u8"]]]]', '["struct", [["__proto__", ["u8"]]]]', '["bytes", "x"]']) {
    assert.throws(() => typeOfCode(code(bad), "value", 1 << 20), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-header" && /the value type code/.test(e.message), bad);
  }
  // A struct whose field names a JS object would reorder ("1" before "a") can't be rebuilt as it was laid out.
  assert.throws(() => typeOfCode(code('["struct",[["a",["u8"]],["1",["u32"]]]]'), "key", 1 << 20), /can't be rebuilt as the same type/);
});

test("typecode: typesDigest is never 0, the same for equal codes, and tells key from value and kinds apart", () => {
  const all: AnyType[] = [t.bool, t.i8, t.i16, t.i32, t.i64, t.u8, t.u16, t.u32, t.u64, t.f32, t.f64, t.string, t.bytes(4), t.bytes(16), t.struct({ a: t.u32 }), t.struct({ b: t.u32 }), t.struct({})];
  const seen = new Map<number, string>();
  for (const k of all) {
    for (const v of all) {
      const d = typesDigest(k, v);
      const name = `map[${k.name}]${v.name}`;
      assert.ok(Number.isInteger(d) && d > 0 && d <= 0xffffffff, `${name}: ${d}`);
      assert.equal(seen.get(d), undefined, `${name} and ${seen.get(d)} share a digest`);
      seen.set(d, name);
    }
  }
  assert.equal(typesDigest(t.u64.asNumber, t.i64.asNumber), typesDigest(t.u64, t.i64));
  assert.equal(typesDigest(t.struct({ a: t.u8, b: t.string }), t.u8), typesDigest(t.struct({ a: t.u8, b: t.string }), t.u8));
});

test("typecode: typeOfCode builds no type whose [N]byte arrays pass the bound it is given: a struct makes its fields' zero values as it is built", () => {
  const code = (s: string): Uint8Array => new TextEncoder().encode(s);
  const big = code('["struct",[["a",["bytes",2147483647]]]]');
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(
    () => typeOfCode(big, "value", 1 << 20),
    (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-header" && /the value type code holds \[N\]byte arrays of 2147483647 bytes in all, more than 1048576/.test(e.message),
  );
  // Nested and repeated arrays count each time, as plain ones.
  for (const over of ['["bytes",1048577]', '["struct",[["a",["bytes",600000]],["b",["struct",[["c",["bytes",600000]]]]]]]']) {
    assert.throws(() => typeOfCode(code(over), "key", 1 << 20), SnapshotError, over);
  }
  assert.equal(typeOfCode(code('["struct",[["a",["bytes",1000]],["b",["bytes",1000]]]]'), "key", 2000).size, 2000);
  // A snapshot of 160 bytes (a nil map: no heap, no checksum needed yet) whose codes name two
  // such structs: snapshotTypes, what gomap inspect calls first, made 4 GiB of zero values.
  const k = code('["struct",[["a",["bytes",2147483646]]]]');
  const head = encodeHeader({ fingerprint: hashFingerprint(), keyCodeBytes: k.length, valueCodeBytes: big.length, heapBytes: 0 });
  const file = new Uint8Array(HEADER_BYTES + pad16(k.length + big.length) + 16);
  file.set(head);
  file.set(k, HEADER_BYTES);
  file.set(big, HEADER_BYTES + k.length);
  assert.throws(() => snapshotTypes(file), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-header" && /the key type code holds/.test(e.message));
  const grew = process.memoryUsage().arrayBuffers - before;
  assert.ok(grew < 16 << 20, `${grew} bytes of ArrayBuffers more`);
});
