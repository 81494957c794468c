// `gomap demo` (what `npm start` runs): u32 -> u32 maps of 1e3, 1e5 and 1e6 entries built
// as a GoMap and as a JS Map side by side (build time, time to get every key in a shuffled
// order as the best of five passes, memory), the GoMap's shape, a string-keyed map of structs
// showing Go's value semantics, and where to go next (the playground; `npm start` is named
// there only when it is the run: see seeInside).
//
// Both kinds of map are built a few times, untimed, before anything is measured (warmUp), as
// the benchmarks warm up: Map's code comes compiled into V8, GoMap's is JS that V8 compiles as
// it runs, so a first, cold build timed GoMap's interpreter and compiler rather than GoMap.
//
// Map's memory is the growth of V8's heap around a build of it, measured with forced GCs
// (mapBytes: apart from the timed build, and for small maps over many copies at once); the
// demo turns --expose-gc on itself so `gomap demo` and `npm start` measure alike.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { shuffled, time } from "../bench/measure.js";
import { GoMap, types as t } from "../index.js";
import type { MapStats } from "../inspect/stats.js";
import { EXIT_OK } from "./command.js";
import type { Command } from "./command.js";
import { bytes, count, json } from "./format.js";
import { DEFAULT_PORT } from "./play.js";
import { Progress } from "./progress.js";

const SIZES = [1e3, 1e5, 1e6];

interface Side {
  buildMs: number;
  getMs: number;
  /** null where V8's heap did not measurably grow (a small Map; GC noise is larger). */
  bytes: number | null;
  bytesPerEntry: number | null;
}

interface SizeResult {
  n: number;
  gomap: Side;
  map: Side;
  stats: MapStats;
}

const USAGE = `usage: gomap demo [--json]

Builds map[uint32]uint32 of ${SIZES.map(count).join(", ")} entries as a GoMap and as a JS Map,
and prints, side by side, the time to build each (after untimed warm-up builds of both) and to
get every key (in a shuffled order, the best of five passes), and the memory each takes (GoMap:
its whole heap buffer; Map: the growth of V8's heap). Then a map of structs, showing Go's
value semantics, and where to look inside a map.

options:
  --json      print the figures as one JSON object instead
  -h, --help  show this text
`;

/** Passes of "get all": the first ones run while V8 is still compiling the loop (with three,
 *  GoMap's 1e6 gets measured 130 ms; with five or more, 100-125, as in the benchmarks). */
const GET_PASSES = 5;

/** The fastest of `passes` runs of fn, in ms. */
function bestOf(passes: number, fn: () => void): number {
  return time(1, passes, fn) / 1e6;
}

/** A forced GC: node's own when run with --expose-gc, else the flag turned on now. */
function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) return g;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/**
 * Builds and reads a GoMap and a Map of WARM_UP_ENTRIES keys WARM_UP_BUILDS times, untimed,
 * so that the timed builds run optimised code. Without it, the first GoMap build of 1,000
 * entries took 11 ms against 0.1 for Map's, and 100,000 entries 114 ms against 24 (1.3-1.5x
 * Map's time once warm, as in the benchmarks).
 */
function warmUp(): void {
  const keys = new Uint32Array(WARM_UP_ENTRIES);
  for (let i = 0; i < keys.length; i++) keys[i] = Math.imul(i, 0x85ebca6b) >>> 0;
  for (let r = 0; r < WARM_UP_BUILDS; r++) {
    const m = GoMap.make(t.u32, t.u32);
    for (let i = 0; i < keys.length; i++) m.set(keys[i], i);
    const jm = buildMap(keys);
    let sum = 0;
    for (let i = 0; i < keys.length; i++) sum += (m.get(keys[i]) ?? 0) - (jm.get(keys[i]) ?? 0);
    if (sum !== 0) throw new Error("demo: the warm-up maps disagree");
  }
}

const WARM_UP_ENTRIES = 50_000;
const WARM_UP_BUILDS = 3;

/** Maps of fewer entries are measured this many entries at a time (several maps at once). */
const MEASURED_ENTRIES = 100_000;

/**
 * The growth of V8's heap for a Map of `keys`, or null when too small to see. What V8
 * allocates to run and optimise the build loop (code and feedback; the optimising compiler
 * finishes on another thread, at any moment) lands in the same heap: 200-500 KiB, beside 37
 * for a Map of 1,000 entries. So a small Map is measured as many copies built at once, the
 * median of three such builds.
 */
function mapBytes(keys: Uint32Array, gc: () => void): number | null {
  const copies = Math.ceil(MEASURED_ENTRIES / Math.max(1, keys.length));
  const runs: number[] = [];
  for (let i = copies > 1 ? 3 : 1; i > 0; i--) runs.push(heapGrowth(keys, copies, gc));
  runs.sort((a, b) => a - b);
  const grew = runs[runs.length >>> 1] / copies;
  return grew > 0 ? grew : null;
}

/** How much V8's heap grows while `copies` Maps of `keys` are built (they are dropped on return). */
function heapGrowth(keys: Uint32Array, copies: number, gc: () => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const maps: Map<number, number>[] = [];
  for (let c = 0; c < copies; c++) maps.push(buildMap(keys));
  gc();
  const grew = process.memoryUsage().heapUsed - before;
  for (const m of maps) if (m.size !== keys.length) throw new Error("demo: a Map lost entries");
  return grew;
}

function buildMap(keys: Uint32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) m.set(keys[i], i);
  return m;
}

function measureSize(n: number, gc: () => void, progress: Progress, base: number, total: number): SizeResult {
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = Math.imul(i, 0x9e3779b1) >>> 0;
  // Gets in a shuffled order, as the benchmarks do: in insertion order a Map's entries are
  // read one after another in memory, which no program that looks keys up at random gets.
  const order = shuffled(keys, (a) => a.slice());
  let t0 = performance.now();
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < n; i++) {
    m.set(keys[i], i);
    if ((i & 0xffff) === 0) progress.update(base + i, total, `GoMap n=${count(n)}`);
  }
  const goBuild = performance.now() - t0;
  const goGet = bestOf(GET_PASSES, () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += m.get(order[i]) ?? 0;
    if (sum !== (n * (n - 1)) / 2) throw new Error("demo: a GoMap lookup returned the wrong value");
  });
  const stats = m.inspect();

  t0 = performance.now();
  const jm = new Map<number, number>();
  for (let i = 0; i < n; i++) jm.set(keys[i], i);
  const jsBuild = performance.now() - t0;
  const jsGet = bestOf(GET_PASSES, () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += jm.get(order[i]) ?? 0;
    if (sum !== (n * (n - 1)) / 2 || jm.size !== n) throw new Error("demo: a Map lookup returned the wrong value");
  });
  const jsBytes = mapBytes(keys, gc);
  progress.update(base + n, total, `Map n=${count(n)}`);
  return {
    n,
    gomap: { buildMs: goBuild, getMs: goGet, bytes: stats.bytes.total, bytesPerEntry: stats.bytes.total / n },
    map: { buildMs: jsBuild, getMs: jsGet, bytes: jsBytes, bytesPerEntry: jsBytes === null ? null : jsBytes / n },
    stats,
  };
}

function sizeLines(r: SizeResult): string[] {
  const s = r.stats;
  const row = (name: string, x: Side): string =>
    `  ${name.padEnd(6)} ${`${x.buildMs.toFixed(1)} ms`.padStart(10)} ${`${x.getMs.toFixed(1)} ms`.padStart(10)} ${(x.bytes === null ? "too small" : bytes(x.bytes)).padStart(10)} ${(x.bytesPerEntry === null ? "-" : x.bytesPerEntry.toFixed(1)).padStart(12)}`;
  return [
    `map[uint32]uint32 with ${count(r.n)} entries:`,
    `  ${"".padEnd(6)} ${"build".padStart(10)} ${"get all".padStart(10)} ${"memory".padStart(10)} ${"bytes/entry".padStart(12)}`,
    row("GoMap", r.gomap),
    row("Map", r.map),
    `  GoMap's shape: B=${s.B} (${count(s.buckets)} buckets of ${s.bucketSize} bytes), load factor ${s.loadFactor.toFixed(2)}, ` +
      `${count(s.overflowBuckets.inUse)} overflow buckets` +
      (s.growth === null ? "" : `, ${s.growth} growth in progress (${count(s.oldBucketsLeft)} old buckets left)`),
  ];
}

/** Go's value semantics on a map of structs; the lines it prints. */
function structLines(): string[] {
  const User = t.struct({ age: t.u8, score: t.f64 });
  const users = GoMap.make(t.string, User);
  users.set("alice", { age: 30, score: 1.5 });
  users.set("bob", { age: 41, score: 2.25 });
  users.update("alice", (u) => {
    u.age = 35;
  });
  const copy = users.get("bob");
  if (copy !== undefined) copy.age = 99; // a copy: the map keeps 41
  const lines = ["map[string]struct{age uint8; score float64}:"];
  for (const [name, u] of users) lines.push(`  ${name}: age ${u.age}, score ${u.score}`);
  lines.push("  (iteration order is random, as in Go; run again to see it change)");
  const [zero, ok] = users.lookup("carol");
  lines.push(`  lookup("carol") -> [${JSON.stringify(zero)}, ${ok}]`);
  return lines;
}

/**
 * The first line of the way to the playground. It says that `npm start` runs the playground
 * next only when this run is gomap's own `npm start` (a clone's: demo, then play); a user who
 * installed the package runs `gomap demo` from a project whose npm start is its own.
 */
export function seeInside(env: Record<string, string | undefined>): string {
  const npmStart = env.npm_lifecycle_event === "start" && env.npm_package_name === "gomap";
  return `See inside: \`gomap play\`${npmStart ? " (which `npm start` runs next)" : ""} serves the playground at`;
}

async function run(values: Record<string, unknown>): Promise<number> {
  const gc = gcFunction();
  const total = SIZES.reduce((a, n) => a + n, 0);
  const progress = new Progress("demo");
  const results: SizeResult[] = [];
  let base = 0;
  try {
    warmUp();
    for (const n of SIZES) {
      results.push(measureSize(n, gc, progress, base, total));
      base += n;
    }
  } finally {
    progress.done();
  }
  if (values.json === true) {
    process.stdout.write(json({ sizes: results }) + "\n");
    return EXIT_OK;
  }
  const out = ["gomap: Go's runtime hash map in TypeScript, over ArrayBuffers", "(each kind of map built a few times first, untimed, so both run optimised code)", ""];
  for (const r of results) out.push(...sizeLines(r), "");
  out.push(...structLines(), "");
  out.push(
    seeInside(process.env),
    `http://127.0.0.1:${DEFAULT_PORT}/, where a map grows from B=0 bucket by bucket as you type Go statements.`,
    "Also: `gomap inspect FILE` (a map's shape after a script of operations), `gomap bench`",
    "(the benchmark table), `gomap help`.",
  );
  process.stdout.write(out.join("\n") + "\n");
  return EXIT_OK;
}

export const demo: Command = {
  name: "demo",
  summary: "GoMap beside a JS Map at 1e3, 1e5 and 1e6 entries: time, memory, shape",
  usage: USAGE,
  options: { json: { type: "boolean" } },
  run,
};
