// Go types in the playground, and the gomap type descriptor each one is stored as.
//
// - Basic types map one to one: int and uint are 64-bit (int64/uint64 read as number, so a
//   value past 2^53 is the library's RangeError), byte is uint8, rune is int32: the same
//   types, as in Go (identical), each printed in messages by the name it was written with.
// - A struct of basic fields is t.struct with the same field names, in Go's layout.
// - A slice []T is stored as Go stores it in a map: its 24-byte header {array, len, cap};
//   the backing arrays live outside the map (in the interpreter's SliceHeap), as in Go, which
//   is why append(m[k], x) without writing back leaves the map's header unchanged.
// - A map type is only ever a variable's type; maps are not stored inside maps here.
import { types as t } from "../../src/index.js";
import type { AnyType } from "../../src/types/index.js";
import { PlaygroundCompileError } from "./errors.js";
import type { TypeExpr } from "./parse.js";

export interface BasicT {
  k: "basic";
  name: string;
  /** What literals it takes and how it prints. */
  cls: "int" | "float" | "string" | "bool";
  gm: AnyType;
}
export interface StructT {
  k: "struct";
  name: string;
  fields: { name: string; t: BasicT }[];
  gm: AnyType;
}
export interface SliceT {
  k: "slice";
  name: string;
  elem: BasicT;
  gm: AnyType;
}
export interface MapT {
  k: "map";
  name: string;
  key: BasicT | StructT;
  value: BasicT | StructT | SliceT;
}
export type GoT = BasicT | StructT | SliceT | MapT;

const BASIC: Record<string, [BasicT["cls"], AnyType]> = {
  bool: ["bool", t.bool],
  int: ["int", t.i64.asNumber],
  int8: ["int", t.i8],
  int16: ["int", t.i16],
  int32: ["int", t.i32],
  rune: ["int", t.i32],
  int64: ["int", t.i64.asNumber],
  uint: ["int", t.u64.asNumber],
  uint8: ["int", t.u8],
  byte: ["int", t.u8],
  uint16: ["int", t.u16],
  uint32: ["int", t.u32],
  uint64: ["int", t.u64.asNumber],
  float32: ["float", t.f32],
  float64: ["float", t.f64],
  string: ["string", t.string],
};

/** The Go types the playground knows by name, for messages. */
export const BASIC_NAMES = Object.keys(BASIC);

/** The header of a slice as a map stores it: pointer to the backing array, len, cap. */
const sliceHeader = t.struct({ array: t.u64.asNumber, len: t.i64.asNumber, cap: t.i64.asNumber });

export function basic(name: string): BasicT | null {
  const b = BASIC[name];
  return b === undefined ? null : { k: "basic", name, cls: b[0], gm: b[1] };
}

/** Go's alias names: byte is uint8 and rune is int32, one type under two names. */
const ALIASES: Record<string, string> = { byte: "uint8", rune: "int32" };

/**
 * Whether a and b are the same Go type (Go's identical types): by name, with byte and uint8,
 * rune and int32 the same, and slices and maps by their parts.
 */
export function identical(a: GoT, b: GoT): boolean {
  return typeKey(a) === typeKey(b);
}

function typeKey(t: GoT): string {
  switch (t.k) {
    case "basic":
      return ALIASES[t.name] ?? t.name;
    case "slice":
      return `[]${typeKey(t.elem)}`;
    case "map":
      return `map[${typeKey(t.key)}]${typeKey(t.value)}`;
    case "struct":
      // A declared struct is its name; a struct literal type is its fields.
      return t.name.startsWith("struct{") ? `struct{${t.fields.map((f) => `${f.name} ${typeKey(f.t)}`).join("; ")}}` : t.name;
  }
}

/** Resolves a written type; `named` holds the program's `type X struct{...}` declarations. */
export function resolveType(te: TypeExpr, named: ReadonlyMap<string, GoT>, name?: string): GoT {
  switch (te.k) {
    case "name": {
      const b = basic(te.name) ?? named.get(te.name);
      if (b === undefined) throw new PlaygroundCompileError(`undefined: ${te.name} (types: ${BASIC_NAMES.join(", ")}, or a struct declared with type)`);
      return b;
    }
    case "struct": {
      const fields = te.fields.map((f) => {
        const ft = resolveType(f.type, named);
        if (ft.k !== "basic") throw new PlaygroundCompileError(`struct field ${f.name}: the playground's structs hold basic types only, not ${ft.name}`);
        return { name: f.name, t: ft };
      });
      const seen = new Set<string>();
      for (const f of fields) {
        if (seen.has(f.name) && f.name === "_") {
          // Go allows any number of blank fields; a gomap struct is an object of named fields.
          throw new PlaygroundCompileError(
            `struct{${fields.map((g) => `${g.name} ${g.t.name}`).join("; ")}}: the playground's structs are gomap structs, which name each field once: one blank field _ at most (Go allows more)`,
          );
        }
        if (seen.has(f.name)) throw new PlaygroundCompileError(`${f.name} redeclared in the struct`);
        seen.add(f.name);
      }
      const gm = t.struct(Object.fromEntries(fields.map((f) => [f.name, f.t.gm])));
      return { k: "struct", name: name ?? `struct{${fields.map((f) => `${f.name} ${f.t.name}`).join("; ")}}`, fields, gm };
    }
    case "slice": {
      const elem = resolveType(te.elem, named);
      if (elem.k !== "basic") throw new PlaygroundCompileError(`the playground's slices hold basic types only, not ${elem.name}`);
      return { k: "slice", name: `[]${elem.name}`, elem, gm: sliceHeader };
    }
    case "map": {
      const key = resolveType(te.key, named);
      const value = resolveType(te.value, named);
      if (key.k === "slice" || key.k === "map") throw new PlaygroundCompileError(`invalid map key type ${key.name}`);
      if (value.k === "map") throw new PlaygroundCompileError(`the playground does not store maps inside maps (${value.name})`);
      return { k: "map", name: `map[${key.name}]${value.name}`, key, value };
    }
  }
}
