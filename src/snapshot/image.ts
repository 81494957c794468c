// Writing a snapshot: the pieces of the file (format.ts), in order, for a map as it is now.
//
// The heap's bytes are handed out as a view of the live buffer, not copied, except for its
// first FIRST_BLOCK bytes (heap header and hmap), which are copied to make them canonical
// (format.ts). So the pieces are only valid until the map next changes: save() writes them
// straight away, toBytes() copies them into one array. A heap held by a running iterator,
// with frees waiting, is copied whole and those frees done in the copy, so the snapshot holds
// exactly the blocks the map uses.
//
// Reading during a write is refused, as Go refuses it: a snapshot taken from inside update's
// callback would catch the map halfway.
import { GoMapError } from "../errors.js";
import { FIRST_BLOCK, H_HIGH_WATER, H_TOP, Heap } from "../memory/heap.js";
import type { HMap } from "../runtime/hmap.js";
import { Flag, Hmap } from "../runtime/layout.js";
import type { AnyType } from "../types/type.js";
import { Checksum } from "./checksum.js";
import { encodeHeader, hashFingerprint, pad16 } from "./format.js";
import { encodeTypeCode } from "./typecode.js";
import type { OwnBytes } from "../types/bytes.js";

/** The pieces of the snapshot of h (null: a nil map), in file order, the checksum last. */
export function snapshotParts(h: HMap | null, kt: AnyType, vt: AnyType): Uint8Array[] {
  const kc = encodeTypeCode(kt);
  const vc = encodeTypeCode(vt);
  const codes = new Uint8Array(pad16(kc.length + vc.length));
  codes.set(kc, 0);
  codes.set(vc, kc.length);
  const heapParts = h === null ? [] : heapImage(h);
  const heapBytes = heapParts.reduce((n, p) => n + p.length, 0);
  const header = encodeHeader({ fingerprint: hashFingerprint(), keyCodeBytes: kc.length, valueCodeBytes: vc.length, heapBytes });
  const parts = [header, codes, ...heapParts];
  if (heapBytes % 16 !== 0) parts.push(new Uint8Array(16 - (heapBytes % 16)));
  const sum = new Checksum();
  for (const p of parts) sum.update(p);
  parts.push(sum.digest());
  return parts;
}

/** The heap's bytes up to top, in two pieces: a canonical copy of the header and hmap, then the blocks. */
function heapImage(h: HMap): Uint8Array[] {
  let heap = h.heap;
  // A shared heap another thread grew: this thread's views stop at the old length, and the
  // heap's top (in the shared header) lies past them.
  heap.sync();
  if ((heap.u8[Hmap.flags] & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map read and map write");
  if (heap.pendingFrees.length > 0) {
    const copy = Heap.fromBuffer(heap.u8.slice(0, heap.u32[H_TOP]).buffer);
    for (const off of heap.pendingFrees) copy.free(off);
    heap = copy;
  }
  const top = heap.u32[H_TOP];
  const prefix = heap.u8.slice(0, FIRST_BLOCK);
  new Uint32Array(prefix.buffer)[H_HIGH_WATER] = top;
  prefix[Hmap.flags] &= ~(Flag.iterator | Flag.oldIterator);
  return [prefix, heap.u8.subarray(FIRST_BLOCK, top)];
}

/** The whole snapshot as one array. */
export function concat(parts: Uint8Array[]): OwnBytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
