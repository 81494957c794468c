// The fidelity harness's big run (npm run test:big, which CI runs): a random script of
// 200,000 live u32 entries (B = 15, the largest B at which Go counts overflow buckets exactly)
// run on real Go 1.19 and replayed by gomap in both hash modes, compared at each dump. Skipped
// unless GOMAP_BIG=1, and when Go 1.19 is missing (it says so). FIDELITY_SEED=n repeats a run.
import assert from "node:assert/strict";
import test from "node:test";
import { compareRuns } from "../../fidelity/compare.js";
import { MAX_LIVE, randomScript } from "../../fidelity/gen.js";
import { buildGoProgram, findGo, runOnGo } from "../../fidelity/go.js";
import { replay } from "../../fidelity/replay.js";
import type { HashMode } from "../../fidelity/replay.js";

const go = findGo();
const skip = process.env.GOMAP_BIG !== "1" ? "set GOMAP_BIG=1 (npm run test:big)" : go === null ? "Go 1.19 is not installed" : false;
const seed = Number(process.env.FIDELITY_SEED ?? Math.floor(Math.random() * 2 ** 31));

test(`fidelity big: ${MAX_LIVE} live u32 entries against Go 1.19 (FIDELITY_SEED=${seed})`, { skip }, (t) => {
  const script = randomScript(seed, { key: "u32", size: MAX_LIVE, dumpEvery: 1e9 });
  const goRun = runOnGo(buildGoProgram(go as string), script);
  const dumps = goRun.filter((r) => r.kind === "dump");
  assert.ok(dumps.some((d) => d.kind === "dump" && d.B === 15), "the run reaches B = 15");
  for (const mode of ["recorded", "go1.19"] as HashMode[]) {
    assert.deepEqual(compareRuns(goRun, replay(script, mode, goRun)), [], `${script.name}, hashes ${mode}`);
  }
  t.diagnostic(`${script.name}: ${script.ops.length} ops, ${dumps.length} dumps: same as Go`);
});
