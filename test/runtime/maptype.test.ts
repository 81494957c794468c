// Tests of src/runtime/maptype.ts: bucket geometry as Go's compiler builds it on a 64-bit
// machine (8 tophash bytes, 8 keys, 8 elems, an 8-byte overflow link), indirect storage of
// keys and elems over 128 bytes, and the key flags the runtime follows.
import assert from "node:assert/strict";
import test from "node:test";
import { MapType } from "../../src/runtime/maptype.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

function geometry(k: AnyType, v: AnyType): { bucketSize: number; keySlot: number; elemSlot: number; elemsOffset: number; overflowOffset: number } {
  const m = new MapType(k, v);
  return { bucketSize: m.bucketSize, keySlot: m.keySlot, elemSlot: m.elemSlot, elemsOffset: m.elemsOffset, overflowOffset: m.overflowOffset };
}

test("maptype: bucket sizes as Go's (TestHmapSize's sibling: map[int32]int32 = 80, map[int64]int64 = 144...)", () => {
  assert.equal(new MapType(t.u32, t.u32).bucketSize, 80);
  assert.equal(new MapType(t.i32, t.i32).bucketSize, 80);
  assert.equal(new MapType(t.u64, t.u64).bucketSize, 144);
  assert.equal(new MapType(t.i64, t.i64).bucketSize, 144);
  assert.equal(new MapType(t.string, t.u32).bucketSize, 176);
  assert.equal(new MapType(t.string, t.u64).bucketSize, 208, "map[string]int");
  assert.equal(new MapType(t.string, t.string).bucketSize, 272);
  assert.equal(new MapType(t.u64, t.struct({})).bucketSize, 80, "map[int64]struct{}");
  assert.equal(new MapType(t.u8, t.bool).bucketSize, 32);
  assert.equal(new MapType(t.f64, t.f32).bucketSize, 8 + 64 + 32 + 8);
  assert.equal(new MapType(t.bytes(16), t.bool).bucketSize, 8 + 128 + 8 + 8);
});

test("maptype: keys first, then elems, then the overflow link; bucket sizes are multiples of 8", () => {
  assert.deepEqual(geometry(t.u64, t.u8), { bucketSize: 88, keySlot: 8, elemSlot: 1, elemsOffset: 72, overflowOffset: 80 });
  assert.deepEqual(geometry(t.string, t.u32), { bucketSize: 176, keySlot: 16, elemSlot: 4, elemsOffset: 136, overflowOffset: 168 });
  for (const [k, v] of [
    [t.u8, t.u8],
    [t.u16, t.bytes(3)],
    [t.struct({ a: t.u8, b: t.string }), t.u16],
    [t.bytes(7), t.bytes(5)],
  ] as [AnyType, AnyType][]) {
    const g = geometry(k, v);
    assert.equal(g.bucketSize % 8, 0, `${k.name}/${v.name}: ${g.bucketSize}`);
    assert.equal(g.elemsOffset, 8 + 8 * g.keySlot);
    assert.equal(g.overflowOffset, g.elemsOffset + 8 * g.elemSlot);
    assert.equal(g.bucketSize, g.overflowOffset + 8);
  }
});

test("maptype: keys and elems over 128 bytes are stored indirectly (slot of 8)", () => {
  const big = new MapType(t.bytes(200), t.bytes(129));
  assert.equal(big.indirectKey, true);
  assert.equal(big.indirectElem, true);
  assert.equal(big.keySlot, 8);
  assert.equal(big.elemSlot, 8);
  assert.equal(big.bucketSize, 8 + 64 + 64 + 8);
  assert.equal(big.ownsMemory, true, "indirect blocks must be freed on delete");
  const edge = new MapType(t.bytes(128), t.bytes(128));
  assert.equal(edge.indirectKey, false, "128 bytes is still inline");
  assert.equal(edge.indirectElem, false);
  assert.equal(edge.keySlot, 128);
  assert.equal(edge.bucketSize, 8 + 1024 + 1024 + 8);
  const mixed = new MapType(t.u32, t.bytes(4000));
  assert.equal(mixed.indirectKey, false);
  assert.equal(mixed.indirectElem, true);
  assert.equal(mixed.bucketSize, 8 + 32 + 64 + 8);
});

test("maptype: key flags: reflexive, key update and memory ownership", () => {
  const u = new MapType(t.u32, t.u32);
  assert.deepEqual([u.reflexiveKey, u.needKeyUpdate, u.ownsMemory], [true, false, false]);
  const f = new MapType(t.f64, t.u32);
  assert.deepEqual([f.reflexiveKey, f.needKeyUpdate], [false, true], "float keys: NaN, and -0 replaces +0");
  const f32 = new MapType(t.f32, t.u32);
  assert.deepEqual([f32.reflexiveKey, f32.needKeyUpdate], [false, true]);
  const s = new MapType(t.string, t.u32);
  assert.equal(s.reflexiveKey, true);
  assert.equal(s.ownsMemory, true, "string bytes live in the heap");
  const sf = new MapType(t.struct({ x: t.f64, n: t.u32 }), t.u8);
  assert.deepEqual([sf.reflexiveKey, sf.needKeyUpdate], [false, true], "a struct holding a float is like a float");
  const sv = new MapType(t.u32, t.string);
  assert.equal(sv.ownsMemory, true);
});

test("maptype: MapType.of gives every map of a pair of types one MapType, and another pair another", () => {
  const a = MapType.of(t.u32, t.f64);
  assert.equal(MapType.of(t.u32, t.f64), a);
  assert.notEqual(MapType.of(t.u32, t.f32), a);
  assert.notEqual(MapType.of(t.i32, t.f64), a);
  const point = t.struct({ x: t.i16 });
  assert.equal(MapType.of(t.string, point), MapType.of(t.string, point));
  assert.notEqual(MapType.of(t.string, point), MapType.of(t.string, t.struct({ x: t.i16 })), "an equal struct type made again is another type object");
  assert.deepEqual({ ...MapType.of(t.string, point) }, { ...new MapType(t.string, point) }, "the same geometry as a MapType made on its own");
});
