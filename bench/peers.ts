// `npm run bench:peers`: gomap against the npm maps a user would weigh instead of it, on the
// table of `npm run bench` (src/bench/measure.ts): u32 -> u32 and string -> u32, the same keys,
// warm-up, rounds and columns (insert, get hit, get miss, iterate, delete in ns per element,
// the best of 3 rounds, 1 from 1e7; bytes per entry), at 1e5 and 1e6 entries (`--sizes N,N,...`).
// Each (impl, keys, size) runs in a child process of its own, started with --expose-gc.
//
// The rows: GoMap with no hint, as in `npm run bench`; "GoMap (hint)", made with the entry
// count as `hint`, since sharedmap is given its capacity up front; `Map`, the baseline; and the
// peers, each used as its README says (see PEERS). Every implementation goes through the same
// adapter (Peer), one call an operation; a child runs one, so V8 sees one at each call site.
// iterate is the implementation's forEach (or the nearest it has), a callback an entry.
//
// Correctness before speed: before anything is timed, the child checks the implementation's
// answers on the very keys it is about to time (check): every key reads back its value, absent
// keys are absent, iteration sees every entry once, deletes remove. One wrong answer and the
// row says so instead of giving figures.
//
// Memory: GoMap's heap buffer (as in `npm run bench`); the growth of V8's heap for the peers
// that live in it (not reported below 100,000 entries, as for `Map`); sharedmap's
// SharedArrayBuffer plus the heap's growth.
import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { HashMap as ThingHashMap } from "@thi.ng/associative";
import HashMapJS from "hashmap";
import { Map as ImmutableMap } from "immutable";
import { HashMap as SdslHashMap } from "js-sdsl";
import sharedmap from "sharedmap";
import { WORKLOADS, heapGrowth, keep, run, workloadKeys, workloadName } from "../src/bench/measure.js";
import type { Keys, Ops, Result, Workload, WorkloadKeys } from "../src/bench/measure.js";
import { formatRow, header } from "../src/bench/table.js";
import { sizesOf } from "../src/cli/bench.js";
import { GoMap } from "../src/gomap.js";
import { types as t } from "../src/types/index.js";
import { flags } from "./flags.js";

type Key = number | string;

/**
 * sharedmap's class as the package exports it (module.exports): its index.d.ts declares a
 * named export instead, which is undefined at run time, and does not parse (`string?`).
 */
interface SharedMap {
  readonly storage: SharedArrayBuffer;
  readonly length: number;
  set(key: string, value: string | number): void;
  get(key: string): string | undefined;
  delete(key: string): void;
  reduce<T>(cb: (acc: T, value: string, key: string) => T, initial: T): T;
}
const SharedMap = sharedmap as unknown as new (maxSize: number, keySize: number, objSize: number) => SharedMap;

/** What a map must hold, known before it is made: what sharedmap (and a hint) need. */
export interface Size {
  entries: number;
  u32: boolean;
  /** The longest key, and value, written as a string, in UTF-16 units. */
  keyChars: number;
  valueChars: number;
}

/** One implementation, an operation a call; values are the workload's u32s. */
export interface Peer<M> {
  make(size: Size): M;
  set(m: M, k: Key, v: number): void;
  get(m: M, k: Key): number | undefined;
  delete(m: M, k: Key): void;
  /** Calls fn for every entry; k as the map gives it back (sharedmap's u32 keys are strings). */
  each(m: M, fn: (v: number, k: unknown) => void): void;
  /** Bytes the map holds; before is V8's heapUsed before it was built (after a GC). */
  bytes(m: M, before: number): number | null;
}

type AnyGoMap = GoMap<Key, number, Key, number>;

function goMap(hint: boolean): Peer<AnyGoMap> {
  return {
    make: (s) => GoMap.make(s.u32 ? t.u32 : t.string, t.u32, hint ? { hint: s.entries } : {}) as AnyGoMap,
    set: (m, k, v) => void m.set(k, v),
    get: (m, k) => m.get(k),
    delete: (m, k) => void m.delete(k),
    each: (m, fn) => m.forEach(fn),
    bytes: (m) => m.inspect().heap.capacity,
  };
}

/** murmur3's finaliser: @thi.ng/associative's HashMap takes the user's hash; a u32's. */
function fmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a over a string's UTF-16 units: the string keys' hash for @thi.ng/associative. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const strictEqual = (a: Key, b: Key): boolean => a === b;

/** The implementations by the name their rows carry, in the table's order. */
export const PEERS = {
  GoMap: goMap(false),
  "GoMap (hint)": goMap(true),
  Map: {
    make: () => new Map<Key, number>(),
    set: (m, k, v) => void m.set(k, v),
    get: (m, k) => m.get(k),
    delete: (m, k) => void m.delete(k),
    each: (m, fn) => m.forEach(fn),
    bytes: (m, before) => heapGrowth(m.size, before),
  } satisfies Peer<Map<Key, number>>,
  // Entries in a null-prototype object keyed by the key (a linked list keeps their order); its
  // docs ask for isObject = false with primitive keys, "to improve efficiency".
  "js-sdsl": {
    make: () => new SdslHashMap<Key, number>(),
    set: (m, k, v) => void m.setElement(k, v, false),
    get: (m, k) => m.getElementByKey(k, false),
    delete: (m, k) => void m.eraseElementByKey(k, false),
    each: (m, fn) => m.forEach(([k, v]) => fn(v, k)),
    bytes: (m, before) => heapGrowth(m.size(), before),
  } satisfies Peer<SdslHashMap<Key, number>>,
  // Open addressing over a JS array of [key, value] pairs, with the hash the user gives (it has
  // none of its own) and ===, its equality for primitives, in place of its deep `equiv`. Its
  // forEach throws on any map with an empty bin (it reads pair[1] of a hole), so iteration is
  // its for..of; its `cap` option is lost (the constructor takes Math.min(cap, 4)).
  "@thi.ng/associative": {
    make: (s) => new ThingHashMap<Key, number>(null, { hash: (s.u32 ? fmix32 : fnv1a) as (k: Key) => number, equiv: strictEqual }),
    set: (m, k, v) => void m.set(k, v),
    get: (m, k) => m.get(k),
    delete: (m, k) => void m.delete(k),
    each: (m, fn) => {
      for (const [k, v] of m) fn(v, k);
    },
    bytes: (m, before) => heapGrowth(m.size, before),
  } satisfies Peer<ThingHashMap<Key, number>>,
  // A JS Map from its own hash of the key to the entry (or an array of colliding entries), and an
  // array of the entries for iteration.
  hashmap: {
    make: () => new HashMapJS<Key, number>(),
    set: (m, k, v) => void m.set(k, v),
    get: (m, k) => m.get(k),
    delete: (m, k) => void m.delete(k),
    each: (m, fn) => void m.forEach(fn),
    bytes: (m, before) => heapGrowth(m.size, before),
  } satisfies Peer<HashMapJS<Key, number>>,
  // A persistent hash array mapped trie, used as its docs say for a batch of changes: a mutable
  // copy (asMutable), whose set and delete change it in place, not a new map an operation.
  immutable: {
    make: () => ImmutableMap<Key, number>().asMutable(),
    set: (m, k, v) => void m.set(k, v),
    get: (m, k) => m.get(k),
    delete: (m, k) => void m.delete(k),
    each: (m, fn) => void m.forEach((v, k) => void fn(v, k)),
    bytes: (m, before) => heapGrowth(m.size, before),
  } satisfies Peer<ImmutableMap<Key, number>>,
  // A fixed-capacity SharedArrayBuffer of string keys and values (numbers are stored as their
  // decimal strings; u32 keys are given as theirs), capacity and sizes given up front: the entry
  // count, and one UTF-16 unit more than the longest key and value, since it writes a 0
  // after a key or value of exactly the size it was given, over the next slot's first unit
  // (test/bench/peers.test.ts shows it). Iteration is its reduce, as its README sums values.
  sharedmap: {
    make: (s) => new SharedMap(s.entries, s.keyChars + 1, s.valueChars + 1),
    set: (m, k, v) => m.set(String(k), v),
    get: (m, k) => {
      const v = m.get(String(k));
      return v === undefined ? undefined : Number(v);
    },
    delete: (m, k) => m.delete(String(k)),
    each: (m, fn) => void m.reduce((a: number, v: string, k: string) => (fn(Number(v), k), a), 0),
    bytes: (m, before) => m.storage.byteLength + (heapGrowth(m.length, before) ?? 0),
  } satisfies Peer<SharedMap>,
} as const;

export type PeerName = keyof typeof PEERS;
export const PEER_NAMES = Object.keys(PEERS) as PeerName[];

/** What a map of the keys `hits` needs (values are 0 .. hits.length - 1). */
export function sizeOf(hits: Keys<Key>): Size {
  let keyChars = 0;
  for (let i = 0; i < hits.length; i++) keyChars = Math.max(keyChars, String(hits[i]).length);
  return { entries: hits.length, u32: hits instanceof Uint32Array, keyChars, valueChars: String(Math.max(hits.length - 1, 0)).length };
}

/** The timed loops of measure.ts's run, over a Peer: the i-th key's value is i. */
function opsOf<M>(peer: Peer<M>, size: Size): Ops<Key> {
  return {
    make: () => peer.make(size),
    insert(m, keys) {
      for (let i = 0; i < keys.length; i++) peer.set(m as M, keys[i], i);
    },
    get(m, keys) {
      let s = 0;
      for (let i = 0; i < keys.length; i++) s += peer.get(m as M, keys[i]) ?? 1;
      keep(s);
    },
    iterate(m) {
      let s = 0;
      peer.each(m as M, (v) => {
        s += v;
      });
      keep(s);
    },
    del(m, keys) {
      for (let i = 0; i < keys.length; i++) peer.delete(m as M, keys[i]);
    },
    bytes: (m, before) => peer.bytes(m as M, before),
  };
}

/**
 * The first wrong answer the implementation gives on the workload's keys, or null: the hits
 * inserted with their index as value; then every hit reads back its value, every miss is absent,
 * iteration gives every entry once with its value; then half the keys deleted (in `order`) are
 * absent and the other half still there; then, all deleted, nothing is left. Untimed.
 */
export function check<M>(peer: Peer<M>, keys: WorkloadKeys<Key>): string | null {
  const { hits, misses, order } = keys;
  const n = hits.length;
  const m = peer.make(sizeOf(hits));
  const want = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    peer.set(m, hits[i], i);
    want.set(String(hits[i]), i);
  }
  const wrong = readsBack(peer, m, want, hits, "after the inserts") ?? absent(peer, m, misses, "never inserted") ?? iterates(peer, m, want);
  if (wrong !== null) return wrong;
  const half = n >> 1;
  for (let i = 0; i < half; i++) {
    peer.delete(m, order[i]);
    want.delete(String(order[i]));
  }
  const deleted = order.slice(0, half);
  const rest = readsBack(peer, m, want, order.slice(half), "after half the keys were deleted") ?? absent(peer, m, deleted, "deleted") ?? iterates(peer, m, want);
  if (rest !== null) return rest;
  for (let i = half; i < n; i++) peer.delete(m, order[i]);
  return absent(peer, m, hits, "deleted") ?? iterates(peer, m, new Map());
}

function readsBack<M>(peer: Peer<M>, m: M, want: Map<string, number>, keys: Keys<Key>, when: string): string | null {
  for (let i = 0; i < keys.length; i++) {
    const got = peer.get(m, keys[i]);
    const v = want.get(String(keys[i]));
    if (got !== v) return `get(${JSON.stringify(keys[i])}) gave ${got} ${when}, not ${v}`;
  }
  return null;
}

function absent<M>(peer: Peer<M>, m: M, keys: Keys<Key>, why: string): string | null {
  for (let i = 0; i < keys.length; i++) {
    const got = peer.get(m, keys[i]);
    if (got !== undefined) return `get(${JSON.stringify(keys[i])}) of a key ${why} gave ${got}`;
  }
  return null;
}

function iterates<M>(peer: Peer<M>, m: M, want: Map<string, number>): string | null {
  const seen = new Map<string, number>();
  let wrong: string | null = null;
  peer.each(m, (v, k) => {
    const key = String(k);
    if (wrong !== null) return;
    if (seen.has(key)) wrong = `iteration gave the key ${JSON.stringify(key)} twice`;
    else if (want.get(key) !== v) wrong = `iteration gave ${JSON.stringify(key)} => ${v}, where the map holds ${want.get(key)}`;
    seen.set(key, v);
  });
  if (wrong === null && seen.size !== want.size) wrong = `iteration gave ${seen.size} entries of ${want.size}`;
  return wrong;
}

/** A child's answer: the row, or the implementation's first wrong answer. */
export type Outcome = { result: Result<string> } | { workload: string; impl: PeerName; wrong: string };

/** One measurement, in this process: check, then (if right) time. */
export function measure(workload: Workload, impl: PeerName, n: number): Outcome {
  const name = workloadName(workload, n);
  const keys: WorkloadKeys<Key> = workloadKeys(workload, n);
  const peer = PEERS[impl] as Peer<unknown>;
  const wrong = check(peer, keys);
  if (wrong !== null) return { workload: name, impl, wrong };
  return { result: run(name, impl as string, opsOf(peer, sizeOf(keys.hits)), keys.hits, keys.misses, keys.order) };
}

const CHILD = "GOMAP_BENCH_PEERS";
const SCRIPT = fileURLToPath(import.meta.url);
export const DEFAULT_SIZES: readonly number[] = [1e5, 1e6];

function runChild(workload: Workload, impl: PeerName, n: number): Outcome {
  const out = execFileSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", SCRIPT], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    env: { ...process.env, [CHILD]: JSON.stringify([workload, impl, n]) },
  });
  return JSON.parse(out) as Outcome;
}

function main(): void {
  const opts = flags("bench:peers", { sizes: "string" });
  let sizes = DEFAULT_SIZES;
  try {
    if (opts.sizes !== undefined) sizes = sizesOf({ sizes: opts.sizes });
  } catch (err) {
    process.stderr.write(`npm run bench:peers: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  console.log(`npm run bench:peers${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`);
  console.log(header());
  const wrong: string[] = [];
  for (const n of sizes) {
    for (const w of WORKLOADS) {
      for (const impl of PEER_NAMES) {
        const out = runChild(w, impl, n);
        if ("result" in out) {
          console.log(formatRow(out.result));
        } else {
          console.log(`| ${out.workload} | ${impl}: wrong answers, not timed | - | - | - | - | - | - |`);
          wrong.push(`${out.workload} ${impl}: ${out.wrong}`);
        }
      }
    }
  }
  for (const line of wrong) console.log(`\nwrong answers: ${line}`);
}

const job = process.env[CHILD];
if (job !== undefined) {
  const [w, impl, n] = JSON.parse(job) as [Workload, PeerName, number];
  if (!WORKLOADS.includes(w) || !PEER_NAMES.includes(impl) || !Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench:peers child: bad job ${job}\n`);
    process.exitCode = 2;
  } else {
    process.stdout.write(JSON.stringify(measure(w, impl, n)) + "\n");
  }
} else if (realpathSync(process.argv[1]) === SCRIPT) {
  main();
}
