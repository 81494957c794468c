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
