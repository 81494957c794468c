// The errors a descriptor's check() throws, built in one place so every type words them alike.
//
// Two kinds, as the GoType contract says (src/types/type.ts):
// - TypeError: the value is the wrong kind of thing for the type, in Go's words for an
//   assignment that does not compile: `gomap: cannot use "abc" (string) as uint32 key`.
// - RangeError: the right kind of thing but a value the type cannot hold:
//   `gomap: key 4294967296 out of range for uint32`.
//
// `what` is the value's role ("key", "value", a struct field path "value.age"), or undefined
// when the caller did not say; it is only ever read here, on the cold path that throws.

/** A short, safe rendering of any JS value for an error message. */
export function describe(v: unknown): string {
  switch (typeof v) {
    case "string":
      return `${quoted(v)} (string)`;
    case "number":
      return `${show(v)} (number)`;
    case "bigint":
      return `${v}n (bigint)`;
    case "boolean":
      return `${v} (boolean)`;
    case "undefined":
      return "undefined";
    case "symbol":
      return "symbol";
    case "function":
      return "function";
    default:
      break;
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return "object";
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  return tag === "Object" ? "object" : tag;
}

/** A number or bigint as a message shows it: -0 keeps its sign, bigints carry their n. */
/** A string as a message shows it: quoted, its first 40 UTF-16 units and "…" when longer. */
export function quoted(v: string): string {
  return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
}

export function show(v: number | bigint): string {
  if (typeof v === "bigint") return `${v}n`;
  return Object.is(v, -0) ? "-0" : String(v);
}

function subject(what: string | undefined): string {
  return what === undefined ? "" : what + " ";
}

/** The value is not the kind of JS value `type` accepts. */
export function wrongKind(v: unknown, type: string, what: string | undefined): TypeError {
  return new TypeError(`gomap: cannot use ${describe(v)} as ${type}${what === undefined ? "" : " " + what}`);
}

/** An integer the type cannot hold. */
export function outOfRange(v: number | bigint, type: string, what: string | undefined): RangeError {
  return new RangeError(`gomap: ${subject(what)}${show(v)} out of range for ${type}`);
}

/** A number that is not an integer (a fraction, NaN or an infinity) given to an integer type. */
export function notInteger(v: number, type: string, what: string | undefined): RangeError {
  return new RangeError(`gomap: ${subject(what)}${show(v)} is not an integer, want ${type}`);
}

/** An integer beyond Number.MAX_SAFE_INTEGER given as a number to a 64-bit type. */
export function notSafe(v: number, type: string, what: string | undefined): RangeError {
  return new RangeError(
    `gomap: ${subject(what)}${show(v)} is not a safe integer, want ${type} (pass a bigint for values beyond 2^53)`,
  );
}

/**
 * An integer beyond Number.MAX_SAFE_INTEGER given as a number to t.i64.asNumber or
 * t.u64.asNumber, which take no bigint past 2^53 either: the way out is the bigint type.
 */
export function notSafeForNumber(v: number, type: string, kind: string, what: string | undefined): RangeError {
  return new RangeError(
    `gomap: ${subject(what)}${show(v)} is not a safe integer, want ${type}: t.${kind}.asNumber takes safe integers only; use t.${kind} (with a bigint) for values beyond 2^53`,
  );
}

/** A bigint beyond 2^53 given to t.i64.asNumber or t.u64.asNumber, which read numbers. */
export function notNumber(v: bigint, kind: string, what: string | undefined): RangeError {
  return new RangeError(
    `gomap: ${subject(what)}${show(v)} is beyond 2^53: t.${kind}.asNumber reads numbers and could not read it back; use t.${kind} for bigints`,
  );
}

/** Joins a struct field name onto a role: "key" + "age" is "key.age"; no role gives "age". */
export function fieldPath(what: string | undefined, field: string): string {
  return what === undefined ? field : `${what}.${field}`;
}
