import assert from "node:assert/strict";
import test from "node:test";
import { describe, fieldPath, notInteger, notSafe, outOfRange, show, wrongKind } from "../../src/types/reject.js";

test("describe: a short, safe rendering of any value", () => {
  assert.equal(describe("abc"), '"abc" (string)');
  assert.equal(describe("x".repeat(100)), `"${"x".repeat(40)}…" (string)`);
  assert.equal(describe("\ud800"), '"\\ud800" (string)');
  assert.equal(describe(-0), "-0 (number)");
  assert.equal(describe(NaN), "NaN (number)");
  assert.equal(describe(5n), "5n (bigint)");
  assert.equal(describe(true), "true (boolean)");
  assert.equal(describe(undefined), "undefined");
  assert.equal(describe(null), "null");
  assert.equal(describe(Symbol("s")), "symbol");
  assert.equal(describe(() => 1), "function");
  assert.equal(describe([1]), "array");
  assert.equal(describe({}), "object");
  assert.equal(describe(Object.create(null)), "object");
  assert.equal(describe(new Map()), "Map");
  assert.equal(describe(new Uint16Array(2)), "Uint16Array");
  assert.equal(describe(new (class Foo {})()), "object");
});

test("show: numbers keep -0 and bigints their n", () => {
  assert.equal(show(-0), "-0");
  assert.equal(show(0), "0");
  assert.equal(show(-5n), "-5n");
});

test("error builders: kinds and wording", () => {
  const k = wrongKind("x", "uint32", "key");
  assert.ok(k instanceof TypeError);
  assert.equal(k.message, 'gomap: cannot use "x" (string) as uint32 key');
  assert.equal(wrongKind(1, "bool", undefined).message, "gomap: cannot use 1 (number) as bool");
  const r = outOfRange(4294967296, "uint32", "key");
  assert.ok(r instanceof RangeError);
  assert.equal(r.message, "gomap: key 4294967296 out of range for uint32");
  assert.equal(outOfRange(-1n, "uint64", undefined).message, "gomap: -1n out of range for uint64");
  assert.equal(notInteger(0.5, "int8", "value").message, "gomap: value 0.5 is not an integer, want int8");
  assert.ok(notSafe(2 ** 53, "int64", "key") instanceof RangeError);
  assert.equal(fieldPath("key", "age"), "key.age");
  assert.equal(fieldPath(undefined, "age"), "age");
});
