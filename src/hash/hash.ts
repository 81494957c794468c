// gomap's default hash: a seeded 64-bit hash, computed as two u32 halves (DESIGN principle 2).
//
// A hash is (lo, hi). lo picks the bucket (its low B bits, and bit B while a map doubles);
// the top byte of hi is the tophash. The functions return lo and leave hi in `hashOut.hi`,
// so a hash costs no allocation; read hashOut.hi straight after the call. Both halves are
// int32 values (the same 32 bits as the unsigned word): V8 keeps an int32 unboxed across a
// call, where a uint32 above 2^31 would become a heap number.
//
// lo is MurmurHash3's fmix32 finaliser over the key's 32-bit words (MurmurHash3_x86_32's
// body for byte strings), started from the map's 32-bit seed (Go's hash0, random per map),
// so two maps, or two runs, place the same keys differently. A byte string's words are each
// keyed by the seed before they are mixed in, as imul(w ^ seed, wordKey(seed)): MurmurHash3's
// own body treats a word alike whatever the seed, which lets anyone make thousands of strings
// with one hash in every map (a seed-independent multicollision: two 8-byte blocks whose mixed
// words differ in bits 18 and 31 leave the state as it was; test/hash/hash.test.ts builds
// them), and a map of them then walks one chain on every insert, a hash-flooding attack. XOR
// alone is not enough: where a word pair and the seed share no set bits, the XOR acts as an
// addition, which the multiplies carry through, so pairs built for it still collide for half
// the seeds or more. The secret odd multiplier scales any difference by a factor the caller
// does not know. hi is one more multiply of lo,
// so the tophash depends on every bit of lo. A type hashes a JS value and its stored bytes
// with the same function, so both agree.
//
// Unlike Go there is no process-wide key (Go's hashkey): a hash depends only on the key and
// the map's hash0, which lives in the heap, so a buffer saved to a file or handed to another
// thread hashes alike in every process (DESIGN principle 6). hash0 comes from the platform's
// cryptographic source (rand.ts seedrand), not from fastrand, whose outputs a program shows;
// only after seedFastrand (a repeatable run: tests, the playground's replays) from fastrand.

/** The high half of the last hash computed (int32). */
export const hashOut = { hi: 0 };

/**
 * Math.imul, read once: `Math.imul(...)` is a global read, a property read and a method call
 * in V8's bytecode, 3 bytes more a call than this, and hash32's three of them sit on every u32
 * lookup, whose whole path must fit V8's inlining budget (runtime/generic/methods.ts). V8
 * knows this function for what it is and still compiles each call to one multiply.
 */
const imul = Math.imul;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * The odd multiplier that keys a byte string's words for a map's seed (see the header): a
 * bijection of the word for every seed, and 1 (no multiplier) for one seed in 2^32 only.
 */
export function wordKey(seed: number): number {
  return imul(seed ^ 0x5bd1e995, 0x9e3779b9) | 1;
}

/** The state a word-by-word hash starts from, for a map's seed. */
export function hashStart(seed: number): number {
  return seed;
}

/** One MurmurHash3 (x86_32) round: folds the 32-bit word w into the state h. */
export function hashWord(h: number, w: number): number {
  w = imul(w, C1);
  w = (w << 15) | (w >>> 17);
  h ^= imul(w, C2);
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/** Finishes a word-by-word hash over `len` bytes: returns lo, leaves hi in hashOut.hi. */
export function hashEnd(h: number, len: number): number {
  const lo = fmix32(h ^ len);
  hashOut.hi = spreadHi(lo);
  return lo;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The high half for a mixed low half: one more multiply, so hi's top byte (the tophash)
 *  depends on every bit of lo. */
function spreadHi(lo: number): number {
  return imul(lo ^ (lo >>> 15), 0x2c1b3c6d);
}

/**
 * Hash of one 32-bit word (u32, i32, f32 bits, and 1- and 2-byte values widened): fmix32 of
 * the word mixed with the seed. fmix32 is a bijection, so distinct words never share
 * a lo, and a bucket's keys always differ in hi as well.
 */
export function hash32(w: number, seed: number): number {
  // fmix32 and spreadHi written out: this is on every u32 lookup's path, and the two calls
  // cost 19 bytes of the bytecode V8 will inline into a caller's loop (GoMap.lookup's path
  // fits that budget only without them; methods.ts).
  let h = w ^ seed;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  hashOut.hi = imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return h;
}

/** Hash of a 64-bit value given as its low and high words. */
export function hash64(lo: number, hi: number, seed: number): number {
  const h = fmix32(imul(fmix32(lo ^ seed) ^ hi, C1) ^ seed);
  hashOut.hi = spreadHi(h);
  return h;
}

/**
 * Hash of `len` bytes at byte offset `off` of `u8`, read as little-endian words with a zero-
 * padded tail word, each keyed by the seed (see the header). `off` need not be aligned.
 */
export function hashBytes(u8: Uint8Array, off: number, len: number, seed: number): number {
  let h = hashStart(seed);
  const k = wordKey(seed);
  const end = off + (len & ~3);
  let i = off;
  for (; i < end; i += 4) {
    h = hashWord(h, imul((u8[i] | (u8[i + 1] << 8) | (u8[i + 2] << 16) | (u8[i + 3] << 24)) ^ seed, k));
  }
  const rest = len & 3;
  if (rest !== 0) {
    let w = u8[i];
    if (rest > 1) w |= u8[i + 1] << 8;
    if (rest > 2) w |= u8[i + 2] << 16;
    h = hashWord(h, imul(w ^ seed, k));
  }
  return hashEnd(h, len);
}

/**
 * hashBytes of `len` bytes stored from the 4-aligned byte offset 4 * w and zero-padded to a
 * whole word (as gomap stores strings), read a word at a time: the same hash, since the
 * padding makes the last word the zero-padded tail word hashBytes builds.
 */
export function hashWords(u32: Uint32Array, w: number, len: number, seed: number): number {
  let h = hashStart(seed);
  const end = w + ((len + 3) >>> 2);
  const k = wordKey(seed);
  for (let i = w; i < end; i++) h = hashWord(h, imul(u32[i] ^ seed, k));
  return hashEnd(h, len);
}

// Float hashing, as Go's f64hash/f32hash: +0 and -0 hash alike, NaN hashes to a random value
// (so NaN keys spread over buckets and never meet), anything else hashes its bits.
const f64Scratch = new Float64Array(1);
const f64Words = new Uint32Array(f64Scratch.buffer);
const f32Scratch = new Float32Array(1);
const f32Word = new Uint32Array(f32Scratch.buffer);

import { fastrand } from "./rand.js";

/** Hash of a float64 key. */
export function hashF64(v: number, seed: number): number {
  if (v === 0) return hash64(0, 0, seed);
  if (v !== v) return hash64(fastrand(), fastrand(), seed);
  f64Scratch[0] = v;
  return hash64(f64Words[0], f64Words[1], seed);
}

/** Hash of a float32 key (v already rounded to float32). */
export function hashF32(v: number, seed: number): number {
  if (v === 0) return hash32(0, seed);
  if (v !== v) return hash64(fastrand(), fastrand(), seed);
  f32Scratch[0] = v;
  return hash32(f32Word[0], seed);
}
