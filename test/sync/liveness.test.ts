// Tests of src/sync/liveness.ts: the registry's dead bits, watchWorker marking an exited
// worker in every registry this thread knows, and adopting a registry from a handle.
import assert from "node:assert/strict";
import test from "node:test";
import { Registry, adoptRegistry, registry, watchWorker, MAX_THREADS } from "../../src/sync/liveness.js";
import { Worker } from "node:worker_threads";

test("liveness: a registry records dead threadIds, and nothing outside its range", () => {
  const r = Registry.create();
  assert.equal(r.isDead(5), false);
  r.markDead(5);
  r.markDead(MAX_THREADS - 1);
  r.markDead(MAX_THREADS);
  assert.equal(r.isDead(5), true);
  assert.equal(r.isDead(4), false);
  assert.equal(r.isDead(6), false);
  assert.equal(r.isDead(MAX_THREADS - 1), true);
  assert.equal(r.isDead(MAX_THREADS), false);
  assert.equal(new Registry(r.buffer).isDead(5), true, "the bits are in the buffer");
  assert.throws(() => new Registry(new SharedArrayBuffer(16)), TypeError);
  assert.throws(() => new Registry(new SharedArrayBuffer(r.buffer.byteLength)), TypeError);
  const wrongMagic = new SharedArrayBuffer(r.buffer.byteLength);
  new Int32Array(wrongMagic).set(new Int32Array(r.buffer, 0, 2));
  new Int32Array(wrongMagic)[0] ^= 1; // the version stays right
  assert.throws(() => new Registry(wrongMagic), { name: "TypeError", message: "gomap: attach: not a liveness registry (bad magic or version)" });
});

test("liveness: watchWorker marks an exited worker dead in every registry this thread knows", async () => {
  const mine = registry();
  const other = adoptRegistry(Registry.create().buffer);
  assert.equal(adoptRegistry(other.buffer), other, "adopting twice gives the same registry");
  const w = watchWorker(new Worker("process.exit(0)", { eval: true }));
  const id = w.threadId;
  assert.equal(mine.isDead(id), false);
  await new Promise((r) => w.once("exit", r));
  assert.equal(mine.isDead(id), true);
  assert.equal(other.isDead(id), true);
});

/**
 * Runs `workers` workers that see no process.getBuiltinModule, as Web Workers (or Node before
 * 20.16) see none, so gomap finds no node:worker_threads threadId in them. Each passes a
 * barrier, then takes `mu` (a Mutex) and `rw` (an RWMutex, for writing, and for reading in
 * between) `rounds` times, adding to a plain counter under each, then checks that a Lock of
 * the Mutex it holds is refused. Returns each worker's error, or null.
 */
async function threadsWithoutThreadId(workers: number, rounds: number): Promise<{ errors: (string | null)[]; counts: Int32Array }> {
  const { Mutex, RWMutex } = await import("../../src/index.js");
  const mu = new Mutex({ name: "tagless" });
  const rw = new RWMutex({ name: "tagless rw" });
  const shared = new Int32Array(new SharedArrayBuffer(12)); // barrier, mutex count, rwmutex count
  const index = new URL("../../src/index.js", import.meta.url).href;
  const code = `
const { parentPort, workerData } = require("node:worker_threads");
delete process.getBuiltinModule; // as in a browser: gomap finds no threadId
import(${JSON.stringify(index)}).then(({ Mutex, RWMutex }) => {
  try {
    const mu = Mutex.attach(workerData.mu);
    const rw = RWMutex.attach(workerData.rw);
    const s = new Int32Array(workerData.shared);
    Atomics.add(s, 0, 1);
    while (Atomics.load(s, 0) < workerData.workers) Atomics.wait(s, 0, Atomics.load(s, 0), 1);
    for (let i = 0; i < workerData.rounds; i++) {
      mu.lock(); s[1] = s[1] + 1; mu.unlock();
      rw.lock(); s[2] = s[2] + 1; rw.unlock();
      rw.rlock(); if (s[2] < 1) throw new Error("read before any write"); rw.runlock();
    }
    // Its own holds are still told from others': a re-entrant Lock throws rather than hangs.
    mu.lock();
    try { mu.lock(); parentPort.postMessage("a re-entrant Lock was taken"); return; } catch (e) { if (e.name !== "GoMapError") throw e; }
    mu.unlock();
    parentPort.postMessage(null);
  } catch (e) {
    parentPort.postMessage(e.name + ": " + e.message);
  }
});`;
  const errors = await Promise.all(
    Array.from({ length: workers }, () => {
      const w = new Worker(code, { eval: true, workerData: { mu: mu.share(), rw: rw.share(), shared: shared.buffer, workers, rounds } });
      return new Promise<string | null>((resolve, reject) => {
        w.once("message", (m: string | null) => {
          void w.terminate();
          resolve(m);
        });
        w.once("error", reject);
      });
    }),
  );
  return { errors, counts: shared };
}

test("liveness: threads with no threadId (Web Workers) get tags of their own, so a Mutex and an RWMutex exclude, not refuse, each other", async () => {
  const { errors, counts } = await threadsWithoutThreadId(3, 3000);
  assert.deepEqual(errors, [null, null, null]);
  assert.equal(counts[1], 9000, "every Mutex-guarded increment counted");
  assert.equal(counts[2], 9000, "every RWMutex-guarded increment counted");
});
