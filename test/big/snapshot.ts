// The large-snapshot test (npm run test:big, GOMAP_BIG=1): a map whose heap is past 2 GiB,
// which no single Node read or write call can move, saved to a file and loaded back through
// the chunked paths of src/snapshot/file.ts. uint32 -> [128]byte with a hint of 13,600,000
// entries makes a bucket array of 2^21 buckets (plus its overflow pool) of 1,072 bytes each:
// 2.39 GB before a single entry. A few hundred thousand entries then check that what comes
// back is the map that went out.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { GoMap, types as t } from "../../src/index.js";

const skip = process.env.GOMAP_BIG === "1" ? false : "large-snapshot test: run with npm run test:big";
const GiB = 2 ** 30;

function value(i: number): Uint8Array {
  const v = new Uint8Array(128);
  new DataView(v.buffer).setUint32(0, i, true);
  v[127] = i & 0xff;
  return v;
}

test("a map of more than 2 GiB saves to a file and loads back", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "gomap-big-"));
  try {
    const m = GoMap.make(t.u32, t.bytes(128), { hint: 13_600_000 });
    const n = 300_000;
    for (let i = 0; i < n; i++) m.set(Math.imul(i, 0x9e3779b1) >>> 0, value(i));
    assert.ok(m.inspect().heap.top > 2 * GiB, `heap of ${m.inspect().heap.top} bytes`);
    const path = join(dir, "big.gomap");
    m.save(path);
    assert.ok(statSync(path).size > 2 * GiB);
    const back = GoMap.load(path, t.u32, t.bytes(128));
    assert.equal(back.size, n);
    assert.equal(back.inspect().B, m.inspect().B);
    for (let i = 0; i < n; i += 101) assert.deepEqual(back.get(Math.imul(i, 0x9e3779b1) >>> 0), value(i));
    assert.equal(back.get(Math.imul(n, 0x9e3779b1) >>> 0), undefined);
    back.set(1, value(1));
    assert.deepEqual(back.get(1), value(1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
