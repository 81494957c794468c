// Random struct types against real Go 1.19: layout, map bucket geometry, the go1.19 hash and ==.
//
// randomStructCases(seed, n) draws n struct types (nested structs, every field kind gomap has,
// int64/uint64 read as bigint and as number, [0]byte and struct{} fields, trailing zero-size
// fields, byte arrays of odd sizes, orders that force padding, field names Object.prototype
// has) and a few values of each (floats among ±0, NaN and ±Inf, empty and long strings,
// values that differ from the one before in one field only). writeGoProgram(cases) writes
// ONE Go program that declares every type (nested ones too, each a named type) and prints, per
// type, one JSON line (GoStructRecord): unsafe.Sizeof, Alignof, each field's Offsetof; the
// runtime's maptype of map[T]uint8, map[uint8]T and map[T]T (keysize, elemsize, bucketsize, flags:
// indirect key/elem, reflexive key, key update); the hash the map's own hasher gives each value
// with runtime.hashkey[0] = HASH_KEY and the type's seed ("random" when two calls differ, as
// for a NaN); and vals[i] == vals[j] for every pair. gomapRecords(cases) computes the same from
// gomap (struct layout, MapType, goHashed, equal), and compareStructRecords lists every
// difference. test/fidelity/structs.test.ts runs it; fidelity/README.md says what it covers.
// Now and then a field is Go's blank field `_` (Go can't set it: values leave it out, zero).
//
// The Go program must run with GODEBUG=cpu.aes=off (go.ts's runGoBinary sets it): only the
// portable hash reads runtime.hashkey. Its unsafe mirrors of hashkey and maptype are the
// fidelity program's go/runtime.go (Go 1.19, 64-bit), copied beside it (writeGoProgram).
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashOut } from "../src/hash/hash.js";
import { Heap } from "../src/memory/heap.js";
import { MapType } from "../src/runtime/maptype.js";
import { goHashed } from "../src/types/gohash.js";
import { types as t } from "../src/types/index.js";
import type { AnyType } from "../src/types/type.js";
import { Rand } from "./gen.js";
import { GO_SOURCE } from "./go.js";

/** runtime.hashkey[0] in the Go program, and the key of gomap's go1.19 hasher. */
export const HASH_KEY = 0x0123456789abcdefn;

/** A field's type, as a tree both sides are made from. */
export type Spec =
  | { readonly k: "bool" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64" | "string" }
  /** int64 and uint64 read as number (t.i64.asNumber, t.u64.asNumber): values are safe integers. */
  | { readonly k: "i64n" | "u64n" }
  | { readonly k: "bytes"; readonly n: number }
  | { readonly k: "struct"; readonly name: string; readonly fields: readonly Spec[]; readonly names: readonly string[] };
type StructSpec = Extract<Spec, { k: "struct" }>;

/** One struct type to compare: its spec, the gomap type, a map seed and values. */
export interface StructCase {
  readonly spec: StructSpec;
  readonly type: AnyType;
  readonly seed: number;
  readonly values: readonly unknown[];
}

/** Go's maptype fields the comparison reads. */
export interface MapGeometry {
  keysize: number;
  elemsize: number;
  bucketsize: number;
  /** maptype.flags: 1 indirect key, 2 indirect elem, 4 reflexive key, 8 key update (hashMightPanic, 16, masked off). */
  flags: number;
}

/** What the Go program prints for one type (and gomapRecords computes). */
export interface GoStructRecord {
  name: string;
  size: number;
  align: number;
  offsets: number[];
  /** map[T]uint8 */
  asKey: MapGeometry;
  /** map[uint8]T */
  asElem: MapGeometry;
  /** map[T]T (both slots zero-size for a zero-size T) */
  asBoth: MapGeometry;
  /** 16 hex digits, or "random" when two hashes of the same value differ (NaN). */
  hashes: string[];
  /** Row i: '1' where vals[i] == vals[j]. */
  eq: string[];
}

const PROTO_NAMES = ["constructor", "toString", "valueOf", "hasOwnProperty", "toJSON"];
const SCALARS = ["bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "string", "i64n", "u64n"] as const;
/** Byte array lengths: zero, odd ones, the sizes around 8 and 16, and some over 128 (indirect slots). */
const BYTE_LENGTHS = [0, 0, 1, 2, 3, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 31, 33, 63, 100, 127, 129, 131, 200];

function randomField(r: Rand, name: string, depth: number): Spec {
  const x = r.int(20);
  if (x < 12) return { k: r.pick(SCALARS) };
  if (x < 16) return { k: "bytes", n: r.pick(BYTE_LENGTHS) };
  if (x < 17) return { k: "struct", name, fields: [], names: [] }; // struct{}
  if (depth >= 2) return { k: r.pick(SCALARS) };
  return randomStruct(r, name, depth + 1);
}

function randomStruct(r: Rand, name: string, depth: number): StructSpec {
  const n = depth === 0 ? 1 + r.int(8) : r.int(5);
  const fields: Spec[] = [];
  for (let i = 0; i < n; i++) fields.push(randomField(r, `${name}_${i}`, depth));
  // A trailing zero-size field now and then (Go pads the struct by a byte, then aligns).
  if (r.int(6) === 0) fields.push(r.int(2) === 0 ? { k: "bytes", n: 0 } : { k: "struct", name: `${name}_z`, fields: [], names: [] });
  const names = fields.map((_, i) => `F${i}`);
  // Now and then one field is Go's blank field `_` (a JS object has one key "_" at most), or
  // has a name Object.prototype has too (a Go identifier all the same).
  if (fields.length > 0 && r.int(4) === 0) names[r.int(fields.length)] = "_";
  if (fields.length > 0 && r.int(4) === 0) names[r.int(fields.length)] = r.pick(PROTO_NAMES);
  return { k: "struct", name, fields, names };
}

const gomapTypes = new WeakMap<Spec, AnyType>();

/** The gomap type of a spec (fields F0, F1, ...); the same object for the same spec. */
export function gomapType(s: Spec): AnyType {
  let ty = gomapTypes.get(s);
  if (ty !== undefined) return ty;
  if (s.k === "bytes") ty = t.bytes(s.n);
  else if (s.k === "struct") {
    const fields: Record<string, AnyType> = {};
    s.fields.forEach((f, i) => (fields[s.names[i]] = gomapType(f)));
    ty = t.struct(fields);
  } else if (s.k === "i64n") ty = t.i64.asNumber;
  else if (s.k === "u64n") ty = t.u64.asNumber;
  else ty = t[s.k];
  gomapTypes.set(s, ty);
  return ty;
}

const F32_POOL = [0, -0, NaN, 1, -1.5, Infinity, -Infinity, 1e-45, 3.4028234663852886e38];
const F64_POOL = [0, -0, NaN, 1, -2.5, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 0.1];
const CHARS = Array.from("abcxyzABC019-_ éß€漢字🙂");

function randomString(r: Rand): string {
  const lengths = [0, 0, 1, 3, 7, 8, 12, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 100, 200, 333];
  const n = r.pick(lengths);
  let s = "";
  for (let i = 0; i < n; i++) s += r.pick(CHARS);
  return s;
}

/** A random leaf value: half the time from a small pool (zeros, extremes), so values collide. */
function randomLeaf(r: Rand, s: Spec): unknown {
  const small = r.int(2) === 0;
  switch (s.k) {
    case "bool":
      return r.int(2) === 1;
    case "i8":
    case "u8":
    case "i16":
    case "u16":
    case "i32":
    case "u32": {
      const bits = Number(s.k.slice(1));
      const signed = s.k[0] === "i";
      if (small) return r.pick([0, 1, signed ? -1 : 2 ** bits - 1]);
      const u = r.u32() % 2 ** bits;
      return signed && u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
    }
    case "i64":
    case "u64": {
      const u = small ? BigInt(r.pick([0, 1, 255])) : (BigInt(r.u32()) << 32n) | BigInt(r.u32());
      return s.k === "i64" ? BigInt.asIntN(64, r.int(3) === 0 ? -u : u) : u;
    }
    case "i64n":
    case "u64n": {
      const u = small ? r.pick([0, 1, Number.MAX_SAFE_INTEGER]) : r.u32() * 2 ** 21 + r.int(2 ** 21);
      return s.k === "i64n" && r.int(3) === 0 ? -u : u;
    }
    case "f32":
      return small ? r.pick(F32_POOL) : Math.fround((r.next() - 0.5) * 2 ** (r.int(80) - 40));
    case "f64":
      return small ? r.pick(F64_POOL) : (r.next() - 0.5) * 2 ** (r.int(200) - 100);
    case "string":
      return small ? r.pick(["", "a", "exactly16bytes!!"]) : randomString(r);
    case "bytes":
      return Uint8Array.from({ length: s.n }, () => (small ? r.pick([0, 1, 255]) : r.int(256)));
    case "struct":
      throw new Error("not a leaf");
  }
}

/** A random value of s: a plain object for a struct (every field present but the blank one, which Go can't set). */
function randomValue(r: Rand, s: Spec): unknown {
  if (s.k !== "struct") return randomLeaf(r, s);
  const o: Record<string, unknown> = {};
  s.fields.forEach((f, i) => {
    if (s.names[i] !== "_") o[s.names[i]] = randomValue(r, f);
  });
  return o;
}

/** The leaves of a struct spec outside blank fields, as paths of field indexes. */
function leafPaths(s: Spec, path: number[] = [], out: number[][] = []): number[][] {
  if (s.k !== "struct") out.push(path);
  else s.fields.forEach((f, i) => s.names[i] !== "_" && leafPaths(f, [...path, i], out));
  return out;
}

/** A copy of struct value v with the leaf at path re-drawn (a -0 for a +0 float, to test ±0 as equal). */
function withLeaf(r: Rand, s: StructSpec, v: Record<string, unknown>, path: number[]): Record<string, unknown> {
  const o = { ...v };
  const f = s.fields[path[0]];
  const key = s.names[path[0]];
  if (path.length > 1) o[key] = withLeaf(r, f as StructSpec, o[key] as Record<string, unknown>, path.slice(1));
  else if ((f.k === "f32" || f.k === "f64") && o[key] === 0 && r.int(2) === 0) o[key] = Object.is(o[key], -0) ? 0 : -0;
  else o[key] = randomLeaf(r, f);
  return o;
}

/** n random struct types, with values, from a seed: the same seed gives the same cases. */
export function randomStructCases(seed: number, n: number, valuesPerType = 6): StructCase[] {
  const r = new Rand(seed);
  const cases: StructCase[] = [];
  for (let i = 0; i < n; i++) {
    const spec = randomStruct(r, `T${i}`, 0);
    const leaves = leafPaths(spec);
    const values: Record<string, unknown>[] = [];
    for (let j = 0; j < valuesPerType; j++) {
      if (j > 0 && leaves.length > 0 && r.int(2) === 0) values.push(withLeaf(r, spec, values[j - 1], r.pick(leaves)));
      else values.push(randomValue(r, spec) as Record<string, unknown>);
    }
    cases.push({ spec, type: gomapType(spec), seed: r.u32(), values });
  }
  return cases;
}

// ---- the Go program ----

function goTypeName(s: Spec): string {
  if (s.k === "bytes") return `[${s.n}]byte`;
  if (s.k === "struct") return s.name;
  return { bool: "bool", i8: "int8", i16: "int16", i32: "int32", i64: "int64", i64n: "int64", u64n: "uint64", u8: "uint8", u16: "uint16", u32: "uint32", u64: "uint64", f32: "float32", f64: "float64", string: "string" }[s.k];
}

function goDecls(s: StructSpec, out: string[]): void {
  for (const f of s.fields) if (f.k === "struct") goDecls(f, out);
  out.push(`type ${s.name} struct {\n${s.fields.map((f, i) => `\t${s.names[i]} ${goTypeName(f)}\n`).join("")}}`);
}

function hex(n: bigint): string {
  return "0x" + n.toString(16);
}

/** A Go expression for value v of s (floats by their bits, so -0 and NaN survive; strings byte by byte). */
function goValue(s: Spec, v: unknown): string {
  switch (s.k) {
    case "struct": {
      const o = v as Record<string, unknown>;
      const set = s.fields.flatMap((f, i) => (s.names[i] === "_" ? [] : [`${s.names[i]}: ${goValue(f, o[s.names[i]])}`]));
      return `${s.name}{${set.join(", ")}}`;
    }
    case "bytes":
      return `[${s.n}]byte{${Array.from(v as Uint8Array).join(", ")}}`;
    case "string":
      return `"${Array.from(new TextEncoder().encode(v as string), (b) => "\\x" + b.toString(16).padStart(2, "0")).join("")}"`;
    case "f32": {
      const b = new DataView(new ArrayBuffer(4));
      b.setFloat32(0, v as number, true);
      return `math.Float32frombits(${hex(BigInt(b.getUint32(0, true)))})`;
    }
    case "f64": {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, v as number, true);
      return `math.Float64frombits(${hex(b.getBigUint64(0, true))})`;
    }
    case "bool":
      return String(v);
    default:
      return `${goTypeName(s)}(${String(v)})`;
  }
}

const GO_MAIN = `
// Code generated by fidelity/structs.ts (goProgram); one run of the struct differential test.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

var _, _ = math.NaN, reflect.TypeOf

type geometry struct {
	Keysize    int \`json:"keysize"\`
	Elemsize   int \`json:"elemsize"\`
	Bucketsize int \`json:"bucketsize"\`
	Flags      int \`json:"flags"\`
}

type record struct {
	Name    string    \`json:"name"\`
	Size    uintptr   \`json:"size"\`
	Align   uintptr   \`json:"align"\`
	Offsets []uintptr \`json:"offsets"\`
	AsKey   geometry  \`json:"asKey"\`
	AsElem  geometry  \`json:"asElem"\`
	AsBoth  geometry  \`json:"asBoth"\`
	Hashes  []string  \`json:"hashes"\`
	Eq      []string  \`json:"eq"\`
}

var out = bufio.NewWriterSize(os.Stdout, 1<<20)

func typeOf(m any) *maptype { return (*eface)(unsafe.Pointer(&m)).typ }

func geo(mt *maptype) geometry {
	return geometry{int(mt.keysize), int(mt.elemsize), int(mt.bucketsize), int(mt.flags & 15)}
}

func report[T comparable](name string, offsets []uintptr, seed uint32, vals []T) {
	var z T
	kt := typeOf(map[T]uint8{})
	r := record{Name: name, Size: unsafe.Sizeof(z), Align: unsafe.Alignof(z), Offsets: offsets,
		AsKey: geo(kt), AsElem: geo(typeOf(map[uint8]T{})), AsBoth: geo(typeOf(map[T]T{})), Hashes: []string{}, Eq: []string{}}
	for i := range vals {
		v := vals[i]
		h1 := kt.hasher(unsafe.Pointer(&v), uintptr(seed))
		h2 := kt.hasher(unsafe.Pointer(&v), uintptr(seed))
		if h1 != h2 {
			r.Hashes = append(r.Hashes, "random")
		} else {
			r.Hashes = append(r.Hashes, fmt.Sprintf("%016x", uint64(h1)))
		}
		var row strings.Builder
		for j := range vals {
			if vals[i] == vals[j] {
				row.WriteByte('1')
			} else {
				row.WriteByte('0')
			}
		}
		r.Eq = append(r.Eq, row.String())
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	out.Write(b)
	out.WriteByte('\\n')
}

func main() {
	if !strings.HasPrefix(runtime.Version(), "go1.19") {
		fmt.Fprintln(os.Stderr, "needs Go 1.19, running", runtime.Version())
		os.Exit(2)
	}
	if useAeshash {
		fmt.Fprintln(os.Stderr, "run with GODEBUG=cpu.aes=off: the AES hash ignores runtime.hashkey")
		os.Exit(2)
	}
	hashkey[0] = HASHKEY | 1
	defer out.Flush()
	REPORTS
}
`;

/** Every struct spec of a case, nested ones first (each is reported with its own values: none for nested ones). */
function allStructs(s: StructSpec, out: StructSpec[] = []): StructSpec[] {
  for (const f of s.fields) if (f.k === "struct") allStructs(f, out);
  out.push(s);
  return out;
}

/**
 * The Go program for the cases: main.go, go.mod, and the fidelity program's runtime.go (hashkey,
 * useAeshash, maptype, eface) and linkname.s, written into a new temporary folder, which is
 * returned (build it with go.ts's buildGoProgram).
 */
export function writeGoProgram(cases: readonly StructCase[]): string {
  const decls: string[] = [];
  const reports: string[] = [];
  for (const c of cases) {
    goDecls(c.spec, decls);
    for (const s of allStructs(c.spec)) {
      // unsafe.Offsetof can't name a blank field: reflect gives its offset.
      const off = (i: number): string => (s.names[i] === "_" ? `reflect.TypeOf(${s.name}{}).Field(${i}).Offset` : `unsafe.Offsetof(${s.name}{}.${s.names[i]})`);
      const offs = `[]uintptr{${s.fields.map((_, i) => off(i)).join(", ")}}`;
      const vals = s === c.spec ? c.values.map((v) => goValue(s, v)).join(",\n\t\t") : "";
      reports.push(`report("${s.name}", ${offs}, ${c.seed}, []${s.name}{\n\t\t${vals}})`);
    }
  }
  const src = GO_MAIN.replace("HASHKEY", hex(HASH_KEY)).replace("REPORTS", reports.join("\n\t")) + "\n" + decls.join("\n\n") + "\n";
  const dir = join(mkdtempSync(join(tmpdir(), "gomap-structs-")), "structs");
  mkdirSync(dir);
  writeFileSync(join(dir, "main.go"), src);
  writeFileSync(join(dir, "go.mod"), "module gomap/structs\n\ngo 1.19\n");
  for (const file of ["runtime.go", "linkname.s"]) copyFileSync(join(GO_SOURCE, file), join(dir, file));
  return dir;
}

// ---- the gomap side ----

function geometry(m: MapType, keyType: AnyType): MapGeometry {
  const flags = (m.indirectKey ? 1 : 0) | (m.indirectElem ? 2 : 0) | (keyType.reflexive ? 4 : 0) | (keyType.needKeyUpdate ? 8 : 0);
  return { keysize: m.keySlot, elemsize: m.elemSlot, bucketsize: m.bucketSize, flags };
}

/** The 64-bit go1.19 hash of v, or "random" when two hashes differ. */
function goHash(ty: AnyType, v: unknown, seed: number): string {
  const g = goHashed(ty, HASH_KEY);
  const one = (): string => {
    const lo = g.hash(v as never, seed);
    return ((BigInt(hashOut.hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16).padStart(16, "0");
  };
  const a = one();
  return a === one() ? a : "random";
}

let heap: Heap | null = null;

/** gomap's record of one struct spec: the same fields the Go program prints. */
function gomapOne(s: StructSpec, seed: number, values: readonly unknown[]): GoStructRecord {
  const ty = gomapType(s) as AnyType & { fields: readonly { offset: number }[] };
  heap ??= Heap.create({ initialBytes: 1 << 16 });
  const eq: string[] = [];
  for (const a of values) {
    const off = heap.alloc(Math.max(ty.size, 8));
    ty.write(heap, off, a);
    eq.push(values.map((b) => (ty.equal(heap as Heap, off, b) ? "1" : "0")).join(""));
    ty.release(heap, off);
    heap.free(off);
  }
  return {
    name: s.name,
    size: ty.size,
    align: ty.align,
    offsets: ty.fields.map((f) => f.offset),
    asKey: geometry(new MapType(ty, t.u8), ty),
    asElem: geometry(new MapType(t.u8, ty), t.u8),
    asBoth: geometry(new MapType(ty, ty), ty),
    hashes: values.map((v) => goHash(ty, v, seed)),
    eq,
  };
}

/** gomap's records for the cases, in the Go program's order. */
export function gomapRecords(cases: readonly StructCase[]): GoStructRecord[] {
  const out: GoStructRecord[] = [];
  for (const c of cases) for (const s of allStructs(c.spec)) out.push(gomapOne(s, c.seed, s === c.spec ? c.values : []));
  return out;
}

/**
 * What Go's map needs of gomap's own (default) hash, for the same values: values that are ==
 * hash alike (±0 in any field), and a value hashes alike as a JS value and stored (values with
 * a NaN, hashed at random, left out). One line a failure.
 */
export function gomapSelfCheck(cases: readonly StructCase[]): string[] {
  const diffs: string[] = [];
  heap ??= Heap.create({ initialBytes: 1 << 16 });
  for (const c of cases) {
    const ty = c.type;
    const hashes: string[] = [];
    for (const v of c.values) {
      const own = (): string => {
        const lo = ty.hash(v as never, c.seed);
        return `${hashOut.hi >>> 0}:${lo >>> 0}`;
      };
      const h = own();
      if (h !== own()) {
        hashes.push("random"); // a NaN: equal to nothing, and hashed at random as in Go
        continue;
      }
      const off = heap.alloc(Math.max(ty.size, 8));
      ty.write(heap, off, v);
      const lo2 = ty.hashAt(heap, off, c.seed);
      const stored = `${hashOut.hi >>> 0}:${lo2 >>> 0}`;
      const eq = c.values.map((w) => ty.equal(heap as Heap, off, w));
      ty.release(heap, off);
      heap.free(off);
      const i = hashes.length;
      hashes.push(h);
      if (stored !== h) diffs.push(`${c.spec.name} ${goSpelling(c.spec)}: value ${i}: gomap's hash ${h}, of it stored ${stored}`);
      for (let j = 0; j < i; j++) {
        if (eq[j] && hashes[j] !== "random" && hashes[j] !== h) diffs.push(`${c.spec.name} ${goSpelling(c.spec)}: values ${j} and ${i} are == but gomap's hashes differ`);
      }
    }
  }
  return diffs;
}

/** Go's spelling of a spec, for messages. */
export function goSpelling(s: Spec): string {
  if (s.k !== "struct") return goTypeName(s);
  return `struct{${s.fields.map((f, i) => `${s.names[i]} ${goSpelling(f)}`).join("; ")}}`;
}

/** Every difference between Go's records and gomap's, one line each. */
export function compareStructRecords(cases: readonly StructCase[], go: readonly GoStructRecord[], ours: readonly GoStructRecord[]): string[] {
  const specs = new Map<string, StructSpec>();
  for (const c of cases) for (const s of allStructs(c.spec)) specs.set(s.name, s);
  const diffs: string[] = [];
  if (go.length !== ours.length) diffs.push(`Go printed ${go.length} records, gomap made ${ours.length}`);
  for (let i = 0; i < Math.min(go.length, ours.length); i++) {
    const g = go[i];
    const o = ours[i];
    const spec = specs.get(g.name);
    const what = `${g.name} ${spec === undefined ? "?" : goSpelling(spec)}`;
    for (const k of ["name", "size", "align", "offsets", "asKey", "asElem", "asBoth", "hashes", "eq"] as const) {
      const a = JSON.stringify(g[k]);
      const b = JSON.stringify(o[k]);
      if (a !== b) diffs.push(`${what}: ${k}: Go ${a}, gomap ${b}`);
    }
  }
  return diffs;
}
