// Tests of examples/: each program runs as a user runs it (`node build/examples/NAME.js SIZE`,
// a child process of its own, importing "gomap" by the package's name) at a small size, and
// its output is checked for results known beforehand: word counts of a fixed text, the number
// of distinct ids in a fixed stream, BFS distances on a grid, the entries of a shared cache,
// a snapshot that loads back as the map saved, and the steps of a map's growth, which Go's
// rules fix whatever the hash. No timing is checked: an example that prints a time is read
// for its other figures.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { GoMap, types as t } from "../../src/index.js";

const examples = new URL("../../examples/", import.meta.url);

/** The example's stdout, run from another directory (as a user might); it must exit 0. */
function run(name: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [new URL(`${name}.js`, examples).pathname, ...args], {
    cwd: tmpdir(),
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `${name} ${args.join(" ")} failed:\n${r.stderr}`);
  assert.equal(r.stderr, "", `${name} wrote to stderr`);
  return r.stdout;
}

/** The numbers a line matching re captures (each group parsed as a number). */
function numbers(out: string, re: RegExp): number[] {
  const m = re.exec(out);
  assert.ok(m !== null, `no line matches ${re} in:\n${out}`);
  return m.slice(1).map(Number);
}

/** xorshift32, the generator the examples draw their streams from. */
function* xorshift(seed: number, count: number): Generator<number> {
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    yield x;
  }
}

test("examples/id-index: the entry read is the one set, update changes it in place, a missing id is the zero value and !ok, and memory is reported", () => {
  const out = run("id-index", "1000");
  // id 3500 is entry 500: age 500 % 100, score 500 / 2.
  assert.match(out, /users\.get\(3500\) = \{ age: 0, visits: 0, score: 250 \}/);
  assert.match(out, /users\.lookup\(1\) = \[\{"age":0,"visits":0,"score":0\}, false\]/);
  assert.match(out, /after 3 visits: users\.get\(3500\) = \{ age: 0, visits: 3, score: 253 \}/);
  const [count, , bytes] = numbers(out, /GoMap: (\d+) entries, B=(\d+), .*?, (\d+) bytes/);
  assert.equal(count, 1000);
  assert.ok(bytes >= 1000 * (4 + 16), `${bytes} bytes cannot hold 1000 entries of 20 bytes`);
  assert.equal(numbers(out, /Map: +(\d+) entries, about (\d+) bytes/)[0], 1000);
});

test("examples/dedup: the set's size is the number of distinct ids in the stream (counted here independently), and struct{} values take no bytes", () => {
  const n = 3000;
  const distinct = new Set<string>();
  for (const x of xorshift(2463534242, n)) distinct.add(createHash("md5").update(`event-${x % (n / 2)}`).digest("hex"));
  const out = run("dedup", String(n));
  const [events, size, fresh, jsSet] = numbers(out, /events: (\d+), distinct: (\d+) \(first sightings counted: (\d+); a JS Set agrees: (\d+)\)/);
  assert.deepEqual([events, size, fresh, jsSet], [n, distinct.size, distinct.size, distinct.size]);
  assert.ok(distinct.size < n, "the stream has repeats");
  assert.match(out, /struct\{\} values take 0 bytes: a bucket is 144 bytes/);
});

test("examples/word-count: the top words of the Gettysburg Address, counted over ten readings, sorted by count then word", () => {
  const out = run("word-count", "2710", "6");
  assert.match(out, /^2710 words, 138 distinct; top 6:$/m);
  const top = [...out.matchAll(/^ +(\d+) {2}(\S+)$/gm)].map((m) => `${m[2]} ${m[1]}`);
  assert.deepEqual(top, ["that 130", "the 110", "we 100", "here 80", "to 80", "a 70"]);
});

test("examples/graph: BFS on a 10x10 grid reaches every node, at distance r+c, with the counts a grid has at each distance", () => {
  const out = run("graph", "100");
  assert.match(out, /grid 10x10: 100 nodes, 360 arcs \(360 in the edge set\)/); // 2 * 2 * 10 * 9 arcs
  assert.match(out, /reached 100 nodes, farthest at distance 18/);
  assert.match(out, /nodes at each distance: 1 2 3 4 5 6 7 8 9 10 9 8 \.\.\./);
  assert.match(out, /distance of \(r,c\) is r\+c for 100 of 100 nodes/);
  const small = run("graph", "25");
  assert.match(small, /nodes at each distance: 1 2 3 4 5 4 3 2 1\n/);
});

test("examples/shared-cache: workers fill one SyncMap; it holds each key asked for once, with the right value, and every request is a hit or a miss", () => {
  const [requests, workers] = [2000, 2];
  const keys = requests / 8;
  const asked = new Set<number>();
  for (let w = 0; w < workers; w++) {
    for (const x of xorshift(0x9e3779b9 ^ (w + 1) * 0x85ebca6b, requests / workers)) asked.add(1 + (x % keys));
  }
  const out = run("shared-cache", String(requests), String(workers));
  assert.equal([...out.matchAll(/^worker \d+: \d+ hits, \d+ misses/gm)].length, workers);
  const [total, hits, misses] = numbers(out, /requests: (\d+), hits: (\d+), misses: (\d+)/);
  assert.equal(total, requests);
  assert.equal(hits + misses, requests);
  assert.ok(misses >= asked.size, "each key is missed at least once");
  const [entries, distinct, wrong] = numbers(out, /cache: (\d+) entries \(distinct keys asked for: (\d+)\), (\d+) wrong values/);
  assert.deepEqual([entries, distinct, wrong], [asked.size, asked.size, 0]);
  assert.match(out, /cache\.load\(27\) = 111 /);
});

test("examples/snapshot-index: the first start-up builds and saves, the next ones load the same map; a file of other types is refused by its code and built again", () => {
  const out = run("snapshot-index", "2000");
  const probes = [...out.matchAll(/^start-up (\d): (built and saved|loaded) 2000 entries in [\d.]+ ms; (sku-\w+) -> (.*)$/gm)];
  assert.deepEqual(probes.map((m) => m[2]), ["built and saved", "loaded"]);
  assert.equal(probes[0][3], "sku-ii"); // entry 666, in base 36
  assert.equal(probes[0][4], "{ cents: 766, stock: 166 }");
  assert.equal(probes[1][4], probes[0][4]);
  assert.match(out, /load with verify "checksum": 2000 entries/);
  assert.match(out, /every entry of a fresh build is in the loaded map with its value: true/);

  const dir = mkdtempSync(join(tmpdir(), "gomap-examples-"));
  try {
    const file = join(dir, "index.gomap");
    const other = GoMap.make(t.string, t.u32);
    other.set("sku-0", 1);
    other.save(file);
    const first = run("snapshot-index", "500", file);
    assert.match(first, /: type-mismatch: .*; building it again/);
    assert.match(first, /^start-up 1: built and saved 500 entries/m);
    // The file given is kept: a second run starts by loading it.
    assert.match(run("snapshot-index", "500", file), /^start-up 1: loaded 500 entries/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/learn: growths start where Go's load factor says (the 9th, 14th, 27th and 53rd key), and each evacuates every old bucket once, moving every entry", () => {
  const out = run("learn", "60");
  const grows = [...out.matchAll(/^set (\d+): .*\n {4}hashGrow: doubling, B (\d) -> (\d), (\d+) entries/gm)];
  assert.deepEqual(grows.map((m) => m.slice(1).map(Number)), [[9, 0, 1, 8], [14, 1, 2, 13], [27, 2, 3, 26], [53, 3, 4, 52]]);
  // Between one growth and the next, the old buckets evacuated and the entries they moved.
  const lines = out.split("\n");
  for (const [, , oldB, , count] of grows.map((m) => m.map(Number))) {
    const start = lines.findIndex((l) => l.includes(`hashGrow: doubling, B ${oldB} ->`));
    const end = lines.findIndex((l, i) => i > start && l.includes("hashGrow"));
    const evacuated = lines.slice(start, end < 0 ? undefined : end).map((l) => /evacuate old bucket (\d+): (\d+) to X .*?(?:, (\d+) to Y)/.exec(l)).filter((m) => m !== null);
    assert.deepEqual(evacuated.map((m) => Number(m[1])).sort((a, b) => a - b), [...Array(2 ** oldB).keys()], `B ${oldB}`);
    assert.equal(evacuated.reduce((s, m) => s + Number(m[2]) + Number(m[3]), 0), count, `B ${oldB}`);
  }
  assert.match(out, /old bucket \d \(evacuated: true\): (evacuated[XY] ?){8}\n/);
  assert.match(out, /^end: 60 entries, B 4, .* growth none$/m);
});
