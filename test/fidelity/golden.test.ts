// The committed golden runs (fidelity/golden: real Go 1.19 running each hand-written script of
// fidelity/rules.ts and a few random ones) against gomap's replay, in both hash modes: with
// Go's recorded hashes injected, and with gomap's own "go1.19" hasher. Runs with or without Go
// installed; live.test.ts runs fresh scripts against Go itself.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import test from "node:test";
import { compareRuns } from "../../fidelity/compare.js";
import { GOLDEN_RANDOM } from "../../fidelity/goldenset.js";
import { replay } from "../../fidelity/replay.js";
import type { HashMode } from "../../fidelity/replay.js";
import { RULE_SCRIPTS } from "../../fidelity/rules.js";
import { canonical, parseRecords } from "../../fidelity/script.js";
import type { DumpRecord, RunRecord, Script } from "../../fidelity/script.js";

const GOLDEN = new URL("../../../fidelity/golden/", import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, GOLDEN), "utf8");

const scripts = readdirSync(GOLDEN)
  .filter((f) => f.endsWith(".script.json"))
  .map((f) => JSON.parse(read(f)) as Script);

test("fidelity: the golden set is the current rules and random scripts (regenerate with npm run fidelity:golden)", () => {
  const want = [...RULE_SCRIPTS, ...GOLDEN_RANDOM].map((s) => s.name).sort();
  assert.deepEqual(scripts.map((s) => s.name).sort(), want);
  for (const s of [...RULE_SCRIPTS, ...GOLDEN_RANDOM]) {
    assert.equal(canonical(JSON.parse(read(`${s.name}.script.json`))), canonical(s), `${s.name}: committed script matches the generator`);
  }
});

test("fidelity: the rule scripts reach their rules in Go's own runs: same-size growth, a clear and ranges mid-growth", () => {
  const records = (name: string): RunRecord[] => parseRecords(read(`${name}.go.jsonl`));
  const dumps = (name: string): DumpRecord[] => records(name).filter((r): r is DumpRecord => r.kind === "dump");
  assert.ok(dumps("same-size-growth").some((d) => d.sameSize && d.growing), "a same-size growth");
  // The dump just before the clear shows the doubling under way; the one after, none.
  const clear = dumps("clear-while-growing");
  assert.ok(clear[0].growing && clear[0].oldbuckets !== undefined && !clear[1].growing && clear[1].count === 0);
  /** The state each range started in: the dump just before it. */
  const rangeStarts = (name: string): DumpRecord[] => {
    const out: DumpRecord[] = [];
    let last: DumpRecord | null = null;
    for (const r of records(name)) {
      if (r.kind === "dump") last = r;
      else if (r.kind === "range" && last !== null && last.step === r.step - 1) out.push(last);
    }
    return out;
  };
  for (const name of ["range-mid-growth", "range-string-mid-growth", "range-u64-mid-growth", "range-struct-mid-growth"]) {
    assert.ok(rangeStarts(name).some((d) => d.growing && !d.sameSize), `${name}: a range starts mid-doubling`);
  }
  assert.ok(rangeStarts("range-same-size-growth").some((d) => d.growing && d.sameSize), "a range starts mid same-size growth");
  for (const s of GOLDEN_RANDOM) assert.ok(rangeStarts(s.name).some((d) => d.growing), `${s.name}: a range starts mid-growth`);
});

for (const s of scripts) {
  for (const mode of ["recorded", "go1.19"] as HashMode[]) {
    test(`fidelity: ${s.name} (${s.key}, ${s.ops.length} ops): gomap's state equals Go 1.19's at every dump, hashes ${mode}`, () => {
      const go = parseRecords(read(`${s.name}.go.jsonl`));
      assert.ok(go.some((r) => r.kind === "dump" || r.kind === "range"), "the run has records to compare");
      const diffs = compareRuns(go, replay(s, mode, go));
      assert.deepEqual(diffs, []);
    });
  }
}
