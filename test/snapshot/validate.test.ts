// Tests of src/snapshot/validate.ts, values.ts and memory/verify.ts as a load runs them: each
// structural lie a file can tell, with its checksum recomputed so that only the structural
// checks stand between it and the runtime, is refused with corrupt-map or corrupt-heap and a
// message naming the problem.
import assert from "node:assert/strict";
import test from "node:test";
import { SnapshotError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { hashOut } from "../../src/hash/hash.js";
import { Heap, H_BINS, H_BLOCKS, H_HIGH_WATER, H_IN_USE, H_LARGE_MAP, H_SMALL_MAP, H_TOP, LARGE_BINS, SMALL_BINS } from "../../src/memory/heap.js";
import { arrayBuckets } from "../../src/runtime/makemap.js";
import { HEADER_BYTES, pad16 } from "../../src/snapshot/format.js";
import { Bucket, Flag, Hmap, Hmap32, tophash } from "../../src/runtime/layout.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { seedFastrand } from "../../src/hash/rand.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";
import { filled, reseal, specs } from "./helpers.js";
import { forgeries } from "../memory/forge.js";
import type { AnyMap } from "./helpers.js";

/** Views of the heap section of a snapshot. */
function heapOf(bytes: Uint8Array): { u8: Uint8Array; u32: Uint32Array } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const at = HEADER_BYTES + pad16(dv.getUint32(16, true) + dv.getUint32(20, true));
  const n = dv.getUint32(24, true);
  return { u8: bytes.subarray(at, at + n), u32: new Uint32Array(bytes.buffer, bytes.byteOffset + at, n >>> 2) };
}

/** Loads m's snapshot after `change`, with a fresh checksum; returns the error. */
function refused(m: AnyMap, change: (u8: Uint8Array, u32: Uint32Array) => void): SnapshotError {
  const bytes = m.toBytes();
  const { u8, u32 } = heapOf(bytes);
  change(u8, u32);
  reseal(bytes);
  try {
    GoMap.fromBytes(bytes, m.keyType as AnyType, m.valueType as AnyType);
  } catch (err) {
    assert.ok(err instanceof SnapshotError, String(err));
    return err;
  }
  assert.fail("the corrupted snapshot loaded");
}

function expect(m: AnyMap, code: string, re: RegExp, change: (u8: Uint8Array, u32: Uint32Array) => void): void {
  const err = refused(m, change);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, re);
}

// A fixed hash0 for every map made here, so the slots the tests pick are the same every run.
seedFastrand(20261122);
const strings = filled(specs[1], 300);
const hs = hmapOf(strings)!;
const ints = filled(specs[0], 300);
const hi = hmapOf(ints)!;

/** The first live slot of the map: bucket offset and slot index. */
function firstEntry(m: AnyMap): { b: number; i: number } {
  const h = hmapOf(m)!;
  for (let j = 0; ; j++) {
    const b = h.buckets + j * h.t.bucketSize;
    for (let i = 0; i < Bucket.cnt; i++) if (h.heap.u8[b + i] >= 5) return { b, i };
  }
}

test("validate: hmap header lies", () => {
  expect(ints, "corrupt-map", /count 201, but the buckets hold 200/, (_u8, u32) => void (u32[Hmap32.count] += 1));
  expect(ints, "corrupt-map", /B = 40/, (u8) => void (u8[Hmap.B] = 40));
  expect(ints, "corrupt-map", /hashes to bucket|not evacuated|is not a live heap block|needs|cannot fit/, (u8) => void (u8[Hmap.B] += 1));
  expect(ints, "corrupt-map", /flags 4/, (u8) => void (u8[Hmap.flags] = Flag.hashWriting));
  expect(ints, "corrupt-map", /flags 1/, (u8) => void (u8[Hmap.flags] = Flag.iterator));
  expect(ints, "corrupt-map", /sameSizeGrow set on a map that is not growing/, (u8) => void (u8[Hmap.flags] = Flag.sameSizeGrow));
  expect(ints, "corrupt-map", /hashes to bucket|tophash/, (_u8, u32) => void (u32[Hmap32.hash0] ^= 0x5555));
  expect(ints, "corrupt-map", /not a live heap block|nextOverflow/, (_u8, u32) => void (u32[Hmap32.buckets] += 8));
  expect(ints, "corrupt-map", /upper word/, (_u8, u32) => void (u32[Hmap32.count + 1] = 1));
  expect(ints, "corrupt-map", /old bucket array points at/, (_u8, u32) => void (u32[Hmap32.oldbuckets] = 4000));
  expect(ints, "corrupt-map", /nextOverflow/, (_u8, u32) => void (u32[Hmap32.nextOverflow] = hi.buckets + 3));
});

test("validate: a growth in progress: nevacuate past the old buckets, an old bucket below it not evacuated", () => {
  const m = GoMap.make(t.u32, t.u32) as AnyMap;
  for (let i = 0; !(m.inspect().growing && m.inspect().oldBuckets >= 16); i++) m.set(i, i);
  expect(m, "corrupt-map", /nevacuate 99 at or past/, (_u8, u32) => void (u32[Hmap32.nevacuate] = 99));
  const h = hmapOf(m)!;
  const old = m.inspect().oldBuckets;
  // At the old count: the runtime would have ended the growth there; a write would evacuate
  // the bucket past the old array and the growth would never end.
  expect(m, "corrupt-map", new RegExp(`nevacuate ${old} at or past ${old} old buckets`), (_u8, u32) => void (u32[Hmap32.nevacuate] = old));
  // A not-yet-evacuated old bucket whose destination is in use: keys would be in two places.
  let j = old - 2; // below the last: nevacuate = j + 1 stays below the old count
  while (h.heap.u8[h.oldbuckets + j * h.t.bucketSize] <= 4) j--;
  expect(m, "corrupt-map", /below nevacuate/, (_u8, u32) => void (u32[Hmap32.nevacuate] = j + 1));
  expect(m, "corrupt-map", /its new bucket .* is in use/, (u8) => void (u8[h.buckets + j * h.t.bucketSize] = 9));
});

test("validate: chains: a link back to the array, a link into the middle of a block, a link with an upper word", () => {
  // Every key in bucket 0: 12 keys make a chain of two buckets.
  const kt = hashedBy(t.u32, (k) => BigInt(k + 5) << 56n);
  const m = GoMap.make(kt, t.u32) as AnyMap;
  for (let i = 0; i < 12; i++) m.set(i, i);
  const h = hmapOf(m)!;
  const head = h.buckets;
  assert.ok(h.overflow(head) !== 0 && !h.growing, "setup: a chain");
  const link = (head + h.t.overflowOffset) >>> 2;
  expect(m, "corrupt-map", /not a pool bucket in use|not a live heap block/, (_u8, u32) => void (u32[link] = h.buckets));
  expect(m, "corrupt-map", /not a live heap block|needs/, (_u8, u32) => void (u32[link] += 8));
  expect(m, "corrupt-map", /upper word/, (_u8, u32) => void (u32[link + 1] = 1));
});

test("validate: slots: tophash lies, emptyRest in the middle, non-zero empty slots, evacuation marks", () => {
  const { b, i } = firstEntry(ints);
  expect(ints, "corrupt-map", /tophash \d+, the key's hash says/, (u8) => void (u8[b + i] = u8[b + i] === 255 ? 254 : u8[b + i] + 1));
  expect(ints, "corrupt-map", /evacuation mark 3 in a live bucket/, (u8) => void (u8[b + i] = 3));
  // A live slot made empty, with a live slot after it: its value is still there.
  const [full, first] = (() => {
    for (let j = 0; ; j++) {
      const bb = hi.buckets + j * hi.t.bucketSize;
      const live = [0, 1, 2, 3, 4, 5, 6, 7].filter((s) => hi.heap.u8[bb + s] >= 5);
      if (live.length >= 3) return [bb, live[0]];
    }
  })();
  expect(ints, "corrupt-map", /after emptyRest/, (u8, u32) => {
    u8[full + first] = 0;
    u32[(full + hi.t.elemsOffset + first * 4) >>> 2] = 0;
  });
  expect(ints, "corrupt-map", /empty, but its elem is not zero/, (u8) => void (u8[full + first] = 1));
});

test("validate: keys and values: string pointers, lengths, UTF-8, bool bytes, shared blocks", () => {
  // A long string key's header.
  let slot = -1;
  for (let j = 0; slot < 0; j++) {
    const bb = hs.buckets + j * hs.t.bucketSize;
    for (let s = 0; s < 8; s++) {
      const k = bb + Bucket.dataOffset + s * 16;
      if (hs.heap.u8[bb + s] >= 5 && hs.heap.u32[(k >>> 2) + 3] === 0 && hs.heap.u32[(k >>> 2) + 2] > 12) {
        slot = k;
        break;
      }
    }
  }
  const w = slot >>> 2;
  expect(strings, "corrupt-map", /not a live heap block/, (_u8, u32) => void (u32[w] = 1000000));
  expect(strings, "corrupt-map", /needs \d+ bytes/, (_u8, u32) => void (u32[w + 2] += 4096));
  expect(strings, "corrupt-map", /stored out of line/, (_u8, u32) => void (u32[w + 2] = 5));
  expect(strings, "corrupt-map", /UTF-8/, (u8, u32) => void (u8[u32[w] + 2] = 0xff));
  expect(strings, "corrupt-map", /inline string header/, (_u8, u32) => void (u32[w + 3] = 0x80000000 + 40));
  // Two long string values made to share one block: the longest one's.
  const longValues: { w: number; len: number }[] = [];
  for (let j = 0; j < 2 ** hs.B; j++) {
    for (let b = hs.buckets + j * hs.t.bucketSize; b !== 0; b = hs.overflow(b)) {
      for (let s = 0; s < 8; s++) {
        const e = (b + hs.t.elemsOffset + s * 16) >>> 2;
        if (hs.heap.u8[b + s] >= 5 && hs.heap.u32[e + 3] === 0 && hs.heap.u32[e + 2] > 12) longValues.push({ w: e, len: hs.heap.u32[e + 2] });
      }
    }
  }
  longValues.sort((x, y) => y.len - x.len);
  assert.ok(longValues.length >= 2, "setup: two long string values");
  const [owner, other] = longValues;
  expect(strings, "corrupt-map", /already in use elsewhere/, (_u8, u32) => void (u32[other.w] = u32[owner.w]));
  const flags = GoMap.make(t.u32, t.bool) as AnyMap;
  flags.set(1, true);
  const f = hmapOf(flags)!;
  expect(flags, "corrupt-map", /bool byte 2/, (u8) => void (u8[f.buckets + f.t.elemsOffset] = 2));
});

test("validate: the same key twice in a chain", () => {
  const m = GoMap.make(t.u32, t.u32) as AnyMap;
  m.set(1, 10);
  m.set(2, 20);
  const h = hmapOf(m)!;
  // Slot 1 becomes a copy of slot 0 (tophash, key), keeping the count right.
  expect(m, "corrupt-map", /the same key twice/, (u8, u32) => {
    const b = h.buckets;
    const slot0 = [0, 1].find((s) => h.heap.u32[(b + 8 + 4 * s) >>> 2] === 1)!;
    const slot1 = 1 - slot0;
    u8[b + slot1] = u8[b + slot0];
    u32[(b + 8 + 4 * slot1) >>> 2] = 1;
  });
});

test("validate: allocator lies are corrupt-heap", () => {
  expect(ints, "corrupt-heap", /bytes in use/, (_u8, u32) => void (u32[H_IN_USE] += 8));
  expect(ints, "corrupt-heap", /live blocks/, (_u8, u32) => void (u32[H_BLOCKS] += 1));
  expect(ints, "corrupt-heap", /highWater/, (_u8, u32) => void (u32[H_HIGH_WATER] += 8));
  expect(ints, "corrupt-heap", /top/, (_u8, u32) => void (u32[H_TOP] -= 8));
  expect(ints, "corrupt-heap", /bin bitmap/, (_u8, u32) => void (u32[H_SMALL_MAP] |= 1 << 3));
  expect(ints, "corrupt-heap", /bad magic/, (_u8, u32) => void (u32[0] = 0));
  // The first block's header: its size.
  expect(ints, "corrupt-heap", /size|past top|prevSize/, (_u8, u32) => void (u32[320 >>> 2] += 16));
});

test("validate: a block nothing points at is refused (a leak the map could never free)", () => {
  const m = filled(specs[0], 50);
  hmapOf(m)!.heap.alloc(64);
  assert.throws(() => GoMap.fromBytes(m.toBytes(), t.u32, t.u32), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-map" && /belong to nothing/.test(e.message));
});

/**
 * A map with B = 0 whose one chain holds n distinct keys that all have the same tophash:
 * what a file can hold, though a map grows long before its chains get so long. The keys are
 * candidates(1), candidates(2), ... (as their u32 words) kept when their tophash is the first
 * one's under the map's seed. Written straight into the heap of a one-bucket map, then saved;
 * `first` and `last` are the heap offsets of the chain's first and last keys.
 */
function oneLongChain(kt: AnyType, n: number, candidate: (k: number) => number[]): { bytes: Uint8Array; first: number; last: number } {
  const seed = 0x1234567;
  const m = GoMap.make(kt, t.u32, { seed }) as AnyMap;
  // Candidates are hashed in a scratch heap: words past the headers of an empty one.
  const scratch = Heap.create({ initialBytes: 1024 });
  const at = 512;
  m.set(kt.read(scratch, at), 0); // any key: it makes the bucket array
  m.clear();
  const h = hmapOf(m)!;
  h.heap.u32[Hmap32.hash0] = seed; // clear picked another
  const heap = h.heap;
  const bs = h.t.bucketSize;
  assert.equal(h.B, 0);
  let b = h.buckets;
  let want = -1;
  let last = 0;
  for (let k = 1, stored = 0; stored < n; k++) {
    const words = candidate(k);
    words.forEach((w, j) => (scratch.u32[(at >>> 2) + j] = w));
    kt.hashAt(scratch, at, seed);
    const top = tophash(hashOut.hi);
    if (want < 0) want = top;
    if (top !== want) continue;
    const slot = stored % Bucket.cnt;
    if (slot === 0 && stored > 0) {
      const ovf = heap.alloc(bs);
      heap.u32[(b + h.t.overflowOffset) >>> 2] = ovf;
      b = ovf;
    }
    heap.u8[b + slot] = want;
    last = b + Bucket.dataOffset + slot * h.t.keySlot;
    words.forEach((w, j) => (heap.u32[(last >>> 2) + j] = w));
    heap.u32[(b + h.t.elemsOffset + slot * 4) >>> 2] = k;
    stored++;
  }
  heap.u32[Hmap32.count] = n;
  return { bytes: m.toBytes(), first: h.buckets + Bucket.dataOffset, last };
}

/** A copy of type kt that counts the key comparisons made through it (the same type code and hash). */
function counting<T extends AnyType>(kt: T): { type: T; compared: () => number } {
  let n = 0;
  const type = Object.create(kt, {
    equalAt: { value: (heap: Heap, a: number, b: number) => (n++, kt.equalAt(heap, a, b)) },
  }) as T;
  return { type, compared: () => n };
}

/** The chain's last key made a copy of its first, with a fresh checksum: refused. */
function assertDuplicateRefused(chain: { bytes: Uint8Array; first: number; last: number }, kt: AnyType, words: number): void {
  const { u32 } = heapOf(chain.bytes);
  for (let j = 0; j < words; j++) u32[(chain.last >>> 2) + j] = u32[(chain.first >>> 2) + j];
  reseal(chain.bytes);
  assert.throws(
    () => GoMap.fromBytes(chain.bytes, kt, t.u32),
    (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-map" && /the same key twice/.test(e.message),
  );
}

test("validate: a long chain of keys with one tophash is checked for duplicates in linear time, not quadratic", () => {
  const n = 4000;
  const chain = oneLongChain(t.u32, n, (k) => [k]);
  const c = counting(t.u32);
  const m = GoMap.fromBytes(chain.bytes, c.type, t.u32);
  assert.equal(m.size, n);
  // Comparing every pair of equal tophashes made n * (n - 1) / 2 = 8 million comparisons (a
  // file of a few hundred KB then took seconds to load, of a few MB many minutes).
  assert.ok(c.compared() <= 4 * n, `${c.compared()} key comparisons for ${n} keys`);
  assertDuplicateRefused(chain, t.u32, 1);
});

test("validate: a long chain of distinct keys with one whole hash is checked in linear time too", () => {
  // uint64 keys whose hash is the same for all: hash64 = fmix32(imul(fmix32(lo ^ seed) ^ hi, C1) ^ seed),
  // so hi = fmix32(lo ^ seed) ^ c gives every lo the same hash. Nothing but a crafted file holds such keys.
  const seed = 0x1234567;
  const fmix32 = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const n = 2000;
  const chain = oneLongChain(t.u64, n, (k) => [k, (fmix32(k ^ seed) ^ 0x5bd1e995) >>> 0]);
  const c = counting(t.u64);
  const m = GoMap.fromBytes(chain.bytes, c.type, t.u32);
  assert.equal(m.size, n);
  assert.ok(c.compared() <= 4 * n, `${c.compared()} key comparisons for ${n} keys`);
  assertDuplicateRefused(chain, t.u64, 2);
});

/** Each live slot of h's current array, chains included: bucket offset and slot index. */
function liveSlots(h: NonNullable<ReturnType<typeof hmapOf>>): { b: number; s: number }[] {
  const out: { b: number; s: number }[] = [];
  for (let j = 0; j < 2 ** h.B; j++) {
    for (let b = h.buckets + j * h.t.bucketSize; b !== 0; b = h.overflow(b)) {
      for (let s = 0; s < Bucket.cnt; s++) if (h.heap.u8[b + s] >= 5) out.push({ b, s });
    }
  }
  return out;
}

test("validate: nextOverflow at the end of the bucket array, past its pool, is refused", () => {
  assert.ok(arrayBuckets(hi.B) > 2 ** hi.B, "setup: the array has an overflow pool");
  const end = hi.buckets + arrayBuckets(hi.B) * hi.t.bucketSize;
  expect(ints, "corrupt-map", new RegExp(`nextOverflow ${end} is not a pool bucket of the array at ${hi.buckets}`), (_u8, u32) => void (u32[Hmap32.nextOverflow] = end));
});

test("validate: while doubling, both new buckets of an old bucket not evacuated yet must be untouched, overflow links too", () => {
  const m = GoMap.make(t.u32, t.u32) as AnyMap;
  for (let i = 0; !(m.inspect().growing && m.inspect().oldBuckets >= 16); i++) m.set(i, i);
  const h = hmapOf(m)!;
  const old = m.inspect().oldBuckets;
  assert.equal(2 ** h.B, 2 * old, "setup: a doubling");
  let j = old - 1;
  while (h.heap.u8[h.oldbuckets + j * h.t.bucketSize] <= 4) j--;
  const y = h.buckets + (j + old) * h.t.bucketSize;
  expect(m, "corrupt-map", new RegExp(`old bucket ${j} is not evacuated, but its new bucket at ${y} is in use`), (u8) => void (u8[y] = 9));
  const x = h.buckets + j * h.t.bucketSize;
  const pool = h.buckets + 2 ** h.B * h.t.bucketSize;
  expect(m, "corrupt-map", new RegExp(`old bucket ${j} is not evacuated, but its new bucket at ${x} has an overflow bucket`), (_u8, u32) => void (u32[(x + h.t.overflowOffset) >>> 2] = pool));
});

test("validate: an empty overflow bucket of the pool in two chains is refused", () => {
  // Every key in bucket 0 (B = 4, so the array has a pool): 12 keys take a pool bucket, whose
  // 4 keys are then deleted; bucket 1's chain is made to end in it too.
  const kt = hashedBy(t.u32, (k) => BigInt(k + 5) << 56n);
  const m = GoMap.make(kt, t.u32, { hint: 100 }) as AnyMap;
  for (let i = 0; i < 12; i++) m.set(i, i);
  for (let i = 8; i < 12; i++) m.delete(i);
  const h = hmapOf(m)!;
  const p = h.overflow(h.buckets);
  assert.ok(p !== 0 && p >= h.buckets + 2 ** h.B * h.t.bucketSize && !h.growing, "setup: a pool bucket in bucket 0's chain");
  const link = (h.buckets + h.t.bucketSize + h.t.overflowOffset) >>> 2;
  expect(m, "corrupt-map", /is in two chains/, (_u8, u32) => void (u32[link] = p));
});

test("validate: an empty slot's key must be zero when keys own memory; an indirect key's pointer has no upper word", () => {
  let empty = -1;
  for (let j = 0; empty < 0; j++) {
    const bb = hs.buckets + j * hs.t.bucketSize;
    for (let s = 0; s < 8 && empty < 0; s++) if (hs.heap.u8[bb + s] <= 1) empty = bb + Bucket.dataOffset + s * hs.t.keySlot;
  }
  expect(strings, "corrupt-map", /empty, but its key is not zero/, (_u8, u32) => void (u32[(empty >>> 2) + 3] = 0x80000001));
  const big = filled(specs[5], 20);
  const hb = hmapOf(big)!;
  assert.ok(hb.t.indirectKey, "setup: indirect keys");
  const { b, s } = liveSlots(hb)[0];
  const slot = b + Bucket.dataOffset + s * hb.t.keySlot;
  expect(big, "corrupt-map", /key pointer has a non-zero upper word/, (_u8, u32) => void (u32[(slot >>> 2) + 1] = 1));
});

test("validate: string values: inline length 13, bytes after an inline string's length, headers that lie", () => {
  const values = liveSlots(hs).map(({ b, s }) => (b + hs.t.elemsOffset + s * hs.t.elemSlot) >>> 2);
  const inline = values.find((w) => hs.heap.u32[w + 3] > 0x80000000 && hs.heap.u32[w + 3] < 0x80000000 + 12)!;
  const long = values.find((w) => hs.heap.u32[w + 3] === 0 && hs.heap.u32[w + 2] > 12 && hs.heap.u32[w + 2] % 4 !== 0)!;
  assert.ok(inline !== undefined && long !== undefined, "setup: an inline string value, and a long one whose length is not a multiple of 4");
  const len = hs.heap.u32[inline + 3] - 0x80000000;
  expect(strings, "corrupt-map", /value: inline string header 8000000d/, (_u8, u32) => void (u32[inline + 3] = 0x80000000 + 13));
  expect(strings, "corrupt-map", /value: inline string has bytes after its length/, (u8) => void (u8[inline * 4 + len] = 0x41));
  expect(strings, "corrupt-map", /value: string header's upper pointer word is not zero/, (_u8, u32) => void (u32[long + 1] = 1));
  expect(strings, "corrupt-map", /value: string block has bytes after its length/, (u8, u32) => void (u8[u32[long] + u32[long + 2]] = 0x41));
  expect(strings, "corrupt-map", /value \(string of \d+ bytes\) points at \d+, which is not a live heap block/, (_u8, u32) => void (u32[long] += 4));
  expect(strings, "corrupt-map", /value: empty string with a pointer/, (_u8, u32) => {
    const p = u32[long];
    u32[long + 2] = 0;
    u32[long] = p;
  });
});

test("validate: free lists that lie: a wrong back link, a block in no list, bitmap bits past the bins", () => {
  const u32 = hs.heap.u32;
  const lists: number[][] = [];
  for (let bin = 0; bin < SMALL_BINS + LARGE_BINS; bin++) {
    const list: number[] = [];
    for (let off = u32[H_BINS + bin]; off !== 0; off = u32[off >>> 2]) list.push(off);
    lists.push(list);
  }
  const two = lists.findIndex((l) => l.length >= 2);
  const one = lists.findIndex((l) => l.length === 1);
  assert.ok(two >= 0 && one >= 0, "setup: a free list of two blocks or more, and one of a single block");
  const second = lists[two][1];
  expect(strings, "corrupt-heap", new RegExp(`block ${second} in free list ${two}: back link 0, want ${lists[two][0]}`), (_u8, w) => void (w[(second + 4) >>> 2] = 0));
  expect(strings, "corrupt-heap", /free blocks, \d+ in free lists/, (_u8, w) => {
    w[H_BINS + one] = 0;
    if (one < SMALL_BINS) w[H_SMALL_MAP] &= ~(1 << one);
    else w[H_LARGE_MAP] &= ~(1 << (one - SMALL_BINS));
  });
  expect(strings, "corrupt-heap", /bin bitmaps mark bins that do not exist/, (_u8, w) => void (w[H_SMALL_MAP] |= 1 << SMALL_BINS));
  expect(strings, "corrupt-heap", /bin bitmaps mark bins that do not exist/, (_u8, w) => void (w[H_LARGE_MAP] |= 1 << LARGE_BINS));
});

test("validate: forged heaps (each breaking one allocator invariant, all else kept true) are corrupt-heap with verifyHeap's own message", () => {
  for (const [name, forge] of forgeries) {
    let detail: string | null = null;
    const err = refused(strings, (_u8, w) => void (detail = forge(w)));
    assert.ok(detail !== null, `setup: the heap has a place for ${name}`);
    assert.equal(err.code, "corrupt-heap", `${name}: ${err.message}`);
    assert.equal(err.detail, detail, name);
  }
});
