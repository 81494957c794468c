// GoMap: the public map. A Map-like surface (get, set, has, delete, clear, size, keys,
// values, entries, forEach, for..of) and Go's surface (lookup's `v, ok`, nil maps, update
// and ref for values changed in place), over the runtime in src/runtime.
//
// This is the safe layer: every key and value is checked against its type before the runtime
// sees it, so the runtime can take what it is given. The hottest methods (get, lookup, has,
// set, delete, iteration) are written in the kernel (runtime/generic/methods.ts) and sit on a
// prototype per key kind; this file declares them (the GoMap interface below the class). Go's semantics where they
// differ from Map (documented in README): iteration order is random; +0 and -0 are one key
// and a later write stores its own sign; a NaN key never equals anything, so each set(NaN)
// adds an entry that only clear() removes; get returns a copy of a struct value.
//
// A map made or loaded with { shared: true } lives on a growable SharedArrayBuffer; share() gives a
// handle another worker passes to GoMap.attach() to use the same bytes. Its reads (get, has,
// lookup) and set come from opsFor(..., shared) (ops.ts), which sync the heap's views first and
// check hashWriting again at the end; the other operations here sync the views first too.
import { GoMapError, StaleRefError, noPublicConstructor } from "./errors.js";
import { BLOCK_HEADER, FIRST_BLOCK, Heap, MAX_CAPACITY } from "./memory/heap.js";
import { HMap } from "./runtime/hmap.js";
import { Flag, Hmap32, LoadFactor } from "./runtime/layout.js";
import { abandonWrite, beginWrite } from "./runtime/writing.js";
import { arrayBuckets, bucketsForHint, makemap } from "./runtime/makemap.js";
import { MapType } from "./runtime/maptype.js";
import { mapclear } from "./runtime/clear.js";
import { checkAttachable } from "./runtime/headercheck.js";
import { genericKernel, kernelFor, specialise } from "./runtime/specialise.js";
import type { Kernel } from "./runtime/specialise.js";
import { opsFor } from "./ops.js";
import type { Ops } from "./ops.js";
import { checkCallback, checkMaxBytes, checkOptionKeys, checkShared } from "./options.js";
import { describe, quoted, show } from "./types/reject.js";
import { checkTypeArgs, viewsOf } from "./types/type.js";
import type { AnyType, GoType, In, Out } from "./types/type.js";
import { inputCopy, isStructType } from "./types/struct.js";
import { keyTypeOf, writeHasher } from "./runtime/hasher.js";
import { baseOf, goHashed } from "./types/gohash.js";
import { checkHandle, decodeType, encodeType, HANDLE_VERSION, notPostable, sharedBuffer } from "./sync/handle.js";
import type { TypeCode } from "./sync/handle.js";
import * as snapshot from "./snapshot/index.js";
import type { LoadOptions } from "./snapshot/index.js";
import { recordsOtherTypes, typesDigest } from "./snapshot/typecode.js";
import { mapJSON } from "./inspect/json.js";
import { entriesToShow, inspectCustom, showEntries } from "./inspect/show.js";
import type { InspectFn, InspectStyle } from "./inspect/show.js";
import { mapStats } from "./inspect/stats.js";
import type { InspectOptions, MapStats } from "./inspect/stats.js";
import type { OwnBytes } from "./types/bytes.js";

export type { MapStats } from "./inspect/stats.js";

/** The keys of MakeOptions. */
const MAKE_OPTIONS = ["hint", "maxBytes", "hash", "hashKey", "seed", "shared"] as const;

export interface MakeOptions {
  /** Entries to make room for now, as make(map[K]V, hint). Negative or absurd hints are ignored, as Go ignores them. */
  hint?: number;
  /** The most bytes the map's heap may grow to; a write that needs more throws HeapExhaustedError and changes nothing. */
  maxBytes?: number;
  /**
   * The hash function: "gomap" (the default, fastest) or "go1.19", Go 1.19's portable hash bit
   * for bit, which with the same hashKey and seed lays the map out exactly as Go 1.19 does
   * (GODEBUG=cpu.aes=off). See README "Go's own hash".
   */
  hash?: "gomap" | "go1.19";
  /** For hash "go1.19": Go's runtime.hashkey[0] (a 64-bit integer, forced odd as Go forces it). Random when absent. */
  hashKey?: bigint;
  /** The map's hash seed (Go's hash0, a u32). Random when absent; Go, too, picks a new one when a delete or clear empties the map. */
  seed?: number;
  /**
   * Put the map on a growable SharedArrayBuffer, so share() can hand it to other workers. As
   * in Go, the map itself is not synchronised: guard writes with a Mutex or RWMutex (or use a
   * SyncMap); an unguarded write that overlaps another write or a read throws GoMapError.
   */
  shared?: boolean;
}

/**
 * What share() returns: plain, structured-cloneable data (postMessage it to a worker, then
 * GoMap.attach it there). The type parameters only carry the map's types within one program.
 */
export interface GoMapHandle<K = unknown, V = unknown, KIn = K, VIn = V> {
  readonly handle: "gomap.GoMap";
  readonly version: typeof HANDLE_VERSION;
  /** The map's heap: the map itself. */
  readonly heap: SharedArrayBuffer;
  readonly key: TypeCode;
  readonly value: TypeCode;
  /** Never set: carries the type parameters. */
  readonly types?: [K, V, KIn, VIn];
}

/**
 * The key and value types attach() gives its map (the key's base type: the heap's header says
 * how it hashes): those the handle `r` describes, or the caller's, which must be the same Go
 * types (t.u64.asNumber for a uint64 key is); a TypeError otherwise, or for one type alone.
 */
export function attachTypes(r: Record<string, unknown>, keyType: unknown, valueType: unknown): [AnyType, AnyType] {
  const k = decodeType(r.key);
  const v = decodeType(r.value);
  if (keyType === undefined && valueType === undefined) return [k, v];
  checkTypeArgs(keyType, valueType);
  const [kt, vt] = [baseOf(keyType as AnyType), valueType as AnyType];
  if (typesDigest(kt, vt) !== typesDigest(k, v)) {
    throw new TypeError(`gomap: attach: the shared map is a map[${k.name}]${v.name}, not a map[${kt.name}]${vt.name}`);
  }
  return [kt, vt];
}

/**
 * The type GoMap.make(K, V) gives, named from its descriptors (`GoMapOf<typeof t.string, typeof
 * User>`) for a signature: what keys and values read as, and what set takes.
 */
export type GoMapOf<KT extends AnyType, VT extends AnyType> = GoMap<Out<KT>, Out<VT>, In<KT>, In<VT>>;

/** The handle share() gives for a GoMapOf<KT, VT>: type a worker's workerData with it. */
export type GoMapHandleOf<KT extends AnyType, VT extends AnyType> = GoMapHandle<Out<KT>, Out<VT>, In<KT>, In<VT>>;

/**
 * What ref() returns for a value that is not a struct: `value` reads as get() does (V) and
 * takes what set() takes (VIn: a number or a bigint for an int64, say).
 */
export type RefBox<V, VIn = V> = {
  get value(): V;
  set value(v: V | VIn);
};

/**
 * What ref() returns: a live view of a struct value, or a box around any other value. A view is
 * typed as the value type V, but its fields are accessors on its prototype: spreading it,
 * Object.keys and structuredClone see none (get() gives a plain copy). A [N]byte field reads
 * as a fresh copy: writing into it changes nothing; assign a whole array. Its setters take
 * what set() takes at run time, but are typed as the fields' read types (a mapped type has one
 * type per property).
 */
export type Ref<V, VIn = V> = V extends Uint8Array ? RefBox<V, VIn> : V extends object ? V : RefBox<V, VIn>;

/**
 * The Heap of each shared buffer this thread made or attached. One Heap a buffer, whatever the
 * number of GoMaps over it here: an iterator's hold (Heap.hold) defers the frees of every
 * write this thread makes to the map, through any of its handles, as Go's GC keeps buckets
 * alive for an iteration whatever alias the loop body writes through. A buffer that arrives
 * in two messages is two objects, which this can't tell apart (README).
 */
const sharedHeaps = new WeakMap<SharedArrayBuffer, Heap>();

/** What GoMap.create passes its constructor, so that `new GoMap(...)` from outside is refused. */
const CREATE: unique symbol = Symbol("GoMap.create");

const GOMAP_NOT_POSTABLE = notPostable(
  "a GoMap",
  "make it with { shared: true } and post m.share(), for GoMap.attach() there (or post m.toBytes(), a copy, for GoMap.fromBytes())",
);

export class GoMap<K, V, KIn = K, VIn = V> implements Iterable<[K, V]> {
  /** First, so that postMessage(m) fails naming what to post (notPostable); protected only so that the compiler does not call it unused. */
  protected readonly notPostable = GOMAP_NOT_POSTABLE;
  /** null for a nil map. */
  private readonly h: HMap | null;
  /** The hot paths for this map's types. */
  private readonly ops: Ops;
  readonly keyType: GoType<K, KIn>;
  readonly valueType: GoType<V, VIn>;

  private constructor(keyType: GoType<K, KIn>, valueType: GoType<V, VIn>, h: HMap | null, token: typeof CREATE) {
    if (token !== CREATE) {
      throw noPublicConstructor("GoMap", "GoMap.make(keyType, valueType), GoMap.nil, GoMap.fromBytes or GoMap.attach");
    }
    this.h = h;
    if (h !== null) h.owner = this;
    this.ops = opsFor(keyType, valueType, h !== null && h.heap.shared);
    this.keyType = keyType;
    this.valueType = valueType;
  }

  /** make(map[K]V, hint): an empty map. */
  static make<KT extends AnyType, VT extends AnyType>(
    keyType: KT,
    valueType: VT,
    opts: MakeOptions = {},
  ): GoMapOf<KT, VT> {
    checkTypeArgs(keyType, valueType);
    checkOptionKeys(opts, MAKE_OPTIONS, "GoMap.make");
    checkMaxBytes(opts.maxBytes, "GoMap.make");
    const hasher = checkHasher(opts);
    // The hash is the options' alone: another map's keyType may carry its map's (go1.19).
    const base = baseOf(keyType);
    const kt = hasher === null ? base : goHashed(base, hasher);
    const t = MapType.of(kt, valueType);
    const hint = checkHint(opts.hint, t);
    checkShared(opts.shared);
    const shared = opts.shared === true;
    // Room for the headers and the bucket array the hint asks for (without one, the first
    // bucket: a map of up to 8 entries) and no more: a larger map's buffer grows anyway,
    // doubling under 4 KiB and by half above (1,024 bytes more here took a u32 -> u32 map of
    // one entry from 1,536 buffer bytes to 512). An array past maxBytes is left to makemap to
    // refuse, without a buffer of maxBytes made for nothing first.
    const first = (B: number): number => FIRST_BLOCK + BLOCK_HEADER + arrayBuckets(B) * t.bucketSize;
    const forHint = first(bucketsForHint(hint));
    const heap = Heap.create({
      initialBytes: forHint <= (opts.maxBytes ?? MAX_CAPACITY) ? forHint : first(0),
      maxBytes: opts.maxBytes,
      shared,
      views: viewsOf(kt, valueType),
    });
    if (shared) sharedHeaps.set(heap.buffer as SharedArrayBuffer, heap);
    makemap(heap, t, hint);
    if (opts.seed !== undefined) heap.u32[Hmap32.hash0] = opts.seed;
    writeHasher(heap, hasher);
    heap.u32[Hmap32.types] = typesDigest(keyType, valueType);
    return GoMap.create(kt, valueType, new HMap(heap, t, specialise(kt)));
  }

  /**
   * The map a handle from share() describes, in this thread: the same bytes, not a copy.
   * Growth made by any thread is seen by all without attaching again. Throws TypeError for
   * anything that is not a handle of this release, and for a handle whose types are not the
   * ones the map was made with (the header's digest of them, Hmap.types, differs): reading
   * the bytes as other types would misread them, and writing would corrupt the map for every
   * thread. Throws GoMapError for a map whose header is corrupt (runtime/headercheck.ts).
   * With keyType and valueType, the map is theirs (typed, and read as they read: a u64 key as a
   * number with t.u64.asNumber), and a TypeError when they are not the map's Go types.
   */
  static attach<K = unknown, V = unknown, KIn = K, VIn = V>(handle: GoMapHandle<K, V, KIn, VIn>): GoMap<K, V, KIn, VIn>;
  static attach<KT extends AnyType, VT extends AnyType>(handle: GoMapHandle, keyType: KT, valueType: VT): GoMapOf<KT, VT>;
  static attach(handle: GoMapHandle, keyType?: AnyType, elemType?: AnyType): GoMap<unknown, unknown, unknown, unknown> {
    const r = checkHandle(handle, "gomap.GoMap");
    const buffer = sharedBuffer(r, "heap", "gomap.GoMap");
    const [baseKey, valueType] = attachTypes(r, keyType, elemType);
    const heap = sharedHeaps.get(buffer) ?? Heap.fromBuffer(buffer, undefined, viewsOf(baseKey, valueType));
    if (recordsOtherTypes(heap, baseKey, valueType)) {
      throw new TypeError(
        `gomap: attach: the handle describes a map[${baseKey.name}]${valueType.name}, but the shared map was made with other key or value types; attach the handle its share() returned`,
      );
    }
    heap.sync();
    const t = MapType.of(keyTypeOf(heap, baseKey), valueType);
    checkAttachable(heap, t.bucketSize);
    sharedHeaps.set(buffer, heap);
    return GoMap.create(t.key, valueType, new HMap(heap, t, specialise(t.key)));
  }

  /**
   * A handle to this map for another worker (see GoMapHandle). Only a map made or loaded with
   * { shared: true } (or attached) can be shared; anything else throws GoMapError.
   */
  share(): GoMapHandle<K, V, KIn, VIn> {
    const h = this.h;
    if (h === null) throw new GoMapError("gomap: share: a nil map has no heap to share; make one with GoMap.make(K, V, { shared: true })");
    if (!h.heap.shared) {
      throw new GoMapError("gomap: share: the map is not shared; make it with GoMap.make(K, V, { shared: true }) (or load it with { shared: true }), or send a copy with toBytes()");
    }
    return {
      handle: "gomap.GoMap",
      version: HANDLE_VERSION,
      heap: h.heap.buffer as SharedArrayBuffer,
      key: encodeType(this.keyType),
      value: encodeType(this.valueType),
    };
  }

  /** Whether the map lives on a SharedArrayBuffer (made or loaded with { shared: true }, or attached). */
  get isShared(): boolean {
    return this.h !== null && this.h.heap.shared;
  }

  /** `var m map[K]V`: a nil map. Reads see an empty map; set throws, as in Go. */
  static nil<KT extends AnyType, VT extends AnyType>(keyType: KT, valueType: VT): GoMapOf<KT, VT> {
    checkTypeArgs(keyType, valueType);
    return GoMap.create(keyType, valueType, null);
  }

  /** Whether this is a nil map. */
  get isNil(): boolean {
    return this.h === null;
  }

  /** len(m). */
  get size(): number {
    return this.h === null ? 0 : this.h.count;
  }

  get [Symbol.toStringTag](): string {
    return "GoMap";
  }

  /**
   * What JSON.stringify makes of the map, by Go's encoding/json rules: an object keyed by the
   * string or integer keys (sorted as strings), null for a nil map; a TypeError for other key
   * types. Values are get's, [N]byte ones as number arrays (src/inspect/json.ts).
   */
  toJSON(): Record<string, unknown> | null {
    return mapJSON(this.h === null ? null : this, this.keyType, this.valueType);
  }

  /**
   * How console.log and util.inspect show the map, as they show a Map: its length, its Go type
   * and its entries, in Go's random order, at most options.maxArrayLength of them (100 by
   * default). A nil map shows as nil. Showing a map iterates it, as `[...m]` does.
   */
  [inspectCustom](depth: number, options: InspectStyle, inspect: InspectFn): string {
    const type = `map[${this.keyType.name}]${this.valueType.name}`;
    if (this.h === null) return `GoMap [${type}] nil`;
    const head = `GoMap(${this.size}) [${type}]`;
    if (depth < 0) return `[${head}]`;
    // Mid-write (a trace listener printing its event, update's callback, another thread's
    // write to a shared map) an iteration would throw "concurrent map iteration and map
    // write": printing a value must not, so the entries are left out.
    this.h.heap.sync();
    if ((this.h.flags & Flag.hashWriting) !== 0) return showEntries(head, [], "(entries not shown while the map is being written)", depth, options, inspect);
    const max = entriesToShow(options);
    const entries: [unknown, unknown][] = [];
    if (max > 0) {
      for (const e of this) {
        entries.push(e);
        if (entries.length === max) break;
      }
    }
    return showEntries(head, entries, this.size - entries.length, depth, options, inspect);
  }

  /** clear(m) (Go 1.21): removes every entry, NaN keys included. Keeps the bucket array. */
  clear(): void {
    if (this.h !== null) mapclear(this.h);
  }

  /**
   * Read-modify-write of one value, in place: fn gets a copy of the value (the zero value
   * when key is absent) and may change it or return a new one; the result is stored under
   * key. The map counts as being written while fn runs: a write to it from fn throws
   * "concurrent map writes". If fn throws, the map is unchanged. The key is taken as it is at
   * the call: fn changing the caller's key object or Uint8Array does not move the result.
   */
  update(key: KIn, fn: (value: V) => V | VIn | void): V {
    this.keyType.check(key, "key");
    checkCallback(fn, "GoMap.update");
    const h = this.writable();
    // The key as it is now, as Go's m[k] = f(m[k]) evaluates k once: fn may change the caller's
    // Uint8Array or struct object (inputCopy), and the result must go where the value came from.
    key = inputCopy(this.keyType, key) as KIn;
    h.heap.sync();
    // A lookup in an empty map hashes nothing: hashed here, a key that can't be stored (a string
    // with a lone surrogate) is refused before fn runs, as mapaccess refuses it otherwise.
    if (h.count === 0) this.keyType.hash(key, 0);
    const b = h.access(key);
    const current = b === 0 ? this.valueType.zero() : this.valueType.read(h.heap, h.elemAt(b, h.slot));
    const result = this.whileWriting(h, () => fn(current));
    const next = (result === undefined ? current : result) as VIn;
    this.ops.set(h, key, next);
    return this.valueType.read(h.heap, h.elemAt(h.bucket, h.slot));
  }

  /**
   * A view of key's value slot, read and written in place (fields of a struct value, or
   * `.value` for any other type). Once the map moves or removes the entry (growth, delete,
   * clear), using the view throws StaleRefError rather than touching other bytes (the view
   * checks that its key is still in its slot, so a key deleted and set again into that very
   * slot is read there again). The view
   * keeps a copy of the key: changing the caller's key object or Uint8Array afterwards does not
   * change which entry it reads.
   */
  ref(key: KIn): Ref<V, VIn> {
    this.keyType.check(key, "key");
    const h = this.writable();
    h.heap.sync();
    const b = h.access(key);
    if (b === 0) throw absentRef(key);
    // The view looks its entry up again after the map changes: by a copy of the key, which the
    // caller can't change under it (reusing its Uint8Array for the next ID, say). With the
    // caller's own, it found nothing, or another entry put in the very slot its own had left.
    const slot = new SlotRef(h, inputCopy(this.keyType, key), b, h.slot);
    const vt: AnyType = this.valueType;
    if (isStructType(vt)) return vt.view(slot) as Ref<V, VIn>;
    return {
      get value(): V {
        return vt.read(slot.heap(), slot.offset());
      },
      set value(v: VIn) {
        vt.check(v, "value");
        vt.write(slot.heap(), slot.offset(), v);
      },
    } as Ref<V, VIn>;
  }

  /**
   * The map's shape as plain data: B, count, buckets, load factor, overflow buckets, growth
   * state, bytes by use, histograms; hash0 only with { seed: true }. Never changes the map.
   */
  inspect(opts?: InspectOptions): MapStats {
    return mapStats(this.h, opts);
  }

  // --- snapshots (README "Snapshots"; src/snapshot) ----------------------------------------

  /**
   * The map's snapshot: its heap's bytes with a header and a checksum, in a fresh array on an
   * ArrayBuffer of its own (a shared map's too). A nil map gives a nil map back.
   */
  toBytes(): OwnBytes {
    return snapshot.toBytes(this.h, this.keyType, this.valueType);
  }

  /**
   * Writes the snapshot to path (a string or a file: URL) atomically: a temporary file, fsync,
   * rename. Synchronous. A file system error names path and keeps the system's code.
   */
  save(path: string | URL): void {
    snapshot.save(path, this.h, this.keyType, this.valueType);
  }

  /**
   * The map in a snapshot made by toBytes (a Uint8Array, or an ArrayBuffer holding just the
   * snapshot); throws SnapshotError naming what is wrong with it. The bytes are copied.
   */
  static fromBytes<KT extends AnyType, VT extends AnyType>(
    bytes: Uint8Array | ArrayBuffer,
    keyType: KT,
    valueType: VT,
    opts?: LoadOptions,
  ): GoMapOf<KT, VT> {
    return GoMap.loaded(snapshot.fromBytes(bytes, keyType, valueType, opts), keyType, valueType);
  }

  /** The map in a snapshot file written by save; throws SnapshotError naming what is wrong with it. Synchronous. */
  static load<KT extends AnyType, VT extends AnyType>(
    path: string | URL,
    keyType: KT,
    valueType: VT,
    opts?: LoadOptions,
  ): GoMapOf<KT, VT> {
    return GoMap.loaded(snapshot.load(path, keyType, valueType, opts), keyType, valueType);
  }

  /**
   * The GoMap over a loaded map (null: a nil map), keyed by the key type as it hashes (h.t.key).
   * A shared one's Heap is entered in sharedHeaps, as make's is, so that an attach in this
   * thread uses it instead of a second Heap over the same buffer.
   */
  private static loaded<KT extends AnyType, VT extends AnyType>(h: HMap | null, keyType: KT, valueType: VT): GoMapOf<KT, VT> {
    if (h !== null && h.heap.shared) sharedHeaps.set(h.heap.buffer as SharedArrayBuffer, h.heap);
    return GoMap.create(h?.t.key ?? keyType, valueType, h);
  }

  /**
   * A GoMap over h (null: a nil map), whose prototype is its key kind's (kindConstructor below):
   * the constructor runs as usual, with the kind's prototype as the new object's.
   */
  private static create<K, V, KIn, VIn>(keyType: GoType<K, KIn>, valueType: GoType<V, VIn>, h: HMap | null): GoMap<K, V, KIn, VIn> {
    return Reflect.construct(GoMap, [keyType, valueType, h, CREATE], kindConstructor(keyType)) as GoMap<K, V, KIn, VIn>;
  }

  /**
   * @internal The map's runtime handle, for the test hooks (src/testing/hooks.ts), the inspector
   * and SyncMap; left out of the published declarations (stripInternal).
   */
  static hmapOf(m: GoMap<unknown, unknown, unknown, unknown>): HMap | null {
    return m.h;
  }

  private writable(): HMap {
    if (this.h === null) throw new GoMapError("assignment to entry in nil map");
    return this.h;
  }

  /**
   * Runs fn with the map marked as being written, as Go does for the length of a write. The
   * epoch moves too, so that a ref view used from fn looks its entry up again, and is refused
   * as any read of the map is then, rather than reading or writing the slot unchecked.
   */
  private whileWriting<R>(h: HMap, fn: () => R): R {
    beginWrite(h);
    h.epoch++;
    try {
      return fn();
    } finally {
      abandonWrite(h);
    }
  }
}

// get, lookup, has, set, delete and the iteration methods are the kernel's
// (runtime/generic/methods.ts mapMethods), not written in the class: each key kind's copy of
// the kernel has its own, on a prototype of its own between the map and GoMap.prototype. V8
// keeps type feedback per piece of source, so one get for every map would see every kind's
// ops, and in a program with maps of several key kinds V8 would call them rather than inline
// them: a u32 get measured 45 ns in the caches in such a program, against 37 with the
// prototypes (the same as in a program of u32 maps alone). GoMap.prototype has the generic
// copy's, used by maps of the other key types.
export interface GoMap<K, V, KIn = K, VIn = V> {
  /** The value for key, or undefined when key is absent (as Map.get). */
  get(key: KIn): V | undefined;
  /** Go's `v, ok := m[k]`: the value and true, or the zero value and false. */
  lookup(key: KIn): [V, boolean];
  /** Whether key is present. */
  has(key: KIn): boolean;
  /** m[k] = v. Throws GoMapError on a nil map. */
  set(key: KIn, value: VIn): this;
  /** delete(m, k). Returns whether key was present (false on a nil map). */
  delete(key: KIn): boolean;
  /** The keys, in Go's random order. */
  keys(): IterableIterator<K>;
  /** The values, in Go's random order. */
  values(): IterableIterator<V>;
  /** [key, value] pairs, in Go's random order. */
  entries(): IterableIterator<[K, V]>;
  /** [key, value] pairs, in Go's random order: `for (const [k, v] of m)`, as `for k, v := range m`. */
  [Symbol.iterator](): IterableIterator<[K, V]>;
  /** Calls fn for each entry, as `for k, v := range m`; fn may set and delete entries. */
  forEach(fn: (value: V, key: K, map: this) => void, thisArg?: unknown): void;
}

/** Puts a kernel copy's map methods on proto, as methods are (writable, not enumerable). */
function defineMapMethods(proto: object, kernel: Kernel): void {
  const methods = kernel.mapMethods;
  for (const name of Reflect.ownKeys(methods)) {
    const value = methods[name as keyof typeof methods];
    Object.defineProperty(proto, name, { value, writable: true, enumerable: false, configurable: true });
  }
}

defineMapMethods(GoMap.prototype, genericKernel);

const kindConstructors = new Map<Kernel, new () => object>();

/**
 * The new.target that gives a map of key type kt its kind's prototype: GoMap itself for the
 * generic kind, else a subclass of GoMap whose prototype has the kind's methods (and
 * `constructor` still GoMap, so the map looks like any other GoMap).
 *
 * A class, not a plain function given a prototype: V8 gives every object that
 * Reflect.construct makes for a plain function's new.target a hidden class of its own, and a
 * call site that had seen five maps then went megamorphic (each `m.get` a stub-cache lookup,
 * never inlined); the objects a subclass constructs share one hidden class.
 */
function kindConstructor(kt: AnyType): new () => object {
  const kernel = kernelFor(kt);
  if (kernel === genericKernel) return GoMap as unknown as new () => object;
  let ctor = kindConstructors.get(kernel);
  if (ctor === undefined) {
    const Base = GoMap as unknown as new (...args: unknown[]) => object;
    ctor = class GoMapOfKind extends Base {};
    Object.defineProperty(ctor.prototype, "constructor", { value: GoMap, writable: true, configurable: true });
    defineMapMethods(ctor.prototype, kernel);
    kindConstructors.set(kernel, ctor);
  }
  return ctor;
}

/** The hasher options, checked: the hash key for "go1.19", null for gomap's own hash. */
function checkHasher(opts: MakeOptions): bigint | null {
  const { hash, hashKey, seed } = opts;
  if (seed !== undefined && typeof seed !== "number") throw new TypeError(`gomap: seed must be a uint32 (a number), got ${typeof seed}`);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new RangeError(`gomap: seed must be a uint32, got ${String(seed)}`);
  }
  if (hash === undefined || hash === "gomap") {
    if (hashKey !== undefined) throw new TypeError(`gomap: hashKey is for hash: "go1.19"`);
    return null;
  }
  if (hash !== "go1.19") throw new TypeError(`gomap: hash must be "gomap" or "go1.19", got ${JSON.stringify(hash)}`);
  if (hashKey === undefined) return randomHashKey();
  const want = `gomap: hashKey must be a uint64 bigint, got ${describe(hashKey)}`;
  if (typeof hashKey !== "bigint") throw new TypeError(want);
  if (hashKey < 0n || hashKey >= 1n << 64n) throw new RangeError(want);
  return hashKey | 1n;
}

/** A random odd 64-bit key, as Go's runtime picks hashkey at start-up. */
function randomHashKey(): bigint {
  const w = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(w[1]) << 32n) | BigInt(w[0])) | 1n;
}

/**
 * A validated hint: a number, and 0 when it is negative or could never fit (as Go does): when
 * the bucket array makemap would allocate for it, 2^B buckets and their pool, is past any
 * heap's MAX_CAPACITY. (Not hint / 6.5 buckets: B rounds that up to a power of two, and the
 * hints in between threw HeapExhaustedError while larger ones were ignored.)
 */
function checkHint(hint: number | undefined, t: MapType): number {
  if (hint === undefined) return 0;
  if (typeof hint !== "number" || Number.isNaN(hint)) {
    throw new TypeError(`gomap: hint must be a number of entries, got ${describe(hint)}`);
  }
  if (hint < 0 || !Number.isFinite(hint)) return 0;
  // Go ignores a hint whose buckets would not fit in memory. The first test bounds B for the second.
  if ((hint / (LoadFactor.num / LoadFactor.den)) * t.bucketSize > MAX_CAPACITY) return 0;
  const n = Math.floor(hint);
  if (arrayBuckets(bucketsForHint(n)) * t.bucketSize > MAX_CAPACITY) return 0;
  return n;
}

/** The slot a ref() view reads, checked on each use (see HMap.epoch). */
class SlotRef {
  private epoch: number;
  constructor(
    private readonly h: HMap,
    private readonly key: unknown,
    private readonly b: number,
    private readonly i: number,
  ) {
    this.epoch = h.epoch;
  }

  heap(): Heap {
    return this.h.heap;
  }

  path(): string {
    return "value";
  }

  /**
   * The elem's offset, or StaleRefError when the entry has moved or gone. On a shared heap
   * another thread's writes don't change this thread's epoch, so the slot is checked every time.
   */
  offset(): number {
    const h = this.h;
    if (h.epoch !== this.epoch || h.heap.shared) {
      h.heap.sync();
      const b = h.access(this.key);
      if (b !== this.b || h.slot !== this.i) {
        throw new StaleRefError("gomap: ref: the map moved or removed this entry; take a new ref");
      }
      this.epoch = h.epoch;
    }
    return h.elemAt(this.b, this.i);
  }
}

/**
 * ref()'s error for a key that is not in the map (cold path). A view needs a slot to point
 * at, and Go has no `&m[k]`, so there is nothing to make; the message says how to get one.
 */
function absentRef(key: unknown): GoMapError {
  let shown = "";
  if (typeof key === "string") shown = quoted(key) + " ";
  else if (typeof key === "number") shown = show(key) + " ";
  else if (typeof key === "bigint") shown = String(key) + " ";
  return new GoMapError(
    `gomap: ref: key ${shown}not in map; set() it first (a view points at a stored entry), or use update(), which starts from the zero value`,
  );
}
