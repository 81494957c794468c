// Tests of src/runtime/hasher.ts: the map's hash is recorded in its header, so every reader of
// the buffer hashes as its maker did: a snapshot loaded back, and a shared map attached in this
// thread, find every key of a map made with hash "go1.19"; bad header fields are named.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, SnapshotError, types as t } from "../../src/index.js";
import { Heap } from "../../src/memory/heap.js";
import { hasherProblem, keyTypeOf, writeHasher } from "../../src/runtime/hasher.js";
import { Hasher, Hmap32 } from "../../src/runtime/layout.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { goHashed } from "../../src/types/gohash.js";

const KEY = 0x0123456789abcdefn;

test("hasher: writeHasher records gomap's hash or go1.19's with its key; keyTypeOf reads it back", () => {
  const heap = Heap.create();
  writeHasher(heap, null);
  assert.equal(heap.u32[Hmap32.hasher], Hasher.gomap);
  assert.equal(keyTypeOf(heap, t.string), t.string);
  assert.equal(hasherProblem(heap), null);
  writeHasher(heap, KEY);
  assert.equal(heap.u32[Hmap32.hasher], Hasher.go119);
  assert.equal(keyTypeOf(heap, t.string), goHashed(t.string, KEY));
  assert.equal(hasherProblem(heap), null);
});

test("hasher: hasherProblem names an unknown hasher, a stray key and an even go1.19 key", () => {
  const heap = Heap.create();
  heap.u32[Hmap32.hasher] = 7;
  assert.match(hasherProblem(heap) ?? "", /unknown hasher 7/);
  writeHasher(heap, null);
  heap.u32[Hmap32.hashKeyHi] = 1;
  assert.match(hasherProblem(heap) ?? "", /hash key without/);
  writeHasher(heap, KEY);
  heap.u32[Hmap32.hashKeyLo] &= ~1;
  assert.match(hasherProblem(heap) ?? "", /even/);
});

function goMap(): GoMap<string, number, string, number> {
  const m = GoMap.make(t.string, t.u32, { hash: "go1.19", hashKey: KEY, seed: 42 });
  for (let i = 0; i < 500; i++) m.set(`key-${i}`, i);
  return m;
}

test("hasher: a go1.19 map saved with toBytes loads with its hash and finds every key", () => {
  const back = GoMap.fromBytes(goMap().toBytes(), t.string, t.u32);
  assert.equal(hmapOf(back as never)?.heap.u32[Hmap32.hasher], Hasher.go119);
  for (let i = 0; i < 500; i++) assert.equal(back.get(`key-${i}`), i);
  back.set("new", 1);
  assert.equal(back.get("new"), 1);
  checkInvariants(back as never);
});

test("hasher: a snapshot whose header names an unknown hasher is refused as corrupt-header", () => {
  const bytes = goMap().toBytes();
  // Find the hasher word by its value (1) and the key after it, in the heap image.
  const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  const lo = Number(KEY & 0xffffffffn);
  let at = -1;
  for (let i = 0; i + 2 < u32.length; i++) if (u32[i] === Hasher.go119 && u32[i + 2] === lo) at = i;
  assert.ok(at >= 0, "the header's hasher fields are in the image");
  u32[at] = 9;
  assert.throws(() => GoMap.fromBytes(bytes, t.string, t.u32, { verify: "full" }), (e: unknown) => e instanceof SnapshotError);
});

test("hasher: a shared go1.19 map attached again hashes as its maker", () => {
  const m = GoMap.make(t.u64, t.u32, { hash: "go1.19", hashKey: KEY, shared: true });
  for (let i = 0n; i < 300n; i++) m.set(i * 7919n, Number(i));
  const again = GoMap.attach(m.share());
  for (let i = 0n; i < 300n; i++) assert.equal(again.get(i * 7919n), Number(i));
});

test("hasher: keyTypeOf goes by the header alone, whatever hash the type it is given carries", () => {
  const heap = Heap.create();
  const other = goHashed(t.string, 0x1111n);
  writeHasher(heap, null);
  assert.equal(keyTypeOf(heap, other), t.string);
  writeHasher(heap, KEY);
  assert.equal(keyTypeOf(heap, other), goHashed(t.string, KEY));
});

test("hasher: a snapshot loaded with another map's key type (m.keyType) hashes as the file says, in both verify modes", () => {
  // A gomap-hashed map loaded with the key type of a go1.19 map, and the other way round: the
  // key type a GoMap hands out carries its map's hash. A load used it as it was, so the full
  // check blamed the file ("the key hashes to bucket ...") and verify "checksum" gave a map
  // whose size was 500 and whose get found none of them.
  const plain = GoMap.make(t.string, t.u32, { seed: 42 });
  for (let i = 0; i < 500; i++) plain.set(`key-${i}`, i);
  const go = goMap();
  for (const [from, keyType] of [
    [plain, go.keyType],
    [go, plain.keyType],
    [go, GoMap.make(t.string, t.u32, { hash: "go1.19", hashKey: 0x99n }).keyType],
  ] as const) {
    for (const verify of ["full", "checksum"] as const) {
      const back = GoMap.fromBytes(from.toBytes(), keyType, t.u32, { verify });
      let found = 0;
      for (let i = 0; i < 500; i++) if (back.get(`key-${i}`) === i) found++;
      assert.equal(found, 500, `verify ${verify}`);
      back.set("new", 1);
      assert.equal(back.get("new"), 1);
      checkInvariants(back as never);
    }
  }
});
