// `npm run bench:trace`: what trace events cost on an insert workload (n u32 -> u32 sets
// into a map made without a hint, so it grows, evacuates and chains all the way).
//
// Three variants, each in a process of its own, alternated over several rounds:
//   off        the runtime alone (src/gomap.js): the tracer hook is null
//   idle       the package entry (src/index.js): the diagnostics_channel bridge is installed
//              and nobody subscribes: what every Node user of gomap runs
//   listening  an inspect.onTrace listener that counts events: the cost of being watched
// Figures are ns per insert, the best of each process's runs, then the median over processes.
// `--quick`: n = 1e5 and fewer rounds (a few seconds); the default n = 1e6 takes about a minute.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { flags } from "./flags.js";

const VARIANTS = ["off", "idle", "listening"] as const;
type Variant = (typeof VARIANTS)[number];

interface Api {
  GoMap: typeof import("../src/gomap.js").GoMap;
  t: typeof import("../src/types/index.js").types;
}

async function load(variant: Variant): Promise<{ api: Api; events: () => number }> {
  if (variant === "off") {
    const { GoMap } = await import("../src/gomap.js");
    const { types } = await import("../src/types/index.js");
    return { api: { GoMap, t: types }, events: () => 0 };
  }
  const lib = await import("../src/index.js");
  let n = 0;
  if (variant === "listening") lib.inspect.onTrace(() => void n++);
  return { api: { GoMap: lib.GoMap, t: lib.types }, events: () => n };
}

/** One process's measurement: the best ns per insert over `runs` fresh maps. */
async function child(variant: Variant, n: number, runs: number): Promise<void> {
  const { api, events } = await load(variant);
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = Math.imul(i, 0x9e3779b1) >>> 0;
  let best = Infinity;
  let size = 0;
  for (let r = 0; r < runs + 1; r++) {
    const t0 = process.hrtime.bigint();
    const m = api.GoMap.make(api.t.u32, api.t.u32);
    for (let i = 0; i < n; i++) m.set(keys[i], i);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    size += m.size;
    if (r > 0 && ns < best) best = ns; // run 0 warms the JIT up
  }
  process.stdout.write(JSON.stringify({ variant, ns: best, events: events() / (runs + 1), size }) + "\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function main(): void {
  const quick = flags("bench:trace", { quick: "boolean" }).quick === true;
  const n = quick ? 1e5 : 1e6;
  const rounds = quick ? 3 : 5;
  const runs = 5;
  const self = fileURLToPath(import.meta.url);
  const ns: Record<Variant, number[]> = { off: [], idle: [], listening: [] };
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    for (const v of VARIANTS) {
      const out = execFileSync(process.execPath, [self, "--child", v, String(n), String(runs)], { encoding: "utf8" });
      const res = JSON.parse(out) as { ns: number; events: number };
      ns[v].push(res.ns);
      if (v === "listening") events = res.events;
    }
  }
  const off = median(ns.off);
  console.log(`node ${process.version}; ${n.toExponential(0)} u32 -> u32 inserts a map (no hint), ${Math.round(events)} trace events a map when listened to`);
  console.log("| variant | ns per insert (median of processes) | vs off |");
  console.log("|---|---:|---:|");
  for (const v of VARIANTS) {
    const m = median(ns[v]);
    console.log(`| ${v} | ${m.toFixed(1)} | ${(((m - off) / off) * 100).toFixed(1)}% |`);
  }
}

if (process.argv[2] === "--child") await child(process.argv[3] as Variant, Number(process.argv[4]), Number(process.argv[5]));
else main();
