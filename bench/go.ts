// `npm run bench:go`: gomap against Go 1.19's own map, in one run. The benchmark table's
// workloads (src/bench/measure.ts: u32 and string keys; 1e5, 1e6, 1e7 entries; insert, get
// hit, get miss, iterate, delete, bytes per entry) are measured for GoMap and Map, each in a
// child process of its own, and for Go by bench/go/main.go (the same keys, order and rules),
// built with Debian's golang-1.19-go and run as Go programs run (its AES hash on). Prints the
// three side by side, then the ratios gomap/Go and Map/Go (below 1: faster or smaller than Go).
// `--quick` stops at 1e6.
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../fidelity/go.js";
import { FULL_SIZES, QUICK_SIZES, formatRow, header, runTable } from "../src/bench/table.js";
import type { Result } from "../src/bench/table.js";
import { WORKLOADS } from "../src/bench/measure.js";

const COLUMNS = ["insert", "getHit", "getMiss", "iterate", "del", "bytesPerEntry"] as const;

async function main(): Promise<void> {
  const go = findGo();
  if (go === null) throw new Error("Go 1.19 not found: apt-get install golang-1.19-go, or set GOMAP_GO");
  const bin = buildGoProgram(go, "bench", fileURLToPath(new URL("../../bench/go", import.meta.url)));
  const sizes = process.argv.includes("--quick") ? QUICK_SIZES : FULL_SIZES;
  console.log(header());
  const results: Result[] = [];
  for (const n of sizes) {
    for (const w of WORKLOADS) {
      const r = JSON.parse(runGoBinary(bin, [w, String(n)], false)) as Result;
      results.push(r);
      console.log(formatRow(r));
    }
    for (const r of await runTable({ sizes: [n], onResult: (x) => console.log(formatRow(x)) })) results.push(r);
  }
  console.log("\nratios to Go (time and bytes; below 1 beats Go)");
  console.log("| workload | vs Go | insert | get hit | get miss | iterate | delete | bytes/entry |\n|---|---|---:|---:|---:|---:|---:|---:|");
  for (const goRow of results.filter((r) => (r.impl as string) === "Go")) {
    for (const impl of ["GoMap", "Map"] as const) {
      const r = results.find((x) => x.impl === impl && x.workload === goRow.workload);
      if (r === undefined) continue;
      const cells = COLUMNS.map((c) => (r[c] / goRow[c]).toFixed(2));
      console.log(`| ${goRow.workload} | ${impl === "GoMap" ? "gomap/Go" : "Map/Go"} | ${cells.join(" | ")} |`);
    }
  }
}

await main();
