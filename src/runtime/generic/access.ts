// mapaccess: finding a key (Go's mapaccess1/mapaccess2 and their fast variants).
//
// makeMapaccess(kt) is a template of the kernel (runtime/specialise.ts): the build copies this
// folder once per key kind, as map_fast32.go, map_fast64.go and map_faststr.go are copies of
// mapaccess for their keys, and each copy is stamped out once per key type.
//
// Steps (spec §3.2): hash the key with the map's seed; its bucket is the low B bits. While
// the map grows, an old bucket that is not yet evacuated still holds its keys, so look
// there instead: reads never evacuate. Walk the chain; a slot whose tophash differs is
// skipped, and a bucket whose last slot is emptyRest ends the whole search (Go stops at the
// first emptyRest slot; the slots after it hold nothing that could match); a matching tophash
// is confirmed with ==.
// A map on a shared heap, read with no lock while another thread may write, takes
// mapaccessShared: the same steps, with a walk that can't go round for ever (findShared).
// The walk is slot by slot, as Go's: in a map larger than the caches the CPU guesses the
// slot's branch and loads its key while the tophash line is still arriving, where comparing
// four tophash bytes at once (as mapassign does) makes the key's load wait for the tophash,
// and measured 15-25% slower per lookup at 1e6 entries (faster in cache). The bytes are read
// as the bucket's two tophash words, one byte shifted out a slot, not one typed-array read a
// slot: each read costs V8's checks of the view and the index, which made a slot's step 35
// machine instructions where it is 12 now. Beyond the caches, fewer instructions between
// lookups let the CPU start the next one's loads while this one waits on memory.
import { GoMapError } from "../../errors.js";
import { hashOut } from "../../hash/hash.js";
import type { AnyType } from "../../types/type.js";
import { bucketFor } from "../grow.js";
import { chainTooLong } from "../hmap.js";
import type { HMap, Runtime } from "../hmap.js";
import { Bucket, Flag, Hmap32, Top, bucketMask, tophash } from "../layout.js";
import { keySlotOf } from "../maptype.js";

/** The error of a read that meets a write in progress (Go's fatal error). */
function concurrentReadWrite(): never {
  throw new GoMapError("concurrent map read and map write");
}

export function makeMapaccess(kt: AnyType): Pick<Runtime, "mapaccess" | "find" | "findShared" | "mapaccessShared"> {
  // The key slot's geometry is the key type's alone (MapType computes the same).
  const keySlot = keySlotOf(kt);
  const indirect = kt.size > Bucket.maxKeySize;

  /** Walks the chain from b for key (tophash top): its bucket, with the slot in h.slot, or 0. */
  function find(h: HMap, b: number, top: number, key: unknown): number {
    const heap = h.heap;
    const u32 = heap.u32;
    const ovfOff = h.t.overflowOffset;
    // `b > 0`, not `b !== 0`: on a shared heap a reader racing a writer that grew the buffer
    // may read a link past its views (undefined), which must end the walk, not loop.
    for (; b > 0; b = u32[(b + ovfOff) >>> 2]) {
      // w holds slot i's tophash in its low byte (the heap is little-endian): the bucket's
      // first word, shifted a byte a slot, then its second word from slot 4. All eight slots
      // are looked at, and emptyRest tested once, on the last (emptyRest whenever an earlier
      // slot is): stopping at the first emptyRest slot made the loop's exit a guess the CPU
      // missed on every absent key (u32 misses at 1e5: 27.8 ns against 22.9, strings 49.8
      // against 44.0; hits unchanged).
      // The comparison is written `top === ...` because V8's bytecode for it is then 3 bytes
      // shorter, and GoMap.lookup's whole path must fit V8's inlining budget (methods.ts).
      let w = u32[b >>> 2];
      for (let i = 0; ; ) {
        if (top === (w & 0xff)) {
          let k = b + Bucket.dataOffset + i * keySlot;
          if (indirect) k = u32[k >>> 2];
          if (kt.equal(heap, k, key)) {
            h.slot = i;
            return b;
          }
        }
        if (++i === Bucket.cnt) break;
        w = i === 4 ? u32[(b >>> 2) + 1] : w >>> 8;
      }
      // w is the last slot's tophash.
      if (w === Top.emptyRest) break;
    }
    return 0;
  }

  function mapaccess(h: HMap, key: unknown): number {
    // Every header field is read through the one u32 view (flags and B share a word): each
    // view a lookup touches costs loads and checks of its own before the bucket's load can
    // start (one view instead of three measured 12% faster at 1e6 entries).
    const u32 = h.heap.u32;
    if (u32[Hmap32.count] === 0) return 0;
    const flagsB = u32[Hmap32.flagsB];
    if ((flagsB & Flag.hashWriting) !== 0) concurrentReadWrite();
    const lo = kt.hash(key, u32[Hmap32.hash0] | 0);
    // tophash(hashOut.hi) written out, as bucketFor's first line below and for the same reason.
    let top = hashOut.hi >>> 24;
    if (top < Top.minTopHash) top += Top.minTopHash;
    // bucketFor's first line written out, not called: a helper's call costs bytecode, and
    // this path must stay inside V8's inlining budget so that all of get inlines into the
    // caller's loop (measured 50% slower in the caches when it did not).
    if (u32[Hmap32.oldbuckets] !== 0) return find(h, bucketFor(h, lo), top, key);
    // bucketMask(B), B being flagsB's second byte: noverflow above it does not matter, since
    // `1 << x` reads only x's low 5 bits and B is at most 27 (bucketMask). Without `& 0xff`
    // the path is 6 bytes of bytecode smaller (the budget again).
    // `>>> 0`: V8 types the sum as a double (it could pass 2^32), and find's walk then
    // converted b to an integer at every bucket; as a u32 it stays one. Measured 5-10% faster
    // in the caches (paired rounds, both orders), no change at 1e6 beyond the noise.
    return find(h, (u32[Hmap32.buckets] + (lo & bucketMask(flagsB >>> 8)) * h.t.bucketSize) >>> 0, top, key);
  }

  /**
   * find for a map on a shared heap, read with no lock: the same walk, at most as many buckets
   * long as the heap holds. A writer in another thread may free the bucket the walk is on and
   * reuse its memory (a string's bytes, say) before the walk reads its link, which can then
   * lead anywhere, back to itself included; a chain of the map itself never visits a bucket
   * twice, so a longer walk is such a race, and ends with Go's error for it rather than
   * going round for ever. A copy, not a parameter of find: find's bytecode is at V8's
   * inlining budget (see mapaccess), and a map of one thread can't race. A write's walk
   * (`write` names it; null for a read) holds hashWriting, so a walk that long went round
   * memory a buggy thread overwrote (chainTooLong).
   */
  function findShared(h: HMap, b: number, top: number, key: unknown, write: string | null): number {
    const heap = h.heap;
    const u32 = heap.u32;
    const t = h.t;
    const ovfOff = t.overflowOffset;
    let left = Math.floor(heap.u8.length / t.bucketSize);
    for (; b > 0; b = u32[(b + ovfOff) >>> 2]) {
      if (--left < 0) return write === null ? concurrentReadWrite() : chainTooLong(write);
      let w = u32[b >>> 2];
      for (let i = 0; ; ) {
        if (top === (w & 0xff)) {
          let k = b + Bucket.dataOffset + i * keySlot;
          if (indirect) k = u32[k >>> 2];
          if (kt.equal(heap, k, key)) {
            h.slot = i;
            return b;
          }
        }
        if (++i === Bucket.cnt) break;
        w = i === 4 ? u32[(b >>> 2) + 1] : w >>> 8;
      }
      if (w === Top.emptyRest) break;
    }
    return 0;
  }

  /** mapaccess for a map on a shared heap, read with no lock: its walk is findShared. */
  function mapaccessShared(h: HMap, key: unknown): number {
    const u32 = h.heap.u32;
    if (u32[Hmap32.count] === 0) return 0;
    const flagsB = u32[Hmap32.flagsB];
    if ((flagsB & Flag.hashWriting) !== 0) concurrentReadWrite();
    const lo = kt.hash(key, u32[Hmap32.hash0] | 0);
    const top = tophash(hashOut.hi);
    if (u32[Hmap32.oldbuckets] !== 0) return findShared(h, bucketFor(h, lo), top, key, null);
    return findShared(h, (u32[Hmap32.buckets] + (lo & bucketMask(flagsB >>> 8)) * h.t.bucketSize) >>> 0, top, key, null);
  }

  return { mapaccess, find, findShared, mapaccessShared };
}
