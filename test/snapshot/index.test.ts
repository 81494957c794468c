// Round trips through GoMap's snapshot API (toBytes/fromBytes, save/load): every type, maps
// mid-growth (doubling and same-size), maps saved while an iterator holds freed blocks, nil and
// empty maps, a snapshot made by another process, and what may not be snapshotted.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { GoMapError, HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { checkInvariants, hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import { assertSameMap, codeOf, entries, filled, specs } from "./helpers.js";
import type { AnyMap } from "./helpers.js";

function roundTrip(m: AnyMap): AnyMap {
  return GoMap.fromBytes(m.toBytes(), m.keyType, m.valueType) as AnyMap;
}

/** The same writes on both maps, then the same contents. */
function writeBoth(a: AnyMap, b: AnyMap, spec: (typeof specs)[number], from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    a.set(spec.key(i), spec.value(i + 1));
    b.set(spec.key(i), spec.value(i + 1));
    if (i % 5 === 0 && i >= 3) {
      a.delete(spec.key(i - 3));
      b.delete(spec.key(i - 3));
    }
  }
  assertSameMap(a, b);
}

for (const spec of specs) {
  test(`snapshot: ${spec.name}: fromBytes(toBytes()) holds the same entries and takes the same writes`, () => {
    for (const n of [0, 1, 9, 300]) {
      const m = filled(spec, n);
      const back = roundTrip(m);
      assertSameMap(m, back);
      // The buffer's capacity is not part of the map: a loaded heap gets a buffer that fits it.
      const shape = (x: AnyMap): unknown => {
        const s = x.inspect();
        return { ...s, heap: { ...s.heap, capacity: 0, highWater: 0 }, bytes: { ...s.bytes, total: 0, wasted: 0 } };
      };
      assert.deepEqual(shape(back), shape(m));
      writeBoth(m, back, spec, n, 200);
    }
  });
}

test("snapshot: a map saved mid-doubling loads mid-doubling and finishes the growth on later writes", () => {
  const spec = specs[1];
  const m = GoMap.make(spec.keyType, spec.valueType) as AnyMap;
  let i = 0;
  while (!(m.inspect().growing && m.inspect().oldBuckets >= 8 && m.inspect().nevacuate > 0)) {
    m.set(spec.key(i), spec.value(i));
    i++;
  }
  const back = roundTrip(m);
  const [a, b] = [m.inspect(), back.inspect()];
  assert.equal(b.growing, true);
  assert.equal(b.sameSizeGrow, false);
  assert.deepEqual([b.B, b.nevacuate, b.oldBuckets, b.count], [a.B, a.nevacuate, a.oldBuckets, a.count]);
  assertSameMap(m, back);
  writeBoth(m, back, spec, i, 64);
  assert.equal(back.inspect().growing, false);
});

test("snapshot: a map saved mid same-size growth loads mid-growth", () => {
  // As grow.test.ts does: 100 keys in bucket 0 leave a chain of 12 overflow buckets once
  // deleted; filling bucket 1 then passes 16 overflow buckets, and a same-size growth starts.
  const kt = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 100 }) as AnyMap;
  for (let k = 0; k < 100; k++) m.set(k, k);
  for (let k = 0; k < 100; k++) m.delete(k);
  let k = 1000;
  while (!m.inspect().sameSizeGrow && k < 1100) m.set(k, k++);
  assert.equal(m.inspect().sameSizeGrow, true, "setup: a same-size growth started");
  const back = GoMap.fromBytes(m.toBytes(), kt, t.u32) as AnyMap;
  assert.equal(back.inspect().sameSizeGrow, true);
  assertSameMap(m, back);
  for (let j = 2000; j < 2100; j++) {
    m.set(j, j);
    back.set(j, j);
  }
  assert.equal(back.inspect().growing, false);
  assertSameMap(m, back);
});

test("snapshot: saved while an iterator holds blocks freed by a growth: the snapshot leaves them out", () => {
  const spec = specs[1];
  const m = filled(spec, 200);
  const it = m.keys();
  it.next();
  // Grow and delete while the iterator holds the heap: frees wait (Heap.pendingFrees).
  for (let i = 200; i < 2000; i++) m.set(spec.key(i), spec.value(i));
  for (let i = 200; i < 2000; i += 2) m.delete(spec.key(i));
  const h = hmapOf(m);
  assert.ok(h !== null && h.heap.pendingFrees.length > 0, "setup: frees are waiting");
  const back = roundTrip(m);
  assertSameMap(m, back);
  assert.ok(back.inspect().heap.blocks < m.inspect().heap.blocks, "the waiting blocks are not in the snapshot");
  // The original's iteration goes on and finishes, and then the waiting blocks are freed.
  while (!it.next().done);
  assert.equal(h.heap.pendingFrees.length, 0);
  checkInvariants(m);
  assertSameMap(m, back);
});

test("snapshot: nil maps save as nil maps; an empty map and a cleared map round-trip", () => {
  const nil = GoMap.fromBytes(GoMap.nil(t.string, t.u32).toBytes(), t.string, t.u32);
  assert.equal(nil.isNil, true);
  assert.throws(() => nil.set("a", 1), GoMapError);
  const empty = GoMap.fromBytes(GoMap.make(t.string, t.u32).toBytes(), t.string, t.u32);
  assert.equal(empty.isNil, false);
  empty.set("a", 1);
  assert.equal(empty.get("a"), 1);
  const cleared = filled(specs[1], 500) as AnyMap;
  cleared.clear();
  const back = roundTrip(cleared);
  assert.equal(back.size, 0);
  back.set("x", "y");
  assert.equal(back.get("x"), "y");
  checkInvariants(back);
});

test("snapshot: a shared map that another handle grew saves whole: the snapshot reads through fresh views", () => {
  const a = GoMap.make(t.u32, t.u32, { shared: true }) as AnyMap;
  const b = GoMap.attach(a.share()) as AnyMap; // another worker's handle: views of its own
  a.set(1, 1); // a's views are taken at the buffer's first length
  for (let i = 0; i < 5000; i++) b.set(i, i + 1); // b grows the shared buffer past them
  const back = roundTrip(a);
  assert.equal(back.size, 5000);
  for (let i = 0; i < 5000; i++) assert.equal(back.get(i), i + 1);
  checkInvariants(back);
});

test("snapshot: the hash seed is kept, so keys are found where they were put", () => {
  const m = filled(specs[0], 1000);
  const back = roundTrip(m);
  assert.equal(hmapOf(back)?.hash0, hmapOf(m)?.hash0);
});

test("snapshot: a file saved by another process loads here, and answers alike", () => {
  const dir = mkdtempSync(join(tmpdir(), "gomap-snap-"));
  try {
    const path = join(dir, "other.gomap");
    const index = fileURLToPath(new URL("../../src/index.js", import.meta.url));
    const script = `
      const { GoMap, types: t } = await import(${JSON.stringify(index)});
      const m = GoMap.make(t.string, t.u32);
      for (let i = 0; i < 5000; i++) m.set("key-" + i, i * 3);
      m.save(${JSON.stringify(path)});`;
    execFileSync(process.execPath, ["--input-type=module", "-e", script]);
    const m = GoMap.load(path, t.string, t.u32);
    assert.equal(m.size, 5000);
    for (let i = 0; i < 5000; i++) assert.equal(m.get(`key-${i}`), i * 3);
    m.set("key-5000", 1);
    assert.equal(m.get("key-5000"), 1);
    checkInvariants(m as AnyMap);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("snapshot: save and load through a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "gomap-snap-"));
  try {
    const path = join(dir, "m.gomap");
    const m = filled(specs[4], 400);
    m.save(path);
    assertSameMap(m, GoMap.load(path, m.keyType, m.valueType) as AnyMap);
    // Saving again replaces the file.
    m.set(specs[4].key(9999), specs[4].value(1));
    m.save(path);
    assertSameMap(m, GoMap.load(path, m.keyType, m.valueType) as AnyMap);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("snapshot: a snapshot taken from inside update's callback is refused, as a read during a write", () => {
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 1);
  assert.throws(() => m.update(1, () => void m.toBytes()), (e: unknown) => e instanceof GoMapError && /concurrent map read and map write/.test((e as Error).message));
  assert.equal(m.get(1), 1);
  assert.equal(GoMap.fromBytes(m.toBytes(), t.u32, t.u32).get(1), 1);
});

test("snapshot: int64 read as bigint or as number load each other's snapshots; values past 2^53 refuse asNumber", () => {
  const m = GoMap.make(t.u64, t.i64);
  m.set(1, 5);
  m.set(2n ** 60n, -7n);
  const bytes = m.toBytes();
  const asBig = GoMap.fromBytes(bytes, t.u64, t.i64);
  assert.equal(asBig.get(2n ** 60n), -7n);
  const small = GoMap.make(t.u64.asNumber, t.i64.asNumber);
  small.set(3, -4);
  assert.equal(GoMap.fromBytes(small.toBytes(), t.u64, t.i64).get(3n), -4n);
  assert.equal(codeOf(() => GoMap.fromBytes(bytes, t.u64.asNumber, t.i64.asNumber)), "type-mismatch");
});

test("snapshot: maxBytes: a heap larger than maxBytes is refused; a loaded map keeps to its maxBytes", () => {
  const m = filled(specs[0], 3000);
  const bytes = m.toBytes();
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { maxBytes: 4096 }), HeapExhaustedError);
  const cap = m.inspect().heap.top + 1024;
  const back = GoMap.fromBytes(bytes, t.u32, t.u32, { maxBytes: cap }) as AnyMap;
  let err: unknown;
  for (let i = 0; i < 100000 && err === undefined; i++) {
    try {
      back.set(0x7000_0000 + i, i);
    } catch (e) {
      err = e;
    }
  }
  assert.ok(err instanceof HeapExhaustedError);
  for (const [k, v] of m) assert.equal(back.get(k), v);
  checkInvariants(back);
});

test("snapshot: verify 'checksum' skips the structural walk and still loads a good map", () => {
  const m = filled(specs[1], 300);
  assertSameMap(m, GoMap.fromBytes(m.toBytes(), m.keyType, m.valueType, { verify: "checksum" }) as AnyMap);
});

test("snapshot: bad arguments are TypeErrors", () => {
  const bytes = GoMap.make(t.u32, t.u32).toBytes();
  assert.throws(() => GoMap.fromBytes("abc" as unknown as Uint8Array, t.u32, t.u32), /wants the snapshot's bytes .* got "abc" \(string\)/);
  // The types first, as make takes them: the message says the bytes come first.
  assert.throws(
    () => GoMap.fromBytes(t.u32 as unknown as Uint8Array, t.u32, bytes as unknown as typeof t.u32),
    /got the type uint32: call fromBytes\(bytes, keyType, valueType\)/,
  );
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { verify: "none" as "full" }), { name: "TypeError", message: `gomap: verify must be "full" or "checksum", got "none" (string)` });
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { maxBytes: -1 }), RangeError);
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { maxBytes: "1mb" as unknown as number }), /load maxBytes must be a number of bytes above 0, got "1mb"/);
  assert.throws(() => GoMap.load("", t.u32, t.u32), TypeError);
  assert.throws(() => GoMap.fromBytes(bytes, null as unknown as typeof t.u32, t.u32), /key type must be/);
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, { kind: "u32" } as unknown as typeof t.u32), /value type must be/);
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { verfy: "full" } as unknown as object), /unknown load option "verfy"/);
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, null as unknown as object), /load options must be an object, got null/);
  assert.throws(() => GoMap.make(t.u32, t.u32).save(42 as unknown as string), TypeError);
  assert.deepEqual(entries(GoMap.fromBytes(bytes, t.u32, t.u32) as AnyMap), [], "the good bytes still load");
});

test("snapshot: fromBytes takes an ArrayBuffer holding just the snapshot, and copies it", () => {
  const m = GoMap.make(t.string, t.u32);
  for (let i = 0; i < 100; i++) m.set(`key${i}`, i);
  const bytes = m.toBytes();
  // An ArrayBuffer of exactly the snapshot, as fetch's arrayBuffer() or a worker message gives it.
  const ab = (bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const back = GoMap.fromBytes(ab, t.string, t.u32) as AnyMap;
  new Uint8Array(ab).fill(0); // the loaded map owns a copy
  assertSameMap(m as AnyMap, back);
  checkInvariants(back);
});

test("load and fromBytes with { shared: true } give a shared map (README, Snapshots): its entries, attachable from another thread's handle, writable through it, growing in place; without the option a loaded map is not shared, whatever the saved one was", () => {
  const dir = mkdtempSync(join(tmpdir(), "gomap-snapshot-shared-"));
  try {
    const m = GoMap.make(t.string, t.u32, { shared: true });
    for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
    const file = join(dir, "shared.gomap");
    m.save(file);
    for (const plain of [GoMap.load(file, t.string, t.u32), GoMap.fromBytes(m.toBytes(), t.string, t.u32)]) {
      assert.equal(plain.isShared, false);
      assert.deepEqual(entries(plain as AnyMap), entries(m as AnyMap));
    }
    const opts = { shared: true } as const;
    for (const loaded of [GoMap.load(file, t.string, t.u32, opts), GoMap.fromBytes(m.toBytes(), t.string, t.u32, opts)]) {
      assert.equal(loaded.isShared, true);
      assert.deepEqual(entries(loaded as AnyMap), entries(m as AnyMap));
      const other = GoMap.attach(loaded.share());
      // Writes through either side are seen by the other, across the growths 1,000 inserts need.
      for (let i = 100; i < 1100; i++) other.set(`k${i}`, i);
      loaded.delete("k0");
      assert.equal(loaded.size, 1099);
      assert.equal(loaded.get("k1099"), 1099);
      assert.equal(other.get("k0"), undefined);
      checkInvariants(loaded);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("load and fromBytes check shared as make does: a boolean, or a TypeError before the file is read", () => {
  const bytes = GoMap.make(t.u32, t.u32).set(1, 2).toBytes();
  assert.throws(() => GoMap.fromBytes(bytes, t.u32, t.u32, { shared: "yes" } as unknown as object), {
    name: "TypeError",
    message: "gomap: shared must be a boolean, got string",
  });
  assert.throws(() => GoMap.load("/nonexistent/x.gomap", t.u32, t.u32, { shared: 1 } as unknown as object), {
    name: "TypeError",
    message: "gomap: shared must be a boolean, got number",
  });
  // A nil map's snapshot loads as a nil map, shared or not: it has no heap to share.
  assert.equal(GoMap.fromBytes(GoMap.nil(t.u32, t.u32).toBytes(), t.u32, t.u32, { shared: true }).isNil, true);
  // maxBytes bounds a shared load as it bounds make's shared heap.
  const big = GoMap.make(t.u32, t.u32, { hint: 10_000 });
  assert.throws(() => GoMap.fromBytes(big.toBytes(), t.u32, t.u32, { shared: true, maxBytes: 4096 }), { name: "HeapExhaustedError" });
  const loaded = GoMap.fromBytes(big.set(1, 1).toBytes(), t.u32, t.u32, { shared: true, maxBytes: 1 << 20 });
  assert.equal(loaded.isShared, true);
  assert.equal(loaded.get(1), 1);
});
