// Refused calls leave the map byte for byte as it was: random sequences that mix valid writes
// with calls gomap must refuse (bad keys and values of many kinds, a struct whose last field is
// bad after good ones, update callbacks that throw, return a bad value or use the map they are
// updating, ref views given bad values, writes past maxBytes), on several key and value
// types, often while the map grows. After each refused call the map's whole heap (the hmap
// header, every bucket, the allocator's own state, the capacity) is what it was before it;
// after each valid call the entries equal a Map-based model and the invariants hold.
//
// The one refusal allowed to change bytes is the documented one (README "Failures lose
// nothing"): an insert refused for want of memory while a growth is under way may have moved
// that growth on first. Such a refusal must still leave the entries as they were.
//
// GOMAP_REFUSED_RUNS=<n> runs n sequences a type pair (default 12, a few seconds in the suite).
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { BLOCK_HEADER, FIRST_BLOCK, H_HIGH_WATER, H_TOP, USED } from "../../src/memory/heap.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const RUNS = Number(process.env.GOMAP_REFUSED_RUNS ?? 12);

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x].join(",") : Object.is(x, -0) ? "-0" : x));

const bytesOf = (n: number, seed: number): Uint8Array => new Uint8Array(n).map((_, i) => (seed * 31 + i * 7) & 0xff);

/** Strings that fit in their slot and ones that need a block of their own. */
const str: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 300 }).map((n) => `k${n}`),
  fc.nat({ max: 300 }).map((n) => `a string too long for its slot #${n} ü`),
);

/** A ref view's write: a box's value, or one field of a struct view. */
type ViewWrite = (view: any, v: unknown) => void;

interface Pair {
  name: string;
  kt: AnyType;
  vt: AnyType;
  key: fc.Arbitrary<unknown>;
  value: fc.Arbitrary<unknown>;
  badKeys: unknown[];
  badValues: unknown[];
  /** Writes v through a view, as the model's value after it: returns the new value. */
  viewWrite: (view: any, v: any, old: any) => unknown;
  /** Bad writes through a view of this pair's values. */
  badViewWrites: ViewWrite[];
  /** The range maxBytes is drawn from: small enough to be hit by this pair's entries. */
  minBytes: number;
  maxBytes: number;
}

const Inner = t.struct({ s: t.string, b: t.bytes(4), z: t.i64 });
const Rec = t.struct({ n: t.u8, f: t.f64, in: Inner, last: t.u64 });
const SKey = t.struct({ name: t.string, id: t.u16 });

/** Good fields first, then a bad one: the last field, or the last field of a nested struct. */
const badRecs = [
  { n: 1, f: 0.5, in: { s: "fine", b: bytesOf(4, 1), z: 1n }, last: 2n ** 64n },
  { n: 1, f: 0.5, in: { s: "a string long enough to be staged", b: bytesOf(4, 1), z: 2n ** 63n } },
  { n: 1, in: { s: "a string long enough to be staged", b: bytesOf(5, 1) } },
  { n: 1, in: { s: "a string long enough to be staged\ud800" } },
  { n: 1, in: { s: "ok", b: bytesOf(4, 2) }, last: -1n },
  { n: 1, in: { s: "ok" }, extra: 1 },
  { n: 1, f: 2, get last(): bigint { throw new Error("a getter that throws"); } },
  { n: 1, in: { s: "ok", get z(): bigint { throw new Error("a getter that throws"); } } },
  { n: 256 },
  null,
];
const box: ViewWrite = (view, v) => {
  view.value = v;
};

const pairs: Pair[] = [
  {
    name: "u32->u32",
    kt: t.u32,
    vt: t.u32,
    key: fc.nat({ max: 1000 }),
    value: fc.nat(),
    badKeys: [-1, 1.5, 2 ** 32, NaN, "1", 1n, null, undefined],
    badValues: [-1, 2 ** 32, Infinity, "3", 3n, null],
    viewWrite: (view, v) => (box(view, v), v),
    badViewWrites: [(view) => box(view, -1), (view) => box(view, "x")],
    minBytes: 1500,
    maxBytes: 6000,
  },
  {
    name: "string->string",
    kt: t.string,
    vt: t.string,
    key: str,
    value: str,
    badKeys: ["\ud800", "a long key with a lone surrogate \udfff", 5, null, ["a"]],
    badValues: ["\udc00", "a long value with a lone surrogate \ud800", 5, null, new Uint8Array(1)],
    viewWrite: (view, v) => (box(view, v), v),
    badViewWrites: [(view) => box(view, "long enough to need a block\ud800"), (view) => box(view, 1)],
    minBytes: 4000,
    maxBytes: 30_000,
  },
  {
    name: "u64->struct{u8,f64,struct{string,[4]byte,i64},u64}",
    kt: t.u64,
    vt: Rec,
    key: fc.bigInt({ min: 0n, max: 1000n }),
    value: fc.record({ n: fc.nat({ max: 255 }), f: fc.double({ noNaN: true }), in: fc.record({ s: str, b: fc.nat({ max: 255 }).map((n) => bytesOf(4, n)), z: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }), last: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
    badKeys: [-1n, 2n ** 64n, 2 ** 53, 0.5, "1", null],
    badValues: badRecs,
    viewWrite: (view, v, old) => {
      view.in = v.in;
      return { ...old, in: v.in };
    },
    badViewWrites: [
      (view) => (view.in = badRecs[1]!.in),
      (view) => (view.in = badRecs[2]!.in),
      (view) => (view.in = badRecs[3]!.in),
      (view) => (view.in.z = 2n ** 63n),
      (view) => (view.last = -1n),
      (view) => (view.n = 256),
    ],
    minBytes: 6000,
    maxBytes: 60_000,
  },
  {
    name: "struct{string,u16}->[8]byte",
    kt: SKey,
    vt: t.bytes(8),
    key: fc.record({ name: str, id: fc.nat({ max: 3 }) }),
    value: fc.nat({ max: 255 }).map((n) => bytesOf(8, n)),
    badKeys: [{ name: "x", id: 70000 }, { name: "\ud800" }, { name: "x", other: 1 }, { name: 5 }, { id: 1, get name(): string { throw new Error("a getter that throws"); } }, null],
    badValues: [bytesOf(7, 1), bytesOf(9, 1), [1, 2, 3, 4, 5, 6, 7, 8], "12345678", null],
    viewWrite: (view, v) => (box(view, v), v),
    badViewWrites: [(view) => box(view, bytesOf(7, 0)), (view) => box(view, null)],
    minBytes: 4000,
    maxBytes: 30_000,
  },
];

type Cmd =
  | { op: "set" | "update" | "view"; k: unknown; v: unknown }
  | { op: "delete"; k: unknown }
  | { op: "fill"; from: number }
  | { op: "bad"; kind: number; k: unknown; v: unknown; bad: number };

/** The refused calls, by number; bad picks the bad key, value or view write. */
const BAD_KINDS = 14;

function commands(p: Pair): fc.Arbitrary<Cmd[]> {
  return fc.array(
    fc.oneof(
      { weight: 30, arbitrary: fc.record({ op: fc.constant("set" as const), k: p.key, v: p.value }) },
      { weight: 5, arbitrary: fc.record({ op: fc.constant("update" as const), k: p.key, v: p.value }) },
      { weight: 5, arbitrary: fc.record({ op: fc.constant("view" as const), k: p.key, v: p.value }) },
      { weight: 8, arbitrary: fc.record({ op: fc.constant("delete" as const), k: p.key }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("fill" as const), from: fc.nat({ max: 1000 }) }) },
      { weight: 50, arbitrary: fc.record({ op: fc.constant("bad" as const), kind: fc.nat({ max: BAD_KINDS - 1 }), k: p.key, v: p.value, bad: fc.nat() }) },
    ),
    { minLength: 50, maxLength: 250 },
  );
}

/**
 * What a write refused for want of memory must leave as it was: the heap up to its last block,
 * but for the free blocks' bytes and the high-water mark of bytes ever touched. A failed
 * write may have taken memory and given it back, and grown the buffer on its way (its
 * capacity, still within maxBytes, is not the map's).
 */
function liveBytes(m: AnyMap): Buffer {
  const heap = hmapOf(m)!.heap;
  heap.sync();
  const b = Buffer.from(heap.u8);
  const u32 = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
  const top = u32[H_TOP];
  u32[H_HIGH_WATER] = 0;
  for (let off = FIRST_BLOCK + BLOCK_HEADER; off < top; ) {
    const size = (u32[(off - BLOCK_HEADER) >>> 2] & ~USED) >>> 0;
    if ((u32[(off - BLOCK_HEADER) >>> 2] & USED) === 0) b.fill(0, off, off + size);
    off += size + BLOCK_HEADER;
  }
  return b.subarray(0, top);
}

/** What a refused call must leave as it was: the whole heap, the allocator's state and the capacity with it. */
function heapBytes(m: AnyMap): Buffer {
  const heap = hmapOf(m)!.heap;
  heap.sync();
  return Buffer.from(heap.u8);
}

function contents(m: AnyMap): string[] {
  return [...m].map(([k, v]) => `${show(k)}=${show(v)}`).sort();
}

const throwing = (): never => {
  throw new Error("update's callback throws");
};

/**
 * The call of kind c.kind, which the map must refuse (a TypeError, RangeError or GoMapError, or
 * the callback's own error): a bad key or value at each entry point, update callbacks that
 * throw or use the map, a bad write through a view, a callback that is not a function.
 */
function badCall(m: AnyMap, p: Pair, c: Extract<Cmd, { op: "bad" }>, present: unknown): () => unknown {
  const badKey = p.badKeys[c.bad % p.badKeys.length];
  const badValue = p.badValues[c.bad % p.badValues.length];
  const k = c.k;
  switch (c.kind) {
    case 0: return () => m.set(badKey, c.v);
    case 1: return () => m.set(k, badValue);
    case 2: return () => m.get(badKey);
    case 3: return () => (c.bad % 2 === 0 ? m.has(badKey) : m.lookup(badKey));
    case 4: return () => m.delete(badKey);
    case 5: return () => m.update(badKey, throwing);
    case 6: return () => m.update(k, () => badValue);
    case 7: return () => m.update(k, (v) => (mutate(v), throwing()));
    case 8: return () => m.update(k, () => void m.set(k, c.v));
    // (An empty map answers a read or delete without looking at the write flag, as Go's does.)
    case 9: return () => m.update(k, () => ((c.bad % 2 === 0 ? m.delete(k) : m.get(k)), badValue));
    case 10: return () => m.ref(badKey);
    case 11: return () => (present === undefined ? m.ref(k) : p.badViewWrites[c.bad % p.badViewWrites.length](m.ref(k), undefined));
    case 12: return () => m.forEach(5 as never);
    default: return () => m.update(k, 5 as never);
  }
}

/** Changes a value update's callback got (a copy), before it throws. */
function mutate(v: unknown): void {
  if (typeof v === "object" && v !== null && !(v instanceof Uint8Array)) (v as { n?: number }).n = 7;
}

interface Tally {
  refused: number;
  refusedGrowing: number;
  outOfMemory: number;
}

function run(p: Pair, maxBytes: number | undefined, shared: boolean, cmds: Cmd[], tally: Tally): void {
  const m = GoMap.make(p.kt, p.vt, { maxBytes, shared, seed: 11 }) as AnyMap;
  const model = new Map<string, [unknown, unknown]>();
  const check = (what: string): void => {
    checkInvariants(m);
    assert.equal(m.size, model.size, `${what}: size`);
    assert.deepEqual(contents(m), [...model.values()].map(([k, v]) => `${show(k)}=${show(v)}`).sort(), `${what}: entries`);
  };
  /** A valid write: into the model unless it ran out of memory, which must change nothing but a growth under way. */
  const write = (what: string, fn: () => unknown, apply: () => void): void => {
    const growing = hmapOf(m)!.growing;
    const before = liveBytes(m);
    try {
      fn();
    } catch (err) {
      if (!(err instanceof HeapExhaustedError)) throw err;
      tally.outOfMemory++;
      if (!growing) {
        const after = liveBytes(m);
        if (!after.equals(before)) assert.fail(`${what}: refused for want of memory, but the heap changed (${firstDiff(before, after)})`);
      }
      return;
    }
    apply();
  };
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    const what = `op ${i} ${c.op}${"k" in c ? ` ${show(c.k)}` : ""}`;
    const entry = "k" in c ? model.get(show(c.k)) : undefined;
    switch (c.op) {
      case "set":
        write(what, () => m.set(c.k, c.v), () => model.set(show(c.k), [c.k, c.v]));
        break;
      case "update":
        write(what, () => m.update(c.k, () => c.v), () => model.set(show(c.k), [c.k, c.v]));
        break;
      case "view": {
        if (entry === undefined) break;
        const view = m.ref(c.k);
        let next: unknown;
        write(what, () => (next = p.viewWrite(view, c.v, entry[1])), () => model.set(show(c.k), [entry[0], next]));
        break;
      }
      case "delete":
        assert.equal(m.delete(c.k), model.delete(show(c.k)), what);
        break;
      case "fill":
        // New keys until a growth starts (or 400 writes): the calls after it meet a map mid-growth.
        for (let j = 0; j < 400 && !hmapOf(m)!.growing; j++) {
          const k = fc.sample(p.key, { seed: c.from + j, numRuns: 1 })[0];
          const v = fc.sample(p.value, { seed: c.from * 7 + j, numRuns: 1 })[0];
          write(`${what} ${show(k)}`, () => m.set(k, v), () => model.set(show(k), [k, v]));
        }
        break;
      case "bad": {
        const call = badCall(m, p, c, entry?.[1]);
        const growing = hmapOf(m)!.growing;
        const before = heapBytes(m);
        let refused = true;
        try {
          call();
          refused = false;
        } catch {
          // refused, as it must be
        }
        // Only a read of an empty map may answer: it hashes nothing, so a key it could not
        // hash (a lone surrogate) just misses (README).
        if (!refused) assert.ok(c.kind >= 2 && c.kind <= 4 && m.size === 0, `${what}: kind ${c.kind} was not refused`);
        const after = heapBytes(m);
        if (!after.equals(before)) assert.fail(`${what}: refused call of kind ${c.kind} changed the heap (${firstDiff(before, after)}), growing ${growing}`);
        tally.refused++;
        if (growing) tally.refusedGrowing++;
        break;
      }
    }
    check(what);
  }
  // Still usable: a write, a read and a full iteration against the model.
  const [k, v] = fc.sample(fc.tuple(p.key, p.value), { seed: cmds.length, numRuns: 1 })[0];
  write("last", () => m.set(k, v), () => model.set(show(k), [k, v]));
  if (model.has(show(k))) assert.equal(show(m.get(k)), show(model.get(show(k))![1]));
  check("last");
}

function firstDiff(a: Buffer, b: Buffer): string {
  if (a.length !== b.length) return `capacity ${a.length} -> ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte ${i}: ${a[i]} -> ${b[i]}`;
  return "none";
}

for (const p of pairs) {
  test(`refused: ${p.name}: every refused call leaves the whole heap byte for byte as it was, mid-growth too; valid calls keep the model`, () => {
    const tally: Tally = { refused: 0, refusedGrowing: 0, outOfMemory: 0 };
    fc.assert(
      fc.property(fc.option(fc.integer({ min: p.minBytes, max: p.maxBytes }), { nil: undefined }), fc.boolean(), commands(p), (maxBytes, shared, cmds): void => run(p, maxBytes, shared, cmds, tally)),
      { seed: 20261207, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
    );
    if (process.env.GOMAP_REFUSED_RUNS !== undefined) console.log(p.name, tally);
    assert.ok(tally.refusedGrowing > 0, `no call was refused mid-growth (${JSON.stringify(tally)})`);
    assert.ok(tally.outOfMemory > 0, `no write ran out of memory (${JSON.stringify(tally)})`);
  });
}
