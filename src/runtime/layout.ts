// Every constant of the map runtime, in one block, as Go keeps them at the top of map.go;
// the hmap header's place in the heap; and the small named bit tricks the hot loops use.
//
// A bucket (Go's bmap) is laid out as Go lays it out on a 64-bit machine:
//
//   0        8              8+8*ks            8+8*ks+8*es     bucketSize
//   +--------+--------------+-----------------+---------------+
//   | tophash| keys[8]      | elems[8]        | overflow (u64)|
//   | [8]u8  | ks bytes each| es bytes each   | offset or 0   |
//   +--------+--------------+-----------------+---------------+
//
// ks and es are the key and elem sizes, or 8 (a heap offset) when a key or elem is larger
// than maxKeySize / maxElemSize and is stored indirectly. All 8 keys come before all 8 elems,
// so no padding is needed between them. Offsets into the heap are u32 values held in 8-byte
// fields whose upper half is zero; offset 0 is nil.
//
// The hmap header lives in the heap's root block (memory/heap.ts ROOT_OFFSET), at Go 1.19's
// offsets for a 64-bit hmap, with mapextra's nextOverflow folded into the `extra` word, and
// gomap's own fields after it (which hash function the map's keys use, and a digest of the
// key and value types the map was made with):
//
//   +0 count u64 | +8 flags u8 | +9 B u8 | +10 noverflow u16 | +12 hash0 u32
//   +16 buckets | +24 oldbuckets | +32 nevacuate u64 | +40 nextOverflow
//   +48 hasher u32 (Hasher) | +52 types u32 (typesDigest)
//   +56 hashKey u64 (Go's runtime.hashkey[0], for Hasher.go119)

// --- Go 1.19's constants (src/runtime/map.go) -----------------------------------------------
// const enums: tsc writes each use as its number, so the hot loops pay nothing for the names.

/** A bucket (bmap). */
export const enum Bucket {
  /** log2 of the slots a bucket holds. */
  cntBits = 3,
  /** Slots a bucket holds. */
  cnt = 8,
  /** Offset of the first key after the tophash bytes. */
  dataOffset = 8,
  /** Keys larger than this are stored indirectly (the slot holds a heap offset). */
  maxKeySize = 128,
  /** Elems larger than this are stored indirectly. */
  maxElemSize = 128,
}

/**
 * Maximum average load of a bucket that triggers growth is num/den = 6.5. Go's table for the
 * choice (load factor: %overflow, bytes/entry, hitprobe, missprobe):
 *  4.00: 2.13 20.77 3.00 4.00 | 4.50: 4.05 17.30 3.25 4.50 | 5.00: 6.85 14.77 3.50 5.00
 *  5.50: 10.55 12.94 3.75 5.50 | 6.00: 15.27 11.67 4.00 6.00 | 6.50: 20.90 10.79 4.25 6.50
 *  7.00: 27.14 10.15 4.50 7.00 | 7.50: 34.03 9.73 4.75 7.50 | 8.00: 41.10 9.40 5.00 8.00
 */
export const enum LoadFactor {
  num = 13,
  den = 2,
}

/** Possible tophash values. A tophash below minTopHash is a mark, not a hash byte. */
export const enum Top {
  /** This slot is empty, and so is every later slot and every overflow bucket after it. */
  emptyRest = 0,
  /** This slot is empty. */
  emptyOne = 1,
  /** The entry is valid and has been evacuated to the first half (X) of the larger table. */
  evacuatedX = 2,
  /** As evacuatedX, but to the second half (Y). */
  evacuatedY = 3,
  /** The slot was empty when its bucket was evacuated. */
  evacuatedEmpty = 4,
  /** The smallest tophash of a filled slot. */
  minTopHash = 5,
}

/** hmap flags. */
export const enum Flag {
  /** There may be an iterator using buckets. */
  iterator = 1,
  /** There may be an iterator using oldbuckets. */
  oldIterator = 2,
  /** A call is writing to the map. */
  hashWriting = 4,
  /** The current growth is to a table of the same size. */
  sameSizeGrow = 8,
}

export const enum Limit {
  /** B above which noverflow is sampled rather than exact (it counts up to 2^15). */
  noverflowExactBits = 15,
  /** Old buckets advanceEvacuationMark looks at, at most, per call. */
  maxEvacuationScan = 1024,
}

// --- the hmap header in the heap --------------------------------------------------------------

/** Byte offsets of hmap's fields: ROOT_OFFSET (256, memory/heap.ts) plus Go's offsets. */
export const enum Hmap {
  count = 256 + 0,
  flags = 256 + 8,
  B = 256 + 9,
  noverflow = 256 + 10,
  hash0 = 256 + 12,
  buckets = 256 + 16,
  oldbuckets = 256 + 24,
  nevacuate = 256 + 32,
  nextOverflow = 256 + 40,
  /** Bytes of Go's header. */
  size = 48,
  /** gomap's: the map's hash function (Hasher). */
  hasher = 256 + 48,
  /**
   * gomap's: a digest of the key and value types the map was made with (snapshot/typecode.ts
   * typesDigest), never 0; 0 in heaps written before it was recorded, which nothing checks.
   */
  types = 256 + 52,
  /** gomap's: the hash key of Hasher.go119. */
  hashKey = 256 + 56,
}

/** The hash function a map's keys use, recorded in the header so any reader of the buffer knows. */
export const enum Hasher {
  /** gomap's own (hash/hash.ts). */
  gomap = 0,
  /** Go 1.19's portable hash (hash/go119.ts), keyed by Hmap.hashKey. */
  go119 = 1,
}

/** u32 indexes of the u32-sized fields (count and the offsets use their low word). */
export const enum Hmap32 {
  count = Hmap.count >>> 2,
  /** flags (low byte), B (next byte) and noverflow (high half) in one word, little-endian. */
  flagsB = Hmap.flags >>> 2,
  hash0 = Hmap.hash0 >>> 2,
  buckets = Hmap.buckets >>> 2,
  oldbuckets = Hmap.oldbuckets >>> 2,
  nevacuate = Hmap.nevacuate >>> 2,
  nextOverflow = Hmap.nextOverflow >>> 2,
  hasher = Hmap.hasher >>> 2,
  types = Hmap.types >>> 2,
  hashKeyLo = Hmap.hashKey >>> 2,
  hashKeyHi = (Hmap.hashKey >>> 2) + 1,
}

/** u16 index of noverflow. */
export const enum Hmap16 {
  noverflow = Hmap.noverflow >>> 1,
}

// --- named bit tricks ---------------------------------------------------------------------------

/**
 * 2^B - 1: the bits of a hash that pick a bucket. B is at most 27 in any map (an array of 2^B
 * buckets of at least 16 bytes fits in a heap of under 4 GiB; snapshot validation checks it).
 */
export function bucketMask(B: number): number {
  return (1 << B) - 1;
}

/** 2^B buckets. */
export function bucketShift(B: number): number {
  return B < 31 ? 1 << B : 2 ** B;
}

/** The tophash of a hash whose high half is `hi`: its top byte, moved above the marks. */
export function tophash(hi: number): number {
  const top = hi >>> 24;
  return top < Top.minTopHash ? top + Top.minTopHash : top;
}

/** A word whose four bytes are all `top`: matchTophash's pattern. */
export function tophashPattern(top: number): number {
  return Math.imul(top, 0x01010101);
}

/**
 * The slots among four tophash bytes (`word`, one u32 read of a bucket's tophash array) that
 * equal the tophash of `pattern`: bit 7 of byte j is set when slot j matches, every other bit
 * is clear. Exact (no false matches): per byte, the low seven bits plus 0x7f carry into bit 7
 * only when they are not all zero, and can't carry into the next byte. So a bucket's tophash
 * bytes are compared four at a time, with no branch per slot.
 */
export function matchTophash(word: number, pattern: number): number {
  const x = word ^ pattern;
  return ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
}

/** The empty slots (emptyRest or emptyOne) among four tophash bytes, marked as matchTophash marks. */
export function matchEmpty(word: number): number {
  // A byte is 0 or 1 exactly when it is 0 without its lowest bit.
  return matchTophash(word & 0xfefefefe, 0);
}

/**
 * A bucket's eight slots as the bits of a byte, from matchTophash (or matchEmpty) results for
 * its two tophash words: bit j set when slot j is marked. Each result's marks (bits 7, 15, 23,
 * 31) are gathered by one multiply, whose partial products never overlap, so nothing carries.
 */
export function slotMask(lo: number, hi: number): number {
  return ((Math.imul(lo >>> 7, 0x204081) >>> 21) & 0xf) | ((Math.imul(hi >>> 7, 0x204081) >>> 17) & 0xf0);
}

/** The lowest slot a nonzero slotMask marks. */
export function lowSlot(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** A slot with this tophash holds no entry (emptyRest or emptyOne). */
export function isEmpty(top: number): boolean {
  return top <= Top.emptyOne;
}

/** A bucket whose first tophash is this has been evacuated. */
export function evacuatedMark(top: number): boolean {
  return top > Top.emptyOne && top < Top.minTopHash;
}

/** More than 6.5 entries a bucket on average: count entries need 2^(B+1) buckets or more. */
export function overLoadFactor(count: number, B: number): boolean {
  return count > Bucket.cnt && count > loadLimit(B);
}

/** The most entries 2^B buckets hold before the map doubles: 6.5 a bucket. */
export function loadLimit(B: number): number {
  return LoadFactor.num * (bucketShift(B) / LoadFactor.den);
}

/** Too many overflow buckets for 2^B buckets: a same-size growth will compact them. */
export function tooManyOverflowBuckets(noverflow: number, B: number): boolean {
  if (B > Limit.noverflowExactBits) B = Limit.noverflowExactBits;
  return noverflow >= 1 << B;
}
