// Trace events: the runtime's tracer hook (runtime/trace.ts) turned into public events, for
// two kinds of listener:
// - node:diagnostics_channel subscribers of the channels gomap:grow, gomap:evacuate,
//   gomap:overflow and gomap:clear (Node 20.16 or later, where process.getBuiltinModule
//   exists; no static import of a node: module, so this file also bundles for the browser);
// - inspect.onTrace(listener) listeners, in Node and in the browser (the playground).
//
// Cost when nobody listens: with no onTrace listener and no diagnostics_channel available
// the runtime's tracer is null, so each trace point is one failed `!== null` test. In Node
// the bridge stays installed (diagnostics_channel tells nobody when a subscriber arrives) and
// each trace point costs a call and a `hasSubscribers` read; no event object is built. Trace
// points are per growth, per evacuated old bucket, per overflow bucket and per clear, never
// per lookup. README "Trace events" has the measurement and its command.
//
// Listeners run synchronously in the middle of the write that caused the event (hashWriting
// is set): a listener must not call the map's methods (they throw "concurrent map ..."),
// though inspect.map and inspect.bucket may read it. An error a listener throws cannot stop
// the write halfway: it is caught and rethrown on a microtask, as diagnostics_channel does.
import type { GoMap } from "../gomap.js";
import type { HMap } from "../runtime/hmap.js";
import { setTracer } from "../runtime/trace.js";
import type { Tracer } from "../runtime/trace.js";
import { optionalNodeModule } from "../platform.js";

/** The map an event is about (null only for a map made without the GoMap class). */
export type AnyGoMap = GoMap<unknown, unknown, unknown, unknown> | null;

/** hashGrow started a growth. */
export interface GrowEvent {
  type: "grow";
  /** The map that grew. */
  map: AnyGoMap;
  oldB: number;
  newB: number;
  kind: "doubling" | "same-size";
  /** Entries when the growth started. */
  count: number;
}

/** evacuate moved an old bucket's entries into the new array. */
export interface EvacuateEvent {
  type: "evacuate";
  map: AnyGoMap;
  /** The old bucket's index. */
  oldbucket: number;
  /** Entries moved to X (new bucket `x`, the same index) and to Y (new bucket `y`). */
  toX: number;
  toY: number;
  x: number;
  /** oldbucket + 2^oldB; null for a same-size growth, which has no Y half. */
  y: number | null;
}

/** newoverflow linked an overflow bucket to the end of a chain. */
export interface OverflowEvent {
  type: "overflow";
  map: AnyGoMap;
  /**
   * Heap offset of the bucket the new one was linked after: inspect.bucket's offsets while
   * the event runs. A write that ends a growth moves the bucket array afterwards (compact.ts),
   * so offsets in the array or its pool kept past the write may have changed.
   */
  bucket: number;
  /** Heap offset of the new overflow bucket (in the array's pool when preallocated). */
  overflow: number;
  /** Taken from the array's preallocated pool (true) or allocated fresh (false). */
  preallocated: boolean;
}

/** clear(m) removed every entry. */
export interface ClearEvent {
  type: "clear";
  map: AnyGoMap;
  /** Entries removed. */
  count: number;
  /** B, kept by clear. */
  B: number;
}

export type TraceEvent = GrowEvent | EvacuateEvent | OverflowEvent | ClearEvent;
export type TraceListener = (event: TraceEvent) => void;

/** The diagnostics_channel channel names, by event type. */
export const CHANNELS = {
  grow: "gomap:grow",
  evacuate: "gomap:evacuate",
  overflow: "gomap:overflow",
  clear: "gomap:clear",
} as const;

/** The part of a node:diagnostics_channel Channel used here. */
interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

type Channels = Record<TraceEvent["type"], Channel>;

/** The channels, or null where node:diagnostics_channel can't be had (browsers, Node < 20.16). */
const channels: Channels | null = openChannels();

function openChannels(): Channels | null {
  const dc = optionalNodeModule<{ channel(name: string): Channel }>("node:diagnostics_channel");
  if (dc === undefined) return null;
  return {
    grow: dc.channel(CHANNELS.grow),
    evacuate: dc.channel(CHANNELS.evacuate),
    overflow: dc.channel(CHANNELS.overflow),
    clear: dc.channel(CHANNELS.clear),
  };
}

const listeners = new Set<TraceListener>();
/**
 * The listeners as an array, made anew on every change and never changed in place: emit
 * walks the array it started with, so a listener that subscribes or unsubscribes (itself or
 * another) during an event changes who gets the next events, not this one. Walking the Set
 * itself called a listener that took itself off and put itself back on again for the same
 * event, endlessly. diagnostics_channel copies its subscribers the same way.
 */
let listening: readonly TraceListener[] = [];

/**
 * Calls listener with every trace event of every map until the returned function is called.
 * Adding the same function twice adds it once. A listener added or removed while an event is
 * being delivered gets, or misses, the events after it.
 */
export function onTrace(listener: TraceListener): () => void {
  if (typeof listener !== "function") throw new TypeError(`gomap: onTrace needs a function, got ${listener === null ? "null" : typeof listener}`);
  listeners.add(listener);
  listening = [...listeners];
  syncTracer();
  return () => {
    listeners.delete(listener);
    listening = [...listeners];
    syncTracer();
  };
}

/**
 * Whether anyone wants events of a type now: an onTrace listener, or a subscriber of its
 * channel. Each trace point passes its channel by name (`channels?.grow`), not the event type
 * for a lookup here: `channels[type]` in this one function saw four names and went megamorphic
 * in V8, a generic keyed load at every evacuated bucket (1.6% of unhinted u32 inserts).
 */
function wanted(channel: Channel | undefined): boolean {
  return listeners.size !== 0 || (channel !== undefined && channel.hasSubscribers);
}

function emit(event: TraceEvent): void {
  if (channels !== null) channels[event.type].publish(event);
  const list = listening;
  for (let i = 0; i < list.length; i++) {
    const listener = list[i];
    try {
      listener(event);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}

/** The public map over h. */
function mapOf(h: HMap): AnyGoMap {
  return h.owner as AnyGoMap;
}

const bridge: Tracer = {
  grow(h: HMap, oldB: number, newB: number, sameSize: boolean, count: number): void {
    if (wanted(channels?.grow)) emit({ type: "grow", map: mapOf(h), oldB, newB, kind: sameSize ? "same-size" : "doubling", count });
  },
  evacuate(h: HMap, oldbucket: number, toX: number, toY: number, x: number, y: number): void {
    if (wanted(channels?.evacuate)) emit({ type: "evacuate", map: mapOf(h), oldbucket, toX, toY, x, y: y < 0 ? null : y });
  },
  overflow(h: HMap, bucket: number, overflow: number, preallocated: boolean): void {
    if (wanted(channels?.overflow)) emit({ type: "overflow", map: mapOf(h), bucket, overflow, preallocated });
  },
  clear(h: HMap, count: number, B: number): void {
    if (wanted(channels?.clear)) emit({ type: "clear", map: mapOf(h), count, B });
  },
};

/** The runtime's tracer is the bridge while anyone could listen, else null. */
function syncTracer(): void {
  setTracer(channels !== null || listeners.size !== 0 ? bridge : null);
}

syncTracer();
