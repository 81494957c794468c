// Tests of src/snapshot/typecode.ts: the pinned encoding of every kind of type (a change
// here is a format change), equal codes for equal layouts, and asNumber sharing int64's code.
import assert from "node:assert/strict";
import test from "node:test";
import { SnapshotError } from "../../src/errors.js";
import { checkTypeCode, encodeTypeCode } from "../../src/snapshot/typecode.js";
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
