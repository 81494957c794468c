// The arguments of the public API that are neither keys nor values (types/ checks those),
// checked before anything is read or written, so a mistake gets a gomap TypeError (a
// RangeError for a number out of range) naming the call, and the map is left as it was:
// - the options objects of the factories (GoMap.make, SyncMap.make, fromBytes and load), and
//   of the inspector (m.inspect, inspect.map, inspect.bucket): an object (not an array), with
//   no key the call does not know. A misspelt option ({ hnt: 1e6 }) would
//   otherwise be ignored without a word and the map built without it. Each factory checks
//   its options' values itself, maxBytes (which all of them take) with checkMaxBytes here,
//   and shared (make's and load's) with checkShared;
// - callbacks (update, forEach, SyncMap's range, the locks' with and rwith): a function,
//   checked even when the map is empty or nil and the callback would not run, as
//   Map.prototype.forEach checks it;
// - counts (SyncMap's shards and readers): an integer in range, checkCount.
import { describe } from "./types/reject.js";

/** Throws a TypeError unless opts is undefined or an object whose keys are all in `known`. */
export function checkOptionKeys(opts: unknown, known: readonly string[], where: string): void {
  if (opts === undefined) return;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    const got = opts === null ? "null" : Array.isArray(opts) ? "an array" : typeof opts;
    throw new TypeError(`gomap: ${where} options must be an object, got ${got}`);
  }
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      throw new TypeError(`gomap: unknown ${where} option ${JSON.stringify(key)} (the options are ${known.join(", ")})`);
    }
  }
}

/** Throws a TypeError unless fn is a function; `where` names the call ("GoMap.update"). */
export function checkCallback(fn: unknown, where: string): void {
  if (typeof fn !== "function") throw new TypeError(`gomap: ${where} wants a function, got ${describe(fn)}`);
}

/**
 * Throws unless maxBytes is undefined or a number above 0 (Infinity: no bound but the heap's
 * own): a TypeError for what is not a number (NaN included), a RangeError for 0 and below. So
 * "1mb" or NaN never reaches the heap, where it would compare false with every size and bound
 * nothing.
 */
export function checkMaxBytes(maxBytes: unknown, where: string): void {
  if (maxBytes === undefined) return;
  const want = `gomap: ${where} maxBytes must be a number of bytes above 0, got ${describe(maxBytes)}`;
  if (typeof maxBytes !== "number" || Number.isNaN(maxBytes)) throw new TypeError(want);
  if (maxBytes <= 0) throw new RangeError(want);
}

/**
 * Throws a TypeError unless `shared` (make's and load's option) is undefined or a boolean: a
 * truthy 1 or "yes" would otherwise pick the kind of buffer without saying so.
 */
export function checkShared(shared: unknown): void {
  if (shared !== undefined && typeof shared !== "boolean") {
    throw new TypeError(`gomap: shared must be a boolean, got ${typeof shared}`);
  }
}

/**
 * Returns `value` if it is undefined or an integer that `fits`; else a TypeError for what is not
 * a number ("4" included: no option is taken from a string) and a RangeError for a number that
 * does not fit. `want` completes "<where> <name> must be ..." ("a power of two in 1..256").
 */
export function checkCount(value: unknown, where: string, name: string, want: string, fits: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const msg = `gomap: ${where} ${name} must be ${want}, got ${describe(value)}`;
  if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(msg);
  if (!Number.isInteger(value) || !fits(value)) throw new RangeError(msg);
  return value;
}
