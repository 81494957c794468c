// Checking the bytes of one stored key or value, by its type, before the runtime trusts them:
// what a type's read(), hashAt() and equal() assume of the bytes they are given.
//
// - bool: the byte is 0 or 1 (hashAt hashes it as it is; hash(true) hashes 1).
// - string (types/string.ts): either all zero (""), or an inline header (len 1..12 in
//   0x80000000 + len, the bytes after len zero), or Go's header (ptr, 0, len > 12, 0) whose
//   ptr is a live block of at least len bytes owned by no one else, with the bytes after len
//   up to the next word zero (equal() compares whole words). The bytes are well-formed UTF-8,
//   so read() gives back the very string whose hash put the key where it is.
// - struct: each field, at its offset.
// - int64/uint64 read as number (t.i64.asNumber): the value is a safe integer, else every
//   read would throw; such a map must be loaded with the bigint-reading type.
// - integers, floats (any bits: NaN payloads included) and [n]byte: anything.
import { SnapshotError } from "../errors.js";
import type { Heap } from "../memory/heap.js";
import type { Blocks } from "../memory/verify.js";
import { Word64NumberType } from "../types/int64.js";
import { isStructType } from "../types/struct.js";
import type { AnyType } from "../types/type.js";

const INLINE = 0x80000000;
const INLINE_MAX = 12;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function bad(what: string, msg: string): never {
  throw new SnapshotError("corrupt-map", `${what}: ${msg}`);
}

/** Checks the value of type t stored at off; claims the blocks it owns. */
export function checkValue(t: AnyType, heap: Heap, off: number, blocks: Blocks, what: string): void {
  switch (t.kind) {
    case "bool":
      if (heap.u8[off] > 1) bad(what, `bool byte ${heap.u8[off]}`);
      return;
    case "string":
      checkString(heap, off, blocks, what);
      return;
    case "struct":
      if (isStructType(t)) for (const f of t.fields) checkField(f.type, heap, off + f.offset, blocks, what, f.name);
      return;
    case "i64":
    case "u64":
      if (t instanceof Word64NumberType) checkSafe(heap, off, t.kind === "i64", what);
      return;
    default:
      return;
  }
}

/** A struct field; a problem found in it is named by its path, built only then. */
function checkField(t: AnyType, heap: Heap, off: number, blocks: Blocks, what: string, name: string): void {
  try {
    checkValue(t, heap, off, blocks, what);
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    throw new SnapshotError(err.code, `.${name} ${err.detail}`);
  }
}

function checkString(heap: Heap, off: number, blocks: Blocks, what: string): void {
  const u32 = heap.u32;
  const i = off >>> 2;
  const last = u32[i + 3];
  if (last !== 0) {
    const len = last - INLINE;
    if (len < 1 || len > INLINE_MAX) bad(what, `inline string header ${last.toString(16)}`);
    for (let j = off + len; j < off + INLINE_MAX; j++) if (heap.u8[j] !== 0) bad(what, "inline string has bytes after its length");
    checkUtf8(heap, off, len, what);
    return;
  }
  const ptr = u32[i];
  const len = u32[i + 2];
  if (u32[i + 1] !== 0) bad(what, "string header's upper pointer word is not zero");
  if (len === 0) {
    if (ptr !== 0) bad(what, "empty string with a pointer");
    return;
  }
  if (len <= INLINE_MAX) bad(what, `a ${len}-byte string stored out of line`);
  blocks.claim(ptr, len, `${what} (string of ${len} bytes)`);
  const end = ptr + len;
  for (let j = end; j < end + ((4 - (end % 4)) % 4); j++) if (heap.u8[j] !== 0) bad(what, "string block has bytes after its length");
  checkUtf8(heap, ptr, len, what);
}

function checkUtf8(heap: Heap, p: number, len: number, what: string): void {
  const u8 = heap.u8;
  let ascii = true;
  for (let j = p; j < p + len; j++) {
    if (u8[j] > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return;
  try {
    utf8.decode(u8.subarray(p, p + len));
  } catch {
    bad(what, "string bytes are not well-formed UTF-8");
  }
}

function checkSafe(heap: Heap, off: number, signed: boolean, what: string): void {
  const lo = heap.u32[off >>> 2];
  const hiWord = heap.u32[(off >>> 2) + 1];
  const v = (signed ? hiWord | 0 : hiWord) * 2 ** 32 + lo;
  if (!Number.isSafeInteger(v)) {
    // The exact value, as a bigint: v, a double, has rounded it.
    const exact = (signed ? BigInt.asIntN : BigInt.asUintN)(64, (BigInt(hiWord) << 32n) | BigInt(lo));
    const type = signed ? "t.i64" : "t.u64";
    throw new SnapshotError("type-mismatch", `${what} holds ${exact}n, beyond what ${type}.asNumber reads; load with ${type}`);
  }
}
