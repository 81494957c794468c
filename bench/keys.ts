// `npm run bench:keys`: how much of `Map`'s lookup time in the benchmark table is its boxed
// keys. The table's u32 keys spread over the whole u32 range, so half are at or above 2^31,
// which V8 (without pointer compression, as in Node 20 on x64) stores as heap numbers and
// looks up on its generic path. Here the same keys with their top bit cleared (all small
// integers) run beside them: ns per lookup of present keys, in a shuffled order, for `Map`
// and GoMap, at 1e5, 1e6 and 1e7 entries (`--quick`: 1e5 and 1e6). Each size runs in this one
// process with the two key sets' rounds alternating, so both see the same machine; the
// median of 7 rounds is printed.
import { GoMap } from "../src/gomap.js";
import { shuffled } from "../src/bench/measure.js";
import { types as t } from "../src/types/index.js";
import { flags } from "./flags.js";

const ROUNDS = 7;
const KEY_SETS = { "whole u32 range (the table's)": 0xffffffff, "below 2^31": 0x7fffffff } as const;

/** The table's keys (src/bench/measure.ts), masked. */
function keys(n: number, mask: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = (Math.imul(i, 0x9e3779b1) & mask) >>> 0;
  return out;
}

let sink = 0;

function getMap(m: Map<number, number>, ks: Uint32Array): void {
  let s = 0;
  for (let i = 0; i < ks.length; i++) s += m.get(ks[i]) ?? 1;
  sink ^= s;
}

function getGoMap(m: GoMap<number, number, number, number>, ks: Uint32Array): void {
  let s = 0;
  for (let i = 0; i < ks.length; i++) s += m.get(ks[i]) ?? 1;
  sink ^= s;
}

function ns(n: number, fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1];

function run(n: number): string[] {
  const sets = Object.entries(KEY_SETS).map(([name, mask]) => {
    const ks = keys(n, mask);
    const jm = new Map<number, number>();
    const gm = GoMap.make(t.u32, t.u32);
    for (let i = 0; i < n; i++) {
      jm.set(ks[i], i);
      gm.set(ks[i], i);
    }
    return { name, jm, gm, order: shuffled(ks, (a) => a.slice()), map: [] as number[], goMap: [] as number[] };
  });
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of sets) {
      s.map.push(ns(n, () => getMap(s.jm, s.order)));
      s.goMap.push(ns(n, () => getGoMap(s.gm, s.order)));
    }
  }
  return sets.map((s) => `| ${n.toExponential(0)} | ${s.name} | ${median(s.map).toFixed(1)} | ${median(s.goMap).toFixed(1)} |`);
}

const sizes = flags("bench:keys", { quick: "boolean" }).quick === true ? [1e5, 1e6] : [1e5, 1e6, 1e7];
console.log(`node ${process.version}; ns per lookup of a present u32 key (median of ${ROUNDS} rounds)`);
console.log("| n | keys | Map | GoMap |\n|---|---|---:|---:|");
for (const n of sizes) for (const line of run(n)) console.log(line);
if (sink === 0.5) console.log("");
