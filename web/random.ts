// "Insert n random keys": keys and values drawn from a small seeded generator (mulberry32),
// so a replay of the step inserts exactly the same keys. Keys fit the map's key type; values
// count up (0, 1, 2, ...) in the value type.
import { PlaygroundCompileError } from "./lang/errors.js";
import type { Interp } from "./lang/exec.js";
import type { BasicT, GoT } from "./lang/gotypes.js";
import { toStored, zeroOf } from "./lang/values.js";
import type { Scalar, StructVal, Val } from "./lang/values.js";

/** mulberry32: a seeded u32 generator, for keys only (never for the map's own randomness). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random key of basic type t. */
function randomBasic(t: BasicT, next: () => number): Scalar {
  switch (t.cls) {
    case "string": {
      let s = "";
      for (let i = 0; i < 5; i++) s += ALPHABET[next() % ALPHABET.length];
      return s;
    }
    case "bool":
      return (next() & 1) === 1;
    case "float":
      return (next() % 1_000_000) / 100;
    case "int": {
      const bits = t.gm.size * 8;
      const signed = t.name.startsWith("int") || t.name === "rune";
      const n = bits >= 32 ? next() : next() % 2 ** bits;
      return signed && bits < 32 && n >= 2 ** (bits - 1) ? n - 2 ** bits : bits >= 32 ? n % 1_000_000 : n;
    }
  }
}

function randomKey(t: GoT, next: () => number): Val {
  if (t.k === "basic") return randomBasic(t, next);
  if (t.k === "struct") return { k: "struct", t, f: Object.fromEntries(t.fields.map((f) => [f.name, randomBasic(f.t, next)])) };
  throw new PlaygroundCompileError(`random keys of type ${t.name} are not supported`);
}

/** The i-th value: i in a number type (wrapped to fit small ones), "v<i>" in a string, i's parity in a bool. */
function countingValue(t: GoT, i: number): Val {
  if (t.k === "basic") return t.cls === "string" ? `v${i}` : t.cls === "bool" ? i % 2 === 1 : fitted(t, i);
  if (t.k === "struct") {
    const v = zeroOf(t) as StructVal;
    const first = t.fields.find((f) => f.t.cls === "int" || f.t.cls === "float");
    if (first !== undefined) v.f[first.name] = fitted(first.t, i);
    return v;
  }
  return zeroOf(t);
}

/** i, wrapped into the positive range of an integer type narrower than 32 bits. */
function fitted(t: BasicT, i: number): number {
  return t.cls === "int" && t.gm.size < 4 ? i % 2 ** (t.gm.size * 8 - 1) : i;
}

/** Inserts n random keys into interp's map variable `name` and focuses on it (one step of the session). */
export function insertRandom(interp: Interp, name: string | null, n: number, seed: number): void {
  interp.out = [];
  interp.touched = null;
  interp.ranged = null;
  const m = name === null ? null : interp.mapNamed(name);
  if (m === null) throw new PlaygroundCompileError("make a map first, e.g. m := make(map[string]int)");
  interp.focus = name;
  const next = mulberry32(seed);
  const before = m.m.size;
  let key: unknown = undefined;
  let added = false;
  for (let i = 0; i < n; i++) {
    key = toStored(randomKey(m.t.key, next), m.t.key);
    const size = m.m.size;
    m.m.set(key, toStored(countingValue(m.t.value, before + i), m.t.value));
    added = m.m.size > size;
  }
  if (n > 0) {
    // The last key drawn may be one the map held already (a small key type fills up).
    interp.touched = { map: m, key, op: added ? "insert" : "update", loc: null };
    interp.locateTouched();
  }
  const fresh = m.m.size - before;
  interp.out.push(`${name}: ${fresh} new key${fresh === 1 ? "" : "s"} of ${n} inserted; len(${name}) = ${m.m.size}`);
}
