// Tests of web/lang/values.ts: values printed as Go's fmt prints them (%v).
import { test } from "node:test";
import assert from "node:assert/strict";
import { SliceHeap, format, formatKey, formatNumber } from "../../../web/lang/values.js";

test("numbers print as Go's %v: two-digit exponents, +Inf, -0", () => {
  assert.deepEqual([1.5, 100, 1e21, 1e-7, Infinity, -Infinity, NaN, -0].map(formatNumber), ["1.5", "100", "1e+21", "1e-07", "+Inf", "-Inf", "NaN", "-0"]);
});

test("keys in the drawing: strings quoted, structs in braces", () => {
  assert.deepEqual([formatKey("a"), formatKey(3), formatKey({ X: 1, Y: "b" }), formatKey(true)], ['"a"', "3", '{1 "b"}', "true"]);
});

test("slices print their backing array up to len", () => {
  const heap = new SliceHeap();
  const a = heap.alloc(4, 0);
  heap.array(a).splice(0, 3, 7, 8, 9);
  const t = { k: "slice", name: "[]int", elem: { k: "basic", name: "int", cls: "int", gm: null }, gm: null } as never;
  assert.equal(format({ k: "slice", t, array: a, len: 2, cap: 4 }, heap), "[7 8]");
  assert.equal(format({ k: "slice", t, array: 0, len: 0, cap: 0 }, heap), "[]");
  assert.throws(() => heap.array(0x1234), /no backing array at 0x1234/);
});
