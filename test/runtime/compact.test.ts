// Tests of src/runtime/compact.ts: at the end of a growth a non-shared map slides its bucket
// array down over the hole the old array left, fixes every offset into it (header, pool end
// mark, overflow links into the pool), and trims the buffer. Pinned: the array does move,
// nothing is lost or corrupted (including chains that run through pool buckets), refs look
// again, and nothing moves while an iterator holds the heap.
import assert from "node:assert/strict";
import test from "node:test";
import { StaleRefError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { Hmap32 } from "../../src/runtime/layout.js";
import { arrayBuckets } from "../../src/runtime/makemap.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

test("compact: after each doubling the array slides down to the first block, and the buffer stays near its contents", () => {
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  let moves = 0;
  let allocatedAt = 0;
  for (let i = 0; i < 60_000; i++) {
    const wasGrowing = h.growing;
    m.set(i, i);
    if (!wasGrowing && h.growing) allocatedAt = h.buckets;
    if (wasGrowing && !h.growing) {
      checkInvariants(m);
      if (h.buckets < allocatedAt) moves++;
      const s = h.heap.stats();
      assert.ok(s.capacity <= s.top + (s.top >>> 2) + 65_536 + 65_536, `B${h.B}: capacity ${s.capacity} for top ${s.top}`);
    }
  }
  assert.ok(moves >= 8, `the array moved down at the end of ${moves} growths`);
  for (let i = 0; i < 60_000; i += 7) assert.equal(m.get(i), i);
  checkInvariants(m);
});

for (const [name, vt, val] of [
  ["string", t.string, (k: number): string | number => `v${k}`],
  ["uint32", t.u32, (k: number): string | number => k * 3],
] as const) {
test(`compact: chains that run through pool buckets survive the move (links into the pool fixed), ${name} values`, () => {
  // Every key goes to one of 4 buckets: long chains, made of pool buckets and fresh blocks.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 250) + 5) << 56n) | BigInt(k % 4));
  const m = GoMap.make(kt, vt as GoType<string | number>);
  const h = hmapOf(m)!;
  let moved = 0;
  let poolInUseAtMove = 0;
  let allocatedAt = 0;
  for (let k = 0; k < 1500; k++) {
    const wasGrowing = h.growing;
    m.set(k, val(k));
    if (!wasGrowing && h.growing) allocatedAt = h.buckets;
    if (wasGrowing && !h.growing) {
      if (h.buckets < allocatedAt) {
        moved++;
        // Is some chain running through a pool bucket of the moved array?
        const bs = h.t.bucketSize;
        const poolStart = h.buckets + 2 ** h.B * bs;
        const poolEnd = h.buckets + arrayBuckets(h.B) * bs;
        for (let i = 0; i < 2 ** h.B; i++) {
          for (let b = h.overflow(h.buckets + i * bs); b !== 0; b = h.overflow(b)) if (b >= poolStart && b < poolEnd) poolInUseAtMove++;
        }
        if (arrayBuckets(h.B) > 2 ** h.B) {
          const next = h.heap.u32[Hmap32.nextOverflow];
          assert.ok(next === 0 || (next >= poolStart && next < poolEnd), "nextOverflow points into the moved pool");
          const last = poolEnd - bs;
          const mark = h.overflow(last);
          assert.ok(mark === h.buckets || mark === 0 || mark >= poolEnd || mark < h.buckets, "the end mark is the new array start, or the last pool bucket is in use");
        }
      }
      checkInvariants(m);
      for (let j = 0; j <= k; j += 3) assert.equal(m.get(j), val(j));
    }
  }
  assert.ok(moved >= 1, `${moved} moves`);
  assert.ok(poolInUseAtMove > 0, "some chain went through the pool when the array moved");
  // Keep using the pool after the move: new overflow buckets come from the moved pool.
  for (let k = 1500; k < 1700; k++) m.set(k, val(k));
  for (let k = 0; k < 1700; k++) assert.equal(m.get(k), val(k));
  assert.equal(m.size, 1700);
  checkInvariants(m);
});
}

test("compact: refs taken before a growth and its move either report the move or still read their own entry", () => {
  // A fixed seed: with a random one, one map in many thousands puts every key back at the
  // offset it had, and then no ref goes stale (test/gomap.test.ts's ref test says the same).
  const m = GoMap.make(t.u32, t.u32, { seed: 1 });
  for (let i = 0; i < 13; i++) m.set(i, i); // B1, holding 13
  const refs = Array.from({ length: 13 }, (_, i) => m.ref(i));
  m.set(13, 13); // the growth to B2 starts and ends inside this insert, then the array slides
  assert.equal(m.inspect().growing, false);
  let stale = 0;
  refs.forEach((r, i) => {
    try {
      assert.equal(r.value, i, "a ref that is not stale reads its own entry");
      r.value = 100 + i;
      assert.equal(m.get(i), 100 + i, "and writes its own entry");
    } catch (e) {
      if (!(e instanceof StaleRefError)) throw e;
      stale++;
      assert.equal(m.get(i), i, "a stale ref wrote nothing");
    }
  });
  assert.ok(stale > 0, "entries moved, and their refs said so");
  checkInvariants(m);
  const again = m.ref(5);
  again.value = 55;
  assert.equal(m.get(5), 55);
});

test("compact: nothing moves while an iterator holds the heap; the iteration stays exact", () => {
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  for (let i = 0; i < 100; i++) m.set(i, i);
  const seen = new Set<number>();
  let grewOut = false;
  for (const [k, v] of m) {
    assert.equal(v, k < 100 ? k : v);
    assert.ok(!seen.has(k));
    seen.add(k);
    if (seen.size === 1) {
      const heldBuckets: number[] = [];
      for (let i = 100; i < 2000; i++) {
        const wasGrowing = h.growing;
        const before = h.buckets;
        m.set(i, i);
        if (wasGrowing && !h.growing) {
          heldBuckets.push(before);
          assert.equal(h.buckets, before, "no slide while held");
          grewOut = true;
        }
      }
    }
  }
  assert.ok(grewOut);
  for (let i = 0; i < 100; i++) assert.ok(seen.has(i));
  checkInvariants(m);
  // After the iteration the next growth compacts again.
  const cap = h.heap.capacity;
  for (let i = 2000; i < 9000; i++) m.set(i, i);
  while (h.growing) m.set(0, 0);
  assert.ok(h.heap.capacity >= cap);
  for (let i = 0; i < 9000; i += 11) assert.equal(m.get(i), i === 0 ? 0 : i);
  checkInvariants(m);
});

test("compact: a growth that ended while an iterator held the heap slides and trims once the iteration ends", () => {
  // The slide waits while an iteration holds the heap. It used to wait for the next growth:
  // a map that doubled inside a range loop kept the old array's hole below the new one, a
  // buffer half as large again as the same map built outside a loop, until it doubled again.
  const grown = GoMap.make(t.u32, t.u32);
  const h = hmapOf(grown)!;
  for (let i = 0; i < 30_000; i++) grown.set(i, i);
  let next = 30_000;
  let endedHeld = 0;
  for (const [k] of grown) {
    void k;
    for (let j = 0; j < 2 && next < 60_000; j++) {
      const was = h.growing;
      grown.set(next, next);
      next++;
      if (was && !h.growing) endedHeld++;
    }
  }
  assert.ok(endedHeld > 0, "a growth ended during the loop");
  assert.equal(h.growing, false);
  const fresh = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < next; i++) fresh.set(i, i);
  const s = h.heap.stats();
  const f = hmapOf(fresh)!.heap.stats();
  assert.ok(s.top <= f.top + (f.top >>> 4), `top ${s.top}, built outside a loop ${f.top}`);
  assert.ok(s.capacity <= f.capacity + (f.capacity >>> 3), `buffer ${s.capacity}, built outside a loop ${f.capacity}`);
  for (let i = 0; i < next; i += 13) assert.equal(grown.get(i), i);
  checkInvariants(grown);
  // Ended by return() (a loop's break) or by a clear, the same.
  for (const how of ["break", "clear"] as const) {
    const m = GoMap.make(t.u32, t.string);
    const hm = hmapOf(m)!;
    for (let i = 0; i < 3000; i++) m.set(i, `value ${i}`);
    const it = m.keys();
    it.next();
    for (let i = 3000; i < 6000; i++) m.set(i, `value ${i}`);
    while (hm.growing) m.set(0, "value 0");
    // Strings stored during the growth lie above the array (README), so the slide moves it
    // down into the old arrays' hole without lowering top.
    const before = hm.buckets;
    if (how === "break") it.return!();
    else m.clear();
    assert.equal(hm.heap.held, false);
    assert.ok(hm.buckets < before, `${how}: the array at ${hm.buckets}, was at ${before}`);
    checkInvariants(m);
    if (how === "break") for (let i = 0; i < 6000; i += 7) assert.equal(m.get(i), `value ${i}`);
  }
});
