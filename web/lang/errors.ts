// The errors of the playground's language, apart from the library's own (which the
// playground shows as they are: GoMapError as Go's panic, TypeError and RangeError for a
// value the map's types refuse).

/** Text the playground cannot read: what was expected, and the line:column where. */
export class PlaygroundSyntaxError extends Error {
  override readonly name = "PlaygroundSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${line}:${col}: ${message}`);
  }
}

/**
 * A statement that reads well but that Go would refuse to compile (an undefined name, a
 * type mismatch, `m[k].f = v`), in Go's words where Go has words. Nothing has run.
 */
export class PlaygroundCompileError extends Error {
  override readonly name = "PlaygroundCompileError";
}
