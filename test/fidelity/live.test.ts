// gomap against a live Go 1.19 (Debian's golang-1.19-go; CI installs it): fresh random
// scripts, from a new seed on every run, run by the Go program and replayed by gomap in both
// hash modes, compared at every dump; and the committed golden runs re-made by Go, which must
// come out byte for byte as committed (Go's side is deterministic).
//
// The seed is printed; FIDELITY_SEED=n reruns a failure. Without Go the tests are skipped
// and say so (golden.test.ts still compares against the committed runs), unless
// GOMAP_REQUIRE_GO=1 (set by .ci/run, which installs Go): then a missing Go is a failure.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { compareRuns } from "../../fidelity/compare.js";
import { randomScript } from "../../fidelity/gen.js";
import { buildGoProgram, findGo, runOnGo } from "../../fidelity/go.js";
import { GOLDEN_RANDOM } from "../../fidelity/goldenset.js";
import { replay } from "../../fidelity/replay.js";
import type { HashMode } from "../../fidelity/replay.js";
import { RULE_SCRIPTS } from "../../fidelity/rules.js";
import type { KeyKind, Script } from "../../fidelity/script.js";

const go = findGo();
const required = process.env.GOMAP_REQUIRE_GO === "1";
const skip = go === null && !required ? "Go 1.19 is not installed (apt-get install golang-1.19-go, or set GOMAP_GO)" : false;

test("fidelity live: Go 1.19 is there when GOMAP_REQUIRE_GO=1 asks for it", { skip: required ? false : "GOMAP_REQUIRE_GO is not set" }, () => {
  assert.notEqual(go, null, "GOMAP_REQUIRE_GO=1, but Go 1.19 was not found (golang-1.19-go, or GOMAP_GO)");
});
const seed = Number(process.env.FIDELITY_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** The live scripts: every key type small and medium, and a big one (the big suite runs 200,000: test/big/fidelity.ts). */
const PLAN: { key: KeyKind; size: number; dumpEvery: number }[] = [
  ...(["u32", "u64", "string", "struct"] as KeyKind[]).flatMap((key) => [
    { key, size: 400, dumpEvery: 60 },
    { key, size: 6000, dumpEvery: 3000 },
  ]),
  { key: "string", size: 40_000, dumpEvery: 100_000 },
];

test(`fidelity live: fresh random scripts against Go 1.19 (FIDELITY_SEED=${seed})`, { skip }, (t) => {
  const bin = buildGoProgram(go as string);
  PLAN.forEach((p, i) => {
    const script = randomScript(seed + i, p);
    const goRun = runOnGo(bin, script);
    for (const mode of ["recorded", "go1.19"] as HashMode[]) {
      const diffs = compareRuns(goRun, replay(script, mode, goRun));
      assert.deepEqual(diffs, [], `${script.name} (${script.ops.length} ops), hashes ${mode}`);
    }
    t.diagnostic(`${script.name}: ${script.ops.length} ops, ${goRun.filter((r) => r.kind === "dump").length} dumps: same as Go`);
  });
});

/** Whether Go's run of s draws random numbers: an iteration's start, also in the loop a struct key's clear is. */
const random = (s: Script): boolean => s.ops.some((op) => op[0] === "range" || (op[0] === "clear" && s.key === "struct"));

test("fidelity live: Go re-makes every committed golden run exactly (those without iterations), and gomap matches the rest", { skip }, () => {
  const bin = buildGoProgram(go as string);
  for (const s of [...RULE_SCRIPTS, ...GOLDEN_RANDOM]) {
    const fresh = runOnGo(bin, s);
    if (random(s)) {
      assert.deepEqual(compareRuns(fresh, replay(s, "recorded", fresh)), [], s.name);
      continue;
    }
    const committed = readFileSync(new URL(`../../../fidelity/golden/${s.name}.go.jsonl`, import.meta.url), "utf8");
    assert.equal(fresh.map((r) => JSON.stringify(r)).join("\n") + "\n", committed, `${s.name}: regenerate with npm run fidelity:golden`);
  }
});
