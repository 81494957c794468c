// mapStats: a map's shape as plain data (what m.inspect() and inspect.map() return), read
// from the hmap header and one walk over every chain that can hold entries.
//
// Read-only: nothing here writes to the heap, allocates in it, sets a flag or evacuates, so
// inspecting a map never changes it (a test compares the heap's bytes before and after).
// Reads never check hashWriting either: inspecting from inside update's callback or a trace
// listener is allowed and shows the map as the write has left it so far.
//
// What is walked: every bucket of the current array with its overflow chain, and, during a
// growth, every old bucket not yet evacuated with its chain. An evacuated old chain is not
// followed: its overflow blocks were freed (the links stay, for running iterators).
//
// The bytes partition the heap buffer exactly:
//   total = buckets + overflow + strings + indirect + wasted
// buckets:  the blocks of the bucket arrays (current and old), overflow pools included;
// overflow: overflow buckets that are heap blocks of their own (not from a pool);
// strings:  the blocks holding the bytes of strings longer than 12 bytes (keys and values);
// indirect: the blocks of keys and values over 128 bytes, stored out of line;
// wasted:   everything else: the allocator's and hmap's headers, block headers, free blocks
//           and the buffer's unused tail. (Unused pool buckets are part of `buckets`.)
import type { HeapStats } from "../memory/heap.js";
import { checkOptionKeys } from "../options.js";
import { noldbuckets } from "../runtime/grow.js";
import { ChainBudget } from "../runtime/hmap.js";
import type { HMap } from "../runtime/hmap.js";
import { Bucket, Flag, Hmap32, Top, bucketShift, evacuatedMark } from "../runtime/layout.js";
import { arrayBuckets } from "../runtime/makemap.js";
import { isStructType } from "../types/struct.js";
import { StringType } from "../types/string.js";
import type { AnyType } from "../types/type.js";

/** The keys of InspectOptions. */
const INSPECT_OPTIONS = ["seed"] as const;

export interface InspectOptions {
  /** Include hash0, the map's hash seed (hidden by default: it is what an attacker wants). */
  seed?: boolean;
}

/** Bytes of the heap buffer by what they hold; they add up to `total`. */
export interface MapBytes {
  /** The heap buffer's size. */
  total: number;
  /** Bucket arrays (current and, while growing, old), their overflow pools included. */
  buckets: number;
  /** Overflow buckets allocated on their own (not from a pool). */
  overflow: number;
  /** Out-of-line string bytes (strings longer than 12 bytes). */
  strings: number;
  /** Keys and values over 128 bytes, stored in their own blocks. */
  indirect: number;
  /** The rest: headers, block headers, free blocks and the buffer's unused tail. */
  wasted: number;
}

/** Overflow buckets: linked into chains, and the current array's preallocated pool. */
export interface OverflowBuckets {
  /** Overflow buckets in chains that can hold entries (pool or fresh). */
  inUse: number;
  /** Pool buckets the current array was made with (2^(B-4) for B >= 4, else 0). */
  preallocated: number;
  /** Pool buckets not yet taken. */
  preallocatedUnused: number;
}

export interface Histograms {
  /** chainLength[k]: chains with k overflow buckets (index 0: a bucket with none). */
  chainLength: number[];
  /** slotsUsed[k]: buckets (overflow buckets included) with k of their 8 slots filled. */
  slotsUsed: number[];
}

/** A map's shape: see README "Inspecting a map". */
export interface MapStats {
  /** log2 of the bucket count. */
  B: number;
  count: number;
  /** Buckets in the current array (0 while a B=0 map has none yet, and for a nil map). */
  buckets: number;
  /** Average entries a bucket (growth starts above 6.5). */
  loadFactor: number;
  /** Go's approximate overflow-bucket count (exact below B=16), what same-size growth reads. */
  noverflow: number;
  growing: boolean;
  sameSizeGrow: boolean;
  /** The growth in progress: "doubling" (load factor), "same-size" (overflow), or null. */
  growth: "doubling" | "same-size" | null;
  /** Old buckets below this index are evacuated (0 when not growing). */
  nevacuate: number;
  /** Old buckets of the growth in progress (0 when not growing). */
  oldBuckets: number;
  /** Old buckets not yet evacuated (0 when not growing). */
  oldBucketsLeft: number;
  /** Bytes of one bucket. */
  bucketSize: number;
  overflowBuckets: OverflowBuckets;
  bytes: MapBytes;
  histograms: Histograms;
  /** The allocator's own figures. */
  heap: HeapStats;
  /** The hash seed; present only with { seed: true }. */
  hash0?: number;
}

/** Checks inspect options: undefined, or an object of no key but `seed`, a boolean if present. */
export function checkInspectOptions(opts: unknown): InspectOptions {
  if (opts === undefined) return {};
  checkOptionKeys(opts, INSPECT_OPTIONS, "inspect");
  const seed = (opts as InspectOptions).seed;
  if (seed !== undefined && typeof seed !== "boolean") throw new TypeError(`gomap: inspect option seed must be a boolean, got ${typeof seed}`);
  return opts as InspectOptions;
}

/** The stats of the map h (null: a nil map). */
export function mapStats(h: HMap | null, opts?: InspectOptions): MapStats {
  const o = checkInspectOptions(opts);
  if (h === null) return nilStats(o);
  h.heap.sync(); // a shared heap may have grown in another thread
  const heap = h.heap;
  const t = h.t;
  const B = h.B;
  const array = h.buckets;
  const nbuckets = array === 0 ? 0 : bucketShift(B);
  const growing = h.growing;
  const sameSize = growing && (h.flags & Flag.sameSizeGrow) !== 0;
  const w = new Walk(h);
  for (let i = 0; i < nbuckets; i++) w.chain(array + i * t.bucketSize);
  const nold = growing ? noldbuckets(h) : 0;
  let oldLeft = 0;
  for (let i = 0; i < nold; i++) {
    const head = h.oldbuckets + i * t.bucketSize;
    if (evacuatedMark(heap.u8[head])) continue;
    oldLeft++;
    w.chain(head);
  }
  const pool = array === 0 ? 0 : arrayBuckets(B) - bucketShift(B);
  const next = heap.u32[Hmap32.nextOverflow];
  const poolEnd = array + arrayBuckets(B) * t.bucketSize;
  const bucketBytes = (array === 0 ? 0 : heap.sizeOf(array)) + (growing ? heap.sizeOf(h.oldbuckets) : 0);
  const total = heap.capacity;
  const stats: MapStats = {
    B,
    count: h.count,
    buckets: nbuckets,
    loadFactor: nbuckets === 0 ? 0 : h.count / nbuckets,
    noverflow: h.noverflow,
    growing,
    sameSizeGrow: sameSize,
    growth: growing ? (sameSize ? "same-size" : "doubling") : null,
    nevacuate: growing ? h.nevacuate : 0,
    oldBuckets: nold,
    oldBucketsLeft: oldLeft,
    bucketSize: t.bucketSize,
    overflowBuckets: { inUse: w.overflowInUse, preallocated: pool, preallocatedUnused: next === 0 ? 0 : (poolEnd - next) / t.bucketSize },
    bytes: {
      total,
      buckets: bucketBytes,
      overflow: w.overflowBytes,
      strings: w.stringBytes,
      indirect: w.indirectBytes,
      wasted: total - bucketBytes - w.overflowBytes - w.stringBytes - w.indirectBytes,
    },
    histograms: { chainLength: w.chainLength, slotsUsed: w.slotsUsed },
    heap: heap.stats(),
  };
  if (o.seed === true) stats.hash0 = h.hash0;
  return stats;
}

function nilStats(o: InspectOptions): MapStats {
  const stats: MapStats = {
    B: 0,
    count: 0,
    buckets: 0,
    loadFactor: 0,
    noverflow: 0,
    growing: false,
    sameSizeGrow: false,
    growth: null,
    nevacuate: 0,
    oldBuckets: 0,
    oldBucketsLeft: 0,
    bucketSize: 0,
    overflowBuckets: { inUse: 0, preallocated: 0, preallocatedUnused: 0 },
    bytes: { total: 0, buckets: 0, overflow: 0, strings: 0, indirect: 0, wasted: 0 },
    histograms: { chainLength: [], slotsUsed: new Array<number>(Bucket.cnt + 1).fill(0) },
    heap: { capacity: 0, top: 0, highWater: 0, inUse: 0, blocks: 0 },
  };
  if (o.seed === true) stats.hash0 = 0;
  return stats;
}

/** One pass over chains, adding up what the stats report. */
class Walk {
  readonly h: HMap;
  /** The current and old arrays' blocks, [start, end): overflow buckets inside are pool buckets. */
  private readonly arrays: number[];
  overflowInUse = 0;
  overflowBytes = 0;
  stringBytes = 0;
  indirectBytes = 0;
  readonly chainLength: number[] = [];
  readonly slotsUsed: number[] = new Array<number>(Bucket.cnt + 1).fill(0);
  /** Buckets the walk may still visit: a corrupt shared map's chain may go round. */
  private readonly budget: ChainBudget;

  constructor(h: HMap) {
    this.h = h;
    this.budget = new ChainBudget(h);
    const bs = h.t.bucketSize;
    this.arrays = [];
    if (h.buckets !== 0) this.arrays.push(h.buckets, h.buckets + arrayBuckets(h.B) * bs);
    if (h.growing) {
      const oldB = (h.flags & Flag.sameSizeGrow) !== 0 ? h.B : h.B - 1;
      this.arrays.push(h.oldbuckets, h.oldbuckets + arrayBuckets(oldB) * bs);
    }
  }

  /** Adds the chain whose first bucket is at head. */
  chain(head: number): void {
    let overflows = 0;
    for (let b = head; b !== 0; b = this.next(b)) {
      this.budget.step("inspect");
      if (b !== head) {
        overflows++;
        if (!this.inArray(b)) this.overflowBytes += this.h.heap.sizeOf(b);
      }
      this.slotsUsed[this.bucket(b)]++;
    }
    this.overflowInUse += overflows;
    while (this.chainLength.length <= overflows) this.chainLength.push(0);
    this.chainLength[overflows]++;
  }

  /**
   * The bucket after b in its chain, or 0. A pool's end mark is its array's own offset: no
   * bucket in use keeps it, but a walk must never follow it back to bucket 0.
   */
  private next(b: number): number {
    const link = this.h.overflow(b);
    const a = this.arrays;
    for (let j = 0; j < a.length; j += 2) if (link === a[j]) return 0;
    return link;
  }

  /** Counts bucket b's filled slots, adding up what their keys and values own. */
  private bucket(b: number): number {
    const h = this.h;
    const t = h.t;
    const u8 = h.heap.u8;
    let used = 0;
    for (let i = 0; i < Bucket.cnt; i++) {
      if (u8[b + i] < Top.minTopHash) continue;
      used++;
      if (!t.ownsMemory) continue;
      if (t.indirectKey) this.indirectBytes += h.heap.sizeOf(h.keyAt(b, i));
      if (t.indirectElem) this.indirectBytes += h.heap.sizeOf(h.elemAt(b, i));
      this.stringBytes += ownedBytes(t.key, h, h.keyAt(b, i)) + ownedBytes(t.elem, h, h.elemAt(b, i));
    }
    return used;
  }

  private inArray(b: number): boolean {
    const a = this.arrays;
    for (let j = 0; j < a.length; j += 2) if (b >= a[j] && b < a[j + 1]) return true;
    return false;
  }
}

/** Bytes of the string blocks a value of type `type` stored at off owns. */
function ownedBytes(type: AnyType, h: HMap, off: number): number {
  if (!type.ownsMemory) return 0;
  if (type instanceof StringType) {
    const block = type.blockOf(h.heap, off);
    return block === 0 ? 0 : h.heap.sizeOf(block);
  }
  if (!isStructType(type)) return 0;
  let n = 0;
  for (const f of type.fields) n += ownedBytes(f.type, h, off + f.offset);
  return n;
}
