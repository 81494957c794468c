// Tests of web/locate.ts: a key is found in the array, bucket, overflow bucket and slot where
// inspect.bucket shows it, while the map grows as well.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GoMap, inspect, types as t } from "../../src/index.js";
import { locate } from "../../web/locate.js";

test("every key is found where inspect.bucket shows it, in new and old arrays alike", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 300; i++) {
    m.set(i, i);
    if (i % 37 !== 0) continue;
    for (let k = 0; k <= i; k++) {
      const loc = locate(m as never, k);
      assert.notEqual(loc, null, `key ${k}`);
      const view = inspect.bucket(m, loc!.bucket, { old: loc!.old });
      assert.equal(view.chain[loc!.chain].keys[loc!.slot], k);
      assert.equal(view.chain[loc!.chain].tophash[loc!.slot], loc!.tophash);
    }
  }
  assert.equal(locate(m as never, 100_000), null);
});

test("struct keys compare field by field", () => {
  const P = t.struct({ x: t.i32, y: t.i32 });
  const m = GoMap.make(P, t.bool);
  m.set({ x: 1, y: 2 }, true);
  assert.notEqual(locate(m as never, { x: 1, y: 2 }), null);
  assert.equal(locate(m as never, { x: 2, y: 1 }), null);
});

test("float32 keys are found by the value written, rounded to float32 as the map rounds it; float64 keys are not rounded", () => {
  const m = GoMap.make(t.f32, t.bool);
  m.set(0.1, true);
  assert.notEqual(locate(m as never, 0.1), null);
  const f64 = GoMap.make(t.f64, t.bool);
  f64.set(Math.fround(0.1), true);
  assert.equal(locate(f64 as never, 0.1), null);
  const P = t.struct({ x: t.f32, y: t.i32 });
  const s = GoMap.make(P, t.bool);
  s.set({ x: 0.1, y: 1 }, true);
  assert.notEqual(locate(s as never, { x: 0.1, y: 1 }), null);
  assert.equal(locate(s as never, { x: 0.1, y: 2 }), null);
});
