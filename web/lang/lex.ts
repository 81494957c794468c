// The playground's lexer: turns the text typed in the statement box into Go tokens.
//
// It knows the small part of Go the playground runs (see parse.ts): identifiers, Go's integer
// literals (decimal, 0x hex, 0o and leading-0 octal, 0b binary, _ between digits), decimal
// floats, interpreted ("...") and raw (`...`) strings, and the operators the statements use.
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
const OPS = [":=", "+=", "-=", "*=", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "[", "]", "(", ")", "{", "}", ",", ".", ":", "=", "+", "-", "*", "/", "%", "<", ">", "!", "&"];

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0" };

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

function quoted(src: string, start: number, line: number, lineStart: number): { value: string; end: number } {
  let i = start + 1;
  let value = "";
  while (i < src.length && src[i] !== '"') {
    if (src[i] === "\n") break;
    if (src[i] === "\\") {
      const e = ESCAPES[src[i + 1]];
      if (e === undefined) throw new PlaygroundSyntaxError(`unknown escape sequence \\${src[i + 1] ?? ""}`, line, i - lineStart + 1);
      value += e;
      i += 2;
    } else {
      value += src[i++];
    }
  }
  if (src[i] !== '"') throw new PlaygroundSyntaxError("string literal not terminated", line, start - lineStart + 1);
  return { value, end: i + 1 };
}

function raw(src: string, start: number, line: number, lineStart: number): { value: string; end: number } {
  const close = src.indexOf("`", start + 1);
  if (close < 0) throw new PlaygroundSyntaxError("raw string literal not terminated", line, start - lineStart + 1);
  return { value: src.slice(start + 1, close), end: close + 1 };
}
