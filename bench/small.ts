// `npm run bench:small`: what a small map costs in memory, GoMap beside `Map` and Go 1.19's own
// map: bytes a map holding 0, 1, 8, 100 and 1,000 entries of the benchmark table's u32 and
// string keys (src/bench/measure.ts) with u32 values, over 10,000 such maps kept alive.
//
// - GoMap and `Map`: each (impl, keys, entries) in a child process of its own, started with
//   --expose-gc; the figure is the growth of the JS heap's used bytes plus the ArrayBuffers'
//   bytes (process.memoryUsage) over the maps' making, after two GCs each side, divided by
//   the maps' count. The key strings are made before the first reading, so neither counts them
//   (`Map` shares them; GoMap keeps keys of up to 12 bytes in the slot).
// - Go: bench/go/main.go's `small` mode, the same maps in a Go program (heap growth after a
//   GC); left out, with a note, where Go 1.19 is missing.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../fidelity/go.js";
import { GoMap } from "../src/gomap.js";
import { stringKeys, u32Keys } from "../src/bench/measure.js";
import { types as t } from "../src/types/index.js";
import { flags } from "./flags.js";

const CHILD = "GOMAP_BENCH_SMALL";
const KINDS = ["u32", "string"] as const;
const ENTRIES = [0, 1, 8, 100, 1000] as const;
/** Maps made a measurement (as bench/go/main.go's smallMaps). */
const MAPS = 10_000;
type Kind = (typeof KINDS)[number];

/** The maps being measured, held here so that nothing can collect them before the reading. */
let held: unknown[] = [];

/** Bytes of the JS heap in use and of ArrayBuffers, after two full GCs. */
function used(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("bench:small: the child needs --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The child: bytes a map of `maps` maps of `entries` entries each. */
function child(kind: Kind, impl: string, entries: number, maps: number): number {
  const keys: ArrayLike<number | string> = kind === "u32" ? u32Keys(0, entries) : stringKeys(0, entries);
  held = new Array(maps).fill(null);
  const before = used();
  for (let m = 0; m < maps; m++) {
    if (impl === "GoMap") {
      const g = GoMap.make(kind === "u32" ? t.u32 : t.string, t.u32) as GoMap<number | string, number, number | string, number>;
      for (let i = 0; i < keys.length; i++) g.set(keys[i], i);
      held[m] = g;
    } else {
      const j = new Map<number | string, number>();
      for (let i = 0; i < keys.length; i++) j.set(keys[i], i);
      held[m] = j;
    }
  }
  return (used() - before) / maps;
}

function jsFigure(kind: Kind, impl: string, entries: number): number {
  const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url)], {
    encoding: "utf8",
    env: { ...process.env, [CHILD]: `${kind},${impl},${entries},${MAPS}` },
  });
  return Number(out);
}

/** Go's figures, keyed `${kind},${entries}`, or null (and why) without Go 1.19. */
function goFigures(): Map<string, number> | string {
  const go = findGo();
  if (go === null) return "Go 1.19 not found (apt-get install -y golang-1.19-go): its column is left out";
  const bin = buildGoProgram(go, "bench", fileURLToPath(new URL("../../bench/go", import.meta.url)));
  const out = new Map<string, number>();
  for (const kind of KINDS) {
    for (const n of ENTRIES) {
      const r = JSON.parse(runGoBinary(bin, ["small", kind, String(n)], false)) as { bytesPerMap: number };
      out.set(`${kind},${n}`, r.bytesPerMap);
    }
  }
  return out;
}

const job = process.env[CHILD];
if (job !== undefined) {
  const [kind, impl, entries, maps] = job.split(",");
  process.stdout.write(String(child(kind as Kind, impl, Number(entries), Number(maps))));
} else {
  flags("bench:small", {});
  const go = goFigures();
  console.log(`node ${process.version}; bytes a map (${MAPS.toLocaleString("en-US")} maps of u32 values kept alive)`);
  if (typeof go === "string") console.log(go);
  const goCol = typeof go === "string" ? "" : " Go |";
  console.log(`| keys | entries | GoMap | Map |${goCol} GoMap/Map |\n|---|---:|---:|---:|${goCol === "" ? "" : "---:|"}---:|`);
  for (const kind of KINDS) {
    for (const n of ENTRIES) {
      const g = jsFigure(kind, "GoMap", n);
      const m = jsFigure(kind, "Map", n);
      const goCell = typeof go === "string" ? "" : ` ${(go.get(`${kind},${n}`) as number).toFixed(0)} |`;
      console.log(`| ${kind} | ${n} | ${g.toFixed(0)} | ${m.toFixed(0)} |${goCell} ${(g / m).toFixed(1)} |`);
    }
  }
}
