// One benchmark measurement: GoMap or Map on one workload of n entries, timed in this
// process. table.ts runs each measurement in a child process of its own (child.ts), so that
// neither the JIT's type feedback nor the garbage collector's state carries over.
//
// Workloads: u32 -> u32 maps (keys spread over the u32 range) and string -> u32 maps (keys
// "user:" + a base-36 number, 6 to 12 bytes, so GoMap keeps them inline) of n entries, each
// measured as:
//   insert    n sets into an empty map (no hint)
//   get hit   n gets of present keys, in a shuffled order
//   get miss  n gets of absent keys
//   iterate   one full for..of, after two untimed ones
//   delete    n deletes of present keys, in a shuffled order, until the map is empty
// Every operation first runs on a small map, on keys of the timed lists' own kind, so timings
// are of optimised code; the timed rounds start after a forced GC that follows the untimed
// build, for both implementations (as Go's program runs runtime.GC). Time is ns per
// element (the best of 3 runs; 1 at 1e7 and above); memory is bytes per entry after the
// inserts: for GoMap its heap buffer's size (every byte it holds), for Map the growth of V8's
// heap measured around the build with a forced GC (the child runs with --expose-gc), not
// reported under MAP_BYTES_MIN entries, where what V8 allocates to compile drowns it. Every
// result goes into a sink so that no loop can be optimised away. hugePagesKiB is how much of
// the process's memory sat on transparent huge pages after the inserts (Linux; -1 elsewhere):
// what tells whether a `--huge-pages` run (table.ts) got them. run, Ops, keep and heapGrowth
// are exported so that bench/peers.ts times npm's maps with the same loops, rounds and memory
// rule (its Ops give each implementation's own iteration, forEach or the nearest it has).
import { readFileSync } from "node:fs";
import { GoMap } from "../gomap.js";
import { types as t } from "../types/index.js";

export type Impl = "GoMap" | "Map";
export const IMPLS: readonly Impl[] = ["GoMap", "Map"];
export const WORKLOADS = ["u32", "string"] as const;
export type Workload = (typeof WORKLOADS)[number];

/**
 * One row of the table: ns per element for each operation, and bytes per entry. I names the
 * implementations of the table the row is in (bench/peers.ts measures more than these two).
 */
export interface Result<I extends string = Impl> {
  workload: string;
  impl: I;
  n: number;
  insert: number;
  getHit: number;
  getMiss: number;
  iterate: number;
  del: number;
  /** null where too small to measure (a Map of fewer than MAP_BYTES_MIN entries). */
  bytesPerEntry: number | null;
  hugePagesKiB?: number;
}

let sink = 0;
/** Feeds x to the sink, so that the loop that computed it is not dead code. */
export function keep(x: number): void {
  sink ^= x;
}
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Distinct pseudo-random u32 keys: hits are keys(0..n), misses keys(n..2n). */
export function u32Keys(from: number, to: number): Uint32Array {
  const out = new Uint32Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = Math.imul(i, 0x9e3779b1) >>> 0;
  return out;
}

/** The string workload's keys: "user:" + u32Keys's key in base 36. */
export function stringKeys(from: number, to: number): string[] {
  const out: string[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = `user:${(Math.imul(i, 0x9e3779b1) >>> 0).toString(36)}`;
  return out;
}

/** A copy of a in a shuffled order, the same on every run (a fixed-seed LCG). */
export function shuffled<T extends ArrayLike<unknown>>(a: T, copy: (a: T) => T): T {
  const out = copy(a) as unknown as unknown[];
  let s = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    const x = out[i];
    out[i] = out[j];
    out[j] = x;
  }
  return out as unknown as T;
}

/**
 * A workload's keys, as every timed loop uses them: the n keys inserted (in this order), the n
 * absent keys the misses look up, and the order of the hits' lookups and of the deletes.
 * bench/go/main.go makes the same lists (test/bench/workload.test.ts holds them side by side).
 */
export interface WorkloadKeys<K> {
  hits: Keys<K>;
  misses: Keys<K>;
  order: Keys<K>;
}

/** A list of keys: a Uint32Array for u32 keys, an array for strings; slice keeps its kind. */
export type Keys<K> = ArrayLike<K> & { slice(start?: number, end?: number): Keys<K> };

export function workloadKeys(workload: "u32", n: number): WorkloadKeys<number>;
export function workloadKeys(workload: "string", n: number): WorkloadKeys<string>;
export function workloadKeys(workload: Workload, n: number): WorkloadKeys<number> | WorkloadKeys<string>;
export function workloadKeys(workload: Workload, n: number): WorkloadKeys<number> | WorkloadKeys<string> {
  if (workload === "u32") {
    const hits = u32Keys(0, n);
    return { hits, misses: u32Keys(n, 2 * n), order: shuffled(hits, (a) => a.slice()) };
  }
  const hits = stringKeys(0, n);
  return { hits, misses: stringKeys(n, 2 * n), order: shuffled(hits, (a) => a.slice()) };
}

/** How many runs each column's figure is the best of, for a workload of n entries. */
export function roundsFor(n: number): number {
  return n >= 1e7 ? 1 : 3;
}

/** The fastest of `rounds` runs of fn, in ns per element of its n. */
export function time(n: number, rounds: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns < best) best = ns;
  }
  return best / n;
}

/** One implementation's operations over a list of keys, as the timed loops run them. */
export interface Ops<K> {
  make(): unknown;
  insert(m: unknown, keys: ArrayLike<K>): void;
  get(m: unknown, keys: ArrayLike<K>): void;
  iterate(m: unknown): void;
  del(m: unknown, keys: ArrayLike<K>): void;
  bytes(m: unknown, before: number): number | null;
}

function goMapOps<K>(keyType: typeof t.u32 | typeof t.string): Ops<K> {
  return {
    make: () => GoMap.make(keyType as typeof t.u32, t.u32),
    insert(m, keys) {
      const g = m as GoMap<K, number, K, number>;
      for (let i = 0; i < keys.length; i++) g.set(keys[i], i);
    },
    get(m, keys) {
      const g = m as GoMap<K, number, K, number>;
      let s = 0;
      for (let i = 0; i < keys.length; i++) s += g.get(keys[i]) ?? 1;
      sink ^= s;
    },
    iterate(m) {
      let s = 0;
      for (const [, v] of m as GoMap<K, number, K, number>) s += v;
      sink ^= s;
    },
    del(m, keys) {
      const g = m as GoMap<K, number, K, number>;
      for (let i = 0; i < keys.length; i++) g.delete(keys[i]);
    },
    bytes: (m) => (m as GoMap<K, number, K, number>).inspect().heap.capacity,
  };
}

/** The fewest entries whose Map's memory the table reports (see heapGrowth). */
const MAP_BYTES_MIN = 100_000;

/**
 * The growth of V8's heap since `before` (heapUsed), for a map of `size` entries; null below
 * MAP_BYTES_MIN entries. V8's heap also grows by what compiling and running the loops
 * allocates (hundreds of KiB): a small map's growth drowns in it, and can even come out
 * negative once the warm-up's garbage is collected. (run collects the garbage first.)
 */
export function heapGrowth(size: number, before: number): number | null {
  return size < MAP_BYTES_MIN ? null : process.memoryUsage().heapUsed - before;
}

function jsMapOps<K>(): Ops<K> {
  return {
    make: () => new Map<K, number>(),
    insert(m, keys) {
      const g = m as Map<K, number>;
      for (let i = 0; i < keys.length; i++) g.set(keys[i], i);
    },
    get(m, keys) {
      const g = m as Map<K, number>;
      let s = 0;
      for (let i = 0; i < keys.length; i++) s += g.get(keys[i]) ?? 1;
      sink ^= s;
    },
    iterate(m) {
      let s = 0;
      for (const [, v] of m as Map<K, number>) s += v;
      sink ^= s;
    },
    del(m, keys) {
      const g = m as Map<K, number>;
      for (let i = 0; i < keys.length; i++) g.delete(keys[i]);
    },
    bytes: (m, before) => heapGrowth((m as Map<K, number>).size, before),
  };
}

/** Untimed full passes over the map before its iteration is timed (see run). */
export const ITERATE_UNTIMED = 2;

/**
 * Every operation once on a small map first, so the timed runs measure optimised code. The
 * warm-up's keys are slices of the timed lists, so of their very kind (V8's hidden class): a
 * JS array where the timed loops read a Uint32Array (u32 keys), or a packed array where they
 * read a holey one (strings), had V8 optimise each loop for the other kind, and throw that code
 * away in the loop's first timed round (a "wrong map" deopt of Map's get and delete loops).
 */
function warmUp<K>(ops: Ops<K>, hits: Keys<K>, misses: Keys<K>): void {
  const n = Math.min(hits.length, 20_000);
  const some = hits.slice(0, n);
  const none = misses.slice(0, n);
  for (let r = 0; r < 3; r++) {
    const m = ops.make();
    ops.insert(m, some);
    ops.get(m, some);
    ops.get(m, none);
    ops.iterate(m);
    ops.del(m, some);
  }
}

/** Measures ops on the workload's keys, in this process: one row of a table. */
export function run<K, I extends string>(workload: string, impl: I, ops: Ops<K>, hits: Keys<K>, misses: Keys<K>, order: Keys<K>): Result<I> {
  const n = hits.length;
  const rounds = roundsFor(n);
  warmUp(ops, hits, misses);
  gc();
  const before = process.memoryUsage().heapUsed;
  let m = ops.make();
  ops.insert(m, hits);
  // The build's garbage collected before its bytes are read and before any timed round, for
  // every implementation, as Go's program does (runtime.GC): a GoMap's growth discards a buffer
  // at each step (hundreds of MB in all at 1e7), and what V8 had not collected yet was left to
  // GoMap's first timed round (its only one at 1e7), where Map's build was collected for its
  // bytes.
  gc();
  const bytes = ops.bytes(m, before);
  const hugePagesKiB = anonHugePagesKiB();
  // Insert timing: fresh maps, so each round starts empty.
  const insert = time(n, rounds, () => {
    m = ops.make();
    ops.insert(m, hits);
  });
  const getHit = time(n, rounds, () => ops.get(m, order));
  const getMiss = time(n, rounds, () => ops.get(m, misses));
  // Two untimed passes first: a for..of over a Map built moments before runs 5-25x slower for
  // its first passes at 1e5 entries (15-83 ns an entry in runs here, then 3), which a forced GC or
  // a longer warm-up does not cure; the column is the steady cost, as for the other operations.
  // GoMap's figure is the same either way (measured).
  for (let r = 0; r < ITERATE_UNTIMED; r++) ops.iterate(m);
  const iterate = time(n, rounds, () => ops.iterate(m));
  let del = Infinity;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      m = ops.make();
      ops.insert(m, hits);
    }
    del = Math.min(del, time(n, 1, () => ops.del(m, order)));
  }
  // Never true; makes the sink observable so no timed loop is dead code.
  return { workload, impl, n: sink === 0.5 ? -1 : n, insert, getHit, getMiss, iterate, del, bytesPerEntry: bytes === null ? null : bytes / n, hugePagesKiB };
}

/** The process's anonymous memory on transparent huge pages, in KiB; -1 where Linux can't tell. */
function anonHugePagesKiB(): number {
  try {
    const m = /^AnonHugePages:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/smaps_rollup", "utf8"));
    return m === null ? -1 : Number(m[1]);
  } catch {
    return -1;
  }
}

/**
 * The workload's name in the table: "u32->u32 n=1e+5", "u32->u32 n=1.5e+3". n is written
 * exactly (toExponential() with no argument keeps every digit it needs), so two sizes never
 * share a name; bench/go/main.go's exp() writes the same, and bench:go joins rows by it.
 */
export function workloadName(workload: Workload, n: number): string {
  return `${workload === "u32" ? "u32->u32" : "string->u32"} n=${n.toExponential()}`;
}

/** Runs one measurement in this process. */
export function measure(workload: Workload, impl: Impl, n: number): Result {
  const name = workloadName(workload, n);
  if (workload === "u32") {
    const { hits, misses, order } = workloadKeys("u32", n);
    const ops = impl === "GoMap" ? goMapOps<number>(t.u32) : jsMapOps<number>();
    return run(name, impl, ops, hits, misses, order);
  }
  const { hits, misses, order } = workloadKeys("string", n);
  const ops = impl === "GoMap" ? goMapOps<string>(t.string) : jsMapOps<string>();
  return run(name, impl, ops, hits, misses, order);
}
