// `npm run bench:iterate`: what each way of iterating a map costs, in ns an entry: `forEach`,
// `values()`, `keys()`, `for (const [, v] of m)` and `for (const [k, v] of m)`, for GoMap and
// `Map`, with the benchmark table's u32 and string keys (src/bench/measure.ts), at 1e4, 1e5 and
// 1e6 entries (`--quick`: 1e4 and 1e5). The table's iterate column is the `[, v]` loop.
//
// "bare loop" is the floor under GoMap's iterators: the map's buckets walked by hand, slot by
// slot and down each overflow chain, calling a callback with each u32 key and value; no random
// start, no growth, clear or writer checks, no JS iterator (u32 maps only).
//
// Each map runs in a child process of its own, so that every loop's call sites see one map
// class, as in a program that iterates one kind of map; in it, the loops' rounds alternate, and
// each loop's best round is printed (enough rounds for about 3e6 entries a loop).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GoMap } from "../src/gomap.js";
import { workloadKeys } from "../src/bench/measure.js";
import { Bucket, Hmap, Hmap16, Hmap32, Top, bucketShift } from "../src/runtime/layout.js";
import { hmapOf } from "../src/testing/hooks.js";
import { types as t } from "../src/types/index.js";
import { flags } from "./flags.js";

const CHILD = "GOMAP_BENCH_ITERATE";
const KINDS = ["u32", "string"] as const;
const IMPLS = ["GoMap", "Map"] as const;
const LOOPS = ["forEach((v, k) => ...)", "values()", "keys()", "[, v]", "[k, v]", "bare loop"] as const;
type Kind = (typeof KINDS)[number];
type Impl = (typeof IMPLS)[number];
type Loop = (typeof LOOPS)[number];
type AnyMap = Map<unknown, number> | GoMap<unknown, number, unknown, number>;

let sink = 0;

// One function a loop, each used on one map in its process (see above).
const loops: Partial<Record<Loop, (m: AnyMap) => void>> = {
  "forEach((v, k) => ...)": (m) => {
    let s = 0;
    m.forEach((v, k) => {
      s += v + (k === 0 ? 1 : 0);
    });
    sink ^= s;
  },
  "values()": (m) => {
    let s = 0;
    for (const v of m.values()) s += v;
    sink ^= s;
  },
  "keys()": (m) => {
    let s = 0;
    for (const k of m.keys()) s += k === 0 ? 1 : 0;
    sink ^= s;
  },
  "[, v]": (m) => {
    let s = 0;
    for (const [, v] of m) s += v;
    sink ^= s;
  },
  "[k, v]": (m) => {
    let s = 0;
    for (const [k, v] of m) s += v + (k === 0 ? 1 : 0);
    sink ^= s;
  },
};

/** Every entry of a u32 -> u32 GoMap that is not growing, to f, by hand over its buckets. */
function bareWalk(m: GoMap<number, number, number, number>, f: (k: number, v: number) => void): void {
  const { heap, t: geometry } = hmapOf(m)!;
  // The bucket's geometry (8 tophash bytes, 8 keys, 8 values, the link), from the map's type.
  const KEYS = Bucket.dataOffset;
  const ELEMS = geometry.elemsOffset;
  const OVERFLOW = geometry.overflowOffset;
  const BUCKET = geometry.bucketSize;
  const u8 = heap.u8;
  const u32 = heap.u32;
  if (u32[Hmap32.oldbuckets] !== 0) throw new Error("bench:iterate: the bare loop walks a map that is not growing");
  const array = u32[Hmap32.buckets];
  const nb = bucketShift(u8[Hmap.B]);
  for (let i = 0; i < nb; i++) {
    for (let b = array + i * BUCKET; b !== 0; b = u32[(b + OVERFLOW) >>> 2]) {
      for (let j = 0; j < Bucket.cnt; j++) {
        if (u8[b + j] >= Top.minTopHash) f(u32[(b + KEYS + j * 4) >>> 2], u32[(b + ELEMS + j * 4) >>> 2]);
      }
    }
  }
}

function bare(m: AnyMap): void {
  let s = 0;
  bareWalk(m as GoMap<number, number, number, number>, (k, v) => {
    s += v + (k === 0 ? 1 : 0);
  });
  sink ^= s;
}

/** The map a child times: the table's n keys of `kind`, each with its index as value. */
function build(kind: Kind, impl: Impl, n: number): AnyMap {
  const keys = kind === "u32" ? workloadKeys("u32", n).hits : workloadKeys("string", n).hits;
  if (impl === "Map") {
    const m = new Map<unknown, number>();
    for (let i = 0; i < n; i++) m.set(keys[i], i);
    return m;
  }
  const m = (kind === "u32" ? GoMap.make(t.u32, t.u32) : GoMap.make(t.string, t.u32)) as GoMap<unknown, number, unknown, number>;
  for (let i = 0; i < n; i++) m.set(keys[i], i);
  return m;
}

/** In the child: each loop's best ns an entry over one map. */
function child(kind: Kind, impl: Impl, n: number): Partial<Record<Loop, number>> {
  const m = build(kind, impl, n);
  const run: [Loop, (m: AnyMap) => void][] = Object.entries(loops) as [Loop, (m: AnyMap) => void][];
  if (kind === "u32" && impl === "GoMap") run.push(["bare loop", bare]);
  const best: Partial<Record<Loop, number>> = {};
  const rounds = Math.max(5, Math.round(3e6 / n));
  for (let r = 0; r < rounds; r++) {
    for (const [name, loop] of run) {
      const t0 = process.hrtime.bigint();
      loop(m);
      const ns = Number(process.hrtime.bigint() - t0) / n;
      best[name] = Math.min(best[name] ?? Infinity, ns);
    }
  }
  if (sink === 0.5) best["[, v]"] = -1; // never: keeps the sink observable
  return best;
}

function row(kind: Kind, impl: Impl, n: number): string {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
    encoding: "utf8",
    env: { ...process.env, [CHILD]: `${kind},${impl},${n}` },
  });
  const best = JSON.parse(out) as Partial<Record<Loop, number>>;
  const cells = LOOPS.map((l) => (best[l] === undefined ? "-" : (best[l] as number).toFixed(1)));
  return `| ${n.toExponential()} | ${impl} | ${kind} | ${cells.join(" | ")} |`;
}

/** For the tests: what the bare loop visits of a 20,000-entry map, and the map's overflow buckets. */
function checkBare(): { entries: number; sum: number; overflows: number } {
  const m = build("u32", "GoMap", 20_000) as GoMap<number, number, number, number>;
  const seen = new Set<number>();
  let sum = 0;
  bareWalk(m, (k, v) => {
    if (seen.has(k) || m.get(k) !== v) throw new Error(`bench:iterate: the bare loop gave key ${k} twice or with a wrong value`);
    seen.add(k);
    sum += v;
  });
  return { entries: seen.size, sum, overflows: hmapOf(m)!.heap.u16[Hmap16.noverflow] };
}

const job = process.env[CHILD];
if (job !== undefined) {
  const [kind, impl, n] = job.split(",");
  const out = n === "check" ? checkBare() : child(kind as Kind, impl as Impl, Number(n));
  process.stdout.write(JSON.stringify(out));
} else {
  const sizes = flags("bench:iterate", { quick: "boolean" }).quick === true ? [1e4, 1e5] : [1e4, 1e5, 1e6];
  console.log(`node ${process.version}; ns an entry to iterate a map (best round of each loop, u32 values)`);
  console.log(`| n | impl | keys | ${LOOPS.join(" | ")} |\n|---|---|---|${LOOPS.map(() => "---:").join("|")}|`);
  for (const n of sizes) for (const kind of KINDS) for (const impl of IMPLS) console.log(row(kind, impl, n));
}
