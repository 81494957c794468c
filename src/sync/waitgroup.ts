// WaitGroup: Go's sync.WaitGroup for worker threads, on Atomics over a small SharedArrayBuffer.
//
//   Int32 words: 0 counter | 1 sleeping waiters | 2 WAITGROUP (what the buffer is, for attach)
//
// add(n) changes the counter; when it reaches 0 every sleeping wait() wakes. A counter that
// would go negative is refused with GoMapError("sync: negative WaitGroup counter"), Go's
// words, and left as it was. There is no owner to watch: a worker that dies before its done()
// leaves wait() waiting, as a goroutine that never calls Done does in Go; wait(timeoutMs)
// bounds that. A counter found below 0 (bytes a buggy thread wrote: add never leaves one)
// makes wait() throw Go's panic too, where it would sleep until some add raised it.
import { GoMapError } from "../errors.js";
import { atomicsWait, newSharedBuffer } from "../platform.js";
import { describe } from "../types/reject.js";
import { checkHandle, checkKind, HANDLE_VERSION, notPostable, sharedBuffer } from "./handle.js";

/** Word 2 of every WaitGroup buffer. */
const WAITGROUP = 0x47574e47; // "GNWG"

export interface WaitGroupHandle {
  readonly handle: "gomap.WaitGroup";
  readonly version: typeof HANDLE_VERSION;
  readonly counter: SharedArrayBuffer;
}

const WAITGROUP_NOT_POSTABLE = notPostable("a WaitGroup", "post wg.share(), for WaitGroup.attach() there");

export class WaitGroup {
  /** First, so that postMessage fails naming what to post (notPostable). */
  protected readonly notPostable = WAITGROUP_NOT_POSTABLE;
  private readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** A new WaitGroup with counter 0. (`buffer` is attach()'s, not for callers.) */
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? newSharedBuffer(12, "WaitGroup");
    this.i32 = new Int32Array(this.buffer);
    if (buffer === undefined) this.i32[2] = WAITGROUP;
  }

  static attach(handle: WaitGroupHandle): WaitGroup {
    const r = checkHandle(handle, "gomap.WaitGroup");
    const buffer = sharedBuffer(r, "counter", "gomap.WaitGroup");
    if (buffer.byteLength !== 12) throw new TypeError("gomap: attach: a WaitGroup's buffer is 12 bytes");
    checkKind(buffer, 2, WAITGROUP, "a WaitGroup's buffer");
    return new WaitGroup(buffer);
  }

  share(): WaitGroupHandle {
    return { handle: "gomap.WaitGroup", version: HANDLE_VERSION, counter: this.buffer };
  }

  /** The counter now. */
  get count(): number {
    return Atomics.load(this.i32, 0);
  }

  add(delta: number): void {
    if (typeof delta !== "number" || !Number.isInteger(delta)) throw new TypeError(`gomap: WaitGroup.add wants an integer, got ${String(delta)}`);
    const i32 = this.i32;
    for (;;) {
      const v = Atomics.load(i32, 0);
      const next = v + delta;
      if (next < 0) throw new GoMapError("sync: negative WaitGroup counter");
      if (next > 0x7fffffff) throw new RangeError("gomap: WaitGroup counter overflow");
      if (Atomics.compareExchange(i32, 0, v, next) !== v) continue;
      if (next === 0 && Atomics.load(i32, 1) !== 0) Atomics.notify(i32, 0); // not > 0: a count a buggy thread took below 0 still wakes
      return;
    }
  }

  done(): void {
    this.add(-1);
  }

  /**
   * Waits until the counter is 0. With timeoutMs, gives up after that long: returns whether
   * the counter reached 0.
   */
  wait(timeoutMs = Infinity): boolean {
    if (typeof timeoutMs !== "number" || !(timeoutMs >= 0)) {
      throw new TypeError(`gomap: WaitGroup.wait wants a timeout in ms (a number, 0 or more), got ${describe(timeoutMs)}`);
    }
    const i32 = this.i32;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = Atomics.load(i32, 0);
      if (v === 0) return true;
      if (v < 0) throw new GoMapError("sync: negative WaitGroup counter");
      const left = end - Date.now();
      if (left <= 0) return false;
      Atomics.add(i32, 1, 1);
      try {
        atomicsWait(i32, 0, v, left, "WaitGroup.wait", "wait in a Web Worker, or poll with wait(0)");
      } finally {
        Atomics.sub(i32, 1, 1);
      }
    }
  }
}
