// Tests of src/sync/handle.ts: every type gomap offers survives encodeType -> structured
// clone -> decodeType (scalars as the package's own descriptors, structs field for field,
// one descriptor per struct code), types without a portable description are refused, and
// malformed handles and codes are TypeErrors that say what was expected.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, Mutex, RWMutex, SyncMap, WaitGroup, types as t } from "../../src/index.js";
import { checkHandle, decodeType, encodeType, HANDLE_VERSION, sharedBuffer } from "../../src/sync/handle.js";
import { hashedBy } from "../../src/testing/hooks.js";
import type { AnyType } from "../../src/types/type.js";

test("handle: scalars and byte arrays decode to the package's own descriptors", () => {
  const all: AnyType[] = [t.bool, t.i8, t.i16, t.i32, t.i64, t.i64.asNumber, t.u8, t.u16, t.u32, t.u64, t.u64.asNumber, t.f32, t.f64, t.string, t.bytes(0), t.bytes(16)];
  for (const type of all) assert.equal(decodeType(structuredClone(encodeType(type))), type, type.name);
});

test("handle: a struct decodes to one descriptor with the same fields, offsets and size", () => {
  const Inner = t.struct({ x: t.f32, tag: t.string });
  const S = t.struct({ b: t.u8, inner: Inner, n: t.i64, id: t.bytes(3), 2: t.u16 });
  const code = structuredClone(encodeType(S));
  const D = decodeType(code) as typeof S;
  assert.equal(D.size, S.size);
  assert.deepEqual(D.fields.map((f) => [f.name, f.offset, f.type.name]), S.fields.map((f) => [f.name, f.offset, f.type.name]));
  assert.equal(decodeType(structuredClone(code)), D, "one descriptor per code in a thread");
});

test("handle: a type with no portable description is refused when shared", () => {
  assert.throws(() => encodeType(hashedBy(t.u32, () => 1n)), (e) => e instanceof TypeError && /can't be sent/.test(e.message));
  assert.throws(() => encodeType(t.struct({ k: hashedBy(t.string, () => 1n) })), TypeError);
  assert.throws(() => encodeType(hashedBy(t.bytes(4), () => 1n)), (e) => e instanceof TypeError && /can't be sent/.test(e.message), "a byte array hashed otherwise is not bytes(4)");
});

test("handle: malformed codes and handles are TypeErrors naming what was expected", () => {
  for (const bad of [null, 5, {}, { kind: "u128" }, { kind: "bytes" }, { kind: "struct" }, { kind: "struct", fields: [[1, { kind: "u8" }]] }]) {
    assert.throws(() => decodeType(bad), TypeError, JSON.stringify(bad));
  }
  assert.throws(() => decodeType({ kind: "bytes", n: -1 }), RangeError);
  assert.throws(() => decodeType({ kind: "bytes", n: "4" }), { name: "TypeError", message: "gomap: attach: a bytes type code needs its length n" });
  const h = { handle: "gomap.Mutex", version: HANDLE_VERSION, lock: new SharedArrayBuffer(8), other: new ArrayBuffer(8) };
  assert.equal(checkHandle(h, "gomap.Mutex"), h);
  assert.throws(() => checkHandle(h, "gomap.GoMap"), /expected a gomap.GoMap handle, got a gomap.Mutex handle/);
  assert.throws(() => checkHandle({ ...h, version: 2 }, "gomap.Mutex"), /version 2/);
  assert.throws(() => checkHandle(undefined, "gomap.Mutex"), TypeError);
  assert.equal(sharedBuffer(h, "lock", "gomap.Mutex"), h.lock);
  assert.throws(() => sharedBuffer(h, "other", "gomap.Mutex"), /must be a SharedArrayBuffer/);
});

test("handle: posting a map or a lock itself fails at once, naming what to post instead", () => {
  // Before, a map's DataCloneError quoted the source of an internal function, and a Mutex,
  // RWMutex or WaitGroup was copied into a plain object with no methods, which failed only
  // when the worker called lock() on it.
  const { port1, port2 } = new MessageChannel();
  try {
    for (const [x, what, post] of [
      [GoMap.make(t.u32, t.u32), "a GoMap", "m.share()"],
      [GoMap.make(t.u32, t.u32, { shared: true }), "a GoMap", "m.share()"],
      [GoMap.nil(t.u32, t.u32), "a GoMap", "m.share()"],
      [SyncMap.make(t.u32, t.u32), "a SyncMap", "s.share()"],
      [new Mutex(), "a Mutex", "mu.share()"],
      [new RWMutex(), "an RWMutex", "rw.share()"],
      [new WaitGroup(), "a WaitGroup", "wg.share()"],
    ] as const) {
      const want = (e: unknown): boolean =>
        e instanceof Error && e.name === "DataCloneError" && e.message.startsWith(`Symbol(gomap: ${what} can't be posted to another thread; `) && e.message.includes(post);
      assert.throws(() => port1.postMessage({ x }), want, what);
      assert.throws(() => structuredClone(x), want, what);
    }
  } finally {
    port1.close();
    port2.close();
  }
});
