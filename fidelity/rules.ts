// The hand-written fidelity scripts: one for each rule of Go 1.19's map.go, each dumping the
// map's state at the steps where the rule acts. Their Go runs are committed under golden/, so
// they are compared on every test run, with or without Go installed.
import { GoMap } from "../src/gomap.js";
import { goHashed } from "../src/types/gohash.js";
import { types as t } from "../src/types/index.js";
import type { Json, KeyKind, Op, Script } from "./script.js";

const HASHKEY = "0x0123456789abcdef";
const SEED = 0x12345678;

function script(name: string, key: KeyKind, hint: number, ops: Op[]): Script {
  return { name, key, hashkey: HASHKEY, seed: SEED, hint, ops };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const set = (k: Json, v: Json = 0): Op => ["set", k, v];
const dump: Op = ["dump"];

/** Inserts keys 0..n-1 (value 10k), dumping after each insert listed in `at` (1-based counts). */
function fill(n: number, at: (count: number) => boolean, from = 0): Op[] {
  return range(n).flatMap((i) => (at(i + 1) ? [set(from + i, 10 * (from + i)), dump] : [set(from + i, 10 * (from + i))]));
}

/** Go's hash of a u32 key under the scripts' hash key and seed (GODEBUG=cpu.aes=off), low word. */
const goU32 = goHashed(t.u32, BigInt(HASHKEY));

/** The first `n` keys from `from` up that go to bucket `bucket` of a map with 2^B buckets. */
function keysInBucket(bucket: number, B: number, n: number, from: number): number[] {
  const out: number[] = [];
  for (let k = from; out.length < n; k++) if ((goU32.hash(k, SEED) & ((1 << B) - 1)) === bucket) out.push(k);
  return out;
}

/**
 * Overflow buckets piled up until a same-size growth: 14 keys make B = 2 (4 buckets), then
 * groups of 10 keys that all go to one bucket, each group inserted and deleted again, a bucket
 * after another: each group needs an overflow bucket, and deletes leave them linked, so
 * noverflow soon reaches 2^B = 4 with few entries, and an insert starts a same-size growth
 * (tooManyOverflowBuckets). Which insert that is, gomap (with Go's hash) says while the script
 * is written, and Go's run must agree; `tail` comes right after it, while the growth runs,
 * then the rest of that group's inserts.
 */
function sameSizeGrowth(tail: Op[]): Op[] {
  const m = GoMap.make(t.u32, t.u32, { hash: "go1.19", hashKey: BigInt(HASHKEY), seed: SEED });
  const ops: Op[] = [];
  for (let k = 0; k < 14; k++) {
    m.set(k, 10 * k);
    ops.push(set(k, 10 * k));
  }
  ops.push(dump);
  for (let g = 0; g < 40; g++) {
    const group = keysInBucket(g % 4, 2, 10, 1000 * (g + 1));
    for (const [i, k] of group.entries()) {
      m.set(k, g);
      ops.push(set(k, g), dump);
      if (m.inspect().sameSizeGrow) return [...ops, ...tail, ...group.slice(i + 1).flatMap((x) => [set(x, g), dump])];
    }
    for (const k of group) {
      m.delete(k);
      ops.push(["del", k]);
    }
    ops.push(dump);
  }
  throw new Error("fidelity: no same-size growth in 40 groups");
}

/** The counts around each doubling threshold up to B = 8 (Go grows on the insert past 6.5 * 2^B); the live runs go further. */
const nearThreshold = (c: number): boolean => [8, 9, 10, 13, 14, 15, 26, 27, 28, 52, 53, 54, 104, 105, 106, 208, 209, 210, 416, 417, 418, 832, 833, 834, 1664, 1665, 1666].includes(c);

export const RULE_SCRIPTS: Script[] = [
  // makemap: B for a hint (overLoadFactor), the B = 0 map whose bucket comes with the first
  // write, and the preallocated overflow pool for B >= 4 (makeBucketArray).
  ...[0, 8, 9, 13, 14, 26, 27, 53, 100, 1000, 1024, 5000].map((hint) =>
    script(`makemap-hint-${hint}`, "u32", hint, [dump, ...fill(Math.min(hint + 20, 300), (c) => c === 1 || c === Math.min(hint + 20, 300))]),
  ),
  // hashGrow + growWork + evacuate: doublings at each threshold, evacuation of the bucket being
  // written and of nevacuate, advanceEvacuationMark, and the X/Y split.
  script("grow-thresholds-u32", "u32", 0, fill(900, nearThreshold)),
  script("grow-thresholds-u64", "u64", 0, range(900).flatMap((i) => (nearThreshold(i + 1) ? [set(`${i * 7919}`, `${i}`), dump] : [set(`${i * 7919}`, `${i}`)]))),
  script("grow-thresholds-string", "string", 0, range(900).flatMap((i) => (nearThreshold(i + 1) ? [set(`key-${i}-${"x".repeat(i % 20)}`, i), dump] : [set(`key-${i}-${"x".repeat(i % 20)}`, i)]))),
  script("grow-thresholds-struct", "struct", 0, range(450).flatMap((i) => {
    const op = set({ A: i % 7, B: i, F: i % 3 === 0 ? 0.5 : i, S: `s${i % 11}` }, i);
    return nearThreshold(i + 1) ? [op, dump] : [op];
  })),
  // mapassign during a growth: an update of an existing key evacuates its bucket first; the
  // write finishes growth work (growWork evacuates the bucket and nevacuate).
  script("assign-while-growing", "u32", 0, [...fill(53, (c) => c === 53), ...range(30).flatMap((i) => [set(i * 3, 7), dump])]),
  // mapdelete: emptyOne and the emptyRest folding back over a chain, and deletes while growing.
  script("delete-emptyrest", "u32", 0, [...fill(30, (c) => c === 30), ...range(30).flatMap((i) => [["del", 29 - i] as Op, dump])]),
  script("delete-while-growing", "u32", 0, [...fill(105, (c) => c === 105), ...range(40).flatMap((i) => [["del", i * 2] as Op, dump])]),
  // Same-size growth: overflow buckets left by deletes pile up until tooManyOverflowBuckets,
  // then a same-size growth copies each chain into the same index, dropping its holes.
  script("same-size-growth", "u32", 0, sameSizeGrowth([])),
  // The overflow pool: overflow buckets taken from the preallocated tail (nextOverflow), then
  // from fresh allocations once it is used up. Dumps show chains by their contents, not where
  // their buckets lie, so this compares the chains; the pool itself is the runtime tests'.
  script("overflow-pool", "u32", 100, fill(120, (c) => c % 10 === 0)),
  // mapclear (clear, Go 1.19's range-delete idiom): keeps B and drops the growth; the clear
  // comes right after the 53rd insert started a doubling, so the old array is still there.
  // (Both sides give a cleared or emptied map a new seed, and the harness sets it back to the
  // script's, so the new seed itself is checked by the runtime's tests, not here.)
  script("clear-while-growing", "u32", 0, [...fill(53, (c) => c === 53), ["clear"], dump, ...fill(20, (c) => c % 5 === 0, 1000)]),
  script("delete-to-empty", "string", 0, [set("a", 1), set("b", 2), ["del", "a"], ["del", "b"], dump, set("a", 3), dump]),
  // mapaccess: lookups that hit and miss, also while growing (they read the old bucket if it
  // has not been evacuated).
  script("access-while-growing", "u32", 0, [...fill(53, () => false), ...range(40).flatMap((i) => [["get", i] as Op, ["get", 10_000 + i] as Op]), dump]),
  // mapiterinit / mapiternext: an iteration from Go's start bucket and offset over a stable map;
  // one started mid-growth whose body inserts, deletes and updates; one whose body starts a
  // growth; and one over a same-size growth.
  script("range-stable", "u32", 0, [...fill(40, () => false), ["range", {}], ["range", {}]]),
  script("range-mid-growth", "u32", 0, [
    ...fill(53, () => false),
    dump,
    ["range", { "0": [set(5000, 1), ["del", 3]], "5": [set(7, 777)], "10": [["del", 40], set(5001, 2)], "20": [set(5002, 3), ["del", 52]] }],
    dump,
  ]),
  script("range-body-grows", "u32", 0, [
    ...fill(50, () => false),
    ["range", { "1": range(10).map((i) => set(9000 + i, i)), "30": [["del", 1], ["del", 2]] }],
    dump,
  ]),
  script("range-same-size-growth", "u32", 0, sameSizeGrowth([["range", { "0": [set(5000, 1), ["del", 3]], "4": [set(7, 777)], "9": [["del", 10]] }], dump])),
  script("range-u64-mid-growth", "u64", 0, [
    ...range(53).map((i) => set(`${i * 7919}`, `${i}`)),
    dump,
    ["range", { "0": [set("18446744073709551615", "1"), ["del", `${3 * 7919}`]], "6": [set(`${7 * 7919}`, "777")], "15": [["del", `${40 * 7919}`]] }],
    dump,
  ]),
  script("range-struct-mid-growth", "struct", 0, [
    ...range(53).map((i) => set({ A: i % 7, B: i, F: i % 3 === 0 ? 0.5 : i, S: `s${i % 11}` }, i)),
    dump,
    ["range", { "1": [set({ A: 1, B: 900, F: 2.5, S: "new" }, 1), ["del", { A: 3, B: 3, F: 0.5, S: "s3" }]], "8": [set({ A: 5, B: 5, F: 5, S: "s5" }, 55)] }],
    dump,
  ]),
  script("range-string-mid-growth", "string", 0, [
    ...range(27).map((i) => set(`k${i}`, i)),
    dump,
    ["range", { "2": [set("new-1", 1), ["del", "k3"]], "9": [set("k4", 44)] }],
    dump,
  ]),
];
