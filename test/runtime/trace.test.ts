// Tests of src/runtime/trace.ts: the tracer is null until someone installs one (this file
// loads the runtime without src/inspect, which installs the bridge), and an installed tracer
// is called at hashGrow, evacuate, newoverflow and mapclear with the runtime's own figures;
// removing it stops the calls.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { setTracer, tracer } from "../../src/runtime/trace.js";
import type { Tracer } from "../../src/runtime/trace.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

function recorder(calls: unknown[][]): Tracer {
  return {
    grow: (h: HMap, ...rest) => calls.push(["grow", h, ...rest]),
    evacuate: (h: HMap, ...rest) => calls.push(["evacuate", h, ...rest]),
    overflow: (h: HMap, ...rest) => calls.push(["overflow", h, ...rest]),
    clear: (h: HMap, ...rest) => calls.push(["clear", h, ...rest]),
  };
}

test("trace hook: null unless installed; grow, evacuate, overflow and clear calls carry the runtime's figures", (t0) => {
  assert.equal(tracer, null, "nothing installs a tracer when src/inspect is not loaded");
  const calls: unknown[][] = [];
  setTracer(recorder(calls));
  t0.after(() => setTracer(null));
  // Every key in bucket 0 of a B=0 map: the 9th needs an overflow bucket... but 9 entries
  // over one bucket also pass the load factor, so the 9th starts a doubling first.
  const kt: GoType<number> = hashedBy(t.u32, (k) => BigInt(k + 20) << 56n);
  const m = GoMap.make(kt, t.u32);
  const h = hmapOf(m)!;
  for (let k = 0; k < 9; k++) m.set(k, k);
  assert.deepEqual(calls.map((c) => c[0]), ["grow", "evacuate", "overflow"]);
  assert.deepEqual(calls[0], ["grow", h, 0, 1, false, 8]);
  // Old bucket 0's 8 keys all go to X (hash bit 0 is 0): new bucket 0, Y would be 1.
  assert.deepEqual(calls[1], ["evacuate", h, 0, 8, 0, 0, 1]);
  // The 9th key: bucket 0 is full, so a fresh overflow bucket (B=1 has no pool).
  const [, oh, after, ovf, preallocated] = calls[2];
  assert.equal(oh, h);
  assert.equal(after, h.buckets);
  assert.equal(ovf, h.overflow(h.buckets));
  assert.equal(preallocated, false);
  m.clear();
  assert.deepEqual(calls[3], ["clear", h, 9, 1]);
  m.clear(); // already empty: nothing to report
  assert.equal(calls.length, 4);
  setTracer(null);
  for (let k = 0; k < 100; k++) m.set(k, k);
  assert.equal(calls.length, 4, "no calls once removed");
});
