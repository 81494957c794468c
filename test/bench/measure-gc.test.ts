// Tests of src/bench/measure.ts's garbage collections, apart from measure.test.ts because the
// module must be loaded after globalThis.gc is replaced by a recorder: every implementation's
// timed rounds start on a heap just collected, after the untimed build (as Go's program starts
// its own after runtime.GC), so no collection of the build's garbage (a growing GoMap's
// discarded buffers: hundreds of MB in all at 1e7 entries) falls into a timed round.
import assert from "node:assert/strict";
import test from "node:test";

test("bench measure: GoMap's and Map's timed rounds both start right after a GC that follows the untimed build", async () => {
  const events: string[] = [];
  const g = globalThis as { gc?: () => void };
  const realGc = g.gc;
  const realClock = process.hrtime.bigint;
  g.gc = () => {
    events.push("gc");
    realGc?.();
  };
  try {
    const { measure } = await import("../../src/bench/measure.js");
    const seen: Record<string, string> = {};
    for (const impl of ["GoMap", "Map"] as const) {
      events.length = 0;
      // Only the timed rounds read the clock: events before the first read are the set-up's.
      process.hrtime.bigint = () => {
        events.push("clock");
        return realClock();
      };
      try {
        measure("u32", impl, 2000);
      } finally {
        process.hrtime.bigint = realClock;
      }
      const first = events.indexOf("clock");
      assert.ok(first > 0, `${impl}: some GC before the timing: ${events.slice(0, 5).join(" ")}`);
      seen[impl] = events.slice(0, first).join(" ");
    }
    // One GC for the bytes' baseline before the build, one after the build; the same for both.
    assert.deepEqual(seen, { GoMap: "gc gc", Map: "gc gc" });
  } finally {
    if (realGc === undefined) delete g.gc;
    else g.gc = realGc;
  }
});
