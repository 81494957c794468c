import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { hashBytes } from "../../src/hash/hash.js";
import { Heap } from "../../src/memory/heap.js";
import { string } from "../../src/types/string.js";
import { hashAtOf, hashOf, newHeap, pair, slot, store, thrown } from "./helpers.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Strings of every shape the fast paths tell apart: ASCII, Latin-1, BMP, astral, long. */
const strings = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 70 }),
  fc.string({ unit: "binary", maxLength: 70 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 300, maxLength: 1200 }),
  fc.string({ unit: "binary-ascii", minLength: 100, maxLength: 2000 }),
  fc.constantFrom("", "a", "abcd", "abcde", "\ufeffBOM", "é", "日本語", "😀", "x".repeat(41), "é".repeat(41)),
);

/** The header words of the string slot at off. */
function header(heap: Heap, off: number): number[] {
  const i = off >>> 2;
  return [heap.u32[i], heap.u32[i + 1], heap.u32[i + 2], heap.u32[i + 3]];
}

test("string: layout and flags", () => {
  assert.equal(string.kind, "string");
  assert.equal(string.name, "string");
  assert.equal(string.size, 16);
  assert.equal(string.align, 8);
  assert.equal(string.reflexive, true);
  assert.equal(string.needKeyUpdate, true);
  assert.equal(string.ownsMemory, true);
  assert.equal(string.zero(), "");
});

test("string: over 12 bytes, the header is ptr, 0, len, 0 and the block holds the UTF-8 bytes", () => {
  const heap = newHeap();
  const s = "héllo, wörld";
  const off = store(heap, string, s);
  const [ptr, ptrHi, len, lenHi] = header(heap, off);
  assert.equal(ptrHi, 0);
  assert.equal(lenHi, 0);
  assert.equal(len, 14);
  assert.notEqual(ptr, 0);
  assert.deepEqual(heap.u8.slice(ptr, ptr + len), utf8(s));
  assert.ok(heap.sizeOf(ptr) >= 14);
});

test("string: up to 12 bytes, the bytes are inline and the last word is 0x80000000 + len", () => {
  const heap = newHeap();
  for (const s of ["a", "héllo", "twelve bytes", "ключ!"]) {
    const before = heap.stats();
    const off = slot(heap, string);
    const blocks = heap.stats().blocks;
    string.write(heap, off, s);
    const bytes = utf8(s);
    assert.ok(bytes.length <= 12);
    assert.equal(heap.stats().blocks, blocks, "an inline string allocates no block");
    assert.equal(heap.u32[(off >>> 2) + 3], 0x80000000 + bytes.length);
    assert.deepEqual(heap.u8.slice(off, off + bytes.length), bytes);
    assert.deepEqual(heap.u8.slice(off + bytes.length, off + 12), new Uint8Array(12 - bytes.length), "zero-padded");
    assert.equal(string.read(heap, off), s);
    string.release(heap, off);
    assert.deepEqual(header(heap, off), [0, 0, 0, 0]);
    heap.free(off);
    assert.equal(heap.stats().inUse, before.inUse);
  }
  // A 13-byte string takes a block.
  const off = store(heap, string, "thirteen byte");
  assert.equal(heap.u32[(off >>> 2) + 3], 0);
  assert.equal(heap.u32[(off >>> 2) + 2], 13);
});

test("string: an inline string replaced by a long one and back frees the block", () => {
  const heap = newHeap();
  const off = slot(heap, string);
  const base = heap.stats();
  string.write(heap, off, "short");
  assert.deepEqual(heap.stats(), base);
  string.write(heap, off, "a string long enough for a block");
  assert.equal(heap.stats().blocks, base.blocks + 1);
  string.write(heap, off, "short again");
  assert.equal(heap.stats().inUse, base.inUse);
  assert.equal(heap.stats().blocks, base.blocks);
  assert.equal(string.read(heap, off), "short again");
  assert.equal(string.equalAt(heap, off, store(heap, string, "short again")), true);
  assert.equal(string.equalAt(heap, off, store(heap, string, "short agaiN")), false);
});

test("string: the empty string is ptr 0 len 0 and allocates nothing", () => {
  const heap = newHeap();
  const off = slot(heap, string);
  const zeroed = slot(heap, string);
  const before = heap.stats();
  string.write(heap, off, "");
  assert.deepEqual(header(heap, off), [0, 0, 0, 0]);
  assert.deepEqual(heap.stats(), before);
  assert.equal(string.read(heap, off), "");
  assert.equal(string.read(heap, zeroed), "", "a zeroed slot reads as the empty string");
  assert.equal(string.equal(heap, off, ""), true);
  assert.equal(string.equal(heap, off, "a"), false);
  string.release(heap, off);
  assert.deepEqual(heap.stats(), before);
});

test("string: reads back an ASCII string of every length from 0 to 40 (each of read's byte counts)", () => {
  const heap = newHeap();
  const alphabet = "~ azAZ09!\x7f\x01";
  for (let n = 0; n <= 40; n++) {
    let s = "";
    for (let j = 0; j < n; j++) s += alphabet[(j * 7 + n) % alphabet.length];
    const off = store(heap, string, s);
    assert.equal(string.read(heap, off), s, `length ${n}`);
    string.release(heap, off);
  }
});

test("string: round trips every well-formed string (property)", () => {
  const heap = newHeap();
  fc.assert(
    fc.property(strings, (s) => {
      const off = store(heap, string, s);
      assert.equal(string.read(heap, off), s);
      const n = utf8(s).length;
      const last = heap.u32[(off >>> 2) + 3];
      assert.equal(n > 0 && n <= 12 ? last - 0x80000000 : heap.u32[(off >>> 2) + 2], n);
      string.release(heap, off);
      heap.free(off);
    }),
  );
  assert.equal(heap.stats().inUse, 0, "every block was given back");
});

test("string: hash(v) is hashBytes over the UTF-8 bytes and equals hashAt, hi included (property)", () => {
  const heap = newHeap();
  fc.assert(
    fc.property(strings, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
      const bytes = utf8(s);
      const want = pair(hashBytes(bytes, 0, bytes.length, seed));
      const off = store(heap, string, s);
      assert.deepEqual(hashOf(string, s, seed), want);
      assert.deepEqual(hashAtOf(string, heap, off, seed), want);
      string.release(heap, off);
    }),
  );
});

test("string: equal is content equality, whatever ran before it (property)", () => {
  fc.assert(
    fc.property(fc.array(strings, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), (ss, picks) => {
      const heap = newHeap();
      const offs = ss.map((s) => store(heap, string, s));
      for (let k = 0; k + 1 < picks.length; k += 2) {
        const i = picks[k] % ss.length;
        const j = picks[k + 1] % ss.length;
        // Interleave hashes so the encoding cache holds other strings than the one compared.
        if (k % 4 === 0) string.hash(ss[j], 1);
        assert.equal(string.equal(heap, offs[i], ss[j]), ss[i] === ss[j], `${JSON.stringify(ss[i])} vs ${JSON.stringify(ss[j])}`);
        assert.equal(string.equalAt(heap, offs[i], offs[j]), ss[i] === ss[j]);
      }
    }),
  );
});

test("string: equal is not fooled by Latin-1 chars that spell UTF-8 bytes", () => {
  const heap = newHeap();
  const off = store(heap, string, "é"); // bytes c3 a9
  assert.equal(string.equal(heap, off, "\u00c3\u00a9"), false);
  assert.equal(string.equal(heap, off, "é"), true);
  const e2 = store(heap, string, "\u00c3\u00a9"); // bytes c3 83 c2 a9
  assert.equal(string.equal(heap, e2, "é"), false);
  assert.equal(string.equalAt(heap, off, e2), false);
  // Same UTF-8 length, different content, non-ASCII on both sides.
  const jp = store(heap, string, "日本");
  assert.equal(string.equal(heap, jp, "日木"), false);
  assert.equal(string.equal(heap, jp, "日本"), true);
});

test("string: equal is false for a longer string whose UTF-8 bytes start with the stored ones", () => {
  // Lengths that send equal to the encoding compare: the stored bytes are fewer than v's
  // chars times 3 and more than v's chars, and v's encoding is longer than them.
  const heap = newHeap();
  for (const [stored, v] of [
    ["éé", "ééa"], // 4 bytes; 3 chars, 5 bytes
    ["日本", "日本a"], // 6 bytes; 3 chars, 7 bytes
    ["é".repeat(30), "é".repeat(30) + "x"], // a block of its own
  ]) {
    const off = store(heap, string, stored);
    assert.equal(string.equal(heap, off, v), false, `${stored} against ${v}`);
    assert.equal(string.equal(heap, off, stored), true);
  }
});

test("string: a leading U+FEFF survives the round trip", () => {
  const heap = newHeap();
  for (const s of ["\ufeff", "\ufeffx", "\ufeff".repeat(20) + "long enough for TextDecoder"]) {
    assert.equal(string.read(heap, store(heap, string, s)), s);
  }
});

test("string: reads from a shared heap", () => {
  const heap = Heap.create({ shared: true });
  assert.ok(heap.buffer instanceof SharedArrayBuffer);
  for (const s of ["short", "ü", "a longer ASCII string, more than sixteen bytes", "ünïcödé ".repeat(10)]) {
    const off = store(heap, string, s);
    assert.equal(string.read(heap, off), s);
    assert.deepEqual(hashAtOf(string, heap, off, 4), hashOf(string, s, 4));
  }
});

test("string: very long strings (beyond the scratch buffer) hash, compare and round trip", () => {
  const heap = newHeap();
  for (const s of ["é".repeat(400_000), "a".repeat(400_000) + "é", "x".repeat(1_100_000)]) {
    const off = store(heap, string, s);
    assert.equal(string.read(heap, off), s);
    assert.deepEqual(hashAtOf(string, heap, off, 8), hashOf(string, s, 8));
    assert.equal(string.equal(heap, off, s), true);
    assert.equal(string.equal(heap, off, s.slice(1) + "b"), false);
    string.release(heap, off);
    heap.free(off);
  }
  assert.equal(heap.stats().inUse, 0);
});

test("string: hash and write reject lone surrogates with a TypeError, writing nothing", () => {
  const heap = newHeap();
  const off = store(heap, string, "kept");
  const before = heap.stats();
  for (const s of ["\ud800", "a\udc00b", "😀".slice(0, 1), "x".repeat(50) + "\udfff"]) {
    for (const attempt of [() => string.hash(s, 1), () => string.write(heap, off, s)]) {
      const err = thrown(attempt);
      assert.ok(err instanceof TypeError);
      assert.match((err as Error).message, /^gomap: .* is not well-formed UTF-16 .* want string$/);
    }
  }
  assert.equal(string.read(heap, off), "kept");
  assert.deepEqual(heap.stats(), before);
  string.check("😀");
  string.check("");
  string.hash("😀", 1);
});

test("string: rejects non-strings with a TypeError naming string", () => {
  for (const v of [1, 1n, null, undefined, true, {}, ["a"], new String("a"), Symbol("s")]) {
    const err = thrown(() => string.check(v, "key"));
    assert.ok(err instanceof TypeError);
    assert.match((err as Error).message, /^gomap: cannot use .* as string key$/);
  }
});

test("string: an overwrite frees the old block, release frees and zeroes", () => {
  const heap = newHeap();
  const off = slot(heap, string);
  const base = heap.stats();
  string.write(heap, off, "first value, long enough to take a block");
  const one = heap.stats();
  assert.ok(one.inUse > base.inUse);
  assert.equal(one.blocks, base.blocks + 1);
  string.write(heap, off, "second value, just as long as the first!");
  assert.equal(heap.stats().inUse, one.inUse);
  assert.equal(heap.stats().blocks, one.blocks);
  string.write(heap, off, "");
  assert.equal(heap.stats().inUse, base.inUse);
  string.write(heap, off, "ünïcödé");
  string.release(heap, off);
  assert.equal(heap.stats().inUse, base.inUse);
  assert.equal(heap.stats().blocks, base.blocks);
  assert.deepEqual(header(heap, off), [0, 0, 0, 0]);
});

test("string: a write that exhausts the heap leaves the old value and inUse as they were", () => {
  const heap = Heap.create({ maxBytes: 4096 });
  const off = slot(heap, string);
  string.write(heap, off, "the old value");
  const before = heap.stats();
  const err = thrown(() => string.write(heap, off, "x".repeat(8000)));
  assert.ok(err instanceof HeapExhaustedError);
  assert.equal(string.read(heap, off), "the old value");
  assert.deepEqual(heap.stats(), before);
  const err2 = thrown(() => string.write(heap, off, "é".repeat(3000)));
  assert.ok(err2 instanceof HeapExhaustedError);
  assert.equal(string.read(heap, off), "the old value");
  assert.deepEqual(heap.stats(), before);
});

test("string: writes that grow the heap re-read its views", () => {
  const heap = Heap.create();
  // Strings of 12 bytes or fewer are inline and allocate nothing, so only longer ones here.
  for (const s of ["x".repeat(100), "é".repeat(100), "ascii, 16 chars.", "ключ-ключ"]) {
    const off = slot(heap, string);
    // Fill the heap to its end, so the string's block must grow the buffer.
    const room = heap.capacity - heap.stats().top;
    if (room > 8) heap.alloc(room - 8);
    assert.equal(heap.stats().top, heap.capacity);
    const cap = heap.capacity;
    const oldBuffer = heap.buffer;
    string.write(heap, off, s);
    assert.ok(heap.capacity > cap && heap.buffer !== oldBuffer, "the write grew the heap");
    assert.equal(string.read(heap, off), s);
  }
});

test("string: write() straight after hash() stores the hashed words: same bytes and header as the char-by-char path, every length 0..41", () => {
  const heap = newHeap();
  const viaWords = slot(heap, string);
  const viaChars = slot(heap, string);
  for (let n = 0; n <= 41; n++) {
    const s = Array.from({ length: n }, (_, j) => String.fromCharCode(33 + ((j * 7 + n) % 90))).join("");
    // Fill both slots with a long string first: the write must free its block.
    string.write(heap, viaWords, "a string long enough to own a heap block");
    string.write(heap, viaChars, "a string long enough to own a heap block");
    const before = heap.stats();
    string.write(heap, viaChars, s); // no hash() before it: the char-by-char path
    string.hash(s, 1);
    string.write(heap, viaWords, s); // the words path
    const after = heap.stats();
    assert.deepEqual(after.blocks, before.blocks - (n > 12 ? 0 : 2), `n=${n}: the old blocks are freed, a long string takes a new one`);
    assert.equal(string.read(heap, viaWords), s, `n=${n}`);
    assert.deepEqual(header(heap, viaWords).slice(1), header(heap, viaChars).slice(1), `n=${n}: the same header`);
    const len = n;
    const a = n > 12 ? heap.u32[viaWords >>> 2] : viaWords;
    const b = n > 12 ? heap.u32[viaChars >>> 2] : viaChars;
    assert.deepEqual(heap.u8.slice(a, a + Math.max(12, len)), heap.u8.slice(b, b + Math.max(12, len)), `n=${n}: the same bytes, zero-padded`);
    assert.deepEqual(hashAtOf(string, heap, viaWords, 9), hashOf(string, s, 9));
  }
});

test("string: a hash() cut short by a non-ASCII char leaves no stale words for the string hashed before it", () => {
  const heap = newHeap();
  const off = slot(heap, string);
  string.hash("abcd", 3);
  string.hash("wxyzé", 3); // rewrites the first word, then leaves for the encoded path
  string.write(heap, off, "abcd");
  assert.equal(string.read(heap, off), "abcd");
  string.hash("abcd", 3);
  string.hash("wxyzé", 3);
  assert.equal(string.equal(heap, off, "abcd"), true);
});

test("string: a non-ASCII char at any place of the ASCII fast path's words sends the string to the encoded hash", () => {
  // hash() builds words of 4 char codes and tests them all for ASCII; a char missed at one of
  // the 4 places would hash as some ASCII string, not as its UTF-8 bytes (hashAt's hash), and
  // the key would be lost when evacuation rehashes it.
  const heap = newHeap();
  for (const c of ["\u00e9", "\u65e5", "\u{1f642}"]) {
    for (let p = 0; p < 9; p++) {
      const v = "a".repeat(p) + c + "bcd";
      const off = store(heap, string, v);
      assert.deepEqual(hashOf(string, v, 0x1234567), hashAtOf(string, heap, off, 0x1234567), JSON.stringify(v));
    }
  }
});

test("string: long strings of 3-byte characters are stored whole (the encode buffer is sized for 3 bytes a unit)", () => {
  const heap = newHeap();
  for (const n of [300, 341, 342, 400, 700, 2000, 5000]) {
    const v = "\u65e5".repeat(n);
    const off = store(heap, string, v);
    assert.equal(string.read(heap, off), v, `${n} chars`);
    assert.equal(string.hash(v, 7), hashBytes(utf8(v), 0, 3 * n, 7), `${n} chars: hashed as its UTF-8 bytes`);
    assert.deepEqual(hashOf(string, v, 7), hashAtOf(string, heap, off, 7));
  }
});
