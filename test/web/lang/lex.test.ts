// Tests of web/lang/lex.ts: Go's tokens, positions for error messages, and refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lex } from "../../../web/lang/lex.js";
import { PlaygroundSyntaxError } from "../../../web/lang/errors.js";

const kinds = (src: string): string[] => lex(src).map((t) => `${t.kind}:${t.text}`);

test("tokens of a Go statement, with := read as one operator", () => {
  assert.deepEqual(kinds('v, ok := m["a b"]'), ["ident:v", "op:,", "ident:ok", "op::=", "ident:m", "op:[", 'string:a b', "op:]", "eof:"]);
});

test("numbers: decimal, hex, underscores, floats and exponents", () => {
  assert.deepEqual(kinds("1_000 0xff 1.5 2e3"), ["int:1_000", "int:0xff", "float:1.5", "float:2e3", "eof:"]);
});

test("strings: escapes decoded, raw strings kept as written", () => {
  assert.deepEqual(kinds('"a\\n\\"b" `x\\n`'), ['string:a\n"b', "string:x\\n", "eof:"]);
});

test("newlines and semicolons end statements; comments are skipped", () => {
  assert.deepEqual(kinds("a // note\nb; c"), ["ident:a", "end:\n", "ident:b", "end:;", "ident:c", "eof:"]);
});

test("positions are line:column, 1-based", () => {
  const t = lex("a\n  bb")[2];
  assert.deepEqual([t.text, t.line, t.col, t.off, t.end], ["bb", 2, 3, 4, 6]);
});

test("a raw string's newlines count: tokens after it are on the right line", () => {
  const toks = lex("s := `a\nb\n`\nx y");
  const x = toks.find((t) => t.text === "x")!;
  assert.deepEqual([x.line, x.col], [4, 1]);
  assert.throws(() => lex("s := `a\nb`\n  #"), /^PlaygroundSyntaxError: 3:3: unexpected character "#"/);
});

test("what it cannot read is a PlaygroundSyntaxError at its position", () => {
  assert.throws(() => lex("m[1] = 2 # x"), (e: unknown) => e instanceof PlaygroundSyntaxError && e.message === '1:10: unexpected character "#"');
  assert.throws(() => lex('"open'), /1:1: string literal not terminated/);
  assert.throws(() => lex('"\\q"'), /unknown escape sequence \\q/);
  assert.throws(() => lex("12ab"), /malformed number/);
});
