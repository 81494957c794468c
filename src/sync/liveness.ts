// Liveness: which worker threads have exited, in shared memory, so a thread waiting for a
// lock can tell that the lock's owner will never unlock it.
//
// A registry is a SharedArrayBuffer holding a bitmap of exited threadIds (node:worker_threads
// threadId; the main thread is 0, and ids are never reused within a process), and the count of
// tags handed to threads that have no threadId:
//
//   word 0: magic | word 1: version | word 2: tags handed out (below)
//   words 3..: bit (id & 31) of word 3 + (id >>> 5) set = dead
//
// A thread's tag, what it writes into the lock words of the registry's locks as their owner,
// is its threadId + 1 where node:worker_threads gives one (0 means "nobody"). Where there is
// none (Web Workers in a browser, which all look like thread 0), every thread would otherwise
// write the same tag, and each would take the others' holds for its own (a lock held by
// another worker refused as "already locked by this thread", a read hold counted in the
// wrong slot). There a thread takes a tag from the registry's counter instead, once per
// Registry object: MAX_THREADS + 1 + n, unique among the threads using the registry, and
// above every threadId the bitmap can mark, so it is never taken for a dead thread's. Limits:
// a registry adopted twice in one thread from two messages (two buffer objects) gives that
// thread two tags, so locks attached from the two count it as two threads (as GoMap counts
// such handles, README); and no Web Worker is ever known to have exited (watchWorker takes
// node:worker_threads Workers), so OwnerDeadError is not thrown there.
//
// Who writes it: only a thread that sees a worker exit can know it did, and in Node that is
// the worker's parent, through the Worker's 'exit' event (which fires for process.exit() in
// the worker and for terminate() alike). watchWorker(worker) subscribes to that event and
// marks the id dead in every registry this thread knows. A thread knows the registry it made
// on its first lock, and every registry that came with a handle it attached, so the usual
// pattern (locks made or attached in the main thread, handed to workers) needs one call:
// `watchWorker(new Worker(...))`.
//
// Who reads it: waiters. Every wait on a lock word times out after POLL_MS, and the waiter
// then looks up the owner recorded in the lock word (threadId + 1); if that thread is dead it
// throws OwnerDeadError instead of waiting again. Limits, said plainly: the watching thread
// must keep its event loop turning to hear the 'exit' event (a parent blocked in a lock wait
// hears nothing), and threadIds at or above MAX_THREADS are never marked.
import { GoMapError } from "../errors.js";
import { atomicsWait, optionalNodeModule } from "../platform.js";

/** What watchWorker needs of a node:worker_threads Worker. */
export interface WatchedWorker {
  readonly threadId: number;
  once(event: "exit", listener: () => void): unknown;
}

/** This thread's threadId (0 on the main thread), or undefined where there is no node:worker_threads. */
const threadId = optionalNodeModule<{ threadId: number }>("node:worker_threads")?.threadId;
/** How long a lock wait sleeps before it checks the owner's liveness again, in ms. */
export const POLL_MS = 25;
/** ThreadIds the bitmap covers. */
export const MAX_THREADS = 1 << 16;

const MAGIC = 0x4c564e47; // "GNVL"
const VERSION = 2;
/** The word counting the tags handed to threads without a threadId. */
const TAGS = 2;
const BITMAP = 3;
/** The largest tag a lock word (an Int32) can hold. */
const MAX_TAG = 0x7fffffff;

export class Registry {
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  /** This thread's tag in the lock words of this registry's locks (see the header comment). */
  readonly tag: number;

  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== (BITMAP + MAX_THREADS / 32) * 4) throw new TypeError("gomap: attach: not a liveness registry (wrong size)");
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
    if (Atomics.load(this.i32, 0) !== MAGIC || Atomics.load(this.i32, 1) !== VERSION) {
      throw new TypeError("gomap: attach: not a liveness registry (bad magic or version)");
    }
    this.tag = threadId !== undefined ? threadId + 1 : this.newTag();
  }

  /** A tag no other thread using this registry has: for a thread with no threadId. */
  private newTag(): number {
    const n = Atomics.add(this.i32, TAGS, 1) >>> 0;
    if (n > MAX_TAG - MAX_THREADS - 1) throw new GoMapError("gomap: a liveness registry has handed out all its thread tags");
    return MAX_THREADS + 1 + n;
  }

  static create(): Registry {
    const buffer = new SharedArrayBuffer((BITMAP + MAX_THREADS / 32) * 4);
    const i32 = new Int32Array(buffer);
    i32[0] = MAGIC;
    i32[1] = VERSION;
    return new Registry(buffer);
  }

  /** Whether the thread with this threadId has exited (as far as any watcher has said). */
  isDead(id: number): boolean {
    if (id < 0 || id >= MAX_THREADS) return false;
    return (Atomics.load(this.i32, BITMAP + (id >>> 5)) & (1 << (id & 31))) !== 0;
  }

  markDead(id: number): void {
    if (id < 0 || id >= MAX_THREADS) return;
    Atomics.or(this.i32, BITMAP + (id >>> 5), 1 << (id & 31));
  }
}

/** Every registry this thread knows; the first is the one its new locks use. */
const known: Registry[] = [];

/** The registry new locks made in this thread use: the first one it saw, or a new one. */
export function registry(): Registry {
  if (known.length === 0) known.push(Registry.create());
  return known[0];
}

/** The registry whose bytes are `buffer` (from a handle), remembered for watchWorker. */
export function adoptRegistry(buffer: SharedArrayBuffer): Registry {
  for (const r of known) if (r.buffer === buffer) return r;
  const r = new Registry(buffer);
  known.push(r);
  return r;
}

/**
 * Watches a worker: when it exits, for whatever reason, it is marked dead in every registry
 * this thread knows, so waiters for a lock it held throw OwnerDeadError. Call it in the thread
 * that created the worker, right after `new Worker(...)`. Returns the worker.
 */
export function watchWorker<W extends WatchedWorker>(worker: W): W {
  const id = worker.threadId; // -1 once the worker has exited: read it now
  worker.once("exit", () => {
    for (const r of known) r.markDead(id);
  });
  return worker;
}

/**
 * Sleeps while i32[index] === value, up to POLL_MS. Returns true when it timed out, so the
 * caller checks its owner's liveness before waiting again. Where this thread may not wait (a
 * browser page's main thread), a GoMapError naming the lock `name`.
 */
export function pollWait(i32: Int32Array, index: number, value: number, name: string): boolean {
  return atomicsWait(i32, index, value, POLL_MS, name, "take locks that may have to wait in a Web Worker, or use tryLock") === "timed-out";
}
