// Text for the commands' human-readable output: sizes, counts, a map's stats as lines, and
// values as JSON (byte arrays as arrays of numbers; in text, NaN, +Inf, -Inf and -0 as Go
// prints them, where JSON has null and 0).
//
// Invariant: no string from a file reaches the terminal raw. JSON escapes C0 controls; json()
// also escapes DEL, the C1 controls (U+009B is a CSI to terminals that take 8-bit controls)
// and the bidi controls (U+202E shows the rest of a line reversed), which JSON leaves as they are.
import type { MapStats } from "../inspect/stats.js";

/** 1,234,567 */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** "1 bucket", "2 buckets": n and the noun, plural unless n is 1. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/** 812 B, 12.5 KiB, 3.2 MiB */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * A key or value for text output: its JSON (json() below), but a float JSON has no word for
 * as Go prints it (NaN, +Inf, -Inf) and -0 as -0, at any depth of a struct.
 */
export function shown(v: unknown): string {
  if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) {
    return Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : "-0";
  }
  if (typeof v === "object" && v !== null && !(v instanceof Uint8Array)) {
    return `{${Object.entries(v).map(([k, x]) => `${json(k)}:${shown(x)}`).join(",")}}`;
  }
  return json(v);
}

/** The controls JSON leaves raw that a terminal acts on: DEL, C1, and the bidi marks and overrides. */
const RAW_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text built from a file's strings (a struct type's field names, an error quoting a line) with
 * every control a terminal acts on as \uXXXX: C0, the tab and the line break included (a field
 * name's line break would start a line the file wrote), and RAW_CONTROLS.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f]/g, unicodeEscape).replace(RAW_CONTROLS, unicodeEscape);
}

/** A character as JSON's \uXXXX escape. */
function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * JSON.stringify with Uint8Arrays as arrays of numbers and bigints as numbers' strings, and
 * RAW_CONTROLS escaped as \uXXXX (the same JSON: it parses to the same strings).
 */
export function json(v: unknown, indent?: number): string {
  const text = JSON.stringify(
    v,
    (_k, x: unknown) => (x instanceof Uint8Array ? Array.from(x) : typeof x === "bigint" ? x.toString() : x),
    indent,
  );
  return text === undefined ? text : text.replace(RAW_CONTROLS, unicodeEscape);
}

/** One line a non-zero bucket of a histogram: "  label: n  ####". */
function histogram(title: string, h: number[], unit: (k: number) => string): string[] {
  const max = Math.max(1, ...h);
  const out = [title];
  for (let k = 0; k < h.length; k++) {
    if (h[k] === 0) continue;
    out.push(`  ${unit(k).padStart(12)}: ${count(h[k]).padStart(9)}  ${"#".repeat(Math.max(1, Math.round((h[k] / max) * 30)))}`);
  }
  return out;
}

/** A map's stats as the lines `gomap inspect` and `gomap demo` print. */
export function statsLines(s: MapStats): string[] {
  const lines = [
    `count ${count(s.count)}, B=${s.B} (${plural(s.buckets, "bucket")} of ${s.bucketSize} bytes), load factor ${s.loadFactor.toFixed(2)} (grows above 6.5)`,
    s.growth === null
      ? "growth: none in progress"
      : `growth: ${s.growth} in progress, ${count(s.oldBucketsLeft)} of ${plural(s.oldBuckets, "old bucket")} left to evacuate (nevacuate ${count(s.nevacuate)})`,
    `overflow buckets: ${count(s.overflowBuckets.inUse)} in use, ${count(s.overflowBuckets.preallocated)} preallocated (${count(s.overflowBuckets.preallocatedUnused)} unused); noverflow ${count(s.noverflow)}`,
    `bytes: ${bytes(s.bytes.total)} = buckets ${bytes(s.bytes.buckets)} + overflow ${bytes(s.bytes.overflow)} + strings ${bytes(s.bytes.strings)} + indirect ${bytes(s.bytes.indirect)} + wasted ${bytes(s.bytes.wasted)}`,
  ];
  if (s.hash0 !== undefined) lines.push(`hash0 0x${s.hash0.toString(16).padStart(8, "0")}`);
  if (s.buckets > 0) {
    lines.push(...histogram("chain lengths (buckets by overflow buckets in their chain):", s.histograms.chainLength, (k) => `${k} overflow`));
    lines.push(...histogram("slots used (buckets, overflow buckets included, by filled slots):", s.histograms.slotsUsed, (k) => `${k}/8 filled`));
  }
  return lines;
}
