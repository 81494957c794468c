// Tests of web/explain.ts: the explanation line names the slot a step touched, the growth a
// write started (load factor, new B) and the buckets it evacuated, and sums up long runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "../../src/index.js";
import { explain } from "../../web/explain.js";
import { Session } from "../../web/session.js";

function line(s: Session): string {
  const m = s.interp.mapNamed("m")!.m;
  return explain(s.last!, m.isNil ? null : inspect.map(m));
}

test("an insert names its bucket, slot and tophash", () => {
  const s = new Session(1);
  s.submit('m := make(map[string]int); m["a"] = 1');
  assert.match(line(s), /^m\["a"\] = 1: new key "a" in bucket 0, slot 0 \(tophash 0x[0-9a-f]{2}\)\.$/);
  s.submit('m["a"] = 2');
  assert.match(line(s), /key "a" was there, in bucket 0, slot 0 .*; value replaced\./);
  s.submit('m["q"]');
  assert.match(line(s), /"q" is not in the map: the zero value, and ok = false/);
  s.submit('delete(m, "a")');
  assert.match(line(s), /deleted "a" from bucket 0, slot 0 .*the slot is now empty/);
});

test("the write that passes 6.5 a bucket: load factor, new B and the evacuation", () => {
  const s = new Session(2);
  s.submit("m := make(map[int]int)");
  for (let i = 0; i < 26; i++) s.submit(`m[${i}] = 0`);
  s.submit("m[26] = 0");
  const text = line(s);
  assert.match(text, /Load factor 6\.75 > 6\.5: growing to B=3, 8 new buckets\./);
  assert.match(text, /Evacuating bucket \d into X=\d and Y=\d \(\d+ to X, \d+ to Y\)/);
  assert.match(text, /Growing \(doubling\): nevacuate=\d, \d of 4 old buckets left/);
});

test("a range says how many entries it visited", () => {
  const s = new Session(5);
  s.submit("m := make(map[int]int); m[1] = 1; m[2] = 2; m[3] = 3");
  s.submit("for k, v := range m");
  assert.match(line(s), /^for k, v := range m: 3 entries visited, starting at a random bucket and slot/);
});

test("clear and long runs are summed up", () => {
  const s = new Session(3);
  s.submit("m := make(map[uint32]uint32)");
  s.randomKeys(1000, 9);
  assert.match(line(s), /8 growths, B 0 → 8; \d+ old buckets evacuated; \d+ overflow buckets linked\./);
  s.submit("clear(m)");
  assert.match(line(s), /clear removed \d+ entries and kept the 256 buckets \(B=8\)\./);
});

test("a failing lesson step explains its error", () => {
  const s = new Session(4);
  s.load([{ src: "var m map[int]int", note: "" }, { src: "m[1] = 1", note: "", fails: true }]);
  s.goto(2);
  assert.equal(explain(s.last!, null), "m[1] = 1: assignment to entry in nil map");
});

test("the write that evacuates the last old bucket says the growth is over", () => {
  const s = new Session(2);
  s.submit("m := make(map[int]int)");
  for (let i = 0; i < 9; i++) s.submit(`m[${i}] = 0`);
  assert.match(line(s), /growing to B=1, 2 new buckets\. Evacuating bucket 0 .* The growth is over: every old bucket is evacuated and the old array is freed\.$/);
  let i = 9;
  for (; i < 27; i++) s.submit(`m[${i}] = 0`);
  assert.match(line(s), /growing to B=3/);
  while (inspect.map(s.interp.mapNamed("m")!.m).growing) {
    assert.doesNotMatch(line(s), /growth is over/);
    s.submit(`m[${i++}] = 0`);
  }
  assert.match(line(s), /The growth is over/);
  s.submit(`m[${i}] = 0`);
  assert.doesNotMatch(line(s), /growth is over/, "only the step that ends it says so");
});
