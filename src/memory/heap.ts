// The heap one map allocates from: bucket arrays, overflow buckets, string bytes and
// indirect keys and values all live in one buffer, and so does the allocator's own state.
//
// The buffer alone is the whole structure (DESIGN principle 6): a second program handed the
// bytes can find every block from the header below, with nothing else to carry along.
//
// Layout of the buffer (all offsets in bytes, little-endian, u32 fields):
//
//   0        HEADER_SIZE                 ROOT_OFFSET + ROOT_SIZE                 top    capacity
//   +--------+---------------------------+--------+----------+-----+--------+------+--------+
//   | header | root (the map's hmap)     | hdr|payload | hdr|payload | ...   | never used    |
//   +--------+---------------------------+--------+----------+-----+--------+------+--------+
//
//   header:  magic, version, top (end of the last block), highWater (bytes ever touched),
//            inUse (payload bytes of live blocks), blocks (live block count), the size of the
//            block ending at top, two bitmaps of non-empty bins, then one free-list head a bin.
//   block:   an 8-byte header (size | used bit, size of the previous block) before an 8-aligned
//            payload. Sizes are payload bytes, multiples of 8. A free block keeps the offsets of
//            the next and previous free blocks of its bin in its first 8 payload bytes.
//
// Invariants:
// - Every payload is 8-aligned and every allocation is zeroed, as Go's mallocgc zeroes.
// - No two free blocks are neighbours (free() merges), and no free block ends at `top`
//   (free() gives that space back to the bump area instead), so the heap never holds more
//   free blocks than live ones plus one.
// - Offsets are u32: one heap holds at most MAX_CAPACITY bytes. Offset 0 is never a payload,
//   so 0 serves as nil.
// - Bytes at or above highWater have never been written; fresh space there is already zero.
// - No free list holds more blocks than the buffer has room for (MIN_SPLIT bytes each): a
//   walk of one that goes on longer is going round links a buggy thread overwrote in a shared
//   heap, and throws GoMapError rather than loop for ever.
//
// A non-shared heap grows by copying into a larger ArrayBuffer (the views are rebuilt, the
// offsets stay), by half (doubling below SMALL_HEAP) or by what the caller foresees
// (growAhead); a shared heap grows its growable SharedArrayBuffer in place. A resizable
// (non-shared) ArrayBuffer, which could also shrink in place, is not used: in Node 20 reads
// through even fixed-length views of one measured 2.6-3x slower than through a plain
// ArrayBuffer's, where a growable
// SharedArrayBuffer's cost the same. Views are always fixed-length (V8 does not optimise
// length-tracking views over a growable buffer: reads through them measured 16x slower), so a
// thread sharing the heap calls sync() before it reads, to see a growth another thread made;
// offsets past a stale view read `undefined`. A shared heap is refused when made (a
// GoMapError from newSharedBuffer) where SharedArrayBuffer is missing or cannot grow.
import { GoMapError, HeapExhaustedError } from "../errors.js";
import { newSharedBuffer } from "../platform.js";

/** Bytes before the root object. */
export const HEADER_SIZE = 256;
/** Where the root object (the map's hmap header) starts. */
export const ROOT_OFFSET = HEADER_SIZE;
/** Bytes reserved for the root object. */
export const ROOT_SIZE = 64;
/** The first block header. */
export const FIRST_BLOCK = ROOT_OFFSET + ROOT_SIZE;
/** The largest heap a u32 offset can address (a little under 4 GiB). */
export const MAX_CAPACITY = 0x1_0000_0000 - 0x1_0000;
const MAGIC = 0x484d4f47; // "GOMH"
const VERSION = 1;
export const BLOCK_HEADER = 8;
export const USED = 1;

// Header field offsets (u32 index = byte offset / 4); memory/verify.ts reads them too.
const H_MAGIC = 0;
const H_VERSION = 1;
export const H_TOP = 2;
export const H_HIGH_WATER = 3;
export const H_IN_USE = 4;
export const H_BLOCKS = 5;
export const H_LAST = 6; // payload size of the block that ends at top (0 when there is none)
export const H_SMALL_MAP = 7; // bit k set: small bin k is not empty
export const H_LARGE_MAP = 8; // bit k set: large bin SMALL_BINS + k is not empty
export const H_BINS = 9; // the bin heads, u32 words 9..63

// Size bins: exact bins for payloads of 8..SMALL_MAX bytes (one a multiple of 8), then one bin
// for each power of two above that. A free block is in the bin of its size. Two bitmaps say
// which bins hold blocks, so finding a free block never walks empty bins.
const SMALL_MAX = 248;
export const SMALL_BINS = SMALL_MAX / 8; // 31
export const LARGE_BINS = 24; // [249, 512), [512, 1024), ... [2^31, 2^32)
if ((H_BINS + SMALL_BINS + LARGE_BINS) * 4 > 256) throw new Error("heap header overflows HEADER_SIZE");
/**
 * Below this many bytes a heap grows by doubling, not by half: a map's buffer starts at 512
 * bytes (GoMap.make), and each growth is a new ArrayBuffer (1-2 us in Node 20 whatever its
 * size), so a map of a few dozen entries makes fewer of them.
 */
const SMALL_HEAP = 4096;
/** A split leaves a remainder only if it can hold a block header and a free-list link. */
const MIN_SPLIT = BLOCK_HEADER + 8;

/**
 * The views a heap makes beyond u8, u16, u32 and i32, which the runtime reads itself. Only key
 * and value types read these four (types/int.ts, float.ts), and each such type says which it
 * reads (GoType.heapViews); a heap makes the ones its map's types need. A typed array is about 96
 * bytes of the JS heap: a u32 -> u32 map of one entry took 2,950 bytes in all with every view.
 */
export const enum View {
  i8 = 1,
  i16 = 2,
  f32 = 4,
  f64 = 8,
  all = 15,
}

// What a heap holds in place of a view its types never read: empty, so a read gives undefined.
const NO_I8 = new Int8Array(0);
const NO_I16 = new Int16Array(0);
const NO_F32 = new Float32Array(0);
const NO_F64 = new Float64Array(0);

export interface HeapOptions {
  /** Initial capacity in bytes (rounded up). */
  initialBytes?: number;
  /** The most the heap may grow to; allocation past it throws HeapExhaustedError. */
  maxBytes?: number;
  /** Put the heap on a growable SharedArrayBuffer. */
  shared?: boolean;
  /** The optional views to make (View bits); every one when left out. */
  views?: number;
}

/** Statistics of a heap, read from its header. */
export interface HeapStats {
  capacity: number;
  top: number;
  highWater: number;
  inUse: number;
  blocks: number;
}

export function binOf(size: number): number {
  if (size <= SMALL_MAX) return (size >>> 3) - 1;
  const log2 = 31 - Math.clz32(size);
  return SMALL_BINS + (log2 > 8 ? log2 - 8 : 0);
}

/** Index of the lowest set bit of a non-zero word. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The payload size of a block for `bytes` bytes: at least 8, a multiple of 8. */
function blockSize(bytes: number): number {
  return bytes <= 8 ? 8 : roundUp8(bytes);
}

function roundUp8(n: number): number {
  return n < 0x7ffffff8 ? (n + 7) & ~7 : Math.ceil(n / 8) * 8;
}

export class Heap {
  // The buffer and its views, all set by setBuffer (from the constructor and on growth); of
  // i8, i16, f32 and f64, only those `views` names (the others are empty).
  buffer!: ArrayBuffer | SharedArrayBuffer;
  u8!: Uint8Array;
  i8!: Int8Array;
  u16!: Uint16Array;
  i16!: Int16Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  readonly maxBytes: number;
  readonly shared: boolean;
  /** Which of the optional views this heap makes (View bits). */
  readonly views: number;
  /** Readers (iterators) that may still look at freed memory; while any, frees wait. */
  private holds: number;
  /** Blocks freed while held, freed for real when the last hold ends. */
  private deferred: number[];
  /**
   * Bumped by releaseHolds(), which gives back every hold at once: a hold taken before the
   * bump (its holder read holdGeneration then) is no longer there to give back.
   */
  holdGeneration: number;

  private constructor(buffer: ArrayBuffer | SharedArrayBuffer, maxBytes: number, shared: boolean, views: number) {
    this.views = views;
    this.setBuffer(buffer);
    this.maxBytes = maxBytes;
    this.shared = shared;
    this.holds = 0;
    this.deferred = [];
    this.holdGeneration = 0;
  }

  /**
   * Starts a hold: until the matching unhold(), free() only records blocks, so a reader
   * that saved offsets (an iterator walking an old bucket array) never sees them reused.
   */
  hold(): void {
    this.holds++;
  }

  /** Ends a hold; the last one frees every block freed meanwhile. */
  unhold(): void {
    if (this.holds === 0) return;
    if (--this.holds > 0) return;
    const blocks = this.deferred;
    this.deferred = [];
    for (let i = 0; i < blocks.length; i++) this.release(blocks[i]);
  }

  /**
   * Ends every hold at once (a map's clear, which ends every iteration over it), freeing what
   * they deferred. Holders tell by holdGeneration that theirs went with it.
   */
  releaseHolds(): void {
    this.holdGeneration++;
    if (this.holds === 0) return;
    this.holds = 1;
    this.unhold();
  }

  /** Whether frees are being deferred. */
  get held(): boolean {
    return this.holds > 0;
  }

  /** The blocks freed while held, waiting for the last unhold (a snapshot frees them in its copy). */
  get pendingFrees(): readonly number[] {
    return this.deferred;
  }

  /** A new, empty heap. */
  static create(opts: HeapOptions = {}): Heap {
    const maxBytes = Math.min(opts.maxBytes ?? MAX_CAPACITY, MAX_CAPACITY);
    const initial = Math.min(pageRound(Math.max(opts.initialBytes ?? 1024, FIRST_BLOCK + 64)), maxBytes);
    if (initial > maxBytes || FIRST_BLOCK + 64 > maxBytes) {
      throw new HeapExhaustedError(FIRST_BLOCK + 64, 0, maxBytes);
    }
    const shared = opts.shared === true;
    const buffer = newBuffer(initial, maxBytes, shared);
    const heap = new Heap(buffer, maxBytes, shared, opts.views ?? View.all);
    const h = heap.u32;
    h[H_MAGIC] = MAGIC;
    h[H_VERSION] = VERSION;
    h[H_TOP] = FIRST_BLOCK;
    h[H_HIGH_WATER] = FIRST_BLOCK;
    return heap;
  }

  /**
   * The heap whose bytes are `buffer`, as create() or another program left them. A growable
   * SharedArrayBuffer's own maxByteLength is the default bound. `views` as HeapOptions'.
   */
  static fromBuffer(buffer: ArrayBuffer | SharedArrayBuffer, maxBytes?: number, views: number = View.all): Heap {
    const shared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    const bound = maxBytes ?? (shared ? (buffer as SharedArrayBuffer).maxByteLength : MAX_CAPACITY);
    const heap = new Heap(buffer, Math.min(bound, MAX_CAPACITY), shared, views);
    if (buffer.byteLength < FIRST_BLOCK || heap.u32[H_MAGIC] !== MAGIC || heap.u32[H_VERSION] !== VERSION) {
      throw new TypeError("gomap: not a gomap heap (bad magic or version)");
    }
    return heap;
  }

  get capacity(): number {
    return this.buffer.byteLength;
  }

  /**
   * A shared heap: rebuilds the views if another thread grew the buffer since they were made.
   * Call before reading a shared heap; a no-op for a heap of one thread.
   */
  sync(): void {
    if (this.shared === false) return; // not `!this.shared`: see runtime/maptype.ts
    if (this.buffer.byteLength !== this.u8.length) this.setBuffer(this.buffer);
  }

  /** Payload bytes of the live blocks. */
  get inUse(): number {
    return this.u32[H_IN_USE];
  }

  stats(): HeapStats {
    const h = this.u32;
    return { capacity: this.capacity, top: h[H_TOP], highWater: h[H_HIGH_WATER], inUse: h[H_IN_USE], blocks: h[H_BLOCKS] };
  }

  /** Payload size of the block at `off`. */
  sizeOf(off: number): number {
    return (this.u32[(off - BLOCK_HEADER) >>> 2] & ~USED) >>> 0;
  }

  /**
   * A zeroed, 8-aligned block of at least `bytes` bytes; its offset. Throws
   * HeapExhaustedError (and changes nothing) when the heap cannot grow to fit it.
   */
  alloc(bytes: number): number {
    if (!(bytes <= this.maxBytes)) throw new HeapExhaustedError(bytes, this.capacity, this.maxBytes);
    const size = blockSize(bytes);
    let off = this.takeFree(size);
    if (off === 0) off = this.bump(size);
    const u32 = this.u32;
    const got = (u32[(off - BLOCK_HEADER) >>> 2] & ~USED) >>> 0;
    u32[H_IN_USE] += got;
    u32[H_BLOCKS]++;
    const hw = u32[H_HIGH_WATER];
    const end = off + got;
    if (off < hw) this.zero(off, (end < hw ? end : hw) - off);
    if (end > hw) u32[H_HIGH_WATER] = end;
    return off;
  }

  /** Zeroes n bytes at off: a plain loop for small runs, where a native fill costs more. */
  zero(off: number, n: number): void {
    if (n > 64) {
      this.u8.fill(0, off, off + n);
    } else if (((off | n) & 3) === 0) {
      const u32 = this.u32;
      for (let w = off >>> 2, end = (off + n) >>> 2; w < end; w++) u32[w] = 0;
    } else {
      const u8 = this.u8;
      for (let j = off, end = off + n; j < end; j++) u8[j] = 0;
    }
  }

  /** Gives the block at `off` back (later, while held). Freeing 0 is a no-op, as free(nil) is. */
  free(off: number): void {
    if (off === 0) return;
    if (this.holds > 0) {
      this.deferred.push(off);
      return;
    }
    this.release(off);
  }

  private release(off: number): void {
    const u32 = this.u32;
    let hdr = (off - BLOCK_HEADER) >>> 2;
    let size = (u32[hdr] & ~USED) >>> 0;
    u32[H_IN_USE] -= size;
    u32[H_BLOCKS]--;
    // Merge with the following block if it is free.
    const nextOff = off + size + BLOCK_HEADER;
    if (nextOff < u32[H_TOP] + BLOCK_HEADER) {
      const nhdr = (nextOff - BLOCK_HEADER) >>> 2;
      if ((u32[nhdr] & USED) === 0) {
        const nsize = u32[nhdr];
        this.unlink(nextOff, nsize);
        size += nsize + BLOCK_HEADER;
      }
    }
    // Merge with the preceding block if it is free.
    const prevSize = u32[hdr + 1];
    if (prevSize !== 0) {
      const poff = off - BLOCK_HEADER - prevSize;
      const phdr = (poff - BLOCK_HEADER) >>> 2;
      if ((u32[phdr] & USED) === 0) {
        this.unlink(poff, prevSize);
        size += prevSize + BLOCK_HEADER;
        off = poff;
        hdr = phdr;
      }
    }
    const end = off + size;
    if (end === u32[H_TOP]) {
      // The block is the last one: return it to the bump area.
      u32[H_TOP] = off - BLOCK_HEADER;
      u32[H_LAST] = u32[hdr + 1];
      return;
    }
    u32[hdr] = size;
    u32[(end + 4) >>> 2] = size; // the next block's prevSize
    this.link(off, size);
  }

  /**
   * Makes sure the next `count` allocations of `bytes` bytes each will succeed: grows the
   * buffer now if they need it, counting the free blocks that can serve some of them, so a
   * heap at its maxBytes that has freed space still takes them. Throws HeapExhaustedError,
   * changing nothing, when they cannot all fit.
   */
  reserve(count: number, bytes: number): void {
    const size = blockSize(bytes);
    const each = size + BLOCK_HEADER;
    const top = this.u32[H_TOP];
    if (top + count * each <= this.capacity) return;
    if (top + count * each <= this.maxBytes) {
      this.growTo(top + count * each);
      return;
    }
    const rest = count - this.freeFits(size, count);
    if (rest > 0 && top + rest * each > this.capacity) this.growTo(top + rest * each);
  }

  /** Whether an allocation of `bytes` bytes would succeed without growing the buffer. */
  fits(bytes: number): boolean {
    const size = blockSize(bytes);
    return this.u32[H_TOP] + size + BLOCK_HEADER <= this.capacity || this.freeFits(size, 1) > 0;
  }

  /**
   * Grows the buffer for an allocation of `bytes` bytes that does not fit (see fits), with
   * `ahead` bytes more beside it, and at least a sixteenth more (so that repeated calls copy
   * the heap a bounded number of times as it doubles), where a growth otherwise adds half.
   * For a caller that knows how much more it will soon need: the buffer then fits the heap
   * more closely. Within maxBytes; never throws (the allocation itself throws if it cannot
   * fit).
   */
  growAhead(bytes: number, ahead: number): void {
    const size = blockSize(bytes);
    const top = this.u32[H_TOP] + size + BLOCK_HEADER;
    const cap = this.capacity;
    if (top > this.maxBytes) return;
    const need = Math.min(this.maxBytes, top + Math.max(0, ahead));
    try {
      this.growTo(need, Math.max(need, cap + (cap >>> 4)));
    } catch (err) {
      // No memory for that much: the allocation grows the heap as far as it needs, or throws.
      if (!(err instanceof HeapExhaustedError)) throw err;
    }
  }

  /**
   * How many allocations of `size` bytes (a multiple of 8) the free blocks can serve, counted
   * up to `limit`: each block serves one, and then its remainder (as split() leaves it) more.
   */
  private freeFits(size: number, limit: number): number {
    const u32 = this.u32;
    let n = 0;
    let left = this.maxFreeBlocks;
    for (let bin = binOf(size); bin < SMALL_BINS + LARGE_BINS; bin++) {
      for (let off = u32[H_BINS + bin]; off !== 0; off = u32[off >>> 2]) {
        if (--left < 0) freeListRound(bin);
        let bsize = u32[(off - BLOCK_HEADER) >>> 2];
        while (bsize >= size) {
          if (++n >= limit) return n;
          if (bsize - size < MIN_SPLIT) break;
          bsize -= size + BLOCK_HEADER;
        }
      }
    }
    return n;
  }

  /**
   * Slides the block at `off` down over the free block right before it, if there is one, and
   * returns its new offset (or `off` unchanged). The bytes move with it; the space it leaves
   * becomes free (or goes back to the bump area). Whoever holds offsets into the block must
   * fix them. Never while held: a reader may still use the old offsets. Sliding the last block
   * may also move the heap into a smaller buffer, as shrinkToFit would: take views afterwards.
   */
  slideDown(off: number): number {
    const u32 = this.u32;
    const hdr = (off - BLOCK_HEADER) >>> 2;
    const size = (u32[hdr] & ~USED) >>> 0;
    const prevSize = u32[hdr + 1];
    if (this.holds > 0 || prevSize === 0) return off;
    const poff = off - BLOCK_HEADER - prevSize;
    const phdr = (poff - BLOCK_HEADER) >>> 2;
    if ((u32[phdr] & USED) !== 0) return off;
    this.unlink(poff, prevSize);
    const grandPrev = u32[phdr + 1];
    const rest = poff + size;
    const end = off + size;
    // Move header and payload down to where the free block's header was. The last block's
    // space goes back to top, and when that leaves the buffer mostly unused, the slide and
    // shrinkToFit's copy are one copy into a fitting buffer (which replaces the views).
    const last = end === u32[H_TOP];
    if (last) this.moveDown(poff - BLOCK_HEADER, off - BLOCK_HEADER, end, rest);
    else this.u8.copyWithin(poff - BLOCK_HEADER, off - BLOCK_HEADER, end);
    const v = this.u32;
    v[phdr] = size | USED;
    v[phdr + 1] = grandPrev;
    if (last) {
      v[H_TOP] = rest;
      v[H_LAST] = size;
      return poff;
    }
    // The space left behind, [poff + size, off + size), is free: merge it with the next block
    // if that is free. It never ends at top: it ends where the slid block did (not the last
    // block), or where the next free block did, and no free block ends at top (the header's
    // invariant), so it always goes to a free list.
    let freeSize = prevSize;
    const next = end + BLOCK_HEADER;
    if ((u32[end >>> 2] & USED) === 0) {
      const nsize = u32[end >>> 2];
      this.unlink(next, nsize);
      freeSize += nsize + BLOCK_HEADER;
    }
    const foff = rest + BLOCK_HEADER;
    u32[rest >>> 2] = freeSize;
    u32[(rest + 4) >>> 2] = size;
    const fend = foff + freeSize;
    u32[(fend + 4) >>> 2] = freeSize;
    this.link(foff, freeSize);
    return poff;
  }

  /**
   * Copies the heap into a buffer just large enough for its blocks, when the buffer has grown
   * well past them: the only way to give memory back from JS. Not for shared heaps, whose
   * buffer other threads hold, nor while held.
   */
  shrinkToFit(): void {
    const top = this.u32[H_TOP];
    const buffer = this.fittingBuffer(top);
    if (buffer === null) return;
    new Uint8Array(buffer).set(this.u8.subarray(0, top));
    this.setBuffer(buffer);
    this.u32[H_HIGH_WATER] = top;
  }

  /** A new buffer for a heap whose top will be `top`, when shrinkToFit should shrink; else null. */
  private fittingBuffer(top: number): ArrayBuffer | null {
    if (this.shared || this.holds > 0) return null;
    // Kept: a quarter more than a fitting buffer, room for the overflow buckets to come (which
    // would otherwise grow it again at once), and 4 KiB; under 16 KiB of blocks, 64 KiB: each
    // trim is one more ArrayBuffer (1-2 us) a doubling, which a map of a few hundred entries
    // feels (20% more an insert when every small heap was trimmed). 64 KiB for every heap, as
    // before, left maps of 1,000-10,000 entries in buffers half as large again as their blocks.
    const fit = pageRound(top);
    if (this.capacity <= fit + (top >>> 2) + (top < 16384 ? 65536 : 4096)) return null;
    try {
      return new ArrayBuffer(fit);
    } catch {
      return null; // keeping the larger buffer is always correct
    }
  }

  /**
   * Moves the bytes [from, end) down to `to`, where they will end the heap at `top`: in place,
   * or, when shrinkToFit would shrink the heap afterwards, straight into the smaller buffer
   * with the bytes below `to`, so the block is copied once, not twice.
   */
  private moveDown(to: number, from: number, end: number, top: number): void {
    const buffer = this.fittingBuffer(top);
    if (buffer === null) {
      this.u8.copyWithin(to, from, end);
      return;
    }
    const u8 = new Uint8Array(buffer);
    u8.set(this.u8.subarray(0, to));
    u8.set(this.u8.subarray(from, end), to);
    this.setBuffer(buffer);
    this.u32[H_HIGH_WATER] = top;
  }

  // --- free lists ---------------------------------------------------------------------------

  /** More free blocks than the buffer can hold (see the header's invariants). */
  private get maxFreeBlocks(): number {
    return Math.floor(this.u8.length / MIN_SPLIT) + 1;
  }

  private takeFree(size: number): number {
    const u32 = this.u32;
    const bin = binOf(size);
    if (bin < SMALL_BINS) {
      // Every block in a small bin at or above `bin` is large enough: take the first one.
      const m = u32[H_SMALL_MAP] & (-1 << bin);
      if (m !== 0) return this.take(u32[H_BINS + lowestBit(m)], size);
    }
    // Large bins hold a range of sizes: first fit, from the request's bin up.
    const from = bin < SMALL_BINS ? 0 : bin - SMALL_BINS;
    let left = this.maxFreeBlocks;
    for (let m = u32[H_LARGE_MAP] & (-1 << from); m !== 0; m &= m - 1) {
      for (let off = u32[H_BINS + SMALL_BINS + lowestBit(m)]; off !== 0; off = u32[off >>> 2]) {
        if (--left < 0) freeListRound(SMALL_BINS + lowestBit(m));
        if (u32[(off - BLOCK_HEADER) >>> 2] >= size) return this.take(off, size);
      }
    }
    return 0;
  }

  /** Unlinks the free block at off and uses its first `size` bytes. */
  private take(off: number, size: number): number {
    const bsize = this.u32[(off - BLOCK_HEADER) >>> 2];
    this.unlink(off, bsize);
    this.split(off, bsize, size);
    return off;
  }

  /** Marks [off, off+size) used, and frees what is left of a block of `bsize` bytes. */
  private split(off: number, bsize: number, size: number): void {
    const u32 = this.u32;
    const hdr = (off - BLOCK_HEADER) >>> 2;
    const rest = bsize - size;
    if (rest < MIN_SPLIT) {
      u32[hdr] = bsize | USED;
      return;
    }
    u32[hdr] = size | USED;
    const roff = off + size + BLOCK_HEADER;
    const rsize = rest - BLOCK_HEADER;
    u32[(roff - BLOCK_HEADER) >>> 2] = rsize;
    u32[(roff - BLOCK_HEADER + 4) >>> 2] = size;
    u32[(roff + rsize + 4) >>> 2] = rsize; // the following block's prevSize
    this.link(roff, rsize);
  }

  private link(off: number, size: number): void {
    const u32 = this.u32;
    const bin = binOf(size);
    const head = u32[H_BINS + bin];
    u32[off >>> 2] = head;
    u32[(off + 4) >>> 2] = 0;
    if (head !== 0) u32[(head + 4) >>> 2] = off;
    u32[H_BINS + bin] = off;
    if (bin < SMALL_BINS) u32[H_SMALL_MAP] |= 1 << bin;
    else u32[H_LARGE_MAP] |= 1 << (bin - SMALL_BINS);
  }

  private unlink(off: number, size: number): void {
    const u32 = this.u32;
    const next = u32[off >>> 2];
    const prev = u32[(off + 4) >>> 2];
    if (next !== 0) u32[(next + 4) >>> 2] = prev;
    if (prev !== 0) {
      u32[prev >>> 2] = next;
      return;
    }
    const bin = binOf(size);
    u32[H_BINS + bin] = next;
    if (next !== 0) return;
    if (bin < SMALL_BINS) u32[H_SMALL_MAP] &= ~(1 << bin);
    else u32[H_LARGE_MAP] &= ~(1 << (bin - SMALL_BINS));
  }

  // --- the bump area ------------------------------------------------------------------------

  private bump(size: number): number {
    const u32 = this.u32;
    const top = u32[H_TOP];
    const end = top + BLOCK_HEADER + size;
    if (end > this.capacity) this.growTo(end);
    const u = this.u32;
    // The previous block's size, for merging: the block that ends at `top`, if any.
    u[top >>> 2] = size | USED;
    u[(top + 4) >>> 2] = u[H_LAST];
    u[H_LAST] = size;
    u[H_TOP] = end;
    return top + BLOCK_HEADER;
  }

  /** Replaces the buffer (or grows a shared one) to hold `need` bytes; `size` (at least need)
   *  is the capacity wanted, by default grown(capacity). */
  private growTo(need: number, size = Math.max(need, grown(this.capacity))): void {
    if (need > this.maxBytes) throw new HeapExhaustedError(need, this.capacity, this.maxBytes);
    const cap = this.capacity;
    const wanted = Math.min(this.maxBytes, pageRound(size));
    let buffer: ArrayBuffer | SharedArrayBuffer;
    try {
      if (this.shared) {
        buffer = this.buffer;
        // Another thread may have grown it already; a growable buffer never shrinks.
        if ((buffer as SharedArrayBuffer).byteLength < wanted) (buffer as SharedArrayBuffer).grow(wanted);
      } else {
        buffer = new ArrayBuffer(wanted);
        new Uint8Array(buffer).set(this.u8.subarray(0, this.u32[H_HIGH_WATER]));
      }
    } catch (err) {
      throw new HeapExhaustedError(need, cap, this.maxBytes, err);
    }
    this.setBuffer(buffer);
  }

  private setBuffer(buffer: ArrayBuffer | SharedArrayBuffer): void {
    const len = buffer.byteLength;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer, 0, len);
    this.u16 = new Uint16Array(buffer, 0, len >>> 1);
    this.u32 = new Uint32Array(buffer, 0, len >>> 2);
    this.i32 = new Int32Array(buffer, 0, len >>> 2);
    const v = this.views;
    this.i8 = (v & View.i8) !== 0 ? new Int8Array(buffer, 0, len) : NO_I8;
    this.i16 = (v & View.i16) !== 0 ? new Int16Array(buffer, 0, len >>> 1) : NO_I16;
    this.f32 = (v & View.f32) !== 0 ? new Float32Array(buffer, 0, len >>> 2) : NO_F32;
    this.f64 = (v & View.f64) !== 0 ? new Float64Array(buffer, 0, len >>> 3) : NO_F64;
  }

}

/** A walk of free list `bin` that went past maxFreeBlocks. */
function freeListRound(bin: number): never {
  throw new GoMapError(`gomap: the heap's free list ${bin} goes round: its memory is corrupt`);
}

/** The capacity a growth asks for by default: half as much again, twice below SMALL_HEAP. */
function grown(capacity: number): number {
  return capacity + (capacity < SMALL_HEAP ? capacity : capacity >>> 1);
}

/**
 * Capacity for `n` bytes: whole 512-byte lines up to 64 KiB, 4 KiB pages up to 1 MiB, whole
 * 64 KiB units above (where one is under 6% of the heap). 64 KiB units from 64 KiB up made a
 * u32 -> u32 map of 5,000 entries (87 KiB of blocks) a 128 KiB buffer.
 */
export function pageRound(n: number): number {
  const unit = n <= 65536 ? 512 : n <= 1 << 20 ? 4096 : 65536;
  return Math.min(Math.ceil(n / unit) * unit, MAX_CAPACITY);
}

/**
 * A zeroed buffer of `bytes`: an ArrayBuffer, or a growable SharedArrayBuffer up to maxBytes.
 * HeapExhaustedError when there is no memory for it; GoMapError when the environment has no
 * growable SharedArrayBuffer.
 */
export function newBuffer(bytes: number, maxBytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  try {
    if (shared) return newSharedBuffer(bytes, "a shared map (shared: true)", maxBytes);
    return new ArrayBuffer(bytes);
  } catch (err) {
    // No SharedArrayBuffer, or none that grows: not a want of memory, and said as such.
    if (err instanceof GoMapError) throw err;
    throw new HeapExhaustedError(bytes, 0, maxBytes, err);
  }
}
