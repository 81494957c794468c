// gomap's default hash: a seeded 64-bit hash, computed as two u32 halves (DESIGN principle 2).
//
// A hash is (lo, hi). lo picks the bucket (its low B bits, and bit B while a map doubles);
// the top byte of hi is the tophash. The functions return lo and leave hi in `hashOut.hi`,
// so a hash costs no allocation; read hashOut.hi straight after the call. Both halves are
// int32 values (the same 32 bits as the unsigned word): V8 keeps an int32 unboxed across a
// call, where a uint32 above 2^31 would become a heap number.
//
// The core is two MurmurHash3 lanes (x86_32 body constants for lane A, the x86_128 lane
// constants for lane B) over the input's 32-bit words, then MurmurHash3's fmix32 on both
// lanes with a cross-add, as MurmurHash3_x86_128 finishes. Each lane starts from the map's
// 32-bit seed (Go's hash0) mixed with a process-wide random key (Go's hashkey), so two maps,
// or two runs, place the same keys differently. Every function here agrees with hashWords
// over the same words, so a key hashed from a JS value and the same key hashed from its
// stored bytes give the same 64 bits.

/** The high half of the last hash computed (int32). */
export const hashOut = { hi: 0 };

const keyWords = new Uint32Array(2);
crypto.getRandomValues(keyWords);
/** The process-wide hash keys (Go's hashkey), forced odd as Go forces them. */
const K0 = keyWords[0] | 1;
const K1 = keyWords[1] | 1;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const C3 = 0x239b961b;
const C4 = 0xab0e9789;

/** Lane A: one MurmurHash3 round. */
export function mixA(h: number, w: number): number {
  w = Math.imul(w, C1);
  w = (w << 15) | (w >>> 17);
  h ^= Math.imul(w, C2);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Lane B: a round with lane B's constants. */
export function mixB(h: number, w: number): number {
  w = Math.imul(w, C3);
  w = (w << 16) | (w >>> 16);
  h ^= Math.imul(w, C4);
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 5) + 0x0bcaa747) | 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Lane A's starting state for a map seed. */
export function seedA(seed: number): number {
  return seed ^ K0;
}

/** Lane B's starting state for a map seed. */
export function seedB(seed: number): number {
  return Math.imul(seed, 0x9e3779b1) ^ K1;
}

/** Finishes two lanes over `len` bytes of input: returns lo, leaves hi in hashOut.hi. */
export function finish(a: number, b: number, len: number): number {
  a ^= len;
  b ^= len;
  a = (a + b) | 0;
  b = (b + a) | 0;
  a = fmix32(a);
  b = fmix32(b);
  a = (a + b) | 0;
  hashOut.hi = (b + a) | 0;
  return a;
}

/** The high half for a mixed low half: one more multiply, so hi's top byte (the tophash)
 *  depends on every bit of lo. */
function spreadHi(lo: number): number {
  return Math.imul(lo ^ (lo >>> 15), 0x2c1b3c6d) ^ K1;
}

/**
 * Hash of one 32-bit word (u32, i32, f32 bits, and 1- and 2-byte values widened): fmix32 of
 * the word mixed with the seed and key. fmix32 is a bijection, so distinct words never share
 * a lo, and a bucket's keys always differ in hi as well.
 */
export function hash32(w: number, seed: number): number {
  const lo = fmix32(w ^ seed ^ K0);
  hashOut.hi = spreadHi(lo);
  return lo;
}

/** Hash of a 64-bit value given as its low and high words. */
export function hash64(lo: number, hi: number, seed: number): number {
  const h = fmix32(Math.imul(fmix32(lo ^ seed ^ K0) ^ hi, C1) ^ K1);
  hashOut.hi = spreadHi(h);
  return h;
}

/**
 * Hash of `len` bytes at byte offset `off` of `u8`, read as little-endian words with a zero-
 * padded tail word. `off` need not be aligned.
 */
export function hashBytes(u8: Uint8Array, off: number, len: number, seed: number): number {
  let a = seedA(seed);
  let b = seedB(seed);
  const end = off + (len & ~3);
  let i = off;
  for (; i < end; i += 4) {
    const w = u8[i] | (u8[i + 1] << 8) | (u8[i + 2] << 16) | (u8[i + 3] << 24);
    a = mixA(a, w);
    b = mixB(b, w);
  }
  const rest = len & 3;
  if (rest !== 0) {
    let w = u8[i];
    if (rest > 1) w |= u8[i + 1] << 8;
    if (rest > 2) w |= u8[i + 2] << 16;
    a = mixA(a, w);
    b = mixB(b, w);
  }
  return finish(a, b, len);
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
