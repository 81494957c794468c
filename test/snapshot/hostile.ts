// The hostile-bytes fuzzer's cases, run by hostile-worker.ts in a worker thread (so a hang is
// caught by hostile.test.ts's watchdog instead of stalling the suite).
//
// A case: one of several saved maps (bases), a list of edits to its snapshot's bytes (bit flips,
// bytes set to 0/0xff/small ints, a heap or hmap header field or a bucket's tophash/link/key
// word set to a chosen value, a block header rewritten, two ranges swapped, the heap cut short
// or extended with the header made to agree), the checksum usually recomputed so that the
// structural checks are what stands between the bytes and the runtime, then a load and a run
// of operations. The property: the load throws SnapshotError; or the loaded map is consistent
// with itself (runtime/debug.ts checkInvariants, every entry iteration shows is found by get
// with that value, size counts them, no key twice) and from then on agrees with a model seeded
// from its own iteration through sets, deletes, gets, lookups, clears, growth to several
// times its size, iteration and a save-and-load round trip.
import assert from "node:assert/strict";
import fc from "fast-check";
import { SnapshotError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { FIRST_BLOCK } from "../../src/memory/heap.js";
import { Bucket, Hmap } from "../../src/runtime/layout.js";
import { checksum, DIGEST_BYTES } from "../../src/snapshot/checksum.js";
import { HEADER_BYTES, pad16 } from "../../src/snapshot/format.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";
import { canon, specs } from "./helpers.js";
import type { AnyMap, Spec } from "./helpers.js";

export interface Base {
  name: string;
  spec: Spec;
  /** The key type the loads pass: spec's, or for some bases another map's keyType, which carries that map's hash. */
  keyType: AnyType;
  bytes: Uint8Array;
  /** Byte offset of the heap section in bytes (its length is in the header at 24). */
  heapAt: number;
  /** Heap offsets of u32 words that hold structure: heap and hmap headers, tophashes, links, block headers, string headers. */
  structural: number[];
  /** Every block of the heap: payload offset and payload size. */
  blocks: { off: number; size: number }[];
  /** Offsets worth writing into a word: block payloads, bucket starts, top. */
  offsets: number[];
  /** Every bucket of the bucket arrays (current, old), and the slot geometry. */
  buckets: number[];
  geometry: { keySlot: number; elemSlot: number; elemsOffset: number };
}

const u64n: Spec = {
  name: "u64 (number)->i64 (number)",
  keyType: t.u64.asNumber,
  valueType: t.i64.asNumber,
  key: (i) => i * 1_000_003 + 2 ** 40,
  value: (i) => -i * 7,
};
const f64Key = specs[3];

/** A u32->u32 map whose B stays small and whose churn makes a same-size growth start; saved mid-growth. */
function sameSizeMidGrowth(): AnyMap {
  const m = GoMap.make(t.u32, t.u32, { seed: 7 }) as AnyMap;
  let next = 0;
  const live: number[] = [];
  for (let round = 0; round < 100_000; round++) {
    const before = m.inspect();
    m.set(next, next);
    live.push(next++);
    const after = m.inspect();
    if (after.growth === "same-size" && after.oldBucketsLeft > 0) return m;
    if (!before.growing && after.growth === "doubling") {
      // keep B where it is: take the map back down by deleting, then go on churning
    }
    while (live.length > 20) m.delete(live.shift()!);
  }
  throw new Error("no same-size growth happened");
}

function doublingMidGrowth(spec: Spec, min: number): AnyMap {
  const m = GoMap.make(spec.keyType, spec.valueType, { seed: 11 }) as AnyMap;
  let i = 0;
  for (; i < min || !(m.inspect().growing && m.inspect().nevacuate > 0); i++) m.set(spec.key(i), spec.value(i));
  return m;
}

function filledMap(spec: Spec, n: number, opts: { hint?: number; hash?: "go1.19"; del?: number } = {}): AnyMap {
  const m = GoMap.make(spec.keyType, spec.valueType, { seed: 3, hint: opts.hint, ...(opts.hash ? { hash: opts.hash, hashKey: 0x1234_5678_9abc_def1n } : {}) }) as AnyMap;
  for (let i = 0; i < n; i++) m.set(spec.key(i), spec.value(i));
  const del = opts.del ?? 3;
  if (del > 0) for (let i = 0; i < n; i += del) m.delete(spec.key(i));
  return m;
}

export function makeBases(): Base[] {
  const list: [string, Spec, AnyMap][] = [
    ["u32 empty", specs[0], GoMap.make(t.u32, t.u32) as AnyMap],
    ["u32 nil", specs[0], GoMap.nil(t.u32, t.u32) as AnyMap],
    ["u32 one bucket", specs[0], filledMap(specs[0], 6, { del: 0 })],
    ["u32 doubling mid-growth", specs[0], doublingMidGrowth(specs[0], 60)],
    ["u32 hinted, pool in use", specs[0], filledMap(specs[0], 300, { hint: 200, del: 4 })],
    ["u32 same-size mid-growth", specs[0], sameSizeMidGrowth()],
    ["string->string", specs[1], filledMap(specs[1], 120)],
    ["string->string mid-growth", specs[1], doublingMidGrowth(specs[1], 25)],
    ["struct->bytes(16)", specs[4], filledMap(specs[4], 60)],
    ["f64->struct, NaN and -0 keys", f64Key, filledMap(f64Key, 40)],
    ["bytes(200)->struct (indirect)", specs[5], filledMap(specs[5], 30)],
    ["string go1.19 hash", specs[1], filledMap(specs[1], 40, { hash: "go1.19" })],
    ["u64 as number", u64n, filledMap(u64n, 50)],
  ];
  const f = list.find(([n]) => n.startsWith("f64"))![2];
  f.set(NaN, { id: 1, name: "nan", ok: true });
  f.set(NaN, { id: 2, name: "nan2", ok: false });
  f.set(-0, { id: 3, name: "minus zero", ok: true });
  const bases = list.map(([name, spec, m]) => baseOf(name, spec, m));
  // Loaded with the key type of a go1.19 map: the file's own hash must win.
  const goKey = GoMap.make(t.string, t.string, { hash: "go1.19", hashKey: 0x5n }).keyType as AnyType;
  for (const b of bases) if (b.name.startsWith("string")) b.keyType = goKey;
  return bases;
}

function baseOf(name: string, spec: Spec, m: AnyMap): Base {
  const bytes = m.toBytes();
  const dv = new DataView(bytes.buffer);
  const heapAt = HEADER_BYTES + pad16(dv.getUint32(16, true) + dv.getUint32(20, true));
  const structural: number[] = [];
  const blocks: { off: number; size: number }[] = [];
  const offsets: number[] = [];
  const buckets: number[] = [];
  const h = hmapOf(m);
  if (h !== null) {
    for (let w = 0; w < FIRST_BLOCK; w += 4) structural.push(w);
    const u32 = h.heap.u32;
    const top = u32[2];
    offsets.push(top, FIRST_BLOCK);
    for (let off = FIRST_BLOCK; off < top; ) {
      const size = (u32[off >>> 2] & ~1) >>> 0;
      structural.push(off, off + 4);
      blocks.push({ off: off + 8, size });
      offsets.push(off + 8);
      off += 8 + size;
    }
    const bs = h.t.bucketSize;
    for (const a of [h.buckets, h.oldbuckets]) {
      if (a === 0) continue;
      const n = h.heap.sizeOf(a) / bs;
      for (let j = 0; j < n; j++) {
        const b = a + j * bs;
        offsets.push(b);
        buckets.push(b);
        structural.push(b, b + 4, b + h.t.overflowOffset, b + h.t.overflowOffset + 4);
        if (h.t.key.kind === "string" || h.t.indirectKey) {
          for (let s = 0; s < Bucket.cnt; s++) for (let w = 0; w < h.t.keySlot; w += 4) structural.push(b + Bucket.dataOffset + s * h.t.keySlot + w);
        }
        if (h.t.indirectElem || h.t.elem.kind === "string") {
          for (let s = 0; s < Bucket.cnt; s++) for (let w = 0; w < Math.min(16, h.t.elemSlot); w += 4) structural.push(b + h.t.elemsOffset + s * h.t.elemSlot + w);
        }
      }
    }
  }
  const geometry = h === null ? { keySlot: 0, elemSlot: 0, elemsOffset: 0 } : { keySlot: h.t.keySlot, elemSlot: h.t.elemSlot, elemsOffset: h.t.elemsOffset };
  return { name, spec, keyType: spec.keyType, bytes, heapAt, structural, blocks, offsets, buckets, geometry };
}

// --- edits -------------------------------------------------------------------------------------

export type Edit =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "byte"; at: number; value: number }
  | { kind: "word"; which: number; value: number; delta: number; use: "value" | "offset" | "delta" }
  | { kind: "hmap"; field: number; value: number; delta: number; use: "value" | "offset" | "delta" }
  | { kind: "block"; which: number; size: number; prev: boolean }
  | { kind: "swap"; a: number; b: number; len: number }
  | { kind: "copyBlock"; from: number; to: number }
  | { kind: "fileHeader"; at: number; value: number }
  | { kind: "cutHeap"; at: number }
  | { kind: "swapSlots"; bucket: number; a: number; b: number }
  | { kind: "marks"; bucket: number; mark: number }
  | { kind: "extendHeap"; bytes: Uint8Array };

const interesting = fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 0xff, 0x100, 0xffff, 0x8000_0000, 0x8000_0001, 0x8000_000c, 0x8000_000d, 0xffff_ffff, 0xffff_fff8, 12, 13, 16, 31, 32);
const value32 = fc.oneof(interesting, fc.nat({ max: 0xffff_ffff }));
const use = fc.constantFrom("value" as const, "offset" as const, "delta" as const);
const delta = fc.constantFrom(-16, -8, -4, -1, 1, 4, 8, 16, 80, -80, 256);

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(0, 0xff, 1, 2, 3, 4, 5, 8), fc.nat({ max: 255 })) }),
  { arbitrary: fc.record({ kind: fc.constant("word" as const), which: fc.nat(), value: value32, delta, use }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("hmap" as const), field: fc.nat({ max: 15 }), value: value32, delta, use }), weight: 3 },
  fc.record({ kind: fc.constant("block" as const), which: fc.nat(), size: fc.oneof(fc.constantFrom(0, 8, 16, 1, 9), fc.nat({ max: 4096 })), prev: fc.boolean() }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 1, max: 160 }) }),
  fc.record({ kind: fc.constant("copyBlock" as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("fileHeader" as const), at: fc.nat({ max: 15 }), value: value32 }),
  fc.record({ kind: fc.constant("cutHeap" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("extendHeap" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  { arbitrary: fc.record({ kind: fc.constant("swapSlots" as const), bucket: fc.nat(), a: fc.nat({ max: 7 }), b: fc.nat({ max: 7 }) }), weight: 2 },
  fc.record({ kind: fc.constant("marks" as const), bucket: fc.nat(), mark: fc.constantFrom(0, 1, 2, 3, 4) }),
);

/** A snapshot's pieces, the heap as its own array so that it can change length. */
interface Parts {
  head: Uint8Array;
  codes: Uint8Array;
  heap: Uint8Array;
}

function split(base: Base): Parts {
  const b = base.bytes;
  const n = new DataView(b.buffer, b.byteOffset).getUint32(24, true);
  return { head: b.slice(0, HEADER_BYTES), codes: b.slice(HEADER_BYTES, base.heapAt), heap: b.slice(base.heapAt, base.heapAt + n) };
}

function join(p: Parts, seal: boolean, digestFrom: Uint8Array): Uint8Array {
  const n = p.heap.length;
  const dv = new DataView(p.head.buffer, p.head.byteOffset);
  dv.setUint32(24, n, true);
  const out = new Uint8Array(p.head.length + p.codes.length + pad16(n) + DIGEST_BYTES);
  out.set(p.head, 0);
  out.set(p.codes, p.head.length);
  out.set(p.heap, p.head.length + p.codes.length);
  const end = out.length - DIGEST_BYTES;
  out.set(seal ? checksum(out.subarray(0, end)) : digestFrom.subarray(digestFrom.length - DIGEST_BYTES), end);
  return out;
}

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

function put32(u8: Uint8Array, at: number, v: number): void {
  if (at < 0 || at + 4 > u8.length) return;
  new DataView(u8.buffer, u8.byteOffset).setUint32(at, v >>> 0, true);
}

function get32(u8: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > u8.length) return 0;
  return new DataView(u8.buffer, u8.byteOffset).getUint32(at, true);
}

function chooseWord(base: Base, orig: number, e: { value: number; delta: number; use: "value" | "offset" | "delta" }): number {
  if (e.use === "offset") return pick(base.offsets, e.value) ?? e.value;
  if (e.use === "delta") return (orig + e.delta) >>> 0;
  return e.value;
}

/** The bytes of base's snapshot after the edits; the checksum recomputed when seal. */
export function applyEdits(base: Base, edits: Edit[], seal: boolean): Uint8Array {
  const p = split(base);
  for (const e of edits) {
    const heap = p.heap;
    switch (e.kind) {
      case "flip":
        if (heap.length > 0) heap[e.at % heap.length] ^= 1 << e.bit;
        else p.head[e.at % 64] ^= 1 << e.bit;
        break;
      case "byte":
        if (heap.length > 0) heap[e.at % heap.length] = e.value;
        break;
      case "word": {
        const at = pick(base.structural, e.which);
        if (at !== undefined) put32(heap, at, chooseWord(base, get32(heap, at), e));
        break;
      }
      case "hmap": {
        const at = Hmap.count + e.field * 4;
        put32(heap, at, chooseWord(base, get32(heap, at), e));
        break;
      }
      case "block": {
        const b = pick(base.blocks, e.which);
        if (b === undefined) break;
        const at = b.off - 8 + (e.prev ? 4 : 0);
        put32(heap, at, e.prev ? e.size : (e.size & ~1) | (get32(heap, at) & 1));
        break;
      }
      case "swap": {
        if (heap.length < FIRST_BLOCK) break;
        const span = heap.length - e.len;
        if (span <= 0) break;
        const a = (e.a % span) & ~7;
        const b = (e.b % span) & ~7;
        const x = heap.slice(a, a + e.len);
        heap.copyWithin(a, b, b + e.len);
        heap.set(x, b);
        break;
      }
      case "copyBlock": {
        const from = pick(base.blocks, e.from);
        const to = pick(base.blocks, e.to);
        if (from === undefined || to === undefined) break;
        heap.copyWithin(to.off, from.off, from.off + Math.min(from.size, to.size));
        break;
      }
      case "fileHeader":
        put32(p.head, e.at * 4, e.value);
        break;
      case "cutHeap": {
        if (heap.length <= FIRST_BLOCK) break;
        const at = FIRST_BLOCK + (((e.at % (heap.length - FIRST_BLOCK)) >>> 3) << 3);
        p.heap = heap.slice(0, at);
        put32(p.heap, 8, at); // top
        put32(p.heap, 12, at); // highWater
        break;
      }
      case "swapSlots": {
        // Two slots of one bucket trade places: tophash, key and elem.
        const b = pick(base.buckets, e.bucket);
        const g = base.geometry;
        if (b === undefined || b + g.elemsOffset + Bucket.cnt * g.elemSlot > heap.length) break; // the heap was cut
        const swap = (x: number, y: number, n: number): void => {
          const t0 = heap.slice(x, x + n);
          heap.copyWithin(x, y, y + n);
          heap.set(t0, y);
        };
        swap(b + e.a, b + e.b, 1);
        swap(b + Bucket.dataOffset + e.a * g.keySlot, b + Bucket.dataOffset + e.b * g.keySlot, g.keySlot);
        swap(b + g.elemsOffset + e.a * g.elemSlot, b + g.elemsOffset + e.b * g.elemSlot, g.elemSlot);
        break;
      }
      case "marks": {
        // A bucket's eight tophashes all set to one mark (an evacuated or emptied bucket).
        const b = pick(base.buckets, e.bucket);
        if (b !== undefined && b + Bucket.cnt <= heap.length) heap.fill(e.mark, b, b + Bucket.cnt);
        break;
      }
      case "extendHeap": {
        if (heap.length === 0) break;
        const more = new Uint8Array(pad16(e.bytes.length) - (pad16(e.bytes.length) % 8));
        more.set(e.bytes.subarray(0, more.length));
        const grown = new Uint8Array(heap.length + more.length);
        grown.set(heap);
        grown.set(more, heap.length);
        p.heap = grown;
        break;
      }
    }
  }
  const out = join(p, seal, base.bytes);
  // A fileHeader edit of the heap length (word 6) must survive join, which rewrites it.
  for (const e of edits) if (e.kind === "fileHeader" && e.at === 6) put32(out, 24, e.value);
  if (seal && edits.some((e) => e.kind === "fileHeader" && e.at === 6)) out.set(checksum(out.subarray(0, out.length - DIGEST_BYTES)), out.length - DIGEST_BYTES);
  return out;
}

// --- operations after a load ---------------------------------------------------------------

export type Op =
  | { op: "set"; fresh: boolean; i: number }
  | { op: "delete"; fresh: boolean; i: number }
  | { op: "get"; fresh: boolean; i: number }
  | { op: "clear" }
  | { op: "grow"; times: number }
  | { op: "iterate" }
  | { op: "roundtrip" }
  | { op: "inspect" };

export const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("set" as const), fresh: fc.boolean(), i: fc.nat({ max: 1000 }) }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), fresh: fc.boolean(), i: fc.nat({ max: 1000 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("get" as const), fresh: fc.boolean(), i: fc.nat({ max: 1000 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("clear" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("grow" as const), times: fc.integer({ min: 1, max: 4 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("iterate" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("roundtrip" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("inspect" as const) }), weight: 1 },
);

/** A key as the model knows it: -0 is 0 (the same Go key); NaN is never a model key. */
function modelKey(k: unknown): string {
  return canon(Object.is(k, -0) ? 0 : k);
}

function isNaNKey(k: unknown): boolean {
  return typeof k === "number" && Number.isNaN(k);
}

/** What the map holds by iteration: the model, and the NaN entries' count; fails on a key seen twice. */
function iterateInto(m: AnyMap): { model: Map<string, [unknown, string]>; nans: number } {
  const model = new Map<string, [unknown, string]>();
  let nans = 0;
  let n = 0;
  for (const [k, v] of m) {
    if (++n > m.size + 1) assert.fail(`iteration returned more than size ${m.size} entries`);
    if (isNaNKey(k)) {
      nans++;
      continue;
    }
    const mk = modelKey(k);
    assert.ok(!model.has(mk), `iteration returned key ${mk} twice`);
    model.set(mk, [k, canon(v)]);
  }
  return { model, nans };
}

function assertMatches(m: AnyMap, model: Map<string, [unknown, string]>, nans: number, where: string): void {
  checkInvariants(m);
  const got = iterateInto(m);
  assert.equal(m.size, model.size + nans, `${where}: size`);
  assert.equal(got.nans, nans, `${where}: NaN entries`);
  assert.equal(got.model.size, model.size, `${where}: entries by iteration`);
  for (const [mk, [k, v]] of model) {
    assert.equal(got.model.get(mk)?.[1], v, `${where}: iteration's value of ${mk}`);
    assert.equal(canon(m.get(k)), v, `${where}: get(${mk})`);
    assert.ok(m.has(k), `${where}: has(${mk})`);
  }
}

function loadAs(base: Base, bytes: Uint8Array): AnyMap {
  return GoMap.fromBytes(bytes, base.keyType, base.spec.valueType as AnyType) as AnyMap;
}

/**
 * The property. Returns what happened ("refused: code" or "loaded"); throws an assertion error
 * when the loaded map misbehaves, or any error other than SnapshotError from the load.
 */
export function runCase(base: Base, edits: Edit[], seal: boolean, ops: Op[]): string {
  const bytes = applyEdits(base, edits, seal);
  let m: AnyMap;
  for (let repairs = 0; ; repairs++) {
    try {
      m = loadAs(base, bytes);
      break;
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      // A count that disagrees with the entries is set to what they are, and the load tried
      // again: edits that leave a consistent map but for the count then reach the runtime.
      const c = /count \d+, but the buckets hold (\d+) entries/.exec(err.message);
      if (c === null || repairs > 0 || !seal) return `refused: ${err.code}`;
      put32(bytes, base.heapAt + Hmap.count, Number(c[1]));
      bytes.set(checksum(bytes.subarray(0, bytes.length - DIGEST_BYTES)), bytes.length - DIGEST_BYTES);
    }
  }
  if (m.isNil) {
    assert.equal(m.size, 0);
    assert.equal([...m].length, 0);
    return "loaded nil";
  }
  // The model is what the loaded map's own iteration shows, checked against its own gets.
  const first = iterateInto(m);
  const model = first.model;
  let nans = first.nans;
  assertMatches(m, model, nans, "after load");
  const spec = base.spec;
  const existing = (i: number): unknown => {
    const keys = [...model.values()];
    return keys.length === 0 ? spec.key(i) : keys[i % keys.length][0];
  };
  let fresh = 100_000;
  for (const o of ops) {
    switch (o.op) {
      case "set": {
        const k = o.fresh ? spec.key(50_000 + o.i) : existing(o.i);
        const v = spec.value(o.i + 7);
        m.set(k, v);
        if (isNaNKey(k)) nans++;
        else model.set(modelKey(k), [k, canon(m.get(k))]);
        assert.equal(canon(m.get(k)), isNaNKey(k) ? canon(undefined) : canon(v), "set then get");
        break;
      }
      case "delete": {
        const k = o.fresh ? spec.key(50_000 + o.i) : existing(o.i);
        assert.equal(m.delete(k), isNaNKey(k) ? false : model.delete(modelKey(k)), `delete(${modelKey(k)})`);
        break;
      }
      case "get": {
        const k = o.fresh ? spec.key(50_000 + o.i) : existing(o.i);
        const want = isNaNKey(k) ? undefined : model.get(modelKey(k));
        assert.equal(canon(m.get(k)), want === undefined ? canon(undefined) : want[1], `get(${modelKey(k)})`);
        const [lv, ok] = m.lookup(k);
        assert.equal(ok, want !== undefined, `lookup(${modelKey(k)}) ok`);
        if (want !== undefined) assert.equal(canon(lv), want[1], `lookup(${modelKey(k)}) value`);
        assert.equal(m.has(k), want !== undefined, `has(${modelKey(k)})`);
        break;
      }
      case "clear":
        m.clear();
        model.clear();
        nans = 0;
        break;
      case "grow": {
        // Several times its size in new keys, then half of them deleted again.
        const n = (m.size + 8) * o.times;
        const added: unknown[] = [];
        for (let j = 0; j < n; j++) {
          const k = spec.key(fresh++);
          const v = spec.value(fresh);
          m.set(k, v);
          if (isNaNKey(k)) nans++;
          else model.set(modelKey(k), [k, canon(m.get(k))]);
          added.push(k);
        }
        for (let j = 0; j < added.length; j += 2) {
          const k = added[j];
          if (isNaNKey(k)) continue;
          assert.equal(m.delete(k), model.delete(modelKey(k)), "delete after grow");
        }
        break;
      }
      case "iterate":
        assertMatches(m, model, nans, "iterate op");
        break;
      case "roundtrip": {
        const again = loadAs(base, m.toBytes());
        assertMatches(again, model, nans, "round trip");
        break;
      }
      case "inspect": {
        const s = m.inspect();
        assert.equal(s.count, m.size);
        break;
      }
    }
  }
  assertMatches(m, model, nans, "after ops");
  assertMatches(loadAs(base, m.toBytes()), model, nans, "final round trip");
  return "loaded";
}
