// Checking a heap that came from outside (a snapshot file) before anything allocates from it.
//
// verifyHeap walks every block from the first to `top` and every free list, and throws
// SnapshotError("corrupt-heap") naming the first thing that disagrees with the allocator's
// invariants (memory/heap.ts): sizes that are multiples of 8 and stay inside the heap, each
// block's prevSize equal to the size of the block before it, no two free neighbours, no free
// block ending at top, the header's counts (blocks, inUse, the size of the last block) equal
// to what the walk found, and free lists that hold exactly the free blocks, each in its bin,
// doubly linked (which also refuses a block listed twice: see checkFreeLists), with the bin
// bitmaps saying which lists are non-empty.
//
// What it returns, Blocks, then lets the map's checker (snapshot/validate.ts) claim each block
// the map references: a claim must land on the payload of a live block that is large enough
// and not claimed before. After the map's walk, `unclaimed()` is the number of live blocks
// nothing pointed at. A heap whose blocks are all claimed once, by structures that fit them,
// can be allocated from and freed into safely: no free can hit a wrong offset, no block is
// shared.
//
// Cost: one pass over the block headers, and three bitmaps of one bit per 8 heap bytes (live
// and free blocks, and the blocks claimed).
import { SnapshotError } from "../errors.js";
import {
  BLOCK_HEADER,
  FIRST_BLOCK,
  H_BINS,
  H_BLOCKS,
  H_HIGH_WATER,
  H_IN_USE,
  H_LARGE_MAP,
  H_LAST,
  H_SMALL_MAP,
  H_TOP,
  LARGE_BINS,
  MAX_CAPACITY,
  SMALL_BINS,
  USED,
  binOf,
} from "./heap.js";
import type { Heap } from "./heap.js";

function corrupt(msg: string): never {
  throw new SnapshotError("corrupt-heap", msg);
}

/** One bit per 8-byte unit of the heap. */
class Bitmap {
  private readonly bits: Uint32Array;
  constructor(bytes: number) {
    this.bits = new Uint32Array(Math.ceil(bytes / 256));
  }
  has(off: number): boolean {
    const u = off >>> 3;
    return (this.bits[u >>> 5] & (1 << (u & 31))) !== 0;
  }
  set(off: number): void {
    const u = off >>> 3;
    this.bits[u >>> 5] |= 1 << (u & 31);
  }
}

/** The live blocks of a verified heap, for the map's checker to claim one by one. */
export class Blocks {
  private readonly claimed: Bitmap;
  private claims: number;

  constructor(
    private readonly heap: Heap,
    private readonly live: Bitmap,
    private readonly liveCount: number,
  ) {
    this.claimed = new Bitmap(heap.u32[H_TOP]);
    this.claims = 0;
  }

  /**
   * Records that `what` owns the block whose payload starts at `off` and needs `bytes` of it.
   * Throws SnapshotError("corrupt-map") unless that is a live, unclaimed block large enough.
   */
  claim(off: number, bytes: number, what: string): void {
    if ((off & 7) !== 0 || off < FIRST_BLOCK + BLOCK_HEADER || off >= this.heap.u32[H_TOP] || !this.live.has(off)) {
      throw new SnapshotError("corrupt-map", `${what} points at ${off}, which is not a live heap block`);
    }
    if (this.claimed.has(off)) throw new SnapshotError("corrupt-map", `${what} points at block ${off}, already in use elsewhere`);
    const size = this.heap.sizeOf(off);
    if (size < bytes) throw new SnapshotError("corrupt-map", `${what} needs ${bytes} bytes, block ${off} has ${size}`);
    this.claimed.set(off);
    this.claims++;
  }

  /** Live blocks no claim reached (leaked, or referenced by something the checker missed). */
  unclaimed(): number {
    return this.liveCount - this.claims;
  }
}

/** Checks the allocator's state in a heap of `len` bytes of content; see the header comment. */
export function verifyHeap(heap: Heap): Blocks {
  const u32 = heap.u32;
  const top = u32[H_TOP];
  // A load never fails this (restore has checked top against the file's heap length, itself
  // checked); kept, for one comparison, because every offset below is bounded by top.
  if (top < FIRST_BLOCK || top > heap.capacity || top > MAX_CAPACITY || (top & 7) !== 0) {
    corrupt(`top ${top} is not an 8-aligned offset between ${FIRST_BLOCK} and ${heap.capacity}`);
  }
  if (u32[H_HIGH_WATER] !== top) corrupt(`highWater ${u32[H_HIGH_WATER]}, want top ${top}`);
  const live = new Bitmap(top);
  const free = new Bitmap(top);
  const { liveCount, freeCount } = walkBlocks(heap, live, free);
  checkFreeLists(heap, free, freeCount);
  return new Blocks(heap, live, liveCount);
}

/** The block walk: headers, neighbours and the header's totals. */
function walkBlocks(heap: Heap, live: Bitmap, free: Bitmap): { liveCount: number; freeCount: number } {
  const u32 = heap.u32;
  const top = u32[H_TOP];
  let liveCount = 0;
  let freeCount = 0;
  let inUse = 0;
  let prevSize = 0;
  let prevFree = false;
  let off = FIRST_BLOCK;
  while (off < top) {
    const word = u32[off >>> 2];
    const size = (word & ~USED) >>> 0;
    const used = (word & USED) !== 0;
    const payload = off + BLOCK_HEADER;
    if ((size & 7) !== 0 || size === 0) corrupt(`block ${payload}: size ${size} is not a positive multiple of 8`);
    if (payload + size > top) corrupt(`block ${payload}: ${size} bytes run past top ${top}`);
    if (u32[(off + 4) >>> 2] !== prevSize) corrupt(`block ${payload}: prevSize ${u32[(off + 4) >>> 2]}, the block before has ${prevSize}`);
    if (used) {
      live.set(payload);
      liveCount++;
      inUse += size;
    } else {
      if (prevFree) corrupt(`block ${payload}: two free blocks side by side`);
      if (payload + size === top) corrupt(`block ${payload}: a free block ends at top`);
      free.set(payload);
      freeCount++;
    }
    prevFree = !used;
    prevSize = size;
    off = payload + size;
  }
  if (u32[H_LAST] !== prevSize) corrupt(`last-block size ${u32[H_LAST]}, the walk found ${prevSize}`);
  if (u32[H_BLOCKS] !== liveCount) corrupt(`header counts ${u32[H_BLOCKS]} live blocks, the walk found ${liveCount}`);
  if (u32[H_IN_USE] !== inUse) corrupt(`header counts ${u32[H_IN_USE]} bytes in use, the walk found ${inUse}`);
  return { liveCount, freeCount };
}

/**
 * Every free block in exactly one list, the list of its bin; bitmaps match the lists.
 *
 * No block is listed twice, though nothing here remembers which blocks were seen: a block in
 * two lists is in a list not of its bin at one of its visits, and in one list, the first
 * block visited a second time has a different block before it than at its first visit (0 if
 * it was the head: offsets are never 0; else the one before it then, which would itself have
 * been visited twice before it), while its back link holds one value. So the bin check or the
 * back-link check refuses the first repeat, and that also ends the walk of a list that loops.
 * Then every listed block is a distinct free block, and `listed` can only fall short of
 * `freeCount`.
 */
function checkFreeLists(heap: Heap, free: Bitmap, freeCount: number): void {
  const u32 = heap.u32;
  let listed = 0;
  for (let bin = 0; bin < SMALL_BINS + LARGE_BINS; bin++) {
    let prev = 0;
    for (let off = u32[H_BINS + bin]; off !== 0; off = u32[off >>> 2]) {
      if ((off & 7) !== 0 || off >= u32[H_TOP] || !free.has(off)) corrupt(`free list ${bin} holds ${off}, not a free block`);
      if (binOf(heap.sizeOf(off)) !== bin) corrupt(`block ${off} of ${heap.sizeOf(off)} bytes is in free list ${bin}`);
      if (u32[(off + 4) >>> 2] !== prev) corrupt(`block ${off} in free list ${bin}: back link ${u32[(off + 4) >>> 2]}, want ${prev}`);
      prev = off;
      listed++;
    }
    const mapWord = bin < SMALL_BINS ? H_SMALL_MAP : H_LARGE_MAP;
    const bit = bin < SMALL_BINS ? bin : bin - SMALL_BINS;
    const marked = (u32[mapWord] & (1 << bit)) !== 0;
    if (marked !== (u32[H_BINS + bin] !== 0)) corrupt(`bin bitmap says list ${bin} is ${marked ? "non-empty" : "empty"}`);
  }
  if ((u32[H_SMALL_MAP] >>> SMALL_BINS) !== 0 || (u32[H_LARGE_MAP] >>> LARGE_BINS) !== 0) corrupt("bin bitmaps mark bins that do not exist");
  if (listed !== freeCount) corrupt(`${freeCount} free blocks, ${listed} in free lists`);
}
