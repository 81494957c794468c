// Tests of src/cli/demo.ts through the built command: GoMap beside Map for each size (their
// rows and the GoMap's shape, after a stated warm-up), the struct example's value semantics,
// the pointer to the playground, and --json's figures (which must agree with a GoMap of the
// same entries).
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { types as t } from "../../src/types/index.js";
import { seeInside } from "../../src/cli/demo.js";
import { gomap } from "./run.js";

test("cli demo: each size has a GoMap row and a Map row, the shape, the struct example and the way to the playground", () => {
  const r = gomap("demo");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "", "no progress bar when stderr is not a terminal");
  // The build times are of warm code, and the output says so.
  assert.match(r.stdout, /^gomap: Go's runtime hash map in TypeScript, over ArrayBuffers\n\(each kind of map built a few times first, untimed, so both run optimised code\)\n/);
  for (const n of ["1,000", "100,000", "1,000,000"]) {
    const block = r.stdout.split(`map[uint32]uint32 with ${n} entries:\n`)[1];
    assert.ok(block !== undefined, n);
    const [head, go, js, shape] = block.split("\n");
    assert.match(head, /build +get all +memory +bytes\/entry/);
    assert.match(go, /^ {2}GoMap +\d+\.\d ms +\d+\.\d ms +\d+\.\d (KiB|MiB) +\d+\.\d$/);
    assert.match(js, /^ {2}Map +\d+\.\d ms +\d+\.\d ms +(\d+\.\d (KiB|MiB)|too small) +(\d+\.\d|-)$/);
    assert.match(shape, /^ {2}GoMap's shape: B=\d+ \([\d,]+ buckets of 80 bytes\), load factor \d\.\d\d, [\d,]+ overflow buckets/);
  }
  assert.match(r.stdout, /map\[string\]struct\{age uint8; score float64\}/);
  assert.match(r.stdout, /alice: age 35, score 1.5/);
  assert.match(r.stdout, /bob: age 41, score 2.25/, "changing a copy left the map's value");
  assert.match(r.stdout, /lookup\("carol"\) -> \[\{"age":0,"score":0\}, false\]/);
  // Run as a user runs it (not by this project's npm start), it does not speak of npm start.
  assert.match(r.stdout, /See inside: `gomap play` serves the playground at\nhttp:\/\/127\.0\.0\.1:8119\//);
  assert.doesNotMatch(r.stdout, /npm start/);
});

test("cli demo: the way to the playground names npm start only when the run is this project's own npm start", () => {
  assert.equal(seeInside({ npm_lifecycle_event: "start", npm_package_name: "gomap" }), "See inside: `gomap play` (which `npm start` runs next) serves the playground at");
  // A user's project whose npm start runs gomap demo, or gomap's other scripts: no.
  for (const env of [{}, { npm_lifecycle_event: "start", npm_package_name: "my-app" }, { npm_lifecycle_event: "test", npm_package_name: "gomap" }]) {
    assert.equal(seeInside(env), "See inside: `gomap play` serves the playground at", JSON.stringify(env));
  }
});

test("cli demo --json: one object; GoMap's figures agree with the same map built here", () => {
  const r = gomap("demo", "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    sizes: { n: number; gomap: { bytes: number; bytesPerEntry: number; buildMs: number }; map: { bytes: number | null }; stats: { B: number; count: number; bytes: { total: number; buckets: number } } }[];
  };
  assert.deepEqual(
    out.sizes.map((s) => s.n),
    [1e3, 1e5, 1e6],
  );
  for (const s of out.sizes.slice(0, 2)) {
    const m = GoMap.make(t.u32, t.u32);
    for (let i = 0; i < s.n; i++) m.set(Math.imul(i, 0x9e3779b1) >>> 0, i);
    const here = m.inspect();
    assert.equal(s.stats.count, s.n);
    assert.equal(s.stats.B, here.B);
    // The buffer's size varies with the random seed (overflow buckets, when it is trimmed);
    // the arrays don't.
    assert.equal(s.stats.bytes.buckets, here.bytes.buckets);
    assert.equal(s.gomap.bytes, s.stats.bytes.total, "memory is the whole heap buffer");
    assert.equal(s.gomap.bytesPerEntry, s.gomap.bytes / s.n);
    assert.ok(s.gomap.buildMs > 0);
    assert.ok(s.map.bytes === null || s.map.bytes > 0);
    // What V8 allocates to run a loop for the first time is not the Map's: counted with it, a
    // Map of 1,000 entries showed 200-370 bytes an entry. A Map takes 30-60.
    if (s.map.bytes !== null) assert.ok(s.map.bytes / s.n < 120, `Map at ${s.n}: ${s.map.bytes / s.n} bytes an entry`);
  }
});
