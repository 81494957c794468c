// Tests of src/memory/verify.ts: every heap the allocator itself leaves behind passes (random
// alloc/free sequences, fast-check with a fixed seed), each block can be claimed once and
// only when live, and each allocator invariant broken by hand is named: roughly, on a small
// heap, and exactly, on a real map's heap forged (test/memory/forge.ts) so that only the check
// under test can refuse it.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { SnapshotError } from "../../src/errors.js";
import { FIRST_BLOCK, H_BINS, H_HIGH_WATER, H_LAST, H_TOP, Heap } from "../../src/memory/heap.js";
import { verifyHeap } from "../../src/memory/verify.js";
import { seedFastrand } from "../../src/hash/rand.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { filled, specs } from "../snapshot/helpers.js";
import { forgeries, listsOf } from "./forge.js";

/** A copy of heap as a snapshot would save it: bytes up to top, highWater = top. */
function image(heap: Heap): Heap {
  const top = heap.u32[H_TOP];
  const copy = Heap.fromBuffer(heap.u8.slice(0, Math.max(top, 512)).buffer);
  copy.u32[H_HIGH_WATER] = top;
  return copy;
}

function randomHeap(ops: [boolean, number][]): { heap: Heap; live: number[] } {
  const heap = Heap.create();
  const live: number[] = [];
  for (const [alloc, n] of ops) {
    if (alloc || live.length === 0) live.push(heap.alloc(n));
    else heap.free(live.splice(n % live.length, 1)[0]);
  }
  return { heap, live };
}

const opsArb = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3000 })), { maxLength: 200 });

test("verify: heaps left by any alloc/free sequence pass, and each live block is claimed exactly once", () => {
  fc.assert(
    fc.property(opsArb, (ops) => {
      const { heap, live } = randomHeap(ops);
      const copy = image(heap);
      const blocks = verifyHeap(copy);
      assert.equal(blocks.unclaimed(), live.length);
      for (const off of live) blocks.claim(off, heap.sizeOf(off), "test");
      assert.equal(blocks.unclaimed(), 0);
      if (live.length > 0) assert.throws(() => blocks.claim(live[0], 1, "again"), /already in use/);
    }),
    { numRuns: 300, seed: 20261122 },
  );
});

test("verify: claims must land on a live block large enough", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  const b = heap.alloc(64);
  heap.alloc(64);
  heap.free(b);
  const blocks = verifyHeap(image(heap));
  assert.throws(() => blocks.claim(b, 8, "freed"), /not a live heap block/);
  assert.throws(() => blocks.claim(a + 8, 8, "inside"), /not a live heap block/);
  assert.throws(() => blocks.claim(a, 4096, "too big"), /needs 4096 bytes/);
  assert.throws(() => blocks.claim(3, 8, "odd"), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-map");
  blocks.claim(a, 64, "a");
  assert.equal(blocks.unclaimed(), 1);
});

test("verify: broken allocator invariants are corrupt-heap, named", () => {
  const broken = (fn: (h: Heap) => void, re: RegExp): void => {
    const { heap } = randomHeap([[true, 100], [true, 300], [true, 40], [false, 1], [true, 8]]);
    const copy = image(heap);
    fn(copy);
    assert.throws(() => verifyHeap(copy), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-heap" && re.test(e.message));
  };
  broken((h) => void (h.u32[H_TOP] += 8), /top|past top|last-block|highWater/);
  broken((h) => void (h.u32[H_LAST] += 8), /last-block size/);
  broken((h) => void (h.u32[FIRST_BLOCK >>> 2] |= 2), /not a positive multiple of 8/);
  broken((h) => void (h.u32[(FIRST_BLOCK + 4) >>> 2] = 8), /prevSize/);
  broken((h) => void (h.u32[H_BINS] = FIRST_BLOCK + 8), /free list 0 holds/);
  broken((h) => {
    // Mark the first block free without linking it: not in any free list.
    h.u32[FIRST_BLOCK >>> 2] &= ~1;
  }, /free blocks|bytes in use|live blocks/);
});

test("verify: each forged heap of a real map is refused by its own check, with its own message", () => {
  seedFastrand(20261122);
  const heap = hmapOf(filled(specs[1], 300))!.heap;
  verifyHeap(image(heap)); // the heap as the allocator left it passes
  for (const [name, forge] of forgeries) {
    const copy = image(heap);
    const detail = forge(copy.u32);
    assert.ok(detail !== null, `setup: the heap has a place for ${name}`);
    assert.throws(
      () => verifyHeap(copy),
      (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-heap" && e.detail === detail,
      `${name}: want "${detail}"`,
    );
  }
});

test("verify: any free list link rewritten (and its target's back link, or not) is refused, and the walk ends", () => {
  // verifyHeap keeps no record of the blocks it has listed: a block listed twice, or a list
  // that loops, must be refused by the bin and back-link checks (see checkFreeLists).
  seedFastrand(20261122);
  const heap = hmapOf(filled(specs[1], 300))!.heap;
  const listed = listsOf(heap.u32).flat();
  fc.assert(
    fc.property(fc.nat(listed.length - 1), fc.nat(listed.length), fc.boolean(), (x, y, fixBack) => {
      const copy = image(heap);
      const u32 = copy.u32;
      const from = listed[x];
      const to = y === listed.length ? 0 : listed[y];
      fc.pre(u32[from >>> 2] !== to);
      u32[from >>> 2] = to;
      if (fixBack && to !== 0) u32[(to + 4) >>> 2] = from;
      assert.throws(() => verifyHeap(copy), (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-heap");
    }),
    { numRuns: 500, seed: 20261207 },
  );
});

test("verify: a top that is unaligned, below the first block or past the buffer is named as such", () => {
  // A load never gets here with such a top (restore checks top against the file's heap
  // length first); verifyHeap checks it anyway, as it trusts nothing its caller hands it.
  const { heap } = randomHeap([[true, 100], [true, 300], [true, 40], [false, 1], [true, 8]]);
  for (const top of [FIRST_BLOCK - 8, heap.u32[H_TOP] + 4, 0]) {
    const copy = image(heap);
    const cap = copy.capacity;
    copy.u32[H_TOP] = top;
    copy.u32[H_HIGH_WATER] = top;
    assert.throws(
      () => verifyHeap(copy),
      (e: unknown) => e instanceof SnapshotError && e.code === "corrupt-heap" && e.detail === `top ${top} is not an 8-aligned offset between ${FIRST_BLOCK} and ${cap}`,
      String(top),
    );
  }
  const copy = image(heap);
  const past = copy.capacity + 8;
  copy.u32[H_TOP] = past;
  copy.u32[H_HIGH_WATER] = past;
  assert.throws(() => verifyHeap(copy), (e: unknown) => e instanceof SnapshotError && e.detail === `top ${past} is not an 8-aligned offset between ${FIRST_BLOCK} and ${copy.capacity}`);
});
