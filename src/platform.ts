// What gomap needs of its environment beyond the language, and the errors that say so where
// it is missing:
// - Node's built-in modules, reached without a static import, so that the library's modules
//   also bundle for a browser (the playground bundles src/ as it is): process.getBuiltinModule
//   (Node 20.16 and later) where it exists, nothing elsewhere. What needs a module it cannot
//   get (saving a file in a browser) throws a GoMapError saying so.
// - SharedArrayBuffer, for the shared parts (a shared map's heap, SyncMap, Mutex, RWMutex,
//   WaitGroup): a browser provides it only to a cross-origin isolated page, and an engine
//   without growable ones ignores maxByteLength. Where it is missing, or a heap's cannot grow,
//   the part is refused when made, with a GoMapError saying what is missing (not a
//   ReferenceError, nor an "out of memory" at a later insert that found no grow()).
// - Atomics.wait, for a lock or a WaitGroup that has to wait: a browser forbids it on a page's
//   main thread (a TypeError, "Atomics.wait cannot be called in this context"). A wait there
//   throws a GoMapError naming what waited and what to do instead (atomicsWait).
import { GoMapError } from "./errors.js";

type GetBuiltin = (id: string) => unknown;

function getBuiltin(): GetBuiltin | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule.bind(proc) : undefined;
}

/** Node's module `id` ("node:fs"...), or undefined where there is none (a browser, Node < 20.16). */
export function optionalNodeModule<T>(id: string): T | undefined {
  return getBuiltin()?.(id) as T | undefined;
}

/** Node's module `id`; throws GoMapError naming `what` needs it when it is not there. */
export function nodeModule<T>(id: string, what: string): T {
  const m = optionalNodeModule<T>(id);
  if (m === undefined) throw new GoMapError(`gomap: ${what} needs Node.js 20.16 or later (${id})`);
  return m;
}

/** Throws a GoMapError saying that `what` needs SharedArrayBuffer, where there is none. */
export function requireSharedArrayBuffer(what: string): void {
  if (typeof SharedArrayBuffer !== "function") {
    throw new GoMapError(
      `gomap: ${what} needs SharedArrayBuffer, which this environment does not provide (a browser provides it only to a cross-origin isolated page)`,
    );
  }
}

/**
 * A new SharedArrayBuffer of `bytes` for `what`, growable to `maxByteLength` when that is
 * given; a GoMapError where there is no SharedArrayBuffer, or a growable one was asked for and
 * the buffer made cannot grow. Allocation failures (a RangeError) are the caller's to report.
 */
export function newSharedBuffer(bytes: number, what: string, maxByteLength?: number): SharedArrayBuffer {
  requireSharedArrayBuffer(what);
  if (maxByteLength === undefined) return new SharedArrayBuffer(bytes);
  const buffer = new SharedArrayBuffer(bytes, { maxByteLength });
  if (buffer.growable !== true) {
    throw new GoMapError(
      `gomap: ${what} needs a growable SharedArrayBuffer (new SharedArrayBuffer(n, { maxByteLength })), which this environment does not provide`,
    );
  }
  return buffer;
}

/**
 * Atomics.wait(i32, index, value, timeoutMs), or, where this thread may not wait (a browser
 * page's main thread), a GoMapError saying that `what` can't wait here and what to do
 * `instead`. Nothing else is caught.
 */
export function atomicsWait(i32: Int32Array, index: number, value: number, timeoutMs: number, what: string, instead: string): "ok" | "not-equal" | "timed-out" {
  try {
    return Atomics.wait(i32, index, value, timeoutMs);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new GoMapError(`gomap: ${what} can't wait on this thread: Atomics.wait is not allowed here (a browser page's main thread); ${instead}`);
  }
}
