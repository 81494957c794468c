// Tests of src/hash/hash.ts and src/hash/rand.ts: the seeded 64-bit hash (as two u32
// halves) and fastrand.
//
// Pinned: hashBytes is the word-by-word hash (hashStart/hashWord/hashEnd) over little-endian
// words, each keyed by the seed (imul(w ^ seed, wordKey(seed))), which the string type's fast
// path relies on; no set of strings shares one hash in every map (hash flooding); hash32 never maps two words to one lo;
// the seed matters; floats hash as Go's f64hash (+0 and -0 alike, NaN at random);
// sequential keys spread evenly over buckets (low bits) and over tophash bytes (top byte of
// the high half), which is what the map's speed rests on; fastrand is repeatable once seeded.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { hash32, hash64, hashBytes, hashEnd, hashF32, hashF64, hashOut, hashStart, hashWord, hashWords, wordKey } from "../../src/hash/hash.js";
import { string } from "../../src/types/string.js";
import { fastrand, seedFastrand } from "../../src/hash/rand.js";

/** A hash as [lo, hi], both as unsigned words. */
function pair(lo: number): [number, number] {
  return [lo >>> 0, hashOut.hi >>> 0];
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });

test("hash: halves are int32 values (the same 32 bits as the unsigned words)", () => {
  for (let s = 0; s < 100; s++) {
    const lo = hash64(s * 7919, s, s * 31);
    assert.equal(lo, lo | 0, "lo is an int32");
    assert.equal(hashOut.hi, hashOut.hi | 0, "hi is an int32");
  }
});

test("hash: hashBytes is the word-by-word hash (hashStart, hashWord, hashEnd) over little-endian words keyed by the seed, both halves (property)", () => {
  // The string type's ASCII fast path builds these words from char codes and relies on this.
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), u32, fc.nat({ max: 7 }), (bytes, seed, at) => {
      const buf = new Uint8Array(bytes.length + 8);
      buf.set(bytes, at);
      let h = hashStart(seed);
      const k = wordKey(seed);
      const keyed = (w: number): number => Math.imul(w ^ seed, k);
      const len = bytes.length;
      let i = 0;
      for (; i + 4 <= len; i += 4) h = hashWord(h, keyed(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)));
      if (i < len) {
        let w = 0;
        for (let j = 0; i + j < len; j++) w |= bytes[i + j] << (8 * j);
        h = hashWord(h, keyed(w));
      }
      const manual = pair(hashEnd(h, len));
      assert.deepEqual(pair(hashBytes(buf, at, len, seed)), manual);
      assert.deepEqual(pair(hashBytes(bytes, 0, len, seed)), manual, "the offset does not matter");
    }),
  );
});

test("hash: hash32 is a bijection of the word for a fixed seed: distinct words never share lo", () => {
  for (const seed of [0, 0x9e3779b9, -1]) {
    const los = new Set<number>();
    for (let w = 0; w < 100_000; w++) los.add(hash32(w * 40503, seed));
    assert.equal(los.size, 100_000);
  }
});

test("hash: hash64 depends on both words, and is deterministic (property)", () => {
  fc.assert(
    fc.property(u32, u32, u32, fc.integer({ min: 0, max: 31 }), (lo, hi, seed, bit) => {
      const h = pair(hash64(lo, hi, seed));
      assert.deepEqual(pair(hash64(lo, hi, seed)), h);
      assert.notDeepEqual(pair(hash64(lo ^ (1 << bit), hi, seed)), h, "the low word matters");
      assert.notDeepEqual(pair(hash64(lo, hi ^ (1 << bit), seed)), h, "the high word matters");
    }),
  );
  // Keys differing only in the high word spread over buckets like any others.
  const buckets = new Uint32Array(256);
  for (let hi = 0; hi < 25_600; hi++) buckets[hash64(7, hi, 3) & 255]++;
  for (const c of buckets) assert.ok(c > 40 && c < 160, `high-word keys: a bucket got ${c} of mean 100`);
});

test("hash: hashBytes reads a short tail as a zero-padded word, and the length matters", () => {
  const seed = 12345;
  const abc = new TextEncoder().encode("abc");
  const padded = new Uint8Array([0x61, 0x62, 0x63, 0]);
  // Same words, different lengths: the length is mixed in, so they differ.
  const h3 = pair(hashBytes(abc, 0, 3, seed));
  const h4 = pair(hashBytes(padded, 0, 4, seed));
  assert.notDeepEqual(h3, h4);
  // The empty input is stable and depends on the seed.
  const e1 = pair(hashBytes(new Uint8Array(0), 0, 0, 1));
  assert.deepEqual(pair(hashBytes(new Uint8Array(8), 3, 0, 1)), e1);
  assert.notDeepEqual(pair(hashBytes(new Uint8Array(0), 0, 0, 2)), e1);
  // Bytes outside [off, off+len) do not matter.
  const a = new Uint8Array([9, 9, 1, 2, 3, 4, 5, 9]);
  const b = new Uint8Array([7, 7, 1, 2, 3, 4, 5, 7]);
  assert.deepEqual(pair(hashBytes(a, 2, 5, seed)), pair(hashBytes(b, 2, 5, seed)));
});

test("hash: seeds change results (both halves), equal seeds give equal results", () => {
  let sameLo = 0;
  let sameHi = 0;
  for (let k = 0; k < 1000; k++) {
    const a = pair(hash32(k, 1));
    const b = pair(hash32(k, 2));
    assert.deepEqual(pair(hash32(k, 1)), a, "deterministic");
    if (a[0] === b[0]) sameLo++;
    if (a[1] === b[1]) sameHi++;
    const c = pair(hash64(k, 0, 1));
    const d = pair(hash64(k, 0, 0x80000000));
    if (c[0] === d[0]) sameLo++;
    if (c[1] === d[1]) sameHi++;
  }
  assert.ok(sameLo < 3 && sameHi < 3, `seeds barely matter: ${sameLo} equal lo, ${sameHi} equal hi`);
});

test("hash: hashF64 and hashF32: +0 and -0 hash alike, other values hash their bits", () => {
  for (const seed of [0, 1, 0xdeadbeef]) {
    assert.deepEqual(pair(hashF64(-0, seed)), pair(hashF64(0, seed)));
    assert.deepEqual(pair(hashF32(-0, seed)), pair(hashF32(0, seed)));
    const f64 = new Float64Array([1.5]);
    const w = new Uint32Array(f64.buffer);
    assert.deepEqual(pair(hashF64(1.5, seed)), pair(hash64(w[0], w[1], seed)));
    const f32 = new Float32Array([1.5]);
    assert.deepEqual(pair(hashF32(1.5, seed)), pair(hash32(new Uint32Array(f32.buffer)[0], seed)));
    assert.notDeepEqual(pair(hashF64(Infinity, seed)), pair(hashF64(-Infinity, seed)));
    assert.notDeepEqual(pair(hashF64(1, seed)), pair(hashF64(-1, seed)));
  }
});

test("hash: NaN hashes differ between calls (a NaN key never meets another)", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(pair(hashF64(NaN, 7)).join(","));
  assert.equal(seen.size, 200, "200 NaN hashes are all different");
  const seen32 = new Set<string>();
  for (let i = 0; i < 200; i++) seen32.add(pair(hashF32(NaN, 7)).join(","));
  assert.equal(seen32.size, 200);
});

/** Chi-square-ish spread check: max bucket load vs the mean. */
function spread(counts: Uint32Array, n: number): { max: number; min: number; mean: number } {
  let max = 0;
  let min = Infinity;
  for (const c of counts) {
    if (c > max) max = c;
    if (c < min) min = c;
  }
  return { max, min, mean: n / counts.length };
}

test("hash: 1e5 sequential u32 keys spread evenly over 1024 buckets and over tophash bytes", () => {
  const n = 100_000;
  for (const seed of [0, 0x12345678, 0xffffffff]) {
    const buckets = new Uint32Array(1024);
    const tops = new Uint32Array(256);
    for (let k = 0; k < n; k++) {
      const lo = hash32(k, seed);
      buckets[lo & 1023]++;
      tops[hashOut.hi >>> 24]++;
    }
    const b = spread(buckets, n);
    // Binomial spread: mean 97.7, sd 9.9; the bounds are 6 sd out.
    assert.ok(b.max < 1.6 * b.mean, `bucket max ${b.max} vs mean ${b.mean.toFixed(1)} (seed ${seed})`);
    assert.ok(b.min > 0.4 * b.mean, `bucket min ${b.min} vs mean ${b.mean.toFixed(1)}`);
    const t = spread(tops, n);
    assert.ok(t.max < 1.3 * t.mean && t.min > 0.7 * t.mean, `tophash byte spread ${t.min}..${t.max}, mean ${t.mean}`);
  }
});

test("hash: 1e5 sequential u64 keys (high word 0 and 1) spread evenly, as do short strings", () => {
  const n = 100_000;
  const buckets = new Uint32Array(1024);
  const tops = new Uint32Array(256);
  for (let k = 0; k < n; k++) {
    const lo = hash64(k, k & 1, 99);
    buckets[lo & 1023]++;
    tops[hashOut.hi >>> 24]++;
  }
  const b = spread(buckets, n);
  assert.ok(b.max < 1.6 * b.mean && b.min > 0.4 * b.mean, `u64 buckets ${b.min}..${b.max}`);
  const t = spread(tops, n);
  assert.ok(t.max < 1.3 * t.mean && t.min > 0.7 * t.mean, `u64 tophash ${t.min}..${t.max}`);
  const sb = new Uint32Array(1024);
  const enc = new TextEncoder();
  const m = 50_000;
  for (let k = 0; k < m; k++) {
    const bytes = enc.encode(`key${k}`);
    sb[hashBytes(bytes, 0, bytes.length, 5) & 1023]++;
  }
  const s = spread(sb, m);
  // Mean 48.8, sd 7: 7 sd out.
  assert.ok(s.max < 2 * s.mean && s.min > 0.2 * s.mean, `string buckets ${s.min}..${s.max}, mean ${s.mean}`);
});

test("hash: one flipped input bit changes about half the output bits (avalanche)", () => {
  let total = 0;
  let samples = 0;
  for (let k = 0; k < 2000; k++) {
    const a = pair(hash32(k * 2654435761, 3));
    const bit = k % 32;
    const b = pair(hash32((k * 2654435761) ^ (1 << bit), 3));
    total += popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
    samples += 64;
  }
  const ratio = total / samples;
  assert.ok(ratio > 0.45 && ratio < 0.55, `flipped-bit ratio ${ratio}`);
});

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

test("rand: fastrand gives u32 values; seedFastrand makes a run repeatable", () => {
  seedFastrand(42);
  const a: number[] = [];
  for (let i = 0; i < 50; i++) a.push(fastrand());
  for (const x of a) assert.ok(Number.isInteger(x) && x >= 0 && x <= 0xffffffff);
  assert.ok(new Set(a).size > 45, "not stuck");
  seedFastrand(42);
  const b: number[] = [];
  for (let i = 0; i < 50; i++) b.push(fastrand());
  assert.deepEqual(b, a, "same seed, same sequence");
  seedFastrand(43);
  const c: number[] = [];
  for (let i = 0; i < 50; i++) c.push(fastrand());
  assert.notDeepEqual(c, a, "another seed, another sequence");
  // An all-zero seed would make xorshift stuck at 0; it is avoided.
  seedFastrand(0, 0, 0, 0);
  const z = [fastrand(), fastrand(), fastrand(), fastrand()];
  assert.ok(z.some((x) => x !== 0), "an all-zero seed still produces non-zero output");
});

test("rand: fastrand bits are roughly uniform", () => {
  seedFastrand(7);
  const ones = new Uint32Array(32);
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const x = fastrand();
    for (let b = 0; b < 32; b++) if ((x >>> b) & 1) ones[b]++;
  }
  for (let b = 0; b < 32; b++) {
    assert.ok(Math.abs(ones[b] / n - 0.5) < 0.03, `bit ${b} is set ${ones[b]} times of ${n}`);
  }
  const low3 = new Uint32Array(8);
  for (let i = 0; i < 8000; i++) low3[fastrand() & 7]++;
  for (const c of low3) assert.ok(c > 850 && c < 1150, `low 3 bits: ${[...low3]}`);
});

test("hashWords: the same hash as hashBytes over zero-padded, 4-aligned bytes, lo and hi", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(7), fc.integer(), (bytes, words, seed) => {
      const u32 = new Uint32Array(words + ((bytes.length + 3) >>> 2) + 1);
      const u8 = new Uint8Array(u32.buffer);
      u8.set(bytes, words * 4);
      const lo = hashBytes(u8, words * 4, bytes.length, seed);
      const hi = hashOut.hi;
      assert.equal(hashWords(u32, words, bytes.length, seed), lo);
      assert.equal(hashOut.hi, hi);
    }),
  );
});

/**
 * 2^m strings of 8m ASCII bytes with one MurmurHash3_x86_32 hash whatever the seed: the body
 * mixes a word w as T(w) = rotl15(w * c1) * c2, a bijection that ignores the seed, and the state
 * update h = rotl13(h ^ T(w)) * 5 + c turns a T difference of bit 18 (bit 31 once rotated, which
 * the multiply by 5 keeps) into a state difference of bit 31, which a bit-31 T difference in the
 * next word cancels. Each 8-byte segment has two spellings; any choice of spellings collides.
 */
function murmurMulticollision(m: number): string[] {
  const C1 = 0xcc9e2d51;
  const C2 = 0x1b873593;
  const inverse = (a: number): number => {
    let x = a;
    for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
    return x >>> 0;
  };
  const i1 = inverse(C1);
  const i2 = inverse(C2);
  const tInverse = (y: number): number => {
    const x = Math.imul(y, i2) >>> 0;
    return Math.imul(((x >>> 15) | (x << 17)) >>> 0, i1) >>> 0;
  };
  const ascii = (w: number): boolean => (w & 0x80808080) === 0;
  const text = (w: number): string => String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
  const segments: [string, string][] = [];
  let r = 12345;
  while (segments.length < m) {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    const ta = r;
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    const tb = r ^ (ta >>> 7);
    const words = [tInverse(ta), tInverse(ta ^ 0x40000), tInverse(tb), tInverse((tb ^ 0x80000000) >>> 0)];
    if (words.every(ascii)) segments.push([text(words[0]) + text(words[2]), text(words[1]) + text(words[3])]);
  }
  const out: string[] = [];
  for (let i = 0; i < 1 << m; i++) out.push(segments.map((s, j) => s[(i >>> j) & 1]).join(""));
  return out;
}

test("hash: strings built to share one MurmurHash3 hash in every map spread over gomap's hashes, whatever the seed (hash flooding)", () => {
  const keys = murmurMulticollision(12);
  // The construction is right: with MurmurHash3's own body (the words unkeyed), all 4096 keys
  // share one hash for every seed, so a map of them walked one chain on every insert (16,000
  // such inserts took 2.4 s, against 25 ms for other keys of that length).
  const unkeyed = (v: string, seed: number): number => {
    let h = hashStart(seed);
    for (let i = 0; i < v.length; i += 4) h = hashWord(h, v.charCodeAt(i) | (v.charCodeAt(i + 1) << 8) | (v.charCodeAt(i + 2) << 16) | (v.charCodeAt(i + 3) << 24));
    return hashEnd(h, v.length);
  };
  for (const seed of [0, 1, 0xdeadbeef]) assert.equal(new Set(keys.map((k) => unkeyed(k, seed))).size, 1);
  // gomap's hash keys each word by the seed: the same keys spread, even for seeds of few bits.
  for (const seed of [0, 1, 2, 0x80000000 | 0, -1, 0x5bd1e995, 0xdeadbeef | 0]) {
    const his = new Set<number>();
    const los = new Set<number>();
    for (const k of keys) {
      los.add(string.hash(k, seed));
      his.add(hashOut.hi);
    }
    assert.ok(los.size >= keys.length - 2, `seed ${seed}: ${los.size} distinct hashes for ${keys.length} keys`);
    assert.ok(his.size >= keys.length - 2, `seed ${seed}: ${his.size} distinct high halves`);
  }
});
