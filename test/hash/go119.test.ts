// Tests of src/hash/go119.ts: Go 1.19's portable hash, bit for bit.
//
// Three independent checks: the test vectors of the spec (§5.6, from a real Go 1.19.8 run);
// the vectors the harness's Go program dumps (fidelity/golden/vectors.json: memhash for every
// length 0..64 and longer ones across the 16- and 48-byte loops, strhash, f32hash, f64hash);
// and a property test against a second, BigInt implementation of the spec's formulas, over
// random bytes, lengths and 64-bit seeds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import fc from "fast-check";
import { Go119Hash } from "../../src/hash/go119.js";
import { hashOut } from "../../src/hash/hash.js";

const KEY = 0x0123456789abcdefn;
const go = new Go119Hash(KEY);

function full(lo: number): bigint {
  return (BigInt(hashOut.hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function memhash(bytes: Uint8Array, seed: bigint): bigint {
  return full(go.memhash(bytes, 0, bytes.length, Number(seed >> 32n), Number(seed & 0xffffffffn)));
}

function le(n: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return b;
}

const f64bytes = (f: number): Uint8Array => new Uint8Array(new Float64Array([f]).buffer);
const f32bytes = (f: number): Uint8Array => new Uint8Array(new Float32Array([f]).buffer);

test("go119: the spec's vectors from Go 1.19.8 (memhash64, memhash32, strhash, f64hash)", () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const alphabet100 = Array.from({ length: 100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
  const cases: [Uint8Array, bigint, bigint][] = [
    [le(0n, 8), 0n, 0xd50e1b4990c4dba7n],
    [le(1n, 8), 0n, 0x9f89c8b3218e02c6n],
    [le(0x0102030405060708n, 8), 0x9e3779b9n, 0x29c0251fccdd42bfn],
    [le(0xffffffffffffffffn, 8), 0xffffffffn, 0x1d2f5c83e1a46467n],
    [le(0n, 4), 0n, 0xcd74f16057edec71n],
    [le(1n, 4), 0n, 0x1d296192a2111817n],
    [le(0xdeadbeefn, 4), 0x3039n, 0xa60ce24cf076e37dn],
    [text(""), 0n, 0xa1555803f116a9c0n],
    [text("a"), 0n, 0xf17aeed13a6dd623n],
    [text("abc"), 0n, 0x9473223b4d4e8d24n],
    [text("hello"), 0x2an, 0x4c6b8a1e5dedcdb7n],
    [text("hello, world!!"), 0x7n, 0xdbd4ecd5a018a78en],
    [text("0123456789abcdefghijklmnopqrstuv"), 0x1n, 0xf88b61374a4b7cb5n],
    [text(alphabet100), 0x12345678n, 0x242fc136f656d119n],
  ];
  for (const [bytes, seed, want] of cases) assert.equal(memhash(bytes, seed).toString(16), want.toString(16), `${bytes.length} bytes, seed ${seed}`);
  assert.equal(full(go.f64hash(f64bytes(1), 0, 0, 5)), 0x199c017617f0c614n);
  assert.equal(full(go.f64hash(f64bytes(0), 0, 0, 5)), 0x0518b55cf301e0dcn);
  assert.equal(full(go.f64hash(f64bytes(-0), 0, 0, 5)), 0x0518b55cf301e0dcn);
  assert.equal(full(go.f64hash(f64bytes(-2.5), 0, 0, 5)), 0xc09e89bd953131a9n);
});

test("go119: every vector dumped by the harness's Go program (fidelity/golden/vectors.json)", () => {
  const file = new URL("../../../fidelity/golden/vectors.json", import.meta.url);
  const { hashkey, vectors } = JSON.parse(readFileSync(file, "utf8")) as {
    hashkey: string;
    vectors: { fn: string; input: string; seed: number; hash: string }[];
  };
  const g = new Go119Hash(BigInt(hashkey));
  const float = (s: string): number => (s === "+Inf" ? Infinity : s === "-Inf" ? -Infinity : Number(s));
  assert.ok(vectors.length > 150);
  for (const v of vectors) {
    let lo: number;
    if (v.fn === "f64hash") lo = g.f64hash(f64bytes(float(v.input)), 0, 0, v.seed);
    else if (v.fn === "f32hash") lo = g.f32hash(f32bytes(float(v.input)), 0, 0, v.seed);
    else {
      const b = Buffer.from(v.input, "hex");
      lo = g.memhash(b, 0, b.length, 0, v.seed);
    }
    assert.equal(full(lo).toString(16).padStart(16, "0"), v.hash, `${v.fn}(${v.input.slice(0, 20)}…, ${v.seed})`);
  }
});

// --- a second implementation, straight from the spec's formulas, in BigInt -------------------

const M64 = (1n << 64n) - 1n;
const [m1, m2, m3, m4, m5] = [0xa0761d6478bd642fn, 0xe7037ed1a0b428dbn, 0x8ebc6af09c88c6e3n, 0x589965cc75374cc3n, 0x1d8e4e27c47d124fn];
const mix = (a: bigint, b: bigint): bigint => {
  const p = (a & M64) * (b & M64);
  return (p >> 64n) ^ (p & M64);
};
const r = (b: Uint8Array, p: number, n: number): bigint => {
  let x = 0n;
  for (let i = n - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[p + i]);
  return x;
};

function referenceMemhash(b: Uint8Array, seed: bigint, key: bigint): bigint {
  const s = b.length;
  seed = (seed ^ key ^ m1) & M64;
  if (s === 0) return seed;
  let a: bigint, c: bigint;
  if (s < 4) {
    a = BigInt(b[0]) | (BigInt(b[s >> 1]) << 8n) | (BigInt(b[s - 1]) << 16n);
    c = 0n;
  } else if (s === 4) a = c = r(b, 0, 4);
  else if (s < 8) [a, c] = [r(b, 0, 4), r(b, s - 4, 4)];
  else if (s === 8) a = c = r(b, 0, 8);
  else if (s <= 16) [a, c] = [r(b, 0, 8), r(b, s - 8, 8)];
  else {
    let l = s;
    let p = 0;
    if (l > 48) {
      let s1 = seed, s2 = seed;
      while (l > 48) {
        seed = mix(r(b, p, 8) ^ m2, r(b, p + 8, 8) ^ seed);
        s1 = mix(r(b, p + 16, 8) ^ m3, r(b, p + 24, 8) ^ s1);
        s2 = mix(r(b, p + 32, 8) ^ m4, r(b, p + 40, 8) ^ s2);
        p += 48;
        l -= 48;
      }
      seed ^= s1 ^ s2;
    }
    while (l > 16) {
      seed = mix(r(b, p, 8) ^ m2, r(b, p + 8, 8) ^ seed);
      p += 16;
      l -= 16;
    }
    [a, c] = [r(b, p + l - 16, 8), r(b, p + l - 8, 8)];
  }
  return mix(m5 ^ BigInt(s), mix(a ^ m2, c ^ seed));
}

test("go119: memhash equals a BigInt transcription of the spec for random bytes, lengths, seeds and keys (property)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.bigInt({ min: 0n, max: M64 }), fc.bigInt({ min: 0n, max: M64 }), (bytes, seed, key) => {
      const g = new Go119Hash(key);
      const got = full(g.memhash(bytes, 0, bytes.length, Number(seed >> 32n), Number(seed & 0xffffffffn)));
      assert.equal(got, referenceMemhash(bytes, seed, key | 1n));
    }),
    { seed: 20261122, numRuns: 2000 },
  );
});

test("go119: hashes read from any offset of a buffer (keys stored mid-heap)", () => {
  const bytes = new TextEncoder().encode("hello, world!!");
  const padded = new Uint8Array(64);
  padded.set(bytes, 37);
  const lo = go.memhash(padded, 37, bytes.length, 0, 7);
  assert.equal(full(lo), 0xdbd4ecd5a018a78en);
});

test("go119: floats: +0 and -0 hash alike, NaN hashes differently each time, f32 is not f64", () => {
  assert.equal(full(go.f32hash(f32bytes(0), 0, 0, 9)), full(go.f32hash(f32bytes(-0), 0, 0, 9)));
  const nans = new Set<bigint>();
  for (let i = 0; i < 20; i++) nans.add(full(go.f64hash(f64bytes(NaN), 0, 0, 9)));
  assert.ok(nans.size > 15, `NaN hashed to ${nans.size} distinct values in 20 tries`);
  assert.notEqual(full(go.f32hash(f32bytes(1.5), 0, 0, 9)), full(go.f64hash(f64bytes(1.5), 0, 0, 9)));
});

test("go119: the hash key is forced odd, as Go forces runtime.hashkey", () => {
  assert.equal(new Go119Hash(0x10n).hashKey, 0x11n);
  const b = le(42n, 8);
  assert.equal(full(new Go119Hash(0x10n).memhash(b, 0, 8, 0, 1)), full(new Go119Hash(0x11n).memhash(b, 0, 8, 0, 1)));
});
