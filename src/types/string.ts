// string: Go's string, a 16-byte header in the slot; the UTF-8 bytes in a heap block, or, for
// strings of at most 12 bytes, in the header itself.
//
//   off      off+4    off+8    off+12   off+16
//   +--------+--------+--------+--------+
//   |  ptr   |   0    |  len   |   0    |   a string of more than 12 bytes: Go's header. ptr is
//   +--------+--------+--------+--------+   the heap offset of its block (u32; the upper word 0)
//   |  bytes 0..11 (zero-padded)  |0x80000000 + len|   a string of 1..12 bytes, inline
//   +--------+--------+--------+--------+
//
// The last word tells the two apart (0 for Go's header). The empty string is all zeros, so a
// zeroed slot holds "". Inline strings are gomap's own: most keys (IDs, names) are short, and
// keeping them in the slot saves a block (16-24 bytes) and a cache miss on every comparison.
// A long string owns exactly one block of heap.alloc(len) bytes, freed by release() or
// replaced by write(); no two slots share a block.
//
// Strings are compared by content and hashed with hashBytes over their UTF-8 bytes. A JS
// string is UTF-16, so the hot paths avoid encoding wherever the answer does not need it:
// - ASCII fast path: an ASCII string's UTF-8 bytes are its char codes. hash() builds the same
//   little-endian words hashBytes builds straight from charCodeAt; equal() compares stored
//   bytes with charCodeAt. Neither allocates.
// - Otherwise the string is encoded into a module-level scratch buffer (grown as needed), and
//   the last encoded string is remembered, so equal() or write() straight after hash() of the
//   same string does not encode it again.
// The UTF-8 length of a string is at least its UTF-16 length, and equal to it exactly when the
// string is ASCII; equal() uses that to decide without encoding in most cases.
//
// Invariants:
// - hash(v) === hashAt(stored v), hi halves included, for every well-formed string.
// - Only well-formed UTF-16 is accepted: hash() and write() refuse lone surrogates, which have
//   no UTF-8 encoding, with a TypeError before anything is written (check() tests only the
//   kind, so that the common ASCII key pays for no scan). Every stored byte string is valid
//   UTF-8 and read() round-trips exactly.
// - write() allocates the new block before freeing the old one: a HeapExhaustedError leaves the
//   slot holding its old value.
import { hashBytes, hashEnd, hashStart, hashWord, hashWords, wordKey } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { describe, wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

const encoder = new TextEncoder();
// ignoreBOM: a string that starts with U+FEFF must read back with it.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

// Thresholds between the char-by-char paths and the native TextEncoder/TextDecoder ones; below
// them the per-call cost of the native path (and of making a subarray) dominates. Measured with
// quick loops on Node 20 (x64): char-by-char hashing wins to ~40 chars, reading to ~16.
/** hash() builds words from char codes up to this length, and encodes natively beyond it. */
const HASH_CHARS_MAX = 40;
/** write() copies an ASCII string char by char up to this length. */
const WRITE_CHARS_MAX = 16;
/**
 * read() builds an ASCII string from its bytes up to this length, else uses TextDecoder: in
 * one fromCharCode call up to ASCII_CALL_MAX bytes, in two joined with + beyond (77-83 ns
 * against TextDecoder's 125-137 for 20-24 bytes).
 */
const READ_CHARS_MAX = 32;
/** The most bytes asciiString takes, in one fromCharCode call. */
const ASCII_CALL_MAX = 16;
/** Copies of encoded bytes up to this length are a plain loop, beyond it Uint8Array.set. */
const COPY_LOOP_MAX = 64;
/** The scratch buffer grows up to this; longer strings are encoded into a one-off buffer. */
const SCRATCH_MAX = 1 << 20;

/** The longest string kept inline, and the mark on the last word of an inline header. */
const INLINE_MAX = 12;
const INLINE = 0x80000000;

/** The byte length of the string whose header is at u32 index i. */
function byteLen(u32: Uint32Array, i: number): number {
  const w = u32[i + 3];
  return w !== 0 ? w & 0xff : u32[i + 2];
}

/** Where the bytes of the string whose header is at byte offset off are. */
function bytesAt(u32: Uint32Array, off: number): number {
  const i = off >>> 2;
  return u32[i + 3] !== 0 ? off : u32[i];
}

/** Byte offset of the UTF-8 bytes of the string stored at `off` (for hashers outside this file). */
export function storedBytes(heap: Heap, off: number): number {
  return bytesAt(heap.u32, off);
}

/** UTF-8 length of the string stored at `off`. */
export function storedLength(heap: Heap, off: number): number {
  return byteLen(heap.u32, off >>> 2);
}

// The word cache: the words hash() built for the last ASCII string it hashed, so that equal()
// right after compares stored bytes a word at a time, and write() (a set's new key) stores
// them, without reading the chars again. The tail word is zero-padded, as a stored block is
// (heap blocks are zeroed, 8-aligned).
const words = new Int32Array((HASH_CHARS_MAX >>> 2) + 1);
let wordsStr: string | null = null;

// The encoding cache: the last string encoded, and its UTF-8 bytes (encBuf[0..encLen)).
let scratch = new Uint8Array(1024);
let encStr: string | null = null;
let encBuf: Uint8Array = scratch;
let encLen = 0;

/** The UTF-8 length of v, encoded into encBuf unless it is there already (after hash(v)). */
function encode(v: string): number {
  if (v === encStr) return encLen;
  return encodeFresh(v);
}

/**
 * The TypeError for a string that is not well-formed UTF-16 (a lone surrogate has no UTF-8
 * encoding): thrown where a string is encoded (hash, write), and by a caller that must refuse
 * such a key before it changes anything (set, before it stages its value's bytes).
 */
export function refuseLoneSurrogates(v: string): void {
  if (!v.isWellFormed()) {
    throw new TypeError(
      `gomap: ${describe(v)} is not well-formed UTF-16 (it holds a lone surrogate, which has no UTF-8 encoding), want string`,
    );
  }
}

/**
 * UTF-8 encodes a string into encBuf and remembers it; returns the byte length. Every non-
 * ASCII string passes here before it is hashed or stored, so this is where one that is not
 * well-formed UTF-16 (a lone surrogate has no UTF-8 encoding) is refused, before any write.
 */
function encodeFresh(v: string): number {
  refuseLoneSurrogates(v);
  const need = v.length * 3; // UTF-8 never needs more than 3 bytes per UTF-16 unit
  if (need <= scratch.length) {
    encLen = encoder.encodeInto(v, scratch).written;
    encBuf = scratch;
  } else if (need <= SCRATCH_MAX) {
    scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(need, scratch.length * 2)));
    encLen = encoder.encodeInto(v, scratch).written;
    encBuf = scratch;
  } else {
    encBuf = encoder.encode(v);
    encLen = encBuf.length;
  }
  encStr = v;
  return encLen;
}

/** Hash of the UTF-8 encoding of a (non-ASCII) string. */
function hashEncoded(v: string, seed: number): number {
  // No cache check: hash() is usually the first thing done with a string, and comparing it
  // with the last one costs a content comparison when the lengths match.
  const len = encodeFresh(v);
  return hashBytes(encBuf, 0, len, seed);
}

/**
 * The ASCII string of n (1..ASCII_CALL_MAX) bytes at p. One fromCharCode call with every byte
 * as an argument makes the string at once: appending char by char makes n strings, and two
 * calls of up to 8 bytes joined with + (as this was) took twice as long for a 9-16 byte string
 * (52 ns against 27, quick loops on Node 20).
 */
function asciiString(u8: Uint8Array, p: number, n: number): string {
  const f = String.fromCharCode;
  switch (n) {
    case 1:
      return f(u8[p]);
    case 2:
      return f(u8[p], u8[p + 1]);
    case 3:
      return f(u8[p], u8[p + 1], u8[p + 2]);
    case 4:
      return f(u8[p], u8[p + 1], u8[p + 2], u8[p + 3]);
    case 5:
      return f(u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4]);
    case 6:
      return f(u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5]);
    case 7:
      return f(u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6]);
    case 8:
      return f(u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7]);
    case 9:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8],
      );
    case 10:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9],
      );
    case 11:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10],
      );
    case 12:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10], u8[p + 11],
      );
    case 13:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10], u8[p + 11], u8[p + 12],
      );
    case 14:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10], u8[p + 11], u8[p + 12], u8[p + 13],
      );
    case 15:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10], u8[p + 11], u8[p + 12], u8[p + 13], u8[p + 14],
      );
    default:
      return f(
        u8[p], u8[p + 1], u8[p + 2], u8[p + 3], u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7],
        u8[p + 8], u8[p + 9], u8[p + 10], u8[p + 11], u8[p + 12], u8[p + 13], u8[p + 14],
        u8[p + 15],
      );
  }
}

/**
 * equal() for a string whose words hash() has not just built (non-ASCII, longer than 40 chars,
 * or not hashed last): compares the stored UTF-8 bytes with v's chars, encoding v only when
 * the lengths say it may be non-ASCII and equal.
 */
function equalChars(heap: Heap, off: number, v: string): boolean {
  const u32 = heap.u32;
  const len = byteLen(u32, off >>> 2);
  const p = bytesAt(u32, off);
  const n = v.length;
  const u8 = heap.u8;
  if (len === n) {
    // Equal lengths: equal only if v is ASCII and matches byte for byte. A non-ASCII v is
    // longer in UTF-8 than len, so any char above 0x7f means "not equal".
    for (let j = 0; j < n; j++) {
      const c = v.charCodeAt(j);
      if (c !== u8[p + j] || c > 0x7f) return false;
    }
    return true;
  }
  if (len < n || len > n * 3) return false;
  const elen = encode(v);
  if (elen !== len) return false;
  const buf = encBuf;
  for (let j = 0; j < len; j++) {
    if (u8[p + j] !== buf[j]) return false;
  }
  return true;
}

export class StringType implements GoType<string> {
  readonly kind = "string";
  readonly name = "string";
  readonly size = 16;
  readonly align = 8;
  readonly reflexive = true;
  readonly needKeyUpdate = true;
  readonly ownsMemory = true;
  readonly heapViews = 0;
  /** @internal The byte length of the block the last stage() call allocated. */
  stagedLen = 0;

  /** Only the kind: a lone surrogate is refused where non-ASCII strings are encoded (hash, write). */
  check(v: unknown, what?: string): asserts v is string {
    if (typeof v !== "string") throw wrongKind(v, "string", what);
  }

  hash(v: string, seed: number): number {
    // The ASCII fast path: hashBytes' words, built from char codes (the last one zero-padded)
    // in one loop with one hashWord, which keeps the function small (string lookups measured
    // 3% faster than with a separate tail). A char above 0x7f sends the string to the encoded
    // path once the loop is done.
    const n = v.length;
    if (n > HASH_CHARS_MAX) return hashEncoded(v, seed);
    // The cache is rewritten below: until it holds all of v's words it holds no string's.
    wordsStr = null;
    let h = hashStart(seed);
    const k = wordKey(seed);
    let any = 0;
    for (let i = 0; i < n; i += 4) {
      const c0 = v.charCodeAt(i);
      const c1 = i + 1 < n ? v.charCodeAt(i + 1) : 0;
      const c2 = i + 2 < n ? v.charCodeAt(i + 2) : 0;
      const c3 = i + 3 < n ? v.charCodeAt(i + 3) : 0;
      any |= c0 | c1 | c2 | c3;
      const w = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
      words[i >>> 2] = w;
      h = hashWord(h, Math.imul(w ^ seed, k)); // each word keyed, as hashBytes does (hash/hash.ts says why)
    }
    if (any > 0x7f) return hashEncoded(v, seed);
    wordsStr = v;
    return hashEnd(h, n);
  }

  hashAt(heap: Heap, off: number, seed: number): number {
    // Stored bytes start 8-aligned (inline in the slot, or a block) and are zero-padded.
    const u32 = heap.u32;
    return hashWords(u32, bytesAt(u32, off) >>> 2, byteLen(u32, off >>> 2), seed);
  }

  equal(heap: Heap, off: number, v: string): boolean {
    // The common case alone, so that the lookup's whole path fits V8's inlining budget with
    // hash() in it: hash(v) has just built v's words (ASCII, at most 40 chars), so compare the
    // stored length and then the words with the stored block's.
    if (v !== wordsStr) return equalChars(heap, off, v);
    const u32 = heap.u32;
    const n = v.length;
    const i = off >>> 2;
    if (byteLen(u32, i) !== n) return false;
    const w = bytesAt(u32, off) >>> 2;
    const i32 = heap.i32;
    for (let j = 0, k = (n + 3) >>> 2; j < k; j++) if (i32[w + j] !== words[j]) return false;
    return true;
  }

  equalAt(heap: Heap, a: number, b: number): boolean {
    const u32 = heap.u32;
    const len = byteLen(u32, a >>> 2);
    if (len !== byteLen(u32, b >>> 2)) return false;
    const pa = bytesAt(u32, a);
    const pb = bytesAt(u32, b);
    if (pa === pb) return true;
    const u8 = heap.u8;
    for (let k = 0; k < len; k++) {
      if (u8[pa + k] !== u8[pb + k]) return false;
    }
    return true;
  }

  write(heap: Heap, off: number, v: string): void {
    if (v === wordsStr) {
      this.writeWords(heap, off, v);
      return;
    }
    const p = this.stage(heap, v);
    this.commit(heap, off, p, this.stagedLen, v);
  }

  /**
   * write() of the string hash() just built the words of (ASCII, at most 40 chars, so as many
   * bytes): the words are its bytes, stored a word at a time, inline or in a new block. The
   * block is allocated before the slot is touched, so a failed allocation leaves it as it was.
   */
  private writeWords(heap: Heap, off: number, v: string): void {
    const n = v.length;
    const k = (n + 3) >>> 2;
    if (n > INLINE_MAX) {
      // A block of its own, filled a word at a time; commit() frees the old one and writes
      // the header, as for any other long string.
      const p = heap.alloc(n);
      const u32 = heap.u32; // after alloc: it may have replaced the buffer
      for (let j = 0, w = p >>> 2; j < k; j++) u32[w + j] = words[j];
      this.commit(heap, off, p, n, v);
      return;
    }
    const old = this.blockOf(heap, off);
    if (old !== 0) heap.free(old);
    // Inline (the empty string is all zeros): the words, zeros after them, then the mark.
    const u32 = heap.u32;
    const i = off >>> 2;
    u32[i] = k > 0 ? words[0] : 0;
    u32[i + 1] = k > 1 ? words[1] : 0;
    u32[i + 2] = k > 2 ? words[2] : 0;
    u32[i + 3] = n === 0 ? 0 : INLINE + n;
  }

  /**
   * @internal First half of write(): allocates and fills a block with v's UTF-8 bytes and
   * returns its offset, leaving the byte length in stagedLen; returns 0 (no block) for a
   * string that will be stored inline. The slot is not touched, so a caller that fails later
   * frees the block and the slot is as it was.
   */
  stage(heap: Heap, v: string): number {
    const n = v.length;
    if (n === 0) {
      this.stagedLen = 0;
      return 0;
    }
    if (n <= WRITE_CHARS_MAX) {
      let ascii = true;
      for (let j = 0; j < n; j++) {
        if (v.charCodeAt(j) > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.stagedLen = n;
        if (n <= INLINE_MAX) return 0;
        const p = heap.alloc(n);
        const u8 = heap.u8; // after alloc: it may have replaced the buffer
        for (let j = 0; j < n; j++) u8[p + j] = v.charCodeAt(j);
        return p;
      }
    }
    const len = encode(v);
    this.stagedLen = len;
    if (len <= INLINE_MAX) return 0;
    const p = heap.alloc(len);
    const u8 = heap.u8;
    const buf = encBuf;
    if (len <= COPY_LOOP_MAX) {
      for (let j = 0; j < len; j++) u8[p + j] = buf[j];
    } else {
      u8.set(buf.length === len ? buf : buf.subarray(0, len), p);
    }
    return p;
  }

  /**
   * @internal Second half of write(): frees the block of the string stored at `off` (if any)
   * and stores v: the header of its staged block p, or its bytes inline. Cannot fail.
   */
  commit(heap: Heap, off: number, p: number, len: number, v: string): void {
    const u32 = heap.u32;
    const i = off >>> 2;
    if (u32[i + 3] === 0 && u32[i + 2] !== 0) heap.free(u32[i]);
    if (len === 0 || len > INLINE_MAX) {
      u32[i] = p;
      u32[i + 1] = 0;
      u32[i + 2] = len;
      u32[i + 3] = 0;
      return;
    }
    u32[i] = 0;
    u32[i + 1] = 0;
    u32[i + 2] = 0;
    const u8 = heap.u8;
    if (len === v.length) {
      for (let j = 0; j < len; j++) u8[off + j] = v.charCodeAt(j);
    } else {
      encode(v);
      const buf = encBuf;
      for (let j = 0; j < len; j++) u8[off + j] = buf[j];
    }
    u32[i + 3] = INLINE + len;
  }

  read(heap: Heap, off: number): string {
    const u32 = heap.u32;
    const len = byteLen(u32, off >>> 2);
    if (len === 0) return "";
    const p = bytesAt(u32, off);
    const u8 = heap.u8;
    if (len <= READ_CHARS_MAX) {
      let any = 0;
      for (let j = 0; j < len; j++) any |= u8[p + j];
      if (any <= 0x7f) {
        if (len <= ASCII_CALL_MAX) return asciiString(u8, p, len);
        const rest = asciiString(u8, p + ASCII_CALL_MAX, len - ASCII_CALL_MAX);
        return asciiString(u8, p, ASCII_CALL_MAX) + rest;
      }
    }
    // TextDecoder may refuse views of a SharedArrayBuffer (browsers do): decode a copy.
    return decoder.decode(heap.shared ? u8.slice(p, p + len) : u8.subarray(p, p + len));
  }

  /** The heap block holding the bytes of the string stored at off, or 0 (inline or empty). */
  blockOf(heap: Heap, off: number): number {
    const u32 = heap.u32;
    const i = off >>> 2;
    return u32[i + 3] === 0 && u32[i + 2] !== 0 ? u32[i] : 0;
  }

  release(heap: Heap, off: number): void {
    const u32 = heap.u32;
    const i = off >>> 2;
    if (u32[i + 3] === 0 && u32[i + 2] !== 0) heap.free(u32[i]);
    u32[i] = 0;
    u32[i + 1] = 0;
    u32[i + 2] = 0;
    u32[i + 3] = 0;
  }

  zero(): string {
    return "";
  }
}

/** Go's string. */
export const string: StringType = new StringType();
