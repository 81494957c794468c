// Tests of src/bench/measure.ts and src/bench/table.ts in this process: one measurement of
// each workload at a tiny size gives a complete, positive result, and a row formats as the
// README's table does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { measure, workloadName } from "../../src/bench/measure.js";
import { HUGE_PAGES_TUNABLE, childEnv, formatRow, header, hugePagesReport } from "../../src/bench/table.js";
import type { Result } from "../../src/bench/table.js";

test("bench measure: each workload and implementation at n=500 gives every figure", () => {
  for (const w of ["u32", "string"] as const) {
    for (const impl of ["GoMap", "Map"] as const) {
      const r = measure(w, impl, 500);
      assert.equal(r.workload, workloadName(w, 500));
      assert.equal(r.impl, impl);
      assert.equal(r.n, 500);
      for (const x of [r.insert, r.getHit, r.getMiss, r.iterate, r.del]) assert.ok(x > 0 && Number.isFinite(x));
      // A Map's memory is not reported this small (V8's own allocations drown it); a GoMap's is.
      if (impl === "GoMap") assert.ok((r.bytesPerEntry as number) > 8);
      else assert.equal(r.bytesPerEntry, null);
      // Linux says how much memory sits on huge pages (0 or more); elsewhere it is -1.
      assert.ok(Number.isInteger(r.hugePagesKiB) && (r.hugePagesKiB as number) >= (process.platform === "linux" ? 0 : -1));
    }
  }
});

test("bench table: a row's figures have three significant places, as in README", () => {
  assert.equal(workloadName("u32", 1e6), "u32->u32 n=1e+6");
  assert.equal(
    formatRow({ workload: "u32->u32 n=1e+6", impl: "GoMap", n: 1e6, insert: 809.4, getHit: 32.84, getMiss: 7, iterate: 114, del: 359, bytesPerEntry: 23.66 }),
    "| u32->u32 n=1e+6 | GoMap | 809 | 32.8 | 7.0 | 114 | 359 | 23.7 |",
  );
  assert.match(formatRow({ workload: "u32->u32 n=1e+3", impl: "Map", n: 1e3, insert: 9, getHit: 9, getMiss: 9, iterate: 9, del: 9, bytesPerEntry: null }), /\| 9\.0 \| - \|$/);
  assert.match(header(), /\n\| workload \| impl \| insert \| get hit \| get miss \| iterate \| delete \| bytes\/entry \|\n\|---\|/);
});

test("bench table: --huge-pages adds glibc's tunable to the children's environment, keeping any already set", () => {
  assert.equal(childEnv(false), process.env);
  const saved = process.env.GLIBC_TUNABLES;
  try {
    delete process.env.GLIBC_TUNABLES;
    assert.equal(childEnv(true).GLIBC_TUNABLES, HUGE_PAGES_TUNABLE);
    process.env.GLIBC_TUNABLES = "glibc.malloc.arena_max=2";
    assert.equal(childEnv(true).GLIBC_TUNABLES, `glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
    assert.equal(process.env.GLIBC_TUNABLES, "glibc.malloc.arena_max=2", "this process's own environment is untouched");
    assert.match(header(false).split("\n")[0], /; node run with GLIBC_TUNABLES=glibc\.malloc\.arena_max=2;/, "tunables from the environment are named");
    assert.match(header(true).split("\n")[0], /; node run with GLIBC_TUNABLES=glibc\.malloc\.arena_max=2:glibc\.malloc\.hugetlb=1;/);
    delete process.env.GLIBC_TUNABLES;
    assert.doesNotMatch(header(false), /GLIBC_TUNABLES/, "none set, none named");
  } finally {
    if (saved === undefined) delete process.env.GLIBC_TUNABLES;
    else process.env.GLIBC_TUNABLES = saved;
  }
  assert.match(header(true).split("\n")[0], /; node run with GLIBC_TUNABLES=(.*:)?glibc\.malloc\.hugetlb=1;/);
  assert.doesNotMatch(header(false), /hugetlb/);
});

test("bench table: hugePagesReport reads the largest GoMap row, and says when none were given", () => {
  const row = (impl: "GoMap" | "Map", n: number, kib: number | undefined): Result => ({
    workload: `u32->u32 n=${n.toExponential(0)}`, impl, n, insert: 1, getHit: 1, getMiss: 1, iterate: 1, del: 1, bytesPerEntry: 1, hugePagesKiB: kib,
  });
  assert.equal(hugePagesReport([row("GoMap", 1e5, 2048), row("GoMap", 1e6, 30720), row("Map", 1e7, 99999)]), "huge pages: u32->u32 n=1e+6 GoMap held 30 MiB on them after its inserts");
  assert.match(hugePagesReport([row("GoMap", 1e6, 0)]), /^huge pages: none used; .* too small/, "1 byte an entry: a 1 MB heap");
  const big = { ...row("GoMap", 1e6, 0), bytesPerEntry: 24 };
  assert.match(hugePagesReport([big]), /^huge pages: none were given/);
  assert.match(hugePagesReport([row("GoMap", 1e6, -1), row("Map", 1e6, 4096)]), /does not say/);
});

test("bench measure: the warm-up optimises the code the timed loops run (no 'wrong map' deopt of a timed loop)", () => {
  // V8 logs every deoptimisation with --trace-deopt. A timed loop that V8 optimised during the
  // warm-up for keys of another kind (a JS array where the table times a Uint32Array, a packed
  // array where it times a holey one) is thrown away in its first timed round ("wrong map"):
  // that round, and at 1e7 the only one, pays for the deopt and the new compile.
  const child = fileURLToPath(new URL("../../src/bench/child.js", import.meta.url));
  for (const w of ["u32", "string"]) {
    for (const impl of ["GoMap", "Map"]) {
      const r = spawnSync(process.execPath, ["--expose-gc", "--trace-deopt", child, w, impl, "3000"], { encoding: "utf8", maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /bailout \(kind: deopt/, "--trace-deopt logs (some deopt happens in any run: the warm-up's own)");
      const wrong = r.stdout.split("\n").filter((l) => /reason: wrong map/.test(l) && /<JSFunction (insert|get|del|iterate) /.test(l));
      assert.deepEqual(wrong.map((l) => /<JSFunction (\w+) /.exec(l)?.[1]), [], `${w} ${impl}`);
    }
  }
});
