// Tests of src/sync/mutex.ts: Go's Mutex rules (unlock of an unlocked mutex, TryLock), the
// JS-thread rule (relocking on the holding thread throws rather than hangs), handles, and a
// lock whose owner dies (process.exit in the worker, or terminate() from outside) making its
// waiters throw OwnerDeadError naming the lock and the worker.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError, Mutex, OwnerDeadError } from "../../src/index.js";
import type { MutexHandle } from "../../src/index.js";
import { spawn, until } from "./spawn.js";

test("mutex: lock, unlock, tryLock; unlock of an unlocked mutex throws Go's words", () => {
  const mu = new Mutex();
  assert.equal(mu.tryLock(), true);
  assert.equal(mu.tryLock(), false, "held");
  mu.unlock();
  mu.lock();
  mu.unlock();
  assert.throws(() => mu.unlock(), (e) => e instanceof GoMapError && e.message === "sync: unlock of unlocked mutex");
});

test("mutex: locking a Mutex this thread holds throws instead of waiting for ever", () => {
  const mu = new Mutex({ name: "orders" });
  mu.lock();
  assert.throws(() => mu.lock(), (e) => e instanceof GoMapError && /Mutex "orders" is already locked by this thread/.test(e.message));
  mu.unlock();
});

test("mutex: with() unlocks however fn ends", () => {
  const mu = new Mutex();
  assert.equal(mu.with(() => 5), 5);
  assert.throws(() => mu.with(() => { throw new RangeError("x"); }), RangeError);
  assert.throws(() => mu.with("fn" as unknown as () => void), { name: "TypeError", message: /^gomap: Mutex\.with wants a function, got / });
  assert.equal(mu.tryLock(), true, "a refused with() locks nothing");
  mu.unlock();
  assert.equal(mu.tryLock(), true, "unlocked after the throw");
});

test("mutex: with() refuses an async fn before locking: the lock would be given back at its first await, and the rest of fn run unlocked", () => {
  const mu = new Mutex();
  let ran = false;
  const fn = async (): Promise<void> => {
    ran = true;
  };
  assert.throws(() => mu.with(fn), { name: "TypeError", message: /^gomap: Mutex\.with runs fn to its return holding the lock, so an async fn would run past its first await unlocked; / });
  assert.equal(ran, false, "fn did not run");
  assert.equal(mu.tryLock(), true, "nothing was locked");
  mu.unlock();
});

test("mutex: a handle attaches to the same lock; bad handles and names are refused", () => {
  const mu = new Mutex({ name: "m" });
  const again = Mutex.attach(structuredClone(mu.share()));
  mu.lock();
  assert.equal(again.tryLock(), false);
  again.unlock(); // as in Go, any holder of the Mutex may unlock it
  assert.equal(mu.tryLock(), true);
  assert.throws(() => Mutex.attach({ ...mu.share(), lock: new SharedArrayBuffer(12) }), TypeError);
  assert.throws(() => Mutex.attach({ ...mu.share(), registry: new SharedArrayBuffer(8) }), TypeError);
  assert.throws(() => Mutex.attach({ handle: "gomap.RWMutex" } as unknown as MutexHandle), TypeError);
  assert.throws(() => new Mutex({ name: 5 as unknown as string }), TypeError);
});

for (const how of ["exit", "terminate"] as const) {
  test(`mutex: a worker that dies holding the lock (${how}) makes its waiters throw OwnerDeadError`, async () => {
    const mu = new Mutex({ name: "orders" });
    const holder = spawn({ task: "holdAndDie", lock: mu.share(), how: how === "exit" ? "exit" : "hang" });
    const { locked } = await holder.message("locked");
    const waiter = spawn({ task: "acquire", lock: mu.share() });
    if (how === "terminate") {
      await until(() => Atomics.load(new Int32Array(mu.share().lock), 1) > 0, waiter); // the waiter is asleep on the lock
      await holder.worker.terminate();
    }
    const outcome = await waiter.outcome;
    assert.equal(outcome.error?.name, "OwnerDeadError", JSON.stringify(outcome));
    assert.equal(outcome.error?.message, `gomap: Mutex "orders" is held by worker ${String(locked)}, which has exited; it will never be unlocked`);
    assert.equal(await holder.exited, how === "exit" ? 3 : 1);
    assert.throws(() => mu.lock(), (e) => e instanceof OwnerDeadError && e.threadId === locked && e.lock === 'Mutex "orders"');
    // tryLock says so too, rather than false for ever to a loop that polls it.
    assert.throws(() => mu.tryLock(), (e) => e instanceof OwnerDeadError && e.threadId === locked);
  });
}
