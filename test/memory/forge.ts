// Forged heaps for the tests of memory/verify.ts and of a snapshot load: each forgery breaks one
// allocator invariant of memory/heap.ts and keeps every other one true (counts, links, bitmaps
// adjusted as the allocator would have), so that the check of that invariant is the only one
// that can refuse it. Each works on the u32 words of a heap (a Heap's, or a snapshot file's
// heap section, whose offsets are the same) and returns the detail of the SnapshotError
// verifyHeap must throw, or null when the heap has no place for it (the caller asserts not).
import { BLOCK_HEADER, FIRST_BLOCK, H_BINS, H_BLOCKS, H_IN_USE, H_LARGE_MAP, H_LAST, H_SMALL_MAP, H_TOP, LARGE_BINS, SMALL_BINS, USED, binOf } from "../../src/memory/heap.js";

export interface Block {
  /** Offset of the payload. */
  off: number;
  size: number;
  used: boolean;
}

/** The blocks from the first to top, in order. */
export function blocksOf(u32: Uint32Array): Block[] {
  const out: Block[] = [];
  for (let off = FIRST_BLOCK; off < u32[H_TOP]; ) {
    const word = u32[off >>> 2];
    const size = (word & ~USED) >>> 0;
    out.push({ off: off + BLOCK_HEADER, size, used: (word & USED) !== 0 });
    off += BLOCK_HEADER + size;
  }
  return out;
}

/** The free lists, one array of payload offsets a bin. */
export function listsOf(u32: Uint32Array): number[][] {
  const lists: number[][] = [];
  for (let bin = 0; bin < SMALL_BINS + LARGE_BINS; bin++) {
    const list: number[] = [];
    for (let off = u32[H_BINS + bin]; off !== 0; off = u32[off >>> 2]) list.push(off);
    lists.push(list);
  }
  return lists;
}

function setBit(u32: Uint32Array, bin: number, on: boolean): void {
  const word = bin < SMALL_BINS ? H_SMALL_MAP : H_LARGE_MAP;
  const bit = 1 << (bin < SMALL_BINS ? bin : bin - SMALL_BINS);
  u32[word] = on ? (u32[word] | bit) >>> 0 : (u32[word] & ~bit) >>> 0;
}

/** Marks the live block b free and links it at the head of its bin's list, as heap.ts links. */
function freeInPlace(u32: Uint32Array, b: Block): void {
  u32[(b.off - BLOCK_HEADER) >>> 2] = b.size;
  u32[H_IN_USE] -= b.size;
  u32[H_BLOCKS] -= 1;
  const bin = binOf(b.size);
  const head = u32[H_BINS + bin];
  u32[b.off >>> 2] = head;
  u32[(b.off + 4) >>> 2] = 0;
  if (head !== 0) u32[(head + 4) >>> 2] = b.off;
  u32[H_BINS + bin] = b.off;
  setBit(u32, bin, true);
}

/** A live block right after a free one (and not the last block) made free too: two free neighbours. */
export function freeNeighbours(u32: Uint32Array): string | null {
  const bs = blocksOf(u32);
  for (let i = 0; i + 2 < bs.length; i++) {
    if (!bs[i].used && bs[i + 1].used) {
      freeInPlace(u32, bs[i + 1]);
      return `block ${bs[i + 1].off}: two free blocks side by side`;
    }
  }
  return null;
}

/** The last block (live, after a live one) made free: a free block ending at top. */
export function freeAtTop(u32: Uint32Array): string | null {
  const bs = blocksOf(u32);
  const last = bs[bs.length - 1];
  if (bs.length < 2 || !last.used || !bs[bs.length - 2].used) return null;
  freeInPlace(u32, last);
  return `block ${last.off}: a free block ends at top`;
}

/** The last block (live) grown by 8 bytes past top, the header's last-block size and bytes in use grown with it. */
export function pastTop(u32: Uint32Array): string | null {
  const bs = blocksOf(u32);
  const last = bs[bs.length - 1];
  if (!last.used) return null;
  u32[(last.off - BLOCK_HEADER) >>> 2] = (last.size + 8) | USED;
  u32[H_LAST] += 8;
  u32[H_IN_USE] += 8;
  return `block ${last.off}: ${last.size + 8} bytes run past top ${u32[H_TOP]}`;
}

/** A block alone in its list moved to the head of an empty list of another bin. */
export function wrongBin(u32: Uint32Array): string | null {
  const lists = listsOf(u32);
  const from = lists.findIndex((l) => l.length === 1);
  const to = lists.findIndex((l, bin) => l.length === 0 && bin !== from);
  if (from < 0 || to < 0) return null;
  const off = lists[from][0];
  u32[H_BINS + from] = 0;
  setBit(u32, from, false);
  u32[H_BINS + to] = off;
  setBit(u32, to, true);
  return `block ${off} of ${u32[(off - BLOCK_HEADER) >>> 2]} bytes is in free list ${to}`;
}

/**
 * The last block of a list of two or more linked back to its head: the head is listed twice
 * (and the walk of that list would never end). At the head's second visit, the block before
 * it is the tail, but its back link says 0.
 */
export function listCycle(u32: Uint32Array): string | null {
  const lists = listsOf(u32);
  const bin = lists.findIndex((l) => l.length >= 2);
  if (bin < 0) return null;
  const list = lists[bin];
  const tail = list[list.length - 1];
  u32[tail >>> 2] = list[0];
  return `block ${list[0]} in free list ${bin}: back link 0, want ${tail}`;
}

/** A block alone in its list also linked after the tail of another list: listed in two bins. */
export function inTwoLists(u32: Uint32Array): string | null {
  const lists = listsOf(u32);
  const bin = lists.findIndex((l) => l.length === 1);
  const other = lists.findIndex((l, b) => l.length >= 1 && b !== bin);
  if (bin < 0 || other < 0) return null;
  const off = lists[bin][0];
  const tail = lists[other][lists[other].length - 1];
  u32[tail >>> 2] = off;
  return `block ${off} of ${u32[(off - BLOCK_HEADER) >>> 2]} bytes is in free list ${other}`;
}

/** The bitmap bit of a non-empty list cleared: the bitmap says it is empty. */
export function bitmapSaysEmpty(u32: Uint32Array, large: boolean): string | null {
  const lists = listsOf(u32);
  const bin = lists.findIndex((l, b) => l.length > 0 && b >= SMALL_BINS === large);
  if (bin < 0) return null;
  setBit(u32, bin, false);
  return `bin bitmap says list ${bin} is empty`;
}

/** The bitmap bit of an empty list set: the bitmap says it is non-empty. */
export function bitmapSaysNonEmpty(u32: Uint32Array, large: boolean): string | null {
  const lists = listsOf(u32);
  const bin = lists.findIndex((l, b) => l.length === 0 && b >= SMALL_BINS === large);
  if (bin < 0) return null;
  setBit(u32, bin, true);
  return `bin bitmap says list ${bin} is non-empty`;
}

/** A list of one block emptied (bitmap too): a free block in no list. */
export function unlisted(u32: Uint32Array): string | null {
  const lists = listsOf(u32);
  const bin = lists.findIndex((l) => l.length === 1);
  if (bin < 0) return null;
  const free = blocksOf(u32).filter((b) => !b.used).length;
  u32[H_BINS + bin] = 0;
  setBit(u32, bin, false);
  return `${free} free blocks, ${free - 1} in free lists`;
}

/** Every forgery, by name. */
export const forgeries: [string, (u32: Uint32Array) => string | null][] = [
  ["the last block running past top", pastTop],
  ["two free blocks side by side", freeNeighbours],
  ["a free block ending at top", freeAtTop],
  ["a free block in the wrong bin's list", wrongBin],
  ["a block listed twice in one list (a cycle)", listCycle],
  ["a block listed in two lists", inTwoLists],
  ["a small bin's bitmap bit clear for a non-empty list", (u32) => bitmapSaysEmpty(u32, false)],
  ["a large bin's bitmap bit clear for a non-empty list", (u32) => bitmapSaysEmpty(u32, true)],
  ["a small bin's bitmap bit set for an empty list", (u32) => bitmapSaysNonEmpty(u32, false)],
  ["a large bin's bitmap bit set for an empty list", (u32) => bitmapSaysNonEmpty(u32, true)],
  ["a free block in no list", unlisted],
];
