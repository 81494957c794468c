// Go's hashWriting flag: a write sets it on entry and clears it on exit; a write, read or
// iteration step that finds it set refuses to run ("concurrent map writes", "concurrent map
// read and map write", "concurrent map iteration and map write"). Go toggles the flag with
// XOR so that two racing writers are likelier to notice each other; the exit check catches a
// writer that cleared the flag under another. In one thread it catches re-entrant writes (a
// write from inside update's callback, or from a hasher).
//
// On a shared heap (threads share the map) the flag is set with a compare-and-swap on the
// 32-bit word that holds the flags byte (little-endian: flags is its low byte, then B and
// noverflow, which only the writer holding the flag changes). So of two writers that overlap,
// exactly one gets the flag and the other throws before touching anything: writers never
// corrupt each other, which is more than Go promises. A read that overlaps a write is caught
// only if it sees the flag, at its start or at its end (readDone): best-effort, as in Go.
// The writer syncs its heap views once it holds the flag, since only a writer grows the heap,
// and checks the header's fields (headercheck.ts), which a buggy thread may have overwritten.
import { GoMapError } from "../errors.js";
import { headerAsSeen, recheckHeader } from "./headercheck.js";
import type { HMap } from "./hmap.js";
import { Flag, Hmap, Hmap32 } from "./layout.js";

// The flags byte is the low byte of the word Hmap32.flagsB: a shared heap's Atomics work on
// that word, and the hot paths (lookups, beginWrite, endWrite) read the flags through it.
if ((Hmap.flags & 3) !== 0) throw new Error("hmap flags must start a 32-bit word");

/** Marks a write as started; throws if one is in progress. */
export function beginWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared === true) {
    beginSharedWrite(heap.i32);
    heap.sync();
    // Another thread may have left any bytes here (README "Sharing between workers"): a
    // header that points outside the heap would send this write round for ever.
    if (!headerAsSeen(h)) checkHeader(h);
    return;
  }
  // The flags byte through its u32 word (Hmap32.flagsB), the view the write's other header
  // reads use: one view less on the path to the bucket's load.
  const u32 = heap.u32;
  const flagsB = u32[Hmap32.flagsB];
  if ((flagsB & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
  u32[Hmap32.flagsB] = flagsB ^ Flag.hashWriting;
}

/** The whole header check of a shared write (headercheck.ts): a corrupt header lets the flag go and throws. */
function checkHeader(h: HMap): void {
  const problem = recheckHeader(h);
  if (problem === null) return;
  abandonWrite(h);
  throw new GoMapError(`gomap: write to a shared map whose header is corrupt: ${problem}`);
}

function beginSharedWrite(i32: Int32Array): void {
  let old = Atomics.load(i32, Hmap32.flagsB);
  for (;;) {
    if ((old & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
    const seen = Atomics.compareExchange(i32, Hmap32.flagsB, old, old | Flag.hashWriting);
    if (seen === old) return;
    old = seen; // B or noverflow can't change under us, but an iterator's flag bits can
  }
}

/** Marks the write as finished; throws if someone else cleared the flag meanwhile. */
export function endWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared === true) {
    const old = Atomics.and(heap.i32, Hmap32.flagsB, ~Flag.hashWriting);
    if ((old & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
    return;
  }
  const u32 = heap.u32;
  const flagsB = u32[Hmap32.flagsB];
  if ((flagsB & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
  u32[Hmap32.flagsB] = flagsB & ~Flag.hashWriting;
}

/**
 * Throws "concurrent map writes" if a write is in progress, changing nothing: for a write that
 * must take memory before mapassign sets the flag (set's staging of a value's bytes), so that
 * a write refused for overlapping another neither grows the heap nor runs out of it first.
 * On a shared heap such a write stages under the flag instead (generic/ops.ts).
 */
export function refuseWhileWriting(h: HMap): void {
  if ((h.heap.u32[Hmap32.flagsB] & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
}

/** Clears the flag after a write that threw (it changed nothing, or undid what it did). */
export function abandonWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) Atomics.and(heap.i32, Hmap32.flagsB, ~Flag.hashWriting);
  else heap.u8[Hmap.flags] &= ~Flag.hashWriting;
}

/** Sets the iterator flags, atomically on a shared heap (Go's atomic.Or8 in mapiterinit). */
export function markIterating(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) Atomics.or(heap.i32, Hmap32.flagsB, Flag.iterator | Flag.oldIterator);
  else heap.u8[Hmap.flags] |= Flag.iterator | Flag.oldIterator;
}

/**
 * The check at the end of a read of a shared map: a writer that started while the read ran
 * may have shown it a half-written bucket, so its result can't be trusted.
 */
export function readDone(h: HMap): void {
  const heap = h.heap;
  if (heap.shared && (Atomics.load(heap.i32, Hmap32.flagsB) & Flag.hashWriting) !== 0) {
    throw new GoMapError("concurrent map read and map write");
  }
}
