// Tests of src/sync/waitgroup.ts: wait() returns once every worker has called done(); Go's
// negative-counter error leaves the counter as it was; wait(timeoutMs) gives up.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError, WaitGroup } from "../../src/index.js";
import type { WaitGroupHandle } from "../../src/index.js";
import { spawn } from "./spawn.js";

test("waitgroup: wait() returns when 4 workers have each called done()", async () => {
  const wg = new WaitGroup();
  wg.add(4);
  const go = new Int32Array(new SharedArrayBuffer(4));
  const workers = [10, 30, 50, 70].map((delay) => spawn({ task: "done", wg: wg.share(), go: go.buffer, delay }));
  try {
    // Started first: a worker's start-up, seconds on a slow or busy machine, is not what wait()
    // is tested on. From the go, the workers call done() within their delays, and the 5 s
    // timeout only stops a wait() that would never return.
    await Promise.all(workers.map((w) => w.message("ready")));
    assert.equal(wg.count, 4, "no worker is done before the go");
  } finally {
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
  }
  assert.equal(wg.wait(5000), true);
  assert.equal(wg.count, 0);
  for (const w of workers) assert.deepEqual(await w.outcome, { result: null });
});

test("waitgroup: a negative counter throws Go's words and changes nothing; wait(timeout) gives up", () => {
  const wg = new WaitGroup();
  assert.equal(wg.wait(), true, "counter 0: no wait");
  wg.add(2);
  assert.throws(() => wg.add(-3), (e) => e instanceof GoMapError && e.message === "sync: negative WaitGroup counter");
  assert.equal(wg.count, 2);
  assert.equal(wg.wait(20), false);
  wg.done();
  wg.done();
  assert.throws(() => wg.done(), GoMapError);
  assert.throws(() => wg.add(1.5), TypeError);
  // A timeout that is not a number of ms would wait for ever ("100" joins Date.now() as a string).
  wg.add(1);
  for (const bad of ["100", NaN, -1, null]) assert.throws(() => wg.wait(bad as number), (e) => e instanceof TypeError && /WaitGroup.wait wants a timeout/.test(e.message));
  assert.equal(wg.wait(0), false);
  wg.done();
  assert.throws(() => WaitGroup.attach({ handle: "gomap.WaitGroup", version: 1, counter: new SharedArrayBuffer(4) } as WaitGroupHandle), TypeError);
});

test("waitgroup: a counter past 2^31 - 1 (the Int32Array word it lives in) is a RangeError, and the counter is left as it was", () => {
  const wg = new WaitGroup();
  wg.add(0x7fffffff);
  assert.throws(() => wg.add(1), (e) => e instanceof RangeError && e.message === "gomap: WaitGroup counter overflow");
  assert.equal(wg.count, 0x7fffffff);
  wg.add(-0x7fffffff);
  assert.equal(wg.count, 0);
  assert.equal(wg.wait(0), true);
});
