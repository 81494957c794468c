// `gomap inspect FILE`: loads the map FILE holds or describes (load.ts: a snapshot, or an
// operation script) and prints its shape (inspect.map), and optionally one bucket's chain
// slot by slot (inspect.bucket).
import { inspect } from "../inspect/index.js";
import { fsReason } from "../snapshot/index.js";
import type { BucketView } from "../inspect/bucket.js";
import { EXIT_FAILURE, EXIT_OK, UsageError, intOption } from "./command.js";
import type { Command } from "./command.js";
import { escapeControls, json, shown, statsLines } from "./format.js";
import { loadMap } from "./load.js";
import { Progress } from "./progress.js";
import { ScriptError } from "./script.js";
import type { AnyMap } from "./script.js";

const USAGE = `usage: gomap inspect FILE [--bucket N|all [--old]] [--seed] [--json]

Loads the map FILE holds or describes and prints its shape: count, B, load factor, growth
state, overflow buckets, bytes by use, and histograms of chain lengths and slots used.

FILE is a snapshot (written by a GoMap's save() or toBytes(); its types are read from the
file), or an operation script: one JSON object a line, starting with the map's type,
  {"op": "make", "key": "string", "value": "int", "hint": 100}
  {"op": "set", "key": "alice", "value": 35}
  {"op": "delete", "key": "alice"}
  {"op": "clear"}
(blank lines and lines starting with # are skipped; README "Command line" has the types).

options:
  --bucket N  also print bucket N of the current array: each bmap of its chain, slot by
              slot (tophash, key, value) and its overflow link
  --bucket all  every bucket of the current array, then, during a growth, every old one
  --old       with --bucket: the old array of a growth in progress instead
  --seed      include hash0, the map's hash seed (hidden by default)
  --json      print {"file", "kind", "type", "description", "stats", "buckets"?} as JSON
  -h, --help  show this text
`;

function bucketLines(v: BucketView<unknown, unknown>): string[] {
  const lines = [`${v.old ? "old " : ""}bucket ${v.index}${v.evacuated ? " (evacuated: its entries are in the new array)" : ""}:`];
  v.chain.forEach((b, j) => {
    lines.push(`  ${j === 0 ? "bmap" : `overflow ${j}`} at offset ${b.offset}, overflow link ${b.overflow}`);
    for (let i = 0; i < 8; i++) {
      const top = b.tophash[i];
      const mark = ["emptyRest", "emptyOne", "evacuatedX", "evacuatedY", "evacuatedEmpty"][top];
      lines.push(`    [${i}] tophash ${String(top).padStart(3)} ${mark !== undefined ? mark : `${shown(b.keys[i])}: ${shown(b.values[i])}`}`);
    }
  });
  return lines;
}

/** Bucket n of the current (or old) array, or with "all" every bucket of both arrays (or the old one). */
function readBuckets(m: AnyMap, which: number | "all", old: boolean): BucketView<unknown, unknown>[] {
  if (which !== "all") return [inspect.bucket(m, which, { old })];
  const s = inspect.map(m);
  const out: BucketView<unknown, unknown>[] = [];
  if (!old) for (let i = 0; i < s.buckets; i++) out.push(inspect.bucket(m, i));
  if (old && !s.growing) inspect.bucket(m, 0, { old }); // throws: no old array
  for (let i = 0; i < s.oldBuckets; i++) out.push(inspect.bucket(m, i, { old: true }));
  return out;
}

async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "inspect needs a FILE" : `inspect takes one FILE, got ${positionals.length}`);
  if (values.old === true && values.bucket === undefined) throw new UsageError("--old goes with --bucket N");
  const which = values.bucket === undefined ? null : values.bucket === "all" ? "all" : intOption("bucket", values.bucket as string, 0, 2 ** 31);
  const file = positionals[0];
  const progress = new Progress("inspect");
  let loaded;
  try {
    loaded = await loadMap(file, (done, total) => progress.update(done, total, "lines"));
  } catch (err) {
    // The bar first: the message must start on a line of its own, not after the bar's text.
    progress.done();
    const where = err instanceof ScriptError ? `${file}:` : `${file}: `;
    const msg = fsReason(err, "no such file") ?? (err as Error).message.replace(/^gomap: /, "");
    process.stderr.write(`gomap inspect: ${where}${escapeControls(msg)}\n`);
    return EXIT_FAILURE;
  }
  progress.done();
  const stats = inspect.map(loaded.map, { seed: values.seed === true });
  let buckets: BucketView<unknown, unknown>[] | undefined;
  if (which !== null) {
    try {
      buckets = readBuckets(loaded.map, which, values.old === true);
    } catch (err) {
      process.stderr.write(`gomap inspect: --bucket ${which}: ${(err as Error).message.replace(/^gomap: inspect.bucket: /, "")}\n`);
      return EXIT_FAILURE;
    }
  }
  if (values.json === true) {
    const out = { file, kind: loaded.kind, type: loaded.type, description: loaded.description, stats, ...(buckets === undefined ? {} : { buckets }) };
    process.stdout.write(json(out) + "\n");
    return EXIT_OK;
  }
  const lines = [`${file}: ${escapeControls(loaded.type)} (${loaded.description})`, ...statsLines(stats)];
  for (const b of buckets ?? []) lines.push("", ...bucketLines(b));
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT_OK;
}

export const inspectCommand: Command = {
  name: "inspect",
  summary: "print the shape of a saved map (a snapshot) or of one an operation script builds",
  usage: USAGE,
  options: { bucket: { type: "string" }, old: { type: "boolean" }, seed: { type: "boolean" }, json: { type: "boolean" } },
  operands: "FILE",
  run,
};
