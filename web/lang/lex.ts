// The playground's lexer: turns the text typed in the statement box into Go tokens.
//
// It knows the small part of Go the playground runs (see parse.ts): identifiers, Go's integer
// literals (decimal, 0x hex, 0o and leading-0 octal, 0b binary, _ between digits), decimal
// floats, interpreted ("...", with all of Go's escapes; bytes that are not UTF-8 are refused,
// since the playground's strings are text) and raw (`...`) strings, and the operators.
// Newlines and semicolons both end a statement, as Go's automatic semicolons do at the end of
// a line. Every token carries its column (1-based, on its line) so errors can point at it. A
// character the lexer does not know, or a malformed number, is a PlaygroundSyntaxError, never
// skipped.
import { PlaygroundSyntaxError } from "./errors.js";

export type TokKind = "ident" | "int" | "float" | "string" | "op" | "end" | "eof";

export interface Tok {
  kind: TokKind;
  /** The token's text; for strings, the decoded value. */
  text: string;
  /** 1-based line and column of the token's first character. */
  line: number;
  col: number;
  /** Offsets of the token's first character and one past its last, in the source. */
  off: number;
  end: number;
}

// Longest first, so ":=" is not read as ":" then "=".
const OPS = [":=", "+=", "-=", "*=", "/=", "%=", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "[", "]", "(", ")", "{", "}", ",", ".", ":", "=", "+", "-", "*", "/", "%", "<", ">", "!", "&"];

/** Go's one-character escapes in an interpreted string ("\'" is for rune literals only). */
const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34 };
/** The numeric escapes: digits after the letter (none for octal), their base, the count. */
const NUMERIC: Record<string, [number, number, string]> = { x: [16, 2, "hexadecimal"], u: [16, 4, "hexadecimal"], U: [16, 8, "hexadecimal"] };

export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (len: number): { line: number; col: number; off: number; end: number } => ({ line, col: i - lineStart + 1, off: i, end: i + len });
  while (i < src.length) {
    const c = src[i];
    if (c === "\n" || c === ";") {
      toks.push({ kind: "end", text: c, ...at(1) });
      i++;
      if (c === "\n") {
        line++;
        lineStart = i;
      }
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
      toks.push({ kind: "ident", text: src.slice(start, i), line, col: start - lineStart + 1, off: start, end: i });
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const tok = number(src, i, line, i - lineStart + 1);
      toks.push(tok);
      i = tok.end;
    } else if (c === '"' || c === "`") {
      const { value, end } = c === '"' ? quoted(src, i, line, lineStart) : raw(src, i, line, lineStart);
      toks.push({ kind: "string", text: value, line, col: i - lineStart + 1, off: i, end });
      // A raw string may span lines: what follows it is on its last line.
      for (; i < end; i++) {
        if (src[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
      }
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (op === undefined) throw new PlaygroundSyntaxError(`unexpected character ${JSON.stringify(c)}`, line, i - lineStart + 1);
      toks.push({ kind: "op", text: op, ...at(op.length) });
      i += op.length;
    }
  }
  toks.push({ kind: "eof", text: "", ...at(0) });
  return toks;
}

function number(src: string, i: number, line: number, col: number): Tok {
  const m = /^(0[xX][0-9a-fA-F_]*|0[oObB][0-9_]*|([0-9][0-9_]*)?(\.[0-9_]*)?([eE][+-]?[0-9_]*)?)/.exec(src.slice(i)) as RegExpExecArray;
  const text = m[0];
  if (/[A-Za-z0-9_.]/.test(src[i + text.length] ?? "")) {
    throw new PlaygroundSyntaxError(`malformed number ${JSON.stringify(src.slice(i, i + text.length + 1))}`, line, col);
  }
  const isFloat = !/^0[xXoObB]/.test(text) && /[.eE]/.test(text);
  const wrong = isFloat ? floatError(text) : intError(text);
  if (wrong !== null) throw new PlaygroundSyntaxError(wrong, line, col);
  return { kind: isFloat ? "float" : "int", text, line, col, off: i, end: i + text.length };
}

const BASES: Record<string, [string, RegExp]> = {
  x: ["hexadecimal", /[0-9a-fA-F]/],
  o: ["octal", /[0-7]/],
  b: ["binary", /[01]/],
};

/** What is wrong with an integer literal (Go's scanner's words), or null. */
function intError(text: string): string | null {
  const prefixed = /^0[xXoObB]/.test(text);
  // A leading 0 alone makes an octal literal too: 017 is 15.
  const base = prefixed ? text[1].toLowerCase() : text.length > 1 && text[0] === "0" ? "o" : null;
  if (base === null) return separated(text);
  const [name, digit] = BASES[base];
  const digits = text.slice(prefixed ? 2 : 1);
  const bad = [...digits].find((c) => c !== "_" && !digit.test(c));
  if (bad !== undefined) return `invalid digit '${bad}' in ${name} literal`;
  if (digits.replace(/_/g, "") === "") return `${name} literal has no digits`;
  // An underscore may also follow the base prefix: 0x_1f, 0_17.
  return separated(digits.replace(/^_/, ""));
}

/** What is wrong with a decimal float literal, or null. */
function floatError(text: string): string | null {
  const [mantissa, exponent] = text.split(/[eE]/);
  if (exponent !== undefined && !/[0-9]/.test(exponent)) return "exponent has no digits";
  const parts = [...mantissa.split("."), exponent?.replace(/^[+-]/, "") ?? ""];
  return parts.map(separated).find((e) => e !== null) ?? null;
}

/** Go's rule for digits (of the literal's base, already checked): an underscore only between two. */
function separated(digits: string): string | null {
  return digits === "" || /^[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(digits) ? null : "'_' must separate successive digits";
}

/** The value of a number token (its form checked by the lexer). */
export function numberValue(tok: Tok): number {
  const s = tok.text.replace(/_/g, "");
  return tok.kind === "int" && /^0[0-7]+$/.test(s) ? Number(`0o${s.slice(1)}`) : Number(s);
}

/**
 * An interpreted string: Go's escapes decoded to the bytes they stand for (\x and octal escapes
 * are bytes, \u and \U code points written as UTF-8), then read as UTF-8. Go's string may hold
 * any bytes; the playground's are text (gomap stores a JS string), so bytes that do not spell
 * UTF-8 are refused, saying so.
 */
function quoted(src: string, start: number, line: number, lineStart: number): { value: string; end: number } {
  let i = start + 1;
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  const fail = (message: string, at: number): never => {
    throw new PlaygroundSyntaxError(message, line, at - lineStart + 1);
  };
  while (i < src.length && src[i] !== '"') {
    if (src[i] === "\n") break;
    if (src[i] !== "\\") {
      const c = src.codePointAt(i) as number;
      bytes.push(...utf8.encode(String.fromCodePoint(c)));
      i += c > 0xffff ? 2 : 1;
      continue;
    }
    const e = src[i + 1] ?? "";
    if (ESCAPES[e] !== undefined) {
      bytes.push(ESCAPES[e]);
      i += 2;
      continue;
    }
    const octal = /[0-7]/.test(e);
    const numeric = octal ? ([8, 3, "octal"] as [number, number, string]) : NUMERIC[e];
    if (numeric === undefined) fail(`unknown escape sequence \\${e}`, i);
    const [base, count, name] = numeric;
    const first = octal ? i + 1 : i + 2;
    let n = 0;
    for (let j = first; j < first + count; j++) {
      const d = parseInt(src[j] ?? "", base);
      if (Number.isNaN(d) || !/[0-9a-fA-F]/.test(src[j] ?? "")) fail(`invalid character ${quoteChar(src[j])} in ${name} escape`, j);
      n = n * base + d;
    }
    i = first + count;
    if (octal || e === "x") {
      if (n > 255) fail(`octal escape value ${n} > 255`, first);
      bytes.push(n);
    } else {
      if (n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) fail(`escape is invalid Unicode code point U+${n.toString(16).toUpperCase().padStart(4, "0")}`, first);
      bytes.push(...utf8.encode(String.fromCodePoint(n)));
    }
  }
  if (src[i] !== '"') fail("string literal not terminated", start);
  let value: string;
  try {
    value = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch {
    return fail("string literal is not valid UTF-8: Go takes any bytes (\\xff), the playground's strings are text", start);
  }
  return { value, end: i + 1 };
}

/** A character as Go's scanner quotes it in a message: '"', or EOF. */
function quoteChar(c: string | undefined): string {
  return c === undefined ? "EOF" : `'${c}'`;
}

function raw(src: string, start: number, line: number, lineStart: number): { value: string; end: number } {
  const close = src.indexOf("`", start + 1);
  if (close < 0) throw new PlaygroundSyntaxError("raw string literal not terminated", line, start - lineStart + 1);
  // Go discards carriage returns inside a raw string.
  return { value: src.slice(start + 1, close).replace(/\r/g, ""), end: close + 1 };
}
