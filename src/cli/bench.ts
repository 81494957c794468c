// `gomap bench`: the benchmark table (src/bench/, the same code `npm run bench` runs), rows
// printed as they come in, or all of them as JSON.
import { FULL_SIZES, HUGE_PAGES_TUNABLE, QUICK_SIZES, formatRow, header, hugePagesReport, runTable } from "../bench/table.js";
import type { Result } from "../bench/table.js";
import { EXIT_FAILURE, EXIT_OK, UsageError } from "./command.js";
import type { Command } from "./command.js";
import { json } from "./format.js";
import { Progress } from "./progress.js";

const MAX_SIZE = 1e8;

const USAGE = `usage: gomap bench [--quick | --sizes N,N,...] [--huge-pages] [--json]

Runs the benchmark table: u32 -> u32 and string -> u32 maps, GoMap beside a JS Map, at
${FULL_SIZES.map((n) => n.toExponential(0)).join(", ")} entries; each measurement in a process of its own. Columns are
ns per element (insert, get hit, get miss, iterate, delete; best of 3 runs) and bytes per
entry. The full table takes several minutes and a few GiB of memory at 1e7; run it on a
quiet machine.

options:
  --quick          stop at ${QUICK_SIZES[QUICK_SIZES.length - 1].toExponential(0)} entries
  --sizes N,N,...  the sizes to run instead (e.g. 1e4,1e5; each 1 to ${MAX_SIZE.toExponential(0)})
  --huge-pages     run each measurement with glibc's huge-page tunable (${HUGE_PAGES_TUNABLE}),
                   so GoMap's buffer sits on 2 MiB pages as Go's heap does (Linux, glibc 2.35+)
  --json           print every row as one JSON array when done, instead of the table
  -h, --help       show this text
`;

/** The sizes a command line asks for: --sizes, else --quick's, else the full table's; UsageError for bad ones. */
export function sizesOf(values: Record<string, unknown>): readonly number[] {
  if (values.sizes === undefined) return values.quick === true ? QUICK_SIZES : FULL_SIZES;
  if (values.quick === true) throw new UsageError("give --quick or --sizes, not both");
  const raw = values.sizes as string;
  const sizes = raw.split(",").map((s) => Number(s.trim()));
  // An empty or blank piece reads as 0, which is below 1: no test of its own is needed.
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_SIZE)) {
    throw new UsageError(`--sizes must be whole numbers from 1 to ${MAX_SIZE.toExponential(0)}, separated by commas, got "${raw}"`);
  }
  return sizes;
}

async function run(values: Record<string, unknown>): Promise<number> {
  const sizes = sizesOf(values);
  const asJSON = values.json === true;
  const hugePages = values["huge-pages"] === true;
  const progress = new Progress("bench");
  let state = { done: 0, total: 1, label: "" };
  const tick = setInterval(() => progress.update(state.done, state.total, state.label), 250);
  tick.unref();
  const rows: Result[] = [];
  if (!asJSON) process.stdout.write(header(hugePages) + "\n");
  try {
    await runTable({
      sizes,
      hugePages,
      onStart: (done, total, label) => {
        state = { done, total, label };
        progress.update(done, total, label);
      },
      onResult: (r) => {
        rows.push(r);
        if (asJSON) return;
        progress.done();
        process.stdout.write(formatRow(r) + "\n");
      },
    });
  } catch (err) {
    progress.done();
    process.stderr.write(`gomap bench: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    clearInterval(tick);
    progress.done();
  }
  if (asJSON) process.stdout.write(json(rows) + "\n");
  else if (hugePages) process.stdout.write(hugePagesReport(rows) + "\n");
  return EXIT_OK;
}

export const bench: Command = {
  name: "bench",
  summary: "run the benchmark table: GoMap beside a JS Map (minutes; --quick for less)",
  usage: USAGE,
  options: { quick: { type: "boolean" }, sizes: { type: "string" }, "huge-pages": { type: "boolean" }, json: { type: "boolean" } },
  run,
};
