// The browser side of test/sync/browser.test.ts: one script, bundled by esbuild, that is both
// the page's and its Web Workers' (the page starts `new Worker("app.js")`). The page reads its
// task from `?run=`, makes what the task shares, hands the handles to two workers, waits for
// them, checks nothing itself and leaves what it found in globalThis.__gomap for the test to
// read: { ok: true, ... } or { ok: false, error }.
//
// Tasks:
// - gomap: a shared GoMap (uint32 -> string) and a Mutex; each worker writes its own keys and
//   increments 16 counter keys, every write under the Mutex, enough to grow the heap in place.
// - syncmap: a SyncMap (uint32 -> uint32, 4 shards); each worker stores its own keys, deletes
//   some, increments 8 counter keys by compareAndSwap and loadOrStores keys both contend for.
// - mainlock: a worker holds a Mutex while the page (whose main thread may not Atomics.wait)
//   calls lock(), then tryLock() once the worker let go; then the page waits for a WaitGroup.
// - refused: on a page that is not cross-origin isolated, what making each shared part throws.
//
// Loaded by Node (the test runner loads every file under build/test), it does nothing.
import { GoMap, Mutex, SyncMap, WaitGroup, types as t } from "../../src/index.js";
import type { GoMapHandle, MutexHandle, SyncMapHandle } from "../../src/index.js";

/** Per worker: its own keys, and rounds over the counters. */
export const ROUNDS = 1500;
export const GOMAP_COUNTERS = 16;
export const SYNC_COUNTERS = 8;
/** Keys both workers loadOrStore (from SHARED_BASE). */
export const SHARED_KEYS = 50;
export const SHARED_BASE = 900_000;

/** A worker's own key i. */
export function ownKey(worker: number, i: number): number {
  return 10_000 + worker * 100_000 + i;
}

/** The value a gomap worker writes for its own key i: long enough for a heap block of its own. */
export function ownValue(worker: number, i: number): string {
  return `worker ${worker} wrote entry ${i} in its own key range`;
}

interface WorkerLike {
  postMessage(m: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message: string }) => void) | null;
  terminate(): void;
}

interface BrowserGlobal {
  document?: unknown;
  importScripts?: unknown;
  crossOriginIsolated?: boolean;
  location: { search: string };
  Worker: new (url: string) => WorkerLike;
  postMessage(m: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  __gomap?: unknown;
}

const g = globalThis as unknown as BrowserGlobal;

/** What a worker is sent; `start` is the barrier both pass before their first operation. */
type Task =
  | { task: "gomap"; worker: number; start: SharedArrayBuffer; map: GoMapHandle<number, string>; mu: MutexHandle }
  | { task: "syncmap"; worker: number; start: SharedArrayBuffer; map: SyncMapHandle<number, number> }
  | { task: "hold"; worker: number; start: SharedArrayBuffer; mu: MutexHandle };

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

// --- the worker side ------------------------------------------------------------------------------

/** Waits until both workers are here, so that their operations overlap rather than run one after the other. */
function barrier(start: SharedArrayBuffer): void {
  const word = new Int32Array(start);
  Atomics.add(word, 0, 1);
  while (Atomics.load(word, 0) < 2) Atomics.wait(word, 0, 1, 1);
}

function gomapWorker(d: Extract<Task, { task: "gomap" }>): unknown {
  const m = GoMap.attach(d.map);
  const mu = Mutex.attach(d.mu);
  barrier(d.start);
  for (let i = 0; i < ROUNDS; i++) {
    mu.lock();
    try {
      m.set(ownKey(d.worker, i), ownValue(d.worker, i));
      const c = i % GOMAP_COUNTERS;
      m.set(c, String(Number(m.get(c) ?? "0") + 1));
    } finally {
      mu.unlock();
    }
  }
  return { isolated: g.crossOriginIsolated === true };
}

function syncmapWorker(d: Extract<Task, { task: "syncmap" }>): unknown {
  const s = SyncMap.attach(d.map);
  let loaded = 0;
  barrier(d.start);
  for (let i = 0; i < ROUNDS; i++) {
    s.store(ownKey(d.worker, i), i);
    if (i % 10 === 9) s.delete(ownKey(d.worker, i - 9));
    const c = i % SYNC_COUNTERS;
    for (;;) {
      const v = s.load(c);
      if (v === undefined ? !s.loadOrStore(c, 1)[1] : s.compareAndSwap(c, v, v + 1)) break;
    }
    if (s.loadOrStore(SHARED_BASE + (i % SHARED_KEYS), d.worker)[1]) loaded++;
  }
  return { loaded };
}

/** Holds the Mutex from when it sets start[0] to 1 until the page sets it to 2. */
function holdWorker(d: Extract<Task, { task: "hold" }>): unknown {
  const mu = Mutex.attach(d.mu);
  const word = new Int32Array(d.start);
  mu.lock();
  Atomics.store(word, 0, 1);
  while (Atomics.load(word, 0) !== 2) Atomics.wait(word, 0, 1, 5);
  mu.unlock();
  return null;
}

if (g.document === undefined && typeof g.importScripts === "function") {
  g.onmessage = (e) => {
    const d = e.data as Task;
    try {
      g.postMessage({ ok: true, result: d.task === "gomap" ? gomapWorker(d) : d.task === "syncmap" ? syncmapWorker(d) : holdWorker(d) });
    } catch (err) {
      g.postMessage({ ok: false, error: errorText(err) });
    }
  };
}

// --- the page side --------------------------------------------------------------------------------

/** Runs each task in a worker of its own; the workers' results, or the first error. */
function runWorkers(tasks: Task[]): Promise<unknown[]> {
  return Promise.all(
    tasks.map(
      (task) =>
        new Promise<unknown>((resolve, reject) => {
          const w = new g.Worker("app.js");
          w.onmessage = (e) => {
            w.terminate();
            const r = e.data as { ok: boolean; result?: unknown; error?: string };
            if (r.ok) resolve(r.result);
            else reject(new Error(`worker ${task.worker}: ${r.error}`));
          };
          w.onerror = (e) => reject(new Error(`worker ${task.worker}: ${e.message}`));
          w.postMessage(task);
        }),
    ),
  );
}

async function gomapPage(): Promise<unknown> {
  const m = GoMap.make(t.u32, t.string, { shared: true });
  const mu = new Mutex({ name: "browser" });
  const capacity = m.inspect().heap.capacity;
  const start = new SharedArrayBuffer(4);
  const workers = await runWorkers([0, 1].map((worker) => ({ task: "gomap", worker, start, map: m.share(), mu: mu.share() })));
  return { workers, size: m.size, entries: [...m.entries()], grewFrom: capacity, capacity: m.inspect().heap.capacity };
}

async function syncmapPage(): Promise<unknown> {
  const s = SyncMap.make(t.u32, t.u32, { shards: 4 });
  const start = new SharedArrayBuffer(4);
  const workers = await runWorkers([0, 1].map((worker) => ({ task: "syncmap", worker, start, map: s.share() })));
  const entries: [number, number][] = [];
  s.range((k, v) => {
    entries.push([k, v]);
    return true;
  });
  return { workers, entries };
}

async function mainlockPage(): Promise<unknown> {
  const mu = new Mutex({ name: "page" });
  const start = new SharedArrayBuffer(4);
  const word = new Int32Array(start);
  const done = runWorkers([{ task: "hold", worker: 0, start, mu: mu.share() }]);
  while (Atomics.load(word, 0) !== 1) await new Promise((r) => setTimeout(r, 5));
  let lock: string;
  try {
    mu.lock();
    lock = "locked";
  } catch (e) {
    lock = errorText(e);
  }
  const tryWhileHeld = mu.tryLock();
  Atomics.store(word, 0, 2);
  await done;
  const tryAfter = mu.tryLock();
  mu.unlock();
  const wg = new WaitGroup();
  wg.add(1);
  let wait: string;
  try {
    wait = String(wg.wait());
  } catch (e) {
    wait = errorText(e);
  }
  const poll = wg.wait(0);
  wg.done();
  return { lock, tryWhileHeld, tryAfter, wait, poll, waitAfter: wg.wait() };
}

/** What making each shared part throws here: its error's name and message, or "made". */
function refusedPage(): unknown {
  const attempt = (make: () => unknown): string => {
    try {
      make();
      return "made";
    } catch (e) {
      return errorText(e);
    }
  };
  return {
    isolated: g.crossOriginIsolated === true,
    sharedArrayBuffer: typeof (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer,
    gomap: attempt(() => GoMap.make(t.u32, t.u32, { shared: true })),
    mutex: attempt(() => new Mutex()),
    syncmap: attempt(() => SyncMap.make(t.u32, t.u32)),
    unshared: attempt(() => {
      const m = GoMap.make(t.u32, t.u32);
      m.set(1, 2);
      if (m.get(1) !== 2) throw new Error("an unshared map lost its entry");
    }),
  };
}

if (g.document !== undefined) {
  const run = new URLSearchParams(g.location.search).get("run");
  const task = run === "gomap" ? gomapPage() : run === "syncmap" ? syncmapPage() : run === "mainlock" ? mainlockPage() : Promise.resolve().then(refusedPage);
  task.then(
    (result) => (g.__gomap = { ok: true, isolated: g.crossOriginIsolated === true, result }),
    (err: unknown) => (g.__gomap = { ok: false, error: errorText(err) }),
  );
}
