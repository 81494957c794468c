// Tests of src/runtime/clear.ts: what clear keeps (B, the bucket array in place) and resets
// (count, hash0, noverflow, the array's bytes, the overflow pool), what it frees (overflow
// blocks, string blocks, a growing map's old array: the heap's live bytes fall back to the
// array alone), that it ends running iterations, and that on an empty map it does nothing.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError, HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { Flag, Hmap, Hmap32 } from "../../src/runtime/layout.js";
import { arrayBuckets } from "../../src/runtime/makemap.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

/** Bytes of h's current bucket array with its pool: all a cleared map should hold. */
function arrayBytes(h: HMap): number {
  return arrayBuckets(h.B) * h.t.bucketSize;
}

/** A string too long to be stored inline (more than 12 bytes): it owns a heap block. */
const long = (i: number): string => `a long string, number ${i}`;

test("clear: keeps B and the array in place, zeroes count, bytes and noverflow, renews hash0", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 1000; k++) m.set(k, k);
  while (m.inspect().growing) m.set(0, 0);
  const h = hmapOf(m)!;
  const { B, buckets, hash0 } = h;
  assert.equal(B, 8);
  m.clear();
  assert.equal(h.B, B);
  assert.equal(h.buckets, buckets);
  assert.equal(m.size, 0);
  assert.equal(h.noverflow, 0);
  assert.notEqual(h.hash0, hash0, "a new seed (equal by chance once in 2^32)");
  assert.equal(h.flags & Flag.hashWriting, 0, "the write is over");
  const bytes = h.heap.u8.subarray(buckets, buckets + (1 << B) * h.t.bucketSize);
  assert.ok(bytes.every((x) => x === 0), "every bucket is zero again");
  for (let k = 0; k < 1000; k += 97) assert.equal(m.has(k), false);
  for (let k = 0; k < 300; k++) m.set(k, k + 1);
  assert.equal(h.B, B, "refilling below the old size does not grow");
  assert.equal(m.get(299), 300);
  checkInvariants(m);
  // A clear is a write: it refuses to start inside another one.
  h.heap.u8[Hmap.flags] |= Flag.hashWriting;
  assert.throws(() => m.clear(), (e: unknown) => e instanceof GoMapError && e.message === "concurrent map writes");
  assert.equal(m.size, 300);
  h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
});

test("clear: frees overflow blocks and string blocks: the heap holds only the bucket array after", () => {
  // Every key in bucket 0. hint 20 -> B2 (no pool): 20 keys make a chain of 3, two of them heap blocks.
  const kt: GoType<string> = hashedBy(t.string, () => 0n);
  const m = GoMap.make(kt, t.string, { hint: 20 });
  const h = hmapOf(m)!;
  for (let i = 0; i < 20; i++) m.set(long(i), long(i + 100));
  assert.equal(h.heap.stats().blocks, 1 + 2 + 40);
  m.clear();
  assert.equal(h.overflow(h.buckets), 0);
  assert.equal(h.heap.stats().blocks, 1);
  assert.equal(h.heap.stats().inUse, arrayBytes(h));
  for (let i = 0; i < 20; i++) m.set(long(i), "v");
  assert.equal(m.get(long(19)), "v");
  checkInvariants(m);
});

test("clear: a pool array (B >= 4) gets its whole overflow pool back, end mark included", () => {
  const kt: GoType<number> = hashedBy(t.u32, () => 0n);
  const m = GoMap.make(kt, t.u32, { hint: 100 }); // B4: 16 buckets + a pool of 1
  const h = hmapOf(m)!;
  const bs = h.t.bucketSize;
  for (let k = 0; k < 20; k++) m.set(k, k); // chain of 3: the pool bucket, then a heap block
  assert.equal(h.heap.stats().blocks, 2);
  assert.equal(h.heap.u32[Hmap32.nextOverflow], 0, "the pool is used up");
  m.clear();
  assert.equal(h.heap.stats().blocks, 1);
  assert.equal(h.heap.stats().inUse, arrayBytes(h));
  assert.equal(h.heap.u32[Hmap32.nextOverflow], h.buckets + 16 * bs);
  assert.equal(h.overflow(h.buckets + 16 * bs), h.buckets, "the last pool bucket's end-of-pool mark");
  for (let k = 0; k < 20; k++) m.set(k, k);
  assert.equal(h.heap.stats().blocks, 2, "the pool bucket serves again before a new block");
  checkInvariants(m);
});

test("clear: mid-growth (doubling and same-size): the old array and its strings are freed, growth state reset", () => {
  const m = GoMap.make(t.u32, t.string);
  for (let k = 1; k <= 27; k++) m.set(k, long(k));
  const h = hmapOf(m)!;
  assert.equal(h.growing, true);
  assert.equal(h.B, 3);
  m.clear();
  assert.equal(h.growing, false);
  assert.equal(h.oldbuckets, 0);
  assert.equal(h.nevacuate, 0);
  assert.equal(h.B, 3);
  assert.equal(h.heap.stats().blocks, 1);
  assert.equal(h.heap.stats().inUse, arrayBytes(h));
  for (let k = 1; k <= 27; k++) m.set(k, "x");
  assert.equal(h.B, 3);
  checkInvariants(m);

  // A same-size growth (too many overflow buckets) caught halfway: the flag goes too.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const s = GoMap.make(kt, t.u32, { hint: 20 }); // B2
  for (let k = 0; k < 26; k++) s.set(k, k);
  for (let k = 0; k < 26; k++) s.delete(k);
  for (let k = 1000; k < 1010; k++) s.set(k, k);
  const sh = hmapOf(s)!;
  assert.equal(sh.growing, true);
  assert.ok((sh.flags & Flag.sameSizeGrow) !== 0);
  s.clear();
  assert.equal(sh.growing, false);
  assert.equal(sh.flags & Flag.sameSizeGrow, 0);
  assert.equal(sh.B, 2);
  assert.equal(sh.heap.stats().blocks, 1);
  assert.equal(sh.heap.stats().inUse, arrayBytes(sh));
  checkInvariants(s);
});

test("clear: ends running iterations, and what they held is freed with them", () => {
  const m = GoMap.make(t.u32, t.string);
  for (let k = 0; k < 100; k++) m.set(k, long(k));
  const h = hmapOf(m)!;
  const it = m.entries();
  assert.equal(it.next().done, false);
  for (let k = 0; k < 10; k++) m.delete(k);
  assert.ok(h.heap.pendingFrees.length > 0, "frees wait while the iterator holds the heap");
  m.clear();
  assert.equal(h.heap.held, false, "the clear ended the iteration and its hold");
  assert.equal(h.heap.stats().inUse, arrayBytes(h), "frees done, those deferred before the clear too");
  assert.equal(it.next().done, true);
  assert.equal(h.heap.held, false);
  assert.equal(h.heap.stats().inUse, arrayBytes(h));
  // New entries after a clear are not returned by an iteration that began before it.
  for (let k = 0; k < 10; k++) m.set(k, "x");
  let calls = 0;
  m.forEach(() => {
    calls++;
    m.clear();
    m.set(500, "y");
  });
  assert.equal(calls, 1);
  assert.equal(m.size, 1);
});

test("clear: on an empty map it does nothing: no seed, no write check, no array, iterations go on", () => {
  const fresh = GoMap.make(t.u32, t.u32);
  const fh = hmapOf(fresh)!;
  const seed = fh.hash0;
  fresh.clear();
  assert.equal(fh.buckets, 0, "no bucket array is made");
  assert.equal(fh.hash0, seed);
  assert.equal(fh.heap.holdGeneration, 0);
  // A map emptied by deletes (its seed renewed by the last delete) keeps that seed and epoch.
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 10; k++) m.set(k, k);
  const it = m.keys();
  assert.equal(it.next().done, false);
  for (let k = 0; k < 10; k++) m.delete(k);
  const h = hmapOf(m)!;
  const { hash0, epoch } = h;
  const generation = h.heap.holdGeneration;
  h.heap.u8[Hmap.flags] |= Flag.hashWriting; // as Go: count 0 returns before the write check
  m.clear();
  h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
  assert.deepEqual([h.hash0, h.epoch, h.heap.holdGeneration], [hash0, epoch, generation]);
  m.set(1, 1);
  // The iterator was not ended: it may go on (and may or may not return the new key).
  assert.equal(h.heap.held, true);
  for (const k of it) assert.equal(k, 1);
  assert.equal(h.heap.held, false);
});

test("clear: what it frees is reusable at once, though an iteration it ended has not been stepped again", () => {
  // README: a clear() ends running iterations, and memory freed during an iteration is reused
  // once that iteration ends. A map at its maxBytes, cleared while an iterator it ended was
  // kept (not stepped, not dropped), refused every insert: its strings waited for that
  // iterator's next step.
  const m = GoMap.make(t.u32, t.string, { maxBytes: 16384 });
  const h = hmapOf(m)!;
  const fill = (): number => {
    let k = 0;
    try {
      for (; ; k++) m.set(k, long(k));
    } catch (err) {
      if (!(err instanceof HeapExhaustedError)) throw err;
    }
    return k;
  };
  const full = fill();
  assert.ok(full > 50, `${full} entries fit`);
  const ended = m.entries();
  assert.equal(ended.next().done, false);
  m.clear();
  assert.equal(h.heap.stats().inUse, arrayBytes(h), "the clear freed every entry's string at once");
  assert.equal(h.heap.held, false, "no iteration holds the heap any more");
  assert.ok(fill() >= full, "the cleared map takes as many entries again");
  // An iteration started after the clear holds the heap; stepping or ending the old one must
  // not let go of that hold a second time.
  const later = m.keys();
  assert.equal(later.next().done, false);
  assert.equal(ended.next().done, true, "the iteration the clear ended is over");
  ended.return!();
  assert.equal(h.heap.held, true, "the later iteration still holds the heap");
  const before = h.heap.stats().inUse;
  m.delete(1);
  assert.equal(h.heap.stats().inUse, before, "its frees still wait");
  later.return!();
  assert.equal(h.heap.held, false);
  assert.ok(h.heap.stats().inUse < before, "and happen when it ends");
  // forEach's own iteration, ended by a clear from its callback, gives back what it held too.
  m.forEach(() => m.clear());
  assert.equal(h.heap.held, false);
  assert.equal(h.heap.stats().inUse, arrayBytes(h));
  checkInvariants(m);
});
