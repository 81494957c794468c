// Handles: what share() returns and attach() takes, so a map or a lock made in one thread can
// be used by another. A handle is plain data that postMessage's structured clone copies as is:
// a tag naming what it is, a format version, the SharedArrayBuffer(s) whose bytes *are* the
// object (they are shared, not copied, by postMessage), and, for maps, the key and value
// types written as plain data (TypeCode), from which attach() rebuilds the same descriptors.
//
// Invariants:
// - Decoding a scalar's code gives back the package's own descriptor (t.u32 === t.u32), so an
//   attached map shares the specialised runtime of maps made in the same thread.
// - A struct's code lists its fields in layout order; rebuilding it with struct() from an
//   object with the same keys in the same order gives the same layout.
// - Anything that is not a handle of the expected tag and version is refused with a TypeError
//   that says what was expected, before any state is touched.
import { types } from "../types/index.js";
import { BytesType, StructType, isStructType } from "../types/index.js";
import { baseOf } from "../types/gohash.js";
import type { AnyType } from "../types/type.js";

/**
 * The value of the first own property of each shareable class (GoMap, SyncMap, Mutex, RWMutex,
 * WaitGroup): a Symbol, which structured clone can't copy, named with what to post instead.
 * postMessage(m) then fails at once with `DataCloneError: Symbol(gomap: a GoMap can't be
 * posted ...) could not be cloned.`, where before it named an internal function (a map), or
 * copied a lock's fields into a plain object with no methods (Mutex, RWMutex, WaitGroup).
 */
export function notPostable(what: string, instead: string): symbol {
  return Symbol(`gomap: ${what} can't be posted to another thread; ${instead}`);
}

/** The format version of every handle this release writes and reads. */
export const HANDLE_VERSION = 1;

/** A type written as plain data. */
export type TypeCode =
  | { readonly kind: ScalarName }
  | { readonly kind: "bytes"; readonly n: number }
  | { readonly kind: "struct"; readonly fields: readonly (readonly [string, TypeCode])[] };

/** The scalar descriptors by the name a TypeCode gives them. */
const scalars = {
  bool: types.bool,
  i8: types.i8,
  i16: types.i16,
  i32: types.i32,
  i64: types.i64,
  "i64.asNumber": types.i64.asNumber,
  u8: types.u8,
  u16: types.u16,
  u32: types.u32,
  u64: types.u64,
  "u64.asNumber": types.u64.asNumber,
  f32: types.f32,
  f64: types.f64,
  string: types.string,
} as const;
type ScalarName = keyof typeof scalars;

/** The plain-data description of t; TypeError for a type that has none (a test hook's type). */
export function encodeType(t: AnyType): TypeCode {
  t = baseOf(t); // a Go-hashed copy (a go1.19 map's keyType) is its base type, hashed otherwise
  for (const name of Object.keys(scalars) as ScalarName[]) {
    if (scalars[name] === t) return { kind: name };
  }
  if (t instanceof BytesType && Object.getPrototypeOf(t) === BytesType.prototype) return { kind: "bytes", n: t.size };
  if (isStructType(t) && Object.getPrototypeOf(t) === StructType.prototype) {
    return { kind: "struct", fields: t.fields.map((f) => [f.name, encodeType(f.type)] as const) };
  }
  throw new TypeError(`gomap: share: type ${t.name} is not one of gomap's types and can't be sent to another thread`);
}

/** The descriptor a TypeCode describes. TypeError for anything that is not a TypeCode. */
export function decodeType(code: unknown): AnyType {
  if (typeof code !== "object" || code === null) throw new TypeError("gomap: attach: a type code must be an object");
  const kind = (code as { kind?: unknown }).kind;
  if (kind === "bytes") {
    const n = (code as { n?: unknown }).n;
    if (typeof n !== "number") throw new TypeError("gomap: attach: a bytes type code needs its length n");
    return types.bytes(n);
  }
  if (kind === "struct") {
    // One descriptor per struct code in a thread, as bytes(n) is one per n: maps attached
    // from the same code then share their specialised runtime.
    const text = JSON.stringify(code);
    let t = structs.get(text);
    if (t === undefined) structs.set(text, (t = decodeStruct(code)));
    return t;
  }
  if (typeof kind === "string" && Object.prototype.hasOwnProperty.call(scalars, kind)) return scalars[kind as ScalarName];
  throw new TypeError(`gomap: attach: unknown type kind ${String(kind)}`);
}

const structs = new Map<string, AnyType>();

function decodeStruct(code: object): AnyType {
  const fields = (code as { fields?: unknown }).fields;
  if (!Array.isArray(fields)) throw new TypeError("gomap: attach: a struct type code needs its fields");
  const spec: Record<string, AnyType> = {};
  for (const f of fields) {
    if (!Array.isArray(f) || f.length !== 2 || typeof f[0] !== "string") {
      throw new TypeError("gomap: attach: a struct field code is a [name, type code] pair");
    }
    spec[f[0]] = decodeType(f[1]);
  }
  return types.struct(spec);
}

/** Checks that h is a handle tagged `tag` of this version; returns it as a record. */
export function checkHandle(h: unknown, tag: string): Record<string, unknown> {
  if (typeof h !== "object" || h === null) throw new TypeError(`gomap: attach: expected a ${tag} handle (from share()), got ${h === null ? "null" : typeof h}`);
  const r = h as Record<string, unknown>;
  if (r.handle !== tag) throw new TypeError(`gomap: attach: expected a ${tag} handle, got ${typeof r.handle === "string" ? `a ${r.handle} handle` : "something else"}`);
  if (r.version !== HANDLE_VERSION) throw new TypeError(`gomap: attach: ${tag} handle version ${String(r.version)}, this release reads version ${HANDLE_VERSION}`);
  return r;
}

/**
 * The word a lock's buffer holds to say what it is (Mutex, RWMutex, WaitGroup: their bytes have
 * no other mark), which attach() checks, so that a zeroed or random buffer, or another kind's,
 * is refused rather than taken for a lock held by nobody that exists.
 */
export function checkKind(buffer: SharedArrayBuffer, at: number, kind: number, what: string): void {
  if (Atomics.load(new Int32Array(buffer), at) !== kind) throw new TypeError(`gomap: attach: not ${what} (its kind word is wrong)`);
}

/** The SharedArrayBuffer in field `name` of a handle. */
export function sharedBuffer(r: Record<string, unknown>, name: string, tag: string): SharedArrayBuffer {
  const b = r[name];
  if (!(b instanceof SharedArrayBuffer)) throw new TypeError(`gomap: attach: the ${tag} handle's ${name} must be a SharedArrayBuffer`);
  return b;
}
