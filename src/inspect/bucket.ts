// readBucket: one bucket of a map's current or old array, with its whole overflow chain, as
// plain data: what inspect.bucket() returns and what the playground draws.
//
// Read-only, as everything in inspect/: the heap's bytes are only read, and keys and values
// come back as fresh JS values (copies), never as views.
//
// What a slot shows: its tophash byte, always (0 emptyRest, 1 emptyOne, 2 evacuatedX,
// 3 evacuatedY, 4 evacuatedEmpty, 5..255 a filled slot's hash byte), and its key and value
// only when it is filled (undefined otherwise, as its bytes mean nothing then). An evacuated
// old bucket is shown alone, without its chain: the chain's overflow blocks were freed when
// it was evacuated (only the link stays, for running iterators), and the entries now live in
// the new array, so its slots show marks and no keys.
import { checkOptionKeys } from "../options.js";
import { noldbuckets } from "../runtime/grow.js";
import type { HMap } from "../runtime/hmap.js";
import { Bucket, Top, bucketShift, evacuatedMark } from "../runtime/layout.js";

/** One bmap: a bucket of 8 slots, as its bytes say. */
export interface Bmap<K, V> {
  /** Heap offset of the bucket (what trace events name buckets by). */
  offset: number;
  /** The 8 tophash bytes. */
  tophash: number[];
  /** The 8 keys; undefined where the slot holds no entry. */
  keys: (K | undefined)[];
  /** The 8 values; undefined where the slot holds no entry. */
  values: (V | undefined)[];
  /** Heap offset of the next bucket in the chain, or 0. */
  overflow: number;
}

/** Bucket `index` of the current array, or of the old one while growing, with its chain. */
export interface BucketView<K, V> {
  index: number;
  /** Whether this is a bucket of the old array. */
  old: boolean;
  /** An old bucket whose entries have moved to the new array (always false for new buckets). */
  evacuated: boolean;
  /** The bucket first, then its overflow buckets in chain order. */
  chain: Bmap<K, V>[];
}

export interface BucketOptions {
  /** Read the old array of a growth in progress instead of the current one. */
  old?: boolean;
}

/** The keys of BucketOptions. */
const BUCKET_OPTIONS = ["old"] as const;

/** Reads bucket `index` of h; throws TypeError/RangeError for an index or array that isn't there. */
export function readBucket<K, V>(h: HMap | null, index: unknown, opts: unknown): BucketView<K, V> {
  const old = checkOld(opts);
  h?.heap.sync(); // a shared heap may have grown in another thread
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(`gomap: inspect.bucket: index must be an integer, got ${typeof index === "number" ? index : typeof index}`);
  }
  if (h === null || h.buckets === 0) throw new RangeError("gomap: inspect.bucket: the map has no bucket array (a nil map, or an empty one that has not allocated yet)");
  if (old && !h.growing) throw new RangeError("gomap: inspect.bucket: the map is not growing, so it has no old buckets");
  const n = old ? noldbuckets(h) : bucketShift(h.B);
  if (index < 0 || index >= n) {
    throw new RangeError(`gomap: inspect.bucket: index ${index} out of range: the ${old ? "old" : "current"} array has ${n} bucket${n === 1 ? "" : "s"}`);
  }
  const array = old ? h.oldbuckets : h.buckets;
  const head = array + index * h.t.bucketSize;
  const evacuated = old && evacuatedMark(h.heap.u8[head]);
  const chain: Bmap<K, V>[] = [readBmap<K, V>(h, head)];
  // A link to the array's first bucket is a pool's end mark, never a real link (see makemap.ts).
  for (let b = h.overflow(head); !evacuated && b !== 0 && b !== array; b = h.overflow(b)) {
    chain.push(readBmap<K, V>(h, b));
  }
  return { index, old, evacuated, chain };
}

function checkOld(opts: unknown): boolean {
  if (opts === undefined) return false;
  checkOptionKeys(opts, BUCKET_OPTIONS, "inspect.bucket");
  const old = (opts as BucketOptions).old;
  if (old !== undefined && typeof old !== "boolean") throw new TypeError(`gomap: inspect.bucket option old must be a boolean, got ${typeof old}`);
  return old === true;
}

function readBmap<K, V>(h: HMap, b: number): Bmap<K, V> {
  const heap = h.heap;
  const tophash: number[] = [];
  const keys: (K | undefined)[] = [];
  const values: (V | undefined)[] = [];
  for (let i = 0; i < Bucket.cnt; i++) {
    const top = heap.u8[b + i];
    tophash.push(top);
    const filled = top >= Top.minTopHash;
    keys.push(filled ? (h.t.key.read(heap, h.keyAt(b, i)) as K) : undefined);
    values.push(filled ? (h.t.elem.read(heap, h.elemAt(b, i)) as V) : undefined);
  }
  return { offset: b, tophash, keys, values, overflow: h.overflow(b) };
}
