// Model-based property tests of the whole runtime (through GoMap): random command sequences
// run against a GoMap and a reference model side by side, over several key and value types.
// After every command the size and the full contents must match the model (keys compared
// with their stored sign, values by value) and checkInvariants must hold.
//
// The model is a JS Map keyed by a canonical form of the key (numbers with -0 folded into 0,
// bigints, strings as is, bytes as hex, structs as JSON), holding the key as last written
// (Go rewrites a float key on overwrite) and the value. NaN keys are never equal to anything,
// so they are a separate list of values: set(NaN) appends, delete/get never find them, clear
// empties the list.
//
// Iteration commands start an iterator, take a few steps, mix in sets and deletes (and
// sometimes a clear), and then finish it or break out. Checked against Go's rules: every entry
// returned is in the map at that moment with its current value (so nothing deleted before it
// was reached comes back, and updates show); no key comes back twice unless it was deleted
// and inserted again in between (a new entry, which Go may or may not produce); every key
// present for the whole loop comes back; NaN entries come back once each.
//
// Three specs run under a small maxBytes, where writes fail with HeapExhaustedError now and
// then: a failed write must leave the map exactly as the model (which skips it) says.
//
// Soak runs by hand: MODEL_RUNS_FACTOR=20 (20x the runs), MODEL_SEED=n (replay a seed),
// MODEL_NOSHRINK=1 (report the first failure as found, without shrinking).
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { checkInvariants, hashedBy } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType, GoType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** What the model test needs to know about one map type. */
interface Spec<KIn, VIn> {
  name: string;
  keyType: AnyType;
  valueType: AnyType;
  key: fc.Arbitrary<KIn>;
  value: fc.Arbitrary<VIn>;
  /** Canonical form of a key; null for a key that never equals itself (NaN). */
  canon: (k: KIn) => string | null;
  /** What reading the key back gives (u64 keys read back as bigint...). */
  keyOut: (k: KIn) => unknown;
  /** What reading the value back gives (struct fields filled in...). */
  valueOut: (v: VIn) => unknown;
  /** An update function for update() commands: new input value from the current output value. */
  bump: (v: unknown) => VIn;
  hint?: number;
  /**
   * Keys for burst commands (fill one hash group with n keys, then delete them all): the
   * temporary batches that leave empty overflow chains behind and so start same-size growths.
   */
  burstKey?: (group: number, i: number) => KIn;
  /**
   * Makes the map with this maxBytes: writes then fail with HeapExhaustedError now and then,
   * and a failed write must change nothing (the model is left as it was).
   */
  maxBytes?: number;
}

type Sub<KIn, VIn> = { op: "set"; k: KIn; v: VIn } | { op: "delete"; k: KIn } | { op: "clear" };

type Cmd<KIn, VIn> =
  | Sub<KIn, VIn>
  | { op: "get"; k: KIn }
  | { op: "lookup"; k: KIn }
  | { op: "has"; k: KIn }
  | { op: "update"; k: KIn }
  | { op: "burst"; group: number; n: number; v: VIn }
  | { op: "iter"; plan: { take: number; subs: Sub<KIn, VIn>[] }[]; finish: boolean };

class Model<KIn, VIn> {
  /** canon -> [key as last written (output form), value (output form)] */
  readonly map = new Map<string, [unknown, unknown]>();
  /** Values of NaN entries. */
  nans: unknown[] = [];
  constructor(private readonly spec: Spec<KIn, VIn>) {}

  get size(): number {
    return this.map.size + this.nans.length;
  }
  set(k: KIn, v: VIn): void {
    const c = this.spec.canon(k);
    if (c === null) this.nans.push(this.spec.valueOut(v));
    else this.map.set(c, [this.spec.keyOut(k), this.spec.valueOut(v)]);
  }
  delete(k: KIn): boolean {
    const c = this.spec.canon(k);
    return c !== null && this.map.delete(c);
  }
  clear(): void {
    this.map.clear();
    this.nans = [];
  }
  get(k: KIn): unknown {
    const c = this.spec.canon(k);
    return c === null ? undefined : this.map.get(c)?.[1];
  }
}

/** Compares size and full contents of m with the model, and runs the invariant checks. */
function assertMatches<KIn, VIn>(m: AnyMap, model: Model<KIn, VIn>, spec: Spec<KIn, VIn>): void {
  assert.equal(m.size, model.size, "size");
  const seen = new Set<string>();
  const nanValues: unknown[] = [];
  for (const [k, v] of m) {
    const c = spec.canon(k as KIn);
    if (c === null) {
      nanValues.push(v);
      continue;
    }
    assert.ok(!seen.has(c), `key ${c} returned twice`);
    seen.add(c);
    const want = model.map.get(c);
    assert.ok(want !== undefined, `key ${c} in the map, not in the model`);
    assert.deepEqual(k, want[0], `key ${c} as stored`);
    assert.deepEqual(v, want[1], `value of key ${c}`);
  }
  assert.equal(seen.size, model.map.size, "every model key is in the map");
  assert.deepEqual(sortedValues(nanValues), sortedValues(model.nans), "NaN entries");
  checkInvariants(m);
}

function sortedValues(vs: unknown[]): string[] {
  return vs.map((v) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : x))).sort();
}

/** Writes that failed with HeapExhaustedError in the current model test. */
let failedWrites = 0;

/**
 * Runs f; in a maxBytes spec a HeapExhaustedError from it means "not applied" (false), and
 * anything else is rethrown.
 */
function attempt<KIn, VIn>(spec: Spec<KIn, VIn>, f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (spec.maxBytes !== undefined && e instanceof HeapExhaustedError) {
      failedWrites++;
      return false;
    }
    throw e;
  }
}

/** Applies a write to the map and, if it did not fail for lack of memory, to the model. */
function applySub<KIn, VIn>(m: AnyMap, model: Model<KIn, VIn>, spec: Spec<KIn, VIn>, s: Sub<KIn, VIn>): boolean {
  if (s.op === "set") {
    if (!attempt(spec, () => assert.equal(m.set(s.k, s.v), m))) return false;
    model.set(s.k, s.v);
  } else if (s.op === "delete") {
    let found = false;
    if (!attempt(spec, () => void (found = m.delete(s.k)))) return false;
    assert.equal(found, model.delete(s.k), "delete's result");
  } else {
    m.clear();
    model.clear();
  }
  return true;
}

/** Runs one iteration command, checking Go's iteration rules as it goes. */
function runIter<KIn, VIn>(m: AnyMap, model: Model<KIn, VIn>, spec: Spec<KIn, VIn>, cmd: Extract<Cmd<KIn, VIn>, { op: "iter" }>): void {
  const it = m.entries();
  const throughout = new Set(model.map.keys());
  const seen = new Set<string>();
  // NaN entries: those present at the start (must all come back unless a clear came first)
  // and those that may come back (present at the start or added since the last clear).
  let nanMust = sortedValues(model.nans);
  let nanMay = [...nanMust];
  const nanGot: string[] = [];
  let done = false;
  const step = (): void => {
    const r = it.next();
    if (r.done === true) {
      done = true;
      return;
    }
    const [k, v] = r.value;
    const c = spec.canon(k as KIn);
    if (c === null) {
      const s = sortedValues([v])[0];
      const i = nanMay.indexOf(s);
      assert.ok(i >= 0, `a NaN entry with value ${s} returned that may not be`);
      nanMay.splice(i, 1);
      nanGot.push(s);
      return;
    }
    assert.ok(!seen.has(c), `key ${c} returned twice in one iteration`);
    seen.add(c);
    const want = model.map.get(c);
    assert.ok(want !== undefined, `key ${c} returned but not in the map now (deleted before it was reached?)`);
    assert.deepEqual(k, want[0], `key ${c} as stored now`);
    assert.deepEqual(v, want[1], `value of key ${c}: the latest`);
  };
  for (const { take, subs } of cmd.plan) {
    for (let i = 0; i < take && !done; i++) step();
    if (done) break;
    for (const s of subs) {
      const c = s.op === "clear" ? null : spec.canon(s.k);
      const had = c !== null && model.map.has(c);
      if (!applySub(m, model, spec, s)) {
        checkInvariants(m);
        continue;
      }
      if (s.op === "delete") {
        if (had) {
          throughout.delete(c!);
          seen.delete(c!); // if inserted again, it is a new entry
        }
      } else if (s.op === "clear") {
        throughout.clear();
        seen.clear();
        nanMust = [];
        nanMay = [];
      } else if (c === null) {
        nanMay.push(sortedValues([spec.valueOut(s.v)])[0]);
      }
      checkInvariants(m);
    }
  }
  if (cmd.finish) {
    while (!done) step();
    for (const c of throughout) assert.ok(seen.has(c), `key ${c} present for the whole loop but not returned`);
    for (const s of nanMust) {
      const i = nanGot.indexOf(s);
      assert.ok(i >= 0, `a NaN entry with value ${s} present for the whole loop but not returned`);
      nanGot.splice(i, 1);
    }
  } else {
    it.return!();
  }
}

/** MODEL_RUNS_FACTOR=n runs every model test n times as long (for soak runs by hand). */
const runsFactor = Number(process.env.MODEL_RUNS_FACTOR ?? 1);

/** What the runs of one model test went through, so a test that exercised nothing fails. */
interface Coverage {
  maxB: number;
  growths: number;
  sameSizeGrowths: number;
  /** Iteration commands during which the map was growing at some point. */
  itersWhileGrowing: number;
}

function runCommands<KIn, VIn>(spec: Spec<KIn, VIn>, cmds: Cmd<KIn, VIn>[], cov: Coverage): void {
  const m = GoMap.make(spec.keyType, spec.valueType, { hint: spec.hint, maxBytes: spec.maxBytes }) as AnyMap;
  const model = new Model(spec);
  const zero = spec.valueType.zero();
  let lastB = 0;
  let lastSameSize = false;
  for (const cmd of cmds) {
    switch (cmd.op) {
      case "set":
      case "delete":
      case "clear":
        applySub(m, model, spec, cmd);
        break;
      case "get":
        assert.deepEqual(m.get(cmd.k), model.get(cmd.k));
        break;
      case "has":
        assert.equal(m.has(cmd.k), model.get(cmd.k) !== undefined);
        break;
      case "lookup": {
        const want = model.get(cmd.k);
        assert.deepEqual(m.lookup(cmd.k), want === undefined ? [zero, false] : [want, true]);
        break;
      }
      case "update": {
        const cur = model.get(cmd.k);
        const next = spec.bump(cur === undefined ? zero : cur);
        if (attempt(spec, () => void m.update(cmd.k, () => next))) model.set(cmd.k, next);
        break;
      }
      case "burst": {
        const keys: KIn[] = [];
        for (let i = 0; i < cmd.n; i++) keys.push(spec.burstKey!(cmd.group, i));
        for (const k of keys) applySub(m, model, spec, { op: "set", k, v: cmd.v });
        checkInvariants(m);
        for (const k of keys) applySub(m, model, spec, { op: "delete", k });
        break;
      }
      case "iter": {
        const growingBefore = m.inspect().growing;
        runIter(m, model, spec, cmd);
        if (growingBefore || m.inspect().growing) cov.itersWhileGrowing++;
        break;
      }
    }
    assertMatches(m, model, spec);
    const s = m.inspect();
    if (s.B > lastB) cov.growths++;
    if (s.sameSizeGrow && !lastSameSize) cov.sameSizeGrowths++;
    lastB = s.B;
    lastSameSize = s.sameSizeGrow;
    if (s.B > cov.maxB) cov.maxB = s.B;
  }
  // The heap is not left held by any iterator.
  assert.equal(GoMap.hmapOf(m)!.heap.held, false, "no iterator still holds the heap");
}

function commands<KIn, VIn>(spec: Spec<KIn, VIn>, minLength: number, maxLength: number): fc.Arbitrary<Cmd<KIn, VIn>[]> {
  const { key, value } = spec;
  const sub: fc.Arbitrary<Sub<KIn, VIn>> = fc.oneof(
    { weight: 120, arbitrary: fc.record({ op: fc.constant("set" as const), k: key, v: value }) },
    { weight: 80, arbitrary: fc.record({ op: fc.constant("delete" as const), k: key }) },
    { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
  );
  const weighted: fc.WeightedArbitrary<Cmd<KIn, VIn>>[] = [
    { weight: 600, arbitrary: fc.record({ op: fc.constant("set" as const), k: key, v: value }) },
    { weight: 240, arbitrary: fc.record({ op: fc.constant("delete" as const), k: key }) },
    { weight: 60, arbitrary: fc.record({ op: fc.constant("get" as const), k: key }) },
    { weight: 40, arbitrary: fc.record({ op: fc.constant("lookup" as const), k: key }) },
    { weight: 40, arbitrary: fc.record({ op: fc.constant("has" as const), k: key }) },
    { weight: 60, arbitrary: fc.record({ op: fc.constant("update" as const), k: key }) },
    { weight: 3, arbitrary: fc.constant({ op: "clear" as const }) },
    {
      weight: 30,
      arbitrary: fc.record({
        op: fc.constant("iter" as const),
        plan: fc.array(fc.record({ take: fc.nat({ max: 6 }), subs: fc.array(sub, { maxLength: 8 }) }), { maxLength: 12 }),
        finish: fc.integer({ min: 0, max: 3 }).map((x) => x !== 0),
      }),
    },
  ];
  if (spec.burstKey !== undefined) {
    weighted.push({
      weight: 40,
      arbitrary: fc.record({ op: fc.constant("burst" as const), group: fc.integer({ min: 1, max: 60 }), n: fc.integer({ min: 9, max: 30 }), v: value }),
    });
  }
  const cmd: fc.Arbitrary<Cmd<KIn, VIn>> = fc.oneof(...weighted);
  return fc.array(cmd, { minLength, maxLength, size: "max" });
}

function modelTest<KIn, VIn>(spec: Spec<KIn, VIn>, numRuns: number, want: { maxB: number; sameSize?: boolean; iterDuringGrowth?: boolean; failures?: boolean }, minLength = 200, maxLength = 1500): void {
  test(`model: ${spec.name}`, () => {
    const cov: Coverage = { maxB: 0, growths: 0, sameSizeGrowths: 0, itersWhileGrowing: 0 };
    failedWrites = 0;
    fc.assert(
      fc.property(commands(spec, minLength, maxLength), (cmds) => runCommands(spec, cmds, cov)),
      // A fixed seed by default, so CI runs the same sequences whatever the machine's speed
      // (the coverage checks below must not depend on luck); MODEL_SEED explores others.
      { numRuns: numRuns * runsFactor, includeErrorInReport: true, seed: process.env.MODEL_SEED === undefined ? 20261122 : Number(process.env.MODEL_SEED), endOnFailure: process.env.MODEL_NOSHRINK !== undefined },
    );
    // The runs went where they were meant to go.
    assert.ok(cov.maxB >= want.maxB, `runs reached B${cov.maxB}, want B${want.maxB}`);
    assert.ok(cov.growths >= numRuns * 2, `only ${cov.growths} growths in ${numRuns} runs`);
    if (want.iterDuringGrowth === true) assert.ok(cov.itersWhileGrowing >= 1, "no iteration ran during a growth");
    if (want.sameSize === true) assert.ok(cov.sameSizeGrowths >= 1, "no same-size growth happened");
    if (want.failures === true) assert.ok(failedWrites >= numRuns, `only ${failedWrites} writes ran out of memory`);
  });
}

// --- the map types --------------------------------------------------------------------------

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const u32Value = fc.integer({ min: 0, max: 0xffffffff });
const bumpU32 = (v: unknown): number => ((v as number) + 1) >>> 0;

modelTest<number, number>(
  {
    name: "map[uint32]uint32",
    keyType: t.u32,
    valueType: t.u32,
    key: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 2 ** 31, 65536) }),
    value: u32Value,
    canon: (k) => String(k),
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: bumpU32,
  },
  12,
  { maxB: 5 },
);

const bigKeys = [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 32n];
modelTest<number | bigint, string>(
  {
    name: "map[uint64]string (number and bigint keys)",
    keyType: t.u64,
    valueType: t.string,
    key: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 200 }) },
      { weight: 5, arbitrary: fc.bigInt({ min: 0n, max: 200n }) },
      { weight: 1, arbitrary: fc.constantFrom(...bigKeys) },
    ),
    value: fc.oneof(
      { weight: 5, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 1, arbitrary: fc.constantFrom("", "é", "日本語", "🙂", "x".repeat(200)) },
    ),
    canon: (k) => String(BigInt(k)),
    keyOut: (k) => BigInt(k),
    valueOut: (v) => v,
    bump: (v) => (v as string).slice(-20) + "+",
  },
  8,
  { maxB: 4 },
);

modelTest<number, number>(
  {
    name: "map[float64]uint32 (NaN, -0, +0, infinities)",
    keyType: t.f64,
    valueType: t.u32,
    key: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: -100, max: 200 }) },
      { weight: 2, arbitrary: fc.constantFrom(0, -0, 0.5, -0.5, 1e300, Number.MIN_VALUE, Infinity, -Infinity) },
      { weight: 1, arbitrary: fc.constant(NaN) },
    ),
    value: u32Value,
    canon: (k) => (Number.isNaN(k) ? null : String(k === 0 ? 0 : k)),
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: bumpU32,
  },
  12,
  { maxB: 5 },
);

const Rec = t.struct({ a: t.u8, s: t.string });
const stringPool = ["", "a", "b", "ab", "é", "日本", "🙂🙂", "x".repeat(129), "y".repeat(300), "é".repeat(70), "key with spaces"];
modelTest<string, { a?: number; s?: string }>(
  {
    name: "map[string]struct{a uint8; s string} (empty, long, non-ASCII keys)",
    keyType: t.string,
    valueType: Rec,
    key: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...stringPool) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 250 }).map((i) => `k${i}`) },
      { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
    ),
    value: fc.record({ a: fc.integer({ min: 0, max: 255 }), s: fc.constantFrom("", "v", "ü", "long".repeat(40)) }, { requiredKeys: [] }),
    canon: (k) => k,
    keyOut: (k) => k,
    valueOut: (v) => ({ a: v.a ?? 0, s: v.s ?? "" }),
    bump: (v) => {
      const r = v as { a: number; s: string };
      return { a: (r.a + 1) & 255, s: r.s.slice(0, 5) + "!" };
    },
  },
  8,
  { maxB: 5 },
);

modelTest<{ a?: number; b?: string }, number>(
  {
    name: "map[struct{a uint8; b string}]uint16",
    keyType: t.struct({ a: t.u8, b: t.string }),
    valueType: t.u16,
    key: fc.record({ a: fc.integer({ min: 0, max: 25 }), b: fc.constantFrom("", "x", "y", "zz", "é", "long".repeat(40)) }, { requiredKeys: [] }),
    value: fc.integer({ min: 0, max: 65535 }),
    canon: (k) => JSON.stringify([k.a ?? 0, k.b ?? ""]),
    keyOut: (k) => ({ a: k.a ?? 0, b: k.b ?? "" }),
    valueOut: (v) => v,
    bump: (v) => ((v as number) + 1) & 0xffff,
  },
  8,
  { maxB: 4 },
);

const bytePool: Uint8Array[] = [];
for (let i = 0; i < 300; i++) {
  const b = new Uint8Array(16);
  b[i % 16] = i & 255;
  b[(i * 7) % 16] ^= i >> 3;
  bytePool.push(b);
}
modelTest<Uint8Array, boolean>(
  {
    name: "map[[16]byte]bool",
    keyType: t.bytes(16),
    valueType: t.bool,
    key: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: bytePool.length - 1 }).map((i) => bytePool[i].slice()) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }) },
    ),
    value: fc.boolean(),
    canon: hex,
    keyOut: (k) => new Uint8Array(k),
    valueOut: (v) => v,
    bump: (v) => !(v as boolean),
  },
  8,
  { maxB: 5 },
);

// Colliding hashes: 3 tophash values and 5 buckets' worth of low bits for every key below
// 1000, so chains are long and tophash matches mostly false. Burst keys (1000 and up) go to
// bucket floor(k / 1000), so bursts leave overflow chains in many buckets and start
// same-size growths.
const collidingKey: GoType<number> = hashedBy(t.u32, (k) =>
  k < 1000 ? (BigInt(k % 3) << 56n) | BigInt(k % 5) : (BigInt((k % 250) + 5) << 56n) | BigInt(Math.floor(k / 1000)),
);
modelTest<number, number>(
  {
    name: "map[uint32]uint32 with colliding hashes (hashedBy)",
    keyType: collidingKey,
    valueType: t.u32,
    key: fc.integer({ min: 0, max: 250 }),
    value: u32Value,
    canon: (k) => String(k),
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: bumpU32,
    burstKey: (g, i) => g * 1000 + i,
  },
  8,
  { maxB: 3, sameSize: true },
);

// Growth-heavy: a wide key space and mostly sets, so runs cross many doublings.
modelTest<number, number>(
  {
    name: "map[uint32]uint32, wide key space (many growths)",
    keyType: t.u32,
    valueType: t.u32,
    key: fc.integer({ min: 0, max: 3000 }),
    value: u32Value,
    canon: (k) => String(k),
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: bumpU32,
  },
  4,
  { maxB: 6, iterDuringGrowth: true },
  1000,
  2000,
);

// Under maxBytes: writes fail with HeapExhaustedError now and then (growth arrays, overflow
// buckets, string bytes), and a failed write must leave the map exactly as it was.
const longValues = ["", "v", "ü".repeat(30), "w".repeat(400), "x".repeat(1500)];
modelTest<string, string>(
  {
    name: "map[string]string under maxBytes 24KiB (failed writes change nothing)",
    keyType: t.string,
    valueType: t.string,
    key: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }).map((i) => `key${i}`) },
      { weight: 1, arbitrary: fc.constantFrom(...stringPool) },
    ),
    value: fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: fc.constantFrom(...longValues) }),
    canon: (k) => k,
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: (v) => (v as string).slice(0, 50) + "#",
    maxBytes: 24 * 1024,
    burstKey: (g, i) => `burst${g}-${i}`,
  },
  6,
  { maxB: 3, failures: true },
);

const FS = t.struct({ x: t.f64, s: t.string });
modelTest<{ x?: number; s?: string }, string>(
  {
    name: "map[struct{x float64; s string}]string under maxBytes 24KiB (NaN, -0 rewrites)",
    keyType: FS,
    valueType: t.string,
    key: fc.record(
      {
        x: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) }, { weight: 3, arbitrary: fc.constantFrom(0, -0) }, { weight: 1, arbitrary: fc.constant(NaN) }),
        s: fc.constantFrom("", "a", "é", "long".repeat(50)),
      },
      { requiredKeys: [] },
    ),
    value: fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(...longValues) }),
    canon: (k) => (Number.isNaN(k.x) ? null : JSON.stringify([k.x === 0 ? 0 : (k.x ?? 0), k.s ?? ""])),
    keyOut: (k) => ({ x: k.x ?? 0, s: k.s ?? "" }),
    valueOut: (v) => v,
    bump: (v) => (v as string).slice(0, 30) + "*",
    maxBytes: 24 * 1024,
  },
  6,
  { maxB: 3, failures: true },
);

modelTest<number, string>(
  {
    name: "map[float64]string under maxBytes 16KiB (NaN and -0 with failing values)",
    keyType: t.f64,
    valueType: t.string,
    key: fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: 0, max: 150 }) },
      { weight: 2, arbitrary: fc.constantFrom(0, -0, Infinity) },
      { weight: 1, arbitrary: fc.constant(NaN) },
    ),
    value: fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 10 }) }, { weight: 1, arbitrary: fc.constantFrom(...longValues) }),
    canon: (k) => (Number.isNaN(k) ? null : String(k === 0 ? 0 : k)),
    keyOut: (k) => k,
    valueOut: (v) => v,
    bump: (v) => (v as string).slice(0, 30) + "*",
    maxBytes: 16 * 1024,
  },
  6,
  { maxB: 3, failures: true },
);

// The specialised copies of the kernel (runtime/specialise.ts) under failing writes, with
// values over 128 bytes, which Go stores indirectly: a new key's slot then needs a block of its
// own for the value, allocated before anything is written (fast32's and fast64's storeKey and
// their growth paths ran only in the generic copy's tests before).
const bigValue = (seed: number): Uint8Array => {
  const b = new Uint8Array(200);
  for (let i = 0; i < b.length; i += 37) b[i] = (seed + i) & 255;
  return b;
};
const bumpBytes = (v: unknown): Uint8Array => {
  const b = new Uint8Array(v as Uint8Array);
  b[0] = (b[0] + 1) & 255;
  return b;
};
modelTest<number, Uint8Array>(
  {
    name: "map[uint32][200]byte under maxBytes 32KiB (indirect values, failed writes change nothing)",
    keyType: t.u32,
    valueType: t.bytes(200),
    key: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 2 ** 31) }),
    value: fc.integer({ min: 0, max: 255 }).map(bigValue),
    canon: (k) => String(k),
    keyOut: (k) => k,
    valueOut: (v) => new Uint8Array(v),
    bump: bumpBytes,
    maxBytes: 32 * 1024,
  },
  6,
  { maxB: 3, failures: true },
);

modelTest<number | bigint, Uint8Array>(
  {
    name: "map[int64][200]byte under maxBytes 32KiB (indirect values, failed writes change nothing)",
    keyType: t.i64,
    valueType: t.bytes(200),
    key: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: -150, max: 150 }) },
      { weight: 4, arbitrary: fc.bigInt({ min: -150n, max: 150n }) },
      { weight: 1, arbitrary: fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n) },
    ),
    value: fc.integer({ min: 0, max: 255 }).map(bigValue),
    canon: (k) => String(BigInt(k)),
    keyOut: (k) => BigInt(k),
    valueOut: (v) => new Uint8Array(v),
    bump: bumpBytes,
    maxBytes: 32 * 1024,
  },
  6,
  { maxB: 3, failures: true },
);

// Keys over 128 bytes, stored indirectly, that own strings: evacuation shares a key's block
// between its old and new slot, so deletes while iterators walk old arrays must leave it whole.
const Wide = t.struct({ id: t.u16, pad: t.bytes(130), s: t.string });
modelTest<{ id?: number; s?: string }, number>(
  {
    name: "map[struct{id uint16; pad [130]byte; s string}]uint32 (indirect keys that own strings)",
    keyType: Wide,
    valueType: t.u32,
    key: fc.record({ id: fc.integer({ min: 0, max: 120 }), s: fc.constantFrom("", "a", "long".repeat(8), "é") }, { requiredKeys: [] }),
    value: u32Value,
    canon: (k) => JSON.stringify([k.id ?? 0, k.s ?? ""]),
    keyOut: (k) => ({ id: k.id ?? 0, pad: new Uint8Array(130), s: k.s ?? "" }),
    valueOut: (v) => v,
    bump: bumpU32,
  },
  6,
  { maxB: 4, iterDuringGrowth: true },
);
