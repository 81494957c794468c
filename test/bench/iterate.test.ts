// Tests of bench/iterate.ts: a child's measurement of one tiny map gives a positive figure for
// every loop it runs (the bare loop for u32 GoMaps only), and the bare loop, the floor the
// README quotes, really visits every entry once.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../bench/iterate.js", import.meta.url));

function child(job: string): Record<string, number> {
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 60_000, env: { ...process.env, GOMAP_BENCH_ITERATE: job } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, number>;
}

test("bench:iterate: each map's child times every loop it runs", () => {
  const loops = ["forEach((v, k) => ...)", "values()", "keys()", "[, v]", "[k, v]"];
  for (const [job, extra] of [["u32,GoMap,3000", ["bare loop"]], ["string,GoMap,3000", []], ["u32,Map,3000", []], ["string,Map,3000", []]] as const) {
    const got = child(job);
    assert.deepEqual(Object.keys(got).sort(), [...loops, ...extra].sort(), job);
    for (const [loop, ns] of Object.entries(got)) assert.ok(ns > 0 && Number.isFinite(ns), `${job} ${loop}: ${ns}`);
  }
});

test("bench:iterate: the bare loop visits every entry of a u32 map once, overflow buckets included", () => {
  const { entries, sum, overflows } = child("u32,GoMap,check");
  assert.deepEqual({ entries, sum }, { entries: 20_000, sum: (20_000 * 19_999) / 2 });
  assert.ok(overflows > 0, "the map has overflow buckets for the walk to follow");
});
