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
  /**
   * Run each child with glibc's malloc asking the kernel for transparent huge pages
   * (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, glibc 2.35 and later): Node allocates
   * ArrayBuffers with malloc, so a GoMap's heap then sits on 2 MiB pages, as Go's runtime
   * puts its own heap. Map's memory is V8's own and is not affected.
   */
  hugePages?: boolean;
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
    const r = await runChild(w, impl, n, opts.hugePages === true);
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}

/** glibc's tunable that makes malloc madvise its mappings for transparent huge pages. */
export const HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1";

/** The environment of a child: this process's, plus the huge-page tunable when asked for. */
export function childEnv(hugePages: boolean): NodeJS.ProcessEnv {
  if (!hugePages) return process.env;
  const tunables = process.env.GLIBC_TUNABLES;
  return { ...process.env, GLIBC_TUNABLES: `${tunables ? `${tunables}:` : ""}${HUGE_PAGES_TUNABLE}` };
}

function runChild(w: Workload, impl: Impl, n: number, hugePages: boolean): Promise<Result> {
  const args = ["--expose-gc", "--max-old-space-size=8192", child, w, impl, String(n)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20, env: childEnv(hugePages) }, (err, stdout, stderr) => {
      if (err) reject(new Error(`benchmark ${workloadName(w, n)} ${impl} failed: ${stderr.trim() || err.message}`));
      else resolve(JSON.parse(stdout) as Result);
    });
  });
}

/**
 * The table's first lines: what was measured, where and when, and the column heads. The
 * children's glibc tunables are named, from --huge-pages or from the environment, since
 * they change how fast GoMap's buffers come (see "Memory from the kernel" in docs/performance.md).
 */
export function header(hugePages = false): string {
  const tunables = childEnv(hugePages).GLIBC_TUNABLES;
  const pages = tunables ? `; node run with GLIBC_TUNABLES=${tunables}` : "";
  return (
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}${pages}; ns per element (best of runs), bytes per entry\n` +
    "| workload | impl | insert | get hit | get miss | iterate | delete | bytes/entry |\n" +
    "|---|---|---:|---:|---:|---:|---:|---:|"
  );
}

/** A figure as the README's tables print it; "-" for one not measured (null). */
function fmt(x: number | null): string {
  if (x === null) return "-";
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/**
 * After a huge-pages run: whether the GoMap children got huge pages, from the largest one
 * (a kernel with THP off, or a glibc before 2.35, ignores the tunable).
 */
export function hugePagesReport(results: readonly Result[]): string {
  const rows = results.filter((r) => r.impl === "GoMap" && r.hugePagesKiB !== undefined && r.hugePagesKiB >= 0);
  if (rows.length === 0) return "huge pages: this system does not say (no /proc/self/smaps_rollup)";
  const r = rows.reduce((a, b) => (b.n > a.n ? b : a));
  const mib = (r.hugePagesKiB as number) / 1024;
  if (mib === 0 && (r.bytesPerEntry ?? 0) * r.n < 4 * 2 ** 20) return `huge pages: none used; ${r.workload} GoMap's heap is too small to need them`;
  if (mib === 0) return `huge pages: none were given (${r.workload} GoMap held 0 MiB on them): THP off, or glibc before 2.35`;
  return `huge pages: ${r.workload} GoMap held ${mib.toFixed(0)} MiB on them after its inserts`;
}

/** One row of the table. */
export function formatRow(r: Result<string>): string {
  return `| ${r.workload} | ${r.impl} | ${fmt(r.insert)} | ${fmt(r.getHit)} | ${fmt(r.getMiss)} | ${fmt(r.iterate)} | ${fmt(r.del)} | ${fmt(r.bytesPerEntry)} |`;
}
