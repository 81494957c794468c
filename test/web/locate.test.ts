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
