// Tests of src/cli/bench.ts through the built command, in a tiny mode (--sizes 300): one row
// for each workload and implementation, as a table or as JSON, and the usage errors.
import assert from "node:assert/strict";
import test from "node:test";
import { FULL_SIZES, QUICK_SIZES } from "../../src/bench/table.js";
import { sizesOf } from "../../src/cli/bench.js";
import { gomap, gomapAfter } from "./run.js";

const OPS = ["insert", "getHit", "getMiss", "iterate", "del"] as const;

test("cli bench --sizes 300 --json: four rows, every figure a positive time", () => {
  const r = gomap("bench", "--sizes", "300", "--json");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.deepEqual(
    rows.map((x) => `${x.workload} ${x.impl}`),
    ["u32->u32 n=3e+2 GoMap", "u32->u32 n=3e+2 Map", "string->u32 n=3e+2 GoMap", "string->u32 n=3e+2 Map"],
  );
  for (const row of rows) {
    assert.equal(row.n, 300);
    for (const op of OPS) assert.ok(typeof row[op] === "number" && (row[op] as number) > 0 && Number.isFinite(row[op]), `${op} ${row[op]}`);
  }
  assert.ok((rows[0].bytesPerEntry as number) > 8, "a GoMap holds at least its 8 bytes of key and value an entry");
});

test("cli bench --sizes 200: the Markdown table, header first, rows as they come", () => {
  const r = gomap("bench", "--sizes", "200");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /^node v\d+\.\d+\.\d+, \d{4}-\d\d-\d\d; ns per element/);
  assert.equal(lines[1], "| workload | impl | insert | get hit | get miss | iterate | delete | bytes/entry |");
  assert.equal(lines.length, 3 + 4);
  // Five times, then bytes per entry: a GoMap's, and '-' for a Map this small (not measured).
  for (const line of lines.slice(3)) assert.match(line, /^\| (u32|string)->u32 n=2e\+2 \| (GoMap (\| [\d.]+ ){6}|Map (\| [\d.]+ ){5}\| - )\|$/);
});

test("cli bench --sizes 200 --huge-pages: the header names the tunable, and a last line says what the children got", () => {
  const r = gomap("bench", "--sizes", "200", "--huge-pages");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /; node run with GLIBC_TUNABLES=(.*:)?glibc\.malloc\.hugetlb=1;/);
  assert.equal(lines.length, 3 + 4 + 1);
  assert.match(lines[lines.length - 1], /^huge pages: /);
});

test("cli bench: bad sizes and --quick with --sizes are usage errors (2)", () => {
  for (const args of [["--sizes", "0"], ["--sizes", "1e9"], ["--sizes", "10,x"], ["--sizes", ""], ["--quick", "--sizes", "10"]]) {
    const r = gomap("bench", ...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^gomap bench: .*\n\nusage: gomap bench/s);
  }
});

test("cli bench: a benchmark that fails exits 1 with one line naming it, after the header", () => {
  // The children inherit this environment: an option node refuses makes the first one fail.
  const r = gomapAfter(`process.env.NODE_OPTIONS = "--no-such-flag";`, "bench", "--sizes", "10");
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^node v.*\n\| workload \|/);
  assert.match(r.stderr, /^gomap bench: benchmark u32->u32 n=1e\+1 GoMap failed: .*--no-such-flag.*\n$/);
});

test("cli bench: sizesOf: the full table by default, --quick's sizes with --quick, --sizes as given", () => {
  assert.deepEqual(sizesOf({}), FULL_SIZES);
  assert.deepEqual(sizesOf({ quick: true }), QUICK_SIZES);
  assert.notDeepEqual(QUICK_SIZES, FULL_SIZES);
  assert.deepEqual(sizesOf({ sizes: "10, 2e3,100000000" }), [10, 2000, 1e8]);
  for (const sizes of ["", " ", ",", "10,", "0", "1.5", "100000001"]) {
    assert.throws(() => sizesOf({ sizes }), { name: "UsageError", message: `--sizes must be whole numbers from 1 to 1e+8, separated by commas, got "${sizes}"` });
  }
  assert.throws(() => sizesOf({ sizes: "10", quick: true }), { name: "UsageError", message: "give --quick or --sizes, not both" });
});
