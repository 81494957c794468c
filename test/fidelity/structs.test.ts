// Random struct types against real Go 1.19 (fidelity/structs.ts): for each type, Go's
// unsafe.Sizeof, Alignof and every Offsetof, the runtime's maptype of map[T]uint8 and
// map[uint8]T (key and elem slot sizes, bucket size, indirect/reflexive/key-update flags), the
// hash Go's map gives a few values under a fixed hashkey and seed (NaN: random on both sides),
// and == between every pair of values, each compared with gomap's; and gomap's own hash gives
// the values that are == one hash.
//
// One Go program holds every type (one build). The types come from a seed, a new one each run
// (printed; GOMAP_STRUCT_SEED=n repeats one); GOMAP_STRUCT_TYPES=n draws n types instead of 40.
// Without Go the test is skipped and says so, unless GOMAP_REQUIRE_GO=1 (as in live.test.ts).
import assert from "node:assert/strict";
import test from "node:test";
import { buildGoProgram, findGo, runGoBinary } from "../../fidelity/go.js";
import { compareStructRecords, gomapRecords, gomapSelfCheck, randomStructCases, writeGoProgram } from "../../fidelity/structs.js";
import type { GoStructRecord } from "../../fidelity/structs.js";

const go = findGo();
const required = process.env.GOMAP_REQUIRE_GO === "1";
const skip = go === null && !required ? "Go 1.19 is not installed (apt-get install golang-1.19-go, or set GOMAP_GO)" : false;
const seed = Number(process.env.GOMAP_STRUCT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const count = Number(process.env.GOMAP_STRUCT_TYPES ?? 40);

test(`fidelity structs: ${count} random struct types against Go 1.19: layout, bucket geometry, go1.19 hash, == (GOMAP_STRUCT_SEED=${seed})`, { skip }, (t) => {
  assert.notEqual(go, null, "GOMAP_REQUIRE_GO=1, but Go 1.19 was not found (golang-1.19-go, or GOMAP_GO)");
  const cases = randomStructCases(seed, count);
  const bin = buildGoProgram(go as string, "structs", writeGoProgram(cases));
  const goRecords = runGoBinary(bin, [])
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as GoStructRecord);
  const diffs = compareStructRecords(cases, goRecords, gomapRecords(cases));
  assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} differences from Go (GOMAP_STRUCT_SEED=${seed})`);
  const own = gomapSelfCheck(cases);
  assert.deepEqual(own.slice(0, 20), [], `${own.length} values == in Go whose gomap hashes differ (GOMAP_STRUCT_SEED=${seed})`);
  t.diagnostic(`${goRecords.length} struct types (nested ones too), ${goRecords.reduce((n, r) => n + r.hashes.length, 0)} hashes: same as Go`);
});
