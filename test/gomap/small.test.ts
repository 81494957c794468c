// What a small map costs, through the public API (npm run bench:small measures it in bytes):
// a new map's buffer holds the headers and one bucket and no more; its heap makes only the
// typed-array views its key and value types read; maps of one pair of types share one
// MapType; and a map of a thousand entries is not left in a buffer half as large again as its
// blocks once it has grown (the trim's slack is a quarter of the heap and 4 KiB, not 64 KiB).
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { seedFastrand } from "../../src/hash/rand.js";
import { BLOCK_HEADER, FIRST_BLOCK, pageRound } from "../../src/memory/heap.js";
import { arrayBuckets, bucketsForHint } from "../../src/runtime/makemap.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

test("small maps: a new map's buffer is the headers and its first bucket, rounded to 512 bytes", () => {
  const ids = GoMap.make(t.u32, t.u32);
  assert.equal(ids.inspect().heap.capacity, 512, "an empty map");
  for (let k = 0; k < 8; k++) ids.set(k, k);
  assert.equal(ids.inspect().heap.capacity, 512, "eight entries: one bucket, no growth");
  assert.equal(ids.inspect().heap.top, FIRST_BLOCK + 8 + 80);
  const names = GoMap.make(t.string, t.u32);
  names.set("alice", 1);
  assert.equal(names.inspect().heap.capacity, 512, "a string map's first bucket (176 bytes) fits too");
  // The ninth entry grows the map (B = 1) and its buffer; nothing is lost.
  ids.set(8, 8);
  assert.equal(ids.size, 9);
  for (let k = 0; k < 9; k++) assert.equal(ids.get(k), k);
  checkInvariants(ids);
});

test("small maps: a map's heap makes only the typed-array views its key and value types read", () => {
  const views = (m: GoMap<unknown, unknown, never, never>): string[] => {
    const heap = hmapOf(m)!.heap;
    return (["i8", "i16", "f32", "f64"] as const).filter((v) => heap[v].length > 0);
  };
  const make = (k: AnyType, v: AnyType) => GoMap.make(k, v) as unknown as GoMap<unknown, unknown, never, never>;
  assert.deepEqual(views(make(t.u32, t.u32)), []);
  assert.deepEqual(views(make(t.string, t.u64)), []);
  assert.deepEqual(views(make(t.f64, t.i16)), ["i16", "f64"]);
  assert.deepEqual(views(make(t.u32, t.struct({ a: t.i8, p: t.struct({ x: t.f32 }) }))), ["i8", "f32"]);
  // And every value still goes in and comes out, before and after the buffer grows.
  const m = GoMap.make(t.f32, t.struct({ a: t.i8, b: t.i16, c: t.f64 }));
  for (let i = 0; i < 500; i++) m.set(i + 0.5, { a: (i & 127) - 64, b: 100 - i, c: i / 3 });
  for (let i = 0; i < 500; i++) assert.deepEqual(m.get(i + 0.5), { a: (i & 127) - 64, b: 100 - i, c: i / 3 });
  const back = GoMap.fromBytes(m.toBytes(), t.f32, t.struct({ a: t.i8, b: t.i16, c: t.f64 }));
  assert.deepEqual(back.get(499.5), { a: (499 & 127) - 64, b: 100 - 499, c: 499 / 3 });
  const scores = GoMap.make(t.u32, t.f64);
  scores.set(1, 0.25);
  const loaded = GoMap.fromBytes(scores.toBytes(), t.u32, t.f64);
  assert.equal(loaded.get(1), 0.25);
  assert.deepEqual(views(loaded as unknown as GoMap<unknown, unknown, never, never>), ["f64"], "a loaded map's heap too");
});

test("small maps: every map of one pair of types shares one MapType", () => {
  const a = hmapOf(GoMap.make(t.u32, t.string))!;
  const b = hmapOf(GoMap.make(t.u32, t.string))!;
  assert.equal(a.t, b.t);
  assert.notEqual(hmapOf(GoMap.make(t.u32, t.u32))!.t, a.t);
});

test("small maps: a grown map of 1,000 or 10,000 entries keeps at most a quarter more buffer than its blocks", () => {
  // Before, a map's buffer was trimmed only 64 KiB past its blocks, and from 64 KiB up its
  // capacity went in 64 KiB steps: a u32 -> u32 map of 1,000 entries took 35 KiB for 22.
  for (const n of [1000, 10_000]) {
    for (let seed = 1; seed <= 20; seed++) {
      seedFastrand(seed);
      const m = GoMap.make(t.u32, t.u32);
      for (let i = 0; i < n; i++) m.set(Math.imul(i, 0x9e3779b1) >>> 0, i);
      const { capacity, top } = m.inspect().heap;
      assert.ok(capacity <= top * 1.25, `n=${n}, fastrand seed ${seed}: capacity ${capacity} for top ${top}`);
    }
  }
});

test("small maps: a map made with a hint starts in a buffer of the headers and the hint's bucket array", () => {
  // Before, every map started in 1,536 bytes and a hint's array grew it at once: two buffers
  // where one does, and 2,560 bytes for a hint of 100 where 2,048 hold it.
  for (const hint of [1, 9, 20, 100, 1000, 100_000]) {
    const m = GoMap.make(t.u32, t.u32, { hint });
    const want = pageRound(FIRST_BLOCK + BLOCK_HEADER + arrayBuckets(bucketsForHint(hint)) * 80);
    assert.equal(m.inspect().heap.capacity, want, `hint ${hint}`);
    assert.equal(m.inspect().heap.top, FIRST_BLOCK + (hint > 8 ? BLOCK_HEADER + arrayBuckets(bucketsForHint(hint)) * 80 : 0));
  }
  assert.equal(GoMap.make(t.u32, t.u32, { hint: 20 }).inspect().heap.capacity, 1024);
});
