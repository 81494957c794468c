// Tests of src/options.ts: the shape check of the public factories' options.
import assert from "node:assert/strict";
import test from "node:test";
import { checkOptionKeys } from "../src/options.js";

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

test("options: null, a number or a string is a TypeError", () => {
  for (const bad of [null, 5, "hint"]) {
    assert.throws(() => checkOptionKeys(bad, ["a"], "load"), /^TypeError: gomap: load options must be an object, got (null|number|string)$/);
  }
});
