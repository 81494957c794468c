// Tests of src/bench/measure.ts and src/bench/table.ts in this process: one measurement of
// each workload at a tiny size gives a complete, positive result, and a row formats as the
// README's table does.
import assert from "node:assert/strict";
import test from "node:test";
import { measure, workloadName } from "../../src/bench/measure.js";
import { formatRow, header } from "../../src/bench/table.js";

test("bench measure: each workload and implementation at n=500 gives every figure", () => {
  for (const w of ["u32", "string"] as const) {
    for (const impl of ["GoMap", "Map"] as const) {
      const r = measure(w, impl, 500);
      assert.equal(r.workload, workloadName(w, 500));
      assert.equal(r.impl, impl);
      assert.equal(r.n, 500);
      for (const x of [r.insert, r.getHit, r.getMiss, r.iterate, r.del]) assert.ok(x > 0 && Number.isFinite(x));
      if (impl === "GoMap") assert.ok(r.bytesPerEntry > 8);
    }
  }
});

test("bench table: a row's figures have three significant places, as in README", () => {
  assert.equal(workloadName("u32", 1e6), "u32->u32 n=1e+6");
  assert.equal(
    formatRow({ workload: "u32->u32 n=1e+6", impl: "GoMap", n: 1e6, insert: 809.4, getHit: 32.84, getMiss: 7, iterate: 114, del: 359, bytesPerEntry: 23.66 }),
    "| u32->u32 n=1e+6 | GoMap | 809 | 32.8 | 7.0 | 114 | 359 | 23.7 |",
  );
  assert.match(header(), /\n\| workload \| impl \| insert \| get hit \| get miss \| iterate \| delete \| bytes\/entry \|\n\|---\|/);
});
