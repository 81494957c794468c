// The errors gomap throws. Messages use Go's words where Go has words for the same fault
// ("assignment to entry in nil map", "concurrent map writes"); every error is an instance of
// a named class so callers can tell them apart without matching text.

/** A fault Go's runtime would report as a panic or fatal error on the same map operation. */
export class GoMapError extends Error {
  override readonly name: string = "GoMapError";
}

/** The heap could not grow to fit an allocation. The map is left as it was. */
export class HeapExhaustedError extends RangeError {
  override readonly name = "HeapExhaustedError";
  constructor(
    readonly neededBytes: number,
    readonly capacity: number,
    readonly maxBytes: number,
    cause?: unknown,
  ) {
    super(
      `gomap: out of memory: the heap needs ${neededBytes} bytes, has ${capacity}, may grow to ${maxBytes}` +
        (cause instanceof Error ? ` (${cause.message})` : ""),
      cause === undefined ? undefined : { cause },
    );
  }
}

/** A `ref` view used after the map moved or removed the entry it pointed at. */
export class StaleRefError extends GoMapError {
  override readonly name = "StaleRefError";
}

/**
 * A lock (Mutex, RWMutex, a SyncMap shard) is held by a worker thread that has exited: it
 * will never be unlocked. Thrown to the threads waiting for it, which would otherwise wait
 * forever; names the lock and the worker's threadId.
 */
export class OwnerDeadError extends GoMapError {
  override readonly name = "OwnerDeadError";
  constructor(
    readonly lock: string,
    readonly threadId: number,
  ) {
    super(`gomap: ${lock} is held by worker ${threadId}, which has exited; it will never be unlocked`);
  }
}

/** What a SnapshotError found wrong, one code a check (README "Snapshots"). */
export type SnapshotErrorCode =
  | "bad-magic"
  | "version"
  | "truncated"
  | "checksum"
  | "hash"
  | "type-mismatch"
  | "corrupt-header"
  | "corrupt-heap"
  | "corrupt-map";

/**
 * A snapshot that cannot be loaded: not a gomap snapshot, another format version, cut short,
 * damaged, or made for other key/value types. The message says what was expected and found.
 */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
  constructor(
    readonly code: SnapshotErrorCode,
    /** The message without its "gomap: snapshot <code>: " prefix. */
    readonly detail: string,
  ) {
    super(`gomap: snapshot ${code}: ${detail}`);
  }
}

/**
 * The TypeError of `new GoMap(...)` or `new SyncMap(...)` called from outside: their
 * constructors take internal arguments, and without this a JS caller got whatever the first
 * missing one broke ("Cannot read properties of undefined").
 */
export function noPublicConstructor(cls: string, ways: string): TypeError {
  return new TypeError(`gomap: ${cls} has no public constructor; make one with ${ways}`);
}
