// Tests of src/errors.ts: the three error classes' names, how they relate (GoMapError is an
// Error, StaleRefError a GoMapError, HeapExhaustedError a RangeError and not a GoMapError),
// HeapExhaustedError's fields, message and cause, OwnerDeadError's and SnapshotError's
// fields and messages, noPublicConstructor's TypeError, and that the map throws these classes.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError, HeapExhaustedError, OwnerDeadError, SnapshotError, StaleRefError, noPublicConstructor } from "../src/errors.js";
import { GoMap } from "../src/gomap.js";
import { types as t } from "../src/types/index.js";

test("errors: class names, as name and in toString()", () => {
  const g = new GoMapError("assignment to entry in nil map");
  const s = new StaleRefError("stale");
  const h = new HeapExhaustedError(1, 2, 3);
  assert.deepEqual([g.name, s.name, h.name], ["GoMapError", "StaleRefError", "HeapExhaustedError"]);
  assert.deepEqual([GoMapError.name, StaleRefError.name, HeapExhaustedError.name], ["GoMapError", "StaleRefError", "HeapExhaustedError"]);
  assert.equal(String(g), "GoMapError: assignment to entry in nil map");
  assert.equal(String(s), "StaleRefError: stale");
  assert.match(String(h), /^HeapExhaustedError: gomap: out of memory/);
  assert.match(g.stack ?? "", /^GoMapError: assignment to entry in nil map/);
});

test("errors: instanceof: GoMapError < Error, StaleRefError < GoMapError, HeapExhaustedError < RangeError", () => {
  const g = new GoMapError("x");
  const s = new StaleRefError("x");
  const h = new HeapExhaustedError(1, 2, 3);
  assert.ok(g instanceof Error);
  assert.ok(!(g instanceof RangeError) && !(g instanceof TypeError));
  assert.ok(!(g instanceof StaleRefError));
  assert.ok(s instanceof GoMapError && s instanceof Error);
  assert.ok(h instanceof RangeError && h instanceof Error);
  assert.ok(!(h instanceof GoMapError), "running out of memory is not a Go map fault");
  assert.equal(Object.getPrototypeOf(StaleRefError), GoMapError);
  assert.equal(Object.getPrototypeOf(GoMapError), Error);
  assert.equal(Object.getPrototypeOf(HeapExhaustedError), RangeError);
});

test("errors: HeapExhaustedError carries neededBytes, capacity, maxBytes and its cause", () => {
  const cause = new RangeError("Array buffer allocation failed");
  const e = new HeapExhaustedError(4096, 1024, 2048, cause);
  assert.deepEqual([e.neededBytes, e.capacity, e.maxBytes], [4096, 1024, 2048]);
  assert.equal(e.cause, cause);
  assert.equal(e.message, "gomap: out of memory: the heap needs 4096 bytes, has 1024, may grow to 2048 (Array buffer allocation failed)");
  const plain = new HeapExhaustedError(10, 20, 30);
  assert.equal(plain.message, "gomap: out of memory: the heap needs 10 bytes, has 20, may grow to 30");
  assert.equal(Object.hasOwn(plain, "cause"), false, "no cause, no cause property");
  const odd = new HeapExhaustedError(10, 20, 30, "not an Error");
  assert.equal(odd.cause, "not an Error");
  assert.equal(odd.message, plain.message, "only an Error's message is quoted");
});

test("errors: the map throws them: nil map, stale ref, maxBytes", () => {
  assert.throws(() => GoMap.nil(t.u32, t.u32).set(1, 1), (e: unknown) => e instanceof GoMapError && !(e instanceof StaleRefError) && e.message === "assignment to entry in nil map");
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 1);
  const r = m.ref(1);
  m.delete(1);
  assert.throws(() => r.value, StaleRefError);
  const small = GoMap.make(t.u32, t.string, { maxBytes: 65536 });
  let err: unknown;
  try {
    small.set(1, "y".repeat(100_000));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof HeapExhaustedError, String(err));
  assert.equal(err.maxBytes, 65536);
  assert.ok(err.capacity <= 65536);
  assert.ok(err.neededBytes > 65536);
});

test("errors: OwnerDeadError names the lock and the worker; SnapshotError its code and detail; noPublicConstructor the ways to make one", () => {
  const o = new OwnerDeadError('Mutex "orders"', 7);
  assert.ok(o instanceof GoMapError);
  assert.deepEqual([o.name, o.lock, o.threadId], ["OwnerDeadError", 'Mutex "orders"', 7]);
  assert.equal(o.message, 'gomap: Mutex "orders" is held by worker 7, which has exited; it will never be unlocked');
  const s = new SnapshotError("checksum", "the heap's checksum is 0x1, the header says 0x2");
  assert.ok(s instanceof Error && !(s instanceof GoMapError));
  assert.deepEqual([s.name, s.code, s.detail], ["SnapshotError", "checksum", "the heap's checksum is 0x1, the header says 0x2"]);
  assert.equal(s.message, "gomap: snapshot checksum: the heap's checksum is 0x1, the header says 0x2");
  const n = noPublicConstructor("GoMap", "GoMap.make(K, V)");
  assert.ok(n instanceof TypeError);
  assert.equal(n.message, "gomap: GoMap has no public constructor; make one with GoMap.make(K, V)");
});
