// Go's arithmetic on the playground's numbers: untyped constants by their kind, and typed
// operands by their type.
//
// - An untyped numeric constant has a kind, by how it was written: 2 is an int constant, 2.0
//   and 1e3 are float constants. Arithmetic on constants follows the kinds: int op int is an
//   int (7 / 2 is 3, truncated toward zero), any float operand makes a float (7 / 2.0 is
//   3.5). Int constants are exact, and the playground's are safe integers (up to 2^53 - 1).
// - A constant converts to a type only if its value is representable there (represent): 2.0
//   is an int, 1.5 is not (truncated), 300 is not an int8 (overflows).
// - Typed integer arithmetic wraps to the type's width, as Go's does at run time (wrap): int8
//   127 + 1 is -128, uint8 0 - 1 is 255. Go refuses only constants out of range. The 64-bit
//   types are JS numbers here, so a result past 2^53 - 1 is a RangeError (the playground's
//   limit, not Go's).
// - float32 results are rounded to float32.
import type { BasicT } from "./gotypes.js";

/** An untyped numeric constant's kind. */
export type ConstKind = "int" | "float";

/** The value of constant v in numeric type t, or why it is not representable, in Go's words. */
export function represent(v: number, t: BasicT): number | "truncated" | "overflows" {
  if (t.cls === "float") {
    const f = t.name === "float32" ? Math.fround(v) : v;
    return Number.isFinite(f) ? f : "overflows";
  }
  if (!Number.isInteger(v)) return "truncated";
  const [min, max] = intRange(t);
  if (v < min || v > max) return "overflows";
  return safe(BigInt(v), `${t.name} value`);
}

/** The least and greatest values of integer type t, in Go. */
function intRange(t: BasicT): [number, number] {
  const bits = BigInt(t.gm.size * 8);
  return isSigned(t) ? [-Number(1n << (bits - 1n)), Number((1n << (bits - 1n)) - 1n)] : [0, Number((1n << bits) - 1n)];
}

function isSigned(t: BasicT): boolean {
  return !t.name.startsWith("u") && t.name !== "byte";
}

/**
 * n as a number. The playground's 64-bit integers and int constants are JS numbers, exact up
 * to 2^53 - 1: past that is a RangeError (the playground's limit, not Go's).
 */
export function safe(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw tooBig(`${what} ${n}`);
  return Number(n);
}

export function tooBig(what: string): RangeError {
  return new RangeError(`${what} is past 2^53 - 1: the playground holds 64-bit integers and int constants as JS numbers`);
}

/** n wrapped to integer type t's width (two's complement), as Go's run-time arithmetic wraps. */
export function wrap(n: bigint, t: BasicT): number {
  const bits = t.gm.size * 8;
  return safe(isSigned(t) ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n), `${t.name} value`);
}

/** x op y on integers, exactly (division truncates toward zero, as Go's); y is not 0 for / and %. */
export function intOp(op: string, x: number, y: number): bigint | boolean | undefined {
  const a = BigInt(x);
  const b = BigInt(y);
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a % b;
    default: return compare(op, x, y);
  }
}

/** x op y on floats of `bits` bits (Go has no % on floats). */
export function floatOp(op: string, x: number, y: number, bits: 32 | 64): number | boolean | undefined {
  const r = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "/" ? x / y : compare(op, x, y);
  return typeof r === "number" && bits === 32 ? Math.fround(r) : r;
}

/** x op y for a comparison operator; undefined for any other operator. */
export function compareOp(op: string, x: number, y: number): boolean | undefined {
  return compare(op, x, y);
}

function compare(op: string, x: number, y: number): boolean | undefined {
  switch (op) {
    case "==": return x === y;
    case "!=": return x !== y;
    case "<": return x < y;
    case "<=": return x <= y;
    case ">": return x > y;
    case ">=": return x >= y;
    default: return undefined;
  }
}
