// Hostile handles and overwritten bytes for the locks and SyncMap (hostile.test.ts does GoMap):
// attach() of a buffer that is not the kind it expects (not shared, wrong size, zeroed, random,
// another kind's) is a TypeError naming what it expected, not an attach that succeeds and waits
// for ever later; and bytes a buggy thread overwrote after attach end a call as Go would (its
// panic text) where they can, rather than leave it asleep. Calls that could wait run in a
// worker (hostile-locks-worker.ts) under a watchdog, which names the call that never returned.
import assert from "node:assert/strict";
import test from "node:test";
import { Worker } from "node:worker_threads";
import { GoMap, Mutex, RWMutex, SyncMap, WaitGroup, types as t } from "../../src/index.js";
import { seeded } from "./hostile-worker.js";
import type { LockOutcome } from "./hostile-locks-worker.js";

/** A call that takes longer than this (ms) is a hang: every call here takes a few ms. */
const CALL_LIMIT = 10_000;

/** A SharedArrayBuffer of n bytes of seeded random bytes. */
function random(n: number, seed: number): SharedArrayBuffer {
  const b = new SharedArrayBuffer(n);
  const next = seeded(seed);
  const u8 = new Uint8Array(b);
  for (let i = 0; i < n; i++) u8[i] = next() & 0xff;
  return b;
}

/** A copy of a shared buffer. */
function copy(b: SharedArrayBuffer): SharedArrayBuffer {
  const c = new SharedArrayBuffer(b.byteLength);
  new Uint8Array(c).set(new Uint8Array(b));
  return c;
}

const isAttachError = (e: unknown): boolean => e instanceof TypeError && e.message.startsWith("gomap: attach: ");

test("hostile locks: attach of a buffer that is not the lock's is a TypeError", () => {
  const mu = new Mutex().share();
  const rw = new RWMutex({ readers: 2 }).share();
  const wg = new WaitGroup().share();
  const sm = SyncMap.make(t.u32, t.u32, { shards: 2, readers: 2 });
  const control = sm.share().control;
  const heap = GoMap.make(t.u32, t.u32, { shared: true }).share().heap;
  const attaches: [string, (b: SharedArrayBuffer) => unknown, SharedArrayBuffer][] = [];
  const each = (what: string, attach: (b: SharedArrayBuffer) => unknown, own: SharedArrayBuffer, others: Record<string, SharedArrayBuffer>): void => {
    attaches.push([`${what}: zeroed`, attach, new SharedArrayBuffer(own.byteLength)]);
    attaches.push([`${what}: random`, attach, random(own.byteLength, 11)]);
    for (const [name, b] of Object.entries(others)) attaches.push([`${what}: ${name}'s buffer`, attach, b]);
  };
  each("Mutex", (lock) => Mutex.attach({ ...mu, lock }), mu.lock, { "a WaitGroup": wg.counter });
  each("WaitGroup", (counter) => WaitGroup.attach({ ...wg, counter }), wg.counter, { "a Mutex": mu.lock });
  each("RWMutex", (lock) => RWMutex.attach({ ...rw, lock }), rw.lock, { "a SyncMap control": control, "a GoMap heap": heap });
  for (const [what, attach, b] of attaches) assert.throws(() => attach(b), isAttachError, what);
  // Buffers that are not shared, or of the wrong size, were refused already.
  assert.throws(() => Mutex.attach({ ...mu, lock: new ArrayBuffer(8) as unknown as SharedArrayBuffer }), isAttachError);
  assert.throws(() => RWMutex.attach({ ...rw, lock: new SharedArrayBuffer(8) }), isAttachError);
  assert.throws(() => WaitGroup.attach({ ...wg, counter: new SharedArrayBuffer(4) }), isAttachError);
});

test("hostile locks: the locks made and attached here still work across attach", () => {
  const mu = new Mutex();
  Mutex.attach(structuredClone(mu.share())).lock();
  assert.equal(mu.tryLock(), false);
  mu.unlock();
  const rw = new RWMutex({ readers: 1 });
  RWMutex.attach(structuredClone(rw.share())).rlock();
  assert.equal(rw.tryLock(), false);
  const wg = new WaitGroup();
  WaitGroup.attach(structuredClone(wg.share())).add(2);
  assert.equal(wg.count, 2);
});

test("hostile SyncMap: a control buffer whose shards, readers or size are not what make writes is a TypeError; so are shard heaps given twice", () => {
  const m = SyncMap.make(t.u32, t.u32, { shards: 2, readers: 2 });
  const h = m.share();
  const withWord = (word: number, v: number): SharedArrayBuffer => {
    const c = copy(h.control);
    new Int32Array(c)[word] = v;
    return c;
  };
  const grown = new SharedArrayBuffer(h.control.byteLength + 64);
  new Uint8Array(grown).set(new Uint8Array(h.control));
  const cases: [string, object][] = [
    ["shards 3 (not a power of two), 3 heaps", { control: withWord(3, 3), shards: [...h.shards, GoMap.make(t.u32, t.u32, { shared: true }).share().heap] }],
    ["shards 0, no heaps", { control: withWord(3, 0), shards: [] }],
    ["readers 0", { control: withWord(4, 0) }],
    ["readers -2", { control: withWord(4, -2) }],
    ["readers past the buffer", { control: withWord(4, 1000) }],
    ["a buffer longer than its locks", { control: grown }],
    ["one heap for both shards", { shards: [h.shards[0], h.shards[0]] }],
    ["a GoMap handle's heap as control", { control: h.shards[0] }],
  ];
  for (const [what, change] of cases) assert.throws(() => SyncMap.attach({ ...h, ...change }), isAttachError, what);
  assert.throws(() => SyncMap.attach(GoMap.make(t.u32, t.u32, { shared: true }).share() as never), /expected a gomap.SyncMap handle, got a gomap.GoMap handle/);
  assert.equal(SyncMap.attach(structuredClone(h)).load(1), undefined);
});

/** Runs `call` on `handle` in a worker; its outcome, or { hung } when it ran past CALL_LIMIT. */
function inWorker(call: string, handle: unknown, meanwhile?: () => Promise<void>): Promise<LockOutcome & { hung?: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./hostile-locks-worker.js", import.meta.url), { workerData: { call, handle } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ hung: true });
    }, CALL_LIMIT);
    worker.on("message", (m: { started?: true; outcome?: LockOutcome }) => {
      if (m.started === true) void meanwhile?.().catch(reject);
      if (m.outcome === undefined) return;
      clearTimeout(timer);
      void worker.terminate();
      resolve(m.outcome);
    });
    worker.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

test("hostile bytes: wait() on a WaitGroup whose counter went negative throws Go's panic text", async () => {
  const wg = new WaitGroup();
  new Int32Array(wg.share().counter)[0] = -3;
  const o = await inWorker("WaitGroup.wait", wg.share());
  assert.equal(o.hung, undefined, "wait() slept for ever");
  assert.equal(o.error, "GoMapError: sync: negative WaitGroup counter");
});

test("hostile bytes: the done() that takes the counter to 0 wakes wait() though its sleepers word went negative", async () => {
  const wg = new WaitGroup();
  wg.add(1);
  const words = new Int32Array(wg.share().counter);
  const o = await inWorker("WaitGroup.wait", wg.share(), async () => {
    while (Atomics.load(words, 1) === 0) await new Promise((r) => setTimeout(r, 2)); // asleep in wait()
    Atomics.sub(words, 1, 2); // a buggy thread's write: one sleeper, counted as -1
    wg.done();
  });
  assert.equal(o.hung, undefined, "wait() was never woken");
  assert.equal(o.result, true);
});
