// `npm run bench:go`: gomap against Go 1.19's own map, in one run. The benchmark table's
// workloads (src/bench/measure.ts: u32 and string keys; 1e5, 1e6, 1e7 entries; insert, get
// hit, get miss, iterate, delete, bytes per entry) are measured for GoMap and Map, each in a
// child process of its own, and for Go by bench/go/main.go (the same keys, order and rules),
// built with Debian's golang-1.19-go and run as Go programs run (its AES hash on). Prints the
// three side by side, then the ratios gomap/Go and Map/Go (below 1: faster or smaller than Go).
// `--quick` stops at 1e6. `--repeat N` measures the whole table N times, interleaved, and
// keeps each column's best: on a machine whose neighbours' load moves single runs by up to 2x,
// the best of several runs is the figure least disturbed by them. `--huge-pages` runs the
// Node children with glibc's huge-page tunable (src/bench/table.ts); Go's runtime asks for
// huge pages for its heap itself, so this puts GoMap's buffer on the footing of Go's map.
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../fidelity/go.js";
import { FULL_SIZES, QUICK_SIZES, formatRow, header, hugePagesReport, runTable } from "../src/bench/table.js";
import type { Result } from "../src/bench/table.js";
import { WORKLOADS } from "../src/bench/measure.js";
import { flags } from "./flags.js";

const COLUMNS = ["insert", "getHit", "getMiss", "iterate", "del", "bytesPerEntry"] as const;

const opts = flags("bench:go", { quick: "boolean", repeat: "string", "huge-pages": "boolean" });

/**
 * `--repeat N`: how many times the whole table is measured (each column keeps its best). A
 * value that is not a whole number >= 1 exits 2 here, as flags() does for a bad flag, before
 * Go is built or anything measured.
 */
function repeatArg(raw: string | boolean | undefined): number {
  if (raw === undefined) return 1;
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`npm run bench:go: --repeat needs a whole number of runs >= 1, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

const repeat = repeatArg(opts.repeat);

/** The results of one (workload, impl) over repeated runs merged: each column's lowest. */
function bestOf(results: readonly Result[]): Result[] {
  const best = new Map<string, Result>();
  for (const r of results) {
    const key = `${r.workload}|${r.impl}`;
    const b = best.get(key);
    if (b === undefined) best.set(key, { ...r });
    else for (const c of COLUMNS) (b as Record<(typeof COLUMNS)[number], number | null>)[c] = minOf(b[c], r[c]);
  }
  return [...best.values()];
}

/** The smaller figure; null (not measured) only where both are. */
function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

async function main(): Promise<void> {
  const go = findGo();
  if (go === null) throw new Error("Go 1.19 not found: apt-get install golang-1.19-go, or set GOMAP_GO");
  const bin = buildGoProgram(go, "bench", fileURLToPath(new URL("../../bench/go", import.meta.url)));
  const sizes = opts.quick === true ? QUICK_SIZES : FULL_SIZES;
  const hugePages = opts["huge-pages"] === true;
  const all: Result[] = [];
  for (let run = 1; run <= repeat; run++) {
    if (repeat > 1) console.log(`\nrun ${run} of ${repeat}`);
    console.log(header(hugePages));
    for (const n of sizes) {
      for (const w of WORKLOADS) {
        const r = JSON.parse(runGoBinary(bin, [w, String(n)], false)) as Result;
        all.push(r);
        console.log(formatRow(r));
      }
      for (const r of await runTable({ sizes: [n], hugePages, onResult: (x) => console.log(formatRow(x)) })) all.push(r);
    }
  }
  const results = bestOf(all);
  if (repeat > 1) {
    console.log(`\nbest of ${repeat} runs, column by column`);
    console.log(header(hugePages));
    for (const r of results) console.log(formatRow(r));
  }
  if (hugePages) console.log(hugePagesReport(all));
  console.log("\nratios to Go (time and bytes; below 1 beats Go)");
  console.log("| workload | vs Go | insert | get hit | get miss | iterate | delete | bytes/entry |\n|---|---|---:|---:|---:|---:|---:|---:|");
  for (const goRow of results.filter((r) => (r.impl as string) === "Go")) {
    for (const impl of ["GoMap", "Map"] as const) {
      const r = results.find((x) => x.impl === impl && x.workload === goRow.workload);
      if (r === undefined) continue;
      const cells = COLUMNS.map((c) => {
        const [x, go] = [r[c], goRow[c]];
        return x === null || go === null ? "-" : (x / go).toFixed(2);
      });
      console.log(`| ${goRow.workload} | ${impl === "GoMap" ? "gomap/Go" : "Map/Go"} | ${cells.join(" | ")} |`);
    }
  }
}

await main();
