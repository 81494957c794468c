// What JSON.stringify makes of gomap's maps (their toJSON), by the rules Go's encoding/json
// follows for a map, so that a map inside a logged or returned object serialises instead of
// throwing on the runtime's internals:
// - a map becomes a JSON object; a nil map becomes null (its key type is checked all the same);
// - string keys are used as they are and integer keys (i8 ... u64, numbers or bigints) as
//   decimal strings; any other key type (bool, floats, [N]byte, structs) has no JSON form and
//   is a TypeError, as Go's json.Marshal fails with "unsupported type";
// - keys are put in Go's order, sorted as strings (a JS object then lists integer-like keys
//   first, in numeric order: the one place the output order differs from Go's);
// - values are what get returns, with [N]byte values (and fields) as arrays of numbers, as Go
//   writes a byte array. A bigint (i64/u64 read as bigints) is left as it is, so JSON.stringify
//   refuses it as it refuses any bigint: read 64-bit values as numbers (t.i64.asNumber) to
//   serialise them. NaN and infinities become null, as JSON.stringify writes them.
// Each call builds the whole object: O(entries), and the memory of a JS object of that size.
import type { AnyType } from "../types/type.js";

const INTEGER_KINDS: ReadonlySet<string> = new Set(["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"]);

/** The JSON form of a map of key type kt with these entries; null for a nil map. */
export function mapJSON(entries: Iterable<[unknown, unknown]> | null, kt: AnyType, vt: AnyType): Record<string, unknown> | null {
  // The key type first, nil or not, as Go picks a map's encoder by its type.
  const stringKeys = kt.kind === "string";
  if (!stringKeys && !INTEGER_KINDS.has(kt.kind)) {
    throw new TypeError(`gomap: map[${kt.name}]${vt.name} has no JSON form: JSON object keys come from string and integer keys only (Go's json.Marshal refuses it too)`);
  }
  if (entries === null) return null;
  const pairs: [string, unknown][] = [];
  for (const [k, v] of entries) pairs.push([stringKeys ? (k as string) : String(k), jsonValue(v)]);
  pairs.sort((a, b) => byCodePoint(a[0], b[0]));
  // No prototype, so that a key "__proto__" is an entry like any other.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/**
 * Go's order of two strings, the order of their UTF-8 bytes, which is the order of their code
 * points. JS's < compares UTF-16 units, and puts a surrogate pair (U+10000 and up) before
 * U+E000..U+FFFF.
 */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** A value as get returns it, with byte arrays (at any depth of a struct) as number arrays. */
function jsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, field] of Object.entries(v)) out[name] = jsonValue(field);
  return out;
}
