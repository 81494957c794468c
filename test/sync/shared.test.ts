// Tests of a GoMap shared between worker threads (gomap.ts's shared option, share, attach;
// runtime/writing.ts's atomic hashWriting; memory/heap.ts's sync): the same bytes seen from
// every thread, growth seen without attaching again, maxBytes, handles refused when malformed,
// Go's concurrent-use checks firing across threads without corrupting anything, readers in
// many workers at once never disturbing each other (Go's TestConcurrentReadsAfterGrowth), and
// plain maps kept consistent by a Mutex or an RWMutex around them.
import assert from "node:assert/strict";
import test from "node:test";
import util from "node:util";
import { GoMap, GoMapError, HeapExhaustedError, Mutex, RWMutex, StaleRefError, SyncMap, inspect, types as t } from "../../src/index.js";
import type { GoMapHandle } from "../../src/index.js";
import { Hmap32 } from "../../src/runtime/layout.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { runAll, spawn } from "./spawn.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

test("shared: a worker's writes, and the heap growth they cause, are seen here without attaching again", async () => {
  const m = GoMap.make(t.u32, t.string, { shared: true });
  const before = m.inspect().heap.capacity;
  const [size] = await runAll([{ task: "fill", map: m.share(), from: 0, to: 20000 }]);
  assert.equal(size, 20000);
  assert.equal(m.size, 20000);
  assert.ok(m.inspect().heap.capacity > before, "the worker grew the heap");
  for (let i = 0; i < 20000; i += 97) assert.equal(m.get(i), `value ${i}`);
  assert.deepEqual(m.lookup(19999), ["value 19999", true]);
  assert.equal(m.get(20000), undefined);
  assert.equal([...m.keys()].length, 20000);
  checkInvariants(m as AnyMap);
});

test("shared: a worker attached before this thread grew the heap sees every entry", async () => {
  const m = GoMap.make(t.u32, t.string, { shared: true });
  const handle = m.share();
  for (let i = 0; i < 30000; i++) m.set(i, `value ${i}`);
  const found = await runAll([{ task: "count", map: handle, n: 30000 }, { task: "count", map: handle, n: 30000 }]);
  assert.deepEqual(found, [30000, 30000]);
});

test("shared: a worker attaches maps of float32, int16, int8 and float64 and makes only the views they read", async () => {
  // A heap makes the i8/i16/f32/f64 views only for the types that read them (memory/heap.ts
  // View): the worker's heap, made by attach from the handle's types, must make the same ones.
  const m = GoMap.make(t.f32, t.i16, { shared: true });
  for (let i = 0; i < 100; i++) m.set(i + 0.5, -i);
  const Entry = t.struct({ a: t.i8, b: t.f64 });
  const s = SyncMap.make(t.f32, Entry);
  s.store(1.5, { a: -3, b: 2.25 });
  const [r] = (await runAll([{ task: "floats", map: m.share(), sync: s.share() }])) as { got: unknown[]; views: string[] }[];
  assert.deepEqual(r.got, [0, -99, { a: -3, b: 2.25 }]);
  assert.deepEqual(r.views, ["i16", "f32"]);
  assert.equal(m.size, 3000);
  for (let i = 0; i < 3000; i++) assert.equal(m.get(i + 0.5), i < 100 ? -i || 0 : (i % 60000) - 30000);
  assert.deepEqual(s.load(2.5), { a: -100, b: -1.5 });
  checkInvariants(m as AnyMap);
});

test("shared: two handles in one thread are the same map; attach rebuilds every type", () => {
  const User = t.struct({ name: t.string, age: t.u8, score: t.f64, id: t.bytes(4), big: t.i64.asNumber, ok: t.bool });
  const m = GoMap.make(t.string, User, { shared: true });
  m.set("alice", { name: "Alice", age: 30, score: 1.5, id: new Uint8Array([1, 2, 3, 4]), big: -5, ok: true });
  const again = GoMap.attach(structuredClone(m.share()));
  assert.deepEqual(again.get("alice"), m.get("alice"));
  again.set("bob", { age: 7 });
  assert.equal(m.get("bob")?.age, 7);
  assert.equal(m.size, 2);
  assert.ok(again.isShared && m.isShared);
  for (const [kt, vt] of [[t.u64, t.i8], [t.f32, t.u16], [t.u64.asNumber, t.i32], [t.bytes(16), t.f64], [t.i16, t.u32]] as const) {
    const a = GoMap.make(kt, vt, { shared: true });
    const b = GoMap.attach(a.share());
    assert.equal(b.keyType, kt, `${kt.name} decodes to the package's own descriptor`);
    assert.equal(b.valueType, vt);
  }
});

test("shared: maxBytes bounds the shared heap; the write that would pass it throws and loses nothing", () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true, maxBytes: 64 * 1024 });
  let i = 0;
  assert.throws(() => {
    for (;; i++) m.set(i, i);
  }, HeapExhaustedError);
  assert.equal(m.size, i, "every write before the failing one is there");
  for (let k = 0; k < i; k += 13) assert.equal(m.get(k), k);
  assert.equal(m.get(i), undefined, "the failed key is not");
  assert.ok(m.inspect().heap.capacity <= 64 * 1024);
  checkInvariants(m as AnyMap);
  // An attached map keeps the bound: it is the buffer's own maxByteLength.
  const small = GoMap.make(t.u32, t.u32, { shared: true, maxBytes: 64 * 1024 });
  const other = GoMap.attach(small.share());
  assert.throws(() => {
    for (let k = 0; ; k++) other.set(k, k);
  }, HeapExhaustedError);
  assert.equal(small.size, other.size);
  assert.ok(small.inspect().heap.capacity <= 64 * 1024);
});

test("shared: share() needs a shared map; attach() refuses anything but a handle of this release", () => {
  assert.throws(() => GoMap.make(t.u32, t.u32).share(), {
    name: "GoMapError",
    message: "gomap: share: the map is not shared; make it with GoMap.make(K, V, { shared: true }) (or load it with { shared: true }), or send a copy with toBytes()",
  });
  // A map loaded without the option is told the way round a loaded map has.
  assert.throws(() => GoMap.fromBytes(GoMap.make(t.u32, t.u32).set(1, 2).toBytes(), t.u32, t.u32).share(), { name: "GoMapError", message: /\(or load it with \{ shared: true \}\)/ });
  assert.throws(() => GoMap.nil(t.u32, t.u32).share(), (e) => e instanceof GoMapError && /a nil map has no heap to share/.test(e.message));
  assert.throws(() => GoMap.make(hashedBy(t.u32, () => 0n), t.u32, { shared: true }).share(), TypeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { shared: 1 as unknown as boolean }), TypeError);
  const good = GoMap.make(t.u32, t.u32, { shared: true }).share();
  const bad: [unknown, RegExp][] = [
    [null, /handle/],
    [{ ...good, handle: "gomap.Mutex" }, /expected a gomap.GoMap handle/],
    [{ ...good, version: 99 }, /version 99/],
    [{ ...good, heap: new ArrayBuffer(1024) }, /SharedArrayBuffer/],
    [{ ...good, heap: new SharedArrayBuffer(1024) }, /not a gomap heap/],
    [{ ...good, key: { kind: "u128" } }, /unknown type kind/],
    [{ ...good, value: { kind: "struct", fields: [["a"]] } }, /field code/],
  ];
  for (const [h, msg] of bad) assert.throws(() => GoMap.attach(h as GoMapHandle), (e) => e instanceof TypeError && msg.test(e.message), String(msg));
});

test("shared: attach() refuses a handle whose types are not the map's, and the map is left as it was", () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  for (let i = 0; i < 100; i++) m.set(i, i * 2);
  const good = m.share();
  const before = m.toBytes();
  const others: [string, unknown, unknown][] = [
    ["key", { kind: "u64" }, good.value],
    ["key", { kind: "i32" }, good.value],
    ["value", good.key, { kind: "string" }],
    ["value", good.key, { kind: "u16" }],
    ["value", good.key, { kind: "struct", fields: [["a", { kind: "u32" }]] }],
  ];
  for (const [what, key, value] of others) {
    assert.throws(
      () => GoMap.attach({ ...good, key, value } as GoMapHandle),
      (e) => e instanceof TypeError && /the handle describes a map\[\w+\][\w{} ]+, but the shared map was made with other key or value types/.test(e.message),
      `a handle with another ${what} type`,
    );
  }
  assert.deepEqual(m.toBytes(), before, "nothing was written");
  // A 64-bit integer read as a number is the same Go type: its handle attaches.
  const big = GoMap.make(t.u64, t.u32, { shared: true });
  big.set(7n, 1);
  assert.equal(GoMap.attach({ ...big.share(), key: { kind: "u64.asNumber" } } as GoMapHandle).get(7), 1);
  // A heap from before the types were recorded (digest 0) is taken on the handle's word.
  const old = GoMap.make(t.u32, t.u32, { shared: true });
  old.set(1, 2);
  new Uint32Array(old.share().heap)[Hmap32.types] = 0;
  assert.equal(GoMap.attach({ ...old.share(), value: { kind: "i32" } } as GoMapHandle).get(1), 2);
});

test("shared: attach(handle, K, V) gives a map of K and V, reading as they read (a u64 as a number, say), and refuses types that are not the map's before reading anything", () => {
  const Hits = t.struct({ n: t.u32, last: t.i64 });
  const m = GoMap.make(t.u64, Hits, { shared: true });
  m.set(7n, { n: 1, last: 5n });
  // What a worker's workerData holds: a handle of no types TypeScript knows.
  const h = structuredClone(m.share()) as GoMapHandle;
  const a = GoMap.attach(h, t.u64.asNumber, Hits);
  assert.deepEqual([...a.keys()], [7]);
  assert.deepEqual(a.get(7), { n: 1, last: 5n });
  a.set(8, { n: 2 });
  assert.deepEqual(m.get(8n), { n: 2, last: 0n });
  assert.equal(a.keyType, t.u64.asNumber);
  assert.equal(a.valueType, Hits);
  // A struct of the same fields, made apart, is the same Go type.
  assert.equal(GoMap.attach(h, t.u64, t.struct({ n: t.u32, last: t.i64 })).size, 2);
  const before = m.toBytes();
  for (const [kt, vt] of [[t.u32, Hits], [t.u64, t.struct({ n: t.u32 })], [t.u64, t.u32]] as const) {
    assert.throws(() => GoMap.attach(h, kt, vt), {
      name: "TypeError",
      message: `gomap: attach: the shared map is a map[uint64]${Hits.name}, not a map[${kt.name}]${vt.name}`,
    });
  }
  assert.throws(() => GoMap.attach(h, t.u64 as unknown as typeof t.u32, undefined as unknown as typeof t.u32), TypeError);
  assert.throws(() => GoMap.attach(h, "u64" as unknown as typeof t.u32, Hits), TypeError);
  assert.deepEqual(m.toBytes(), before, "nothing was written");
  // A go1.19-hashed map: the types given are its base types; the map hashes as its maker chose.
  const g = GoMap.make(t.string, t.u32, { shared: true, hash: "go1.19" });
  for (let i = 0; i < 300; i++) g.set(`k${i}`, i);
  const otherGo = GoMap.make(t.string, t.u32, { hash: "go1.19", hashKey: 0x99n }).keyType;
  for (const kt of [t.string, otherGo]) {
    const ga = GoMap.attach(structuredClone(g.share()) as GoMapHandle, kt, t.u32);
    for (let i = 0; i < 300; i++) assert.equal(ga.get(`k${i}`), i);
  }
});

test("shared: SyncMap.attach(handle, K, V) alike: a SyncMap of K and V, or a TypeError for other types", () => {
  const sm = SyncMap.make(t.u64, t.u32);
  sm.store(3n, 4);
  const h = structuredClone(sm.share()) as unknown as ReturnType<typeof sm.share>;
  const a = SyncMap.attach(h, t.u64.asNumber, t.u32);
  assert.equal(a.load(3), 4);
  a.store(5, 6);
  assert.equal(sm.load(5n), 6);
  assert.throws(() => SyncMap.attach(h, t.u32, t.u32), { name: "TypeError", message: "gomap: attach: the shared map is a map[uint64]uint32, not a map[uint32]uint32" });
});

test("shared: TestConcurrentReadsAfterGrowth: after each insert, 4 workers range and look up at once, and all agree", async () => {
  // Go's test: 10 maps grown 250 inserts each; after every insert, readers range over the map
  // and look up every key inserted before, all at once, while no one writes. Reads never
  // change the map, so none of them may see another's work as a write, or miss anything.
  const numLoop = 10;
  const numGrowStep = 250;
  const readers = 4;
  const maps = Array.from({ length: numLoop }, () => GoMap.make(t.i64.asNumber, t.i64.asNumber, { shared: true }));
  const ctl = new Int32Array(new SharedArrayBuffer(5 * 4));
  const running = Array.from({ length: readers }, () => spawn({ task: "readsAfterGrowth", maps: maps.map((m) => m.share()), ctl: ctl.buffer }));
  const wait = (index: number, want: number): void => {
    const deadline = Date.now() + 30_000;
    for (let v = Atomics.load(ctl, index); v < want; v = Atomics.load(ctl, index)) {
      assert.ok(Date.now() < deadline, `waited 30 s for ctl[${index}] = ${want}, it is ${v}`);
      Atomics.wait(ctl, index, v, 100);
    }
  };
  while (Atomics.load(ctl, 2) < readers) await new Promise((r) => setTimeout(r, 10));
  let step = 0;
  try {
    for (let loop = 0; loop < numLoop; loop++) {
      const m = maps[loop];
      for (let gs = 0; gs < numGrowStep; gs++) {
        m.set(gs, gs);
        Atomics.store(ctl, 1, 0);
        Atomics.store(ctl, 3, loop);
        Atomics.store(ctl, 4, gs);
        Atomics.store(ctl, 0, ++step);
        Atomics.notify(ctl, 0);
        wait(1, readers);
      }
      checkInvariants(m as AnyMap);
      assert.equal(m.size, numGrowStep);
    }
  } finally {
    Atomics.store(ctl, 0, -1);
    Atomics.notify(ctl, 0);
  }
  for (const r of running) {
    const o = await r.outcome;
    assert.equal(o.error, undefined, JSON.stringify(o.error));
    assert.deepEqual(o.result, { problems: [], steps: numLoop * numGrowStep });
  }
});

test("shared: unsynchronised writers in 4 workers get 'concurrent map writes', and the map stays whole", async () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  const ctl = new SharedArrayBuffer(8);
  const most = 2_000_000;
  const data = (seed: number) => ({ task: "racy", map: m.share(), seed, ctl, workers: 4, ops: 40000, most, keys: 20000, until: "concurrent map writes", ends: true });
  const results = (await runAll([data(1), data(2), data(3), data(4)])) as Record<string, number>[];
  const writes = results.reduce((n, r) => n + (r["concurrent map writes"] ?? 0), 0);
  assert.ok(writes > 0, `at least one overlap was caught: ${JSON.stringify(results)}`);
  // A writer that loses the race on the flag throws before touching anything, so no two
  // writes ever interleave and every invariant holds afterwards.
  checkInvariants(m as AnyMap);
  let seen = 0;
  for (const [k, v] of m) {
    assert.ok(k < 20000 && v < most);
    seen++;
  }
  assert.equal(seen, m.size);
});

test("shared: a reader overlapping a writer in another worker gets 'concurrent map read and map write'", async () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  const ctl = new SharedArrayBuffer(8);
  // The readers go on, past 60,000 reads, until one of them has caught the error.
  const until = "concurrent map read and map write";
  const data = (seed: number, readOnly: boolean) => ({ task: "racy", map: m.share(), seed, ctl, workers: 4, ops: 60000, most: 3_000_000, keys: 50000, readOnly, until, ends: readOnly });
  const results = (await runAll([data(1, false), data(2, true), data(3, true), data(4, false)])) as Record<string, number>[];
  const reads = results[1][until] ?? 0;
  const reads2 = results[2][until] ?? 0;
  assert.ok(reads + reads2 > 0, `a read overlapping a write was caught: ${JSON.stringify(results)}`);
  checkInvariants(m as AnyMap);
});

for (const rw of [false, true]) {
  test(`shared: writers under ${rw ? "an RWMutex" : "a Mutex"} in 4 workers lose no update and keep every invariant`, async () => {
    const lock = rw ? new RWMutex({ name: "around the map" }) : new Mutex({ name: "around the map" });
    const m = GoMap.make(t.u32, t.u32, { shared: true });
    const counter = new SharedArrayBuffer(4);
    const ops = 3000;
    const d = { task: "locked", rw, lock: lock.share(), counter, map: m.share(), ops };
    const writes = (await runAll([d, d, d, d])) as number[];
    const total = writes.reduce((a, b) => a + b, 0);
    if (!rw) assert.equal(total, 4 * ops);
    assert.ok(total > 0);
    assert.equal(new Int32Array(counter)[0], total, "every increment under the lock survived");
    checkInvariants(m as AnyMap);
    assert.ok(m.size > 0 && m.size <= 5000);
  });
}

test("shared: on one thread a shared map keeps Go's re-entrancy checks, and a refused write changes nothing", () => {
  const m = GoMap.make(t.u32, t.string, { shared: true, hint: 100 });
  for (let i = 0; i < 50; i++) m.set(i, `v${i}`);
  assert.throws(() => m.update(1, () => { m.set(99, "x"); }), (e) => e instanceof GoMapError && e.message === "concurrent map writes");
  assert.throws(() => m.update(1, () => { m.get(2); }), (e) => e instanceof GoMapError && e.message === "concurrent map read and map write");
  assert.throws(() => m.update(1, () => { m.lookup(2); }), GoMapError);
  assert.equal(m.get(99), undefined);
  assert.equal(m.get(1), "v1");
  assert.equal(m.update(1, () => "one"), "one", "the flag was cleared after the refusals");
  const it = m.keys();
  it.next();
  assert.throws(() => m.update(3, () => { it.next(); }), (e) => e instanceof GoMapError && e.message === "concurrent map iteration and map write");
  // A view taken through another handle of the same map: its epoch never hears of writes
  // made through `m`, so on a shared map the view re-checks its slot on every use.
  const r = GoMap.attach(m.share()).ref(5);
  r.value = "five";
  assert.equal(m.get(5), "five");
  for (let i = 50; i < 2000; i++) m.set(i, `v${i}`); // growth moves entry 5
  assert.throws(() => r.value, StaleRefError);
  checkInvariants(m as AnyMap);
});

test("shared: a second view of the heap follows a growth made through the first (Heap.sync)", () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  const other = GoMap.attach(m.share());
  const cap = other.inspect().heap.capacity;
  for (let i = 0; i < 50000; i++) m.set(i, i);
  assert.ok(m.inspect().heap.capacity > cap);
  // `other` made its views before the growth; every read syncs them first.
  assert.equal(other.get(49999), 49999);
  assert.deepEqual(other.lookup(123), [123, true]);
  assert.equal(other.has(50000), false);
  let n = 0;
  other.forEach(() => n++);
  assert.equal(n, 50000);
  other.set(50000, 1); // a write syncs too, once it holds the flag
  assert.equal(m.get(50000), 1);
  other.delete(0);
  assert.equal(m.has(0), false);
  m.clear();
  assert.equal(other.size, 0);
  checkInvariants(other as AnyMap);
});

test("shared: inspecting a map whose heap another handle grew reads the grown heap (Heap.sync)", () => {
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  const other = GoMap.attach(m.share());
  for (let i = 0; i < 5000; i++) other.set(i, i);
  const s = m.inspect();
  assert.equal(s.count, 5000);
  assert.equal(s.B, other.inspect().B);
  assert.equal(inspect.bucket(m, 0).chain.length, inspect.bucket(other, 0).chain.length);
});

for (const [how, what] of [["get", "a get"], ["has", "a has"], ["iterate", "an iteration"]] as const) {
  test(`shared: ${what} that walks a bucket a writer freed and reused, whose bytes link it to itself, throws instead of hanging`, { timeout: 20_000 }, async () => {
    // The README promises that a read racing a write may return a wrong answer but never
    // hangs. A reader holding the offset of a bucket that a writer in another thread freed
    // meanwhile reads whatever took its place: a string's bytes can say anything, a link to
    // the bucket itself included. The walk is bounded by the buckets the heap can hold, so
    // such a read ends with Go's error for a read (or iteration) that met a write.
    // The watchdog times the walk alone, from the worker's word that it starts: the worker's
    // start-up and the map's set-up, seconds on a slow or busy machine, are not the read under
    // test. The walk itself takes microseconds, so 5 s of it is a hang.
    const w = spawn({ task: "staleChain", how });
    await w.message("walking");
    const timer = new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 5000).unref());
    const outcome = await Promise.race([w.outcome, timer]);
    if (outcome === "hung") await w.worker.terminate();
    const want = how === "iterate" ? "concurrent map iteration and map write" : "concurrent map read and map write";
    assert.deepEqual(outcome, { error: { name: "GoMapError", message: want } });
  });
}

/**
 * Ranges over m (filled with keys 0..999) while its first 49 steps each set 200 new keys through
 * `other`, a handle of the same map in this thread: every key present for the whole loop must
 * come once, with its value, and the map must keep its invariants.
 */
function rangeWhileOtherWrites(m: GoMap<number, string>, other: GoMap<number, string>): void {
  const seen = new Map<number, number>();
  let n = 0;
  for (const [k, v] of m) {
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (k < 1000) assert.equal(v, `value number ${k}, long enough for a block`);
    if (++n < 50) for (let j = 0; j < 200; j++) other.set(100_000 + n * 1000 + j, `another value, long enough ${j}`);
  }
  for (let i = 0; i < 1000; i++) assert.equal(seen.get(i), 1, `key ${i} returned once`);
  for (const [k, times] of seen) assert.equal(times, 1, `key ${k} returned once`);
  checkInvariants(m as AnyMap);
}
test("shared: a map attached twice in one thread is one map to an iteration: writes through one handle during a for..of over the other, as Go allows, lose no entry", () => {
  // Go's rule: an entry present for the whole loop is returned exactly once, even while the
  // loop's body writes (here enough to grow the map twice over). An iterator keeps the
  // buckets it may still read from being freed; writes through the other handle must honour
  // that too, since both are this thread's view of one map.
  const m = GoMap.make(t.u32, t.string, { shared: true });
  const other = GoMap.attach(m.share());
  for (let i = 0; i < 1000; i++) m.set(i, `value number ${i}, long enough for a block`);
  rangeWhileOtherWrites(m, other);
});

test("shared: a map loaded with { shared: true } and attached in the same thread is one map to an iteration too (load enters its heap as make does)", () => {
  const saved = GoMap.make(t.u32, t.string);
  for (let i = 0; i < 1000; i++) saved.set(i, `value number ${i}, long enough for a block`);
  const m = GoMap.fromBytes(saved.toBytes(), t.u32, t.string, { shared: true });
  rangeWhileOtherWrites(m, GoMap.attach(m.share(), t.u32, t.string));
});

test("shared: a clear() through one handle ends a for..of over another handle of this thread, as it ends one over its own", () => {
  // Both handles are this thread's view of one map, so a clear in the loop body is Go's clear
  // during range. The iteration would otherwise walk the zeroed array, whose pool end mark
  // leads back to bucket 0 (clear.ts), and keep the heap held after the clear freed it.
  for (const when of [1, 300]) {
    const m = GoMap.make(t.u32, t.string, { shared: true, maxBytes: 1 << 20 });
    const other = GoMap.attach(m.share());
    for (let i = 0; i < 2000; i++) m.set(i, `value number ${i}, long enough for a block`);
    const seen = new Set<number>();
    let n = 0;
    for (const [k] of m) {
      assert.ok(!seen.has(k), `key ${k} returned twice`);
      seen.add(k);
      if (++n === when) {
        other.clear();
        for (let j = 0; j < 2000; j++) other.set(10_000 + j, `after the clear, long enough ${j}`);
      }
    }
    assert.equal(n, when, "the clear ended the iteration");
    assert.equal(hmapOf(m)!.heap.held, false, "and gave back its hold");
    checkInvariants(m as AnyMap);
  }
});

test("shared: one handle that arrived by message (a SharedArrayBuffer object of its own), attached twice in one thread, is one map to an iteration", () => {
  // structuredClone gives another SharedArrayBuffer object over the same memory, as a message
  // from another worker does: the first attach() registers its Heap, and the second must
  // find it, so that writes through either handle honour the other's iteration.
  const m = GoMap.make(t.u32, t.string, { shared: true });
  for (let i = 0; i < 1000; i++) m.set(i, `value number ${i}, long enough for a block`);
  const handle = structuredClone(m.share());
  assert.notEqual(handle.heap, m.share().heap);
  const a = GoMap.attach(handle);
  const b = GoMap.attach(handle);
  rangeWhileOtherWrites(a, b);
});

test("shared: update, ref and util.inspect, as this thread's first call after a worker grew the heap, see the worker's entries", async () => {
  const maps = [0, 1, 2].map(() => GoMap.make(t.u32, t.string, { shared: true }));
  await runAll(maps.map((m) => ({ task: "fill", map: m.share(), from: 0, to: 20000 })));
  const [a, b, c] = maps;
  assert.equal(a.update(19999, (v) => `${v}!`), "value 19999!");
  assert.equal(a.get(19999), "value 19999!");
  const r = b.ref(19998);
  assert.equal(r.value, "value 19998");
  r.value = "changed";
  assert.equal(b.get(19998), "changed");
  assert.match(util.inspect(c, { maxArrayLength: 1, breakLength: Infinity }), /^GoMap\(20000\) \[map\[uint32\]string\] \{ \d+ => 'value \d+', \.\.\. 19999 more items \}$/);
  for (const m of maps) checkInvariants(m as AnyMap);
});
