// Tests of bench/small.ts (npm run bench:small): a child's figure for maps of a few entries is
// what it says, the bytes a map: at least a GoMap's 512-byte buffer, and more for a thousand
// entries than for one; `Map`'s is positive and smaller than GoMap's for one entry.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../bench/small.js", import.meta.url));

function child(job: string): number {
  const r = spawnSync(process.execPath, ["--expose-gc", SCRIPT], { encoding: "utf8", timeout: 60_000, env: { ...process.env, GOMAP_BENCH_SMALL: job } });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout);
}

test("bench:small: a child gives the bytes a map, for GoMap and Map", () => {
  const one = child("u32,GoMap,1,2000");
  assert.ok(one >= 512 && one < 4096, `GoMap, 1 entry: ${one}`);
  const thousand = child("string,GoMap,1000,50");
  assert.ok(thousand > 1000 * 176 / 8, `GoMap, 1,000 string entries: ${thousand}`);
  const map = child("u32,Map,1,2000");
  assert.ok(map > 0 && map < one, `Map, 1 entry: ${map}`);
});

test("bench:small: the child needs --expose-gc, and says so", () => {
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 60_000, env: { ...process.env, GOMAP_BENCH_SMALL: "u32,GoMap,1,10" } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /needs --expose-gc/);
});
