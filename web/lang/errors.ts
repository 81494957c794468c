// The errors of the playground's language, apart from the library's own (which the
// playground shows as they are: GoMapError as Go's panic, TypeError and RangeError for a
// value the map's types refuse). errorText words any of them for the page.

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

/**
 * A run-time panic of the language itself (not of the map: those are the library's
 * GoMapError), its message as Go prints it: "panic: runtime error: integer divide by zero".
 */
export class GoPanic extends Error {
  override readonly name = "GoPanic";
}

/**
 * A statement the playground stopped where Go would go on: a range loop past
 * MAX_RANGE_ITERATIONS iterations (one whose body keeps adding keys may never end). Not Go's;
 * shown as its message alone, which says so.
 */
export class PlaygroundStopped extends Error {
  override readonly name = "PlaygroundStopped";
}

/**
 * An error as the page shows it: a panic as Go prints it ("panic: assignment to entry in nil
 * map"), anything else as "Name: message".
 */
export function errorText(err: unknown): string {
  if (err instanceof GoPanic || err instanceof PlaygroundStopped) return err.message;
  if (err instanceof Error) return err.name === "GoMapError" ? `panic: ${err.message}` : `${err.name}: ${err.message}`;
  return String(err);
}
