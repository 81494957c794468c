// Tests of web/lang/arith.ts: constants representable in a type or not, in Go's words, and
// exact integer arithmetic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { floatOp, intOp, represent, safe, wrap } from "../../../web/lang/arith.js";
import { basic } from "../../../web/lang/gotypes.js";
import type { BasicT } from "../../../web/lang/gotypes.js";

const T = (name: string): BasicT => basic(name) as BasicT;

test("a constant is representable in a type, truncated or overflowing", () => {
  assert.equal(represent(2, T("int")), 2);
  assert.equal(represent(1.5, T("int")), "truncated");
  assert.equal(represent(127, T("int8")), 127);
  assert.equal(represent(128, T("int8")), "overflows");
  assert.equal(represent(-129, T("int8")), "overflows");
  assert.equal(represent(255, T("byte")), 255);
  assert.equal(represent(-1, T("uint")), "overflows");
  assert.equal(represent(2 ** 32, T("uint32")), "overflows");
  assert.equal(represent(0.1, T("float32")), Math.fround(0.1));
  assert.equal(represent(1e39, T("float32")), "overflows");
  assert.equal(represent(1e39, T("float64")), 1e39);
  assert.throws(() => represent(2 ** 60, T("int64")), /^RangeError: int64 value 1152921504606846976 is past 2\^53 - 1/);
});

test("integer arithmetic is exact and truncates toward zero; floats round to their width", () => {
  assert.deepEqual([intOp("/", 7, 2), intOp("/", -7, 2), intOp("%", -7, 2), intOp("*", 2 ** 40, 2 ** 20)], [3n, -3n, -1n, 2n ** 60n]);
  assert.equal(intOp("<", 1, 2), true);
  assert.equal(intOp("&&", 1, 2), undefined);
  assert.equal(floatOp("/", 7, 2, 64), 3.5);
  assert.equal(floatOp("+", 0.1, 0.2, 32), Math.fround(0.1 + 0.2));
  assert.equal(floatOp("%", 7, 2, 64), undefined);
  assert.equal(safe(2n ** 53n - 1n, "x"), 2 ** 53 - 1);
  assert.throws(() => safe(2n ** 53n, "constant"), /^RangeError: constant 9007199254740992 is past 2\^53 - 1/);
});

test("wrap: two's complement in the type's width", () => {
  assert.deepEqual([wrap(128n, T("int8")), wrap(-129n, T("int8")), wrap(-1n, T("uint8")), wrap(256n, T("byte")), wrap(2n ** 31n, T("rune")), wrap(-1n, T("uint32"))], [-128, 127, 255, 0, -(2 ** 31), 2 ** 32 - 1]);
  assert.equal(wrap(2n ** 64n + 5n, T("int")), 5);
  assert.throws(() => wrap(2n ** 63n, T("int64")), /^RangeError: int64 value -9223372036854775808 is past 2\^53 - 1/, "refused, not rounded");
});
