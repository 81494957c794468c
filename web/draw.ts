// The drawing: one map as Go lays it out, rebuilt from the inspector after every step.
//
//   hmap header   count | flags | B | noverflow | hash0 (hidden unless asked) | nevacuate ...
//   oldbuckets    (while growing) the old array, evacuated buckets marked, beside
//   buckets       the current array; each bucket a bmap: 8 tophash cells, 8 keys, 8 values,
//                 then its overflow buckets in chain order
//
// Only a window of PAGE buckets is drawn (the same index window in both arrays), so a map of
// thousands of entries draws as fast as a small one; the window follows the slot the last
// step touched. Everything is plain DOM with text, labels and roles a screen reader can read:
// each bucket is a group named with what the picture shows of it (evacuated, where this step's
// evacuation sent its entries, the slot the step touched), and tophash marks are read by
// name. What the picture marks with colour (the touched slot, the X/Y destinations) also has
// an outline and, for the destinations, a text tag, so colour is never the only cue.
import { GoMap, inspect } from "../src/index.js";
import type { Bmap, EvacuateEvent, MapStats, TraceEvent } from "../src/index.js";
import { hex } from "./explain.js";
import type { AnyMap } from "./lang/values.js";
import type { Location } from "./locate.js";

/** Buckets drawn a page. */
export const PAGE = 16;
/** The most evacuations of one step the drawing marks. */
const MAX_MARKED = 4;

/** tophash marks below minTopHash (5), as Go names them. */
const MARKS = ["emptyRest", "emptyOne", "evacuatedX", "evacuatedY", "evacuatedEmpty"];
const MARK_SHORT = ["·", "∅", "X", "Y", "E"];
/** hmap.flags bits, lowest first (runtime/layout.ts Flag). */
const FLAG_NAMES = ["iterator", "oldIterator", "hashWriting", "sameSizeGrow"];

export interface DrawInput {
  name: string;
  m: AnyMap;
  stats: MapStats;
  /** The slot the step touched. */
  loc: Location | null;
  events: TraceEvent[];
  page: number;
  showSeed: boolean;
  /** Key formatting (by the key type: a float32 key prints its own shortest digits). */
  formatKey: (k: unknown) => string;
  /** Value formatting (slices need the interpreter's backing arrays). */
  formatValue: (v: unknown) => string;
}

/** The page of buckets holding the touched slot, or of the step's first evacuation. */
export function pageFor(loc: Location | null, events: TraceEvent[], current: number): number {
  if (loc !== null) return Math.floor(loc.bucket / PAGE);
  const evac = events.find((e) => e.type === "evacuate");
  if (evac !== undefined && evac.type === "evacuate") return Math.floor(evac.x / PAGE);
  return current;
}

export function pages(stats: MapStats): number {
  return Math.max(1, Math.ceil(stats.buckets / PAGE));
}

/** Draws the map into `root`, replacing what was there. */
export function drawMap(root: HTMLElement, d: DrawInput): void {
  root.replaceChildren(header(d), arrays(d));
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string | null, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls !== null) e.className = cls;
  e.append(...kids);
  return e;
}

function header(d: DrawInput): HTMLElement {
  const s = d.stats;
  const fields: [string, string, string][] = [
    ["count", String(s.count), "live entries: len(m)"],
    ["flags", flagNames(d.m), "iterator 1: an iterator may be using buckets; oldIterator 2: ... oldbuckets; hashWriting 4; sameSizeGrow 8"],
    ["B", String(s.B), `log2 of the bucket count: 2^${s.B} = ${2 ** s.B} buckets`],
    ["noverflow", String(s.noverflow), "overflow buckets (approximate above B=15)"],
    ["hash0", d.showSeed && s.hash0 !== undefined ? `0x${s.hash0.toString(16).padStart(8, "0")}` : "hidden", "the map's hash seed"],
    ["buckets", s.buckets === 0 ? "nil" : plural(s.buckets, "bucket"), "the current bucket array"],
    ["oldbuckets", s.growing ? plural(s.oldBuckets, "bucket") : "nil", "the array being evacuated, while growing"],
    ["nevacuate", String(s.nevacuate), "old buckets below this index are evacuated"],
  ];
  const dl = el("dl", "hmap-fields");
  for (const [name, value, title] of fields) {
    const dt = el("dt", null, name);
    dt.title = title;
    const dd = el("dd", null, value);
    dd.dataset.field = name;
    // A name above its value, one column a field; the columns wrap on a narrow screen.
    dl.append(el("div", null, dt, dd));
  }
  const summary = el(
    "p",
    "hmap-summary",
    `load factor ${s.loadFactor.toFixed(2)} (grows above 6.5) · ${plural(s.overflowBuckets.inUse, "overflow bucket")} in use` +
      ` · ${s.bucketSize} bytes a bucket · heap ${s.bytes.total} bytes (${s.bytes.buckets} in bucket arrays)` +
      (s.growing ? ` · growing: ${s.growth}, ${s.oldBucketsLeft} old buckets left` : ""),
  );
  const sec = el("section", "hmap", el("h2", null, `hmap ${d.name}`), dl, summary);
  sec.setAttribute("aria-label", "hmap header");
  return sec;
}

/**
 * hmap.flags by Go's names. inspect.map reports no raw flags, so this reads the header's
 * flags byte through GoMap.hmapOf, a read of one byte that changes nothing.
 */
function flagNames(m: AnyMap): string {
  const flags = GoMap.hmapOf(m)?.flags ?? 0;
  const names = FLAG_NAMES.filter((_, bit) => (flags & (1 << bit)) !== 0);
  return names.length === 0 ? "0" : names.join("|");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function arrays(d: DrawInput): HTMLElement {
  const s = d.stats;
  const lo = d.page * PAGE;
  const wrap = el("div", "arrays");
  // This step's evacuations: old bucket -> where its entries went; new bucket -> where from.
  const evacuated = new Map<number, EvacuateEvent>();
  const dest = new Map<number, { half: "X" | "Y" | null; from: number }>();
  for (const e of evacuations(d.events)) {
    evacuated.set(e.oldbucket, e);
    dest.set(e.x, { half: e.y === null ? null : "X", from: e.oldbucket });
    if (e.y !== null) dest.set(e.y, { half: "Y", from: e.oldbucket });
  }
  if (s.growing) {
    const hi = Math.min(s.oldBuckets, lo + PAGE);
    const sec = arraySection("oldbuckets", `oldbuckets: ${s.oldBuckets} (evacuating, nevacuate=${s.nevacuate})`, "old");
    for (let i = lo; i < hi; i++) {
      const v = inspect.bucket(d.m, i, { old: true });
      const e = evacuated.get(i);
      let label = `old bucket ${i}`;
      if (e !== undefined) label += `, evacuated by this step into ${e.y === null ? e.x : `X=${e.x} and Y=${e.y}`}`;
      else if (v.evacuated) label += ", evacuated";
      const b = bucket(d, i, v.chain, true, v.evacuated, label);
      if (e !== undefined) {
        b.classList.add("just-evacuated");
        b.append(tag(e.y === null ? `→ ${e.x}` : `→ X=${e.x} Y=${e.y}`));
      }
      sec.append(b);
    }
    if (lo >= s.oldBuckets) sec.append(el("p", "note", `old buckets end at ${s.oldBuckets - 1}`));
    wrap.append(sec);
  }
  const sec = arraySection("buckets", s.buckets === 0 ? "buckets: nil (a map made with no hint allocates its first bucket on the first write)" : `buckets: 2^${s.B} = ${s.buckets}`, s.growing ? "new" : "new solo");
  const hi = Math.min(s.buckets, lo + PAGE);
  for (let i = lo; i < hi; i++) {
    const to = dest.get(i);
    const label = to === undefined ? `bucket ${i}` : `bucket ${i}, ${to.half === null ? "" : `${to.half} `}destination of old bucket ${to.from}`;
    const b = bucket(d, i, inspect.bucket(d.m, i).chain, false, false, label);
    if (to !== undefined) {
      b.classList.add("evac-dest");
      b.append(tag(`${to.half ?? ""} ← old ${to.from}`.trim()));
    }
    sec.append(b);
  }
  wrap.append(sec);
  return wrap;
}

/**
 * The evacuations to mark: those of the step's last growth, when there are few enough to
 * follow (one write moves one or two buckets; a batch of 1000 inserts would mark everything).
 */
function evacuations(events: TraceEvent[]): EvacuateEvent[] {
  const lastGrow = events.map((e) => e.type).lastIndexOf("grow");
  const evacs = events.slice(lastGrow + 1).filter((e): e is EvacuateEvent => e.type === "evacuate");
  return evacs.length <= MAX_MARKED ? evacs : [];
}

function arraySection(label: string, title: string, cls: string): HTMLElement {
  const sec = el("section", `array ${cls}`, el("h3", null, title));
  sec.setAttribute("aria-label", label);
  return sec;
}

/** The words beside a bucket that say what its tint says; the group's name says it already. */
function tag(text: string): HTMLElement {
  const t = el("span", "evac-tag", text);
  t.setAttribute("aria-hidden", "true");
  return t;
}

function bucket(d: DrawInput, index: number, chain: Bmap<unknown, unknown>[], old: boolean, evacuated: boolean, label: string): HTMLElement {
  const div = el("div", "bucket", el("div", "bucket-index", String(index)));
  div.dataset.index = String(index);
  // A group: a name on a plain div is not exposed. The touched slot is said here, since a
  // highlight is not read out.
  const loc = d.loc;
  const touched = loc !== null && loc.old === old && loc.bucket === index ? `; ${loc.chain === 0 ? "" : `overflow bucket ${loc.chain} `}slot ${loc.slot} touched by this step` : "";
  div.setAttribute("role", "group");
  div.setAttribute("aria-label", label + touched);
  if (evacuated) div.classList.add("evacuated");
  const row = el("div", "chain");
  chain.forEach((b, c) => {
    if (c > 0) row.append(el("span", "link", "→"));
    row.append(bmap(d, b, old, index, c));
  });
  div.append(row);
  return div;
}

/** A tophash mark: its symbol for the eye, its name (emptyRest, ...) for a screen reader. */
function mark(th: number): Node[] {
  const symbol = el("span", null, MARK_SHORT[th]);
  symbol.setAttribute("aria-hidden", "true");
  return [symbol, el("span", "sr-only", MARKS[th])];
}

function bmap(d: DrawInput, b: Bmap<unknown, unknown>, old: boolean, index: number, c: number): HTMLElement {
  const table = el("table", c === 0 ? "bmap" : "bmap overflow");
  table.setAttribute("aria-label", c === 0 ? `bmap ${index}` : `overflow bucket ${c} of bucket ${index}`);
  // Row labels on the chain's first bucket only: overflow buckets line up beside it.
  const label = (text: string): Node[] => {
    if (c > 0) return [];
    // scope: a row of empty cells would otherwise get its label taken for a column header.
    const th = el("th", null, text);
    th.scope = "row";
    return [th];
  };
  const top = el("tr", "tophash-row", ...label("tophash"));
  const keys = el("tr", "key-row", ...label("keys"));
  const vals = el("tr", "value-row", ...label("values"));
  const loc = d.loc;
  for (let i = 0; i < 8; i++) {
    const th = b.tophash[i];
    const cell = el("td", th < 5 ? `tophash mark-${th}` : "tophash", ...(th < 5 ? mark(th) : [hex(th).slice(2)]));
    cell.title = th < 5 ? `${th}: ${MARKS[th]}` : `tophash ${hex(th)}: top byte of the key's hash`;
    const k = el("td", "key", b.keys[i] === undefined ? "" : d.formatKey(b.keys[i]));
    const v = el("td", "value", b.values[i] === undefined ? "" : d.formatValue(b.values[i]));
    // Cells are narrow: the whole key and value are in the tooltip.
    k.title = k.textContent ?? "";
    v.title = v.textContent ?? "";
    if (loc !== null && loc.old === old && loc.bucket === index && loc.chain === c && loc.slot === i) {
      for (const x of [cell, k, v]) x.classList.add("touched");
    }
    top.append(cell);
    keys.append(k);
    vals.append(v);
  }
  table.append(top, keys, vals);
  const ovf = table.createCaption();
  ovf.className = "overflow-link";
  ovf.textContent = b.overflow === 0 ? "overflow: nil" : "overflow →";
  return table;
}
