// SyncMap: Go's sync.Map (load, store, loadOrStore, loadAndDelete, delete, swap,
// compareAndSwap, compareAndDelete, range, clear) for any number of worker threads, typed like
// GoMap and shared the same way (share() / SyncMap.attach()).
//
// Design: lock-striped shards with non-contending reads.
// - The keys are split over `shards` (a power of two, default 16) shared GoMaps, each on its
//   own growable SharedArrayBuffer heap. A key's shard is its hash under a seed of the
//   SyncMap's own (kept in the control buffer so every thread agrees), independent of the
//   shards' hash0 seeds.
// - Each shard is guarded by an RWLock (rwmutex.ts) whose readers each have their own slot:
//   a load is one Atomics.add on the reader's own cache line, one Atomics.load of the shard's
//   writer word, the GoMap lookup, and one Atomics.sub. Readers of stable keys write nothing
//   any other thread writes, so they scale with threads, which is sync.Map's purpose.
// - Writers take the shard's writer word and wait for its readers to drain. Writes to different
//   shards run in parallel. Operations that may not need to write (loadOrStore of a present key,
//   loadAndDelete/delete of an absent one, compareAndSwap/compareAndDelete whose value does
//   not match) first look under the read lock, as Go's read-only fast paths do.
//
// Why not an optimistic seqlock: a reader racing a writer would walk buckets the writer is
// moving or freeing, and could follow a link into reused memory; the reader-slot lock never
// lets a reader see a write in progress, and costs about the same on the read path.
//
// Guarantees:
// - Linearizable: every operation takes effect at one instant inside its call (under its
//   shard's lock; a fast-path miss, at its read).
// - Heap growth: only a writer grows a shard's heap, and it holds the shard's writer word while
//   it does; readers enter after it leaves and sync their views of the heap on entry, so no
//   reader ever reads through a stale view.
// - range(f) visits each key present for the whole call exactly once, with a value it held at
//   some instant during the call; keys stored or deleted meanwhile may or may not be visited,
//   as in Go. No lock is held while f runs, so f may call any method, range included. It takes
//   each shard's keys under the read lock, then loads each key again before calling f; a key
//   no lookup finds (NaN) is visited with the value read with it, as Go's Range visits it.
// - clear() empties the shards one after another, not all at one instant.
// - Bad keys or values throw TypeError/RangeError before any lock is taken; a write that runs
//   out of memory (maxBytes, split evenly over the shards) throws HeapExhaustedError and
//   changes nothing. A worker that exits holding a shard's writer word makes the others
//   throw OwnerDeadError naming `SyncMap "<name>" shard <i>` and the worker.
//
// Go's two results map to JS as: load -> V | undefined (undefined: absent); loadOrStore ->
// [actual, loaded]; loadAndDelete and swap -> the previous value or undefined.
import { noPublicConstructor } from "../errors.js";
import { GoMap, attachTypes } from "../gomap.js";
import type { GoMapHandle } from "../gomap.js";
import { mapJSON } from "../inspect/json.js";
import { entriesToShow, inspectCustom, showEntries } from "../inspect/show.js";
import type { InspectFn, InspectStyle } from "../inspect/show.js";
import type { HMap } from "../runtime/hmap.js";
import { checkCallback, checkCount, checkMaxBytes, checkOptionKeys } from "../options.js";
import { requireSharedArrayBuffer } from "../platform.js";
import { checkTypeArgs } from "../types/type.js";
import type { AnyType, GoType, In, Out } from "../types/type.js";
import { baseOf } from "../types/gohash.js";
import { checkHandle, encodeType, HANDLE_VERSION, notPostable, sharedBuffer } from "./handle.js";
import type { TypeCode } from "./handle.js";
import { adoptRegistry, registry } from "./liveness.js";
import type { Registry } from "./liveness.js";
import { checkName } from "./mutex.js";
import { DEFAULT_READERS, RWLock, rwlockWords } from "./rwmutex.js";

const MAGIC = 0x4d434e53; // "SNCM"
const VERSION = 1;
// Control words: 0 magic | 1 version | 2 shard seed | 3 shards | 4 reader slots; the shards'
// RWLocks from word LOCKS on.
const W_SEED = 2;
const W_SHARDS = 3;
const W_READERS = 4;
const LOCKS = 16;
const DEFAULT_SHARDS = 16;
/** The shard counts and reader slots make takes, which attach checks the control words against. */
const shardsOk = (n: number): boolean => n >= 1 && n <= 256 && (n & (n - 1)) === 0;
const readersOk = (n: number): boolean => n >= 1 && n <= 4096;

/** The control buffer's bytes for `shards` locks of `readers` slots. */
function controlBytes(shards: number, readers: number): number {
  return (LOCKS + shards * rwlockWords(readers)) * 4;
}

export interface SyncMapOptions {
  /** Shards, a power of two in 1..256 (default 16): writers to different shards don't wait. */
  shards?: number;
  /** Reader slots per shard lock (default 32): threads reading without sharing a count. */
  readers?: number;
  /** The most bytes all shards' heaps together may grow to. */
  maxBytes?: number;
  /** Used in error messages. */
  name?: string;
}

/** What share() returns: plain, structured-cloneable data; SyncMap.attach() it in a worker. */
export interface SyncMapHandle<K = unknown, V = unknown, KIn = K, VIn = V> {
  readonly handle: "gomap.SyncMap";
  readonly version: typeof HANDLE_VERSION;
  readonly control: SharedArrayBuffer;
  readonly registry: SharedArrayBuffer;
  /** Each shard's heap. */
  readonly shards: readonly SharedArrayBuffer[];
  readonly key: TypeCode;
  readonly value: TypeCode;
  readonly name: string;
  /** Never set: carries the type parameters. */
  readonly types?: [K, V, KIn, VIn];
}

/** The type SyncMap.make(K, V) gives, named from its descriptors, as GoMapOf names a GoMap's. */
export type SyncMapOf<KT extends AnyType, VT extends AnyType> = SyncMap<Out<KT>, Out<VT>, In<KT>, In<VT>>;

/** The handle share() gives for a SyncMapOf<KT, VT>. */
export type SyncMapHandleOf<KT extends AnyType, VT extends AnyType> = SyncMapHandle<Out<KT>, Out<VT>, In<KT>, In<VT>>;

/** What make and attach pass the constructor, so that `new SyncMap(...)` from outside is refused. */
const BUILD: unique symbol = Symbol("SyncMap.build");

const SYNCMAP_NOT_POSTABLE = notPostable("a SyncMap", "post s.share(), for SyncMap.attach() there");

export class SyncMap<K, V, KIn = K, VIn = V> {
  /** First, so that postMessage(s) fails naming what to post (notPostable). */
  protected readonly notPostable = SYNCMAP_NOT_POSTABLE;
  readonly keyType: GoType<K, KIn>;
  readonly valueType: GoType<V, VIn>;
  /** The name errors use: SyncMap "<name>". */
  readonly name: string;
  private readonly control: SharedArrayBuffer;
  private readonly reg: Registry;
  private readonly maps: GoMap<K, V, KIn, VIn>[];
  private readonly hmaps: HMap[];
  private readonly locks: RWLock[];
  private readonly seed: number;
  private readonly mask: number;

  private constructor(
    keyType: GoType<K, KIn>,
    valueType: GoType<V, VIn>,
    control: SharedArrayBuffer,
    reg: Registry,
    maps: GoMap<K, V, KIn, VIn>[],
    name: string,
    token: typeof BUILD,
  ) {
    if (token !== BUILD) throw noPublicConstructor("SyncMap", "SyncMap.make(keyType, valueType) or SyncMap.attach(handle)");
    const c = new Int32Array(control);
    const readers = c[W_READERS];
    this.keyType = keyType;
    this.valueType = valueType;
    this.name = name;
    this.control = control;
    this.reg = reg;
    this.maps = maps;
    this.hmaps = maps.map((m) => GoMap.hmapOf(m as GoMap<unknown, unknown, unknown, unknown>) as HMap);
    this.locks = maps.map((_, i) => new RWLock(c, LOCKS + i * rwlockWords(readers), readers, reg, `${name} shard ${i}`));
    this.seed = c[W_SEED];
    this.mask = maps.length - 1;
  }

  /** An empty SyncMap of keyType -> valueType. */
  static make<KT extends AnyType, VT extends AnyType>(keyType: KT, valueType: VT, opts: SyncMapOptions = {}): SyncMapOf<KT, VT> {
    checkTypeArgs(keyType, valueType);
    checkOptionKeys(opts, ["shards", "readers", "maxBytes", "name"], "SyncMap.make");
    checkMaxBytes(opts.maxBytes, "SyncMap.make");
    const shards = checkCount(opts.shards, "SyncMap.make", "shards", "a power of two in 1..256", shardsOk) ?? DEFAULT_SHARDS;
    const readers = checkCount(opts.readers, "SyncMap.make", "readers", "an integer in 1..4096", readersOk) ?? DEFAULT_READERS;
    const name = `SyncMap ${JSON.stringify(checkName(opts.name, "SyncMap"))}`;
    // The types as gomap made them: another map's keyType may be a Go-hashed copy (go1.19),
    // whose hash the shards' headers would not record and attach() would not know.
    keyType = baseOf(keyType) as KT;
    valueType = baseOf(valueType) as VT;
    encodeType(keyType); // a type that can't be shared fails here, not at share()
    encodeType(valueType);
    // Said as SyncMap's own need, not its first shard's (a shard whose buffer cannot grow is
    // refused by GoMap.make, as a shared map).
    requireSharedArrayBuffer("SyncMap");
    // At least 1: a bound too small for any shard is a HeapExhaustedError from make, as for a GoMap.
    const maxBytes = opts.maxBytes === undefined ? undefined : Math.max(1, Math.floor(opts.maxBytes / shards));
    const maps = [];
    for (let i = 0; i < shards; i++) maps.push(GoMap.make(keyType, valueType, { shared: true, maxBytes }));
    const control = new SharedArrayBuffer(controlBytes(shards, readers));
    const c = new Int32Array(control);
    c[0] = MAGIC;
    c[1] = VERSION;
    c[W_SEED] = crypto.getRandomValues(new Int32Array(1))[0];
    c[W_SHARDS] = shards;
    c[W_READERS] = readers;
    return new SyncMap(keyType, valueType, control, registry(), maps, name, BUILD) as SyncMapOf<KT, VT>;
  }

  /**
   * The same SyncMap, in this thread, from a handle another thread's share() made. With
   * keyType and valueType, the map is theirs, as GoMap.attach's (attachTypes).
   */
  static attach<K = unknown, V = unknown, KIn = K, VIn = V>(handle: SyncMapHandle<K, V, KIn, VIn>): SyncMap<K, V, KIn, VIn>;
  static attach<KT extends AnyType, VT extends AnyType>(handle: SyncMapHandle, keyType: KT, valueType: VT): SyncMapOf<KT, VT>;
  static attach(handle: SyncMapHandle, kt?: AnyType, vt?: AnyType): SyncMap<unknown, unknown, unknown, unknown> {
    const tag = "gomap.SyncMap";
    const r = checkHandle(handle, tag);
    const control = sharedBuffer(r, "control", tag);
    const c = new Int32Array(control);
    if (c.length < LOCKS || c[0] !== MAGIC || c[1] !== VERSION) throw new TypeError("gomap: attach: not a SyncMap control buffer (bad magic or version)");
    const [shards, readers] = [c[W_SHARDS], c[W_READERS]];
    if (!shardsOk(shards) || !readersOk(readers) || control.byteLength !== controlBytes(shards, readers)) {
      throw new TypeError(`gomap: attach: not a SyncMap control buffer (${shards} shards of ${readers} reader slots in ${control.byteLength} bytes)`);
    }
    const heaps = r.shards;
    if (!Array.isArray(heaps) || heaps.length !== shards) throw new TypeError(`gomap: attach: the SyncMap handle needs ${shards} shard heaps`);
    if (new Set(heaps).size !== shards) throw new TypeError("gomap: attach: the SyncMap handle gives one heap for two shards");
    const [keyType, valueType] = attachTypes(r, kt, vt);
    const maps = heaps.map((heap: unknown) =>
      GoMap.attach({ handle: "gomap.GoMap", version: HANDLE_VERSION, heap: heap as SharedArrayBuffer, key: r.key as TypeCode, value: r.value as TypeCode }, keyType, valueType),
    );
    const reg = adoptRegistry(sharedBuffer(r, "registry", tag));
    return new SyncMap(keyType, valueType, control, reg, maps, typeof r.name === "string" ? r.name : "SyncMap", BUILD);
  }

  share(): SyncMapHandle<K, V, KIn, VIn> {
    return {
      handle: "gomap.SyncMap",
      version: HANDLE_VERSION,
      control: this.control,
      registry: this.reg.buffer,
      shards: this.maps.map((m) => (m.share() as GoMapHandle).heap),
      key: encodeType(this.keyType),
      value: encodeType(this.valueType),
      name: this.name,
    };
  }

  /** Go's Load: the value for key, or undefined when absent. */
  load(key: KIn): V | undefined {
    const s = this.shardOf(key);
    const lock = this.locks[s];
    lock.rlock();
    try {
      return this.maps[s].get(key);
    } finally {
      lock.runlock();
    }
  }

  /** Go's Store: sets the value for key. */
  store(key: KIn, value: VIn): void {
    const s = this.shardOf(key);
    this.valueType.check(value, "value");
    const lock = this.locks[s];
    lock.lock();
    try {
      this.maps[s].set(key, value);
    } finally {
      lock.unlock();
    }
  }

  /** Go's Swap: stores value and returns the previous value, or undefined when there was none. */
  swap(key: KIn, value: VIn): V | undefined {
    const s = this.shardOf(key);
    this.valueType.check(value, "value");
    const lock = this.locks[s];
    lock.lock();
    try {
      const m = this.maps[s];
      const prev = m.get(key);
      m.set(key, value);
      return prev;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Go's LoadOrStore: [the present value, true] if key is present, else stores value and
   * returns [the stored value, false].
   */
  loadOrStore(key: KIn, value: VIn): [V, boolean] {
    const s = this.shardOf(key);
    this.valueType.check(value, "value");
    const present = this.load(key);
    if (present !== undefined) return [present, true];
    const lock = this.locks[s];
    lock.lock();
    try {
      const m = this.maps[s];
      const cur = m.get(key);
      if (cur !== undefined) return [cur, true];
      // update() stores value and reads it back from the slot it went into: a NaN key, which
      // no lookup finds, gets its value back too, as Go's LoadOrStore returns it.
      return [m.update(key, () => value), false];
    } finally {
      lock.unlock();
    }
  }

  /** Go's LoadAndDelete: deletes key and returns its value, or undefined when it was absent. */
  loadAndDelete(key: KIn): V | undefined {
    const s = this.shardOf(key);
    if (!this.has(s, key)) return undefined;
    const lock = this.locks[s];
    lock.lock();
    try {
      const m = this.maps[s];
      const v = m.get(key);
      if (v !== undefined) m.delete(key);
      return v;
    } finally {
      lock.unlock();
    }
  }

  /** Go's Delete. */
  delete(key: KIn): void {
    const s = this.shardOf(key);
    if (!this.has(s, key)) return;
    const lock = this.locks[s];
    lock.lock();
    try {
      this.maps[s].delete(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Go's CompareAndSwap: stores next if key's value == old (Go's ==: NaN never matches);
   * returns whether it did. Never inserts: a missing key gives false.
   */
  compareAndSwap(key: KIn, old: VIn, next: VIn): boolean {
    const s = this.shardOf(key);
    this.valueType.check(old, "old value");
    this.valueType.check(next, "value");
    if (!this.holds(s, key, old, false)) return false;
    const lock = this.locks[s];
    lock.lock();
    try {
      if (!this.holds(s, key, old, true)) return false;
      this.maps[s].set(key, next);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Go's CompareAndDelete: deletes key if its value == old; returns whether it did. */
  compareAndDelete(key: KIn, old: VIn): boolean {
    const s = this.shardOf(key);
    this.valueType.check(old, "old value");
    if (!this.holds(s, key, old, false)) return false;
    const lock = this.locks[s];
    lock.lock();
    try {
      if (!this.holds(s, key, old, true)) return false;
      this.maps[s].delete(key);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Go's Range: calls f(key, value) for each entry until f returns false. See the header for
   * what it sees of concurrent writes; f may call any method of this map.
   */
  range(f: (key: K, value: V) => boolean | void): void {
    checkCallback(f, "SyncMap.range");
    const reflexive = (this.keyType as AnyType).reflexive;
    for (let s = 0; s < this.maps.length; s++) {
      const lock = this.locks[s];
      const m = this.maps[s];
      let keys: K[];
      // The values of keys no lookup finds (NaN, or a struct holding one), by their index in
      // keys: range gives them the value the walk read, as Go's Range visits them.
      const unfindable = new Map<number, V>();
      lock.rlock();
      try {
        if (reflexive) {
          keys = [...m.keys()];
        } else {
          keys = [];
          for (const [k, v] of m) {
            if (!m.has(k as unknown as KIn)) unfindable.set(keys.length, v);
            keys.push(k);
          }
        }
      } finally {
        lock.runlock();
      }
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const v = unfindable.size > 0 && unfindable.has(i) ? unfindable.get(i) : this.load(k as unknown as KIn);
        if (v !== undefined && f(k, v) === false) return;
      }
    }
  }

  /**
   * What JSON.stringify makes of the map: its entries as range() visits them, by GoMap's rules
   * (src/inspect/json.ts). Go's json.Marshal writes {} for a sync.Map, which has no exported
   * fields; the entries are what a JS program serialising one wants.
   */
  toJSON(): Record<string, unknown> | null {
    return mapJSON(this.rangeEntries(Infinity).entries, this.keyType as AnyType, this.valueType as AnyType);
  }

  /**
   * How console.log and util.inspect show the map: its types and entries, as range() visits
   * them, at most options.maxArrayLength of them (100 by default). sync.Map has no length, so
   * what is left out is not counted.
   */
  [inspectCustom](depth: number, options: InspectStyle, inspect: InspectFn): string {
    const head = `SyncMap [map[${this.keyType.name}]${this.valueType.name}]`;
    if (depth < 0) return `[${head}]`;
    const { entries, more } = this.rangeEntries(entriesToShow(options));
    return showEntries(head, entries, more ? "... more items" : 0, depth, options, inspect);
  }

  /** The first `max` entries range() visits, and whether it had more. */
  private rangeEntries(max: number): { entries: [K, V][]; more: boolean } {
    const entries: [K, V][] = [];
    let more = false;
    this.range((k, v) => {
      if (entries.length === max) {
        more = true;
        return false;
      }
      entries.push([k, v]);
    });
    return { entries, more };
  }

  /** Go 1.23's Clear: removes every entry, shard by shard. */
  clear(): void {
    for (let s = 0; s < this.maps.length; s++) {
      const lock = this.locks[s];
      lock.lock();
      try {
        this.maps[s].clear();
      } finally {
        lock.unlock();
      }
    }
  }

  /** @internal The shards, for the tests' invariant checks. */
  static shardsOf<K, V, KIn, VIn>(m: SyncMap<K, V, KIn, VIn>): readonly GoMap<K, V, KIn, VIn>[] {
    return m.maps;
  }

  /** @internal The shards' locks, for the tests (a worker that dies holding one). */
  static shardLocksOf<K, V, KIn, VIn>(m: SyncMap<K, V, KIn, VIn>): readonly RWLock[] {
    return m.locks;
  }

  /** key's shard; checks the key (TypeError/RangeError) first. */
  private shardOf(key: KIn): number {
    const kt: GoType<K, KIn> = this.keyType;
    kt.check(key, "key");
    return kt.hash(key, this.seed) & this.mask;
  }

  /** Whether shard s holds key, under its read lock. */
  private has(s: number, key: KIn): boolean {
    const lock = this.locks[s];
    lock.rlock();
    try {
      return this.maps[s].has(key);
    } finally {
      lock.runlock();
    }
  }

  /** Whether shard s holds key with a value == old; under the write lock if `locked`, else under the read lock. */
  private holds(s: number, key: KIn, old: VIn, locked: boolean): boolean {
    const lock = this.locks[s];
    if (!locked) lock.rlock();
    try {
      const h = this.hmaps[s];
      h.heap.sync();
      const b = h.rt.mapaccess(h, key);
      return b !== 0 && this.valueType.equal(h.heap, h.elemAt(b, h.slot), old);
    } finally {
      if (!locked) lock.runlock();
    }
  }
}
