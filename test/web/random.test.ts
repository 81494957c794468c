// Tests of web/random.ts: seeded random keys that fit the map's key type, values that fit its
// value type, and a clear refusal when there is no map.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../web/random.js";
import { Session } from "../../web/session.js";

test("mulberry32 repeats for a seed and differs between seeds", () => {
  const a = mulberry32(5);
  const b = mulberry32(5);
  const c = mulberry32(6);
  const xs = [a(), a(), a()];
  assert.deepEqual([b(), b(), b()], xs);
  assert.notDeepEqual([c(), c(), c()], xs);
  for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
});

test("random keys fit the key type: int8 keys stay in range, strings are 5 letters", () => {
  const s = new Session(1);
  s.submit("small := make(map[int8]bool)");
  s.randomKeys(1000, 1);
  const small = s.interp.mapNamed("small")!.m;
  assert.ok(small.size <= 256);
  for (const k of small.keys()) assert.ok((k as number) >= -128 && (k as number) <= 127);
  s.submit("words := make(map[string]string)");
  s.randomKeys(50, 2);
  const words = s.interp.mapNamed("words")!.m;
  for (const [k, v] of words) {
    assert.match(k as string, /^[a-z0-9]{5}$/);
    assert.match(v as string, /^v\d+$/);
  }
});

test("counting values wrap to fit narrow value types", () => {
  const s = new Session(1);
  s.submit("m := make(map[uint32]int8)");
  for (let i = 0; i < 3; i++) s.randomKeys(100, i);
  for (const v of s.interp.mapNamed("m")!.m.values()) assert.ok((v as number) >= 0 && (v as number) < 128);
});

test("random keys need a map to go into", () => {
  const s = new Session(1);
  assert.throws(() => s.randomKeys(10, 1), /make a map first/);
  assert.equal(s.steps.length, 0);
});

test("random keys go into the map named, which the drawing then follows, and replay there", () => {
  const s = new Session(1);
  s.submit("a := make(map[int]int); b := make(map[string]int)");
  const r = s.randomKeys(5, 3, "a");
  assert.equal(r.step.src, "insert 5 random keys into a");
  assert.deepEqual([s.interp.mapNamed("a")!.m.size, s.interp.mapNamed("b")!.m.size, s.interp.focus], [5, 0, "a"]);
  s.goto(2);
  s.goto(3);
  assert.deepEqual([s.interp.mapNamed("a")!.m.size, s.interp.focus], [5, "a"]);
  assert.throws(() => s.randomKeys(1, 1, "nope"), /make a map first/);
});

test("the step's touched key says insert only when the last random key was new", () => {
  const s = new Session(1);
  s.submit("m := make(map[bool]int)");
  // Two possible keys: after the first two steps every key drawn is already there.
  const ops: string[] = [];
  for (let i = 0; i < 6; i++) {
    const before = s.interp.mapNamed("m")!.m.size;
    const r = s.randomKeys(1, i);
    const added = s.interp.mapNamed("m")!.m.size > before;
    ops.push(r.touched!.op);
    assert.equal(r.out[0], `m: ${added ? 1 : 0} new key${added ? "" : "s"} of 1 inserted; len(m) = ${s.interp.mapNamed("m")!.m.size}`);
    assert.equal(r.touched!.op, added ? "insert" : "update", `step ${i}`);
  }
  assert.ok(ops.includes("update"), ops.join());
});
