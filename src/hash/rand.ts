// fastrand: the runtime's cheap random source, as Go's runtime.fastrand is. It picks
// iteration start points, NaN hashes and the overflow counter's coin flips. Seeded once per
// process from the platform's cryptographic source, but its whole state follows from its
// outputs: the range orders of a small map give them away (test/hash/seeds.test.ts).
//
// seedrand: a fresh hash seed (hash0) for makemap and for a map that empties. Seeds are the
// hash's only secret, so they come straight from the platform's cryptographic source, drawn
// SEED_POOL words at a time (a call costs microseconds, whatever its size), and follow nothing a
// program shows. Go 1.19 draws hash0 from fastrand; nothing a map does depends on which
// source a seed came from.
//
// Invariant: until seedFastrand is called, seeds are independent of fastrand's outputs; after
// it (tests, and the playground's replays), seedrand is fastrand, so a replay repeats seeds too.
//
// The generator is xorshift128+ over four u32 words: fast, allocation-free, full period.

const state = new Uint32Array(4);
crypto.getRandomValues(state);
if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;

/** Words of the cryptographic source drawn at once for seedrand (16 KiB: about 2 ns a word). */
const SEED_POOL = 4096;
const seedPool = new Uint32Array(SEED_POOL);
let seedNext = SEED_POOL;
/** Whether seedFastrand has been called: seeds then come from fastrand, repeatably. */
let seeded = false;

/** A random u32. */
export function fastrand(): number {
  let s1lo = state[0];
  let s1hi = state[1];
  const s0lo = state[2];
  const s0hi = state[3];
  state[0] = s0lo;
  state[1] = s0hi;
  // s1 ^= s1 << 23
  s1hi ^= (s1hi << 23) | (s1lo >>> 9);
  s1lo ^= s1lo << 23;
  // s1 ^= s1 >> 17
  s1lo ^= (s1lo >>> 17) | (s1hi << 15);
  s1hi ^= s1hi >>> 17;
  // s1 ^= s0 ^ (s0 >> 26)
  s1lo ^= s0lo ^ ((s0lo >>> 26) | (s0hi << 6));
  s1hi ^= s0hi ^ (s0hi >>> 26);
  state[2] = s1lo;
  state[3] = s1hi;
  return (s1hi + s0hi) >>> 0;
}

/**
 * Reseeds the generator: for tests that need a repeatable run. From then on, for the rest of
 * the process, hash seeds come from fastrand too (seedrand). The words go into the state as
 * they are, unmixed, so nearby seeds start alike: the first output reads `a` only from its bit
 * 9 up (seeds 1 and 9 give the first map the same hash0). Seeds meant to differ should differ
 * in their high bits, or be hashed first. (The playground's page uses one fixed seed, whose
 * replays its lessons' notes describe, so the seeding is left as it is.)
 */
export function seedFastrand(a: number, b = 0x9e3779b9, c = 0x7f4a7c15, d = 0x85ebca6b): void {
  seeded = true;
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  if ((a | b | c | d) === 0) state[0] = 1;
}

/** A fresh hash seed (hash0): see the header. */
export function seedrand(): number {
  if (seeded) return fastrand();
  if (seedNext === SEED_POOL) {
    crypto.getRandomValues(seedPool);
    seedNext = 0;
  }
  return seedPool[seedNext++];
}
