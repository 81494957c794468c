// Tests of bench/flags.ts through the benchmark entry points themselves: each refuses a flag
// it does not take (a misspelt --quik, bench's --sizes, which only `gomap bench` has), a flag
// missing its value and a stray argument with exit code 2, before it builds or measures
// anything. Before, each ignored what it did not know and ran its full benchmark for minutes.
// (No benchmark runs here: a refusal that failed would be cut short by the timeout.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";

const ENTRY_POINTS: [file: string, script: string, flag: string][] = [
  ["run", "bench", "--quick"],
  ["go", "bench:go", "--quick"],
  ["iterate", "bench:iterate", "--quick"],
  ["keys", "bench:keys", "--quick"],
  ["lookup", "bench:lookup", "--quick"],
  ["playground", "bench:playground", "--quick"],
  ["shared", "bench:shared", "--quick"],
  ["small", "bench:small", "no flags"],
  ["snapshot", "bench:snapshot", "--quick"],
  ["trace", "bench:trace", "--quick"],
];

function bench(file: string, ...args: string[]) {
  const path = fileURLToPath(new URL(`../../bench/${file}.js`, import.meta.url));
  return spawnSync(process.execPath, [path, ...args], { encoding: "utf8", timeout: 20_000 });
}

test("bench entry points: an unknown flag, a stray argument or a missing value exits 2 at once, naming it", () => {
  for (const [file, script, known] of ENTRY_POINTS) {
    for (const [args, why] of [
      [["--quik"], "unknown option --quik"],
      [["--sizes", "1e4"], "unknown option --sizes"],
      [["1e5"], 'unexpected argument "1e5"'],
    ] as const) {
      const r = bench(file, ...args);
      assert.equal(r.status, 2, `${file} ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, "", `${file} ${args.join(" ")}`);
      assert.equal(r.stderr.split("\n")[0], `npm run ${script}: ${why}`);
      assert.ok(r.stderr.includes(known), `${file}: the message lists ${known}: ${r.stderr}`);
    }
  }
  const r = bench("go", "--repeat");
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split("\n")[0], "npm run bench:go: --repeat needs a value");
});

test("bench:go: a --repeat that is not a whole number of runs >= 1 exits 2 at once, naming it, before Go is built", () => {
  for (const bad of ["0", "2.5", "x", "3x", ""]) {
    const r = bench("go", "--repeat", bad);
    assert.equal(r.status, 2, `--repeat ${JSON.stringify(bad)}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `npm run bench:go: --repeat needs a whole number of runs >= 1, got ${JSON.stringify(bad)}\n`);
  }
});
