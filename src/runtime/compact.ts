// Giving memory back after a growth (gomap's own step; Go's GC and scavenger do this for Go).
//
// Each doubling frees the old array, leaving a hole about as large as the new array below
// it, since every array is larger than all earlier ones together and so never fits in their
// holes. JS cannot release pages in the middle of an ArrayBuffer, so at the end of a growth a
// non-shared map slides its bucket array down over that hole and copies the heap into a
// buffer that fits; when the array is the heap's last block, as it usually is, the two are one
// copy (Heap.slideDown). Offsets into the array are then fixed: the header's
// buckets and nextOverflow, the pool's end mark, and every overflow link into the pool.
//
// Invariants: runs only with no iterator holding the heap (Heap.slideDown refuses otherwise),
// never on a shared heap, and bumps the map's epoch so `ref` views look again. Costs one pass
// over the array and its chains, at most once per doubling. A growth that ends while an
// iteration holds the heap leaves the slide pending (HMap.compactPending), and the end of the
// last hold does it (compactAfterHolds): a map that doubled inside a range loop otherwise kept
// the old array's hole below the new one, and a buffer half as large again, until it next grew.
import type { HMap } from "./hmap.js";
import { Flag, Hmap, Hmap32, bucketShift } from "./layout.js";
import { arrayBuckets } from "./makemap.js";

/** Slides the bucket array down into free space below it, then trims the buffer. */
export function compactBuckets(h: HMap): void {
  const heap = h.heap;
  if (heap.shared) return;
  if (heap.held) {
    h.compactPending = true;
    return;
  }
  const t = h.t;
  const array = heap.u32[Hmap32.buckets];
  if (array === 0) return;
  const B = h.B;
  const bytes = arrayBuckets(B) * t.bucketSize;
  const moved = heap.slideDown(array);
  if (moved !== array) relink(h, array, moved, bytes, B);
  heap.shrinkToFit();
  h.epoch++;
}

/**
 * The slide a growth that ended while the heap was held left undone, once no iteration holds
 * it: called where a hold ends. Not inside a write (an iterator's return() from update's
 * callback): the next end of a hold, or the next growth's end, does it then.
 */
export function compactAfterHolds(h: HMap): void {
  if (!h.compactPending || h.heap.held || (h.heap.u8[Hmap.flags] & Flag.hashWriting) !== 0) return;
  h.compactPending = false;
  if (h.growing) return; // that growth's own end slides the array
  compactBuckets(h);
}

/** Fixes every offset that pointed into [from, from + bytes) after the array moved to `to`. */
function relink(h: HMap, from: number, to: number, bytes: number, B: number): void {
  const heap = h.heap;
  const t = h.t;
  const u32 = heap.u32;
  const delta = from - to;
  const end = from + bytes;
  u32[Hmap32.buckets] = to;
  const next = u32[Hmap32.nextOverflow];
  if (next >= from && next < end) u32[Hmap32.nextOverflow] = next - delta;
  const n = arrayBuckets(B);
  if (n !== bucketShift(B)) {
    // The pool's end mark holds the array's own offset.
    const last = to + (n - 1) * t.bucketSize + t.overflowOffset;
    if (u32[last >>> 2] === from) u32[last >>> 2] = to;
  }
  const ovf = t.overflowOffset;
  for (let i = 0; i < bucketShift(B); i++) {
    for (let b = to + i * t.bucketSize; ; ) {
      const link = u32[(b + ovf) >>> 2];
      if (link === 0) break;
      const fixed = link >= from && link < end ? link - delta : link;
      if (fixed !== link) u32[(b + ovf) >>> 2] = fixed;
      b = fixed;
    }
  }
}
