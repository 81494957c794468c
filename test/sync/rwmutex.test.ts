// Tests of src/sync/rwmutex.ts: readers share, writers exclude; Go's unlock errors; the
// JS-thread rules (RUnlock on the thread that locked, no upgrade or downgrade that would wait
// for itself); threads beyond the reader slots; a dead writer makes waiters throw
// OwnerDeadError, a dead reader's hold is taken back so the writer goes on.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, GoMapError, OwnerDeadError, RWMutex, types as t } from "../../src/index.js";
import type { RWMutexHandle } from "../../src/index.js";
import { runAll, spawn, until } from "./spawn.js";

/** Whether a writer holds rw's writer word (word 0 of its lock): it has the lock, or drains the readers' slots for it. */
function writerIn(rw: RWMutex): boolean {
  return Atomics.load(new Int32Array(rw.share().lock), 0) !== 0;
}

test("rwmutex: many read holds at once; a write hold excludes both kinds", () => {
  const rw = new RWMutex();
  rw.rlock();
  rw.rlock();
  assert.equal(rw.tryLock(), false, "readers inside");
  assert.equal(rw.tryRLock(), true, "readers share");
  rw.runlock();
  rw.runlock();
  rw.runlock();
  assert.equal(rw.tryLock(), true);
  assert.equal(rw.tryRLock(), false, "a writer inside");
  assert.equal(rw.tryLock(), false);
  rw.unlock();
  rw.rlock();
  rw.runlock();
});

test("rwmutex: with(fn) runs fn holding the write lock, rwith(fn) holding a read lock; each unlocks however fn ends and gives fn's result", () => {
  const rw = new RWMutex();
  assert.equal(
    rw.with(() => {
      assert.equal(writerIn(rw), true, "the write lock is held");
      assert.equal(rw.tryRLock(), false, "no reader while it is");
      return 5;
    }),
    5,
  );
  assert.equal(writerIn(rw), false);
  assert.equal(
    rw.rwith(() => {
      assert.equal(rw.tryLock(), false, "no writer while a read lock is held");
      assert.equal(rw.tryRLock(), true, "readers share");
      rw.runlock();
      return "r";
    }),
    "r",
  );
  assert.throws(() => rw.with(() => { throw new RangeError("w"); }), { name: "RangeError", message: "w" });
  assert.throws(() => rw.rwith(() => { throw new RangeError("r"); }), { name: "RangeError", message: "r" });
  assert.equal(rw.tryLock(), true, "both were unlocked after the throws");
  rw.unlock();
  // A shared map's read-modify-write under the lock, as the README writes it.
  const m = GoMap.make(t.string, t.u32, { shared: true });
  rw.with(() => m.update("hits", (c) => c + 1));
  assert.equal(rw.rwith(() => m.get("hits")), 1);
  // A hold that would wait for itself is refused before fn runs, as lock() refuses it.
  let ran = false;
  rw.rwith(() => assert.throws(() => rw.with(() => { ran = true; }), GoMapError));
  assert.equal(ran, false);
  // What is not a function is a TypeError, with nothing locked.
  assert.throws(() => rw.with(5 as unknown as () => void), { name: "TypeError", message: /^gomap: RWMutex\.with wants a function, got / });
  assert.throws(() => rw.rwith(undefined as unknown as () => void), { name: "TypeError", message: /^gomap: RWMutex\.rwith wants a function, got / });
  assert.equal(rw.tryLock(), true);
  rw.unlock();
});

test("rwmutex: with and rwith refuse an async fn before locking, as Mutex.with does", () => {
  const rw = new RWMutex();
  let ran = false;
  const fn = async (): Promise<void> => {
    ran = true;
  };
  assert.throws(() => rw.with(fn), { name: "TypeError", message: /^gomap: RWMutex\.with runs fn to its return holding the lock, so an async fn / });
  assert.throws(() => rw.rwith(fn), { name: "TypeError", message: /^gomap: RWMutex\.rwith runs fn to its return holding the lock, so an async fn / });
  assert.equal(ran, false, "fn did not run");
  assert.equal(rw.tryLock(), true, "nothing was locked");
  rw.unlock();
});

test("rwmutex: a thread that holds a read lock takes another (rwith inside rwith) while a writer in another thread waits for it, instead of waiting for that writer, which waits for it", async () => {
  const rw = new RWMutex();
  const go = new SharedArrayBuffer(4);
  const reader = spawn({ task: "nestedRead", lock: rw.share(), go });
  await reader.message("reading");
  const writer = spawn({ task: "acquire", rw: true, lock: rw.share() });
  await until(() => writerIn(rw), writer); // it holds the writer word and drains the reader's slot
  Atomics.store(new Int32Array(go), 0, 1);
  Atomics.notify(new Int32Array(go), 0);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), 10_000)));
  try {
    assert.deepEqual(await Promise.race([reader.outcome, hung]), { result: "nested" }, "the nested read waited for the writer that waited for it");
    assert.deepEqual(await Promise.race([writer.outcome, hung]), { result: "acquired" });
  } finally {
    clearTimeout(timer);
    await Promise.all([reader.worker.terminate(), writer.worker.terminate()]);
  }
});

test("rwmutex: Go's unlock errors, and the holds that would wait for themselves", () => {
  const rw = new RWMutex({ name: "index" });
  assert.throws(() => rw.runlock(), (e) => e instanceof GoMapError && /RUnlock of unlocked RWMutex/.test(e.message));
  assert.throws(() => rw.unlock(), (e) => e instanceof GoMapError && /Unlock of unlocked RWMutex/.test(e.message));
  rw.rlock();
  assert.throws(() => rw.lock(), (e) => e instanceof GoMapError && /Lock of RWMutex "index" by a thread that holds its RLock/.test(e.message));
  rw.runlock();
  rw.lock(); // the failed Lock let the writer word go
  assert.throws(() => rw.rlock(), (e) => e instanceof GoMapError && /RLock of RWMutex "index" by the thread that holds its Lock/.test(e.message));
  assert.throws(() => rw.lock(), GoMapError);
  rw.unlock();
});

test("rwmutex: handles attach to the same lock; bad ones are refused", () => {
  const rw = new RWMutex({ readers: 4 });
  const again = RWMutex.attach(structuredClone(rw.share()));
  again.lock();
  assert.equal(rw.tryRLock(), false);
  again.unlock();
  assert.throws(() => RWMutex.attach({ ...rw.share(), lock: new SharedArrayBuffer(100) }), TypeError);
  assert.throws(() => RWMutex.attach({ handle: "gomap.Mutex", version: 1 } as unknown as RWMutexHandle), TypeError);
  assert.throws(() => new RWMutex({ readers: 0 }), RangeError);
});

test("rwmutex: with one reader slot, threads past it share a count and nothing is lost", async () => {
  const lock = new RWMutex({ readers: 1 });
  lock.rlock(); // this thread takes the only slot
  lock.runlock();
  const m = GoMap.make(t.u32, t.u32, { shared: true });
  const counter = new SharedArrayBuffer(4);
  const d = { task: "locked", rw: true, lock: lock.share(), counter, map: m.share(), ops: 2000 };
  const writes = (await runAll([d, d, d])) as number[];
  assert.equal(new Int32Array(counter)[0], writes[0] + writes[1] + writes[2]);
});

test("rwmutex: a worker that exits holding the write lock makes a waiting reader throw OwnerDeadError", async () => {
  const rw = new RWMutex({ name: "catalog" });
  const holder = spawn({ task: "holdAndDie", rw: true, lock: rw.share(), how: "exit" });
  const { locked } = await holder.message("locked");
  const waiter = spawn({ task: "acquire", rw: true, read: true, lock: rw.share() });
  const outcome = await waiter.outcome;
  assert.equal(outcome.error?.name, "OwnerDeadError");
  assert.match(outcome.error!.message, new RegExp(`RWMutex "catalog" is held by worker ${String(locked)}, which has exited`));
  // tryLock and tryRLock say so too, rather than false for ever to a loop that polls them.
  assert.throws(() => rw.tryLock(), (e) => e instanceof OwnerDeadError && e.threadId === locked);
  assert.throws(() => rw.tryRLock(), (e) => e instanceof OwnerDeadError && e.threadId === locked);
  assert.throws(() => rw.rlock(), OwnerDeadError);
});

test("rwmutex: a reader terminated inside RLock is forgotten, and a writer gets the lock", async () => {
  const rw = new RWMutex();
  const reader = spawn({ task: "holdAndDie", rw: true, read: true, lock: rw.share(), how: "hang" });
  await reader.message("locked");
  assert.equal(rw.tryLock(), false, "the reader holds it");
  const writer = spawn({ task: "acquire", rw: true, lock: rw.share() });
  await until(() => writerIn(rw), writer); // and waits for the reader
  await reader.worker.terminate();
  assert.deepEqual(await writer.outcome, { result: "acquired" });
});

test("rwmutex: a reader slot left by a worker that exited after its reads goes to the next new reader, whose death is then seen", { timeout: 30_000 }, async () => {
  const rw = new RWMutex({ readers: 1 });
  const first = spawn({ task: "readOnce", lock: rw.share() });
  assert.deepEqual(await first.outcome, { result: "read" });
  await first.exited; // marked dead: its slot, count 0, is free to take
  const reader = spawn({ task: "holdAndDie", rw: true, read: true, lock: rw.share(), how: "hang" });
  await reader.message("locked");
  const writer = spawn({ task: "acquire", rw: true, lock: rw.share() });
  await until(() => writerIn(rw), writer); // and waits for the reader
  await reader.worker.terminate();
  // In the shared slot the reader's death could not be told; in the slot it took, it is.
  assert.deepEqual(await writer.outcome, { result: "acquired" });
});

test("rwmutex: in the shared slot too, Lock while holding RLock throws at once; RUnlock wants this thread's read hold", async () => {
  const rw = new RWMutex({ readers: 1, name: "few" });
  const other = spawn({ task: "holdAndDie", rw: true, read: true, lock: rw.share(), how: "hang" });
  await other.message("locked"); // it holds the only slot
  rw.rlock(); // so this thread reads in the shared slot
  assert.throws(() => rw.lock(), (e) => e instanceof GoMapError && /Lock of RWMutex "few" by a thread that holds its RLock/.test(e.message));
  assert.equal(rw.tryLock(), false);
  rw.runlock();
  assert.throws(() => rw.runlock(), (e) => e instanceof GoMapError && /RUnlock of unlocked RWMutex/.test(e.message));
  await other.worker.terminate();
});

test("rwmutex: attached twice in one thread it is one lock: a read hold taken through one object is released through the other", () => {
  // A worker may attach the same handle twice (two modules, two messages); Go has one
  // RWMutex, and an RUnlock matching an RLock must not depend on which object took it.
  const rw = new RWMutex({ name: "twice" });
  const again = RWMutex.attach(rw.share());
  rw.rlock();
  again.runlock();
  assert.equal(rw.tryLock(), true, "no read hold is left");
  rw.unlock();
  again.rlock();
  assert.throws(() => rw.lock(), (e) => e instanceof GoMapError && /Lock of RWMutex "twice" by a thread that holds its RLock/.test(e.message));
  rw.runlock();
  rw.lock(); // the hold given back through rw, taken through again: rw knows it is gone
  rw.unlock();
  again.lock();
  again.unlock();
  assert.throws(() => again.runlock(), (e) => e instanceof GoMapError && /RUnlock of unlocked RWMutex/.test(e.message));
  assert.throws(() => rw.runlock(), (e) => e instanceof GoMapError && /RUnlock of unlocked RWMutex/.test(e.message));
});

test("rwmutex: Lock through a second object over the lock, in the thread holding RLock through the first, throws at once", () => {
  // The second object has claimed no count of its own: its Lock finds the read hold while
  // draining the slots, the last slot claimed included.
  const rw = new RWMutex({ name: "drained" });
  rw.rlock();
  const other = RWMutex.attach(rw.share());
  assert.throws(() => other.lock(), (e) => e instanceof GoMapError && /Lock of RWMutex "drained" by a thread that holds its RLock/.test(e.message));
  rw.runlock();
  other.lock();
  other.unlock();
});

test("rwmutex: a writer waits for a reader in the shared slot", { timeout: 30_000 }, async () => {
  const rw = new RWMutex({ readers: 1 });
  rw.rlock(); // this thread takes the only slot...
  rw.runlock(); // ...and holds no read in it
  const reader = spawn({ task: "holdAndDie", rw: true, read: true, lock: rw.share(), how: "hang" });
  await reader.message("locked"); // so the worker reads in the shared slot
  const writer = spawn({ task: "acquire", rw: true, lock: rw.share() });
  await until(() => writerIn(rw), writer); // the writer word taken: from here it drains the slots
  const first = await Promise.race([writer.outcome.then(() => "acquired"), new Promise((r) => setTimeout(r, 300, "waiting"))]);
  assert.equal(first, "waiting", "the writer took the lock while a reader in the shared slot held it");
  assert.equal(rw.tryLock(), false);
  // A death in the shared slot can't be told, so the writer would wait for ever: end both.
  await writer.worker.terminate();
  await reader.worker.terminate();
});

test("rwmutex: a slot whose dead owner left a read count up is not taken by a new reader; a writer takes the count back", { timeout: 30_000 }, async () => {
  const rw = new RWMutex({ readers: 1, name: "left" });
  const reader = spawn({ task: "holdAndDie", rw: true, read: true, lock: rw.share(), how: "hang" });
  await reader.message("locked"); // it holds the only slot, count 1
  await reader.worker.terminate();
  await reader.exited; // marked dead, its count still 1
  rw.rlock(); // in the shared slot: the dead reader's slot is not free
  rw.runlock();
  rw.lock(); // takes the dead reader's count back; had this thread taken its slot, it would "hold" that read
  rw.unlock();
  rw.rlock();
  rw.runlock();
});

test("rwmutex: the readers bound is inclusive, and attach refuses a buffer with no reader slot", () => {
  const rw = new RWMutex({ readers: 4096 });
  rw.rlock();
  rw.runlock();
  assert.throws(() => new RWMutex({ readers: 4097 }), { name: "RangeError", message: "gomap: readers must be an integer in 1..4096, got 4097" });
  // rwlockWords(0): the writer line and the shared slot's line, but no slot.
  const lock = new SharedArrayBuffer(2 * 16 * 4);
  assert.throws(() => RWMutex.attach({ ...rw.share(), lock }), { name: "TypeError", message: "gomap: attach: not an RWMutex lock buffer (wrong size)" });
});
