// RWMutex: Go's sync.RWMutex for worker threads, built so that readers do not contend.
//
// Readers never write a word another reader writes: each thread claims its own reader slot
// (a count on a 64-byte line of its own), and RLock is one Atomics.add on that count plus one
// Atomics.load of the writer word. A writer first takes the writer word (a Mutex-style owner
// word), then waits for every slot's count to drain. Atomics are sequentially consistent, so
// of a reader that raises its count and then reads the writer word, and a writer that sets
// the writer word and then reads the counts, at least one sees the other (Dekker): no reader
// is inside while the writer is. A reader that finds a writer backs out and sleeps on the
// writer word, so writers are not starved by a stream of readers.
//
//   Int32 words (RWLock at `base`, one 64-byte line each):
//   base+0: writer owner tag (liveness.ts Registry.tag) or 0 | base+1: sleepers on the writer word
//   base+2: slots ever claimed (slots are claimed lowest first, so a writer drains only these)
//   base+3: RWMUTEX in an RWMutex's buffer (what it is, for attach; a SyncMap's locks leave it 0)
//   base+16*(s+1): slot s owner tag | base+16*(s+1)+1: slot s read count   (s < readers)
//   base+16*(readers+1): the shared slot, for threads that found no free slot (owner 0)
//
// Dead threads (see liveness.ts): a writer that exits holding the lock leaves its tag in the
// writer word, and every waiter throws OwnerDeadError naming the lock and the thread. A
// reader that exits inside RLock leaves its slot count up; a writer waiting on that slot
// finds its owner dead and takes the count back to 0 (reads change nothing, so nothing is
// left half-done) and frees the slot. A thread's first RLock takes the slot of a thread marked
// dead whose count is 0 (one that exited after its reads) when no slot is free, so a pool
// that replaces its workers keeps slots for the live ones. Threads in the shared slot can't be
// told apart, so a death there is not detected: size `readers` for the threads that run at
// once (default 32).
//
// JS-thread rules: RUnlock must run on the thread that called RLock (the count is that
// thread's); Lock while this thread holds RLock, or RLock while it holds Lock, throws at once
// (Go would deadlock; a blocked JS thread can never recover). RLock by a thread that holds
// RLock (rwith inside rwith) takes it even while a writer waits: Go forbids recursive read
// locking, which deadlocks there (the writer waits for the first hold, the second for the
// writer); a writer can't be inside while this thread reads. A thread with a slot of its own
// reads its holds from the slot's count, which only it raises, so a lock attached twice in one
// thread (two objects over the same bytes) is one lock: an RLock taken through one object is
// released through the other, and Lock through either sees it. In the shared slot, whose owner
// word names nobody, the holds are counted in the RWLock object, so there both checks see
// only the holds taken through the same object.
import { GoMapError } from "../errors.js";
import { newSharedBuffer } from "../platform.js";
import { checkHandle, checkKind, HANDLE_VERSION, notPostable, sharedBuffer } from "./handle.js";
import { adoptRegistry, pollWait, registry } from "./liveness.js";
import type { Registry } from "./liveness.js";
import { acquire, checkName, checkOwner, holding, release } from "./mutex.js";
import type { Attached, LockOptions } from "./mutex.js";

/** Int32 words a cache line: one slot per line. */
const LINE = 16;
/** Reader slots by default. */
export const DEFAULT_READERS = 32;
const SPINS = 64;
/** Word 3 of every RWMutex buffer. */
const RWMUTEX = 0x57524e47; // "GNRW"

/** Int32 words an RWLock with `readers` slots takes. */
export function rwlockWords(readers: number): number {
  return LINE * (readers + 2);
}

/** The lock over words [base, base + rwlockWords(readers)) of a shared Int32Array. */
export class RWLock {
  /** This thread's count word, once claimed; -1 before. */
  private count: number;
  /** Read holds this thread has through this object. */
  private held: number;

  constructor(
    private readonly i32: Int32Array,
    private readonly base: number,
    private readonly readers: number,
    private readonly reg: Registry,
    readonly name: string,
  ) {
    this.count = -1;
    this.held = 0;
  }

  rlock(): void {
    const i32 = this.i32;
    const c = this.count >= 0 ? this.count : this.claim();
    // A thread that already reads reads again even while a writer waits: that writer waits
    // for this thread's count to drain, so backing out to wait for it would wait forever.
    const nested = this.readHeld(c);
    for (;;) {
      Atomics.add(i32, c, 1);
      const w = Atomics.load(i32, this.base);
      if (w === 0 || nested) {
        this.held++;
        return;
      }
      // A writer holds or wants the lock: back out (waking it if it waits for this count).
      Atomics.sub(i32, c, 1);
      Atomics.notify(i32, c);
      if (w === this.reg.tag) throw new GoMapError(`sync: RLock of ${this.name} by the thread that holds its Lock (it would wait for itself forever)`);
      this.sleepOnWriter(w);
    }
  }

  /** Takes a read hold only if no writer holds or wants the lock. */
  tryRLock(): boolean {
    const i32 = this.i32;
    const c = this.count >= 0 ? this.count : this.claim();
    Atomics.add(i32, c, 1);
    if (Atomics.load(i32, this.base) === 0) {
      this.held++;
      return true;
    }
    Atomics.sub(i32, c, 1);
    Atomics.notify(i32, c);
    checkOwner(i32, this.base, this.reg, this.name); // a writer that exited holding it: never free
    return false;
  }

  runlock(): void {
    const c = this.count >= 0 ? this.count : this.own();
    if (!this.readHeld(c)) throw new GoMapError(`sync: RUnlock of unlocked RWMutex (${this.name}, on this thread)`);
    if (this.held > 0) this.held--;
    Atomics.sub(this.i32, c, 1);
    if (Atomics.load(this.i32, this.base) !== 0) Atomics.notify(this.i32, c);
  }

  lock(): void {
    // With no count claimed through this object, a read hold through another object over the
    // lock is in this thread's own slot, and drain() finds it there (owner: this thread's tag).
    if (this.count >= 0 && this.readHeld(this.count)) throw this.upgrade();
    acquire(this.i32, this.base, this.reg, this.name);
    try {
      const used = Atomics.load(this.i32, this.base + 2);
      for (let s = 0; s < used; s++) this.drain(this.base + LINE * (s + 1));
      this.drain(this.base + LINE * (this.readers + 1));
    } catch (err) {
      this.unlock();
      throw err;
    }
  }

  /** Takes the lock only if nobody holds it, for reading or writing; never waits. */
  tryLock(): boolean {
    const i32 = this.i32;
    if (Atomics.compareExchange(i32, this.base, 0, this.reg.tag) !== 0) {
      checkOwner(i32, this.base, this.reg, this.name); // a writer that exited holding it: never free
      return false;
    }
    const used = Atomics.load(i32, this.base + 2);
    for (let s = 0; s <= this.readers; s++) {
      if (s === used) s = this.readers; // then the shared slot
      if (Atomics.load(i32, this.base + LINE * (s + 1) + 1) !== 0) {
        this.unlock();
        return false;
      }
    }
    return true;
  }

  unlock(): void {
    release(this.i32, this.base, Infinity, `sync: Unlock of unlocked RWMutex (${this.name})`);
  }

  /** Waits, holding the writer word, until the slot at `slot` has no readers. */
  private drain(slot: number): void {
    const i32 = this.i32;
    for (let spin = 0; ; spin++) {
      const n = Atomics.load(i32, slot + 1);
      if (n === 0) return;
      const owner = Atomics.load(i32, slot);
      if (owner === this.reg.tag) throw this.upgrade();
      if (spin < SPINS) continue;
      if (pollWait(i32, slot + 1, n, this.name) && owner !== 0 && this.reg.isDead(owner - 1)) {
        // The reader exited mid-read: nothing to undo; take its count back and free the slot.
        Atomics.store(i32, slot + 1, 0);
        Atomics.compareExchange(i32, slot, owner, 0);
      }
    }
  }

  /**
   * Whether this thread holds a read through count word c (-1: none claimed): its own slot's
   * count (raised by this thread alone, through any object over this lock), or, in the shared
   * slot, the holds taken through this object.
   */
  private readHeld(c: number): boolean {
    if (c < 0) return false;
    if (c === this.base + LINE * (this.readers + 1) + 1) return this.held > 0 && Atomics.load(this.i32, c) > 0;
    return Atomics.load(this.i32, c) > 0;
  }

  /** The count word of the slot this thread owns (claimed through another object over this lock), or -1; claims nothing. */
  private own(): number {
    for (let s = 0; s < this.readers; s++) {
      const at = this.base + LINE * (s + 1);
      if (Atomics.load(this.i32, at) === this.reg.tag) return (this.count = at + 1);
    }
    return -1;
  }

  /** The error of a Lock by a thread that holds RLock. */
  private upgrade(): GoMapError {
    return new GoMapError(`sync: Lock of ${this.name} by a thread that holds its RLock (it would wait for itself forever)`);
  }

  private sleepOnWriter(w: number): void {
    const i32 = this.i32;
    for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(i32, this.base) !== w) return;
    Atomics.add(i32, this.base + 1, 1);
    let timedOut: boolean;
    try {
      timedOut = pollWait(i32, this.base, w, this.name);
    } finally {
      Atomics.sub(i32, this.base + 1, 1);
    }
    if (timedOut) checkOwner(i32, this.base, this.reg, this.name);
  }

  /**
   * This thread's slot's count word: one it owns already, a free one, one a dead thread left
   * with no reads in it, or the shared one.
   */
  private claim(): number {
    const i32 = this.i32;
    for (let s = 0; s < this.readers; s++) {
      const at = this.base + LINE * (s + 1);
      if (Atomics.load(i32, at) === this.reg.tag) return (this.count = at + 1);
    }
    for (let s = 0; s < this.readers; s++) {
      const at = this.base + LINE * (s + 1);
      if (Atomics.compareExchange(i32, at, 0, this.reg.tag) !== 0) continue;
      return (this.count = this.claimed(s));
    }
    // No free slot: take one whose owner has exited after its reads. Its count stays 0 (only
    // its owner raised it), and of two threads after it one wins the compare-and-swap.
    for (let s = 0; s < this.readers; s++) {
      const at = this.base + LINE * (s + 1);
      const owner = Atomics.load(i32, at);
      if (owner === 0 || !this.reg.isDead(owner - 1) || Atomics.load(i32, at + 1) !== 0) continue;
      if (Atomics.compareExchange(i32, at, owner, this.reg.tag) !== owner) continue;
      return (this.count = this.claimed(s));
    }
    return (this.count = this.base + LINE * (this.readers + 1) + 1);
  }

  /** The count word of slot s, just claimed; the writers' high-water mark covers it. */
  private claimed(s: number): number {
    const i32 = this.i32;
    // Raise the high-water mark before the first RLock through this slot: a writer that reads
    // the mark after our count goes up (Dekker, as above) then drains this slot too.
    for (let used = Atomics.load(i32, this.base + 2); used < s + 1; ) {
      const seen = Atomics.compareExchange(i32, this.base + 2, used, s + 1);
      if (seen === used) break;
      used = seen;
    }
    return this.base + LINE * (s + 1) + 1;
  }
}

/** What RWMutex.share() returns: postMessage it, then RWMutex.attach() it in the worker. */
export interface RWMutexHandle {
  readonly handle: "gomap.RWMutex";
  readonly version: typeof HANDLE_VERSION;
  readonly lock: SharedArrayBuffer;
  readonly registry: SharedArrayBuffer;
  readonly name: string;
}

export interface RWMutexOptions extends LockOptions {
  /** Reader slots: threads that can hold RLock without sharing a count (default 32). */
  readers?: number;
}

const RWMUTEX_NOT_POSTABLE = notPostable("an RWMutex", "post rw.share(), for RWMutex.attach() there");

export class RWMutex {
  /** First, so that postMessage fails naming what to post (notPostable). */
  protected readonly notPostable = RWMUTEX_NOT_POSTABLE;
  private readonly buffer: SharedArrayBuffer;
  private readonly reg: Registry;
  private readonly rw: RWLock;
  readonly name: string;

  /** A new, unlocked RWMutex. (`from` is attach()'s, not for callers.) */
  constructor(opts: RWMutexOptions = {}, from?: Attached) {
    const readers = from ? slotsOf(from.buffer) : checkReaders(opts.readers);
    this.buffer = from?.buffer ?? newSharedBuffer(rwlockWords(readers) * 4, "RWMutex");
    this.reg = from?.reg ?? registry();
    this.name = from?.name ?? `RWMutex ${JSON.stringify(checkName(opts.name, "RWMutex"))}`;
    const i32 = new Int32Array(this.buffer);
    if (from === undefined) i32[3] = RWMUTEX;
    this.rw = new RWLock(i32, 0, readers, this.reg, this.name);
  }

  static attach(handle: RWMutexHandle): RWMutex {
    const r = checkHandle(handle, "gomap.RWMutex");
    const buffer = sharedBuffer(r, "lock", "gomap.RWMutex");
    slotsOf(buffer);
    checkKind(buffer, 3, RWMUTEX, "an RWMutex lock buffer");
    const reg = adoptRegistry(sharedBuffer(r, "registry", "gomap.RWMutex"));
    return new RWMutex({}, { buffer, reg, name: typeof r.name === "string" ? r.name : "RWMutex" });
  }

  share(): RWMutexHandle {
    return { handle: "gomap.RWMutex", version: HANDLE_VERSION, lock: this.buffer, registry: this.reg.buffer, name: this.name };
  }

  rlock(): void {
    this.rw.rlock();
  }
  tryRLock(): boolean {
    return this.rw.tryRLock();
  }
  runlock(): void {
    this.rw.runlock();
  }
  lock(): void {
    this.rw.lock();
  }
  tryLock(): boolean {
    return this.rw.tryLock();
  }
  unlock(): void {
    this.rw.unlock();
  }

  /** Runs fn holding the write lock (unlocked again however fn ends), as Mutex.with. */
  with<R>(fn: () => R): R {
    return holding(this, this.lock, this.unlock, fn, "RWMutex.with");
  }

  /** Runs fn holding a read lock (unlocked again however fn ends). */
  rwith<R>(fn: () => R): R {
    return holding(this, this.rlock, this.runlock, fn, "RWMutex.rwith");
  }
}

function checkReaders(n: unknown): number {
  if (n === undefined) return DEFAULT_READERS;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 4096) {
    throw new RangeError(`gomap: readers must be an integer in 1..4096, got ${String(n)}`);
  }
  return n;
}

/** The reader slots of an RWMutex buffer, from its size. */
function slotsOf(buffer: SharedArrayBuffer): number {
  const words = buffer.byteLength / 4;
  if (words % LINE !== 0 || words / LINE < 3) throw new TypeError("gomap: attach: not an RWMutex lock buffer (wrong size)");
  return words / LINE - 2;
}
