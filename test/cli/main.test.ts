// Tests of src/cli/main.ts, run as the `gomap` command is run: node on the built file. Exit
// codes (0 for demo and help, 2 for a usage error), and where the text goes (stdout, or the
// usage on stderr after an unknown command).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";

// This file runs as build/test/cli/main.test.js; the command is build/src/cli/main.js.
const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("cli: demo exits 0 and prints each map's shape and bytes/entry", () => {
  const r = run("demo");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /map\[uint32\]uint32 with 1,000 entries/);
  assert.match(r.stdout, /map\[uint32\]uint32 with 1,000,000 entries/);
  assert.equal((r.stdout.match(/\(\d+\.\d bytes\/entry\); a JS Map/g) ?? []).length, 3, "one line for each of the three sizes");
  assert.match(r.stdout, /map\[string\]struct\{age uint8; score float64\}/);
  assert.match(r.stdout, /alice: age 35, score 1.5/);
  assert.match(r.stdout, /bob: age 41, score 2.25/);
  assert.equal(r.stderr, "");
});

test("cli: help, -h, --help and no command exit 0 and print the usage on stdout", () => {
  for (const args of [["help"], ["-h"], ["--help"], []]) {
    const r = run(...args);
    assert.equal(r.status, 0, `${args}`);
    assert.match(r.stdout, /^usage: gomap <command>\n/);
    assert.match(r.stdout, /\n {2}demo {4}/);
    assert.match(r.stdout, /\n {2}help {4}show this text/);
    assert.equal(r.stderr, "");
  }
});

test("cli: an unknown command exits 2 with the usage on stderr and nothing on stdout", () => {
  const r = run("bogus");
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^gomap: unknown command "bogus"\n\nusage: gomap <command>\n/);
});
