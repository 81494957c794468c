// Tests of src/runtime/grow.ts and generic/evacuate.ts: when a map grows (exactly when Go's
// does), that growth is incremental (one or two old buckets evacuated per write, none by
// reads), that it ends, that a same-size growth starts when overflow buckets pile up and
// compacts them, and that the old memory is given back. checkInvariants runs after every step.
import assert from "node:assert/strict";
import test from "node:test";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { Flag, evacuatedMark } from "../../src/runtime/layout.js";
import { arrayBuckets } from "../../src/runtime/makemap.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

/** Old buckets evacuated so far (0 when not growing). */
function evacuatedCount(h: HMap, oldBuckets: number): number {
  if (!h.growing) return oldBuckets;
  let n = 0;
  for (let i = 0; i < oldBuckets; i++) if (evacuatedMark(h.heap.u8[h.oldbuckets + i * h.t.bucketSize])) n++;
  return n;
}

/** Overflow buckets of the current array that are heap blocks of their own. */
function freshOverflow(h: HMap): number {
  const bs = h.t.bucketSize;
  const n = 2 ** h.B;
  const end = h.buckets + arrayBuckets(h.B) * bs;
  let fresh = 0;
  for (let i = 0; i < n; i++) {
    for (let b = h.overflow(h.buckets + i * bs); b !== 0; b = h.overflow(b)) if (b < h.buckets || b >= end) fresh++;
  }
  return fresh;
}

test("grow: inserting 1..2000 into map[uint64]uint64 changes B exactly at Go's inserts", () => {
  const m = GoMap.make(t.u64, t.u64);
  const changes: [number, number][] = [];
  let B = m.inspect().B;
  for (let i = 1; i <= 2000; i++) {
    m.set(i, i);
    const s = m.inspect();
    if (s.B !== B) {
      changes.push([i, s.B]);
      B = s.B;
    }
    checkInvariants(m);
  }
  assert.deepEqual(changes, [
    [9, 1],
    [14, 2],
    [27, 3],
    [53, 4],
    [105, 5],
    [209, 6],
    [417, 7],
    [833, 8],
    [1665, 9],
  ]);
  for (let i = 1; i <= 2000; i++) assert.equal(m.get(i), BigInt(i));
  checkInvariants(m);
});

test("grow: the growths to B1 and B2 finish inside the triggering insert; B3 and up do not", () => {
  const m = GoMap.make(t.u64, t.u64);
  for (let i = 1; i <= 27; i++) {
    m.set(i, i);
    const s = m.inspect();
    if (i === 9 || i === 14) assert.equal(s.growing, false, `growth at #${i} is over`);
    if (i === 27) {
      assert.equal(s.growing, true, "growth at #27 is still running");
      assert.equal(s.sameSizeGrow, false);
      assert.equal(s.oldBuckets, 4);
    }
    checkInvariants(m);
  }
});

test("grow: growth is incremental: at most 2 old buckets per write, none per read, and it ends", () => {
  const m = GoMap.make(t.u64, t.u64);
  for (let i = 1; i <= 1665; i++) m.set(i, i);
  const h = hmapOf(m)!;
  let s = m.inspect();
  assert.equal(s.B, 9);
  assert.equal(s.growing, true, "the insert that starts a growth does not finish it");
  assert.equal(s.oldBuckets, 256);
  assert.ok(s.nevacuate <= 2, `nevacuate ${s.nevacuate} right after the growth started`);
  let evacuated = evacuatedCount(h, 256);
  assert.ok(evacuated >= 1 && evacuated <= 2, `the triggering insert evacuated ${evacuated}`);
  checkInvariants(m);
  let writes = 0;
  let nev = s.nevacuate;
  let k = 1666;
  const want = new Map<number, bigint>();
  for (let i = 1; i <= 1665; i++) want.set(i, BigInt(i));
  while (m.inspect().growing) {
    // A read evacuates nothing.
    for (let r = 1; r <= 1700; r += 37) assert.equal(m.get(r), want.get(r));
    assert.equal(evacuatedCount(h, 256), evacuated, "reads never evacuate");
    // A write (in turn an insert, an update, a delete of a missing key and of a present one).
    switch (writes % 4) {
      case 0:
        m.set(k, 1);
        want.set(k++, 1n);
        break;
      case 1:
        m.set(writes, 7);
        want.set(writes, 7n);
        break;
      case 2:
        assert.equal(m.delete(10_000_000 + writes), false);
        break;
      case 3:
        assert.equal(m.delete(k - 1), true);
        want.delete(k - 1);
        break;
    }
    writes++;
    const now = evacuatedCount(h, 256);
    const moved = now - evacuated;
    assert.ok(moved >= 1 && moved <= 2, `write ${writes} evacuated ${moved} old buckets`);
    evacuated = now;
    s = m.inspect();
    if (s.growing) {
      assert.ok(s.nevacuate >= nev, "nevacuate never goes back");
      nev = s.nevacuate;
      assert.equal(s.B, 9);
    }
    checkInvariants(m);
    assert.ok(writes <= 256, "the growth ends within 2^oldB writes");
  }
  assert.equal(m.size, want.size);
  for (const [key, v] of want) assert.equal(m.get(key), v);
  assert.ok(writes >= 128, `a 256-bucket growth needs at least 128 writes, took ${writes}`);
  assert.equal(m.inspect().oldBuckets, 0);
  assert.equal(m.inspect().nevacuate, 0);
});

test("grow: deletes during a growth move it along too, and lookups see every key, old bucket or new", () => {
  const m = GoMap.make(t.u32, t.string);
  for (let i = 0; i < 833; i++) m.set(i, `v${i}`);
  assert.equal(m.inspect().growing, true);
  for (let i = 0; i < 833; i += 2) {
    assert.equal(m.delete(i), true);
    for (let j = 1; j < 833; j += 50) assert.equal(m.get(j), `v${j}`);
    checkInvariants(m);
  }
  assert.equal(m.inspect().growing, false);
  assert.equal(m.size, 416);
  for (let i = 0; i < 833; i++) assert.equal(m.get(i), i % 2 === 0 ? undefined : `v${i}`);
});

test("grow: a new growth never starts while one runs (B moves one step at a time)", () => {
  const m = GoMap.make(t.u32, t.u32);
  let B = 0;
  for (let i = 0; i < 5000; i++) {
    const before = m.inspect();
    m.set(i, i);
    const after = m.inspect();
    assert.ok(after.B === B || after.B === B + 1);
    if (after.B === B + 1) assert.equal(before.growing, false, "growth starts only when none is running");
    B = after.B;
    // The load may go over 6.5 while a growth runs, never by much.
    assert.ok(after.count <= Math.max(8, 6.5 * 2 ** after.B) + 2 ** after.B, `count ${after.count} for B${after.B}`);
  }
  checkInvariants(m);
});

test("grow: same-size growth: overflow buckets piling up in a map under its load factor start one, and it compacts", () => {
  // hint 100 -> B4 (16 buckets, holds 104). The key's bucket is k / 1000; tophash varies.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 100 });
  const h = hmapOf(m)!;
  assert.equal(h.B, 4);
  // 100 keys in bucket 0: a chain of 13 buckets (12 overflow).
  for (let k = 0; k < 100; k++) {
    m.set(k, k);
    checkInvariants(m);
  }
  assert.equal(h.noverflow, 12);
  // Empty bucket 0; its chain stays (maps never shrink outside a growth).
  for (let k = 0; k < 100; k++) {
    m.delete(k);
    checkInvariants(m);
  }
  assert.equal(m.size, 0);
  assert.equal(h.noverflow, 12);
  // Fill bucket 1: overflow buckets 13..16, then the next new key starts a same-size growth.
  let k = 1000;
  let started = -1;
  for (; k < 1100; k++) {
    const before = m.inspect();
    m.set(k, k);
    checkInvariants(m);
    const s = m.inspect();
    if (!before.growing && (s.growing || s.noverflow < before.noverflow)) {
      started = k - 1000 + 1;
      break;
    }
  }
  assert.equal(started, 34, "the 34th key of bucket 1 (noverflow 16 = 2^B) starts the growth");
  const s = m.inspect();
  assert.equal(s.B, 4, "same size");
  if (s.growing) {
    assert.equal(s.sameSizeGrow, true);
    assert.equal(s.oldBuckets, 16);
    assert.ok((h.flags & Flag.sameSizeGrow) !== 0);
  }
  // Finish the growth with a few writes.
  let writes = 0;
  while (m.inspect().growing) {
    m.set(1000, writes++);
    checkInvariants(m);
    assert.ok(writes <= 16);
  }
  const done = m.inspect();
  assert.equal(done.B, 4);
  assert.equal(done.sameSizeGrow, false, "the flag is cleared when the growth ends");
  assert.equal(done.count, 34);
  // Compacted: bucket 0's empty chain is gone, bucket 1's 34 keys fill 5 buckets (4 overflow).
  assert.equal(h.overflow(h.buckets), 0, "bucket 0 has no overflow chain any more");
  let chain = 0;
  for (let b = h.buckets + h.t.bucketSize; b !== 0; b = h.overflow(b)) chain++;
  assert.equal(chain, 5);
  assert.equal(done.noverflow, 4, "noverflow counts only the new overflow buckets");
  for (let j = 1000; j < 1034; j++) assert.equal(m.get(j), j === 1000 ? writes - 1 : j);
});

test("grow: same-size growth keeps the relative order of a chain's entries (no reordering)", () => {
  // hint 26 -> B2 (holds 26). Keys below 100 go to bucket 0, 100.. to bucket 1, 200.. to bucket 2.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 100) + 10) << 56n) | BigInt(Math.floor(k / 100)));
  const m = GoMap.make(kt, t.u32, { hint: 26 });
  const h = hmapOf(m)!;
  assert.equal(h.B, 2);
  for (let k = 0; k < 24; k++) m.set(k, k); // bucket 0: a chain of 3 (noverflow 2)
  for (let k = 0; k < 24; k += 3) m.delete(k); // 8 holes, 16 keys left
  const order = (): number[] => {
    const out: number[] = [];
    for (let b = h.buckets; b !== 0; b = h.overflow(b)) {
      for (let i = 0; i < 8; i++) if (h.heap.u8[b + i] >= 5) out.push(t.u32.read(h.heap, h.keyAt(b, i)));
    }
    return out;
  };
  const before = order();
  assert.equal(before.length, 16);
  for (let k = 100; k < 109; k++) m.set(k, 0); // bucket 1: noverflow 3
  for (let k = 100; k < 109; k++) m.delete(k);
  for (let k = 200; k < 209; k++) m.set(k, 0); // bucket 2: noverflow 4 = 2^B
  assert.equal(m.inspect().growing, false);
  assert.equal(h.noverflow, 4);
  m.set(209, 0); // a new key with too many overflow buckets: same-size growth (25 <= 26 keys)
  const s = m.inspect();
  assert.equal(s.B, 2);
  assert.equal(s.growing || s.noverflow < 4, true, "a growth started");
  if (s.growing) assert.equal(s.sameSizeGrow, true);
  while (m.inspect().growing) m.set(200, 1);
  assert.deepEqual(order(), before, "bucket 0's keys in the same order, holes dropped");
  assert.notEqual(h.overflow(h.buckets), 0, "16 keys still need 2 buckets");
  assert.equal(h.overflow(h.overflow(h.buckets)), 0, "but no more than 2");
  assert.equal(h.overflow(h.buckets + h.t.bucketSize), 0, "bucket 1's empty overflow bucket is dropped");
  assert.equal(m.size, 26);
  checkInvariants(m);
});

test("grow: when a growth ends the old array and old overflow blocks are freed", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 3000; i++) m.set(i, i);
  while (m.inspect().growing) m.set(0, 0);
  const h = hmapOf(m)!;
  const heap = h.heap.stats();
  const live = h.heap.sizeOf(h.buckets) + freshOverflow(h) * h.t.bucketSize;
  assert.equal(heap.inUse, live, "only the array and its overflow blocks are live");
  assert.equal(heap.blocks, 1 + freshOverflow(h));
  checkInvariants(m);
});

test("grow: string keys and values survive many growths; their bytes are freed once", () => {
  const m = GoMap.make(t.string, t.string);
  for (let i = 0; i < 2000; i++) m.set(`key-${i}`, `value-${i}-${"x".repeat(i % 50)}`);
  for (let i = 0; i < 2000; i++) assert.equal(m.get(`key-${i}`), `value-${i}-${"x".repeat(i % 50)}`);
  checkInvariants(m);
  const h = hmapOf(m)!;
  for (let i = 0; i < 2000; i++) m.delete(`key-${i}`);
  assert.equal(m.size, 0);
  const s = h.heap.stats();
  // What is left: the bucket array (with its pool) and overflow blocks; no string bytes.
  assert.equal(s.inUse, h.heap.sizeOf(h.buckets) + freshOverflow(h) * h.t.bucketSize);
  checkInvariants(m);
});

test("grow: with a full heap mid-growth, deletes and updates of present keys still work (they need no memory)", () => {
  // A fixed seed: whether the new key below needs memory (an overflow bucket, for its own
  // or for an evacuation it does) depends on where keys land; a CI run met a layout where it
  // needed none.
  const m = GoMap.make(t.u32, t.u32, { maxBytes: 1 << 20, seed: 1 });
  const model = new Map<number, number>();
  for (let i = 0; i < 1665; i++) {
    m.set(i, i);
    model.set(i, i);
  }
  const h = hmapOf(m)!;
  assert.equal(h.growing, true);
  // Take every free byte of the heap.
  const taken: number[] = [];
  for (let size = 1 << 16; size >= 8; size >>>= 1) {
    for (;;) {
      try {
        taken.push(h.heap.alloc(size));
      } catch {
        break;
      }
    }
  }
  // An iteration runs across all of it.
  const it = m.entries();
  const seen = new Map<number, number>();
  const step = (): void => {
    const r = it.next();
    if (r.done === true) return;
    const [k, v] = r.value;
    assert.ok(!seen.has(k), `key ${k} twice`);
    assert.equal(v, model.get(k), `key ${k}: the latest value`);
    seen.set(k, v);
  };
  // None of these writes needs memory: a delete frees a slot, an update overwrites one.
  for (let i = 0; i < 100; i++) {
    assert.equal(m.delete(i), true, `delete(${i})`);
    model.delete(i);
    step();
  }
  for (let i = 200; i < 300; i++) {
    m.set(i, 7);
    model.set(i, 7);
    step();
  }
  assert.throws(() => m.set(5000, 1), HeapExhaustedError, "a new key needs memory");
  assert.equal(m.size, model.size);
  for (const [k, v] of model) assert.equal(m.get(k), v);
  checkInvariants(m);
  for (let r = it.next(); r.done !== true; r = it.next()) {
    const [k, v] = r.value;
    assert.ok(!seen.has(k));
    assert.equal(v, model.get(k));
    seen.set(k, v);
  }
  for (const k of model.keys()) if (k >= 100) assert.ok(seen.has(k), `key ${k}, present throughout, was returned`);
  // Memory comes back (once no iterator holds the heap): the growth goes on from where the
  // in-place writes left it, and ends.
  for (const off of taken) h.heap.free(off);
  for (let i = 300; h.growing; i++) {
    m.set(i, i + 1);
    model.set(i, i + 1);
    checkInvariants(m);
  }
  assert.equal(m.size, model.size);
  for (const [k, v] of model) assert.equal(m.get(k), v);
  checkInvariants(m);
});

test("grow: a write whose key's hash throws while the map grows changes nothing, the growth's progress included (DESIGN principle 5)", () => {
  // mapassign hashes the new key before it evacuates anything (growWork), so a hasher that
  // throws leaves even the growth where it was. A hash is a function of its key: this one
  // throws for every key from 100 up, so never for a key already stored, which evacuate
  // rehashes and moves in one pass.
  const spread = (k: number): bigint => BigInt.asUintN(64, BigInt(k) * 0x9e3779b97f4a7c15n) ^ (BigInt(k) << 7n);
  const kt: GoType<number> = hashedBy(t.u32, (k) => {
    if (k >= 100) throw new Error("hasher failed");
    return spread(k);
  });
  const m = GoMap.make(kt, t.u32);
  const model = new Map<number, number>();
  for (let i = 0; i < 27; i++) {
    m.set(i, i);
    model.set(i, i);
  }
  assert.equal(m.inspect().growing, true, "the growth to B3 is running");
  const before = m.toBytes();
  const progress = [m.inspect().nevacuate, m.inspect().oldBucketsLeft];
  for (let i = 100; i < 140; i++) assert.throws(() => m.set(i, i), /hasher failed/);
  assert.deepEqual(m.toBytes(), before, "not a byte changed");
  assert.deepEqual([m.inspect().nevacuate, m.inspect().oldBucketsLeft], progress);
  m.set(27, 27);
  model.set(27, 27);
  assert.equal(m.size, model.size);
  for (const [k, v] of model) assert.equal(m.get(k), v, `key ${k}`);
  checkInvariants(m);
});

test("grow: a NaN key evacuated while an iterator started during the growth runs goes by tophash&1 and gets a fresh tophash (Go's evacuate)", () => {
  // The NaN's hash is a new one at every call, as Go's is random: low bits 3, tophash 0x11
  // when stored and 0x12 when evacuate hashes it again. Key k hashes to bucket k % 3, and key
  // 1000 to bucket 3, the NaN's.
  let nanCalls = 0;
  const kt: GoType<number> = hashedBy(t.f64, (k) => {
    if (Number.isNaN(k)) return (BigInt(0x11 + nanCalls++) << 56n) | 3n;
    return k === 1000 ? (0x40n << 56n) | 3n : (BigInt(0x40 + k) << 56n) | BigInt(k % 3);
  });
  const m = GoMap.make(kt, t.u32, { hint: 20 });
  const h = hmapOf(m as GoMap<unknown, unknown, unknown, unknown>)!;
  assert.equal(h.B, 2);
  m.set(NaN, 1);
  for (let k = 0; k < 26; k++) m.set(k, k); // the 27th entry doubles B2 to B3
  assert.equal(h.growing, true);
  assert.equal(evacuatedMark(h.heap.u8[h.oldbuckets + 3 * h.t.bucketSize]), false, "the NaN's old bucket waits");
  const it = m.entries();
  it.next(); // an iterator started during the growth: evacuate must send NaN keys where it looks
  assert.notEqual(h.flags & Flag.iterator, 0);
  m.set(1000, 0); // evacuates old bucket 3, and the rest
  assert.equal(h.growing, false);
  assert.equal(nanCalls, 2, "evacuate hashed the NaN again");
  const tops = (i: number): number[] => [...h.heap.u8.subarray(h.buckets + i * h.t.bucketSize, h.buckets + i * h.t.bucketSize + 8)];
  // Y (bucket 7) by the stored tophash's low bit (0x11), not X (bucket 3) by the new hash's bit 2.
  assert.deepEqual(tops(7).filter((x) => x === 0x11 || x === 0x12), [0x12], `Y: ${tops(7)}; X: ${tops(3)}`);
  assert.ok(!tops(3).includes(0x11) && !tops(3).includes(0x12));
  it.return?.();
  checkInvariants(m as GoMap<unknown, unknown, unknown, unknown>);
});
