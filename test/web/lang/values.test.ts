// Tests of web/lang/values.ts: values printed as Go's fmt prints them (%v).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SliceHeap, format, formatConstant, formatFloat, formatG6, formatKey, goQuote } from "../../../web/lang/values.js";
import { basic } from "../../../web/lang/gotypes.js";
import type { BasicT } from "../../../web/lang/gotypes.js";

const T = (name: string): BasicT => basic(name) as BasicT;

test("floats print as Go's %v (strconv 'g', shortest): exponents past 1e+06 and below 1e-04, two digits at least, +Inf", () => {
  const cases: [number, string][] = [
    [1.5, "1.5"], [100, "100"], [123456, "123456"], [1e6, "1e+06"], [1234567, "1.234567e+06"], [1e21, "1e+21"],
    [0.0001, "0.0001"], [0.00001, "1e-05"], [1e-7, "1e-07"], [1e100, "1e+100"], [-2.5e-10, "-2.5e-10"],
    [Infinity, "+Inf"], [-Infinity, "-Inf"], [NaN, "NaN"], [-0, "-0"], [0, "0"], [0.1 + 0.2, "0.30000000000000004"],
  ];
  assert.deepEqual(cases.map(([n]) => formatFloat(n, 64)), cases.map(([, s]) => s));
});

test("float32 prints its own shortest digits; ints print as integers, never -0", () => {
  assert.deepEqual([0.1, 1 / 3, 16777217, 3.4e38].map((n) => formatFloat(Math.fround(n), 32)), ["0.1", "0.33333334", "1.6777216e+07", "3.4e+38"]);
  const heap = new SliceHeap();
  assert.deepEqual([format({ t: T("int"), v: -0 }, heap), format({ t: T("int"), v: 1e6 }, heap), format({ t: T("float64"), v: 1e6 }, heap), format({ t: T("float32"), v: Math.fround(0.1) }, heap)], ["0", "1000000", "1e+06", "0.1"]);
});

test("keys in the drawing: strings quoted, structs in braces, numbers by their type", () => {
  const P = { k: "struct", name: "P", fields: [{ name: "X", t: T("float32") }, { name: "Y", t: T("string") }] } as never;
  assert.deepEqual([formatKey("a", T("string")), formatKey(3, T("int")), formatKey({ X: Math.fround(0.1), Y: "b" }, P), formatKey(true, T("bool"))], ['"a"', "3", '{0.1 "b"}', "true"]);
});

test("slices print their backing array up to len", () => {
  const heap = new SliceHeap();
  const a = heap.alloc(4, 0);
  heap.array(a).splice(0, 3, 7, 8, 9);
  const t = { k: "slice", name: "[]int", elem: { k: "basic", name: "int", cls: "int", gm: null }, gm: null } as never;
  assert.equal(format({ t, v: { k: "slice", t, array: a, len: 2, cap: 4 } }, heap), "[7 8]");
  assert.equal(format({ t, v: { k: "slice", t, array: 0, len: 0, cap: 0 } }, heap), "[]");
  assert.throws(() => heap.array(0x1234), /no backing array at 0x1234/);
});

test("constants in compile errors print as Go's go/constant does: %.6g floats (half to even), strconv.Quote strings", () => {
  const floats = [1234565, 1234575, 0.5, 100000, 999999.5, 0.0001234565, 123456, 1e-5, 12.5, 2.5e-300, 1.7976931348623157e308, 5e-324];
  // Go 1.19: fmt.Printf("%.6g|", f) for each.
  assert.equal(floats.map(formatG6).join("|"), "1.23456e+06|1.23458e+06|0.5|100000|1e+06|0.000123457|123456|1e-05|12.5|2.5e-300|1.79769e+308|4.94066e-324");
  // Go 1.19: fmt.Printf("%q", ...).
  assert.equal(goQuote("a\x00\x7f\u00a0\u200b\u{E0001}é\t"), '"a\\x00\\x7f\\u00a0\\u200b\\U000e0001é\\t"');
  assert.deepEqual([formatConstant(1e6, T("float64")), formatConstant(1e6, T("int")), formatConstant("x".repeat(80), T("string")).length], ["1e+06", "1000000", 72]);
});
