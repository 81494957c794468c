// The playground's run-time values, their conversion to and from what gomap stores, and
// their printing as Go's fmt prints them (%v).
//
// A map value is stored by the real library; the interpreter keeps only a handle to it. A
// struct value read from a map is a copy (StructVal), as in Go. A slice is its header
// {array, len, cap}; the backing arrays are in SliceHeap, outside any map, as in Go.
import { GoMap } from "../../src/index.js";
import type { Ref } from "../../src/index.js";
import { represent } from "./arith.js";
import type { ConstKind } from "./arith.js";
import { PlaygroundCompileError } from "./errors.js";
import { identical } from "./gotypes.js";
import type { BasicT, GoT, MapT, SliceT, StructT } from "./gotypes.js";

export type Scalar = number | string | boolean;
export interface StructVal {
  k: "struct";
  t: StructT;
  f: Record<string, Scalar>;
}
export interface SliceVal {
  k: "slice";
  t: SliceT;
  array: number;
  len: number;
  cap: number;
}
export type AnyMap = GoMap<unknown, unknown, unknown, unknown>;
export interface MapVal {
  k: "map";
  t: MapT;
  m: AnyMap;
}
/** gomap's ref(k) view of a struct value in the map. */
export interface RefVal {
  k: "ref";
  t: StructT;
  view: Ref<Record<string, unknown>>;
}
export type Val = Scalar | StructVal | SliceVal | MapVal | RefVal;

/**
 * A value and its type; the type is null for an untyped constant (a literal, or an operation
 * on constants) and for a ref. An untyped numeric constant has its kind (arith.ts).
 */
export interface TV {
  t: GoT | null;
  v: Val;
  kind?: ConstKind;
}

/** Backing arrays of slices, by a made-up address, as Go's heap holds them. */
export class SliceHeap {
  private readonly arrays = new Map<number, Scalar[]>();
  private next = 0xc000010000;

  /** A new backing array of cap elements, zeroed; returns its address. */
  alloc(cap: number, zero: Scalar): number {
    const addr = this.next;
    this.next += 0x100;
    this.arrays.set(addr, new Array<Scalar>(cap).fill(zero));
    return addr;
  }

  array(addr: number): Scalar[] {
    const a = this.arrays.get(addr);
    if (a === undefined) throw new Error(`no backing array at 0x${addr.toString(16)}`);
    return a;
  }
}

export function zeroOf(t: GoT): Val {
  switch (t.k) {
    case "basic":
      return t.cls === "string" ? "" : t.cls === "bool" ? false : 0;
    case "struct":
      return { k: "struct", t, f: Object.fromEntries(t.fields.map((f) => [f.name, zeroOf(f.t) as Scalar])) };
    case "slice":
      return { k: "slice", t, array: 0, len: 0, cap: 0 };
    case "map":
      return { k: "map", t, m: GoMap.nil(t.key.gm, t.value.gm) };
  }
}

/** What gomap stores for v, a value of type t. */
export function toStored(v: Val, t: GoT): unknown {
  if (t.k === "struct") return { ...(v as StructVal).f };
  if (t.k === "slice") {
    const s = v as SliceVal;
    return { array: s.array, len: s.len, cap: s.cap };
  }
  return v;
}

/** The playground's value for what gomap read back for type t. */
export function fromStored(raw: unknown, t: GoT): Val {
  if (t.k === "struct") return { k: "struct", t, f: { ...(raw as Record<string, Scalar>) } };
  if (t.k === "slice") {
    const h = raw as { array: number; len: number; cap: number };
    return { k: "slice", t, array: h.array, len: h.len, cap: h.cap };
  }
  return raw as Scalar;
}

/**
 * x converted to type t for `what` ("assignment", "map index", ...), or Go's compile error:
 * "cannot use x (...) as T value in ..." for a constant, which converts only to a type that can
 * represent its value ("(truncated)" or "(overflows)" otherwise), and "cannot use x (variable of
 * type U) as type T in ..." for a typed value (Go 1.19's words for each).
 */
export function convert(x: TV, t: GoT, text: string, what: string, form = "variable"): Val {
  if (x.t !== null && identical(x.t, t)) return x.v;
  const refused = `cannot use ${text} (${describeTV(x, text, form)}) as ${x.t === null ? `${t.name} value` : `type ${t.name}`} in ${what}`;
  if (x.t !== null || t.k !== "basic" || !takes(t, x)) throw new PlaygroundCompileError(refused);
  if (typeof x.v !== "number") return x.v;
  const v = represent(x.v, t);
  if (typeof v !== "number") throw new PlaygroundCompileError(`${refused} (${v})`);
  return v;
}

/** Whether basic type t takes constants of x's kind: numbers for int and float types, ... */
export function takes(t: BasicT, x: TV): boolean {
  switch (typeof x.v) {
    case "number": return t.cls === "int" || t.cls === "float";
    case "string": return t.cls === "string";
    case "boolean": return t.cls === "bool";
    default: return false;
  }
}

/** x's type as Go names it: int, or untyped float for a constant. */
export function typeName(x: TV): string {
  if (x.t !== null) return x.t.name;
  const v = x.v;
  return `untyped ${typeof v === "number" ? x.kind : typeof v === "boolean" ? "bool" : "string"}`;
}

/**
 * What x is, as Go's messages say it: "variable of type int", "untyped float constant 3.5";
 * `form` names what a typed x is ("variable", "value", "map index expression").
 */
export function describeTV(x: TV, text: string, form = "variable"): string {
  if (x.t !== null) return `${form} of type ${x.t.name}`;
  const v = x.v;
  if (typeof v === "object") return "value";
  if (typeof v === "number" && !Number.isFinite(v)) return `${typeName(x)} constant`;
  // The constant's value, unless the text already says it: 7 / 2.0 (untyped float constant 3.5).
  const value = typeof v === "string" ? JSON.stringify(v) : typeof v === "number" && x.kind === "float" ? formatFloat(v, 64) : String(v);
  return `${typeName(x)} constant${value === text ? "" : ` ${value}`}`;
}

/** Go's %v of x, a typed value (a constant gets its default type first). */
export function format(x: TV, heap: SliceHeap): string {
  const v = x.v;
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v, x.t);
  if (typeof v === "boolean") return String(v);
  switch (v.k) {
    case "struct":
      return `{${v.t.fields.map((f) => format({ t: f.t, v: v.f[f.name] }, heap)).join(" ")}}`;
    case "slice":
      return v.array === 0 ? "[]" : `[${heap.array(v.array).slice(0, v.len).map((e) => format({ t: v.t.elem, v: e }, heap)).join(" ")}]`;
    case "ref":
      return `&{${v.t.fields.map((f) => format({ t: f.t, v: v.view[f.name] as Scalar }, heap)).join(" ")}}`;
    case "map":
      return formatMap(v, heap);
  }
}

/**
 * What Go's builtin println prints for x (the runtime's print, not fmt's): bools, integers
 * and strings as they are, floats as +d.dddddde+ddd (printFloat), a slice as
 * [len/cap]address. Go refuses a struct ("illegal types for operand: print"); a map prints as
 * its address in Go, which the playground does not make up: fmt.Println prints its entries.
 */
export function formatPrint(x: TV): string {
  const v = x.v;
  if (typeof v === "number") return x.t !== null && x.t.k === "basic" && x.t.cls === "int" ? String(v) : printFloat(v);
  if (typeof v !== "object") return String(v);
  if (v.k === "slice") return `[${v.len}/${v.cap}]0x${v.array.toString(16)}`;
  if (v.k === "map") throw new PlaygroundCompileError("println prints a map as its address in Go; the playground does not: use fmt.Println");
  throw new PlaygroundCompileError(`illegal types for operand: print\n\t${v.t.name}`);
}

/** Go's runtime printfloat (runtime/print.go), step for step: 7 digits, rounded by adding 5e-7. */
export function printFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n + n === n && n > 0) return "+Inf";
  if (n + n === n && n < 0) return "-Inf";
  const digits = 7;
  let sign = "+";
  let e = 0;
  let v = n;
  if (v === 0) {
    if (1 / v < 0) sign = "-";
  } else {
    if (v < 0) {
      v = -v;
      sign = "-";
    }
    while (v >= 10) {
      e++;
      v /= 10;
    }
    while (v < 1) {
      e--;
      v *= 10;
    }
    let h = 5.0;
    for (let i = 0; i < digits; i++) h /= 10;
    v += h;
    if (v >= 10) {
      e++;
      v /= 10;
    }
  }
  let out = "";
  for (let i = 0; i < digits; i++) {
    const d = Math.trunc(v);
    out += String(d);
    v -= d;
    v *= 10;
  }
  const exp = Math.abs(e);
  return `${sign}${out[0]}.${out.slice(1)}e${e < 0 ? "-" : "+"}${String(Math.floor(exp / 100))}${String(Math.floor(exp / 10) % 10)}${String(exp % 10)}`;
}

/**
 * A constant as Go's compile errors print it (go/constant's String): a string quoted as
 * strconv.Quote does and cut to 72 characters, an integer exactly, a float as %.6g.
 */
export function formatConstant(v: Scalar, t: BasicT): string {
  if (typeof v === "string") {
    const q = [...goQuote(v)];
    return q.length > 72 ? `${q.slice(0, 69).join("")}...` : q.join("");
  }
  if (typeof v === "number" && t.cls === "float") return formatG6(v);
  return String(v);
}

/** strconv.Quote: printable characters as they are, the others escaped. */
export function goQuote(s: string): string {
  const short: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else if (short[ch] !== undefined) out += short[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/**
 * fmt's %.6g of a float64 (strconv.FormatFloat(n, 'g', 6, 64)): the exact binary value rounded
 * to 6 significant digits, half to even, trailing zeros dropped; %e form when the exponent is
 * below -4 or at least the precision.
 */
export function formatG6(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  const sign = n < 0 || Object.is(n, -0) ? "-" : "";
  if (n === 0) return `${sign}0`;
  let { digits, dp } = exactDecimal(Math.abs(n));
  const prec = 6;
  if (digits.length > prec) {
    const rest = digits.slice(prec);
    const half = rest[0] === "5" && /^0*$/.test(rest.slice(1));
    const up = rest[0] > "5" || (rest[0] === "5" && !half) || (half && Number(digits[prec - 1]) % 2 === 1);
    let kept = digits.slice(0, prec);
    if (up) {
      kept = String(BigInt(kept) + 1n);
      if (kept.length > prec) {
        dp++;
        kept = kept.slice(0, prec);
      }
    }
    digits = kept;
  }
  digits = digits.replace(/0+$/, "");
  const nd = digits.length;
  const eprec = prec > nd && nd >= dp ? nd : prec;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    const frac = nd > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const decimals = Math.max((prec > dp ? nd : prec) - dp, 0);
  const all = dp <= 0 ? "0".repeat(-dp + 1) + digits : digits.padEnd(dp, "0");
  const point = dp <= 0 ? 1 : dp;
  const frac = all.slice(point).padEnd(decimals, "0").slice(0, decimals);
  return `${sign}${all.slice(0, point)}${decimals > 0 ? `.${frac}` : ""}`;
}

/** The exact decimal digits of a positive finite float64: n = 0.digits x 10^dp. */
function exactDecimal(n: number): { digits: string; dp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const e2 = (biased === 0 ? 1 : biased) - 1075;
  if (e2 >= 0) {
    const digits = (mant << BigInt(e2)).toString();
    return { digits, dp: digits.length };
  }
  const digits = (mant * 5n ** BigInt(-e2)).toString();
  return { digits: digits.replace(/0+$/, ""), dp: digits.length + e2 };
}

/** A key of type t, as gomap stores it, as the drawing shows it: strings quoted, as Go's %q. */
export function formatKey(k: unknown, t: GoT): string {
  if (typeof k === "string") return JSON.stringify(k);
  if (typeof k === "number") return formatNumber(k, t);
  if (t.k === "struct") return `{${t.fields.map((f) => formatKey((k as Record<string, unknown>)[f.name], f.t)).join(" ")}}`;
  return String(k);
}

/** fmt prints a map with its keys sorted (internal/fmtsort). */
function formatMap(v: MapVal, heap: SliceHeap): string {
  if (v.m.isNil) return "map[]";
  const entries = [...v.m].sort((a, b) => compareKeys(a[0], b[0], v.t.key));
  const shown = entries.map(([k, e]) => `${format({ t: v.t.key, v: fromStored(k, v.t.key) }, heap)}:${format({ t: v.t.value, v: fromStored(e, v.t.value) }, heap)}`);
  return `map[${shown.join(" ")}]`;
}

/**
 * fmtsort's order of two stored keys of type t: numbers by value (NaN first), strings by
 * their UTF-8 bytes (code points), false before true, structs field by field.
 */
function compareKeys(a: unknown, b: unknown, t: GoT): number {
  if (t.k === "struct") {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const f of t.fields) {
      const c = compareKeys(x[f.name], y[f.name], f.t);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "number" && typeof b === "number" && (Number.isNaN(a) || Number.isNaN(b))) return Number(Number.isNaN(b)) - Number(Number.isNaN(a));
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

/** Go's order of strings, by UTF-8 bytes, which is by code point; JS's < compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
  }
  return x.length - y.length;
}

/** A number of type t as %v prints it: an integer, or a float (float64 for a constant). */
function formatNumber(n: number, t: GoT | null): string {
  if (t !== null && t.k === "basic" && t.cls === "int") return String(n);
  return formatFloat(n, t !== null && t.name === "float32" ? 32 : 64);
}

/**
 * Go's %v for a float: strconv.FormatFloat(n, 'g', -1, bits), the shortest digits that read
 * back as the same float32 or float64, in %e form when the exponent is below -4 or at least 6
 * (1e+06, 1e-05), with two exponent digits at least.
 */
export function formatFloat(n: number, bits: 32 | 64): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, e] = shortest(Math.abs(n), bits).split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(e);
  const sign = n < 0 ? "-" : "";
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const frac = digits.slice(exp + 1);
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}${frac === "" ? "" : `.${frac}`}`;
}

/** n > 0 in exponent form (d.ddde+x) with the fewest digits that read back as n in `bits` bits. */
function shortest(n: number, bits: 32 | 64): string {
  if (bits === 64) return n.toExponential();
  for (let p = 0; p < 8; p++) {
    const s = n.toExponential(p);
    if (Math.fround(Number(s)) === n) return s;
  }
  return n.toExponential(8);
}
