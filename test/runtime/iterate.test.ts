// Tests of src/runtime/iterate.ts: the iteration rules of its header, checked while the map
// grows (doubling and same-size), while entries are set, updated and deleted from inside the
// loop, and with iterators started before, during and across growths; random order; and the
// heap hold an iterator takes (released on finish, on break, on a throw from the body).
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { Hiter, mapiterinit, mapiternext } from "../../src/runtime/iterate.js";
import { Flag } from "../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

type U32Map = GoMap<number, number, number, number>;

/**
 * Ranges over m, calling body(k, step) after each entry; body mutates m and `model` alike
 * and returns the keys it deleted. Checks, as the iteration goes and at its end:
 * - no key is returned twice;
 * - every returned key is in the map right then, with its current value (so a key deleted
 *   before it was reached is never returned, and an updated one shows its latest value);
 * - every key present at the start and never deleted during the loop is returned.
 */
function rangeChecked(m: U32Map, model: Map<number, number>, body: (k: number, step: number) => number[]): Set<number> {
  const throughout = new Set(model.keys());
  const seen = new Set<number>();
  let step = 0;
  for (const [k, v] of m) {
    assert.ok(!seen.has(k), `key ${k} returned twice`);
    seen.add(k);
    assert.ok(model.has(k), `key ${k} returned but not in the map`);
    assert.equal(v, model.get(k), `key ${k}: the latest value`);
    for (const d of body(k, step++)) throughout.delete(d);
    checkInvariants(m);
  }
  for (const k of throughout) assert.ok(seen.has(k), `key ${k} present throughout but not returned`);
  return seen;
}

/** Bytes of a map that is not growing: its bucket array and overflow blocks of their own. */
function structuralBytes(m: GoMap<unknown, unknown, unknown, unknown>): number {
  const h = hmapOf(m)!;
  assert.equal(h.growing, false);
  const bs = h.t.bucketSize;
  const arrayEnd = h.buckets + h.heap.sizeOf(h.buckets);
  let bytes = h.heap.sizeOf(h.buckets);
  for (let i = 0; i < 2 ** h.B; i++) {
    for (let b = h.overflow(h.buckets + i * bs); b !== 0; b = h.overflow(b)) {
      if (b < h.buckets || b >= arrayEnd) bytes += h.heap.sizeOf(b);
    }
  }
  return bytes;
}

function filled(n: number, hint = 0): [U32Map, Map<number, number>] {
  const m = GoMap.make(t.u32, t.u32, { hint });
  const model = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    m.set(i, i * 10);
    model.set(i, i * 10);
  }
  return [m, model];
}

test("iterate: every entry exactly once, with no writes", () => {
  for (const n of [0, 1, 7, 8, 9, 100, 1000, 5000]) {
    const [m, model] = filled(n);
    const seen = rangeChecked(m, model, () => []);
    assert.equal(seen.size, n);
  }
});

test("iterate: inserts during the loop grow the map several times; the original entries come back once each", () => {
  for (const n of [5, 16, 100, 700]) {
    const [m, model] = filled(n);
    const B0 = m.inspect().B;
    let next = 100_000;
    rangeChecked(m, model, () => {
      for (let j = 0; j < 20; j++) {
        m.set(next, next);
        model.set(next, next);
        next++;
      }
      return [];
    });
    assert.ok(m.inspect().B >= B0 + 2, `n=${n}: grew from B${B0} to B${m.inspect().B}`);
  }
});

test("iterate: deleting entries not yet reached: they never come back; deleting the current one is fine", () => {
  for (const n of [8, 50, 600]) {
    const [m, model] = filled(n);
    let r = 12345;
    rangeChecked(m, model, (k) => {
      const gone: number[] = [];
      for (let j = 0; j < 3; j++) {
        r = (Math.imul(r, 1103515245) + 12345) >>> 0;
        const d = r % n;
        if (m.delete(d)) gone.push(d);
        model.delete(d);
      }
      m.delete(k);
      model.delete(k);
      return [...gone, k];
    });
    assert.equal(m.size, 0, "every key was deleted as current or before being reached");
  }
});

test("iterate: updates of entries not yet reached show their latest value", () => {
  const [m, model] = filled(300);
  rangeChecked(m, model, (_k, step) => {
    for (let j = 0; j < 300; j += 7) {
      m.set(j, step * 1000 + j);
      model.set(j, step * 1000 + j);
    }
    return [];
  });
});

test("iterate: a mixed storm: inserts, deletes, re-inserts and updates while growing", () => {
  const [m, model] = filled(200);
  let r = 99;
  let next = 1000;
  const rnd = (n: number): number => {
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    return r % n;
  };
  rangeChecked(m, model, () => {
    const gone: number[] = [];
    for (let j = 0; j < 8; j++) {
      const op = rnd(4);
      if (op === 0) {
        m.set(next, next);
        model.set(next, next++);
      } else if (op === 1) {
        const d = rnd(next);
        m.delete(d);
        model.delete(d);
        gone.push(d);
      } else if (op === 2) {
        const d = rnd(200); // re-insert an old key: may or may not be returned
        m.set(d, 7);
        model.set(d, 7);
        gone.push(d);
      } else {
        const d = rnd(next);
        if (model.has(d)) {
          m.set(d, 8);
          model.set(d, 8);
        }
      }
    }
    return gone;
  });
});

test("iterate: an iterator started during a growth (old buckets partly evacuated) follows the rules", () => {
  for (const n of [53, 105, 833, 1665]) {
    const [m, model] = filled(n);
    assert.equal(m.inspect().growing, true, `n=${n} is growing`);
    // Evacuate a bucket or two, not all.
    m.set(0, 0);
    assert.equal(m.inspect().growing, true);
    let step = 0;
    rangeChecked(m, model, (k) => {
      // Writes move the growth along (and finish it) while the iterator walks old buckets.
      m.set(k, k + 1);
      model.set(k, k + 1);
      if (step++ % 3 === 0) {
        const d = (k * 7 + 3) % n;
        m.delete(d);
        model.delete(d);
        return [d];
      }
      return [];
    });
  }
});

test("iterate: an iterator that spans two whole growths (its snapshot array freed twice over)", () => {
  const [m, model] = filled(40);
  let next = 1000;
  let i = 0;
  const Bs = new Set<number>();
  rangeChecked(m, model, () => {
    if (i++ === 0) {
      for (let j = 0; j < 400; j++) {
        m.set(next, next);
        model.set(next, next++);
        Bs.add(m.inspect().B);
      }
    }
    return [];
  });
  assert.ok(Bs.size >= 3, `B went through ${[...Bs]}`);
});

test("iterate: same-size growth during iteration (colliding hashes) follows the rules", () => {
  // hint 100 -> B4 (holds 104). Key k goes to bucket floor(k / 1000), tophash spread.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 100 }) as U32Map;
  const model = new Map<number, number>();
  const put = (k: number, v: number): void => {
    m.set(k, v);
    model.set(k, v);
  };
  // Bucket 0: 100 keys then none (12 overflow buckets left behind); bucket 1: 32 keys (3 more).
  for (let k = 0; k < 100; k++) m.set(k, k);
  for (let k = 0; k < 100; k++) m.delete(k);
  for (let k = 1000; k < 1032; k++) put(k, k);
  for (let b = 2; b < 10; b++) for (let k = b * 1000; k < b * 1000 + 5; k++) put(k, k);
  assert.equal(m.inspect().noverflow, 15);
  assert.equal(m.inspect().growing, false);
  let sameSize = false;
  let step = 0;
  const deletable: number[] = [];
  for (let b = 2; b < 10; b++) for (let k = b * 1000; k < b * 1000 + 5; k++) deletable.push(k);
  rangeChecked(m, model, (k) => {
    const gone: number[] = [];
    if (step === 0) {
      put(1032, 1); // overflow bucket 16
      put(1033, 1); // too many overflow buckets: a same-size growth starts
      sameSize = m.inspect().sameSizeGrow;
    }
    // Keep writing: updates, a delete and an insert in other buckets move the growth along.
    put(k, k + step);
    if (step % 2 === 1 && deletable.length > 0) {
      const d = deletable.shift()!;
      m.delete(d);
      model.delete(d);
      gone.push(d);
      put(12000 + step, step);
    }
    step++;
    return gone;
  });
  assert.equal(sameSize, true, "a same-size growth ran during the loop");
  assert.equal(m.inspect().B, 4);
});

test("iterate: the order is random: start bucket and slot offset vary between ranges", () => {
  const [m] = filled(100);
  const firsts = new Set<number>();
  const orders = new Set<string>();
  for (let r = 0; r < 50; r++) {
    const keys = [...m.keys()];
    firsts.add(keys[0]);
    orders.add(keys.join(","));
  }
  assert.ok(firsts.size >= 10, `only ${firsts.size} different first keys in 50 ranges`);
  assert.ok(orders.size >= 20, `only ${orders.size} orders in 50 ranges`);
});

test("iterate: clear during the loop: no entry from before the clear is returned after it", () => {
  for (const n of [8, 100, 1665]) {
    const [m] = filled(n);
    const seen: number[] = [];
    let cleared = false;
    for (const [k] of m) {
      assert.equal(cleared && k < 100_000, false, `key ${k} from before the clear returned after it`);
      seen.push(k);
      if (seen.length === 3) {
        m.clear();
        cleared = true;
        for (let j = 0; j < 50; j++) m.set(100_000 + j, j); // may or may not be returned
      }
    }
    assert.equal(new Set(seen).size, seen.length, "no duplicates");
    checkInvariants(m);
  }
});

test("iterate: keys(), values(), entries() and forEach agree; forEach may write", () => {
  const [m, model] = filled(50);
  assert.deepEqual(new Set(m.keys()), new Set(model.keys()));
  assert.deepEqual([...m.values()].sort((a, b) => a - b), [...model.values()].sort((a, b) => a - b));
  assert.deepEqual(new Map(m.entries()), model);
  const got = new Map<number, number>();
  const self = { tag: 1 };
  m.forEach(function (this: typeof self, v, k, map) {
    assert.equal(this, self);
    assert.equal(map, m);
    got.set(k, v);
    m.set(k + 1000, 1); // a write from the callback is allowed
  }, self);
  for (const [k, v] of model) assert.equal(got.get(k), v);
  // Without thisArg, `this` is undefined, as in Map's forEach (this file is strict code).
  let calls = 0;
  m.forEach(function (this: unknown, v, k, map) {
    assert.equal(this, undefined);
    assert.equal(map, m);
    assert.equal(v, m.get(k));
    calls++;
  });
  assert.equal(calls, m.size);
  checkInvariants(m);
});

test("iterate: an empty map and a nil map iterate zero times and hold nothing", () => {
  const m = GoMap.make(t.u32, t.u32);
  assert.deepEqual([...m], []);
  m.forEach(() => assert.fail("no entries"));
  assert.equal(hmapOf(m)!.heap.held, false);
  const nil = GoMap.nil(t.u32, t.u32);
  assert.deepEqual([...nil], []);
  assert.deepEqual([...nil.keys()], []);
  nil.forEach(() => assert.fail("no entries"));
  // A map emptied by deletes iterates zero times too.
  m.set(1, 1);
  m.delete(1);
  assert.deepEqual([...m.entries()], []);
  // After the end, next() keeps saying done.
  const it = m.keys();
  assert.equal(it.next().done, true);
  assert.equal(it.next().done, true);
});

test("iterate: an iterator sets the iterator flags, as Go's mapiterinit does", () => {
  const [m] = filled(3);
  const h = hmapOf(m)!;
  assert.equal(h.flags & (Flag.iterator | Flag.oldIterator), 0);
  const it = m.keys();
  it.next();
  assert.equal(h.flags & (Flag.iterator | Flag.oldIterator), Flag.iterator | Flag.oldIterator);
  it.return!();
});

test("iterate: the heap hold: taken by a running iterator, released at the end, on break, and on a throw from the body", () => {
  const m = GoMap.make(t.u32, t.string);
  const h = hmapOf(m)!;
  const fill = (): void => {
    for (let i = 0; i < 100; i++) m.set(i, "v".repeat(40 + i));
  };
  fill();
  // While a loop runs, frees wait: deleting every key frees nothing yet.
  for (const [k] of m) {
    assert.equal(h.heap.held, true);
    m.delete(k);
  }
  assert.equal(m.size, 0);
  assert.equal(h.heap.held, false, "released at the end");
  const afterLoop = h.heap.stats().inUse;
  // Break early, then delete everything: the memory comes back at once.
  fill();
  const full = h.heap.stats().inUse;
  assert.ok(full > afterLoop);
  for (const _ of m) {
    void _;
    break;
  }
  assert.equal(h.heap.held, false, "break releases the hold");
  for (let i = 0; i < 100; i++) m.delete(i);
  assert.ok(h.heap.stats().inUse < full, "frees happen after the loop was left");
  const emptied = h.heap.stats().inUse;
  assert.equal(emptied, structuralBytes(m), "only buckets are left");
  // A body that throws also releases the hold.
  fill();
  assert.throws(() => {
    for (const _ of m) {
      void _;
      throw new Error("boom");
    }
  }, /boom/);
  assert.equal(h.heap.held, false);
  assert.throws(() => m.forEach(() => {
    throw new Error("boom");
  }), /boom/);
  assert.equal(h.heap.held, false);
  for (let i = 0; i < 100; i++) m.delete(i);
  assert.ok(h.heap.stats().inUse <= emptied + 10 * h.t.bucketSize, "no string bytes left behind");
  assert.equal(h.heap.stats().inUse, structuralBytes(m), "only buckets are left");
  // Control: a hold does defer frees (else the checks above would prove nothing).
  fill();
  const it = m.values();
  it.next();
  const before = h.heap.stats().inUse;
  for (let i = 0; i < 100; i++) m.delete(i);
  assert.equal(h.heap.stats().inUse, before, "frees wait while an iterator runs");
  it.return!();
  assert.ok(h.heap.stats().inUse < before, "and happen when it is returned");
});

test("iterate: two iterators: frees wait for both", () => {
  const m = GoMap.make(t.u32, t.string);
  const h = hmapOf(m)!;
  for (let i = 0; i < 20; i++) m.set(i, "x".repeat(64));
  const a = m.keys();
  const b = m.keys();
  a.next();
  b.next();
  for (let i = 0; i < 20; i++) m.delete(i);
  const held = h.heap.stats().inUse;
  a.return!();
  assert.equal(h.heap.stats().inUse, held, "b still holds");
  assert.equal(b.next().done, true, "b sees nothing more: every key was deleted");
  assert.ok(h.heap.stats().inUse < held, "b finished: frees done");
});

test("iterate: TestConcurrentMapIterateWrite (crash_test.go), as a range inside update's fn: it throws and leaves no hold behind", () => {
  const m = GoMap.make(t.u32, t.string);
  const h = hmapOf(m)!;
  for (let i = 0; i < 10; i++) m.set(i, "x".repeat(100));
  assert.throws(
    () =>
      m.update(1, (v) => {
        for (const _ of m) void _;
        return v;
      }),
    (e: unknown) => e instanceof GoMapError && /concurrent map iteration and map write/.test(e.message),
  );
  assert.equal(m.get(1), "x".repeat(100), "the update did not happen");
  assert.equal(h.heap.held, false, "the iterator that threw in next() released the heap");
  const before = h.heap.stats().inUse;
  for (let i = 0; i < 10; i++) m.delete(i);
  assert.ok(h.heap.stats().inUse < before, "deletes free memory again");
});

test("iterate: low level: mapiterinit on an empty map is false; mapiternext after the end stays false", () => {
  const m = GoMap.make(t.u32, t.u32);
  const h = hmapOf(m)!;
  const it0 = new Hiter(h);
  assert.equal(mapiterinit(it0), false);
  assert.equal(h.heap.held, false);
  m.set(1, 2);
  m.set(3, 4);
  const it = new Hiter(h);
  assert.equal(mapiterinit(it), true);
  assert.ok(it.startBucket >= 0 && it.startBucket < 2 ** h.B);
  assert.ok(it.offset >= 0 && it.offset < 8);
  const keys: number[] = [];
  while (mapiternext(it)) keys.push(t.u32.read(h.heap, it.keyOff));
  assert.deepEqual(keys.sort(), [1, 3]);
  assert.equal(mapiternext(it), false);
  assert.equal(h.heap.held, false);
});

test("iterate: within one bucket the 8 slots rotate by one offset: at most 8 orders of 8 keys", () => {
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 8; i++) m.set(i, i);
  const orders = new Set<string>();
  for (let r = 0; r < 200; r++) orders.add([...m.keys()].join(","));
  assert.ok(orders.size >= 2 && orders.size <= 8, `${orders.size} orders`);
  // Each order is a rotation of the slot order.
  const slots = [...orders].map((o) => o.split(",").map(Number));
  const base = slots[0];
  for (const o of slots) {
    const shift = o.indexOf(base[0]);
    for (let i = 0; i < 8; i++) assert.equal(o[(shift + i) % 8], base[i]);
  }
});

test("iterate: clear while the iterator stands in the last pool bucket: no entry returned twice", () => {
  // B4 (hint 60): 16 buckets and a pool of one. Nine keys in bucket 5: the ninth lives in the
  // pool bucket. When the iterator returns it, it stands in the pool bucket; clear() then
  // rebuilds the pool, whose last bucket's link is the end-of-pool mark (the array start).
  // Keys added to bucket 0 after the clear may be returned, but never twice.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  for (let trial = 0; trial < 30; trial++) {
    const m = GoMap.make(kt, t.u32, { hint: 60 });
    for (let k = 5000; k < 5009; k++) m.set(k, k);
    const seen: number[] = [];
    for (const [k] of m) {
      seen.push(k);
      if (k === 5008) {
        m.clear();
        for (let j = 0; j < 3; j++) m.set(j, j);
      }
    }
    assert.equal(new Set(seen).size, seen.length, `trial ${trial}: a key returned twice: ${seen}`);
    assert.equal(seen.filter((k) => k >= 5000).length, 9);
    checkInvariants(m);
  }
});

test("iterate: clear() ends running iterations (rule 7): their holds go with it, and the next step is done", () => {
  const [m] = filled(100);
  const h = hmapOf(m)!;
  const it = m.keys();
  it.next();
  const other = m.values();
  other.next();
  m.clear();
  assert.equal(h.heap.held, false, "both iterations ended, holding nothing");
  for (let i = 0; i < 50; i++) m.set(1000 + i, i);
  const later = m.keys();
  later.next();
  assert.equal(it.next().done, true);
  assert.equal(other.next().done, true);
  assert.equal(h.heap.held, true, "the ended ones' steps leave the later iteration's hold");
  later.return!();
  assert.equal(h.heap.held, false);
  // A new iteration sees the entries added after the clear.
  assert.equal([...m.keys()].length, 50);
});

test("iterate: keys stored indirectly (over 128 bytes) that own strings, deleted after a growth the iterator started before: none comes back as another", () => {
  // Evacuation moves such a key's pointer, so the old slot and the new one share its block;
  // a delete must leave the block's bytes for the iterator, which reads the key in the old
  // slot to look it up again (it looked up the zero key instead, once for each deleted key).
  const K = t.struct({ id: t.u32, pad: t.bytes(130), s: t.string });
  const m = GoMap.make(K, t.u32);
  const key = (i: number): { id: number; s: string } => ({ id: i, s: `name${i}` });
  assert.equal(hmapOf(m)!.t.indirectKey, true);
  m.set({}, 0); // the zero key, present throughout
  for (let i = 1; i < 50; i++) m.set(key(i), i);
  const it = m.entries();
  const seen = [it.next().value![0]];
  const B = m.inspect().B;
  for (let i = 50; i < 120; i++) m.set(key(i), i); // doublings, done while the iterator waits
  assert.ok(m.inspect().B > B);
  for (let i = 1; i < 120; i++) m.delete(key(i));
  for (const [k] of it) seen.push(k);
  // The first entry, taken before the deletes, may be any key; after it only the zero key,
  // once, unless it was the first.
  const names = seen.map((k) => `${k.id}:${k.s}`);
  assert.deepEqual(names[0] === "0:" ? names : names.slice(1), ["0:"], names.join(" "));
  checkInvariants(m);
});

test("iterate: on a shared heap, a chain that links back on itself (memory a racing writer reused) ends the iteration in 'concurrent map iteration and map write', not in entries without end", () => {
  // Each step follows at most one link here (every bucket of the cycle is full), so only a
  // bound over the whole iteration ends it: as many links as two walks of every bucket the
  // heap can hold, then Go's error.
  const m = GoMap.make(hashedBy(t.u32, () => 0n), t.u32, { hint: 20, shared: true }); // B2, no pool
  for (let k = 0; k < 16; k++) m.set(k, k); // bucket 0 and a full overflow bucket
  const h = hmapOf(m)!;
  const head = h.buckets;
  const ovf = h.overflow(head);
  assert.notEqual(ovf, 0);
  h.heap.u32[(ovf + h.t.overflowOffset) >>> 2] = head; // the overflow bucket now links back to the head
  const bound = 8 * (2 * Math.ceil(h.heap.capacity / h.t.bucketSize) + 2);
  let entries = 0;
  assert.throws(
    () => {
      for (const _ of m.keys()) if (++entries > 10 * bound) throw new Error(`the iteration went on past any bound (${entries} entries)`);
    },
    (err: unknown) => err instanceof GoMapError && err.message === "concurrent map iteration and map write",
  );
  assert.ok(entries > 16, `the iteration went round the loop (${entries} entries)`);
  assert.ok(entries <= bound, `${entries} entries, bound ${bound}`);
  assert.equal(h.heap.held, false, "the failed iteration gave back its hold");
});
