// Tests of src/runtime/reserve.ts: a new key that starts a growth takes the memory for its own
// bytes first, so a key whose bytes do not fit is refused before the growth moves anything;
// and a refused insert leaves no growth behind where the growth's first evacuation had room.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, HeapExhaustedError } from "../../src/index.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** Inserts 300-byte keys i = 0, 1, ... until the first refusal; returns the map and how many went in. */
function fill(maxBytes: number, collide: boolean): { m: GoMap<string, number, string, number>; n: number } {
  const kt = collide ? hashedBy(t.string, () => 0n) : t.string;
  // A fixed seed: where keys land decides which inserts need an overflow bucket.
  const m = GoMap.make(kt, t.u32, { maxBytes, seed: 20261207 });
  for (let n = 0; ; n++) {
    const h = hmapOf(m as AnyMap)!;
    const [B, old, count] = [h.B, h.oldbuckets, h.count];
    try {
      m.set(String(n).padStart(300, "k"), n);
    } catch (err) {
      assert.ok(err instanceof HeapExhaustedError, String(err));
      assert.deepEqual([h.B, h.oldbuckets, h.count], [B, old, count], `maxBytes ${maxBytes}: the refused insert ${n} left the map as it was`);
      return { m, n };
    }
  }
}

test("reserve: a new long-string key that starts a growth is refused before the growth when its bytes don't fit", () => {
  // 8 keys fill bucket 0 of a B=0 map; the 9th starts a doubling. Each maxBytes here leaves
  // room for the growth or not, and for the key's 304-byte block or not: every refusal must
  // leave B, the arrays and the count as they were (fill checks), and every entry readable.
  for (let maxBytes = 2000; maxBytes <= 12_000; maxBytes += 50) {
    for (const collide of [true, false]) {
      const { m, n } = fill(maxBytes, collide);
      assert.ok(n >= 4, `maxBytes ${maxBytes}: ${n} keys`);
      for (let i = 0; i < n; i++) assert.equal(m.get(String(i).padStart(300, "k")), i);
      checkInvariants(m as AnyMap);
    }
  }
});
