// What gomap checks of a shared map's header before it uses it: at attach, and at the start
// of a write to a shared map (beginWrite, once it holds hashWriting) whose fields that place
// the buckets changed since its thread last found them sound (headerAsSeen). The fields are
// checked in constant time, so that a buffer that is a gomap heap (magic and version,
// memory/heap.ts) but whose header a buggy thread overwrote, or that another build wrote, is
// refused with a GoMapError naming the field, rather than sending the call into a walk of 2^B
// buckets that are not there, an evacuation that never ends, or writes through offsets into
// nothing.
//
// Checked: the heap's top lies in the buffer; B is at most 27 (bucketMask); the bucket array
// and, while growing, the old one are live heap blocks below top, 8-aligned, large enough for
// 2^B (or the old 2^oldB) buckets and their overflow pool (makemap.ts arrayBuckets), and are
// not the same block; nevacuate is below the old bucket count (at it, the growth would have
// ended); nextOverflow is 0 or a pool bucket of the current array; a map with no array is
// empty, at B = 0, not growing; the hasher is one gomap knows.
//
// Not checked, as that would cost a walk of the whole map (snapshot/validate.ts does it for a
// file): chains (an overflow cycle, a link out of the heap), tophash bytes, count against the
// entries, string and indirect offsets. The runtime's walks of a shared heap's chains are
// bounded instead (README "Sharing between workers").
//
// A header read at attach while another thread writes (hashWriting set) may be torn: a growth
// sets B and the two array offsets one after the other. A problem found then is not reported:
// the write in progress is a race the caller's reads and writes will meet and report
// themselves. A writer holds the flag, so what it reads is no other writer's half-done work.
import { GoMapError } from "../errors.js";
import { BLOCK_HEADER, FIRST_BLOCK, H_TOP, USED } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";
import type { HMap } from "./hmap.js";
import { hasherProblem } from "./hasher.js";
import { Flag, Hmap, Hmap32 } from "./layout.js";
import { arrayBuckets } from "./makemap.js";

/** The largest B of any map (layout.ts bucketMask). */
const MAX_B = 27;

/** Throws GoMapError when the header of the map in `heap`, of buckets of `bucketSize` bytes, is not one gomap wrote. */
export function checkAttachable(heap: Heap, bucketSize: number): void {
  const before = heap.u8[Hmap.flags];
  const problem = headerProblem(heap, bucketSize);
  if (problem === null || ((before | heap.u8[Hmap.flags]) & Flag.hashWriting) !== 0) return;
  throw new GoMapError(`gomap: attach: the shared map's header is corrupt: ${problem}`);
}

/**
 * Whether a shared map's header fields that place its buckets are as its thread's last sound
 * check left them (h.headerSeen), for a write that holds hashWriting (writing.ts beginWrite).
 * They change only in a growth, or when an overflow bucket is taken from the pool, so most
 * writes skip recheckHeader: the whole check on every write took a third of a shared
 * set's time (135 ns against 100, one thread); with this test first, a shared set took what it
 * took without either, within the machine's noise (medians of 160-184 ns against 160-175, both
 * builds in one process, alternating rounds). The heap's top and the hasher are then checked
 * only with them: neither sends a walk astray (a top past the buffer makes allocations fail;
 * one below the blocks makes them overwrite the map's own bytes, inside its buffer).
 */
export function headerAsSeen(h: HMap): boolean {
  const u32 = h.heap.u32;
  const seen = h.headerSeen as Uint32Array;
  return (
    seen[0] === u32[Hmap32.buckets] &&
    seen[1] === u32[Hmap32.oldbuckets] &&
    seen[2] === (u32[Hmap32.flagsB] & SHAPE) &&
    seen[3] === u32[Hmap32.nevacuate] &&
    seen[4] === u32[Hmap32.nextOverflow]
  );
}

/** flagsB's bits that place the buckets: B, and whether a growth is a same-size one. */
const SHAPE = 0xff00 | Flag.sameSizeGrow;

/**
 * The whole check, for a write (holding hashWriting) whose header is not as last seen: what is
 * wrong with the header, or null, having recorded it as seen.
 */
export function recheckHeader(h: HMap): string | null {
  const heap = h.heap;
  const u32 = heap.u32;
  const problem = headerProblem(heap, h.t.bucketSize);
  if (problem !== null) return problem;
  const seen = h.headerSeen as Uint32Array;
  seen[0] = u32[Hmap32.buckets];
  seen[1] = u32[Hmap32.oldbuckets];
  seen[2] = u32[Hmap32.flagsB] & SHAPE;
  seen[3] = u32[Hmap32.nevacuate];
  seen[4] = u32[Hmap32.nextOverflow];
  return null;
}

/** What is wrong with the header, or null. */
function headerProblem(heap: Heap, bs: number): string | null {
  const u32 = heap.u32;
  const top = u32[H_TOP];
  if (top < FIRST_BLOCK || top > heap.capacity || (top & 7) !== 0) return `heap top ${top} is not an 8-aligned offset in [${FIRST_BLOCK}, ${heap.capacity}]`;
  const hasher = hasherProblem(heap);
  if (hasher !== null) return hasher;
  const B = heap.u8[Hmap.B];
  if (B > MAX_B) return `B = ${B}, above ${MAX_B}`;
  const buckets = u32[Hmap32.buckets];
  const old = u32[Hmap32.oldbuckets];
  if (buckets === 0) {
    return B === 0 && old === 0 && u32[Hmap32.count] === 0 ? null : "no bucket array, but B, count or a growth set";
  }
  const array = blockProblem(heap, "buckets", buckets, arrayBuckets(B) * bs);
  if (array !== null) return array;
  const next = u32[Hmap32.nextOverflow];
  const pool = buckets + (1 << B) * bs;
  if (next !== 0 && (next < pool || next >= buckets + arrayBuckets(B) * bs || (next - buckets) % bs !== 0)) {
    return `nextOverflow ${next} is not a pool bucket of the array at ${buckets}`;
  }
  if (old === 0) return null;
  const oldB = (heap.u8[Hmap.flags] & Flag.sameSizeGrow) !== 0 ? B : B - 1;
  if (oldB < 0) return "a doubling growth with B = 0";
  if (old === buckets) return `oldbuckets and buckets are both ${old}`;
  const nevacuate = u32[Hmap32.nevacuate];
  if (nevacuate >= 1 << oldB) return `nevacuate ${nevacuate} at or past the ${1 << oldB} old buckets`;
  return blockProblem(heap, "oldbuckets", old, arrayBuckets(oldB) * bs);
}

/** What is wrong with `off` as the payload of a live block of at least `bytes` bytes, or null. */
function blockProblem(heap: Heap, field: string, off: number, bytes: number): string | null {
  const top = heap.u32[H_TOP];
  if ((off & 7) !== 0 || off < FIRST_BLOCK + BLOCK_HEADER || off >= top) return `${field} ${off} is not a block of the heap (top ${top})`;
  const word = heap.u32[(off - BLOCK_HEADER) >>> 2];
  if ((word & USED) === 0) return `${field} ${off} is a free block`;
  const size = heap.sizeOf(off);
  if (size < bytes || off + size > top) return `${field} ${off} is a block of ${size} bytes, the array needs ${bytes}`;
  return null;
}
