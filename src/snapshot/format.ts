// The snapshot file format, version 1. All numbers little-endian; every section starts at a
// multiple of 16 bytes.
//
//   offset        bytes  field
//   0             8      magic "GOMAPSNP"
//   8             4      format version (1)
//   12            4      hash fingerprint: the hash functions' answers for fixed inputs
//   16            4      k: bytes of the key type code (snapshot/typecode.ts)
//   20            4      v: bytes of the value type code
//   24            8      n: bytes of the heap (its `top`); 0 for a nil map
//   32            32     zero
//   64            k + v  the key type code, then the value type code, zero-padded to 16
//   64 + K        n      the heap: its header, the hmap, every block (memory/heap.ts,
//                        runtime/layout.ts), zero-padded to 16
//   64 + K + N    16     checksum of every byte before it (snapshot/checksum.ts)
//
// The heap is saved as the map left it, growth in progress included, with two things made
// canonical: highWater is set to top (bytes past top are not saved, and a loaded heap's are
// zero), and the hmap's iterator flags are cleared (no iterator survives a load). Blocks an
// iterator kept alive (Heap.pendingFrees) are freed in the saved copy.
//
// What lives outside the heap is not saved, and need not be: the JS objects' fields (HMap's
// epoch and the last lookup's slot, the Heap's iterator holds and their generation) only serve
// iterators and ref views of this process, and a loaded map starts with none; the hash has no per-process key
// (hash/hash.ts), so hash0 in the hmap is the whole seed.
//
// The hash fingerprint exists because a stored key is only found again by the same hash
// function with the same seed (hash0 is saved in the hmap): a gomap whose hash functions
// differ refuses the file ("hash") rather than answering "not found" for keys it holds.
import { SnapshotError } from "../errors.js";
import { hash32, hash64, hashBytes } from "../hash/hash.js";
import { FIRST_BLOCK, MAX_CAPACITY } from "../memory/heap.js";
import { DIGEST_BYTES } from "./checksum.js";
import { MAX_TYPE_CODE } from "./typecode.js";

export const MAGIC = new TextEncoder().encode("GOMAPSNP");
export const VERSION = 1;
export const HEADER_BYTES = 64;

/** What the fixed header says. */
export interface Header {
  fingerprint: number;
  keyCodeBytes: number;
  valueCodeBytes: number;
  heapBytes: number;
}

export function pad16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** Offsets of the sections of a file with this header, and its total size. */
export function sections(hd: Header): { codes: number; heap: number; digest: number; total: number } {
  const heap = HEADER_BYTES + pad16(hd.keyCodeBytes + hd.valueCodeBytes);
  const digest = heap + pad16(hd.heapBytes);
  return { codes: HEADER_BYTES, heap, digest, total: digest + DIGEST_BYTES };
}

/** This build's hash fingerprint. */
export function hashFingerprint(): number {
  const probe = new Uint8Array([0x67, 0x6f, 0x6d, 0x61, 0x70, 0x20, 0x73, 0x6e, 0x61, 0x70, 0x31]);
  const a = hash32(0x01234567, 0x5bd1e995);
  const b = hash64(0x89abcdef, 0x76543210, 0x27d4eb2f);
  const c = hashBytes(probe, 0, probe.length, 0x165667b1);
  return (a ^ Math.imul(b, 3) ^ Math.imul(c, 5)) >>> 0;
}

export function encodeHeader(hd: Header): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(8, VERSION, true);
  dv.setUint32(12, hd.fingerprint, true);
  dv.setUint32(16, hd.keyCodeBytes, true);
  dv.setUint32(20, hd.valueCodeBytes, true);
  dv.setUint32(24, hd.heapBytes >>> 0, true);
  dv.setUint32(28, Math.floor(hd.heapBytes / 2 ** 32), true);
  return out;
}

/**
 * Reads the fixed header of a snapshot of `size` bytes whose first bytes are `head` (up to
 * HEADER_BYTES of them): magic, version, section lengths, total size. Checks that can be
 * made before the checksum, so that a file of another kind is named as such.
 */
export function decodeHeader(head: Uint8Array, size: number): Header {
  const m = Math.min(head.length, MAGIC.length);
  for (let i = 0; i < m; i++) {
    if (head[i] !== MAGIC[i]) throw new SnapshotError("bad-magic", `the file does not start with "GOMAPSNP" (byte ${i} is ${head[i]})`);
  }
  if (size < HEADER_BYTES) throw new SnapshotError("truncated", `${size} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const dv = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
  const version = dv.getUint32(8, true);
  if (version !== VERSION) throw new SnapshotError("version", `format version ${version}, this gomap reads version ${VERSION}`);
  const hd: Header = {
    fingerprint: dv.getUint32(12, true),
    keyCodeBytes: dv.getUint32(16, true),
    valueCodeBytes: dv.getUint32(20, true),
    heapBytes: dv.getUint32(24, true) + dv.getUint32(28, true) * 2 ** 32,
  };
  if (hd.keyCodeBytes > MAX_TYPE_CODE || hd.valueCodeBytes > MAX_TYPE_CODE) {
    throw new SnapshotError("corrupt-header", `type codes of ${hd.keyCodeBytes} and ${hd.valueCodeBytes} bytes, at most ${MAX_TYPE_CODE} each`);
  }
  const n = hd.heapBytes;
  if (n !== 0 && (n < FIRST_BLOCK || n > MAX_CAPACITY || n % 8 !== 0)) {
    throw new SnapshotError("corrupt-header", `heap of ${n} bytes: want 0 or a multiple of 8 from ${FIRST_BLOCK} to ${MAX_CAPACITY}`);
  }
  const { total } = sections(hd);
  if (size < total) throw new SnapshotError("truncated", `${size} bytes, the header says ${total}`);
  if (size > total) throw new SnapshotError("corrupt-header", `${size} bytes, the header says ${total}`);
  return hd;
}

/** Checks what the checksum vouches for but the format still forbids: reserved bytes, padding. */
export function checkPadding(head: Uint8Array, codes: Uint8Array, codeBytes: number): void {
  for (let i = 32; i < HEADER_BYTES; i++) if (head[i] !== 0) throw new SnapshotError("corrupt-header", `reserved header byte ${i} is ${head[i]}`);
  for (let i = codeBytes; i < codes.length; i++) if (codes[i] !== 0) throw new SnapshotError("corrupt-header", "type code padding is not zero");
}
