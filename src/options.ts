// The arguments of the public API that are neither keys nor values (types/ checks those),
// checked before anything is read or written, so a mistake gets a gomap TypeError naming the
// call and the map is left as it was:
// - the options objects of the factories (GoMap.make, SyncMap.make, fromBytes and load): an
//   object, with no key the factory does not know. A misspelt option ({ hnt: 1e6 }) would
//   otherwise be ignored without a word and the map built without it. Each factory checks
//   its options' values itself;
// - callbacks (update, forEach, SyncMap's range): a function, checked even when the map is
//   empty or nil and the callback would not run, as Map.prototype.forEach checks it.
import { describe } from "./types/reject.js";

/** Throws a TypeError unless opts is undefined or an object whose keys are all in `known`. */
export function checkOptionKeys(opts: unknown, known: readonly string[], where: string): void {
  if (opts === undefined) return;
  if (typeof opts !== "object" || opts === null) {
    throw new TypeError(`gomap: ${where} options must be an object, got ${opts === null ? "null" : typeof opts}`);
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
