// The trace hook: one module-level, nullable tracer the runtime calls at the four moments a
// map changes shape (a growth starts, an old bucket is evacuated, an overflow bucket is
// linked, the map is cleared). src/inspect/trace.ts installs it and turns each call into a
// public event (node:diagnostics_channel channels and inspect.onTrace listeners).
//
// Invariants:
// - Unset (null) unless someone listens; each call site is one `tracer !== null` test, and
//   none is on a lookup's path, so a map nobody watches pays nothing.
// - Imports nothing from Node: the runtime also runs in the browser playground.
// - A tracer is called synchronously, in the middle of a write, with hashWriting set. It must
//   not throw and must not call into the map (inspect/trace.ts catches its listeners' errors).
// - Offsets and indexes are the runtime's own: bucket offsets are heap offsets, as
//   inspect.bucket() reports them at the time of the call (compactBuckets may move the array
//   before the write returns).
import type { HMap } from "./hmap.js";

export interface Tracer {
  /** hashGrow: B goes from oldB to newB (equal for a same-size growth); count entries then. */
  grow(h: HMap, oldB: number, newB: number, sameSize: boolean, count: number): void;
  /**
   * evacuate: old bucket `oldbucket` moved toX entries into new bucket x and toY into y
   * (y is -1 for a same-size growth, which has no Y half).
   */
  evacuate(h: HMap, oldbucket: number, toX: number, toY: number, x: number, y: number): void;
  /** newoverflow: bucket `ovf` linked after bucket `after`, from the array's pool or fresh. */
  overflow(h: HMap, after: number, ovf: number, preallocated: boolean): void;
  /** mapclear: `removed` entries removed, the B kept. */
  clear(h: HMap, removed: number, B: number): void;
}

/** The installed tracer, or null (the usual case). */
export let tracer: Tracer | null = null;

/** Installs a tracer, or removes it with null. */
export function setTracer(t: Tracer | null): void {
  tracer = t;
}
