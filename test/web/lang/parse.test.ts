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

test("composite literals: map, slice and struct, keyed or not, with elided element types", () => {
  const [m, s, p, v] = parse('m := map[string]Point{"a": {1, 2}, "b": {X: 3}}\ns := []int{1, 2: 5}[0]\np := Point{1, 2}\nvar e = map[int]int{}');
  assert.ok(m.k === "define" && m.values[0].k === "composite");
  const lit = m.k === "define" && m.values[0].k === "composite" ? m.values[0] : null;
  assert.equal(lit?.type?.k, "map");
  assert.deepEqual(lit?.elems.map((e) => [e.key?.k, e.value.k, e.value.k === "composite" && e.value.type]), [["lit", "composite", null], ["lit", "composite", null]]);
  const b = lit?.elems[1].value;
  assert.deepEqual(b?.k === "composite" && b.elems.map((e) => [e.key?.k === "ident" && e.key.name, e.value.k]), [["X", "lit"]]);
  assert.ok(s.k === "define" && s.values[0].k === "index" && s.values[0].x.k === "composite", "a literal takes an index after it");
  const sl = s.k === "define" && s.values[0].k === "index" && s.values[0].x.k === "composite" ? s.values[0].x : null;
  assert.deepEqual(sl?.elems.map((e) => e.key === null), [true, false]);
  assert.ok(p.k === "define" && p.values[0].k === "composite" && p.values[0].elems.every((e) => e.key === null), "a positional struct literal");
  assert.ok(v.k === "var" && v.type === null && v.value?.k === "composite", "var name = value");
});

test("a literal may span lines after {, a comma or a colon; a newline before } needs the trailing comma, as in Go", () => {
  const src = 'm := map[string]int{\n\t"a": 1,\n\t"b":\n\t2,\n}\nlen(m)';
  assert.deepEqual(parse(src).map((s) => s.k), ["define", "expr"]);
  assert.doesNotThrow(() => parse('x := map[string]int{"a": 1,}'));
  // Go 1.19: syntax error: unexpected newline in composite literal; possibly missing comma or }
  const cases: [string, string][] = [
    ['m := map[string]int{"a": 1\n}', "1:27: unexpected newline in composite literal; possibly missing comma or }"],
    ['m := map[string]int{"a"\n: 1}', "1:24: unexpected newline in composite literal; possibly missing comma or }"],
    ['m := []int{1 2}', '1:14: unexpected "2" in composite literal; possibly missing comma or }'],
  ];
  for (const [src, msg] of cases) {
    assert.throws(() => parse(src), (e: unknown) => e instanceof PlaygroundSyntaxError && e.message === msg, src);
  }
});

test("a map literal may be ranged over: its braces are not the loop's body", () => {
  const [r] = parse('for k, v := range map[string]int{"a": 1} { println(k, v) }');
  assert.ok(r.k === "range" && r.x.k === "composite" && r.body?.length === 1);
});

test("a literal of any named type, lower case too; in a for header, name { opens the body, as in Go", () => {
  const [p, r, q] = parse("p := point{1, 2}\nfor k := range m { x := point{k} }\nfor k := range (point{1}).m { }");
  assert.ok(p.k === "define" && p.values[0].k === "composite");
  assert.ok(r.k === "range" && r.x.k === "ident" && r.body?.length === 1);
  const body = r.k === "range" ? r.body?.[0] : undefined;
  assert.ok(body?.k === "define" && body.values[0].k === "composite", "a literal inside the body");
  assert.ok(q.k === "range" && q.x.k === "field" && q.x.x.k === "composite", "a literal in parentheses in the header");
});
