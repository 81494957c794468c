// HMap: the JS handle of one map. The map itself (the hmap header and every bucket) is in
// the heap; this object holds only the heap, the map's type, the functions specialised for
// its key type, where the last lookup or insert found or put its key (slot, bucket, head,
// inserted), the epoch and a pending slide (below), and the public object that owns it.
//
// Invariants:
// - All map state that another reader of the buffer needs is in the heap (layout.ts).
// - `epoch` changes whenever an entry may have moved or gone (a delete, an evacuation, the end
//   of a growth, a clear) and while update's fn runs, so a saved slot offset (a `ref` view)
//   knows when to check again.
// - Memory an iterator might still read is not freed while it runs: iterators hold the heap
//   (Heap.hold), which defers frees, as Go's GC keeps an old array alive for its iterators.
//   A clear ends them all and gives their holds back at once (Heap.releaseHolds).
// - A walk of all the map's chains visits each bucket once, so no more buckets than the heap
//   can hold (ChainBudget): a longer walk is going round memory a buggy thread overwrote.
import { GoMapError } from "../errors.js";
import type { Heap } from "../memory/heap.js";
import { Bucket, Hmap, Hmap16, Hmap32 } from "./layout.js";
import type { MapType } from "./maptype.js";

/** The functions of the runtime that touch keys, stamped out once per key type. */
export interface Runtime {
  /** Finds key: the bucket holding it (its slot in h.slot), or 0 when it is absent. */
  mapaccess(h: HMap, key: unknown): number;
  /**
   * mapaccess for a map on a shared heap, which another thread may write while this one
   * reads: the same result, but a walk longer than the heap's buckets (memory a writer freed
   * and reused under it) throws GoMapError("concurrent map read and map write").
   */
  mapaccessShared(h: HMap, key: unknown): number;
  /** mapaccess's walk of one chain from bucket b, for a key whose tophash is top; no checks. */
  find(h: HMap, b: number, top: number, key: unknown): number;
  /**
   * find for a map on a shared heap: a walk longer than the heap's buckets throws, as a read's
   * GoMapError("concurrent map read and map write"), or for a write (`write` names it) as
   * chainTooLong: a writer holds hashWriting, so its chain went round memory a buggy thread
   * overwrote.
   */
  findShared(h: HMap, b: number, top: number, key: unknown, write: string | null): number;
  /**
   * Finds or inserts key: its elem's offset. h.inserted says whether it was inserted, and
   * h.bucket, h.slot and h.head where. A found key is not rewritten: the caller stores the
   * new key's bits (MapType.needKeyUpdate) once the value is stored, so a value that fails
   * to store leaves the old key too.
   */
  mapassign(h: HMap, key: unknown): number;
  /**
   * mapassign for a caller that already holds hashWriting (beginWrite) and keeps it until the
   * value is stored: a shared map's set, where another thread must not write in between.
   */
  mapassignLocked(h: HMap, key: unknown): number;
  /** Removes key if present; returns whether it was. */
  mapdelete(h: HMap, key: unknown): boolean;
  /** Moves the entries of old bucket `oldbucket` into the new array. */
  evacuate(h: HMap, oldbucket: number): void;
}

export class HMap {
  heap: Heap;
  readonly t: MapType;
  readonly rt: Runtime;
  /** Changes when memory a saved offset could point at is freed (see header comment). */
  epoch: number;
  /** A growth ended while the heap was held: its slide (compact.ts) waits for the last hold's end. */
  compactPending: boolean;
  /** Slot index of the last hit of mapaccess or mapassign. */
  slot: number;
  /** The bucket holding the slot mapassign last returned, and the head of its chain. */
  bucket: number;
  head: number;
  /** Whether the last mapassign inserted a new key. */
  inserted: boolean;
  /** The public object over this map, opaque here; trace events name the map by it. */
  owner: object | null;
  /**
   * A shared map's header fields as this thread's last write found them sound
   * (headercheck.ts recheckHeader); null for a map of one thread.
   */
  readonly headerSeen: Uint32Array | null;

  constructor(heap: Heap, t: MapType, rt: Runtime) {
    this.heap = heap;
    this.t = t;
    this.rt = rt;
    this.epoch = 0;
    this.compactPending = false;
    this.slot = 0;
    this.bucket = 0;
    this.head = 0;
    this.inserted = false;
    this.owner = null;
    this.headerSeen = heap.shared ? unseenHeader() : null;
  }

  get count(): number {
    return this.heap.u32[Hmap32.count];
  }
  get flags(): number {
    return this.heap.u8[Hmap.flags];
  }
  get B(): number {
    return this.heap.u8[Hmap.B];
  }
  get noverflow(): number {
    return this.heap.u16[Hmap16.noverflow];
  }
  get hash0(): number {
    return this.heap.u32[Hmap32.hash0];
  }
  get buckets(): number {
    return this.heap.u32[Hmap32.buckets];
  }
  get oldbuckets(): number {
    return this.heap.u32[Hmap32.oldbuckets];
  }
  get nevacuate(): number {
    return this.heap.u32[Hmap32.nevacuate];
  }
  /** A growth is in progress. */
  get growing(): boolean {
    return this.heap.u32[Hmap32.oldbuckets] !== 0;
  }

  /** Byte offset of key i of bucket b, following the link of an indirect key. */
  keyAt(b: number, i: number): number {
    const k = b + Bucket.dataOffset + i * this.t.keySlot;
    return this.t.indirectKey === true ? this.heap.u32[k >>> 2] : k;
  }

  /**
   * The runtime's lookup of key for the slow paths (update, ref, a moved entry met by an
   * iterator): mapaccessShared on a shared heap, which another thread may write meanwhile,
   * mapaccess otherwise. The hot paths bind one or the other once (ops.ts).
   */
  access(key: unknown): number {
    return this.heap.shared ? this.rt.mapaccessShared(this, key) : this.rt.mapaccess(this, key);
  }

  /** Byte offset of elem i of bucket b, following the link of an indirect elem. */
  elemAt(b: number, i: number): number {
    const e = b + this.t.elemsOffset + i * this.t.elemSlot;
    return this.t.indirectElem === true ? this.heap.u32[e >>> 2] : e;
  }

  /** The overflow bucket after b, or 0. */
  overflow(b: number): number {
    return this.heap.u32[(b + this.t.overflowOffset) >>> 2];
  }
}

/**
 * The buckets a walk of the map's chains (a clear's, inspect's) may still visit: as many as the
 * heap can hold, since every chain of a map gomap wrote ends and no two share a bucket. Only
 * a shared map's memory, which a buggy thread may overwrite with a link back into the chain,
 * can exhaust it; the walk then throws GoMapError rather than go round for ever.
 */
export class ChainBudget {
  private left: number;

  constructor(h: HMap) {
    this.left = Math.floor(h.heap.u8.length / h.t.bucketSize) + 1;
  }

  /** Counts one bucket of the walk `what` (the call's name). */
  step(what: string): void {
    if (--this.left < 0) chainTooLong(what);
  }
}

/** The header words headerSeen holds (headercheck.ts). */
const HEADER_SEEN = 5;

/** headerSeen before any check: offset 1 is no bucket array, so the first write checks. */
function unseenHeader(): Uint32Array {
  const seen = new Uint32Array(HEADER_SEEN);
  seen[0] = 1;
  return seen;
}

/**
 * The most buckets a chain of a map in `u32`'s heap can hold, cheaply: a bucket is at least 16
 * bytes (8 tophash bytes, 8 one-byte keys, the link), so a chain walk of one write that goes on
 * longer is going round memory a buggy thread overwrote, and ends with chainTooLong.
 */
export function maxChain(u32: Uint32Array): number {
  return u32.length >>> 2;
}

/** A walk `what` (the call's name) that went past the buckets the heap can hold. */
export function chainTooLong(what: string): never {
  throw new GoMapError(`gomap: ${what}: the map's chains hold more buckets than its heap can: its memory is corrupt`);
}
