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
// The writer syncs its heap views once it holds the flag, since only a writer grows the heap.
import { GoMapError } from "../errors.js";
import type { HMap } from "./hmap.js";
import { Flag, Hmap } from "./layout.js";

/** Index of the Int32 word that holds the flags byte. */
const FLAGS_WORD = Hmap.flags >>> 2;
if ((Hmap.flags & 3) !== 0) throw new Error("hmap flags must start a 32-bit word");

/** Marks a write as started; throws if one is in progress. */
export function beginWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) {
    beginSharedWrite(heap.i32);
    heap.sync();
    return;
  }
  const u8 = heap.u8;
  if ((u8[Hmap.flags] & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
  u8[Hmap.flags] ^= Flag.hashWriting;
}

function beginSharedWrite(i32: Int32Array): void {
  let old = Atomics.load(i32, FLAGS_WORD);
  for (;;) {
    if ((old & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
    const seen = Atomics.compareExchange(i32, FLAGS_WORD, old, old | Flag.hashWriting);
    if (seen === old) return;
    old = seen; // B or noverflow can't change under us, but an iterator's flag bits can
  }
}

/** Marks the write as finished; throws if someone else cleared the flag meanwhile. */
export function endWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) {
    const old = Atomics.and(heap.i32, FLAGS_WORD, ~Flag.hashWriting);
    if ((old & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
    return;
  }
  const u8 = heap.u8;
  if ((u8[Hmap.flags] & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
  u8[Hmap.flags] &= ~Flag.hashWriting;
}

/** Clears the flag after a write that threw (it changed nothing, or undid what it did). */
export function abandonWrite(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) Atomics.and(heap.i32, FLAGS_WORD, ~Flag.hashWriting);
  else heap.u8[Hmap.flags] &= ~Flag.hashWriting;
}

/** Sets the iterator flags, atomically on a shared heap (Go's atomic.Or8 in mapiterinit). */
export function markIterating(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) Atomics.or(heap.i32, FLAGS_WORD, Flag.iterator | Flag.oldIterator);
  else heap.u8[Hmap.flags] |= Flag.iterator | Flag.oldIterator;
}

/**
 * The check at the end of a read of a shared map: a writer that started while the read ran
 * may have shown it a half-written bucket, so its result can't be trusted.
 */
export function readDone(h: HMap): void {
  const heap = h.heap;
  if (heap.shared && (Atomics.load(heap.i32, FLAGS_WORD) & Flag.hashWriting) !== 0) {
    throw new GoMapError("concurrent map read and map write");
  }
}
