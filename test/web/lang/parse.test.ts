// Tests of web/lang/parse.ts: every statement form the playground accepts, and errors that say
// what was expected and where.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_NESTING, parse } from "../../../web/lang/parse.js";
import { PlaygroundSyntaxError } from "../../../web/lang/errors.js";

test("each statement form parses to its node", () => {
  const kinds = parse(
    [
      "type U struct { A, B int; C string }",
      "var n map[string]int",
      "m := make(map[string][]int, 10)",
      'm["a"] = 1',
      'm["a"] += 2',
      'm["a"]++',
      'v, ok := m["b"]',
      'delete(m, "a")',
      "for k, v := range m",
      "for range m { clear(m) }",
      "len(m)",
    ].join("\n"),
  ).map((s) => s.k);
  assert.deepEqual(kinds, ["type", "var", "define", "assign", "assign", "incdec", "define", "expr", "range", "range", "expr"]);
});

test("make keeps the map type and the hint", () => {
  const [s] = parse("m := make(map[uint32]struct{ X int }, 7)");
  assert.equal(s.k, "define");
  if (s.k !== "define") return;
  const call = s.values[0];
  assert.equal(call.k, "call");
  if (call.k !== "call") return;
  assert.equal(call.type?.k, "map");
  assert.equal(call.args.length, 1);
});

test("range with a body, a method call with a func literal, a composite literal", () => {
  const [r, u, c] = parse('for k, _ := range m { m[k+"!"] = 1; delete(m, k) }\nm.update("a", func(u *User) { u.Age++ })\nx := User{Age: 3, Name: "n"}');
  assert.equal(r.k === "range" && r.key, "k");
  assert.equal(r.k === "range" && r.value, null);
  assert.equal(r.k === "range" && r.body?.length, 2);
  assert.equal(u.k === "expr" && u.x.k === "method" && u.x.args[1].k, "func");
  assert.equal(c.k === "define" && c.values[0].k, "composite");
});

test("binary operators bind by Go's precedence", () => {
  const [s] = parse("x := 1 + 2 * 3");
  assert.ok(s.k === "define");
  const e = s.k === "define" ? s.values[0] : null;
  assert.equal(e?.k === "binary" && e.op, "+");
  assert.equal(e?.k === "binary" && e.y.k === "binary" && e.y.op, "*");
});

test("spans point at the statement's own text", () => {
  const src = 'a := 1; m["x"] = a';
  const [, s] = parse(src);
  assert.equal(src.slice(s.at.off, s.at.end), 'm["x"] = a');
});

test("statements it does not understand say what was expected, and where", () => {
  const cases: [string, RegExp][] = [
    ["m[1 = 2", /^1:5: expected \], found "="/],
    ["hello world", /^1:7: unexpected "world"; the playground understands m := make/],
    ["if x { }", /does not run "if" statements/],
    ["for i := 0; i < 3; i++ {}", /expected "range"/],
    ["m := make(map[string int)", /expected \] after the map's key type/],
    ["a, b", /expected := or =/],
    ["x := ", /expected a value, found the end of the statement/],
    ["for k := range m { m[k] = 1", /expected } to close the block/],
  ];
  for (const [src, re] of cases) {
    assert.throws(() => parse(src), (e: unknown) => e instanceof PlaygroundSyntaxError && re.test(e.message), src);
  }
});

test("nesting deeper than MAX_NESTING is a syntax error, not a stack overflow", () => {
  const deep = MAX_NESTING + 1;
  const cases = [
    `x := ${"(".repeat(3000)}1${")".repeat(3000)}`,
    `x := ${"(".repeat(deep)}1${")".repeat(deep)}`,
    `x := ${"- ".repeat(3000)}1`,
    `var m ${"[]".repeat(3000)}int`,
    `m := make(${"map[int]".repeat(3000)}int)`,
    "for range m { ".repeat(3000),
    `x := ${Array(3000).fill("1").join(" + ")}`,
  ];
  for (const src of cases) {
    assert.throws(() => parse(src), (e: unknown) => e instanceof PlaygroundSyntaxError && /^1:\d+: exceeded max nesting depth \(200\)$/.test(e.message), src.slice(0, 20));
  }
  assert.doesNotThrow(() => parse(`x := ${"(".repeat(MAX_NESTING - 2)}1${")".repeat(MAX_NESTING - 2)}`));
  assert.doesNotThrow(() => parse(`x := ${Array(MAX_NESTING - 1).fill("1").join(" + ")}`));
});
