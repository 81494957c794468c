// Tests of web/lang/lex.ts: Go's tokens, positions for error messages, and refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lex, numberValue } from "../../../web/lang/lex.js";
import { PlaygroundSyntaxError } from "../../../web/lang/errors.js";

const kinds = (src: string): string[] => lex(src).map((t) => `${t.kind}:${t.text}`);

test("tokens of a Go statement, with := read as one operator", () => {
  assert.deepEqual(kinds('v, ok := m["a b"]'), ["ident:v", "op:,", "ident:ok", "op::=", "ident:m", "op:[", 'string:a b', "op:]", "eof:"]);
});

test("numbers: decimal, hex, underscores, floats and exponents", () => {
  assert.deepEqual(kinds("1_000 0xff 1.5 2e3"), ["int:1_000", "int:0xff", "float:1.5", "float:2e3", "eof:"]);
});

test("Go's integer literals: hex, octal (0o and a leading 0), binary, underscores; their values", () => {
  const src = "0x1F 0X_1f 0o17 0O17 017 0_17 0b101 0B_1 0 00 1_000_000 09.5 1.e2 .5 0e3";
  assert.deepEqual(kinds(src), ["int:0x1F", "int:0X_1f", "int:0o17", "int:0O17", "int:017", "int:0_17", "int:0b101", "int:0B_1", "int:0", "int:00", "int:1_000_000", "float:09.5", "float:1.e2", "float:.5", "float:0e3", "eof:"]);
  assert.deepEqual(lex(src).slice(0, -1).map(numberValue), [31, 31, 15, 15, 15, 15, 5, 1, 0, 0, 1e6, 9.5, 100, 0.5, 0]);
});

test("malformed numbers are refused in Go's words", () => {
  const cases: [string, string][] = [
    ["018", "invalid digit '8' in octal literal"],
    ["0o8", "invalid digit '8' in octal literal"],
    ["0b102", "invalid digit '2' in binary literal"],
    ["0x", "hexadecimal literal has no digits"],
    ["0b_", "binary literal has no digits"],
    ["1__0", "'_' must separate successive digits"],
    ["1_", "'_' must separate successive digits"],
    ["0x_1_", "'_' must separate successive digits"],
    ["1_.5", "'_' must separate successive digits"],
    ["1e", "exponent has no digits"],
    ["1e+", "exponent has no digits"],
    ["0x1p4", 'malformed number "0x1p"'],
    ["2i", 'malformed number "2i"'],
  ];
  for (const [src, msg] of cases) {
    assert.throws(() => lex(`x := ${src}`), (e: unknown) => e instanceof PlaygroundSyntaxError && e.message === `1:6: ${msg}`, src);
  }
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

test("strings: every escape Go has (\\a \\b \\f \\v, octal, \\x, \\u, \\U), bytes that spell UTF-8 included", () => {
  // Go 1.19: len(s) is 17 and its bytes are [65 65 195 169 240 159 152 128 7 8 12 11 124 195 169 195 169].
  const s = lex('"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\v|\\xc3\\xa9\\303\\251"')[0];
  assert.equal(s.kind, "string");
  assert.deepEqual([...new TextEncoder().encode(s.text)], [65, 65, 195, 169, 240, 159, 152, 128, 7, 8, 12, 11, 124, 195, 169, 195, 169]);
  // Go discards carriage returns inside raw strings.
  assert.equal(lex("`a\r\nb`")[0].text, "a\nb");
  assert.equal(lex('"\\uFEFFa"')[0].text, "\uFEFFa", "a byte order mark is a character like any other");
});

test("strings: the escapes Go refuses are refused, in Go's words", () => {
  const cases: [string, string][] = [
    ['"\\0"', "invalid character '\"' in octal escape"],
    ['"\\12"', "invalid character '\"' in octal escape"],
    ['"\\\'"', "unknown escape sequence \\'"],
    ['"\\400"', "octal escape value 256 > 255"],
    ['"\\x4"', "invalid character '\"' in hexadecimal escape"],
    ['"\\uD800"', "escape is invalid Unicode code point U+D800"],
    ['"\\U00110000"', "escape is invalid Unicode code point U+110000"],
  ];
  for (const [src, msg] of cases) {
    assert.throws(() => lex(src), (e: unknown) => e instanceof PlaygroundSyntaxError && e.message.endsWith(`: ${msg}`), src);
  }
  // Go takes "\xff" (a string is any bytes); the playground's strings are text, so it says so.
  assert.throws(() => lex('"\\xff"'), (e: unknown) => e instanceof PlaygroundSyntaxError && /not valid UTF-8/.test(e.message));
});
