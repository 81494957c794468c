// Tests of bench/go/main.go's measurements (the Go side of `npm run bench:go`), at tiny sizes:
// every figure is there and means what the table says. Skipped without Go 1.19 unless
// GOMAP_REQUIRE_GO=1 (test/bench/workload.test.ts checks that Go is there then).
import assert from "node:assert/strict";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../../fidelity/go.js";
import { workloadName } from "../../src/bench/measure.js";
import type { Result } from "../../src/bench/table.js";

const go = findGo();
const skip = go === null && process.env.GOMAP_REQUIRE_GO !== "1" ? "Go 1.19 is not installed (apt-get install golang-1.19-go, or set GOMAP_GO)" : false;

let bin: string | null = null;
function goMeasure(w: "u32" | "string", n: number): Result {
  bin ??= buildGoProgram(go as string, "bench", fileURLToPath(new URL("../../../bench/go", import.meta.url)));
  return JSON.parse(runGoBinary(bin, [w, String(n)], false)) as Result;
}

test("bench go: bytes per entry is not measured ('-') for a tiny map, never a heap shrink read as 2^64 bytes", { skip }, () => {
  // Go's heap moves by a KiB or two between two GCs on its own: below 10,000 entries that is
  // more than the map, and the growth came out negative (1.8e19 bytes an entry, unsigned).
  for (const n of [1, 9, 10, 100, 1000]) {
    for (const w of ["u32", "string"] as const) {
      const r = goMeasure(w, n);
      assert.equal(r.bytesPerEntry, null, `${w} n=${n}: ${r.bytesPerEntry}`);
      for (const x of [r.insert, r.getHit, r.getMiss, r.iterate, r.del]) assert.ok(x > 0 && Number.isFinite(x), `${w} n=${n}`);
    }
  }
});

test("bench go: from 10,000 entries, bytes per entry is the map's: at least its key and value, at most what Go's buckets can take", { skip }, () => {
  // A Go bucket of 8 u32 entries is 80 bytes (10 an entry), of 8 string entries 176 (22); a
  // map holds 3.25 to 6.5 entries a bucket, plus hmap and overflow buckets.
  for (const [w, lo, hi] of [["u32", 10, 40], ["string", 22, 80]] as const) {
    const r = goMeasure(w, 20_000);
    assert.equal(r.workload, workloadName(w, 20_000));
    assert.equal(r.impl as string, "Go");
    assert.ok(r.bytesPerEntry !== null && r.bytesPerEntry >= lo && r.bytesPerEntry <= hi, `${w}: ${r.bytesPerEntry}`);
  }
});

test("bench go: `small` gives the bytes a map of Go's own: a 48-byte hmap, and one 80-byte bucket for 1 to 8 u32 entries", { skip }, () => {
  bin ??= buildGoProgram(go as string, "bench", fileURLToPath(new URL("../../../bench/go", import.meta.url)));
  const small = (w: string, n: number): number => (JSON.parse(runGoBinary(bin as string, ["small", w, String(n)], false)) as { bytesPerMap: number }).bytesPerMap;
  // Go's heap drifts by a KiB or two between GCs; over 10,000 maps that is a fraction of a byte.
  assert.ok(Math.abs(small("u32", 0) - 48) < 1, `${small("u32", 0)}`);
  assert.ok(Math.abs(small("u32", 1) - 128) < 1, `${small("u32", 1)}`);
  assert.ok(Math.abs(small("u32", 8) - 128) < 1);
  assert.ok(Math.abs(small("string", 8) - (48 + 176)) < 1, "a string bucket is 176 bytes");
  assert.ok(small("u32", 100) > 16 * 80, "100 entries take 16 buckets or more");
});
