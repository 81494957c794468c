// Checking a map that came from outside, after its heap passed memory/verify.ts and before any
// call may touch it. Throws SnapshotError("corrupt-map") naming the first problem.
//
// What a loaded map must be, so that every later get, set, delete, iteration and growth
// behaves as on the map that was saved (each rule guards a step of the runtime):
// - header: count and the offset fields fit in their low word; flags hold only sameSizeGrow
//   (the saver clears iterator bits; hashWriting would refuse every write), and only while
//   growing; B leaves room for its array in the heap; nevacuate below the old bucket count.
// - arrays: buckets (0 only for an empty map with B = 0 and no growth) and oldbuckets are live
//   blocks holding 2^B buckets plus their overflow pool (makemap.ts); nextOverflow is 0 or a
//   pool bucket of the current array, and every pool bucket from it on is untouched (zero,
//   the last one holding the end-of-pool mark), since newoverflow hands them out as new.
// - chains: each overflow link is a pool bucket of the chain's own array below nextOverflow,
//   or a live block of a bucket's size, and no bucket is in two chains (so chains end). Old
//   chains already evacuated are not walked: their links may point at freed blocks, and
//   nothing follows them (runtime/generic/evacuate.ts).
// - slots: tophash is emptyRest, emptyOne or a hash byte (evacuation marks only in old
//   buckets, all eight at once); emptyRest slots end the chain, and the slot before the first
//   is not emptyOne (delete folds those); an empty slot's elem is zero, and its key is zero
//   when keys own memory (a later insert frees what the slot seems to hold).
// - entries: key and value bytes pass snapshot/values.ts; the key hashes, with the map's
//   hash0, to the bucket it is in and to its tophash (NaN keys hash at random: only the range);
//   no two keys of a chain are equal (checked in time near-linear in the chain's length,
//   which the file picks: only keys of one hash are compared, see checkDistinct); while
//   growing, an old bucket not yet evacuated has its destination buckets still empty
//   (evacuate fills them from slot 0), and so holds the only copy of its keys.
// - count equals the entries found, and every live heap block was claimed exactly once.
import { SnapshotError } from "../errors.js";
import { hashOut } from "../hash/hash.js";
import type { Blocks } from "../memory/verify.js";
import type { HMap } from "../runtime/hmap.js";
import { Bucket, Flag, Hmap, Hmap32, Top, bucketMask, bucketShift, evacuatedMark, tophash } from "../runtime/layout.js";
import { arrayBuckets } from "../runtime/makemap.js";
import { checkValue } from "./values.js";

function bad(msg: string): never {
  throw new SnapshotError("corrupt-map", msg);
}

/** One bucket array: where it is, and which of its pool buckets chains have taken. */
class ArrayInfo {
  readonly end: number;
  readonly base: number;
  /** Pool buckets below this index may be in chains; from it on they are unused. */
  readonly poolLimit: number;
  readonly taken: Uint8Array;
  constructor(
    bs: number,
    readonly array: number,
    readonly B: number,
    nextOverflow: number,
  ) {
    const total = arrayBuckets(B);
    this.base = bucketShift(B);
    this.end = array + total * bs;
    this.poolLimit = nextOverflow === 0 ? total : (nextOverflow - array) / bs;
    this.taken = new Uint8Array(total - this.base);
  }
}

export function validateMap(h: HMap, blocks: Blocks): void {
  const heap = h.heap;
  const t = h.t;
  const u32 = heap.u32;
  const flags = heap.u8[Hmap.flags];
  const B = heap.u8[Hmap.B];
  const growing = u32[Hmap32.oldbuckets] !== 0;
  for (const f of [Hmap.count, Hmap.buckets, Hmap.oldbuckets, Hmap.nevacuate, Hmap.nextOverflow]) {
    if (u32[(f + 4) >>> 2] !== 0) bad(`hmap field at ${f - 256} has a non-zero upper word`);
  }
  if ((flags & ~Flag.sameSizeGrow) !== 0) bad(`flags ${flags}: only sameSizeGrow may be saved`);
  if ((flags & Flag.sameSizeGrow) !== 0 && !growing) bad("sameSizeGrow set on a map that is not growing");
  if (B > 31 || bucketShift(B) * t.bucketSize > heap.capacity) bad(`B = ${B}: 2^B buckets cannot fit in ${heap.capacity} bytes`);
  const buckets = u32[Hmap32.buckets];
  if (buckets === 0) {
    if (B !== 0 || growing || u32[Hmap32.count] !== 0 || u32[Hmap32.nextOverflow] !== 0) bad("no bucket array, but B, count, growth or nextOverflow set");
    return finish(h, blocks, 0);
  }
  const next = u32[Hmap32.nextOverflow];
  const poolStart = buckets + bucketShift(B) * t.bucketSize;
  const end = buckets + arrayBuckets(B) * t.bucketSize;
  if (next !== 0 && (next < poolStart || next >= end || (next - buckets) % t.bucketSize !== 0)) {
    bad(`nextOverflow ${next} is not a pool bucket of the array at ${buckets}`);
  }
  const now = new ArrayInfo(t.bucketSize, buckets, B, next);
  blocks.claim(buckets, end - buckets, "the bucket array");
  let live = 0;
  if (growing) {
    const oldB = (flags & Flag.sameSizeGrow) !== 0 ? B : B - 1;
    if (oldB < 0) bad("a doubling growth with B = 0");
    const old = new ArrayInfo(t.bucketSize, u32[Hmap32.oldbuckets], oldB, 0);
    blocks.claim(old.array, old.end - old.array, "the old bucket array");
    // The runtime ends a growth (oldbuckets = 0) the moment nevacuate reaches the old count, so
    // a growth in progress has nevacuate below it; at it, the next write would evacuate the
    // bucket past the old array's end, and the growth would never end.
    if (u32[Hmap32.nevacuate] >= old.base) bad(`nevacuate ${u32[Hmap32.nevacuate]} at or past ${old.base} old buckets`);
    live += walkOld(h, old, now, blocks);
  }
  for (let i = 0; i < now.base; i++) live += walkChain(h, now, i, blocks, "bucket");
  checkPoolUnused(h, now, next);
  finish(h, blocks, live);
}

function finish(h: HMap, blocks: Blocks, live: number): void {
  if (h.count !== live) bad(`count ${h.count}, but the buckets hold ${live} entries`);
  const left = blocks.unclaimed();
  if (left !== 0) bad(`${left} live heap blocks belong to nothing in the map`);
}

/** The old array of a growth: evacuated heads are all marks; the rest are walked as chains. */
function walkOld(h: HMap, old: ArrayInfo, now: ArrayInfo, blocks: Blocks): number {
  const u8 = h.heap.u8;
  const bs = h.t.bucketSize;
  const nevacuate = h.nevacuate;
  let live = 0;
  for (let j = 0; j < old.base; j++) {
    const head = old.array + j * bs;
    if (evacuatedMark(u8[head])) {
      for (let s = 0; s < Bucket.cnt; s++) if (!evacuatedMark(u8[head + s])) bad(`old bucket ${j}: evacuated, but slot ${s} holds ${u8[head + s]}`);
      continue;
    }
    if (j < nevacuate) bad(`old bucket ${j} is below nevacuate ${nevacuate} but not evacuated`);
    checkDestEmpty(h, now.array + j * bs, j);
    if (now.base !== old.base) checkDestEmpty(h, now.array + (j + old.base) * bs, j);
    live += walkChain(h, old, j, blocks, "old bucket");
  }
  return live;
}

/** A new bucket whose old bucket is not evacuated yet must be untouched. */
function checkDestEmpty(h: HMap, b: number, j: number): void {
  const u8 = h.heap.u8;
  for (let s = 0; s < Bucket.cnt; s++) if (u8[b + s] !== 0) bad(`old bucket ${j} is not evacuated, but its new bucket at ${b} is in use`);
  if (h.overflow(b) !== 0) bad(`old bucket ${j} is not evacuated, but its new bucket at ${b} has an overflow bucket`);
}

/**
 * Keys of the chain being walked (their offsets), the low halves of their hashes, and whether
 * each equals itself (a NaN, or a struct holding one, does not, and has no fixed hash); reused
 * from chain to chain.
 */
let chainKeys: Float64Array = new Float64Array(64);
let chainLo: Int32Array = new Int32Array(64);
let chainSelf: Uint8Array = new Uint8Array(64);
/** checkDistinct's sort order, reused. */
let order: Uint32Array = new Uint32Array(64);

/**
 * Checks the chain of bucket `index` of array `a`; returns its live entries. A problem is
 * reported with its place (bucket, chain position, slot), a string built only then.
 */
function walkChain(h: HMap, a: ArrayInfo, index: number, blocks: Blocks, what: string): number {
  let n = 0;
  let slot = -1;
  try {
    const heap = h.heap;
    const t = h.t;
    const u8 = heap.u8;
    const seed = heap.i32[Hmap32.hash0];
    const mask = bucketMask(a.B);
    let keys = 0;
    let restSeen = false;
    let lastNonRest: number = Top.emptyRest;
    for (let b = a.array + index * t.bucketSize; b !== 0; b = nextLink(h, a, b, blocks), n++) {
      for (slot = 0; slot < Bucket.cnt; slot++) {
        const top = u8[b + slot];
        if (top === Top.emptyRest) {
          restSeen = true;
          checkEmptySlot(h, b, slot);
          continue;
        }
        if (restSeen) bad(`tophash ${top} after emptyRest`);
        lastNonRest = top;
        if (top === Top.emptyOne) {
          checkEmptySlot(h, b, slot);
          continue;
        }
        if (top < Top.minTopHash) bad(`evacuation mark ${top} in a live bucket`);
        if (keys === chainKeys.length) grow();
        checkEntry(h, b, slot, index, mask, seed, blocks, keys++);
      }
      slot = -1;
    }
    if (lastNonRest === Top.emptyOne) bad("emptyOne right before emptyRest");
    checkDistinct(h, keys);
    return keys;
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    const where = `${what} ${index}` + (n > 0 ? ` (overflow bucket ${n})` : "") + (slot >= 0 ? ` slot ${slot}` : "");
    throw new SnapshotError(err.code, `${where}: ${err.detail}`);
  }
}

function grow(): void {
  const n = chainKeys.length * 2;
  const keys = new Float64Array(n);
  keys.set(chainKeys);
  chainKeys = keys;
  const lo = new Int32Array(n);
  lo.set(chainLo);
  chainLo = lo;
  const self = new Uint8Array(n);
  self.set(chainSelf);
  chainSelf = self;
  order = new Uint32Array(n);
}

/** Runs of keys with one hash at most this long are compared pair by pair. */
const PAIRWISE_MAX = 16;

/**
 * No two of the chain's `keys` keys are equal. Equal keys hash alike, so only keys with the
 * same hash need comparing: a short chain (every honest one) pair by pair; a longer one is
 * sorted by hash first, and each run of one hash compared pair by pair, or, when the run is
 * long (only a crafted file has many distinct keys with one 32-bit hash, which MurmurHash3
 * lets anyone make), by the keys' values in a Set. So the check is never quadratic in the
 * chain's length, which a file chooses: 4,000 keys of one tophash took 8 million comparisons.
 */
function checkDistinct(h: HMap, keys: number): void {
  if (keys <= PAIRWISE_MAX) {
    checkRun(h, null, 0, keys);
    return;
  }
  const ord = order.subarray(0, keys);
  for (let i = 0; i < keys; i++) ord[i] = i;
  const lo = chainLo;
  ord.sort((x, y) => lo[x] - lo[y]);
  for (let i = 0; i < keys; ) {
    let j = i + 1;
    while (j < keys && lo[ord[j]] === lo[ord[i]]) j++;
    if (j - i > 1) checkRun(h, ord, i, j);
    i = j;
  }
}

/** Keys from..to-1 (by `ord`, or in chain order when null) hold no two equal keys. */
function checkRun(h: HMap, ord: Uint32Array | null, from: number, to: number): void {
  const heap = h.heap;
  const kt = h.t.key;
  if (to - from <= PAIRWISE_MAX) {
    for (let x = from; x < to; x++) {
      const a = ord === null ? x : ord[x];
      if (chainSelf[a] === 0) continue;
      for (let y = x + 1; y < to; y++) {
        const b = ord === null ? y : ord[y];
        if (chainSelf[b] !== 0 && chainLo[a] === chainLo[b] && kt.equalAt(heap, chainKeys[a], chainKeys[b])) bad("the same key twice");
      }
    }
    return;
  }
  const seen = new Set<string>();
  for (let x = from; x < to; x++) {
    const a = ord === null ? x : ord[x];
    if (chainSelf[a] === 0) continue;
    const v = keyText(kt.read(heap, chainKeys[a]));
    if (seen.has(v)) bad("the same key twice");
    seen.add(v);
  }
}

/**
 * A key value as text, equal for two values exactly when they are the same key (Go's ==) for
 * keys that equal themselves: -0 is 0, infinities are spelled out (JSON would make both null),
 * bigints and byte arrays get their own spellings.
 */
function keyText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === "number") return Number.isFinite(x) ? x + 0 : String(x);
    if (typeof x === "bigint") return `${x}n`;
    if (x instanceof Uint8Array) return Array.from(x, (c) => c.toString(16).padStart(2, "0")).join("");
    return x;
  });
}

/** The overflow link of b, checked: a pool bucket of a's pool not taken yet, or a live block. */
function nextLink(h: HMap, a: ArrayInfo, b: number, blocks: Blocks): number {
  const t = h.t;
  const u32 = h.heap.u32;
  const word = (b + t.overflowOffset) >>> 2;
  if (u32[word + 1] !== 0) bad("overflow link has a non-zero upper word");
  const link = u32[word];
  if (link === 0) return 0;
  if (link >= a.array && link < a.end) {
    const p = (link - a.array) / t.bucketSize;
    if (!Number.isInteger(p) || p < a.base || p >= a.poolLimit) bad(`overflow link ${link} is not a pool bucket in use`);
    if (a.taken[p - a.base] !== 0) bad(`pool bucket ${p} is in two chains`);
    a.taken[p - a.base] = 1;
    return link;
  }
  blocks.claim(link, t.bucketSize, "overflow link");
  return link;
}

/** An empty slot: its elem zero, and its key too when keys own memory or are indirect. */
function checkEmptySlot(h: HMap, b: number, i: number): void {
  const t = h.t;
  const e = b + t.elemsOffset + i * t.elemSlot;
  if (!isZero(h, e, t.elemSlot)) bad("empty, but its elem is not zero");
  if (!t.indirectKey && !t.key.ownsMemory) return;
  if (!isZero(h, b + Bucket.dataOffset + i * t.keySlot, t.keySlot)) bad("empty, but its key is not zero");
}

/** Whether the n bytes at off are all zero: by words when off and n allow. */
function isZero(h: HMap, off: number, n: number): boolean {
  if (((off | n) & 3) === 0) {
    const u32 = h.heap.u32;
    for (let w = off >>> 2, end = (off + n) >>> 2; w < end; w++) if (u32[w] !== 0) return false;
    return true;
  }
  const u8 = h.heap.u8;
  for (let j = off; j < off + n; j++) if (u8[j] !== 0) return false;
  return true;
}

/**
 * A live entry: its bytes, then its hash against the bucket and tophash. Records the key's
 * offset, its hash's low half and whether it equals itself at index `at` of the chain's keys.
 */
function checkEntry(h: HMap, b: number, i: number, index: number, mask: number, seed: number, blocks: Blocks, at: number): void {
  const heap = h.heap;
  const t = h.t;
  const k = slotTarget(h, b + Bucket.dataOffset + i * t.keySlot, t.indirectKey, t.key.size, blocks, "key");
  checkValue(t.key, heap, k, blocks, "key");
  const e = slotTarget(h, b + t.elemsOffset + i * t.elemSlot, t.indirectElem, t.elem.size, blocks, "value");
  checkValue(t.elem, heap, e, blocks, "value");
  chainKeys[at] = k;
  chainLo[at] = 0;
  chainSelf[at] = 0;
  if (!t.reflexiveKey && !t.key.equalAt(heap, k, k)) return; // NaN: its hash is random
  const lo = t.key.hashAt(heap, k, seed);
  if ((lo & mask) !== index) bad(`the key hashes to bucket ${lo & mask}`);
  const want = tophash(hashOut.hi);
  if (heap.u8[b + i] !== want) bad(`tophash ${heap.u8[b + i]}, the key's hash says ${want}`);
  chainLo[at] = lo;
  chainSelf[at] = 1;
}

/** Where a slot's key or elem is: the slot itself, or the block an indirect slot points at. */
function slotTarget(h: HMap, slot: number, indirect: boolean, size: number, blocks: Blocks, what: string): number {
  if (!indirect) return slot;
  const u32 = h.heap.u32;
  if (u32[(slot >>> 2) + 1] !== 0) bad(`${what} pointer has a non-zero upper word`);
  const p = u32[slot >>> 2];
  blocks.claim(p, size, what);
  return p;
}

/** Pool buckets from nextOverflow on are as makeBucketArray left them. */
function checkPoolUnused(h: HMap, a: ArrayInfo, next: number): void {
  if (next === 0) return;
  const u32 = h.heap.u32;
  const t = h.t;
  const lastLink = (a.end - t.bucketSize + t.overflowOffset) >>> 2;
  for (let w = next >>> 2; w < a.end >>> 2; w++) {
    const want = w === lastLink ? a.array : 0;
    if (u32[w] !== want) bad(`unused pool bucket bytes at ${w << 2} are not as allocated`);
  }
}
