// The benchmark table: GoMap beside Map for each workload and size, one child process a
// measurement (child.ts), rows formatted as a Markdown table. `npm run bench` (bench/run.ts)
// and `gomap bench` (cli/bench.ts) both run it from here.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { IMPLS, WORKLOADS, workloadName } from "./measure.js";
import type { Impl, Result, Workload } from "./measure.js";

export type { Result } from "./measure.js";

/** Sizes of the default table, and of `--quick`. */
export const FULL_SIZES: readonly number[] = [1e5, 1e6, 1e7];
export const QUICK_SIZES: readonly number[] = [1e5, 1e6];

export interface TableOptions {
  sizes: readonly number[];
  /** Called as each measurement starts: its index, the total, and its label. */
  onStart?: (index: number, total: number, label: string) => void;
  /** Called with each result as it comes in. */
  onResult?: (result: Result) => void;
}

const child = fileURLToPath(new URL("./child.js", import.meta.url));

/** Runs the table's measurements one after another; resolves with every result. */
export async function runTable(opts: TableOptions): Promise<Result[]> {
  const plan: [Workload, Impl, number][] = [];
  for (const n of opts.sizes) for (const w of WORKLOADS) for (const impl of IMPLS) plan.push([w, impl, n]);
  const results: Result[] = [];
  for (let i = 0; i < plan.length; i++) {
    const [w, impl, n] = plan[i];
    opts.onStart?.(i, plan.length, `${workloadName(w, n)} ${impl}`);
    const r = await runChild(w, impl, n);
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}

function runChild(w: Workload, impl: Impl, n: number): Promise<Result> {
  const args = ["--expose-gc", "--max-old-space-size=8192", child, w, impl, String(n)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`benchmark ${workloadName(w, n)} ${impl} failed: ${stderr.trim() || err.message}`));
      else resolve(JSON.parse(stdout) as Result);
    });
  });
}

/** The table's first lines: what was measured, where and when, and the column heads. */
export function header(): string {
  return (
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ns per element (best of runs), bytes per entry\n` +
    "| workload | impl | insert | get hit | get miss | iterate | delete | bytes/entry |\n" +
    "|---|---|---:|---:|---:|---:|---:|---:|"
  );
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** One row of the table. */
export function formatRow(r: Result): string {
  return `| ${r.workload} | ${r.impl} | ${fmt(r.insert)} | ${fmt(r.getHit)} | ${fmt(r.getMiss)} | ${fmt(r.iterate)} | ${fmt(r.del)} | ${fmt(r.bytesPerEntry)} |`;
}
