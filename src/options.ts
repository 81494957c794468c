// The options objects of the public factories (GoMap.make, SyncMap.make, fromBytes and load),
// checked for their shape before any option is read: an object, with no key the factory does
// not know. A misspelt option ({ hnt: 1e6 }) would otherwise be ignored without a word and
// the map built without it. Each factory checks its options' values itself.

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
