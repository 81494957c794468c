// Type codes: the canonical encoding of a key or value type that a snapshot carries, so that
// load() can check the bytes were written for the types the caller passes, and say where
// they differ.
//
// A code is JSON (UTF-8) of a tree that follows the type's layout and nothing else:
//   ["bool"] ["i8"] ... ["u64"] ["f32"] ["f64"] ["string"]     a scalar, by its kind
//   ["bytes", n]                                                [n]byte
//   ["struct", [["name", code], ...]]                           fields in layout order
// JSON.stringify of the same tree is always the same text, so two types have equal codes
// exactly when they lay out and hash alike. t.i64 and t.i64.asNumber share a code: they are
// one Go type read two ways, and either may load the other's snapshot. typeOfCode rebuilds a
// type from a code, for readers that bring no types (gomap inspect of a snapshot file).
import { SnapshotError } from "../errors.js";
import { hashBytes, hash64 } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { Hmap32 } from "../runtime/layout.js";
import { isStructType } from "../types/struct.js";
import { types } from "../types/index.js";
import { isGoType } from "../types/type.js";
import type { AnyType } from "../types/type.js";

/** The tree a type code holds. */
export type TypeTree = [string] | ["bytes", number] | ["struct", [string, TypeTree][]];

/** The most bytes a type code may have (a file saying more is corrupt). */
export const MAX_TYPE_CODE = 1 << 16;

export function typeTree(t: AnyType): TypeTree {
  if (isStructType(t)) return ["struct", t.fields.map((f): [string, TypeTree] => [f.name, typeTree(f.type)])];
  if (t.kind === "bytes") return ["bytes", t.size];
  return [t.kind];
}

export function encodeTypeCode(t: AnyType): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(typeTree(t)));
}

/** Each type's code digest (gomap's hash of its code's bytes), made once per type object. */
const codeDigests = new WeakMap<AnyType, number>();

/** The seed of type code digests: fixed, so a digest in a file means the same everywhere. */
const DIGEST_SEED = 0x74797065; // "type"

function codeDigest(t: AnyType): number {
  let h = codeDigests.get(t);
  if (h === undefined) {
    const code = encodeTypeCode(t);
    codeDigests.set(t, (h = hashBytes(code, 0, code.length, DIGEST_SEED)));
  }
  return h;
}

/**
 * A 32-bit digest of a map's key and value type codes, never 0: what a map's header records
 * of its types (runtime/layout.ts Hmap.types), so that attach() and load() can tell a handle
 * or a file that describes other types than the map's bytes were written for. Equal codes
 * give equal digests (t.u64 and t.u64.asNumber alike); different ones differ but for a 2^-32
 * chance, and map[A]B differs from map[B]A (hash64 takes the two as its low and high words).
 * Each type's own digest is kept, so make() pays two WeakMap reads for it. The hash is the
 * one a snapshot's fingerprint pins, so a file's digests mean what this build computes.
 */
export function typesDigest(kt: AnyType, vt: AnyType): number {
  return hash64(codeDigest(kt), codeDigest(vt), DIGEST_SEED) >>> 0 || 1;
}

/**
 * Whether a heap's header records types other than kt and vt: its digest (Hmap.types) is not
 * typesDigest(kt, vt). A digest of 0, in heaps written before it was recorded, differs from
 * nothing.
 */
export function recordsOtherTypes(heap: Heap, kt: AnyType, vt: AnyType): boolean {
  const digest = heap.u32[Hmap32.types];
  return digest !== 0 && digest !== typesDigest(kt, vt);
}

/** Go's spelling of a tree, for messages. */
function spell(t: unknown): string {
  if (!Array.isArray(t)) return "?";
  if (t[0] === "bytes") return `[${String(t[1])}]byte`;
  if (t[0] === "struct" && Array.isArray(t[1])) {
    return `struct{${t[1].map((f: unknown) => (Array.isArray(f) ? `${String(f[0])} ${spell(f[1])}` : "?")).join("; ")}}`;
  }
  const names: Record<string, string> = { i8: "int8", i16: "int16", i32: "int32", i64: "int64", u8: "uint8", u16: "uint16", u32: "uint32", u64: "uint64", f32: "float32", f64: "float64" };
  return names[String(t[0])] ?? String(t[0]);
}

/** The first place where the file's tree and the caller's differ, or null when they agree. */
function firstDifference(file: unknown, want: TypeTree, path: string): string | null {
  if (JSON.stringify(file) === JSON.stringify(want)) return null;
  const fileFields = Array.isArray(file) && file[0] === "struct" && Array.isArray(file[1]) ? (file[1] as unknown[]) : null;
  if (fileFields === null || want[0] !== "struct") return `${path}: the file has ${spell(file)}, the caller passed ${spell(want)}`;
  const wantFields = want[1] as [string, TypeTree][];
  for (let i = 0; i < Math.max(fileFields.length, wantFields.length); i++) {
    const f = fileFields[i];
    const w = wantFields[i];
    const fname = Array.isArray(f) ? String(f[0]) : undefined;
    if (w === undefined) return `${path}: the file has an extra field ${fname}`;
    if (fname !== w[0]) return `${path}: field ${i} is ${fname === undefined ? "missing" : `"${fname}"`} in the file, "${w[0]}" for the caller`;
    const d = firstDifference((f as unknown[])[1], w[1], `${path}.${w[0]}`);
    if (d !== null) return d;
  }
  return `${path}: the file has ${spell(file)}, the caller passed ${spell(want)}`;
}

/**
 * The deepest a type code may nest its arrays: 3 levels a struct inside a struct, so structs
 * nested 170 deep. The code's readers (this file's comparisons and spellings) recurse, and a
 * file nested deeper, which JSON.parse takes, would overflow their stack.
 */
export const MAX_TYPE_NESTING = 512;

/** The deepest nesting of arrays and objects in a JSON text (brackets in strings don't count). */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // the escaped char
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/** The tree a file's type code holds, unchecked; SnapshotError("corrupt-header") if it is not JSON. */
function parseCode(code: Uint8Array, role: "key" | "value"): unknown {
  let text: string;
  let tree: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(code);
    tree = JSON.parse(text);
  } catch {
    throw new SnapshotError("corrupt-header", `the ${role} type code is not valid JSON`);
  }
  if (nesting(text) > MAX_TYPE_NESTING) throw new SnapshotError("corrupt-header", `the ${role} type code nests deeper than ${MAX_TYPE_NESTING} levels`);
  return tree;
}

/** Throws SnapshotError("type-mismatch") unless `code` (from a file) is the code of `t`. */
export function checkTypeCode(code: Uint8Array, t: AnyType, role: "key" | "value"): void {
  const d = firstDifference(parseCode(code, role), typeTree(t), role);
  if (d !== null) throw new SnapshotError("type-mismatch", d);
}

/**
 * The type a file's code describes, for a reader that has no types of its own to pass (gomap
 * inspect FILE): the package's scalar descriptors (64-bit integers read as bigints), bytes(n)
 * and struct(). SnapshotError("corrupt-header") for a code that describes no gomap type, or
 * whose [N]byte arrays come to more than `maxArrayBytes` in all: struct() makes each field's
 * zero value as it is built, so a code of 40 bytes would otherwise make 2 GiB. A type rebuilt
 * here always has the code it came from (checked), so loading with it passes checkTypeCode.
 */
export function typeOfCode(code: Uint8Array, role: "key" | "value", maxArrayBytes: number): AnyType {
  const tree = parseCode(code, role);
  const arrays = arrayBytes(tree);
  if (arrays > maxArrayBytes) {
    throw new SnapshotError("corrupt-header", `the ${role} type code holds [N]byte arrays of ${arrays} bytes in all, more than ${maxArrayBytes}`);
  }
  let t: AnyType;
  try {
    t = typeOfTree(tree);
  } catch (err) {
    throw new SnapshotError("corrupt-header", `the ${role} type code describes no gomap type (${(err as Error).message})`);
  }
  if (firstDifference(tree, typeTree(t), role) !== null) {
    throw new SnapshotError("corrupt-header", `the ${role} type code ${spell(tree)} can't be rebuilt as the same type`);
  }
  return t;
}

/** The sum of N over the [N]byte arrays of a tree, nested ones included; 0 for what is not a tree. */
function arrayBytes(tree: unknown): number {
  if (!Array.isArray(tree)) return 0;
  if (tree[0] === "bytes") return typeof tree[1] === "number" && tree[1] > 0 ? tree[1] : 0;
  if (tree[0] !== "struct" || !Array.isArray(tree[1])) return 0;
  return (tree[1] as unknown[]).reduce((sum: number, f) => sum + (Array.isArray(f) ? arrayBytes(f[1]) : 0), 0);
}

function typeOfTree(tree: unknown): AnyType {
  if (!Array.isArray(tree) || typeof tree[0] !== "string") throw new Error("not a type tree");
  const kind = tree[0];
  if (kind === "bytes") return types.bytes(tree[1] as number);
  if (kind === "struct") {
    if (!Array.isArray(tree[1])) throw new Error("a struct without fields");
    const fields: Record<string, AnyType> = {};
    for (const f of tree[1] as unknown[]) {
      if (!Array.isArray(f) || typeof f[0] !== "string") throw new Error("a struct field without a name");
      fields[f[0]] = typeOfTree(f[1]);
    }
    return types.struct(fields);
  }
  const scalar = SCALARS.get(kind);
  if (scalar === undefined || tree.length !== 1) throw new Error(`unknown kind ${JSON.stringify(kind)}`);
  return scalar;
}

/**
 * The package's scalar descriptors by kind: the members of `types` that are types (not the
 * bytes() and struct() makers); 64-bit integers read as bigints, the types' default.
 */
const SCALARS: ReadonlyMap<string, AnyType> = new Map((Object.values(types) as unknown[]).filter(isGoType).map((t) => [t.kind, t]));
