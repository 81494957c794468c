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
 * x converted to type t for `what` ("assignment", "map index", ...), or Go's compile error
 * "cannot use x (...) as T value in ...": a constant converts only to a type that can
 * represent its value, "(truncated)" or "(overflows)" otherwise.
 */
export function convert(x: TV, t: GoT, text: string, what: string): Val {
  if (x.t !== null && x.t.name === t.name) return x.v;
  const refused = `cannot use ${text} (${describeTV(x, text)}) as ${t.name} value in ${what}`;
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

/** What x is, as Go's messages say it: "variable of type int", "untyped float constant 3.5". */
export function describeTV(x: TV, text: string): string {
  if (x.t !== null) return `variable of type ${x.t.name}`;
  const v = x.v;
  if (typeof v === "object") return "value";
  if (typeof v === "number" && !Number.isFinite(v)) return `${typeName(x)} constant`;
  // The constant's value, unless the text already says it: 7 / 2.0 (untyped float constant 3.5).
  const value = typeof v === "string" ? JSON.stringify(v) : typeof v === "number" && x.kind === "float" ? formatNumber(v) : String(v);
  return `${typeName(x)} constant${value === text ? "" : ` ${value}`}`;
}

/** Go's %v. */
export function format(v: Val, heap: SliceHeap): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return String(v);
  switch (v.k) {
    case "struct":
      return `{${v.t.fields.map((f) => format(v.f[f.name], heap)).join(" ")}}`;
    case "slice":
      return v.array === 0 ? "[]" : `[${heap.array(v.array).slice(0, v.len).map((e) => format(e, heap)).join(" ")}]`;
    case "ref":
      return `&{${v.t.fields.map((f) => format(v.view[f.name] as Scalar, heap)).join(" ")}}`;
    case "map":
      return formatMap(v, heap);
  }
}

/** A key or scalar as Go's %q would show it in a drawing: strings quoted. */
export function formatKey(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "object" && v !== null) {
    return `{${Object.values(v as Record<string, unknown>).map((x) => formatKey(x)).join(" ")}}`;
  }
  return String(v);
}

/** fmt prints a map with its keys sorted. */
function formatMap(v: MapVal, heap: SliceHeap): string {
  if (v.m.isNil) return "map[]";
  const entries: [string, string, unknown][] = [];
  for (const [k, e] of v.m) entries.push([format(fromStored(k, v.t.key), heap), format(fromStored(e, v.t.value), heap), k]);
  entries.sort((a, b) => (typeof a[2] === "number" && typeof b[2] === "number" ? a[2] - b[2] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `map[${entries.map((e) => `${e[0]}:${e[1]}`).join(" ")}]`;
}

/** Go's %v for a float64: shortest form, exponents of at least two digits, +Inf. */
export function formatNumber(n: number): string {
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  if (Object.is(n, -0)) return "-0";
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}
