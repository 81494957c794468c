// Tests of src/hash/rand.ts: fastrand is xorshift128+ as written with BigInt (an independent
// model of the same recurrence), reseeding repeats a run, an all-zero seed cannot stick at
// zero, and its outputs spread evenly over the bits the runtime uses (a bucket's low bits, the
// slot offset above them).
import assert from "node:assert/strict";
import test from "node:test";
import { fastrand, seedFastrand, seedrand } from "../../src/hash/rand.js";

const M64 = (1n << 64n) - 1n;

/**
 * The model: xorshift128+ over two 64-bit words (s1, s0), each given as its (lo, hi) u32s, as
 * seedFastrand(a, b, c, d) lays them out. Each output is the sum of the two words' high halves,
 * mod 2^32, as fastrand returns it.
 */
function* model(a: number, b: number, c: number, d: number): Generator<number> {
  let s1 = (BigInt(b >>> 0) << 32n) | BigInt(a >>> 0);
  let s0 = (BigInt(d >>> 0) << 32n) | BigInt(c >>> 0);
  for (;;) {
    let x = s1;
    const y = s0;
    s1 = y;
    x ^= (x << 23n) & M64;
    x ^= x >> 17n;
    x ^= y ^ (y >> 26n);
    s0 = x;
    yield Number(((x >> 32n) + (y >> 32n)) & 0xffffffffn);
  }
}

test("rand: fastrand is xorshift128+ as the BigInt model computes it, seed by seed", () => {
  for (const seed of [[1, 2, 3, 4], [0xffffffff, 0x80000000, 0x12345678, 0xdeadbeef], [42, 0x9e3779b9, 0x7f4a7c15, 0x85ebca6b]]) {
    const [a, b, c, d] = seed;
    seedFastrand(a, b, c, d);
    const want = model(a, b, c, d);
    for (let i = 0; i < 1000; i++) assert.equal(fastrand(), want.next().value, `seed ${seed}, draw ${i}`);
  }
});

test("rand: reseeding repeats the run; an all-zero seed does not stick at zero", () => {
  seedFastrand(7);
  const first = Array.from({ length: 20 }, fastrand);
  seedFastrand(7);
  assert.deepEqual(Array.from({ length: 20 }, fastrand), first);
  seedFastrand(0, 0, 0, 0);
  const draws = Array.from({ length: 20 }, fastrand);
  assert.ok(draws.some((x) => x !== 0), "an all-zero state would give zeros for ever");
  for (const x of draws) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
  seedFastrand(crypto.getRandomValues(new Uint32Array(1))[0]);
});

test("rand: the low byte and the top byte are each spread evenly (chi-square over 256 cells)", () => {
  seedFastrand(12345);
  const n = 256 * 400;
  const low = new Uint32Array(256);
  const top = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    const x = fastrand();
    low[x & 0xff]++;
    top[x >>> 24]++;
  }
  // 255 degrees of freedom: the 99.99th percentile of chi-square is about 360.
  const chi = (cells: Uint32Array) => cells.reduce((s, o) => s + (o - n / 256) ** 2 / (n / 256), 0);
  assert.ok(chi(low) < 360, `low byte chi-square ${chi(low)}`);
  assert.ok(chi(top) < 360, `top byte chi-square ${chi(top)}`);
  seedFastrand(crypto.getRandomValues(new Uint32Array(1))[0]);
});

test("rand: once reseeded, hash seeds come from fastrand too, so a replay repeats them (the playground's steps)", () => {
  seedFastrand(99);
  const run = () => [seedrand(), fastrand(), seedrand()];
  const first = run();
  seedFastrand(99);
  assert.deepEqual(run(), first);
  seedFastrand(99);
  assert.deepEqual(Array.from({ length: 3 }, fastrand), first, "seedrand draws fastrand's own next output");
  seedFastrand(crypto.getRandomValues(new Uint32Array(1))[0]);
});
