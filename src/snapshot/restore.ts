// Reading a snapshot back into a map, trusting nothing before it is checked. The order:
//   1. the fixed header: magic, version, section lengths against the input's size
//      ("bad-magic", "version", "truncated", "corrupt-header");
//   2. the checksum over every byte ("checksum");
//   3. reserved bytes and padding zero, type codes against the caller's types, the hash
//      fingerprint ("corrupt-header", "type-mismatch", "hash");
//   4. the heap's allocator state (memory/verify.ts, "corrupt-heap") and then the map itself
//      (snapshot/validate.ts, "corrupt-map"), unless the caller asked for the checksum only.
// The heap's bytes are read straight into the buffer the loaded map will use (an ArrayBuffer,
// or with { shared: true } a growable SharedArrayBuffer): one copy from the input, none after.
import { HeapExhaustedError, SnapshotError } from "../errors.js";
import { H_TOP, Heap, MAX_CAPACITY, newBuffer, pageRound } from "../memory/heap.js";
import { verifyHeap } from "../memory/verify.js";
import { HMap } from "../runtime/hmap.js";
import { MapType } from "../runtime/maptype.js";
import { specialise } from "../runtime/specialise.js";
import { hasherProblem, keyTypeOf } from "../runtime/hasher.js";
import type { AnyType } from "../types/type.js";
import { viewsOf } from "../types/type.js";
import { Checksum, DIGEST_BYTES } from "./checksum.js";
import { HEADER_BYTES, checkPadding, decodeHeader, hashFingerprint, sections } from "./format.js";
import type { Header } from "./format.js";
import { checkTypeCode, recordsOtherTypes } from "./typecode.js";
import { validateMap } from "./validate.js";

export interface LoadOptions {
  /** The most bytes the loaded map's heap may grow to (as GoMap.make's maxBytes). */
  maxBytes?: number;
  /**
   * "full" (the default): check the heap and every bucket and entry before use, so that no
   * file, however made, gives a map that misbehaves. "checksum": only the checksum and
   * header, for files this program wrote itself; a file crafted to pass the checksum could
   * then give a map that answers wrongly.
   */
  verify?: "full" | "checksum";
  /**
   * Load into a growable SharedArrayBuffer, as GoMap.make's { shared: true } makes, so that
   * share() can hand the loaded map to workers; false (the default): an ArrayBuffer.
   */
  shared?: boolean;
}

/** Where snapshot bytes come from: an array in memory, or a file read in chunks. */
export interface Source {
  readonly size: number;
  /** Fills `into` with the bytes from `position` on; throws SnapshotError("truncated") if there are fewer. */
  read(into: Uint8Array, position: number): void;
}

/** The map in the snapshot `src` (null for a nil map), checked as the header comment says. */
export function restore(src: Source, kt: AnyType, vt: AnyType, opts: LoadOptions = {}): HMap | null {
  const headLen = Math.min(src.size, HEADER_BYTES);
  const head = new Uint8Array(HEADER_BYTES);
  src.read(head.subarray(0, headLen), 0);
  const hd = decodeHeader(head.subarray(0, headLen), src.size);
  const file = readSections(src, hd, head, opts);
  checkSections(hd, file, kt, vt);
  return file.buffer === null ? null : adopt(file.buffer, hd.heapBytes, kt, vt, opts);
}

/** A snapshot's sections, the heap read straight into its own buffer. */
interface Sections {
  head: Uint8Array;
  codes: Uint8Array;
  buffer: ArrayBuffer | SharedArrayBuffer | null;
  heap: Uint8Array;
  pad: Uint8Array;
  digest: Uint8Array;
}

function readSections(src: Source, hd: Header, head: Uint8Array, opts: LoadOptions): Sections {
  const at = sections(hd);
  const n = hd.heapBytes;
  const codes = new Uint8Array(at.heap - at.codes);
  src.read(codes, at.codes);
  const buffer = n === 0 ? null : heapBuffer(n, opts.maxBytes, opts.shared === true);
  const heap = buffer === null ? new Uint8Array(0) : new Uint8Array(buffer, 0, n);
  src.read(heap, at.heap);
  const pad = new Uint8Array(at.digest - at.heap - n);
  src.read(pad, at.heap + n);
  const digest = new Uint8Array(DIGEST_BYTES);
  src.read(digest, at.digest);
  return { head, codes, buffer, heap, pad, digest };
}

/** Steps 2 and 3: the checksum, then reserved bytes, padding, type codes and the hash fingerprint. */
function checkSections(hd: Header, f: Sections, kt: AnyType, vt: AnyType): void {
  const sum = new Checksum().update(f.head).update(f.codes).update(f.heap).update(f.pad).digest();
  if (!sameBytes(sum, f.digest)) throw new SnapshotError("checksum", `the file's checksum is ${hex(f.digest)}, its bytes give ${hex(sum)}`);
  checkPadding(f.head, f.codes, hd.keyCodeBytes + hd.valueCodeBytes);
  if (f.pad.some((x) => x !== 0)) throw new SnapshotError("corrupt-header", "heap padding is not zero");
  checkTypeCode(f.codes.subarray(0, hd.keyCodeBytes), kt, "key");
  checkTypeCode(f.codes.subarray(hd.keyCodeBytes, hd.keyCodeBytes + hd.valueCodeBytes), vt, "value");
  const fp = hashFingerprint();
  if (hd.fingerprint !== fp) {
    throw new SnapshotError("hash", `written by a gomap whose hash functions differ (fingerprint ${hd.fingerprint.toString(16)}, this one ${fp.toString(16)})`);
  }
}

/**
 * A zeroed buffer for a heap of n bytes, with room to grow as GoMap.make's heaps have: a
 * growable SharedArrayBuffer bounded by maxBytes when shared, as make's.
 */
function heapBuffer(n: number, maxBytes: number | undefined, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  const max = Math.min(maxBytes ?? MAX_CAPACITY, MAX_CAPACITY);
  if (n > max) throw new HeapExhaustedError(n, 0, max);
  const cap = Math.min(pageRound(n), max);
  return newBuffer(cap, max, shared);
}

/** The map over a checked heap buffer. */
function adopt(buffer: ArrayBuffer | SharedArrayBuffer, n: number, kt: AnyType, vt: AnyType, opts: LoadOptions): HMap {
  let heap: Heap;
  try {
    heap = Heap.fromBuffer(buffer, opts.maxBytes, viewsOf(kt, vt));
  } catch (err) {
    throw new SnapshotError("corrupt-heap", (err as Error).message);
  }
  if (heap.u32[H_TOP] !== n) throw new SnapshotError("corrupt-heap", `top ${heap.u32[H_TOP]}, the file holds ${n} heap bytes`);
  const hasher = hasherProblem(heap);
  if (hasher !== null) throw new SnapshotError("corrupt-header", `the map header names ${hasher}`);
  // The file's type codes matched the caller's types above; the header's digest of the types
  // the map was made with must match them too.
  if (recordsOtherTypes(heap, kt, vt)) {
    throw new SnapshotError("corrupt-header", "the map header's digest of its types is not that of the file's type codes");
  }
  const key = keyTypeOf(heap, kt);
  const h = new HMap(heap, MapType.of(key, vt), specialise(key));
  if (opts.verify !== "checksum") validateMap(h, verifyHeap(heap));
  return h;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** A Source over bytes in memory. */
export function bytesSource(bytes: Uint8Array): Source {
  return {
    size: bytes.length,
    read(into: Uint8Array, position: number): void {
      if (position + into.length > bytes.length) throw new SnapshotError("truncated", `needs ${position + into.length} bytes, has ${bytes.length}`);
      into.set(bytes.subarray(position, position + into.length));
    },
  };
}
