// Snapshots of a map: what GoMap's save, load, toBytes and fromBytes call. The format is in
// format.ts, writing in image.ts, reading and its checks in restore.ts, files in file.ts.
import type { HMap } from "../runtime/hmap.js";
import { checkMaxBytes, checkOptionKeys, checkShared } from "../options.js";
import { nodeModule } from "../platform.js";
import { describe } from "../types/reject.js";
import { checkTypeArgs, isGoType } from "../types/type.js";
import type { AnyType } from "../types/type.js";
import { writeAtomic, withFileSource } from "./file.js";
export { fsReason } from "./file.js";
import type { FileOptions } from "./file.js";
import { HEADER_BYTES, decodeHeader, sections } from "./format.js";
import { concat, snapshotParts } from "./image.js";
import { bytesSource, restore } from "./restore.js";
import { typeOfCode } from "./typecode.js";
import type { LoadOptions } from "./restore.js";
import type { OwnBytes } from "../types/bytes.js";

export type { LoadOptions } from "./restore.js";
export type { FileOptions, SnapshotFs } from "./file.js";

/** The snapshot of h (null: a nil map) as one array. */
export function toBytes(h: HMap | null, kt: AnyType, vt: AnyType): OwnBytes {
  return concat(snapshotParts(h, kt, vt));
}

/**
 * The map in a snapshot held in memory: a Uint8Array (a Buffer is one) or a whole ArrayBuffer,
 * as fetch's arrayBuffer() gives it. The bytes are copied; the caller keeps them.
 */
export function fromBytes(bytes: Uint8Array | ArrayBuffer, kt: AnyType, vt: AnyType, opts?: LoadOptions): HMap | null {
  const source = bytesSource(snapshotBytes(bytes));
  checkTypeArgs(kt, vt);
  return restore(source, kt, vt, checkLoadOptions(opts));
}

/** The [N]byte arrays a snapshot's type may hold in all, whatever its size (see snapshotTypes). */
export const TYPE_ARRAYS_FLOOR = 1 << 20;

/**
 * The key and value types a snapshot was written with, rebuilt from its type codes (typecode.ts
 * typeOfCode), for a reader that brings no types: gomap inspect FILE. Reads the header and the
 * codes only; fromBytes with these types then checks everything else. SnapshotError when the
 * header or a code is bad, or when a type's [N]byte arrays come to more than the file's size
 * (or TYPE_ARRAYS_FLOOR, when that is more): building a type makes zero values of that size,
 * and a map with entries of such a type holds more bytes than that anyway.
 */
export function snapshotTypes(bytes: Uint8Array): { keyType: AnyType; valueType: AnyType } {
  const hd = decodeHeader(bytes.subarray(0, HEADER_BYTES), bytes.length);
  const codes = bytes.subarray(sections(hd).codes);
  const max = Math.max(bytes.length, TYPE_ARRAYS_FLOOR);
  return {
    keyType: typeOfCode(codes.subarray(0, hd.keyCodeBytes), "key", max),
    valueType: typeOfCode(codes.subarray(hd.keyCodeBytes, hd.keyCodeBytes + hd.valueCodeBytes), "value", max),
  };
}

/** fromBytes' first argument as a Uint8Array, or a TypeError saying what came instead. */
function snapshotBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  const want = "gomap: fromBytes wants the snapshot's bytes (a Uint8Array or an ArrayBuffer) first";
  // The likeliest slip: the types first, as make takes them.
  if (isGoType(bytes)) throw new TypeError(`${want}, got the type ${bytes.name}: call fromBytes(bytes, keyType, valueType)`);
  throw new TypeError(`${want}, got ${describe(bytes)}`);
}

/** Saves the snapshot of h to path, atomically. */
export function save(path: string | URL, h: HMap | null, kt: AnyType, vt: AnyType, file?: FileOptions): void {
  writeAtomic(filePath(path), snapshotParts(h, kt, vt), file);
}

/** The map in the snapshot file at path. */
export function load(path: string | URL, kt: AnyType, vt: AnyType, opts?: LoadOptions, file?: FileOptions): HMap | null {
  const p = filePath(path);
  checkTypeArgs(kt, vt);
  const o = checkLoadOptions(opts);
  return withFileSource(p, (src) => restore(src, kt, vt, o), file);
}

/** A snapshot path as a string: a non-empty string, or a file: URL (as node:fs takes them). */
function filePath(path: unknown): string {
  if (typeof path === "string" && path !== "") return path;
  if (path instanceof URL && path.protocol === "file:") {
    return nodeModule<{ fileURLToPath(u: URL): string }>("node:url", "saving and loading snapshot files").fileURLToPath(path);
  }
  throw new TypeError(`gomap: a snapshot path must be a non-empty string or a file: URL, got ${describe(path)}`);
}

function checkLoadOptions(opts: LoadOptions | undefined): LoadOptions {
  if (opts === undefined) return {};
  checkOptionKeys(opts, ["maxBytes", "verify", "shared"], "load");
  const { maxBytes, verify, shared } = opts;
  checkMaxBytes(maxBytes, "load");
  checkShared(shared);
  if (verify !== undefined && verify !== "full" && verify !== "checksum") throw new TypeError(`gomap: verify must be "full" or "checksum", got ${describe(verify)}`);
  return opts;
}
