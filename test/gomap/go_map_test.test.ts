// Go's own map tests (src/runtime/map_test.go, Go 1.19 plus later additions), ported to
// GoMap: the behaviour a Go program can observe, by the names Go gives it. Each test says
// where it departs from the Go original.
import assert from "node:assert/strict";
import test from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { GoMap } from "../../src/gomap.js";
import { Flag, Hmap } from "../../src/runtime/layout.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

let gcFn = (globalThis as { gc?: () => void }).gc;

/** A full garbage collection (runtime.GC()): V8's gc, exposed through its flags when node was not run with --expose-gc. */
function collect(): void {
  if (gcFn === undefined) {
    setFlagsFromString("--expose-gc");
    gcFn = runInNewContext("gc") as () => void;
  }
  gcFn();
}

test("TestNegativeZero", () => {
  for (const ft of [t.f64, t.f32]) {
    const m = GoMap.make(ft, t.bool);
    m.set(+0, true);
    m.set(-0, true); // overwrites the +0 entry, and stores -0
    assert.equal(m.size, 1);
    for (const k of m.keys()) assert.ok(Object.is(k, -0), `${ft.name}: key sign is the last written`);
    const n = GoMap.make(ft, t.bool);
    n.set(-0, true);
    n.set(+0, true);
    assert.equal(n.size, 1);
    for (const k of n.keys()) assert.ok(Object.is(k, 0), `${ft.name}: key is +0`);
    checkInvariants(m);
  }
});

/** Go's check after three NaN writes of 1, 2 and 4: three entries, each value a power of two, each once. */
function expectNaNValues1to4(m: GoMap<number, number, number, number | bigint>): void {
  assert.equal(m.size, 3, "length wrong");
  let s = 0;
  for (const [k, v] of m) {
    assert.ok(Number.isNaN(k), "nan disappeared");
    assert.equal(v & (v - 1), 0, `value wrong: ${v}`);
    assert.equal(v & s, 0, "value assigned to nan showed up twice");
    s |= v;
  }
  assert.equal(s, 7, "values not assigned correctly");
}

test("TestMapAssignmentNan", () => {
  const m = GoMap.make(t.f64, t.i64.asNumber);
  const nan = NaN;
  // Test assignment.
  m.set(nan, 1);
  m.set(nan, 2);
  m.set(nan, 4);
  expectNaNValues1to4(m);
});

test("TestMapOperatorAssignmentNan", () => {
  const m = GoMap.make(t.f64, t.i64.asNumber);
  const nan = NaN;
  // Test assignment operations: m[nan] += x reads the zero value and adds an entry.
  m.update(nan, (v) => v + 1);
  m.update(nan, (v) => v + 2);
  m.update(nan, (v) => v + 4);
  expectNaNValues1to4(m);
});

test("TestMapOperatorAssignment", () => {
  const m = GoMap.make(t.i64.asNumber, t.i64.asNumber);
  // Go's sequence: "m[k] op= x" is rewritten differently when op is / or % than when it isn't.
  m.set(0, 12345);
  m.update(0, (v) => v + 67890);
  m.update(0, (v) => Math.trunc(v / 123));
  m.update(0, (v) => v % 456);
  assert.equal(m.get(0), Math.trunc((12345 + 67890) / 123) % 456);
  assert.equal(m.get(0), 196);
  // "m[k] op= x" is "m[k] = m[k] op x".
  m.set(12, 1);
  m.update(12, (v) => v + 2);
  assert.equal(m.get(12), 3, "+=");
  m.set(13, 1);
  m.update(13, (v) => v * 9);
  assert.equal(m.get(13), 9, "*=");
  m.update(13, (v) => Math.trunc(v / 2));
  assert.equal(m.get(13), 4, "/=");
  m.update(13, (v) => v % 3);
  assert.equal(m.get(13), 1, "%=");
  m.update(14, (v) => v - 5); // missing: zero value first
  assert.equal(m.get(14), -5, "-= on a missing key");
  assert.equal(m.size, 4);
});

test("TestMapAppendAssignment", () => {
  const m = GoMap.make(t.i64.asNumber, t.string);
  m.set(0, "12345");
  m.update(0, (v) => v + "67890");
  assert.equal(m.get(0), "1234567890");
  m.update(0, (v) => v + "");
  assert.equal(m.get(0), "1234567890");
  m.update(1, (v) => v + "a");
  assert.equal(m.get(1), "a");
});

test("TestAlias: maps are references", () => {
  const m = GoMap.make(t.i64.asNumber, t.i64.asNumber);
  m.set(0, 5);
  const n = m;
  n.set(0, 6);
  assert.equal(m.get(0), 6, "alias didn't work");
  const write = (x: typeof m): void => void x.set(1, 7);
  write(m);
  assert.equal(m.get(1), 7);
});

test("TestGrowWithNaN", () => {
  const m = GoMap.make(t.f64, t.i64.asNumber, { hint: 4 });
  const nan = NaN;
  // Use both assignment and assignment operations as they may behave differently.
  m.set(nan, 1);
  m.set(nan, 2);
  m.update(nan, (v) => v + 4);
  const B0 = m.inspect().B;
  let cnt = 0;
  let s = 0;
  let growflag = true;
  for (const [k, v] of m) {
    if (growflag) {
      // Force a hashtable resize.
      for (let i = 0; i < 50; i++) m.set(i, i);
      for (let i = 50; i < 100; i++) m.update(i, (w) => w + i);
      growflag = false;
    }
    if (k !== k) {
      cnt++;
      s |= v;
    }
  }
  assert.equal(cnt, 3, "NaN keys lost during grow");
  assert.equal(s, 7, "NaN values lost during grow");
  assert.ok(m.inspect().B > B0, "the table grew during the range");
  assert.equal(m.size, 103);
  for (let i = 0; i < 100; i++) assert.equal(m.get(i), i);
  checkInvariants(m);
});

for (const how of ["assignment", "update"] as const) {
  test(`TestGrowWithNegativeZero (the -0 rewrite by ${how})`, () => {
    const FloatInt = t.struct({ x: t.f64, y: t.i64.asNumber });
    const negzero = -0;
    const m = GoMap.make(FloatInt, t.i64.asNumber, { hint: 4 });
    m.set({ x: 0.0, y: 0 }, 1);
    m.update({ x: 0.0, y: 1 }, (v) => v + 2);
    m.update({ x: 0.0, y: 2 }, (v) => v + 4);
    m.set({ x: 0.0, y: 3 }, 8);
    const B0 = m.inspect().B;
    let growflag = true;
    let s = 0;
    let cnt = 0;
    let negcnt = 0;
    // The first iteration should return the +0 key; the others the -0 key.
    for (const [k, v] of m) {
      if (v === 0) continue; // ignore entries added to grow the table
      cnt++;
      if (Object.is(k.x, -0)) {
        assert.notEqual(v & 16, 0, "key/value not updated together 1");
        negcnt++;
        s |= v & 15;
      } else {
        assert.equal(v & 16, 0, `key/value not updated together 2: ${JSON.stringify(k)} ${v}`);
        s |= v;
      }
      if (growflag) {
        // Force a hashtable resize.
        for (let i = 0; i < 100; i++) m.set({ x: 3.0, y: i }, 0);
        // Then change all the entries to negative zero on the way out.
        if (how === "assignment") {
          m.set({ x: negzero, y: 0 }, 1 | 16);
          m.set({ x: negzero, y: 1 }, 2 | 16);
          m.set({ x: negzero, y: 2 }, 4 | 16);
          m.set({ x: negzero, y: 3 }, 8 | 16);
        } else {
          for (let i = 0; i < 4; i++) m.update({ x: negzero, y: i }, (w) => w | 16);
        }
        growflag = false;
      }
    }
    assert.equal(s, 15, "entry missing");
    assert.equal(cnt, 4, "wrong number of entries returned by iterator");
    assert.equal(negcnt, 3, "update to negzero missed by iteration");
    assert.ok(m.inspect().B > B0, "the table grew during the range");
    assert.equal(m.size, 104);
    for (let i = 0; i < 4; i++) assert.equal(m.get({ x: 0, y: i }), (1 << i) | 16);
    checkInvariants(m);
  });
}

test("TestIterGrowAndDelete", () => {
  const m = GoMap.make(t.i64.asNumber, t.i64.asNumber, { hint: 4 });
  for (let i = 0; i < 100; i++) m.set(i, i);
  let growflag = true;
  for (const [k] of m) {
    if (growflag) {
      // Grow the table.
      for (let i = 100; i < 1000; i++) m.set(i, i);
      // Delete all odd keys.
      for (let i = 1; i < 1000; i += 2) m.delete(i);
      growflag = false;
    } else {
      assert.equal(k & 1, 0, `odd value returned: ${k}`);
    }
  }
  checkInvariants(m);
});

/** The started, unfinished iterators of n dropped ranges: each holds m's heap until collected. */
function dropIterators(m: GoMap<unknown, unknown, unknown, unknown>, n: number): void {
  for (let j = 0; j < n; j++) m.keys().next();
}

test("TestIterGrowWithGC: old bucket arrays stay for an iterator across growth and a real GC: all 16 original keys seen", async () => {
  // Go's GC must not free the old arrays an iterator still reads. gomap frees them itself,
  // deferred while an iterator holds the heap; a GC ends the holds of iterators dropped
  // unfinished (their finalizers), and must leave this range's hold alone. The GC is a real
  // one (collect).
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
  const m = GoMap.make(t.i64.asNumber, t.i64.asNumber, { hint: 4 });
  const heap = hmapOf(m)!.heap;
  for (let i = 0; i < 8; i++) m.set(i, i);
  for (let i = 8; i < 16; i++) m.update(i, (v) => v + i);
  let growflag = true;
  let bitmask = 0;
  for (const [k] of m) {
    if (k < 16) bitmask |= 1 << k;
    if (growflag) {
      // Grow the table.
      for (let i = 100; i < 1000; i++) m.set(i, i);
      // Trigger a GC, with dropped iterators for it to finalize.
      dropIterators(m as GoMap<unknown, unknown, unknown, unknown>, 10);
      for (let r = 0; r < 3; r++) {
        collect();
        await settle();
      }
      assert.equal(heap.held, true, "this range still holds the heap");
      // Grow again: what the growths freed would be reused now if the hold had gone.
      for (let i = 1000; i < 3000; i++) m.set(i, i);
      growflag = false;
    }
  }
  assert.equal(bitmask, (1 << 16) - 1, `missing key: ${bitmask.toString(2)}`);
  for (let r = 0; r < 20 && heap.held; r++) {
    collect();
    await settle();
  }
  assert.equal(heap.held, false, "no hold is left once the range and the dropped iterators are gone");
  assert.equal(heap.pendingFrees.length, 0);
  checkInvariants(m);
});

test("TestConcurrentReadsAfterGrowth (single-threaded part): lookups and ranges never change the map's bytes", () => {
  // Go's sizes: 10 maps, 250 grow steps each; after every insert, ranges and lookups of every
  // key inserted before. Go runs the readers in goroutines; here they run in turn, and the
  // heap's bytes before and after them are compared (workers: test/sync/shared.test.ts).
  // One more map goes on to 600 entries, through two more doublings.
  const steps = [...Array<number>(10).fill(250), 600];
  for (let loop = 0; loop < steps.length; loop++) {
    const numGrowStep = steps[loop];
    const m = GoMap.make(t.i64.asNumber, t.i64.asNumber);
    const h = hmapOf(m)!;
    for (let gs = 0; gs < numGrowStep; gs++) {
      m.set(gs, gs);
      // Go's iterator sets the iterator flags (an atomic or); nothing else may change.
      const before = h.heap.u8.slice();
      let n = 0;
      for (const [k, v] of m) {
        assert.equal(v, k);
        n++;
      }
      assert.equal(n, gs + 1);
      for (let key = 0; key < gs; key++) assert.equal(m.get(key), key);
      assert.equal(m.has(gs + 1), false);
      assert.deepEqual(m.lookup(-1), [0, false]);
      const after = h.heap.u8.slice();
      after[Hmap.flags] = after[Hmap.flags] & ~(Flag.iterator | Flag.oldIterator);
      before[Hmap.flags] = before[Hmap.flags] & ~(Flag.iterator | Flag.oldIterator);
      for (let b = 0; b < before.length; b++) {
        if (before[b] !== after[b]) assert.fail(`loop ${loop}, insert ${gs}: a read changed byte ${b}`);
      }
    }
  }
});

test("TestBigItems: [256]byte keys and values (stored indirectly)", () => {
  const K = t.bytes(256);
  const m = GoMap.make(K, K, { hint: 4 });
  const key = new Uint8Array(256).fill(0x66);
  for (let i = 0; i < 100; i++) {
    key[37] = i;
    m.set(key, key);
  }
  const keys: number[] = [];
  const values: number[] = [];
  for (const [k, v] of m) {
    keys.push(k[37]);
    values.push(v[37]);
    assert.deepEqual(k, v);
  }
  keys.sort((a, b) => a - b);
  values.sort((a, b) => a - b);
  for (let i = 0; i < 100; i++) {
    assert.equal(keys[i], i, "missing key");
    assert.equal(values[i], i, "missing value");
  }
  assert.equal(m.size, 100);
  checkInvariants(m);
});

test("TestBigItems: [256]string keys and values (a struct of 256 strings, 4096 bytes, stored indirectly)", () => {
  const fields: Record<string, typeof t.string> = {};
  for (let i = 0; i < 256; i++) fields[`s${i}`] = t.string;
  const K = t.struct(fields);
  const key: Record<string, string> = {};
  for (let i = 0; i < 256; i++) key[`s${i}`] = "foo";
  const m = GoMap.make(K, K, { hint: 4 });
  const name = (i: number): string => `string${String(i).padStart(2, "0")}`;
  for (let i = 0; i < 100; i++) {
    key.s37 = name(i);
    m.set(key, key);
  }
  const keys: string[] = [];
  const values: string[] = [];
  for (const [k, v] of m) {
    keys.push(k.s37 as string);
    values.push(v.s37 as string);
    assert.equal(k.s36, "foo");
    assert.equal(v.s255, "foo");
  }
  keys.sort();
  values.sort();
  for (let i = 0; i < 100; i++) {
    assert.equal(keys[i], name(i), `#${i}: missing key`);
    assert.equal(values[i], name(i), `#${i}: missing value`);
  }
  assert.equal(m.size, 100);
  key.s37 = name(42);
  assert.equal(m.get(key)!.s37, name(42));
  checkInvariants(m);
});

test("TestMapHugeZero: a missing key with a 4000-byte value gives the zero value, ok false", () => {
  for (const vt of [t.bytes(4000), t.struct({ a: t.bytes(3000), b: t.bytes(1000) })]) {
    const m = GoMap.make(t.i64.asNumber, vt);
    const [v, ok] = m.lookup(1);
    assert.equal(ok, false);
    const bytes = v instanceof Uint8Array ? [v] : [v.a, v.b];
    assert.equal(bytes.reduce((n, b) => n + b.length, 0), 4000);
    for (const b of bytes) assert.ok(b.every((x) => x === 0), "map value not zero");
    assert.equal(m.get(1), undefined);
    // And on a non-empty map, whose buckets are there.
    m.set(2, vt.zero());
    const [w, ok2] = m.lookup(1);
    assert.equal(ok2, false);
    assert.deepEqual(w, vt.zero());
  }
});

test("TestEmptyKeyAndValue: struct{} (and [0]byte) keys and values", () => {
  for (const empty of [t.struct({}), t.bytes(0)] as GoType<unknown>[]) {
    const zero = empty.zero();
    const a = GoMap.make(t.i64.asNumber, empty, { hint: 4 });
    const b = GoMap.make(empty, t.i64.asNumber, { hint: 4 });
    const c = GoMap.make(empty, empty, { hint: 4 });
    a.set(0, zero);
    b.set(zero, 0);
    b.set(zero, 1);
    c.set(zero, zero);
    assert.equal(a.size, 1, "empty value insert problem");
    assert.equal(b.get(zero), 1, "empty key returned wrong value");
    assert.equal(b.size, 1);
    assert.equal(c.size, 1);
    assert.deepEqual(c.get(zero), zero);
    assert.deepEqual(a.get(0), zero);
    assert.equal(b.delete(zero), true);
    assert.equal(b.size, 0);
    for (const m of [a, b, c] as GoMap<unknown, unknown, unknown, unknown>[]) checkInvariants(m);
  }
});

function testMapLookups(m: GoMap<string, string, string, string>, entries: Record<string, string>): void {
  for (const [k, v] of m) assert.equal(m.get(k), v, `m[${JSON.stringify(k)}]`);
  for (const [k, v] of Object.entries(entries)) assert.equal(m.get(k), v);
  assert.equal(m.size, Object.keys(entries).length);
}

/** Go's own entries, then Go's testMapLookups: every key ranged over finds its value. */
function goSingleBucket(entries: Record<string, string>): void {
  const m = GoMap.make(t.string, t.string);
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  assert.equal(m.inspect().B, 0, "a single bucket");
  testMapLookups(m, entries);
}

test("TestSingleBucketMapStringKeys_DupLen", () => {
  // Go's map: same-lengthed short keys ("quick keys") as well as long keys.
  goSingleBucket({
    x: "x1val",
    xx: "x2val",
    foo: "fooval",
    bar: "barval", // same key length as "foo"
    xxxx: "x4val",
    ["x".repeat(128)]: "longval1",
    ["y".repeat(128)]: "longval2",
  });
  // Keys in one bucket that share lengths, including 128-byte keys.
  const entries: Record<string, string> = {
    "": "",
    x: "x",
    y: "y",
    z: "z",
    ["x".repeat(128)]: "x128",
    ["y".repeat(128)]: "y128",
    ["z".repeat(64) + "x".repeat(64)]: "zx128",
    ["z".repeat(64) + "y".repeat(64)]: "zy128",
  };
  const m = GoMap.make(t.string, t.string);
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  assert.equal(m.inspect().B, 0, "a single bucket");
  testMapLookups(m, entries);
  // Misses with the same lengths.
  for (const k of ["w", "x".repeat(127) + "y", "z".repeat(128), "y".repeat(127)]) assert.equal(m.has(k), false, k);
});

test("TestSingleBucketMapStringKeys_NoDupLen", () => {
  // Go's map: all keys of different lengths.
  goSingleBucket({
    x: "x1val",
    xx: "x2val",
    foo: "fooval",
    xxxx: "x4val",
    xxxxx: "x5val",
    xxxxxx: "x6val",
    ["x".repeat(128)]: "longval",
  });
  const entries: Record<string, string> = {
    "1": "1",
    "22": "22",
    "333": "333",
    "4444": "4444",
    "55555": "55555",
    "666666": "666666",
    "7777777": "7777777",
    ["8".repeat(128)]: "8",
  };
  const m = GoMap.make(t.string, t.string);
  for (const [k, v] of Object.entries(entries)) m.set(k, v);
  assert.equal(m.inspect().B, 0);
  testMapLookups(m, entries);
  assert.equal(m.has("9".repeat(128)), false);
  assert.equal(m.has(""), false);
});

test("TestMapNanGrowIterator", () => {
  const m = GoMap.make(t.f64, t.i64.asNumber);
  const nan = NaN;
  const nBuckets = 16;
  // To fill nBuckets buckets takes LOAD * nBuckets keys.
  const nKeys = nBuckets * 6.5;
  // Get the map to full point with nan keys.
  for (let i = 0; i < nKeys; i++) m.set(nan, i);
  // Trigger grow.
  m.set(1.0, 1);
  m.delete(1.0);
  assert.equal(m.inspect().growing, true, "a growth is running when the range starts");
  // Run the iterator.
  const found = new Set<number>();
  for (const [, v] of m) {
    if (v !== -1) {
      assert.ok(!found.has(v), `repeat of value ${v}`);
      found.add(v);
    }
    if (found.size === nKeys / 2) {
      // Halfway through iteration, finish the grow.
      for (let i = 0; i < nBuckets; i++) m.delete(1.0);
    }
  }
  assert.equal(m.inspect().growing, false, "the growth finished during the range");
  assert.equal(found.size, nKeys, "missing value");
  checkInvariants(m);
});

test("TestMapIterOrder: maps of 3, 7, 9, 15 entries show at least 2 orders within 100 ranges", () => {
  for (const n of [3, 7, 9, 15]) {
    for (let i = 0; i < 1000; i++) {
      // Make m be {0: true, 1: true, ..., n-1: true}.
      const m = GoMap.make(t.i64.asNumber, t.bool);
      for (let j = 0; j < n; j++) m.set(j, true);
      const ord = (): string => [...m.keys()].join(",");
      const first = ord();
      let ok = false;
      for (let tr = 0; tr < 100 && !ok; tr++) if (ord() !== first) ok = true;
      assert.ok(ok, `map with n=${n} elements had consistent iteration order: ${first}`);
    }
  }
});

test("TestMapSparseIterOrder: 1000 inserted, 980 deleted: the order still varies (issue 8410)", () => {
  for (let round = 0; round < 10; round++) {
    const m = GoMap.make(t.i64.asNumber, t.bool);
    for (let i = 0; i < 1000; i++) m.set(i, true);
    for (let i = 20; i < 1000; i++) m.delete(i);
    const first = [...m.keys()];
    let changed = false;
    // 800 chances to get a different iteration order (Go issue 8736).
    for (let n = 0; n < 800 && !changed; n++) {
      let idx = 0;
      for (const i of m.keys()) {
        if (i !== first[idx]) {
          changed = true;
          break;
        }
        idx++;
      }
    }
    assert.ok(changed, `constant iteration order on round ${round}: ${first}`);
  }
});

/** Go's [64]int holding i + j at index j: 512 little-endian bytes. */
function t64(i: number): Uint8Array {
  const v = new Uint8Array(512);
  const dv = new DataView(v.buffer);
  for (let j = 0; j < 64; j++) dv.setUint32(j * 8, i + j, true);
  return v;
}

test("TestMapLargeKeyNoPointer: [64]int keys (512 bytes), 1000 entries", () => {
  const I = 1000;
  const m = GoMap.make(t.bytes(512), t.i64.asNumber);
  for (let i = 0; i < I; i++) m.set(t64(i), i);
  collect();
  for (let i = 0; i < I; i++) assert.equal(m.get(t64(i)), i, "corrupted map");
  assert.equal(m.size, I);
  checkInvariants(m);
});

test("TestMapLargeValNoPointer: [64]int values (512 bytes), 1000 entries", () => {
  const I = 1000;
  const m = GoMap.make(t.i64.asNumber, t.bytes(512));
  for (let i = 0; i < I; i++) m.set(i, t64(i));
  collect();
  for (let i = 0; i < I; i++) assert.deepEqual(m.get(i), t64(i), "corrupted map");
  checkInvariants(m);
});

test("TestIncrementAfterBulkClearKeyStringValueInt", () => {
  const key1 = "";
  const key2 = "x";
  // The range-delete idiom.
  const m = GoMap.make(t.string, t.i64.asNumber);
  m.set(key1, 99);
  for (const k of m.keys()) m.delete(k);
  m.update(key2, (v) => v + 1);
  assert.equal(m.get(key2), 1, "incremented 0 to wrong value");
  // And clear(m), Go 1.21's builtin.
  const c = GoMap.make(t.string, t.i64.asNumber);
  c.set(key1, 99);
  c.clear();
  c.update(key2, (v) => v + 1);
  assert.equal(c.get(key2), 1);
});

test("TestMapIterDeleteReplace (Go's -short sizes): delete and re-insert every key while ranging; every value is then true", () => {
  for (let i = 0; i < 10000; i += 100) {
    const m = GoMap.make(t.i64.asNumber, t.bool);
    for (let j = 0; j < i; j++) m.set(j, false);
    // Delete and replace all entries.
    for (const k of m.keys()) {
      m.delete(k);
      m.set(k, true);
    }
    for (const [k, v] of m) assert.equal(v, true, `n=${i}: m[${k}] got false want true`);
    assert.equal(m.size, i);
  }
});

test("TestMapIterDuplicate: 1000 inserted, 980 deleted: range returns exactly 0..19", () => {
  const want = Array.from({ length: 20 }, (_, i) => i);
  for (let r = 0; r < 1000; r++) {
    const m = GoMap.make(t.i64.asNumber, t.bool);
    for (let i = 0; i < 1000; i++) m.set(i, true);
    for (let i = 20; i < 1000; i++) m.delete(i);
    const got = [...m.keys()].sort((a, b) => a - b);
    assert.deepEqual(got, want);
  }
});

test("TestDeferDeleteSlow (adapted): deletes deferred to a finally block empty the map; complex128-like struct keys", () => {
  // Go's keys are complex128 0, 1, 2, 3 in a map[any]int: here struct { re, im float64 }.
  const C = t.struct({ re: t.f64, im: t.f64 });
  const ks = [0, 1, 2, 3].map((re) => ({ re, im: 0 }));
  const m = GoMap.make(C, t.i64.asNumber);
  ks.forEach((k, i) => m.set(k, i));
  assert.equal(m.size, ks.length, `want ${ks.length} elements`);
  // Go's deferred calls run last-in first-out when the function returns.
  const deferred: (() => void)[] = [];
  try {
    for (const k of ks) deferred.push(() => void m.delete(k));
  } finally {
    while (deferred.length > 0) deferred.pop()!();
  }
  assert.equal(m.size, 0, "want 0 elements");
  checkInvariants(m);
});

test("TestIgnoreBogusMapHint", () => {
  for (const hint of [-1, 2 ** 62]) {
    const m = GoMap.make(t.i64.asNumber, t.i64.asNumber, { hint });
    m.set(1, 1);
    assert.equal(m.get(1), 1);
  }
});

for (const hash of ["gomap", "go1.19"] as const) {
  test(`TestMapInterfaceKey (adapted, ${hash} hash): struct keys with every field kind Go's typehash special-cases, among 1000 others`, () => {
    // Go's GrabBag, less its two interface fields (gomap has no interface type): complex
    // numbers are structs of two floats, [4]string a struct of four strings. Go's map[any]
    // also holds the ints 0..999; here they are GrabBags told apart by a leading int field.
    const C64 = t.struct({ re: t.f32, im: t.f32 });
    const C128 = t.struct({ re: t.f64, im: t.f64 });
    const A4 = t.struct({ a0: t.string, a1: t.string, a2: t.string, a3: t.string });
    const GrabBag = t.struct({ n: t.i64.asNumber, f32: t.f32, f64: t.f64, c64: C64, c128: C128, s: t.string, a: A4 });
    const m = GoMap.make(GrabBag, t.bool, { hash });
    // Put a bunch of data in m, so that a bad hash is likely to lead to a bad bucket, which
    // will lead to a missed lookup.
    for (let i = 0; i < 1000; i++) m.set({ n: i }, true);
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      // [what, key, the same key under Go's == with other bits (-0 for +0), or itself]
      ["f32", { f32: 1.0 }, { f32: 1.0, f64: -0 }],
      ["f64", { f64: 1.0 }, { f64: 1.0, f32: -0 }],
      ["c64", { c64: { im: 1.0 } }, { c64: { re: -0, im: 1.0 } }],
      ["c128", { c128: { im: 1.0 } }, { c128: { re: -0, im: 1.0 } }],
      ["string", { s: "foo" }, { s: "foo" }],
      ["array", { a: { a0: "foo", a1: "bar", a2: "baz", a3: "bop" } }, { a: { a0: "foo", a1: "bar", a2: "baz", a3: "bop" } }],
    ];
    let size = 1000;
    for (const [what, key, same] of cases) {
      m.set(key as never, true);
      assert.equal(m.size, ++size, `${what}: a new key`);
      assert.equal(m.get(key as never), true, `${what} not found`);
      assert.equal(m.get(same as never), true, `${what} not found by an equal key with other bits`);
    }
    for (let i = 0; i < 1000; i++) assert.equal(m.get({ n: i }), true, `int ${i} not found`);
    assert.equal(m.has({ f32: 2.0 }), false);
    checkInvariants(m);
  });
}
