// The worker half of hostile.test.ts: for each corruption, makes a shared map, overwrites
// some of its bytes as a buggy thread could (after another handle attached, so attach's
// checks do not see it), and makes every call of the map's surface on it, posting the call's
// name before it starts (the test's watchdog names the call that hangs) and its outcome
// after. Does nothing on the main thread (the test runner loads every file under test/).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { GoMap, GoMapError, HeapExhaustedError, types as t } from "../../src/index.js";
import { BLOCK_HEADER, H_BINS, H_LARGE_MAP, LARGE_BINS, SMALL_BINS } from "../../src/memory/heap.js";
import { Hmap, Hmap32 } from "../../src/runtime/layout.js";
import { hmapOf } from "../../src/testing/hooks.js";
import type { HMap } from "../../src/runtime/hmap.js";

export interface Outcome {
  corruption: string;
  call: string;
  /** The error's name and message, when the call threw. */
  error?: string;
  /** Whether what it threw is one of gomap's errors. */
  typed: boolean;
}

type U32Map = GoMap<number, number>;

/** The first overflow bucket of the map's current array that is a heap block of its own, and its chain's head. */
function overflowBucket(h: HMap): { head: number; ovf: number } {
  for (let i = 0; i < 1 << h.B; i++) {
    const head = h.buckets + i * h.t.bucketSize;
    const ovf = h.overflow(head);
    if (ovf !== 0) return { head, ovf };
  }
  throw new Error("no chain has an overflow bucket");
}

/**
 * A free block of the heap (the old arrays its growths freed) made 8 bytes long and linked to
 * itself, at the head of every large bin: an allocation's first-fit walk of a bin finds no
 * block large enough, ever.
 */
function freeListRound(h: HMap): void {
  const u32 = h.heap.u32;
  let off = 0;
  for (let bin = H_BINS; off === 0 && bin < H_BINS + SMALL_BINS + LARGE_BINS; bin++) off = u32[bin];
  if (off === 0) throw new Error("the heap has no free block");
  u32[(off - BLOCK_HEADER) >>> 2] = 8;
  u32[off >>> 2] = off;
  for (let k = 0; k < LARGE_BINS; k++) u32[H_BINS + SMALL_BINS + k] = off;
  u32[H_LARGE_MAP] = (1 << LARGE_BINS) - 1;
}

/** Each corruption: the map to make (entries, hint) and the bytes it overwrites. */
const corruptions: Record<string, { n: number; hint?: number; corrupt(h: HMap): void }> = {
  "overflow cycle": { n: 60, hint: 8, corrupt: (h) => void (h.heap.u32[(overflowBucket(h).ovf + h.t.overflowOffset) >>> 2] = overflowBucket(h).ovf) },
  "overflow link out of the heap": { n: 8, corrupt: (h) => void (h.heap.u32[(h.buckets + h.t.overflowOffset) >>> 2] = 0x7ffffff8) },
  "head linked to itself": { n: 8, corrupt: (h) => void (h.heap.u32[(h.buckets + h.t.overflowOffset) >>> 2] = h.buckets) },
  "evacuated marks in a map not growing": { n: 8, corrupt: (h) => h.heap.u8.fill(3, h.buckets, h.buckets + 8) },
  "count 0 under 8 entries": { n: 8, corrupt: (h) => void (h.heap.u32[Hmap32.count] = 0) },
  "count far above the entries": { n: 8, corrupt: (h) => void (h.heap.u32[Hmap32.count] = 0xfffffff0) },
  "B past the bucket array": { n: 8, corrupt: (h) => void (h.heap.u8[Hmap.B] = 27) },
  "buckets out of the heap": { n: 8, corrupt: (h) => void (h.heap.u32[Hmap32.buckets] = 0x7ffffff8) },
  "oldbuckets = buckets": { n: 8, corrupt: (h) => void (h.heap.u32[Hmap32.oldbuckets] = h.buckets) },
  "oldbuckets out of the heap": { n: 8, corrupt: (h) => void (h.heap.u32[Hmap32.oldbuckets] = 0x7ffffff8) },
  "nevacuate past the old array": { n: 8, corrupt: (h) => void ((h.heap.u32[Hmap32.oldbuckets] = h.buckets), (h.heap.u32[Hmap32.nevacuate] = 0xffffff)) },
  "hashWriting left set": { n: 8, corrupt: (h) => void (h.heap.u8[Hmap.flags] |= 4) },
  "free list going round": { n: 60, corrupt: freeListRound },
};

export const CORRUPTIONS: readonly string[] = Object.keys(corruptions);

/** Every call of the map's surface, each on a fresh copy of the corrupted map. */
const calls: Record<string, (m: U32Map) => unknown> = {
  get: (m) => [m.get(3), m.get(1000)],
  has: (m) => [m.has(3), m.has(1000)],
  lookup: (m) => m.lookup(1000),
  set: (m) => m.set(3, 1).set(1000, 2),
  "set 200 new keys": (m) => {
    for (let i = 0; i < 200; i++) m.set(1000 + i, i);
  },
  delete: (m) => [m.delete(1000), m.delete(3)],
  iterate: (m) => [...m].length,
  size: (m) => m.size,
  inspect: (m) => m.inspect(),
  save: (m) => m.toBytes(),
  clear: (m) => m.clear(),
  update: (m) => m.update(1000, () => 5),
};

export const CALLS: readonly string[] = Object.keys(calls);

function attachCorrupted(name: string): U32Map {
  const c = corruptions[name];
  const m = GoMap.make(t.u32, t.u32, { shared: true, hint: c.hint ?? 0, seed: 1 });
  for (let i = 0; i < c.n; i++) m.set(i, i);
  const other = GoMap.attach(m.share()); // attached before the bytes go bad
  c.corrupt(hmapOf(m)!);
  return other;
}

/** A fixed-seed xorshift: the same bytes on every run. */
export function seeded(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * A map of up to 300 entries whose hmap header or first bucket bytes have 1 to 4 bytes set at
 * random, before it is attached: what the flips are, and the attached map (or attach's error).
 */
function flipped(next: () => number): { flips: [number, number][]; attach: () => U32Map } {
  const m = GoMap.make(t.u32, t.u32, { shared: true, seed: 1 });
  const n = next() % 300;
  for (let i = 0; i < n; i++) m.set(i, i);
  const h = hmapOf(m)!;
  const flips: [number, number][] = [];
  for (let k = 1 + (next() % 4); k > 0; k--) {
    // Half in the header (Go's fields and gomap's), half in the first buckets.
    const at = next() % 2 === 0 ? Hmap.count + (next() % Hmap.size) : h.buckets + (next() % (4 * h.t.bucketSize));
    flips.push([at, next() & 0xff]);
  }
  for (const [at, byte] of flips) h.heap.u8[at] = byte;
  return { flips, attach: () => GoMap.attach(m.share()) };
}

/** Runs one call and posts its start (for the watchdog) and its outcome. */
function run(port: NonNullable<typeof parentPort>, corruption: string, call: string, f: () => unknown): void {
  port.postMessage({ start: `${corruption}: ${call}` });
  let outcome: Outcome = { corruption, call, typed: true };
  try {
    f();
  } catch (err) {
    const typed = err instanceof GoMapError || err instanceof HeapExhaustedError;
    outcome = { corruption, call, typed, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  port.postMessage({ outcome });
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { only, skip, fuzz } = workerData as { only: readonly string[] | null; skip: readonly string[]; fuzz?: { seed: number; runs: number } };
  if (fuzz !== undefined) {
    const next = seeded(fuzz.seed);
    for (let r = 0; r < fuzz.runs; r++) {
      const { flips, attach } = flipped(next);
      const corruption = `flips ${JSON.stringify(flips)}`;
      let m: U32Map | null = null;
      run(port, corruption, "attach", () => (m = attach()));
      for (const call of m === null ? [] : CALLS) run(port, corruption, call, () => calls[call](m!));
    }
  } else {
    for (const corruption of CORRUPTIONS) {
      for (const call of CALLS) {
        const pair = `${corruption}: ${call}`;
        if (skip.includes(pair) || (only !== null && !only.includes(pair))) continue;
        run(port, corruption, call, () => calls[call](attachCorrupted(corruption)));
      }
    }
  }
  port.postMessage({ done: true });
}
