// The explanation line under the drawing: what the step at the cursor did, in plain words,
// from what the interpreter touched, the runtime's trace events and the map's stats after.
//
//   m["k"] = 1: new key "k" in bucket 11, slot 2 (tophash 0x9c). Load factor 6.63 > 6.5:
//   growing to B=4, 16 new buckets. Evacuating bucket 3 into X=3 and Y=11 (4 to X, 5 to Y);
//   bucket 0 into X=0 and Y=8 (6 to X, 3 to Y). Growing (doubling): nevacuate=1, 6 of 8 old
//   buckets left to evacuate; each write moves one or two.
//
// The step that evacuates the last old bucket says that the growth is over.
import type { EvacuateEvent, GrowEvent, MapStats, TraceEvent } from "../src/index.js";
import type { Touched } from "./lang/exec.js";
import { formatKey } from "./lang/values.js";
import type { Location } from "./locate.js";
import type { StepResult } from "./session.js";

/** The sentence for a step's result; `stats` is the focused map after the step, if any. */
export function explain(r: StepResult, stats: MapStats | null): string {
  const parts: string[] = [];
  if (r.error !== null) parts.push(`${r.step.src}: ${r.error.message}`);
  else if (r.ranged !== null) parts.push(`${r.step.src}: ${rangedText(r.ranged)}${r.touched === null ? "" : ` The body's last key: ${touchedText(r.touched)}.`}`);
  else if (r.touched !== null) parts.push(`${r.step.src}: ${touchedText(r.touched)}.`);
  else parts.push(`${r.step.src}.`);
  parts.push(...eventsText(r.events));
  if (stats !== null && stats.growing) {
    parts.push(`Growing (${stats.growth}): nevacuate=${stats.nevacuate}, ${stats.oldBucketsLeft} of ${stats.oldBuckets} old buckets left to evacuate; each write moves one or two.`);
  } else if (stats !== null && r.events.some((e) => e.type === "evacuate")) {
    parts.push("The growth is over: every old bucket is evacuated and the old array is freed.");
  }
  return parts.join(" ");
}

function where(loc: Location): string {
  const arr = loc.old ? "old bucket" : "bucket";
  const chain = loc.chain === 0 ? "" : `, overflow bucket ${loc.chain}`;
  return `${arr} ${loc.bucket}${chain}, slot ${loc.slot} (tophash ${hex(loc.tophash)})`;
}

function touchedText(t: Touched): string {
  const key = formatKey(t.key, t.map.t.key);
  const loc = t.loc;
  switch (t.op) {
    case "insert":
      return loc === null ? `new key ${key}` : `new key ${key} in ${where(loc)}`;
    case "update":
      return loc === null ? `key ${key} was there; value replaced` : `key ${key} was there, in ${where(loc)}; value replaced`;
    case "hit":
      return loc === null ? `found ${key}` : `found ${key} in ${where(loc)}`;
    case "miss":
      return `${key} is not in the map: the zero value, and ok = false`;
    case "delete":
      return loc === null ? `deleted ${key}` : `deleted ${key} from ${where(loc)}; the slot is now empty (emptyOne, or emptyRest when nothing follows it)`;
    case "delete-miss":
      return `${key} is not in the map: delete does nothing`;
  }
}

function rangedText(n: number): string {
  return `${n} ${n === 1 ? "entry" : "entries"} visited, starting at a random bucket and slot (mapiterinit), so the order changes from loop to loop.`;
}

/** One sentence per kind of event; long runs (1000 inserts) are summed up. */
function eventsText(events: TraceEvent[]): string[] {
  const grows = events.filter((e): e is GrowEvent => e.type === "grow");
  const evacs = events.filter((e): e is EvacuateEvent => e.type === "evacuate");
  const overflows = events.filter((e) => e.type === "overflow");
  const clears = events.filter((e) => e.type === "clear");
  const out: string[] = [];
  for (const c of clears) if (c.type === "clear") out.push(`clear removed ${c.count} entries and kept the ${2 ** c.B} buckets (B=${c.B}).`);
  if (grows.length > 2) {
    out.push(`${grows.length} growths, B ${grows[0].oldB} → ${grows[grows.length - 1].newB}; ${evacs.length} old buckets evacuated; ${overflows.length} overflow buckets linked.`);
    return out;
  }
  // Events in order: a growth, then the evacuations it leads to.
  for (const e of events) {
    if (e.type === "grow") out.push(growText(e));
  }
  if (evacs.length > 0) out.push(`Evacuating ${evacs.map(evacText).join("; ")}.`);
  if (overflows.length > 0) {
    out.push(overflows.length === 1 ? "A bucket was full: an overflow bucket was linked to its chain." : `${overflows.length} overflow buckets were linked to full chains.`);
  }
  return out;
}

function growText(e: GrowEvent): string {
  if (e.kind === "same-size") {
    return `Too many overflow buckets for 2^${e.oldB} buckets: same-size growth to B=${e.newB}, to pack the chains tight.`;
  }
  const lf = (e.count + 1) / 2 ** e.oldB;
  return `Load factor ${lf.toFixed(2)} > 6.5: growing to B=${e.newB}, ${2 ** e.newB} new buckets.`;
}

function evacText(e: EvacuateEvent): string {
  if (e.y === null) return `bucket ${e.oldbucket} into ${e.x} (${e.toX} entries)`;
  return `bucket ${e.oldbucket} into X=${e.x} and Y=${e.y} (${e.toX} to X, ${e.toY} to Y)`;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, "0")}`;
}
