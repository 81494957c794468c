// Tests of src/types/gohash.ts (key types hashed as Go 1.19 hashes them) and of the
// `hash: "go1.19"` option of GoMap.make that uses it.
//
// Pinned: each type's hash is the function Go's compiler picks (plain memory as one memhash,
// floats f32hash/f64hash, strings strhash, structs chaining the seed through memory runs
// split at padding, zero-size types hashing to the seed); hash(v) equals hashAt(stored v);
// the struct key's hashes equal those real Go recorded (fidelity/golden); the options are
// checked and recorded in the map's header.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { GoMap, types as t } from "../../src/index.js";
import { Go119Hash } from "../../src/hash/go119.js";
import { hashOut } from "../../src/hash/hash.js";
import { Heap } from "../../src/memory/heap.js";
import { Hasher, Hmap32 } from "../../src/runtime/layout.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { goHashed } from "../../src/types/gohash.js";
import type { AnyType } from "../../src/types/type.js";

const KEY = 0x0123456789abcdefn;
const go = new Go119Hash(KEY);
const full = (lo: number): bigint => (BigInt(hashOut.hi >>> 0) << 32n) | BigInt(lo >>> 0);
const split = (h: bigint): [number, number] => [Number(h >> 32n), Number(h & 0xffffffffn)];

/** memhash of bytes, chained from a 64-bit seed. */
function mem(bytes: number[], seed: bigint): bigint {
  const [hi, lo] = split(seed);
  return full(go.memhash(Uint8Array.from(bytes), 0, bytes.length, hi, lo));
}

/** The hash of v through a Go-hashed copy of type, and the same from its stored bytes. */
function both(type: AnyType, v: unknown, seed: number): [bigint, bigint] {
  const g = goHashed(type, KEY);
  const fromValue = full(g.hash(v, seed));
  const heap = Heap.create({ initialBytes: 4096 });
  const slot = heap.alloc(Math.max(type.size, 8));
  type.write(heap, slot, v);
  return [fromValue, full(g.hashAt(heap, slot, seed))];
}

test("gohash: integers, bool and byte arrays are one memhash over their little-endian bytes", () => {
  const cases: [AnyType, unknown, number[]][] = [
    [t.u8, 200, [200]],
    [t.i8, -1, [0xff]],
    [t.bool, true, [1]],
    [t.u16, 0x1234, [0x34, 0x12]],
    [t.i32, -2, [0xfe, 0xff, 0xff, 0xff]],
    [t.u32, 0xdeadbeef, [0xef, 0xbe, 0xad, 0xde]],
    [t.u64, 0x0102030405060708n, [8, 7, 6, 5, 4, 3, 2, 1]],
    [t.i64, -1n, [255, 255, 255, 255, 255, 255, 255, 255]],
    [t.bytes(16), Uint8Array.from({ length: 16 }, (_, i) => i * 3), Array.from({ length: 16 }, (_, i) => i * 3)],
  ];
  for (const [type, v, bytes] of cases) {
    const [a, b] = both(type, v, 0x3039);
    assert.equal(a, mem(bytes, 0x3039n), type.name);
    assert.equal(b, a, `${type.name}: stored and JS value agree`);
  }
});

test("gohash: strings are strhash of their UTF-8 bytes, inline or in a block", () => {
  for (const s of ["", "a", "hello, world", "exactly12byt", "a string longer than twelve bytes", "漢字🙂é"]) {
    const [a, b] = both(t.string, s, 7);
    assert.equal(a, mem(Array.from(new TextEncoder().encode(s)), 7n), s);
    assert.equal(b, a, `${s}: stored and JS value agree`);
  }
});

test("gohash: floats are f32hash/f64hash: ±0 alike, other values by their bytes", () => {
  assert.deepEqual(both(t.f64, 0, 5), [0x0518b55cf301e0dcn, 0x0518b55cf301e0dcn]);
  assert.deepEqual(both(t.f64, -0, 5), [0x0518b55cf301e0dcn, 0x0518b55cf301e0dcn]);
  assert.deepEqual(both(t.f64, 1, 5), [0x199c017617f0c614n, 0x199c017617f0c614n]);
  const [a] = both(t.f32, 1.5, 5);
  assert.equal(a, mem(Array.from(new Uint8Array(new Float32Array([1.5]).buffer)), 5n));
});

test("gohash: a struct of plain memory without padding is one memhash over its whole size", () => {
  const P = t.struct({ a: t.u32, b: t.u16, c: t.u16 });
  const [h] = both(P, { a: 1, b: 2, c: 3 }, 9);
  assert.equal(h, mem([1, 0, 0, 0, 2, 0, 3, 0], 9n));
});

test("gohash: padding splits a struct into memory runs that chain the seed (Go's Memrun)", () => {
  // struct{a u16; _ [2]pad; b u32; c u32; d u8; _ [3]pad}: runs [a], [b c d]: padding follows a and d.
  const S = t.struct({ a: t.u16, b: t.u32, c: t.u32, d: t.u8 });
  const [h, stored] = both(S, { a: 0x0102, b: 3, c: 4, d: 5 }, 11);
  const h1 = mem([2, 1], 11n);
  assert.equal(h, mem([3, 0, 0, 0, 4, 0, 0, 0, 5], h1));
  assert.equal(stored, h);
});

test("gohash: a field named _ is Go's blank field: left out of the hash, and it ends a memory run (Go's genhash and Memrun)", () => {
  // struct{a uint8; _ uint8; b uint16}: no padding, but the blank field makes it a special
  // struct: runs [a] and [b], the blank byte skipped. Real Go gives the same (fidelity/structs.ts).
  const S = t.struct({ a: t.u8, _: t.u8, b: t.u16 });
  assert.equal(S.size, 4);
  const [h, stored] = both(S, { a: 7, b: 0x0102 }, 13);
  assert.equal(h, mem([2, 1], mem([7], 13n)));
  assert.equal(stored, h);
  // struct{a uint32; _ uint32}: a alone, not the struct's 8 bytes.
  const [h2] = both(t.struct({ a: t.u32, _: t.u32 }), { a: 5 }, 17);
  assert.equal(h2, mem([5, 0, 0, 0], 17n));
  // Only a blank field: nothing is hashed, the hash is the seed (as Go's genhash for struct{_ [127]byte}).
  const [h3] = both(t.struct({ _: t.bytes(127) }), {}, 0xc8e1ffb2);
  assert.equal(h3, 0xc8e1ffb2n);
  // Nested: the inner struct is not plain memory either, and its blank field is skipped too.
  const Inner = t.struct({ x: t.u16, _: t.u16 });
  const [h4] = both(t.struct({ a: t.u32, in: Inner }), { a: 1, in: { x: 3 } }, 19);
  assert.equal(h4, mem([3, 0], mem([1, 0, 0, 0], 19n)));
});

test("gohash: float and string fields use their own hashers inside the chain; nested structs chain through", () => {
  const Inner = t.struct({ x: t.u8, y: t.f64 });
  const S = t.struct({ a: t.u32, f: t.f64, s: t.string, in: Inner });
  const [h, stored] = both(S, { a: 1, f: 0, s: "hi", in: { x: 7, y: 2 } }, 3);
  const f0 = (seed: bigint): bigint => {
    const [hi, lo] = split(seed);
    return full(go.f64hash(new Uint8Array(8), 0, hi, lo));
  };
  const f64 = (v: number, seed: bigint): bigint => {
    const [hi, lo] = split(seed);
    return full(go.f64hash(new Uint8Array(new Float64Array([v]).buffer), 0, hi, lo));
  };
  // a is padded (f needs 8-byte alignment): its own run; x is padded too.
  let want = mem([1, 0, 0, 0], 3n);
  want = f0(want);
  want = mem(Array.from(new TextEncoder().encode("hi")), want);
  want = mem([7], want);
  want = f64(2, want);
  assert.equal(h, want);
  assert.equal(stored, h);
});

test("gohash: zero-size types hash to the seed", () => {
  const [h] = both(t.bytes(0), new Uint8Array(0), 0xabcdef);
  assert.equal(h, 0xabcdefn);
});

test("gohash: the struct key's hashes equal those real Go 1.19 recorded (golden run)", () => {
  const file = new URL("../../../fidelity/golden/grow-thresholds-struct.go.jsonl", import.meta.url);
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; hashes?: [Record<string, unknown>, string][] });
  const hashes = lines.find((l) => l.kind === "hashes")?.hashes ?? [];
  assert.ok(hashes.length > 400);
  const SK = goHashed(t.struct({ A: t.u16, B: t.u32, F: t.f64, S: t.string }), KEY);
  for (const [k, want] of hashes) assert.equal(full(SK.hash(k, 0x12345678)).toString(16).padStart(16, "0"), want, JSON.stringify(k));
});

test("gohash: one Go-hashed type per (type, key), shared by maps", () => {
  assert.equal(goHashed(t.u32, 3n), goHashed(t.u32, 3n));
  assert.equal(goHashed(t.u32, 2n), goHashed(t.u32, 3n), "keys are forced odd");
  assert.notEqual(goHashed(t.u32, 3n), goHashed(t.u32, 5n));
});

test("make({hash: 'go1.19'}): records the hasher and key in the header, and lays keys out as Go does", () => {
  const m = GoMap.make(t.u64, t.u64, { hash: "go1.19", hashKey: KEY, seed: 0x12345678 });
  const h = hmapOf(m as never);
  assert.ok(h !== null);
  assert.equal(h.heap.u32[Hmap32.hasher], Hasher.go119);
  assert.equal((BigInt(h.heap.u32[Hmap32.hashKeyHi]) << 32n) | BigInt(h.heap.u32[Hmap32.hashKeyLo]), KEY);
  for (let k = 0n; k < 20n; k++) m.set(k, 10n * k);
  // The spec's layout vector (§5.6): B = 2, one overflow bucket, key 13 first in bucket 0.
  assert.equal(h.B, 2);
  assert.equal(h.noverflow, 1);
  assert.equal(h.heap.u8[h.buckets], 0x4a);
  assert.equal(m.get(13n), 130n);
});

test("make: the default hasher is gomap's own, and a seed may be given", () => {
  const m = GoMap.make(t.u32, t.u32, { seed: 77 });
  const h = hmapOf(m as never);
  assert.ok(h !== null);
  assert.equal(h.heap.u32[Hmap32.hasher], Hasher.gomap);
  assert.equal(h.hash0, 77);
});

test("make: bad hash options are typed errors", () => {
  assert.throws(() => GoMap.make(t.u32, t.u32, { hash: "go1.20" as never }), TypeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { hashKey: 5n }), /hashKey is for hash: "go1.19"/);
  assert.throws(() => GoMap.make(t.u32, t.u32, { hash: "go1.19", hashKey: -1n }), RangeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { hash: "go1.19", hashKey: 1n << 64n }), RangeError);
  // A number or a string is the wrong kind of value for hashKey (a TypeError, as seed: 1n is
  // one), not a bigint out of range: the message names what came and what is wanted.
  for (const hashKey of [5, "5", null]) {
    assert.throws(() => GoMap.make(t.u32, t.u32, { hash: "go1.19", hashKey: hashKey as never }), (e: unknown) => {
      assert.ok(e instanceof TypeError, String(e));
      assert.match((e as Error).message, /^gomap: hashKey must be a uint64 bigint, got .*\((number|string)\)|null$/);
      return true;
    });
  }
  assert.throws(() => GoMap.make(t.u32, t.u32, { seed: -1 }), RangeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { seed: 2 ** 32 }), RangeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { seed: "5" as never }), TypeError);
  assert.throws(() => GoMap.make(t.u32, t.u32, { seed: 1.5 }), RangeError);
});

test("make({hash: 'go1.19'}) without a key picks a random odd one", () => {
  const keys = new Set<bigint>();
  for (let i = 0; i < 5; i++) {
    const h = hmapOf(GoMap.make(t.u32, t.u32, { hash: "go1.19" }) as never);
    assert.ok(h !== null);
    const k = (BigInt(h.heap.u32[Hmap32.hashKeyHi]) << 32n) | BigInt(h.heap.u32[Hmap32.hashKeyLo]);
    assert.equal(k & 1n, 1n);
    keys.add(k);
  }
  assert.equal(keys.size, 5);
});

test("make({hash: 'go1.19', hashKey: even}): the header records the key forced odd, as Go forces it, so the map's snapshot loads", () => {
  const m = GoMap.make(t.u32, t.u32, { hash: "go1.19", hashKey: 0x1234_5678_9abc_def0n, seed: 1 });
  const h = hmapOf(m as never);
  assert.ok(h !== null);
  assert.equal((BigInt(h.heap.u32[Hmap32.hashKeyHi]) << 32n) | BigInt(h.heap.u32[Hmap32.hashKeyLo]), 0x1234_5678_9abc_def1n);
  for (let k = 0; k < 100; k++) m.set(k, k * 3);
  const back = GoMap.fromBytes(m.toBytes(), t.u32, t.u32);
  for (let k = 0; k < 100; k++) assert.equal(back.get(k), k * 3);
});

test("gohash: a Go-hashed key type lives as long as something holds it: dropped maps of random hash keys take theirs with them", async () => {
  // Each GoMap.make(..., { hash: "go1.19" }) without a hashKey draws a random one, and so a
  // key type (and its MapType, ops and kernel) of its own; a cache that held them for ever
  // kept about 3.5 KiB a map after the map was gone.
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < 50; i++) {
    const m = GoMap.make(t.u32, t.u32, { hash: "go1.19" });
    m.set(i, i);
    refs.push(new WeakRef(m.keyType));
  }
  await new Promise((r) => setTimeout(r, 0)); // a WeakRef keeps its target until the job that made it ends
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.ok(alive <= 2, `${alive} of 50 key types of dropped maps are still alive`);
  // While held, one hash key still gives one type.
  const k = goHashed(t.u32, 0x1234_5678_9abcn);
  assert.equal(goHashed(t.u32, 0x1234_5678_9abcn), k);
});
