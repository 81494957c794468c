// Tests of src/sync/syncmap.ts: Go's sync.Map behaviours from src/sync/map_test.go under
// their Go names (TestMapMatchesRWMutex and TestMapMatchesDeepCopy as fast-check property
// tests against the same two reference maps Go uses), input checks that leave the map as it
// was, and the multi-worker suites: CAS counters that lose no update, operation mixes that
// keep every runtime invariant of every shard, per-key histories checked for
// linearizability, and Go's TestConcurrentRange and TestConcurrentClear.
import assert from "node:assert/strict";
import test from "node:test";
import { inspect } from "node:util";
import fc from "fast-check";
import { GoMap, HeapExhaustedError, OwnerDeadError, RWMutex, SyncMap, types as t } from "../../src/index.js";
import { checkInvariants } from "../../src/testing/hooks.js";
import { linearizable } from "./linearizability.js";
import { runAll, spawn } from "./spawn.js";
import type { Event } from "./worker.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;
const SEED = process.env.MODEL_SEED === undefined ? 20261122 : Number(process.env.MODEL_SEED);

function contents<K, V>(m: SyncMap<K, V, unknown, unknown>): Map<K, V> {
  const out = new Map<K, V>();
  m.range((k, v) => {
    assert.ok(!out.has(k), `range visited ${String(k)} twice`);
    out.set(k, v);
  });
  return out;
}

// --- the reference maps of Go's map_reference_test.go ------------------------------------------

/** The operations the property tests draw, each with its Go name. */
type Op =
  | { op: "Load" | "Delete" | "LoadAndDelete"; k: number }
  | { op: "Store" | "LoadOrStore" | "Swap" | "CompareAndDelete"; k: number; v: number }
  | { op: "CompareAndSwap"; k: number; v: number; w: number }
  | { op: "Clear" };

/** What Go's mapInterface offers, as these tests call it. */
interface Ref {
  apply(o: Op): unknown;
  contents(): Map<number, number>;
}

/** Go's RWMutexMap: a plain map under an RWMutex (here a GoMap under gomap's RWMutex). */
class RWMutexMap implements Ref {
  private readonly mu = new RWMutex();
  private readonly m = GoMap.make(t.u8, t.u8);
  apply(o: Op): unknown {
    const m = this.m;
    if (o.op === "Load") {
      this.mu.rlock();
      try {
        return m.get(o.k);
      } finally {
        this.mu.runlock();
      }
    }
    this.mu.lock();
    try {
      const cur = o.op === "Clear" ? undefined : m.get(o.k);
      switch (o.op) {
        case "Store": m.set(o.k, o.v); return undefined;
        case "LoadOrStore": if (cur !== undefined) return [cur, true]; m.set(o.k, o.v); return [o.v, false];
        case "LoadAndDelete": m.delete(o.k); return cur;
        case "Delete": m.delete(o.k); return undefined;
        case "Swap": m.set(o.k, o.v); return cur;
        case "CompareAndSwap": if (cur !== o.v) return false; m.set(o.k, o.w); return true;
        case "CompareAndDelete": if (cur !== o.v) return false; m.delete(o.k); return true;
        case "Clear": m.clear(); return undefined;
      }
    } finally {
      this.mu.unlock();
    }
  }
  contents(): Map<number, number> {
    return new Map(this.m);
  }
}

/** Go's DeepCopyMap: every write copies the whole map and publishes the copy. */
class DeepCopyMap implements Ref {
  private clean = new Map<number, number>();
  apply(o: Op): unknown {
    const cur = o.op === "Clear" ? undefined : this.clean.get(o.k);
    if (o.op === "Load") return cur;
    const dirty = new Map(this.clean);
    let out: unknown;
    switch (o.op) {
      case "Store": dirty.set(o.k, o.v); break;
      case "LoadOrStore": if (cur !== undefined) return [cur, true]; dirty.set(o.k, o.v); out = [o.v, false]; break;
      case "LoadAndDelete": dirty.delete(o.k); out = cur; break;
      case "Delete": dirty.delete(o.k); break;
      case "Swap": dirty.set(o.k, o.v); out = cur; break;
      case "CompareAndSwap": if (cur !== o.v) return false; dirty.set(o.k, o.w); out = true; break;
      case "CompareAndDelete": if (cur !== o.v) return false; dirty.delete(o.k); out = true; break;
      case "Clear": dirty.clear(); break;
    }
    this.clean = dirty;
    return out;
  }
  contents(): Map<number, number> {
    return new Map(this.clean);
  }
}

function applySync(m: SyncMap<number, number>, o: Op): unknown {
  switch (o.op) {
    case "Load": return m.load(o.k);
    case "Store": return m.store(o.k, o.v);
    case "LoadOrStore": return m.loadOrStore(o.k, o.v);
    case "LoadAndDelete": return m.loadAndDelete(o.k);
    case "Delete": return m.delete(o.k);
    case "Swap": return m.swap(o.k, o.v);
    case "CompareAndSwap": return m.compareAndSwap(o.k, o.v, o.w);
    case "CompareAndDelete": return m.compareAndDelete(o.k, o.v);
    case "Clear": return m.clear();
  }
}

const key = fc.integer({ min: 0, max: 15 });
const val = fc.integer({ min: 0, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("Load" as const, "Delete" as const, "LoadAndDelete" as const), k: key }),
  fc.record({ op: fc.constantFrom("Store" as const, "LoadOrStore" as const, "Swap" as const, "CompareAndDelete" as const), k: key, v: val }),
  fc.record({ op: fc.constant("CompareAndSwap" as const), k: key, v: val, w: val }),
  fc.record({ op: fc.constant("Clear" as const) }),
);

for (const [goName, Reference] of [["TestMapMatchesRWMutex", RWMutexMap], ["TestMapMatchesDeepCopy", DeepCopyMap]] as const) {
  test(`syncmap: ${goName}: random operation sequences give the reference map's results and contents`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.constantFrom(1, 2, 16), (ops, shards) => {
        const m = SyncMap.make(t.u8, t.u8, { shards });
        const ref = new Reference();
        for (const o of ops) assert.deepEqual(applySync(m, o), ref.apply(o), JSON.stringify(o));
        assert.deepEqual(contents(m), ref.contents());
        for (const s of SyncMap.shardsOf(m)) checkInvariants(s as AnyMap);
      }),
      { numRuns: 150, seed: SEED },
    );
  });
}

test("syncmap: TestMapRangeNestedCall: Range inside Range, with loads, stores and deletes in the callback", () => {
  const m = SyncMap.make(t.u32, t.string);
  ["hello", "world", "Go"].forEach((v, i) => m.store(i, v));
  m.range((k, v) => {
    m.range((k2, v2) => {
      assert.equal(m.load(k2), v2, "a key offered by Range loads with its value");
      assert.deepEqual(m.loadOrStore(42, "dummy"), ["dummy", false], "42 was never in the map");
      m.store(42, "sync.Map");
      assert.equal(m.loadAndDelete(42), "sync.Map");
      return true;
    });
    assert.equal(m.load(k), v);
    m.delete(k);
    return true;
  });
  let length = 0;
  m.range(() => {
    length++;
  });
  assert.equal(length, 0, "every key was deleted during the outer Range");
});

test("syncmap: TestCompareAndSwap_NonExistingKey: CompareAndSwap never inserts", () => {
  const m = SyncMap.make(t.u32, t.u32);
  assert.equal(m.compareAndSwap(7, 0, 42), false, "a missing key with old = the zero value");
  assert.equal(m.load(7), undefined);
  assert.equal(m.compareAndDelete(7, 0), false, "CompareAndDelete of a missing key is false too");
});

test("syncmap: CompareAndDelete of a present key deletes it only when its value == old (Go's ==: NaN never, -0 as 0), and its shard is as a Delete leaves it", () => {
  const m = SyncMap.make(t.u32, t.f64, { shards: 2 });
  m.store(1, 1.5);
  m.store(2, NaN);
  m.store(3, -0);
  m.store(4, 4);
  assert.equal(m.compareAndDelete(1, 2.5), false, "another value");
  assert.equal(m.load(1), 1.5);
  assert.equal(m.compareAndDelete(1, 1.5), true);
  assert.equal(m.load(1), undefined);
  assert.equal(m.compareAndDelete(1, 1.5), false, "gone already");
  assert.equal(m.compareAndDelete(2, NaN), false, "NaN == NaN is false in Go");
  assert.ok(Number.isNaN(m.load(2)));
  assert.equal(m.compareAndDelete(3, 0), true, "-0 == 0");
  assert.equal(m.load(3), undefined);
  const left: [number, number][] = [];
  m.range((k, v) => void left.push([k, v]));
  assert.deepEqual(left.sort((a, b) => a[0] - b[0]), [[2, NaN], [4, 4]]);
  for (const s of SyncMap.shardsOf(m)) checkInvariants(s as AnyMap);
});

test("syncmap: TestMapDelete and TestMapClear", () => {
  const m = SyncMap.make(t.string, t.u32);
  m.store("x", 1);
  assert.equal(m.load("x"), 1);
  m.delete("x");
  assert.equal(m.load("x"), undefined);
  m.delete("x"); // deleting a missing key is fine
  for (let i = 0; i < 100; i++) m.store(`k${i}`, i);
  m.clear();
  assert.equal(m.load("k5"), undefined);
  assert.equal(contents(m).size, 0);
  m.store("after", 2);
  assert.equal(m.load("after"), 2, "Store after Clear works");
});

test("syncmap: TestIssue40999 (as it applies here): Store then Delete leaves no block of a deleted key", () => {
  const m = SyncMap.make(t.string, t.string, { shards: 4 });
  const long = (i: number) => `a key long enough to need its own heap block, number ${i}`;
  for (let r = 0; r < 3; r++) {
    for (let i = 0; i < 3000; i++) m.store(long(i), long(i));
    for (let i = 0; i < 3000; i++) m.delete(long(i));
  }
  // What is left in each shard's heap is its bucket array and the overflow buckets Go keeps
  // with their chains (those past the array's preallocated pool): no key or value bytes.
  for (const shard of SyncMap.shardsOf(m)) {
    const s = shard.inspect();
    assert.equal(s.growing, false);
    const pool = s.B >= 4 ? 2 ** (s.B - 4) : 0;
    assert.equal(s.heap.blocks, 1 + Math.max(0, s.noverflow - pool), JSON.stringify(s));
  }
});

test("syncmap: NaN values never compare equal (Go's ==), so CompareAndSwap on NaN fails", () => {
  const m = SyncMap.make(t.u32, t.f64);
  m.store(1, NaN);
  assert.equal(m.compareAndSwap(1, NaN, 2), false);
  assert.equal(m.compareAndDelete(1, NaN), false);
  assert.ok(Number.isNaN(m.load(1)!));
  m.store(2, -0);
  assert.equal(m.compareAndSwap(2, 0, 5), true, "+0 == -0");
});

test("syncmap: NaN keys as in Go: each store adds an entry no load finds, range visits each, loadOrStore returns the value", () => {
  const m = SyncMap.make(t.f64, t.u32);
  m.store(1, 10);
  m.store(NaN, 7);
  m.store(NaN, 8);
  assert.equal(m.load(NaN), undefined);
  // Go's LoadOrStore(NaN, 9) finds nothing, stores, and returns (9, false).
  assert.deepEqual(m.loadOrStore(NaN, 9), [9, false]);
  const seen: [number, number][] = [];
  m.range((k, v) => void seen.push([k, v]));
  seen.sort((a, b) => a[1] - b[1]);
  assert.deepEqual(seen, [[NaN, 7], [NaN, 8], [NaN, 9], [1, 10]]);
  // A struct key holding NaN is no more equal to itself.
  const s = SyncMap.make(t.struct({ x: t.f64, n: t.u8 }), t.u8);
  assert.deepEqual(s.loadOrStore({ x: NaN, n: 1 }, 3), [3, false]);
  s.store({ x: 0, n: 2 }, 4);
  const keys: unknown[] = [];
  s.range((k, v) => void keys.push([k, v]));
  assert.equal(keys.length, 2);
  m.clear();
  seen.length = 0;
  m.range((k, v) => void seen.push([k, v]));
  assert.deepEqual(seen, []);
});

test("syncmap: bad keys and values throw TypeError/RangeError and change nothing", () => {
  const m = SyncMap.make(t.u32, t.struct({ a: t.u8, s: t.string }));
  m.store(1, { a: 1, s: "one" });
  const bad: [() => unknown, ErrorConstructor][] = [
    [() => m.store(-1, { a: 1 }), RangeError],
    [() => m.store(2, { a: 300 }), RangeError],
    [() => m.store(2, { b: 1 } as never), TypeError],
    [() => m.load("1" as never), TypeError],
    [() => m.swap(1, { a: -1 }), RangeError],
    [() => m.compareAndSwap(1, { a: 1, s: "one" }, { a: 999 }), RangeError],
    [() => m.loadOrStore(3, null as never), TypeError],
  ];
  for (const [fn, E] of bad) assert.throws(fn, E);
  assert.deepEqual(contents(m), new Map([[1, { a: 1, s: "one" }]]));
  assert.throws(() => SyncMap.make(t.u32, t.u32, { shards: 3 }), { name: "RangeError", message: "gomap: SyncMap.make shards must be a power of two in 1..256, got 3 (number)" });
  assert.throws(() => SyncMap.make(t.u32, t.u32, { shards: 2.5 }), RangeError);
  // A count given as a string is not read as a number: "4" is refused, not taken as 4.
  assert.throws(() => SyncMap.make(t.u32, t.u32, { shards: "4" as never }), { name: "TypeError", message: 'gomap: SyncMap.make shards must be a power of two in 1..256, got "4" (string)' });
  assert.throws(() => SyncMap.make(t.u32, t.u32, { shards: NaN }), TypeError);
  assert.throws(() => SyncMap.make(t.u32, t.u32, { readers: 0 }), { name: "RangeError", message: "gomap: SyncMap.make readers must be an integer in 1..4096, got 0 (number)" });
  assert.throws(() => SyncMap.make(t.u32, t.u32, { readers: "8" as never }), TypeError);
  assert.throws(() => SyncMap.attach({ handle: "gomap.GoMap", version: 1 } as never), TypeError);
});

test("syncmap: every method given a bad key or value, and range given a bad or throwing callback, leaves every shard's heap and the locks byte for byte as they were, shards mid-growth too", () => {
  const V = t.struct({ a: t.u8, s: t.string, z: t.i64 });
  const good = { a: 1, s: "a value long enough for a block of its own" };
  // Good fields first, then a bad one; a lone surrogate, which check() leaves to the encoder.
  const badValues = [{ a: 1, s: "fine", z: 2n ** 63n }, { a: 1, s: "a value long enough to be staged \ud800" }, { a: 256 }, { q: 1 }, null];
  const badKeys = ["a key long enough to be stored in a block \ud800", "\udc00", 5, null];
  for (const fill of [0, 40, "until a shard grows"] as const) {
    const m = SyncMap.make(t.string, V, { shards: 4 });
    const key = (i: number): string => `key ${i}, long enough for a block of its own`;
    const store = (i: number): void => m.store(key(i), { a: i & 0xff, s: `value ${i}, long enough for a block of its own`, z: BigInt(i) });
    const growing = (): boolean => SyncMap.shardsOf(m).some((g) => g.inspect().growing);
    // Which shard a key goes to follows the seeds, so a fixed count may land between growths:
    // the last case stores past the first growth until a shard is caught in one.
    let n = 0;
    if (fill === "until a shard grows") {
      while ((n < 1000 || !growing()) && n < 20000) store(n++);
      assert.ok(growing(), "no shard was caught mid-growth");
    } else for (; n < fill; n++) store(n);
    // This thread's first read of each shard takes a reader slot in the locks, and a range
    // marks each shard iterated (Go's iterator flags): both done once, here.
    for (let i = 0; i < 64; i++) m.load(`warm ${i}`);
    m.range(() => {});
    const bytes = (): Buffer =>
      Buffer.concat([...SyncMap.shardsOf(m).map((g) => Buffer.from(new Uint8Array(g.share().heap))), Buffer.from(new Uint8Array(m.share().control))]);
    const calls: [string, () => unknown][] = [["range(5)", () => m.range(5 as never)], ["range throws", () => m.range(() => { throw new Error("f"); })]];
    for (const k of badKeys) {
      const bk = k as string;
      calls.push(
        [`load ${k}`, () => m.load(bk)], [`store ${k}`, () => m.store(bk, good)], [`swap ${k}`, () => m.swap(bk, good)],
        [`loadOrStore ${k}`, () => m.loadOrStore(bk, good)], [`loadAndDelete ${k}`, () => m.loadAndDelete(bk)], [`delete ${k}`, () => m.delete(bk)],
        [`compareAndSwap ${k}`, () => m.compareAndSwap(bk, good, good)], [`compareAndDelete ${k}`, () => m.compareAndDelete(bk, good)],
      );
    }
    for (const v of badValues) {
      const bv = v as typeof good;
      for (const k of [key(0), "absent"]) {
        calls.push([`store ${k}`, () => m.store(k, bv)], [`swap ${k}`, () => m.swap(k, bv)]);
        // (A lone surrogate is refused where it is stored: a swap that does not store is no error.)
        if (v !== badValues[1]) calls.push([`compareAndSwap ${k}`, () => m.compareAndSwap(k, good, bv)]);
        if (k === "absent" || n === 0) calls.push([`loadOrStore ${k}`, () => m.loadOrStore(k, bv)]);
      }
    }
    for (const [what, call] of calls) {
      // (A range of an empty map calls nothing, so its callback can't throw there.)
      if (what === "range throws" && n === 0) continue;
      const before = bytes();
      assert.throws(call, `n ${n}: ${what}`);
      assert.ok(bytes().equals(before), `n ${n}: ${what} changed the bytes`);
    }
    for (const g of SyncMap.shardsOf(m)) checkInvariants(g as GoMap<unknown, unknown, unknown, unknown>);
    m.store("absent", good);
    assert.deepEqual(m.load("absent"), { ...good, z: 0n });
  }
});

test("syncmap: the bounds of shards and readers are inclusive: 256 and 4096 are taken, 512 and 4097 refused", () => {
  assert.equal(SyncMap.shardsOf(SyncMap.make(t.u32, t.u32, { shards: 256 })).length, 256);
  assert.throws(() => SyncMap.make(t.u32, t.u32, { shards: 512 }), RangeError);
  const m = SyncMap.make(t.u32, t.u32, { shards: 1, readers: 4096 });
  m.store(1, 2);
  assert.equal(m.load(1), 2);
  assert.throws(() => SyncMap.make(t.u32, t.u32, { readers: 4097 }), { name: "RangeError", message: "gomap: SyncMap.make readers must be an integer in 1..4096, got 4097 (number)" });
});

test("syncmap: maxBytes bounds all shards together, not each: the heaps never pass it, and the store that would is refused", () => {
  const maxBytes = 256 * 1024;
  const m = SyncMap.make(t.u32, t.u32, { shards: 4, maxBytes });
  let stored = 0;
  assert.throws(() => {
    for (;; stored++) m.store(stored, stored);
  }, HeapExhaustedError);
  const total = SyncMap.shardsOf(m).reduce((sum, g) => sum + g.inspect().heap.capacity, 0);
  assert.ok(total <= maxBytes, `the shards' heaps hold ${total} bytes, maxBytes is ${maxBytes}`);
  assert.equal(m.load(stored), undefined, "the refused store left nothing");
  assert.equal(m.load(stored - 1), stored - 1);
});

test("syncmap: attach refuses a control buffer whose magic is wrong, even with the right version", () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 2 });
  const h = m.share();
  const control = new SharedArrayBuffer(h.control.byteLength);
  new Int32Array(control).set(new Int32Array(h.control));
  new Int32Array(control)[0] ^= 1;
  assert.throws(() => SyncMap.attach({ ...h, control }), { name: "TypeError", message: "gomap: attach: not a SyncMap control buffer (bad magic or version)" });
});

test("syncmap: loadOrStore of a key another thread stores between its read and its lock returns that value, loaded (Go's LoadOrStore)", () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 1 });
  const other = SyncMap.attach(m.share()); // as another thread would have it
  const load = m.load.bind(m);
  // The fast path's read misses; the other thread's store lands before the write lock is taken.
  m.load = (k: number) => {
    const v = load(k);
    other.store(k, 7);
    return v;
  };
  assert.deepEqual(m.loadOrStore(1, 9), [7, true], "the value the other thread stored, not ours");
  assert.equal(other.load(1), 7, "and it was not overwritten");
});

// --- many workers --------------------------------------------------------------------------

test("syncmap: 4 workers incrementing counters with CompareAndSwap lose no update", async () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 4 });
  const d = { task: "casCounter", map: m.share(), keys: 32, rounds: 150 };
  await runAll([d, d, d, d]);
  for (let k = 0; k < 32; k++) assert.equal(m.load(k), 4 * 150, `key ${k}`);
});

test("syncmap: 4 workers mixing every operation keep every runtime invariant of every shard", async () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 8 });
  const d = (seed: number) => ({ task: "mix", map: m.share(), seed, keys: 3000, ops: 15000 });
  await runAll([d(11), d(12), d(13), d(14)]);
  for (const s of SyncMap.shardsOf(m)) checkInvariants(s as AnyMap);
  const seen = contents(m);
  for (const [k, v] of seen) assert.ok(k < 3000 && v <= 1000);
});

test("syncmap: the linearizability checker accepts a legal history and rejects an illegal one", () => {
  const legal: Event[] = [["store", 0, 1, 0, null, 0, 3], ["load", 0, 0, 0, null, 1, 2], ["load", 0, 0, 0, 1, 4, 5]];
  assert.ok(linearizable(legal), "the first load may come before the overlapping store");
  const illegal: Event[] = [["store", 0, 1, 0, null, 0, 1], ["load", 0, 0, 0, null, 2, 3]];
  assert.ok(!linearizable(illegal), "a load after a store ended must see it");
  const cas: Event[] = [["cas", 0, 0, 1, true, 0, 1]];
  assert.ok(!linearizable(cas), "CompareAndSwap on a missing key can't succeed");
});

test("syncmap: per-key histories of 4 workers on a few keys are linearizable", async () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 2 });
  const clock = new SharedArrayBuffer(4);
  const d = (seed: number) => ({ task: "history", map: m.share(), clock, seed, keys: 3, ops: 120 });
  const histories = (await runAll([d(1), d(2), d(3), d(4)])) as Event[][];
  const all = histories.flat();
  assert.equal(all.length, 480);
  for (let k = 0; k < 3; k++) {
    const events = all.filter((e) => e[1] === k);
    assert.ok(linearizable(events), `key ${k}: ${events.length} events have no legal order`);
  }
});

test("syncmap: TestConcurrentRange: while 4 workers store, every Range sees each key once with v % k == 0", async () => {
  const mapSize = 1 << 10;
  const m = SyncMap.make(t.u32, t.f64);
  for (let k = 1; k <= mapSize; k++) m.store(k, k);
  const stop = new SharedArrayBuffer(4);
  const writers = [1, 2, 3, 4].map((g) => spawn({ task: "rangeWriter", map: m.share(), stop, g, keys: mapSize }));
  try {
    for (let n = 0; n < 20; n++) {
      const seen = new Set<number>();
      m.range((k, v) => {
        assert.equal(v % k, 0, `Range loaded value ${v} for key ${k}`);
        assert.ok(!seen.has(k), `Range visited key ${k} twice`);
        seen.add(k);
      });
      assert.equal(seen.size, mapSize, `Range visited ${seen.size} of ${mapSize} keys`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    Atomics.store(new Int32Array(stop), 0, 1);
  }
  for (const w of writers) assert.deepEqual(await w.outcome, { result: null });
});

test("syncmap: TestConcurrentClear: after stores, loads and clears in 4 workers, a final Clear leaves nothing", async () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 4 });
  const d = (seed: number) => ({ task: "mix", map: m.share(), seed, keys: 500, ops: 4000, clear: true });
  await runAll([d(21), d(22), d(23), d(24)]);
  for (const s of SyncMap.shardsOf(m)) checkInvariants(s as AnyMap);
  m.clear();
  assert.equal(contents(m).size, 0);
});

test("syncmap: a worker that exits holding a shard's write lock makes the others throw OwnerDeadError", async () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 1, name: "sessions" });
  m.store(1, 1);
  const holder = spawn({ task: "holdShard", map: m.share() });
  const { locked } = await holder.message("locked");
  await holder.exited;
  assert.throws(
    () => m.store(2, 2),
    (e) => e instanceof OwnerDeadError && e.message === `gomap: SyncMap "sessions" shard 0 is held by worker ${String(locked)}, which has exited; it will never be unlocked`,
  );
  assert.throws(() => m.load(1), OwnerDeadError, "readers wait on the writer word too");
});

test("syncmap: a handle attaches to the same map, struct types included", () => {
  const Point = t.struct({ x: t.f64, label: t.string });
  const m = SyncMap.make(t.string, Point, { shards: 4, name: "points" });
  m.store("a", { x: 1.5, label: "first" });
  const again = SyncMap.attach(structuredClone(m.share()));
  assert.deepEqual(again.load("a"), { x: 1.5, label: "first" });
  again.store("b", { x: -0 });
  assert.deepEqual(m.load("b"), { x: -0, label: "" });
  assert.equal(m.compareAndSwap("b", { x: 0 }, { x: 2 }), true, "struct values compare field by field with Go's ==");
  assert.deepEqual(again.load("b"), { x: 2, label: "" });
  assert.equal(again.name, 'SyncMap "points"');
  const bad = { ...m.share(), shards: m.share().shards.slice(1) };
  assert.throws(() => SyncMap.attach(bad), (e) => e instanceof TypeError && /needs 4 shard heaps/.test(e.message));
});

test("SyncMap: util.inspect shows its types and entries, at most maxArrayLength, without a count", () => {
  assert.equal(inspect(SyncMap.make(t.u32, t.u32)), "SyncMap [map[uint32]uint32] {}");
  const m = SyncMap.make(t.string, t.u32);
  m.store("a", 1);
  assert.equal(inspect(m), "SyncMap [map[string]uint32] { 'a' => 1 }");
  assert.equal(inspect({ x: { y: m } }, { depth: 1 }), "{ x: { y: [SyncMap [map[string]uint32]] } }");
  m.store("b", 2);
  m.store("c", 3);
  const shown = inspect(m, { maxArrayLength: 2 });
  assert.match(shown, /^SyncMap \[map\[string\]uint32\] \{ '[abc]' => [123], '[abc]' => [123], \.\.\. more items \}$/);
  assert.equal(inspect(m, { maxArrayLength: 3 }).includes("more items"), false, "all three fit");
  assert.deepEqual([m.load("a"), m.load("b"), m.load("c")], [1, 2, 3], "showing changed nothing");
});

test("SyncMap: new SyncMap(...) from JS is refused with a TypeError naming make and attach", () => {
  const Ctor = SyncMap as unknown as new (...args: unknown[]) => unknown;
  assert.throws(() => new Ctor(t.string, t.u32), {
    name: "TypeError",
    message: "gomap: SyncMap has no public constructor; make one with SyncMap.make(keyType, valueType) or SyncMap.attach(handle)",
  });
});

test("SyncMap.make refuses a type that is not a gomap type and unknown options", () => {
  const make = SyncMap.make as unknown as (...args: unknown[]) => unknown;
  assert.throws(() => make(t.string, "u32"), /^TypeError: gomap: the value type must be a gomap type/);
  assert.throws(() => make(t.string, t.u32, { shard: 4 }), {
    name: "TypeError",
    message: 'gomap: unknown SyncMap.make option "shard" (the options are shards, readers, maxBytes, name)',
  });
});

test("syncmap: range refuses a callback that is not a function, on an empty map too", () => {
  const m = SyncMap.make(t.string, t.u32);
  assert.throws(() => m.range(1 as unknown as () => boolean), /^TypeError: gomap: SyncMap.range wants a function, got 1 \(number\)$/);
  m.store("a", 1);
  assert.throws(() => m.range(null as unknown as () => boolean), /SyncMap.range wants a function, got null/);
  assert.equal(m.load("a"), 1);
});

test("syncmap: made with another map's keyType (a go1.19 map's, Go-hashed) works and shares like any other", () => {
  // SyncMap.make refused it ("type string is not one of gomap's types"), and GoMap.share()
  // refused a map whose value type was one.
  const goKey = GoMap.make(t.string, t.u32, { hash: "go1.19" }).keyType;
  const s = SyncMap.make(goKey, goKey, { shards: 4 });
  for (let i = 0; i < 50; i++) s.store(`k${i}`, `v${i}`);
  const there = SyncMap.attach(s.share());
  for (let i = 0; i < 50; i++) assert.equal(there.load(`k${i}`), `v${i}`);
  const m = GoMap.make(t.u32, goKey, { shared: true });
  m.set(1, "one");
  assert.equal(GoMap.attach(m.share()).get(1), "one");
});
