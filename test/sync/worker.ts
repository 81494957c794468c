// The worker side of the sync tests: one script, a task per test, chosen by workerData.task.
// Each task attaches what it is handed, does its work and posts back { result } or
// { error: { name, message } }. Run as a plain file (the test runner loads every file under
// build/test), it does nothing.
import { isMainThread, parentPort, threadId, workerData } from "node:worker_threads";
import { GoMap, GoMapError, Mutex, RWMutex, SyncMap, WaitGroup } from "../../src/index.js";
import type { GoMapHandle, MutexHandle, RWMutexHandle, SyncMapHandle, WaitGroupHandle } from "../../src/index.js";
import { types as t } from "../../src/index.js";
import { Hmap, Hmap32 } from "../../src/runtime/layout.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { storedBytes } from "../../src/types/string.js";

/** A small seeded generator, so each worker's op sequence is repeatable. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

type U32Map = SyncMap<number, number>;

/** One recorded operation: [op, key, a, b, result, invoked, responded] (logical clock). */
export type Event = [string, number, number, number, unknown, number, number];

const tasks: Record<string, (d: Record<string, unknown>) => unknown> = {
  /** Go's CAS-increment loop on every key, `rounds` times. */
  casCounter(d) {
    const m = SyncMap.attach(d.map as SyncMapHandle<number, number>);
    const keys = d.keys as number;
    for (let r = 0; r < (d.rounds as number); r++) {
      for (let k = 0; k < keys; k++) {
        for (;;) {
          const v = m.load(k);
          if (v === undefined) {
            if (!m.loadOrStore(k, 1)[1]) break;
          } else if (m.compareAndSwap(k, v, v + 1)) break;
        }
      }
    }
    return null;
  },

  /** A random mix of every SyncMap operation on keys 0..keys-1 (and clear, with `clear`). */
  mix(d) {
    const m = SyncMap.attach(d.map as SyncMapHandle<number, number>);
    const next = lcg(d.seed as number);
    const keys = d.keys as number;
    let loads = 0;
    for (let i = 0; i < (d.ops as number); i++) {
      const k = next() % keys;
      const v = next() % 1000;
      switch (next() % 8) {
        case 0: m.store(k, v); break;
        case 1: m.delete(k); break;
        case 2: m.loadOrStore(k, v); break;
        case 3: m.swap(k, v); break;
        case 4: m.compareAndSwap(k, v, v + 1); break;
        case 5: m.loadAndDelete(k); break;
        case 6: if (d.clear === true && next() % 100 === 0) m.clear(); break;
        default: if (m.load(k) !== undefined) loads++;
      }
    }
    return loads;
  },

  /** Records a history for the linearizability check: each op between two ticks of a shared clock. */
  history(d) {
    const m = SyncMap.attach(d.map as SyncMapHandle<number, number>);
    const clock = new Int32Array(d.clock as SharedArrayBuffer);
    const next = lcg(d.seed as number);
    const keys = d.keys as number;
    const out: Event[] = [];
    for (let i = 0; i < (d.ops as number); i++) {
      const k = next() % keys;
      const a = next() % 4;
      const b = next() % 4;
      const op = ["store", "load", "delete", "loadOrStore", "swap", "cas", "cad", "loadAndDelete"][next() % 8];
      const inv = Atomics.add(clock, 0, 1);
      const res = apply(m, op, k, a, b);
      out.push([op, k, a, b, res, inv, Atomics.add(clock, 0, 1)]);
    }
    return out;
  },

  /** Go's TestConcurrentRange writer: stores k -> k*i*g for growing i, loading as it goes. */
  rangeWriter(d) {
    const m = SyncMap.attach(d.map as SyncMapHandle<number, number>);
    const stop = new Int32Array(d.stop as SharedArrayBuffer);
    const g = d.g as number;
    const n = d.keys as number;
    for (let i = 1; Atomics.load(stop, 0) === 0; i++) {
      for (let k = 1; k <= n; k++) {
        m.store(k, k * i * g); // an f64 value: exact, and a multiple of k, up to 2^53
        m.load(k);
      }
    }
    return null;
  },

  /**
   * Go's TestConcurrentReadsAfterGrowth reader: at each step the main thread announces (ctl[0]
   * = step, ctl[3] = map, ctl[4] = gs, after inserting gs), it ranges over that map and looks
   * up every key below gs, then counts itself done (ctl[1]). ctl[0] = -1 ends it. Returns
   * what went wrong (at most 20 lines), and the number of steps it read.
   */
  readsAfterGrowth(d) {
    const maps = (d.maps as GoMapHandle<number, number>[]).map((h) => GoMap.attach(h));
    const ctl = new Int32Array(d.ctl as SharedArrayBuffer);
    const problems: string[] = [];
    let seen = 0;
    let steps = 0;
    Atomics.add(ctl, 2, 1); // ready
    Atomics.notify(ctl, 2);
    for (;;) {
      if (Atomics.wait(ctl, 0, seen, 30_000) === "timed-out") {
        problems.push("no step for 30 s");
        break;
      }
      const step = Atomics.load(ctl, 0);
      if (step < 0) break;
      // A wake with no new step (the engine's wait may wake without a notify of a change: one
      // run counted 2501 steps of 2500) is waited out again, so each step is read once.
      if (step === seen) continue;
      seen = step;
      steps++;
      const m = maps[Atomics.load(ctl, 3)];
      const gs = Atomics.load(ctl, 4);
      try {
        let n = 0;
        for (const [k, v] of m) {
          if (k !== v) problems.push(`step ${step}: range gave ${k} -> ${v}`);
          n++;
        }
        if (n !== gs + 1) problems.push(`step ${step}: range gave ${n} entries of ${gs + 1}`);
        for (let key = 0; key < gs; key++) {
          const v = m.get(key);
          if (v !== key) problems.push(`step ${step}: m[${key}] = ${v}`);
        }
      } catch (err) {
        problems.push(`step ${step}: ${(err as Error).name}: ${(err as Error).message}`);
      }
      Atomics.add(ctl, 1, 1);
      Atomics.notify(ctl, 1);
    }
    return { problems: problems.slice(0, 20), steps };
  },

  /**
   * Unsynchronised writes and reads (only reads, with `readOnly`) of a plain shared map:
   * counts the errors Go's checks raise. The workers start together (ctl word 0) and each does
   * `ops` operations, then goes on until a worker with `ends` has caught the error `until`
   * (ctl word 1), or `most` operations: whether two threads overlap within a given stretch is
   * the scheduler's choice (on two busy cores, often not within 60,000), and only a map that
   * never tells of an overlap reaches `most`.
   */
  racy(d) {
    const m = GoMap.attach(d.map as GoMapHandle<number, number>);
    const next = lcg(d.seed as number);
    const ctl = new Int32Array(d.ctl as SharedArrayBuffer);
    Atomics.add(ctl, 0, 1);
    while (Atomics.load(ctl, 0) < (d.workers as number)); // all start together, to overlap
    const errors: Record<string, number> = {};
    for (let i = 0; i < (d.ops as number) || (Atomics.load(ctl, 1) === 0 && i < (d.most as number)); i++) {
      const k = next() % (d.keys as number);
      try {
        if (d.readOnly === true || (next() & 1) === 0) m.get(k);
        else m.set(k, i);
      } catch (err) {
        if (!(err instanceof GoMapError)) throw err;
        errors[err.message] = (errors[err.message] ?? 0) + 1;
        if (d.ends === true && err.message === d.until) Atomics.store(ctl, 1, 1);
      }
    }
    return errors;
  },

  /** Writes under a Mutex or RWMutex: a plain (non-atomic) counter increment, and map sets. */
  locked(d) {
    const lock = d.rw ? RWMutex.attach(d.lock as RWMutexHandle) : Mutex.attach(d.lock as MutexHandle);
    const counter = new Int32Array(d.counter as SharedArrayBuffer);
    const m = GoMap.attach(d.map as GoMapHandle<number, number>);
    const next = lcg(threadId * 7919);
    let writes = 0;
    for (let i = 0; i < (d.ops as number); i++) {
      const write = d.rw ? next() % 4 === 0 : true;
      if (!write && lock instanceof RWMutex) {
        lock.rlock();
        m.get(next() % 5000);
        lock.runlock();
        continue;
      }
      lock.lock();
      counter[0] = counter[0] + 1; // not atomic: only the lock keeps increments apart
      m.set(next() % 5000, i);
      lock.unlock();
      writes++;
    }
    return writes;
  },

  /** Takes a lock (write, or read with `read`), says so, then dies (`exit`) or hangs until terminated. */
  holdAndDie(d) {
    const lock = d.rw ? RWMutex.attach(d.lock as RWMutexHandle) : Mutex.attach(d.lock as MutexHandle);
    if (d.read === true) (lock as RWMutex).rlock();
    else lock.lock();
    parentPort!.postMessage({ locked: threadId });
    if (d.how === "exit") process.exit(3);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until terminate()
    return null;
  },

  /** Takes shard 0's write lock of a SyncMap, says so, and exits. */
  holdShard(d) {
    const m = SyncMap.attach(d.map as SyncMapHandle<number, number>);
    SyncMap.shardLocksOf(m)[0].lock();
    parentPort!.postMessage({ locked: threadId });
    process.exit(3);
  },

  /** Takes an RWMutex's read lock once and lets it go, then ends (its reader slot stays claimed). */
  readOnce(d) {
    const lock = RWMutex.attach(d.lock as RWMutexHandle);
    lock.rlock();
    lock.runlock();
    return "read";
  },

  /**
   * Takes an RWMutex's read lock, says so, waits for the word `go` (set once a writer in
   * another thread waits for this read to end), then takes a read again inside rwith, as code
   * that nests reads does, and lets both go.
   */
  nestedRead(d) {
    const lock = RWMutex.attach(d.lock as RWMutexHandle);
    const go = new Int32Array(d.go as SharedArrayBuffer);
    lock.rlock();
    parentPort!.postMessage({ reading: true });
    Atomics.wait(go, 0, 0);
    const inner = lock.rwith(() => "nested");
    lock.runlock();
    return inner;
  },

  /** Waits for a lock; reports what happened. */
  acquire(d) {
    const lock = d.rw ? RWMutex.attach(d.lock as RWMutexHandle) : Mutex.attach(d.lock as MutexHandle);
    if (d.read === true) (lock as RWMutex).rlock();
    else lock.lock();
    return "acquired";
  },

  /** Attaches the WaitGroup, says so, waits for the word `go` to be set, then wg.done() after `delay` ms. */
  done(d) {
    const wg = WaitGroup.attach(d.wg as WaitGroupHandle);
    const go = new Int32Array(d.go as SharedArrayBuffer);
    parentPort!.postMessage({ ready: true });
    Atomics.wait(go, 0, 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, d.delay as number);
    wg.done();
    return null;
  },

  /**
   * A read of a shared map walking memory a writer in another thread freed and reused: a
   * reader that read the offset of a bucket just before the writer freed it (a clear frees
   * overflow buckets, a growth its old array) and a string value's bytes took its place walks
   * those bytes as a bucket. Here they say "every slot empty, the next bucket is this one",
   * and the reader's stale offset is put in the header (B 0, no growth) for the one read
   * `how` names: "get", "has", or "iterate" (a for..of). Posts { walking } just before the
   * read, so a watchdog can time the walk alone; returns what the read returned; a hang is
   * the bug.
   */
  staleChain(d) {
    const m = GoMap.make(t.u32, t.string, { shared: true });
    for (let i = 0; i < 100; i++) m.set(i, `v${i}`);
    const h = hmapOf(m as unknown as GoMap<unknown, unknown, unknown, unknown>)!;
    const L = 700;
    const where = (): number => {
      const b = h.rt.mapaccess(h, 1000);
      return storedBytes(h.heap, h.elemAt(b, h.slot));
    };
    m.set(1000, "a".repeat(L));
    const p = where();
    // A bucket offset inside the block whose bytes are all ASCII (a string's bytes below 0x80
    // are its chars), where the walk starts.
    let q = (p + 7) & ~7;
    const bytes = (x: number): number[] => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];
    while (bytes(q).some((x) => x >= 0x80)) q += 8;
    const chars = new Array<string>(L).fill("\x01"); // tophash emptyOne: a slot to skip
    const link = q - p + h.t.overflowOffset;
    bytes(q).forEach((x, j) => (chars[link + j] = String.fromCharCode(x)));
    const crafted = chars.join("");
    // The first write of it goes to a new block; the second takes back the block at p.
    m.set(1000, crafted);
    m.set(1000, crafted);
    if (where() !== p || link + 4 > L) throw new Error(`the crafted bytes are not where the test wants them (${where()}, ${p})`);
    const u32 = h.heap.u32;
    const saved = [u32[Hmap32.buckets], u32[Hmap32.oldbuckets], h.heap.u8[Hmap.B]];
    u32[Hmap32.buckets] = q;
    u32[Hmap32.oldbuckets] = 0;
    h.heap.u8[Hmap.B] = 0;
    parentPort!.postMessage({ walking: true });
    try {
      if (d.how === "get") return m.get(5) ?? null;
      if (d.how === "has") return m.has(5);
      let n = 0;
      for (const _ of m) n++;
      return n;
    } finally {
      u32[Hmap32.buckets] = saved[0];
      u32[Hmap32.oldbuckets] = saved[1];
      h.heap.u8[Hmap.B] = saved[2];
    }
  },

  /** Fills a shared map so its heap grows, from this thread. */
  fill(d) {
    const m = GoMap.attach(d.map as GoMapHandle<number, string>);
    for (let i = d.from as number; i < (d.to as number); i++) m.set(i, `value ${i}`);
    return m.size;
  },

  /**
   * A map[float32]int16 and a SyncMap of float32 keys to struct{a int8; b float64}, attached
   * here, whose heaps make only the typed-array views their types read: reads what the parent
   * stored, writes past the heap's first buffer, and says which optional views its heaps made.
   */
  floats(d) {
    const m = GoMap.attach(d.map as GoMapHandle<number, number>);
    const s = SyncMap.attach(d.sync as SyncMapHandle<number, { a: number; b: number }>);
    const got = [m.get(0.5), m.get(99.5), s.load(1.5)];
    for (let i = 100; i < 3000; i++) m.set(i + 0.5, (i % 60000) - 30000);
    s.store(2.5, { a: -100, b: -1.5 });
    const views = (h: { i8: ArrayLike<number>; i16: ArrayLike<number>; f32: ArrayLike<number>; f64: ArrayLike<number> }): string[] =>
      (["i8", "i16", "f32", "f64"] as const).filter((v) => h[v].length > 0);
    return { got, views: views(hmapOf(m as unknown as GoMap<unknown, unknown, unknown, unknown>)!.heap) };
  },

  /** Reads a shared map: the sum of the keys found among 0..n-1. */
  count(d) {
    const m = GoMap.attach(d.map as GoMapHandle<number, string>);
    let found = 0;
    for (let i = 0; i < (d.n as number); i++) if (m.get(i) === `value ${i}`) found++;
    return found;
  },
};

/** Runs one recorded SyncMap operation; its result as plain data. */
export function apply(m: U32Map, op: string, k: number, a: number, b: number): unknown {
  switch (op) {
    case "store": m.store(k, a); return null;
    case "load": return m.load(k) ?? null;
    case "delete": m.delete(k); return null;
    case "loadOrStore": return m.loadOrStore(k, a);
    case "swap": return m.swap(k, a) ?? null;
    case "cas": return m.compareAndSwap(k, a, b);
    case "cad": return m.compareAndDelete(k, a);
    case "loadAndDelete": return m.loadAndDelete(k) ?? null;
  }
  throw new Error(`unknown op ${op}`);
}

if (!isMainThread && parentPort !== null && typeof workerData === "object" && workerData !== null && "task" in workerData) {
  const d = workerData as Record<string, unknown>;
  try {
    parentPort.postMessage({ result: tasks[d.task as string](d) });
  } catch (err) {
    const e = err as Error;
    parentPort.postMessage({ error: { name: e.name, message: e.message } });
  }
}
