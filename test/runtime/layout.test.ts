// Tests of src/runtime/layout.ts: Go 1.19's constants, the hmap header's place in the heap,
// and the named bit tricks. These pin the layout, so the inspector and snapshots (which read
// the buffer at these offsets) cannot drift from the runtime.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { GoMap } from "../../src/gomap.js";
import { ROOT_OFFSET, ROOT_SIZE } from "../../src/memory/heap.js";
import { Bucket, Flag, Hmap, Hmap16, Hmap32, Limit, LoadFactor, Top } from "../../src/runtime/layout.js";
import * as L from "../../src/runtime/layout.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { types } from "../../src/types/index.js";

test("layout: Go 1.19's constants", () => {
  assert.equal(Bucket.cntBits, 3);
  assert.equal(Bucket.cnt, 8);
  assert.equal(1 << Bucket.cntBits, Bucket.cnt);
  assert.equal(LoadFactor.num, 13);
  assert.equal(LoadFactor.den, 2);
  assert.equal(Bucket.maxKeySize, 128);
  assert.equal(Bucket.maxElemSize, 128);
  assert.equal(Bucket.dataOffset, 8);
  assert.deepEqual(
    [Top.emptyRest, Top.emptyOne, Top.evacuatedX, Top.evacuatedY, Top.evacuatedEmpty, Top.minTopHash],
    [0, 1, 2, 3, 4, 5],
  );
  assert.deepEqual([Flag.iterator, Flag.oldIterator, Flag.hashWriting, Flag.sameSizeGrow], [1, 2, 4, 8]);
  assert.equal(Limit.noverflowExactBits, 15);
  assert.equal(Limit.maxEvacuationScan, 1024);
});

test("layout: TestHmapSize: hmap header offsets (Go's 64-bit hmap, 8 + 5 * 8 = 48 bytes) relative to the heap's root", () => {
  assert.equal(Hmap.count - ROOT_OFFSET, 0);
  assert.equal(Hmap.flags - ROOT_OFFSET, 8);
  assert.equal(Hmap.B - ROOT_OFFSET, 9);
  assert.equal(Hmap.noverflow - ROOT_OFFSET, 10);
  assert.equal(Hmap.hash0 - ROOT_OFFSET, 12);
  assert.equal(Hmap.buckets - ROOT_OFFSET, 16);
  assert.equal(Hmap.oldbuckets - ROOT_OFFSET, 24);
  assert.equal(Hmap.nevacuate - ROOT_OFFSET, 32);
  assert.equal(Hmap.nextOverflow - ROOT_OFFSET, 40);
  assert.equal(Hmap.size, 8 + 5 * 8, "sizeof(runtime.hmap{}) on a 64-bit platform");
  // gomap's own header fields come after Go's 48 bytes, and all fit the heap's root block.
  for (const off of [Hmap.hasher, Hmap.types, Hmap.hashKey]) assert.ok(off - ROOT_OFFSET >= Hmap.size, `${off}`);
  assert.ok(Hmap.hashKey + 8 - ROOT_OFFSET <= ROOT_SIZE, "the header fits the heap's root block");
  // The typed-array indexes point at the same bytes.
  assert.equal(Hmap32.count * 4, Hmap.count);
  assert.equal(Hmap32.hash0 * 4, Hmap.hash0);
  assert.equal(Hmap32.buckets * 4, Hmap.buckets);
  assert.equal(Hmap32.oldbuckets * 4, Hmap.oldbuckets);
  assert.equal(Hmap32.nevacuate * 4, Hmap.nevacuate);
  assert.equal(Hmap32.nextOverflow * 4, Hmap.nextOverflow);
  assert.equal(Hmap16.noverflow * 2, Hmap.noverflow);
  // 8-byte fields are 8-aligned in the buffer.
  for (const off of [Hmap.count, Hmap.buckets, Hmap.oldbuckets, Hmap.nevacuate, Hmap.nextOverflow]) {
    assert.equal(off % 8, 0);
  }
});

test("layout: a live map's header fields sit at those offsets", () => {
  const m = GoMap.make(types.u32, types.u32, { hint: 20 });
  for (let k = 0; k < 5; k++) m.set(k, k);
  const h = hmapOf(m)!;
  const heap = h.heap;
  assert.equal(heap.u32[(ROOT_OFFSET + 0) >>> 2], 5, "count");
  assert.equal(heap.u8[ROOT_OFFSET + 9], 2, "B for hint 20");
  assert.equal(heap.u32[(ROOT_OFFSET + 16) >>> 2], h.buckets);
  assert.notEqual(h.buckets, 0);
  assert.equal(heap.u32[(ROOT_OFFSET + 12) >>> 2], h.hash0 >>> 0);
  assert.equal(heap.u32[(ROOT_OFFSET + 24) >>> 2], 0, "not growing");
});

test("layout: tophash is the top byte of hi, never below minTopHash", () => {
  for (let top = 0; top < 256; top++) {
    const hi = (top << 24) | 0x00abcdef;
    const th = L.tophash(hi);
    assert.ok(th >= Top.minTopHash && th <= 255, `tophash(${top}<<24) = ${th}`);
    assert.equal(th, top < 5 ? top + 5 : top);
    // int32 and uint32 forms of the same word agree.
    assert.equal(L.tophash(hi >>> 0), th);
  }
  fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (hi) => L.tophash(hi) >= 5 && L.tophash(hi) <= 255));
});

test("layout: isEmpty and evacuatedMark", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 255].map((t) => L.isEmpty(t)),
    [true, true, false, false, false, false, false],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 255].map((t) => L.evacuatedMark(t)),
    [false, false, true, true, true, false, false],
  );
});

test("layout: bucketMask and bucketShift", () => {
  for (let B = 0; B <= 31; B++) assert.equal(L.bucketShift(B), 2 ** B);
  // B never passes 27 (2^B buckets must fit in a heap of under 4 GiB); the mask holds to 30.
  for (let B = 0; B <= 30; B++) assert.equal(L.bucketMask(B), 2 ** B - 1);
});

test("layout: overLoadFactor: the largest count each B holds (B0<=8, B1<=13, B2<=26, B3<=52, B4<=104)", () => {
  const limits = [8, 13, 26, 52, 104, 208, 416, 832, 1664];
  limits.forEach((max, B) => {
    assert.equal(L.overLoadFactor(max, B), false, `B${B} holds ${max}`);
    assert.equal(L.overLoadFactor(max + 1, B), true, `B${B} is over at ${max + 1}`);
  });
  // Never over at 8 or fewer, whatever B.
  for (let B = 0; B < 20; B++) for (let c = 0; c <= 8; c++) assert.equal(L.overLoadFactor(c, B), false);
  // In general 6.5 * 2^B.
  for (let B = 1; B < 28; B++) {
    assert.equal(L.overLoadFactor(6.5 * 2 ** B, B), false);
    assert.equal(L.overLoadFactor(6.5 * 2 ** B + 1, B), true);
  }
});

test("layout: loadLimit(B) is 6.5 * 2^B, the count past which B > 0 doubles", () => {
  for (let B = 0; B < 32; B++) assert.equal(L.loadLimit(B), 6.5 * 2 ** B, `B${B}`);
  for (let B = 1; B < 28; B++) {
    assert.equal(L.overLoadFactor(L.loadLimit(B), B), false, `B${B}`);
    assert.equal(L.overLoadFactor(L.loadLimit(B) + 1, B), true, `B${B}`);
  }
});

test("layout: tooManyOverflowBuckets is noverflow >= 2^min(B, 15)", () => {
  for (let B = 0; B <= 15; B++) {
    assert.equal(L.tooManyOverflowBuckets(2 ** B - 1, B), false, `B${B}`);
    assert.equal(L.tooManyOverflowBuckets(2 ** B, B), true, `B${B}`);
  }
  for (const B of [16, 20, 31]) {
    assert.equal(L.tooManyOverflowBuckets(32767, B), false);
    assert.equal(L.tooManyOverflowBuckets(32768, B), true);
  }
  assert.equal(L.tooManyOverflowBuckets(0, 0), false);
  assert.equal(L.tooManyOverflowBuckets(1, 0), true);
});

test("layout: matchTophash, matchEmpty and slotMask mark exactly the matching slots of a bucket; lowSlot is the first", () => {
  const bucket = fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 5, 0x80, 0x81, 0xff), fc.integer({ min: 0, max: 255 })), { minLength: 8, maxLength: 8 });
  fc.assert(
    fc.property(bucket, fc.integer({ min: 5, max: 255 }), (bytes, top) => {
      const words = new Uint32Array(new Uint8Array(bytes).buffer);
      const pattern = L.tophashPattern(top);
      const hits = L.slotMask(L.matchTophash(words[0], pattern), L.matchTophash(words[1], pattern));
      const empties = L.slotMask(L.matchEmpty(words[0]), L.matchEmpty(words[1]));
      for (let j = 0; j < 8; j++) {
        assert.equal((hits >>> j) & 1, bytes[j] === top ? 1 : 0, `slot ${j} against tophash ${top}`);
        assert.equal((empties >>> j) & 1, bytes[j] <= Top.emptyOne ? 1 : 0, `slot ${j} empty`);
      }
      assert.equal(hits >>> 8, 0);
      assert.equal(empties >>> 8, 0);
      if (hits !== 0) assert.equal(L.lowSlot(hits), bytes.indexOf(top));
      if (empties !== 0) assert.equal(L.lowSlot(empties), bytes.findIndex((b) => b <= Top.emptyOne));
    }),
    { numRuns: 2000 },
  );
});
