// The large-map suite (npm run test:big; CI runs it after npm test). A map past Map's
// 16,777,216-entry ceiling, up to 50,000,000 u32 -> u32 entries: every entry found, none
// invented, iteration sees each once, and the invariants hold. Slow by nature (a minute or
// two here), so `npm test` skips it and `npm run test:big` (GOMAP_BIG=1) runs it.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, types as t } from "../../src/index.js";

const MAP_LIMIT = 16_777_216;
const skip = process.env.GOMAP_BIG === "1" ? false : "large-map suite: run with npm run test:big";

/** A bijection on u32, so the keys are distinct and spread. */
function key(i: number): number {
  return Math.imul(i, 0x9e3779b1) >>> 0;
}

test("a JS Map stops at 16,777,216 entries", { skip }, () => {
  const m = new Map<number, number>();
  assert.throws(() => {
    for (let i = 0; i <= MAP_LIMIT; i++) m.set(i, i);
  }, RangeError);
  assert.equal(m.size, MAP_LIMIT);
});

test("GoMap holds 50,000,000 u32 -> u32 entries", { skip }, () => {
  const n = 50_000_000;
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < n; i++) m.set(key(i), i);
  assert.equal(m.size, n);
  const s = m.inspect();
  assert.equal(s.B, 23); // 6.5 * 2^23 = 54,525,952 >= 50,000,000 > 6.5 * 2^22
  for (let i = 0; i < n; i += 997) assert.equal(m.get(key(i)), i);
  assert.equal(m.get(key(n)), undefined);
  assert.equal(m.get(key(n + 12345)), undefined);
  // Iteration sees every entry once: the values are 0..n-1, so count and sum pin them.
  let count = 0;
  let sum = 0;
  for (const v of m.values()) {
    count++;
    sum += v;
  }
  assert.equal(count, n);
  assert.equal(sum, (n * (n - 1)) / 2);
  // Deleting past the ceiling and back works too.
  for (let i = 0; i < n; i += 2) assert.equal(m.delete(key(i)), true);
  assert.equal(m.size, n / 2);
  assert.equal(m.get(key(1)), 1);
  assert.equal(m.has(key(2)), false);
});
