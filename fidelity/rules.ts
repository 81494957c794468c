// The hand-written fidelity scripts: one for each rule of Go 1.19's map.go, each dumping the
// map's state at the steps where the rule acts. Their Go runs are committed under golden/, so
// they are compared on every test run, with or without Go installed.
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
  // Same-size growth: churn at a steady size piles up overflow buckets until
  // tooManyOverflowBuckets, then a same-size growth compacts them.
  script("same-size-growth", "u32", 0, [
    ...fill(60, () => false),
    ...range(3000).flatMap((i) => {
      const ops: Op[] = [["del", i], set(60 + i, i)];
      return i % 100 === 0 ? [...ops, dump] : ops;
    }),
    dump,
  ]),
  // The overflow pool: overflow buckets taken from the preallocated tail (nextOverflow), then
  // from fresh allocations once it is used up.
  script("overflow-pool", "u32", 100, fill(120, (c) => c % 10 === 0)),
  // mapclear (clear, Go 1.19's range-delete idiom): keeps B, drops the growth, new seed; and a
  // map emptied by deletes gets a new seed too.
  script("clear-while-growing", "u32", 0, [...fill(60, (c) => c === 60), ["clear"], dump, ...fill(20, (c) => c % 5 === 0, 1000)]),
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
  script("range-string-mid-growth", "string", 0, [
    ...range(27).map((i) => set(`k${i}`, i)),
    ["range", { "2": [set("new-1", 1), ["del", "k3"]], "9": [set("k4", 44)] }],
    dump,
  ]),
];
