// The inspector: a map's shape (inspect.map), one bucket's bytes (inspect.bucket) and trace
// events (inspect.onTrace, and the node:diagnostics_channel channels in CHANNELS).
//
// Everything here reads the runtime's structures and never writes them: inspecting a map
// does not evacuate, allocate, set a flag or move an entry. Browser-safe: no node: imports.
import { GoMap } from "../gomap.js";
import { readBucket } from "./bucket.js";
import type { BucketOptions, BucketView } from "./bucket.js";
import type { InspectOptions, MapStats } from "./stats.js";
import { CHANNELS, onTrace } from "./trace.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

function checkMap(m: unknown, what: string): AnyMap {
  if (!(m instanceof GoMap)) throw new TypeError(`gomap: ${what} needs a GoMap, got ${m === null ? "null" : typeof m}`);
  return m as AnyMap;
}

/** The map's shape: what m.inspect(opts) returns. */
function map(m: GoMap<unknown, unknown, unknown, unknown>, opts?: InspectOptions): MapStats {
  return checkMap(m, "inspect.map").inspect(opts);
}

/**
 * Bucket i of the map's current array (or, with { old: true }, of the old array of a growth
 * in progress), with its overflow chain. TypeError for a bad argument, RangeError for an
 * index or array that isn't there.
 */
function bucket<K, V, KIn, VIn>(m: GoMap<K, V, KIn, VIn>, i: number, opts?: BucketOptions): BucketView<K, V> {
  return readBucket<K, V>(GoMap.hmapOf(checkMap(m, "inspect.bucket")), i, opts);
}

export const inspect = { map, bucket, onTrace, channels: CHANNELS } as const;

export type { Bmap, BucketOptions, BucketView } from "./bucket.js";
export type { Histograms, InspectOptions, MapBytes, MapStats, OverflowBuckets } from "./stats.js";
export type { ClearEvent, EvacuateEvent, GrowEvent, OverflowEvent, TraceEvent, TraceListener } from "./trace.js";
