// Tests of src/memory/heap.ts: the allocator every map allocates from.
//
// What is pinned: blocks are zeroed and 8-aligned and never overlap; free() merges free
// neighbours and gives a free tail back to the bump area, so freeing everything brings `top`
// back to where a fresh heap starts; inUse and blocks count exactly the live blocks; growth
// keeps every byte; maxBytes is enforced with HeapExhaustedError and no change; hold() defers
// frees until the last unhold(), and releaseHolds() ends them all.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { HEADER_SIZE, Heap, MAX_CAPACITY, ROOT_OFFSET, ROOT_SIZE, View, pageRound } from "../../src/memory/heap.js";

/** Where the first block header sits in a fresh heap. */
const FIRST_BLOCK = ROOT_OFFSET + ROOT_SIZE;

/** A live block of a test: its offset, requested bytes and the byte it was filled with. */
interface Live {
  off: number;
  bytes: number;
  fill: number;
}

function fillBlock(heap: Heap, b: Live): void {
  heap.u8.fill(b.fill, b.off, b.off + b.bytes);
}

function assertFilled(heap: Heap, b: Live): void {
  const u8 = heap.u8;
  for (let i = b.off; i < b.off + b.bytes; i++) {
    if (u8[i] !== b.fill) assert.fail(`block at ${b.off} (${b.bytes} bytes) byte ${i - b.off} is ${u8[i]}, want ${b.fill}`);
  }
}

function assertZero(heap: Heap, off: number, bytes: number): void {
  const u8 = heap.u8;
  for (let i = off; i < off + bytes; i++) {
    if (u8[i] !== 0) assert.fail(`new block at ${off} byte ${i - off} is ${u8[i]}, want 0`);
  }
}

/** Checks the accounting and the no-overlap rule over the live blocks. */
function assertConsistent(heap: Heap, live: Live[]): void {
  const s = heap.stats();
  assert.equal(s.blocks, live.length, "blocks counts live blocks");
  let inUse = 0;
  for (const b of live) inUse += heap.sizeOf(b.off);
  assert.equal(s.inUse, inUse, "inUse is the sum of the live payload sizes");
  assert.equal(heap.inUse, inUse, "the inUse getter reads the same field");
  const sorted = [...live].sort((a, b) => a.off - b.off);
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i];
    assert.ok(heap.sizeOf(b.off) >= b.bytes, "a block is at least as large as asked");
    assert.ok(b.off + heap.sizeOf(b.off) <= s.top, "a block ends at or below top");
    assert.ok(b.off >= FIRST_BLOCK + 8, "a block lies after the root");
    if (i > 0) {
      const p = sorted[i - 1];
      assert.ok(p.off + heap.sizeOf(p.off) <= b.off - 8, `blocks at ${p.off} and ${b.off} overlap (or share a header)`);
    }
  }
  assert.ok(s.top <= s.capacity && s.highWater <= s.capacity && s.top <= s.highWater);
}

test("heap: layout constants of the buffer", () => {
  assert.equal(HEADER_SIZE, 256);
  assert.equal(ROOT_OFFSET, 256);
  assert.equal(ROOT_SIZE, 64);
  assert.equal(MAX_CAPACITY, 2 ** 32 - 2 ** 16);
  const heap = Heap.create();
  const s = heap.stats();
  assert.equal(s.top, FIRST_BLOCK, "a fresh heap's first block starts after the root");
  assert.equal(s.inUse, 0);
  assert.equal(s.blocks, 0);
  assert.ok(s.capacity >= 1024);
  // The header is in the buffer: another Heap over the same bytes sees the same state.
  const off = heap.alloc(100);
  const again = Heap.fromBuffer(heap.buffer);
  assert.deepEqual(again.stats(), heap.stats());
  assert.equal(again.sizeOf(off), heap.sizeOf(off));
  assert.throws(() => Heap.fromBuffer(new ArrayBuffer(4096)), TypeError);
});

test("heap: blocks are 8-aligned, zeroed, at least as large as asked, sizes multiples of 8", () => {
  const heap = Heap.create();
  for (const n of [0, 1, 3, 7, 8, 9, 15, 16, 17, 100, 255, 256, 257, 1000, 4096, 70000]) {
    const off = heap.alloc(n);
    assert.equal(off % 8, 0, `alloc(${n}) is 8-aligned`);
    assert.notEqual(off, 0, "0 is nil, never a payload");
    const size = heap.sizeOf(off);
    assert.ok(size >= Math.max(n, 8), `alloc(${n}) gave ${size} bytes`);
    assert.equal(size % 8, 0);
    assertZero(heap, off, size);
    heap.u8.fill(0xab, off, off + size);
  }
});

test("heap: a reused block is zeroed again", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  const guard = heap.alloc(8); // keeps `a` off the tail, so it goes to a free list
  heap.u8.fill(0xff, a, a + 64);
  heap.free(a);
  const b = heap.alloc(64);
  assert.equal(b, a, "an exact-size free block is reused");
  assertZero(heap, b, 64);
  // A larger free block split for a smaller request: both parts come back zeroed.
  const c = heap.alloc(512);
  heap.alloc(8);
  heap.u8.fill(0xee, c, c + 512);
  heap.free(c);
  const d = heap.alloc(100);
  const e = heap.alloc(200);
  assertZero(heap, d, heap.sizeOf(d));
  assertZero(heap, e, heap.sizeOf(e));
  assert.ok(d >= c && d < c + 512 && e >= c && e < c + 512, "both came out of the freed block");
  heap.free(guard);
});

/** Allocates `bytes`, checks the block is zeroed, fills it with `fill` and tracks it in `live`. */
function allocLive(heap: Heap, live: Live[], bytes: number, fill: number): number {
  const off = heap.alloc(bytes);
  assertZero(heap, off, heap.sizeOf(off));
  const b = { off, bytes, fill };
  fillBlock(heap, b);
  live.push(b);
  return off;
}

test("heap: random alloc/free sequences never overlap and keep every block's bytes (property)", () => {
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("alloc" as const), bytes: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 65, max: 3000 })) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 150 }), (ops) => {
      const heap = Heap.create();
      const live: Live[] = [];
      let fill = 1;
      for (const o of ops) {
        if (o.kind === "alloc") {
          const off = allocLive(heap, live, o.bytes, fill);
          assert.equal(off % 8, 0);
          fill = (fill % 254) + 1;
        } else if (live.length > 0) {
          const [b] = live.splice(o.pick % live.length, 1);
          heap.free(b.off);
        }
        for (const b of live) assertFilled(heap, b);
        assertConsistent(heap, live);
      }
      // Free the rest in random-ish order: the heap must end as it began.
      while (live.length > 0) {
        const [b] = live.splice((live.length * 7919) % live.length, 1);
        heap.free(b.off);
        for (const x of live) assertFilled(heap, x);
        assertConsistent(heap, live);
      }
      const s = heap.stats();
      assert.equal(s.top, FIRST_BLOCK, "freeing everything gives all space back to the bump area");
      assert.equal(s.inUse, 0);
      assert.equal(s.blocks, 0);
    }),
    { numRuns: 150 },
  );
});

test("heap: free merges a block with free neighbours on both sides", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  const b = heap.alloc(64);
  const c = heap.alloc(64);
  const guard = heap.alloc(8);
  heap.free(a);
  heap.free(c);
  heap.free(b); // merges with a (before) and c (after)
  // One free block from a's payload to c's end: a request of the whole span fits at a.
  const whole = c + 64 - a;
  const big = heap.alloc(whole);
  assert.equal(big, a, "the merged block is reused for a request spanning all three");
  assert.equal(heap.stats().blocks, 2);
  heap.free(big);
  heap.free(guard);
  assert.equal(heap.stats().top, FIRST_BLOCK);
});

test("heap: freeing the last block returns it, and free space before it, to top", () => {
  const heap = Heap.create();
  const a = heap.alloc(40);
  const b = heap.alloc(40);
  const c = heap.alloc(40);
  const topBefore = heap.stats().top;
  heap.free(b); // in the middle: stays in a free list
  assert.equal(heap.stats().top, topBefore);
  heap.free(c); // the tail: merges with b and goes back to the bump area
  assert.equal(heap.stats().top, a + heap.sizeOf(a), "top is at the end of the last live block");
  const d = heap.alloc(8);
  assert.equal(d, b, "the next bump allocation starts right after a");
  heap.free(d);
  heap.free(a);
  assert.equal(heap.stats().top, FIRST_BLOCK);
});

test("heap: growth keeps contents and offsets", () => {
  const heap = Heap.create({ initialBytes: 1024 });
  const cap0 = heap.capacity;
  const live: Live[] = [];
  for (let i = 0; i < 200; i++) {
    const b = { off: heap.alloc(8 + (i % 13) * 24), bytes: 8 + (i % 13) * 24, fill: (i % 250) + 1 };
    fillBlock(heap, b);
    live.push(b);
  }
  assert.ok(heap.capacity > cap0, "the heap grew");
  for (const b of live) assertFilled(heap, b);
  assert.equal(heap.u8.length, heap.capacity, "views cover the new buffer");
  assert.equal(heap.u32.length, heap.capacity / 4);
  assert.equal(heap.f64.length, heap.capacity / 8);
  assertConsistent(heap, live);
});

test("heap: a shared heap grows in place and keeps contents", () => {
  const heap = Heap.create({ shared: true, initialBytes: 1024, maxBytes: 1 << 20 });
  assert.ok(heap.buffer instanceof SharedArrayBuffer);
  const buffer = heap.buffer;
  const live: Live[] = [];
  for (let i = 0; i < 50; i++) {
    const b = { off: heap.alloc(200), bytes: 200, fill: i + 1 };
    fillBlock(heap, b);
    live.push(b);
  }
  assert.equal(heap.buffer, buffer, "the same SharedArrayBuffer, grown");
  assert.ok(heap.capacity > 1024);
  for (const b of live) assertFilled(heap, b);
});

test("heap: reserve at maxBytes counts what free blocks can serve, and those allocations then succeed", () => {
  const heap = Heap.create({ initialBytes: 1024, maxBytes: 8192 });
  const live: number[] = [];
  for (;;) {
    try {
      live.push(heap.alloc(80));
    } catch (e) {
      assert.ok(e instanceof HeapExhaustedError);
      break;
    }
  }
  assert.throws(() => heap.reserve(1, 80), HeapExhaustedError, "full: not even one fits");
  // Free three blocks that are not neighbours (each stays a block of its own) and one pair of
  // neighbours (merged: room for 80 + 8 + 80 bytes, so two allocations).
  for (const i of [2, 5, 8, 11, 12]) heap.free(live[i]);
  const before = heap.stats();
  assert.throws(() => heap.reserve(6, 80), HeapExhaustedError, "five fit, six do not");
  assert.deepEqual(heap.stats(), before, "a refused reservation changes nothing");
  heap.reserve(5, 80);
  for (let k = 0; k < 5; k++) assert.ok(heap.alloc(80) > 0, `allocation ${k} of the reservation`);
  assert.throws(() => heap.alloc(80), HeapExhaustedError);
});

test("heap: a split leaves a remainder as small as a header and a link (16 bytes), and reserve counts it", () => {
  // A full heap with one free 24-byte block: an 8-byte allocation from it leaves 16 bytes, a
  // block of its own for another 8 bytes. reserve() and the allocations must agree on that,
  // or a reservation that passed would be followed by an allocation that throws.
  const heap = Heap.create({ initialBytes: 1024, maxBytes: 4096 });
  const live: number[] = [];
  for (const bytes of [24, 8]) {
    for (;;) {
      try {
        live.push(heap.alloc(bytes));
      } catch (e) {
        assert.ok(e instanceof HeapExhaustedError);
        break;
      }
    }
  }
  heap.free(live[3]); // its neighbours stay in use
  assert.equal(heap.sizeOf(live[3]), 24);
  assert.throws(() => heap.reserve(3, 8), HeapExhaustedError, "two fit, three do not");
  heap.reserve(2, 8);
  const top = heap.stats().top;
  assert.equal(heap.alloc(8), live[3]);
  assert.equal(heap.alloc(8), live[3] + 16, "the remainder serves the second");
  assert.equal(heap.stats().top, top);
  assert.throws(() => heap.alloc(8), HeapExhaustedError);
});

/** Allocates `bytes`-byte blocks until the next one would not fit in the buffer as it is. */
function fillToCapacity(heap: Heap, bytes: number): number[] {
  const live: number[] = [];
  while (heap.stats().top + 8 + bytes <= heap.capacity) live.push(heap.alloc(bytes));
  return live;
}

test("heap: fits says whether an allocation needs no growth: room below capacity, or a free block", () => {
  const heap = Heap.create({ initialBytes: 1 << 18 });
  assert.equal(heap.fits(80), true);
  const live = fillToCapacity(heap, 80);
  assert.equal(heap.fits(80), false, "full");
  assert.equal(heap.fits(8), heap.stats().top + 16 <= heap.capacity, "a smaller block may still fit at top");
  heap.free(live[10]);
  assert.equal(heap.fits(80), true, "the freed block serves it");
  assert.equal(heap.fits(160), false, "but not one twice its size");
  const buffer = heap.buffer;
  assert.equal(heap.alloc(80), live[10]);
  assert.equal(heap.buffer, buffer);
});

test("heap: growAhead grows for the allocation and as many bytes again as asked, less than a plain growth", () => {
  const heap = Heap.create({ initialBytes: 1 << 18 });
  const live = fillToCapacity(heap, 80);
  const cap = heap.capacity;
  const top = heap.stats().top;
  const ahead = 500 * 88; // 500 more blocks of 80 bytes after their 8-byte headers
  heap.growAhead(80, ahead);
  const need = top + 88 + ahead;
  assert.ok(heap.capacity >= need, `room for 501 blocks: ${heap.capacity} >= ${need}`);
  assert.ok(heap.capacity < need + 65536, "and no more than a 64 KiB page over it");
  assert.ok(heap.capacity < cap + (cap >>> 1), "less than a plain growth's half");
  assert.equal(heap.stats().top, top, "no block was allocated");
  const buffer = heap.buffer;
  for (let i = 0; i < 501; i++) live.push(heap.alloc(80));
  assert.equal(heap.buffer, buffer, "the 501 blocks fit without another growth");
  assertConsistent(heap, live.map((off) => ({ off, bytes: 80, fill: 0 })));
});

test("heap: growAhead grows by at least a sixteenth", () => {
  const heap = Heap.create({ initialBytes: 1 << 18 });
  fillToCapacity(heap, 80);
  const cap = heap.capacity;
  heap.growAhead(80, 0);
  assert.ok(heap.capacity >= cap + cap / 16, `${heap.capacity} >= ${cap} + 1/16`);
});

test("heap: growAhead stays within maxBytes and never throws; the allocation then says whether it fits", () => {
  const heap = Heap.create({ initialBytes: 4096, maxBytes: 8192 });
  fillToCapacity(heap, 80);
  heap.growAhead(80, 1 << 20);
  assert.equal(heap.capacity, 8192, "as much of the room as maxBytes allows");
  const live = fillToCapacity(heap, 80);
  assert.ok(live.length > 0);
  const before = heap.stats();
  heap.growAhead(80, 1 << 20);
  assert.deepEqual(heap.stats(), before, "full: nothing changes, and nothing is thrown");
  assert.throws(() => heap.alloc(80), HeapExhaustedError);
});

test("heap: growAhead that finds no memory for its room changes nothing; the allocation then grows as it needs", () => {
  const heap = Heap.create({ initialBytes: 1 << 18 });
  const live = fillToCapacity(heap, 80);
  const before = heap.stats();
  const Real = globalThis.ArrayBuffer;
  // An engine that cannot find 64 MiB but can find 1 MiB.
  globalThis.ArrayBuffer = class extends Real {
    constructor(n: number, opts?: unknown) {
      if (n > 1 << 20) throw new RangeError("Array buffer allocation failed");
      super(n, opts as undefined);
    }
  } as ArrayBufferConstructor;
  try {
    heap.growAhead(80, 1 << 26);
    assert.deepEqual(heap.stats(), before, "nothing changed, and nothing was thrown");
    live.push(heap.alloc(80));
  } finally {
    globalThis.ArrayBuffer = Real;
  }
  assert.ok(heap.capacity > before.capacity && heap.capacity <= 1 << 20, "the allocation grew the heap by half");
  assertConsistent(heap, live.map((off) => ({ off, bytes: 80, fill: 0 })));
});

test("heap: maxBytes: an allocation past it throws HeapExhaustedError and changes nothing", () => {
  const heap = Heap.create({ initialBytes: 1024, maxBytes: 8192 });
  const live: Live[] = [];
  let err: unknown = null;
  for (let i = 0; i < 1000 && err === null; i++) {
    try {
      const b = { off: heap.alloc(100), bytes: 100, fill: (i % 250) + 1 };
      fillBlock(heap, b);
      live.push(b);
    } catch (e) {
      err = e;
    }
  }
  assert.ok(err instanceof HeapExhaustedError, "ran out of room");
  assert.ok(err instanceof RangeError, "HeapExhaustedError is a RangeError");
  assert.equal(err.maxBytes, 8192);
  assert.ok(heap.capacity <= 8192);
  const before = heap.stats();
  const bytes = heap.u8.slice();
  assert.throws(() => heap.alloc(4000), HeapExhaustedError);
  assert.throws(() => heap.reserve(1, 4000), HeapExhaustedError);
  assert.deepEqual(heap.stats(), before, "a failed alloc changes no statistic");
  assert.deepEqual(heap.u8, bytes, "a failed alloc changes no byte");
  for (const b of live) assertFilled(heap, b);
  // Still usable: freeing makes room again.
  heap.free(live.pop()!.off);
  const again = heap.alloc(100);
  assert.ok(again > 0);
});

test("heap: maxBytes below what a heap needs throws at create", () => {
  assert.throws(() => Heap.create({ maxBytes: 100 }), HeapExhaustedError);
});

test("heap: absurd sizes (2^31, 2^32 bytes) throw HeapExhaustedError and change nothing", () => {
  const heap = Heap.create({ maxBytes: 1 << 20 });
  const keep = heap.alloc(64);
  heap.u8.fill(7, keep, keep + 64);
  const before = heap.stats();
  for (const n of [2 ** 31 - 4, 2 ** 31, 2 ** 32, 2 ** 32 + 8]) {
    assert.throws(() => heap.alloc(n), HeapExhaustedError, `alloc(${n})`);
    assert.deepEqual(heap.stats(), before, `alloc(${n}) changed nothing`);
  }
  assertFilled(heap, { off: keep, bytes: 64, fill: 7 });
});

test("heap: inUse and blocks accounting across alloc and free", () => {
  const heap = Heap.create();
  const a = heap.alloc(10); // 16
  const b = heap.alloc(24); // 24
  const c = heap.alloc(1); // 8
  assert.deepEqual([heap.sizeOf(a), heap.sizeOf(b), heap.sizeOf(c)], [16, 24, 8]);
  assert.equal(heap.stats().inUse, 48);
  assert.equal(heap.stats().blocks, 3);
  heap.free(b);
  assert.equal(heap.stats().inUse, 24);
  assert.equal(heap.stats().blocks, 2);
  heap.free(0); // free(nil) is a no-op
  assert.equal(heap.stats().blocks, 2);
  heap.free(a);
  heap.free(c);
  assert.deepEqual({ ...heap.stats(), capacity: 0, highWater: 0 }, { capacity: 0, top: FIRST_BLOCK, highWater: 0, inUse: 0, blocks: 0 });
  assert.ok(heap.stats().highWater > FIRST_BLOCK, "highWater remembers bytes ever touched");
});

test("heap: hold() defers frees until the last unhold()", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  const b = heap.alloc(64);
  heap.u8.fill(9, a, a + 64);
  assert.equal(heap.held, false);
  heap.hold();
  heap.hold();
  assert.equal(heap.held, true);
  heap.free(a);
  heap.free(b);
  assert.equal(heap.stats().blocks, 2, "frees wait while held");
  assert.equal(heap.stats().inUse, 128);
  const c = heap.alloc(64);
  assert.ok(c !== a && c !== b, "a held block is not reused");
  assertFilled(heap, { off: a, bytes: 64, fill: 9 });
  heap.unhold();
  assert.equal(heap.held, true);
  assert.equal(heap.stats().blocks, 3, "still held by the second hold");
  heap.unhold();
  assert.equal(heap.held, false);
  assert.equal(heap.stats().blocks, 1, "the last unhold frees both");
  assert.equal(heap.stats().inUse, 64);
  heap.unhold(); // an extra unhold is harmless
  assert.equal(heap.held, false);
  heap.free(c);
  assert.equal(heap.stats().top, FIRST_BLOCK);
  assert.equal(heap.stats().blocks, 0);
});

test("heap: releaseHolds() ends every hold at once, frees what they deferred and bumps holdGeneration", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  heap.hold();
  heap.hold();
  heap.free(a);
  assert.equal(heap.stats().blocks, 1, "deferred while held");
  assert.equal(heap.holdGeneration, 0);
  heap.releaseHolds();
  assert.equal(heap.held, false);
  assert.equal(heap.holdGeneration, 1);
  assert.deepEqual([heap.stats().blocks, heap.stats().top], [0, FIRST_BLOCK], "the deferred free happened");
  // A hold taken after the release defers frees as before.
  heap.hold();
  const b = heap.alloc(8);
  heap.free(b);
  assert.equal(heap.stats().blocks, 1);
  heap.releaseHolds(); // also bumps with one hold
  heap.releaseHolds(); // and with none
  assert.equal(heap.holdGeneration, 3);
  assert.deepEqual([heap.held, heap.stats().blocks], [false, 0]);
});

test("heap: slideDown moves a block over the free block before it, keeping its bytes", () => {
  const heap = Heap.create();
  const a = heap.alloc(64);
  const b = heap.alloc(200);
  const c = heap.alloc(40);
  const guard = heap.alloc(8);
  heap.u8.fill(3, c, c + 40);
  heap.u8.fill(1, a, a + 64);
  heap.free(b); // the free block right before c
  const before = heap.stats();
  const moved = heap.slideDown(c);
  assert.equal(moved, b, "c now starts where b did");
  assertFilled(heap, { off: moved, bytes: 40, fill: 3 });
  assertFilled(heap, { off: a, bytes: 64, fill: 1 });
  assert.equal(heap.sizeOf(moved), 40);
  const after = heap.stats();
  assert.equal(after.inUse, before.inUse, "the same live bytes");
  assert.equal(after.blocks, before.blocks);
  assert.equal(after.top, before.top);
  // The space it left (200 bytes of payload) is free and reusable, zeroed.
  const d = heap.alloc(200);
  assert.equal(d, moved + 40 + 8);
  assertZero(heap, d, 200);
  assertFilled(heap, { off: moved, bytes: 40, fill: 3 });
  // Everything frees back to an empty heap.
  for (const off of [a, moved, d, guard]) heap.free(off);
  assert.equal(heap.stats().top, FIRST_BLOCK);
  assert.equal(heap.stats().blocks, 0);
});

test("heap: slideDown of the last block gives the space it leaves back to top", () => {
  const heap = Heap.create();
  const a = heap.alloc(16);
  const b = heap.alloc(100);
  const c = heap.alloc(24);
  heap.u8.fill(5, c, c + 24);
  heap.free(b);
  const moved = heap.slideDown(c);
  assert.equal(moved, b);
  assertFilled(heap, { off: moved, bytes: 24, fill: 5 });
  assert.equal(heap.stats().top, moved + 24, "top follows the moved block");
  const next = heap.alloc(8);
  assert.equal(next, moved + 24 + 8, "the next bump allocation comes right after");
  heap.free(next);
  heap.free(moved);
  heap.free(a);
  assert.equal(heap.stats().top, FIRST_BLOCK);
});

test("heap: slideDown merges the space it leaves with a free block after it", () => {
  const heap = Heap.create();
  const a = heap.alloc(16);
  const b = heap.alloc(48);
  const c = heap.alloc(32);
  const d = heap.alloc(80);
  const e = heap.alloc(8);
  heap.free(b);
  heap.free(d);
  const moved = heap.slideDown(c);
  assert.equal(moved, b);
  // One free block from the end of c to e: 48 + 8 + 80 bytes of payload.
  const big = heap.alloc(48 + 8 + 80);
  assert.equal(big, moved + 32 + 8, "the two free spaces merged");
  for (const off of [a, moved, big, e]) heap.free(off);
  assert.equal(heap.stats().top, FIRST_BLOCK);
});

test("heap: slideDown does nothing when the block before is in use, for the first block, or while held", () => {
  const heap = Heap.create();
  const a = heap.alloc(16);
  const b = heap.alloc(16);
  assert.equal(heap.slideDown(a), a, "the first block has nothing before it");
  assert.equal(heap.slideDown(b), b, "a is in use");
  const c = heap.alloc(16);
  heap.free(b);
  heap.hold();
  assert.equal(heap.slideDown(c), c, "never while held");
  heap.unhold();
  assert.equal(heap.slideDown(c), b);
});

test("heap: random alloc/free/slideDown sequences keep every block intact (property)", () => {
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("alloc" as const), bytes: fc.integer({ min: 1, max: 600 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("slide" as const), pick: fc.nat() }) },
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
      const heap = Heap.create();
      const live: Live[] = [];
      let fill = 1;
      for (const o of ops) {
        if (o.kind === "alloc") {
          allocLive(heap, live, o.bytes, fill);
          fill = (fill % 254) + 1;
        } else if (live.length > 0) {
          const i = o.pick % live.length;
          if (o.kind === "free") {
            heap.free(live[i].off);
            live.splice(i, 1);
          } else {
            const to = heap.slideDown(live[i].off);
            assert.ok(to <= live[i].off);
            live[i] = { ...live[i], off: to };
          }
        }
        for (const b of live) assertFilled(heap, b);
        assertConsistent(heap, live);
      }
      for (const b of live) heap.free(b.off);
      assert.equal(heap.stats().top, FIRST_BLOCK);
      assert.equal(heap.stats().inUse, 0);
    }),
    { numRuns: 150 },
  );
});

test("heap: shrinkToFit copies into a smaller buffer once most of it is unused, keeping contents", () => {
  const heap = Heap.create();
  const keep = heap.alloc(1000);
  heap.u8.fill(4, keep, keep + 1000);
  const big: number[] = [];
  for (let i = 0; i < 40; i++) big.push(heap.alloc(50_000));
  const grown = heap.capacity;
  assert.ok(grown >= 2_000_000);
  for (const off of big) heap.free(off);
  assert.equal(heap.capacity, grown, "freeing never shrinks by itself");
  heap.hold();
  heap.shrinkToFit();
  assert.equal(heap.capacity, grown, "not while held");
  heap.unhold();
  heap.shrinkToFit();
  assert.ok(heap.capacity < 100_000, `shrunk to ${heap.capacity}`);
  assert.ok(heap.capacity >= heap.stats().top);
  assert.equal(heap.u8.length, heap.capacity);
  assertFilled(heap, { off: keep, bytes: 1000, fill: 4 });
  assert.ok(heap.stats().highWater <= heap.capacity);
  // Still a working heap: allocations are zeroed, and it can grow again.
  const x = heap.alloc(300_000);
  assertZero(heap, x, 300_000);
  assertFilled(heap, { off: keep, bytes: 1000, fill: 4 });
  // A heap with little slack is left alone.
  const cap = heap.capacity;
  heap.shrinkToFit();
  assert.equal(heap.capacity, cap);
  // Shared heaps never shrink.
  const shared = Heap.create({ shared: true, maxBytes: 4 << 20 });
  const s = shared.alloc(2_000_000);
  shared.free(s);
  const scap = shared.capacity;
  shared.shrinkToFit();
  assert.equal(shared.capacity, scap);
});

test("heap: a free block of a large bin whose size is exactly the request's is reused, not passed over", () => {
  for (const bytes of [256, 600, 4096]) {
    const heap = Heap.create();
    const a = heap.alloc(bytes);
    heap.alloc(8); // keeps `a` off the tail
    heap.free(a);
    const top = heap.u32[2];
    assert.equal(heap.alloc(bytes), a, `${bytes} bytes: the exact fit`);
    assert.equal(heap.u32[2], top, "the bump area did not grow");
  }
});

test("heap: only the optional views `views` names are made, over the whole buffer, before and after growth", () => {
  const all = Heap.create();
  const lengths = (h: Heap): number[] => [h.i8.length, h.i16.length, h.f32.length, h.f64.length];
  assert.deepEqual(lengths(all), [all.capacity, all.capacity / 2, all.capacity / 4, all.capacity / 8], "every view by default");
  const some = Heap.create({ views: View.i16 | View.f64 });
  assert.deepEqual(lengths(some), [0, some.capacity / 2, 0, some.capacity / 8]);
  const off = some.alloc(1 << 16); // grows the buffer
  assert.ok(some.capacity > 1 << 16);
  assert.deepEqual(lengths(some), [0, some.capacity / 2, 0, some.capacity / 8], "growth makes the same views anew");
  some.f64[off >>> 3] = 1.5;
  assert.equal(new Float64Array(some.buffer)[off >>> 3], 1.5, "a view over the heap's own bytes");
  const none = Heap.create({ views: 0 });
  assert.deepEqual(lengths(none), [0, 0, 0, 0]);
  assert.equal(none.u32.length, none.capacity / 4, "u8, u16, u32 and i32 are always there");
  assert.equal(Heap.fromBuffer(some.buffer, undefined, View.f32).f32.length, some.capacity / 4);
  assert.equal(Heap.fromBuffer(some.buffer).i8.length, some.capacity, "fromBuffer makes every view unless told");
});

test("heap: capacities are whole 512-byte lines up to 64 KiB, 4 KiB pages up to 1 MiB, 64 KiB units above", () => {
  assert.deepEqual([1, 512, 513, 65536].map(pageRound), [512, 512, 1024, 65536]);
  assert.deepEqual([65537, 90000, 1 << 20].map(pageRound), [69632, 90112, 1 << 20]);
  assert.deepEqual([(1 << 20) + 1, 3_000_000].map(pageRound), [(1 << 20) + 65536, 3_014_656]);
  assert.equal(pageRound(MAX_CAPACITY + 1), MAX_CAPACITY);
  assert.equal(Heap.create({ initialBytes: 70_000 }).capacity, 73_728);
});

test("heap: shrinkToFit gives back more than a quarter and 4 KiB over a fitting buffer from 16 KiB of blocks, 64 KiB below", () => {
  // 35 KiB for 22 KiB of blocks, as a u32 -> u32 map of 1,000 entries kept before.
  const heap = Heap.create({ initialBytes: 35_328 });
  const keep = heap.alloc(21_760);
  heap.u8.fill(7, keep, keep + 21_760);
  const top = heap.stats().top;
  heap.shrinkToFit();
  assert.equal(heap.capacity, pageRound(top), `${top} bytes of blocks`);
  assertFilled(heap, { off: keep, bytes: 21_760, fill: 7 });
  // Within a quarter and 4 KiB: kept, for the overflow buckets to come.
  const near = Heap.create({ initialBytes: 24_576 });
  near.alloc(17_000);
  near.shrinkToFit();
  assert.equal(near.capacity, 24_576);
  // Under 16 KiB of blocks, a buffer is trimmed only 64 KiB and a quarter past them.
  const small = Heap.create({ initialBytes: 8192 });
  small.alloc(1500);
  small.shrinkToFit();
  assert.equal(small.capacity, 8192);
  const spare = Heap.create({ initialBytes: 80_000 });
  spare.alloc(1500);
  spare.shrinkToFit();
  assert.equal(spare.capacity, pageRound(spare.stats().top));
});

test("heap: a heap doubles while under 4 KiB and grows by half from there, keeping every block", () => {
  // A map's buffer starts at 512 bytes (GoMap.make): doubling makes a map of a few dozen
  // entries take fewer new buffers than growing by half would (512, 768, 1,536, 2,560...).
  const heap = Heap.create({ initialBytes: 512 });
  const caps = [heap.capacity];
  const live: Live[] = [];
  while (heap.capacity < 8192) {
    const b = { off: heap.alloc(56), bytes: 56, fill: (live.length % 250) + 1 };
    fillBlock(heap, b);
    live.push(b);
    if (heap.capacity !== caps[caps.length - 1]) caps.push(heap.capacity);
  }
  assert.deepEqual(caps, [512, 1024, 2048, 4096, 6144, 9216]);
  for (const b of live) assertFilled(heap, b);
});
