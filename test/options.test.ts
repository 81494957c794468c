// Tests of src/options.ts: the shape check of the public factories' options, and of callbacks.
import assert from "node:assert/strict";
import test from "node:test";
import { checkCallback, checkMaxBytes, checkOptionKeys } from "../src/options.js";

test("options: undefined and objects of known keys pass", () => {
  checkOptionKeys(undefined, ["a", "b"], "f");
  checkOptionKeys({}, ["a", "b"], "f");
  checkOptionKeys({ a: 1, b: undefined }, ["a", "b"], "f");
});

test("options: an unknown key is a TypeError naming it and the known ones", () => {
  assert.throws(() => checkOptionKeys({ a: 1, hnt: 5 }, ["a", "hint"], "GoMap.make"), {
    name: "TypeError",
    message: 'gomap: unknown GoMap.make option "hnt" (the options are a, hint)',
  });
});

test("options: null, a number, a string or an array is a TypeError", () => {
  for (const bad of [null, 5, "hint", [], [{ hint: 5 }]]) {
    assert.throws(() => checkOptionKeys(bad, ["a"], "load"), /^TypeError: gomap: load options must be an object, got (null|number|string|an array)$/);
  }
});

test("options: checkCallback passes functions and names the call and what came instead", () => {
  checkCallback(() => 0, "f");
  checkCallback(function named() {}, "f");
  assert.throws(() => checkCallback(5, "GoMap.update"), { name: "TypeError", message: "gomap: GoMap.update wants a function, got 5 (number)" });
  assert.throws(() => checkCallback(undefined, "GoMap.forEach"), /^TypeError: gomap: GoMap.forEach wants a function, got undefined$/);
  assert.throws(() => checkCallback({}, "SyncMap.range"), /wants a function, got object$/);
});

test("options: checkMaxBytes takes undefined and numbers above 0; refuses other kinds (TypeError) and 0 and below (RangeError)", () => {
  for (const ok of [undefined, 1, 1024, 2 ** 40, Infinity]) checkMaxBytes(ok, "f");
  for (const bad of ["1mb", null, NaN, 10n, {}]) {
    assert.throws(() => checkMaxBytes(bad, "GoMap.make"), (e: unknown) => e instanceof TypeError && /^gomap: GoMap.make maxBytes must be a number of bytes above 0, got /.test(e.message));
  }
  for (const bad of [0, -0, -1, -Infinity]) assert.throws(() => checkMaxBytes(bad, "load"), RangeError);
});
