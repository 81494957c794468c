// `npm run bench:lookup`: what a u32 lookup costs in JS over gomap's own bytes, and why the
// library's lookup is written the way it is. For a u32 -> u32 GoMap of 1e4 entries (in the
// caches) and 1e6 (not), ns per lookup of present keys in a shuffled order, for:
//
//   GoMap.get          the library, as a program calls it
//   bare, slot loop    the same lookup written out by hand over the map's heap: gomap's hash,
//                      the bucket, the tophash bytes one slot at a time from the bucket's
//                      two words (as runtime/generic/access.ts walks them), the key, the
//                      value; no type check, no growth or writer checks
//   bare, 4 slots      the same, comparing four tophash bytes at once (layout.ts
//                      matchTophash, as mapassign does)
//   bare + work N      the slot loop after N dependent multiplies of the key: extra work
//                      between one lookup's loads and the next's
//
//   Go 1.19            Go's own map[uint32]uint32 on the same keys and order: bench:go's
//                      program (bench/go/main.go), its "get hit" figure, run three times
//                      between the rounds above (left out when Go 1.19 is not installed)
//
// The bare loops are the floor for any JS lookup over this layout. Beyond the caches a lookup
// waits on memory, and how much of that wait overlaps the next lookup depends on the work in
// between, so a cost that is small in the caches grows several times at 1e6 ("bare + work").
// Each variant runs R rounds, interleaved with the others; the best round is printed.
// `--quick`: fewer rounds. `--mixed`: the process first uses maps of two other key types
// (string and u64), as a program with several maps does. Each key kind runs its own copy of
// the kernel and of GoMap's hot methods (runtime/specialise.ts says why), so this should
// measure what a u32-only process does; with one copy for all it did not.
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../fidelity/go.js";
import { GoMap } from "../src/gomap.js";
import { hash32, hashOut } from "../src/hash/hash.js";
import type { Heap } from "../src/memory/heap.js";
import { Bucket, Hmap, Hmap32, Top, bucketMask, lowSlot, matchTophash, tophash, tophashPattern } from "../src/runtime/layout.js";
import { hmapOf } from "../src/testing/hooks.js";
import { types as t } from "../src/types/index.js";
import { flags } from "./flags.js";

const opts = flags("bench:lookup", { quick: "boolean", mixed: "boolean" });
const ROUNDS = opts.quick === true ? 5 : 25;
const SIZES = [1e4, 1e6];

/** Bucket geometry of a u32 -> u32 map: 8 tophash bytes, 8 keys, 8 values, the link. */
const KEYS = Bucket.dataOffset;
const ELEMS = KEYS + Bucket.cnt * 4;
const OVERFLOW = ELEMS + Bucket.cnt * 4;
const BUCKET = OVERFLOW + 8;

let sink = 0;

/** The head bucket of key's chain; the hash's high half is left in hashOut.hi. */
function headOf(heap: Heap, key: number): number {
  const lo = hash32(key, heap.i32[Hmap32.hash0]);
  // `>>> 0` as mapaccess has it: a u32 for V8, not a double (generic/access.ts says why).
  return (heap.u32[Hmap32.buckets] + (lo & bucketMask(heap.u8[Hmap.B])) * BUCKET) >>> 0;
}

/** The hand-written lookup, slot by slot as find() walks: the value of key, or -1. */
function bareSlots(heap: Heap, key: number): number {
  let b = headOf(heap, key);
  const top = tophash(hashOut.hi);
  const u32 = heap.u32;
  for (; b !== 0; b = u32[(b + OVERFLOW) >>> 2]) {
    // Slot i's tophash is w's low byte: the first word shifted a byte a slot, then the second.
    let w = u32[b >>> 2];
    for (let i = 0; ; ) {
      if (top === (w & 0xff) && u32[(b + KEYS + i * 4) >>> 2] === key) return u32[(b + ELEMS + i * 4) >>> 2];
      if (++i === Bucket.cnt) break;
      w = i === 4 ? u32[(b >>> 2) + 1] : w >>> 8;
    }
    if (w === Top.emptyRest) return -1;
  }
  return -1;
}

/** The hand-written lookup, four tophash bytes at a time. */
function bareWords(heap: Heap, key: number): number {
  let b = headOf(heap, key);
  const pattern = tophashPattern(tophash(hashOut.hi));
  const u8 = heap.u8;
  const u32 = heap.u32;
  for (; b !== 0; b = u32[(b + OVERFLOW) >>> 2]) {
    for (let half = 0; half < Bucket.cnt; half += 4) {
      for (let m = matchTophash(u32[(b + half) >>> 2], pattern); m !== 0; m &= m - 1) {
        const i = half + (lowSlot(m) >>> 3); // the marked byte (bit 7, 15, 23 or 31) as a slot
        if (u32[(b + KEYS + i * 4) >>> 2] === key) return u32[(b + ELEMS + i * 4) >>> 2];
      }
    }
    if (u8[b + Bucket.cnt - 1] === Top.emptyRest) return -1;
  }
  return -1;
}

/** `rounds` dependent multiplies of x: work that can't start before x is known. */
function work(x: number, rounds: number): number {
  for (let j = 0; j < rounds; j++) x = Math.imul(x, 0x9e3779b1) ^ (x >>> 7);
  return x;
}

// One loop a variant, each with its own call site, so every call is monomorphic and inlined.
function variants(m: GoMap<number, number>, heap: Heap): [string, (keys: Uint32Array) => number][] {
  return [
    [
      "GoMap.get",
      (keys) => {
        let s = 0;
        for (let i = 0; i < keys.length; i++) s += m.get(keys[i]) ?? 1;
        return s;
      },
    ],
    [
      "bare, slot loop",
      (keys) => {
        let s = 0;
        for (let i = 0; i < keys.length; i++) s += bareSlots(heap, keys[i]);
        return s;
      },
    ],
    [
      "bare, 4 slots",
      (keys) => {
        let s = 0;
        for (let i = 0; i < keys.length; i++) s += bareWords(heap, keys[i]);
        return s;
      },
    ],
    [
      "bare + work 10",
      (keys) => {
        let s = 0;
        for (let i = 0; i < keys.length; i++) s += bareSlots(heap, keys[i]) + (work(keys[i], 10) & 1);
        return s;
      },
    ],
    [
      "bare + work 30",
      (keys) => {
        let s = 0;
        for (let i = 0; i < keys.length; i++) s += bareSlots(heap, keys[i]) + (work(keys[i], 30) & 1);
        return s;
      },
    ],
  ];
}

/** n distinct keys spread over the u32 range (measure.ts's), in a shuffled order. */
function shuffledKeys(n: number): Uint32Array {
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = Math.imul(i, 0x9e3779b1) >>> 0;
  let s = 12345;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    const x = keys[i];
    keys[i] = keys[j];
    keys[j] = x;
  }
  return keys;
}

/** bench:go's Go program, built once, or null without Go 1.19. */
function goBench(): string | null {
  const go = findGo();
  if (go === null) return null;
  return buildGoProgram(go, "bench", fileURLToPath(new URL("../../bench/go", import.meta.url)));
}

/** Go's ns per get hit on n u32 keys (one run of its program, AES hash on as Go runs). */
function goGetHit(bin: string, n: number): number {
  return (JSON.parse(runGoBinary(bin, ["u32", String(n)], false)) as { getHit: number }).getHit;
}

/**
 * Throws unless both bare lookups find what GoMap.get finds for every key of the map, and
 * nothing for absent keys: a bare lookup that went wrong would time as a fast one.
 */
function checkBare(m: GoMap<number, number>, heap: Heap, keys: Uint32Array): void {
  const n = keys.length;
  for (let i = 0; i < 2 * n; i++) {
    const k = i < n ? keys[i] : Math.imul(i, 0x9e3779b1) >>> 0; // keys n.. are absent
    const want = m.get(k) ?? -1;
    if (bareSlots(heap, k) !== want || bareWords(heap, k) !== want) {
      throw new Error(`bench:lookup: a bare lookup of ${k} disagrees with GoMap.get (${want})`);
    }
  }
}

function measure(n: number, goBin: string | null): Map<string, number> {
  const keys = shuffledKeys(n);
  const m = GoMap.make(t.u32, t.u32, { hint: n });
  for (let i = 0; i < n; i++) m.set(keys[i], i);
  const h = hmapOf(m as unknown as GoMap<unknown, unknown, unknown, unknown>);
  if (h === null) throw new Error("a made map has a heap");
  checkBare(m, h.heap, keys);
  const best = new Map<string, number>();
  const list = variants(m, h.heap);
  const goRuns = new Set([0, ROUNDS >>> 1, ROUNDS - 1]);
  for (let r = 0; r < ROUNDS; r++) {
    if (goBin !== null && goRuns.has(r)) best.set("Go 1.19", Math.min(best.get("Go 1.19") ?? Infinity, goGetHit(goBin, n)));
    for (const [name, run] of list) {
      const t0 = process.hrtime.bigint();
      sink ^= run(keys);
      const ns = Number(process.hrtime.bigint() - t0) / n;
      best.set(name, Math.min(best.get(name) ?? Infinity, ns));
    }
  }
  return best;
}

/** Gets, sets, deletes and has of string- and u64-keyed maps, enough for V8 to optimise them. */
function useOtherKeyTypes(): void {
  const strings = GoMap.make(t.string, t.u32);
  const u64s = GoMap.make(t.u64, t.u32);
  for (let r = 0; r < 20; r++) {
    for (let i = 0; i < 5000; i++) {
      strings.set(`key:${i}`, i);
      u64s.set(i * 4099, i);
    }
    for (let i = 0; i < 5000; i++) sink ^= (strings.get(`key:${i}`) ?? 0) ^ (u64s.get(i * 4099) ?? 0) ^ (strings.has(`x${i}`) ? 1 : 0);
    for (let i = 0; i < 5000; i += 2) {
      strings.delete(`key:${i}`);
      u64s.delete(i * 4099);
    }
  }
}

const mixed = opts.mixed === true;
if (mixed) useOtherKeyTypes();
const goBin = goBench();
const results = SIZES.map((n) => measure(n, goBin));
const mixedNote = mixed ? "; the process used string and u64 maps first" : "";
console.log(`node ${process.version}; ns per lookup of a present u32 key (best of ${ROUNDS} rounds; Go: best of 3 runs)${mixedNote}`);
if (goBin === null) console.log("(Go 1.19 not found: its row is left out)");
console.log(`| lookup | ${SIZES.map((n) => `n=${n.toExponential(0)}`).join(" | ")} |`);
console.log(`|---|${SIZES.map(() => "---:").join("|")}|`);
for (const name of results[0].keys()) {
  console.log(`| ${name} | ${results.map((r) => (r.get(name) as number).toFixed(1)).join(" | ")} |`);
}
if (sink === 0.5) console.log("(unreachable; keeps the loops' results alive)");
