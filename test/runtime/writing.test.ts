// Tests of src/runtime/writing.ts: the hashWriting flag in the hmap header. beginWrite sets it
// and refuses to start while it is set; endWrite clears it and refuses if someone else already
// did; abandonWrite clears it unconditionally. None of them touches the other flag bits.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMapError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { Flag, Hmap } from "../../src/runtime/layout.js";
import { abandonWrite, beginWrite, endWrite } from "../../src/runtime/writing.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";

/** The flags a map may carry besides hashWriting. */
const OTHERS = Flag.iterator | Flag.oldIterator | Flag.sameSizeGrow;

function concurrentWrites(err: unknown): boolean {
  return err instanceof GoMapError && err.message === "concurrent map writes";
}

/** A map's handle with every flag but hashWriting set. */
function handle(): HMap {
  const h = hmapOf(GoMap.make(t.u32, t.u32))!;
  h.heap.u8[Hmap.flags] = OTHERS;
  return h;
}

test("writing: beginWrite sets hashWriting; a second beginWrite throws 'concurrent map writes' and leaves it set", () => {
  const h = handle();
  beginWrite(h);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS | Flag.hashWriting);
  assert.throws(() => beginWrite(h), concurrentWrites);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS | Flag.hashWriting, "the refused write does not toggle the flag off");
  // The map's own writes go through it.
  const m = GoMap.make(t.u32, t.u32);
  const mh = hmapOf(m)!;
  beginWrite(mh);
  assert.throws(() => m.set(1, 1), concurrentWrites);
  assert.equal(m.delete(1), false, "a delete on an empty map returns before the check, as Go's");
  endWrite(mh);
  m.set(1, 1);
  beginWrite(mh);
  assert.throws(() => m.delete(1), concurrentWrites);
  endWrite(mh);
  assert.equal(m.size, 1);
});

test("writing: endWrite clears hashWriting; with the flag already clear it throws and does not set it", () => {
  const h = handle();
  beginWrite(h);
  endWrite(h);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS);
  assert.throws(() => endWrite(h), concurrentWrites);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS, "a refused end does not toggle the flag on");
  beginWrite(h); // a fresh write can start
  assert.equal(h.heap.u8[Hmap.flags], OTHERS | Flag.hashWriting);
});

test("writing: abandonWrite clears hashWriting whether it is set or not, and keeps the other flags", () => {
  const h = handle();
  beginWrite(h);
  abandonWrite(h);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS);
  abandonWrite(h);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS, "abandoning twice does not set it again");
  beginWrite(h);
  endWrite(h);
  assert.equal(h.heap.u8[Hmap.flags], OTHERS);
});
