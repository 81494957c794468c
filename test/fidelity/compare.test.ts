// Tests of fidelity/compare.ts: the comparison finds each kind of difference it claims to
// (so "no differences" in the golden and live tests means something), and skips only the two
// intended ones.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { compareRuns } from "../../fidelity/compare.js";
import { parseRecords } from "../../fidelity/script.js";
import type { DumpRecord, RunRecord } from "../../fidelity/script.js";

const golden = (name: string): RunRecord[] =>
  parseRecords(readFileSync(new URL(`../../../fidelity/golden/${name}.go.jsonl`, import.meta.url), "utf8"));

/** A deep copy of a run with fn applied to its first dump that satisfies pick. */
function altered(run: RunRecord[], pick: (d: DumpRecord) => boolean, fn: (d: DumpRecord) => void): RunRecord[] {
  const copy = JSON.parse(JSON.stringify(run)) as RunRecord[];
  const d = copy.find((r): r is DumpRecord => r.kind === "dump" && pick(r));
  assert.ok(d !== undefined, "the run has such a dump");
  fn(d);
  return copy;
}

const run = golden("delete-while-growing");
const growing = (d: DumpRecord): boolean => d.growing && (d.oldbuckets ?? []).some((c) => c[0].top[0] >= 5);

test("compare: identical runs have no differences", () => {
  assert.deepEqual(compareRuns(run, JSON.parse(JSON.stringify(run)) as RunRecord[]), []);
});

test("compare: finds a different header field, tophash, key, value, chain length and missing record", () => {
  const cases: [string, RunRecord[], RegExp][] = [
    ["count", altered(run, () => true, (d) => d.count++), /count is/],
    ["nevacuate", altered(run, growing, (d) => d.nevacuate++), /nevacuate is/],
    ["tophash", altered(run, () => true, (d) => (d.buckets![0][0].top[0] ^= 1)), /tophash/],
    [
      "key",
      altered(run, (d) => d.buckets![1][0].keys !== undefined, (d) => {
        const i = d.buckets![1][0].top.findIndex((x) => x >= 5);
        d.buckets![1][0].keys![i] = 999_999;
      }),
      /999999/,
    ],
    ["chain", altered(run, () => true, (d) => d.buckets![0].push({ top: [0, 0, 0, 0, 0, 0, 0, 0] })), /chain of/],
    ["old bucket", altered(run, growing, (d) => (d.oldbuckets![d.oldbuckets!.findIndex((c) => c[0].top[0] >= 5)][0].top[0] = 0)), /old bucket/],
    ["records", run.slice(0, -2), /records/],
  ];
  for (const [what, other, want] of cases) {
    const diffs = compareRuns(run, other);
    assert.ok(diffs.some((d) => want.test(d)), `${what}: ${diffs.join("; ")}`);
  }
});

test("compare: the overflow chain of an evacuated old bucket is not compared (gomap frees it at once)", () => {
  const other = altered(run, (d) => (d.oldbuckets ?? []).some((c) => c[0].top[0] > 1 && c[0].top[0] < 5), (d) => {
    const i = d.oldbuckets!.findIndex((c) => c[0].top[0] > 1 && c[0].top[0] < 5);
    d.oldbuckets![i].push({ top: [2, 2, 2, 2, 2, 2, 2, 2] });
  });
  assert.deepEqual(compareRuns(run, other), []);
});

test("compare: noverflow is compared below B = 16 only", () => {
  assert.ok(compareRuns(run, altered(run, () => true, (d) => d.noverflow++)).some((d) => /noverflow/.test(d)));
  const big = altered(run, () => true, (d) => (d.B = 16));
  const bigOther = altered(big, (d) => d.B === 16, (d) => d.noverflow++);
  assert.ok(!compareRuns(big, bigOther).some((d) => /noverflow/.test(d)));
});
