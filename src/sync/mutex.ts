// Mutex: Go's sync.Mutex for worker threads, on Atomics over a small SharedArrayBuffer.
//
// The lock word holds its owner: 0 when unlocked, else the owner's tag in the lock's liveness
// registry (Registry.tag: threadId + 1, or a tag of the registry's own in a thread without a
// threadId, such as a Web Worker). Lock is one compare-and-swap 0 -> tag when free; otherwise a short spin, then
// Atomics.wait on the word, counted in the waiters word so Unlock notifies only when someone
// sleeps. Waits time out every POLL_MS to check, in the liveness registry, that the owner is
// still alive (see liveness.ts); a dead owner makes the waiter throw OwnerDeadError.
//
//   Int32 words: 0 owner tag | 1 sleeping waiters | 2 MUTEX (what the buffer is, for attach)
//
// Go's rules, and where a JS thread differs:
// - Unlock of an unlocked Mutex throws GoMapError("sync: unlock of unlocked mutex") (Go: fatal).
// - As in Go, any thread may Unlock a Mutex. But the lock word names the thread that locked
//   it, and two things follow, where Go differs: a thread's Lock of a Mutex it holds throws
//   GoMapError at once (a re-entrant Lock, which would wait for ever unless another thread
//   unlocked it: nothing else can run on the blocked thread), so a Mutex can't be handed from
//   the thread that locked it to another that unlocks it while the first locks again; and if
//   the locking thread exits before another unlocks, waiters throw OwnerDeadError. A handoff
//   between threads (Go's Mutex used as a semaphore) wants a WaitGroup or a message instead.
// - No fairness promise: a waiter woken by Unlock races new arrivals, as in Go's normal mode.
import { GoMapError, OwnerDeadError } from "../errors.js";
import { checkCallback } from "../options.js";
import { newSharedBuffer } from "../platform.js";
import { checkHandle, checkKind, HANDLE_VERSION, notPostable, sharedBuffer } from "./handle.js";
import { adoptRegistry, pollWait, registry } from "./liveness.js";
import type { Registry } from "./liveness.js";

/** Tries before a waiter goes to sleep: a short critical section is usually over by then. */
const SPINS = 64;
/** Word 2 of every Mutex buffer. */
const MUTEX = 0x584d4e47; // "GNMX"

/**
 * Takes the exclusive lock word i32[at] (its sleeping waiters counted in i32[at + 1]). Throws
 * OwnerDeadError when the owner has exited, GoMapError when this thread is the owner.
 */
export function acquire(i32: Int32Array, at: number, reg: Registry, name: string): void {
  const self = reg.tag;
  for (let spin = 0; ; spin++) {
    const owner = Atomics.compareExchange(i32, at, 0, self);
    if (owner === 0) return;
    if (owner === self) throw new GoMapError(`sync: ${name} is already locked by this thread (it would wait for itself forever)`);
    if (spin < SPINS) continue;
    Atomics.add(i32, at + 1, 1);
    let timedOut: boolean;
    try {
      timedOut = pollWait(i32, at, owner, name);
    } finally {
      Atomics.sub(i32, at + 1, 1); // also when this thread may not wait: the lock as it was
    }
    if (timedOut) checkOwner(i32, at, reg, name);
  }
}

/** Throws OwnerDeadError if the lock word i32[at] is held by a thread that has exited. */
export function checkOwner(i32: Int32Array, at: number, reg: Registry, name: string): void {
  const owner = Atomics.load(i32, at);
  if (owner !== 0 && reg.isDead(owner - 1)) throw new OwnerDeadError(name, owner - 1);
}

/** Releases the lock word i32[at], waking `wake` sleepers; throws `unlocked` if it was free. */
export function release(i32: Int32Array, at: number, wake: number, unlocked: string): void {
  if (Atomics.exchange(i32, at, 0) === 0) throw new GoMapError(unlocked);
  if (Atomics.load(i32, at + 1) !== 0) Atomics.notify(i32, at, wake); // not > 0: a count a buggy thread took below 0 still wakes
}

/** What Mutex.share() returns: postMessage it, then Mutex.attach() it in the worker. */
export interface MutexHandle {
  readonly handle: "gomap.Mutex";
  readonly version: typeof HANDLE_VERSION;
  readonly lock: SharedArrayBuffer;
  readonly registry: SharedArrayBuffer;
  readonly name: string;
}

export interface LockOptions {
  /** Used in error messages ("Mutex \"orders\" is held by worker 3 ..."). */
  name?: string;
}

/** What a lock is made of, when attach() rebuilds one from a handle (not for users; in the declarations because the constructors take it). */
export interface Attached {
  readonly buffer: SharedArrayBuffer;
  readonly reg: Registry;
  readonly name: string;
}

const MUTEX_NOT_POSTABLE = notPostable("a Mutex", "post mu.share(), for Mutex.attach() there");

export class Mutex {
  /** First, so that postMessage fails naming what to post (notPostable). */
  protected readonly notPostable = MUTEX_NOT_POSTABLE;
  private readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly reg: Registry;
  /** The name errors use: Mutex "<name>". */
  readonly name: string;

  /** A new, unlocked Mutex. (`from` is attach()'s, not for callers.) */
  constructor(opts: LockOptions = {}, from?: Attached) {
    this.buffer = from?.buffer ?? newSharedBuffer(12, "Mutex");
    this.i32 = new Int32Array(this.buffer);
    if (from === undefined) this.i32[2] = MUTEX;
    this.reg = from?.reg ?? registry();
    this.name = from?.name ?? `Mutex ${JSON.stringify(checkName(opts.name, "Mutex"))}`;
  }

  /** The same Mutex, in this thread, from a handle another thread's share() made. */
  static attach(handle: MutexHandle): Mutex {
    const r = checkHandle(handle, "gomap.Mutex");
    const buffer = sharedBuffer(r, "lock", "gomap.Mutex");
    if (buffer.byteLength !== 12) throw new TypeError("gomap: attach: a Mutex's lock buffer is 12 bytes");
    checkKind(buffer, 2, MUTEX, "a Mutex's lock buffer");
    const reg = adoptRegistry(sharedBuffer(r, "registry", "gomap.Mutex"));
    return new Mutex({}, { buffer, reg, name: typeof r.name === "string" ? r.name : "Mutex" });
  }

  share(): MutexHandle {
    return { handle: "gomap.Mutex", version: HANDLE_VERSION, lock: this.buffer, registry: this.reg.buffer, name: this.name };
  }

  /** Waits until the Mutex is free and takes it. */
  lock(): void {
    acquire(this.i32, 0, this.reg, this.name);
  }

  /**
   * Takes the Mutex if it is free; never waits. False while another thread holds it (or this
   * one); OwnerDeadError, as lock() would throw, when its holder has exited: it will never be
   * free, and a loop polling tryLock must hear so rather than spin for ever.
   */
  tryLock(): boolean {
    if (Atomics.compareExchange(this.i32, 0, 0, this.reg.tag) === 0) return true;
    checkOwner(this.i32, 0, this.reg, this.name);
    return false;
  }

  unlock(): void {
    release(this.i32, 0, 1, "sync: unlock of unlocked mutex");
  }

  /** Runs fn holding the Mutex (unlocked again however fn ends). */
  with<R>(fn: () => R): R {
    return holding(this, this.lock, this.unlock, fn, "Mutex.with");
  }
}

/**
 * fn's result, run between l.take() and l.give(), given back however fn ends: the with()
 * methods of the locks. What is not a function is a TypeError (`where` names the call), and
 * so is an async function, whose code after its first await would run with the lock given
 * back; both thrown before anything is taken.
 */
export function holding<L, R>(l: L, take: (this: L) => void, give: (this: L) => void, fn: () => R, where: string): R {
  checkCallback(fn, where);
  if (Object.prototype.toString.call(fn) === "[object AsyncFunction]") {
    throw new TypeError(
      `gomap: ${where} runs fn to its return holding the lock, so an async fn would run past its first await unlocked; lock around the synchronous part instead`,
    );
  }
  take.call(l);
  try {
    return fn();
  } finally {
    give.call(l);
  }
}

/** A lock's display name: the given one (a string) or the kind's. */
export function checkName(name: unknown, kind: string): string {
  if (name === undefined) return kind;
  if (typeof name !== "string") throw new TypeError(`gomap: ${kind} name must be a string, got ${typeof name}`);
  return name;
}
