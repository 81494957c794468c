// Tests of src/cli/format.ts: sizes in B, KiB and MiB with their thresholds, plurals, and a
// map's stats as the lines `gomap inspect` prints (the seed's line only when the stats have
// it; no histograms for a map with no bucket array).
import assert from "node:assert/strict";
import test from "node:test";
import { bytes, escapeControls, json, plural, statsLines } from "../../src/cli/format.js";
import { GoMap } from "../../src/gomap.js";
import { types as t } from "../../src/types/index.js";

test("format: bytes below 1024 are B, below 1 MiB KiB, then MiB", () => {
  assert.equal(bytes(0), "0 B");
  assert.equal(bytes(1023), "1023 B");
  assert.equal(bytes(1024), "1.0 KiB");
  assert.equal(bytes(1536), "1.5 KiB");
  assert.equal(bytes(2 ** 20 - 1), "1024.0 KiB");
  assert.equal(bytes(2 ** 20), "1.0 MiB");
  assert.equal(bytes(3.25 * 2 ** 20), "3.3 MiB");
});

test("format: plural", () => {
  assert.equal(plural(1, "bucket"), "1 bucket");
  assert.equal(plural(0, "bucket"), "0 buckets");
  assert.equal(plural(1234, "entry", "entries"), "1,234 entries");
});

test("format: statsLines: the seed's line only with { seed: true }; histograms only for a map with buckets", () => {
  const m = GoMap.make(t.u32, t.u32, { seed: 0xab });
  const empty = statsLines(m.inspect({ seed: true }));
  assert.ok(empty.includes("hash0 0x000000ab"), empty.join("\n"));
  assert.equal(empty.some((l) => l.startsWith("chain lengths") || l.startsWith("slots used")), false, "no bucket array: no histograms");
  for (let k = 0; k < 20; k++) m.set(k, k);
  const lines = statsLines(m.inspect());
  assert.equal(lines.some((l) => l.startsWith("hash0")), false);
  assert.ok(lines.some((l) => l.startsWith("chain lengths")));
  assert.ok(lines.some((l) => l.startsWith("slots used")));
  assert.equal(statsLines(GoMap.nil(t.u32, t.u32).inspect()).some((l) => l.startsWith("chain lengths")), false, "nor for a nil map");
});

test("format: json escapes DEL, C1 and bidi controls and stays the same JSON; escapeControls also escapes C0, tab and line break included", () => {
  const s = "x\u007f\u0080\u009b\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u00a0é";
  const text = json({ [s]: s });
  assert.doesNotMatch(text, /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u);
  assert.deepEqual(JSON.parse(text), { [s]: s });
  assert.ok(text.includes("\u00a0é"), "printable characters past the controls stay as they are");
  assert.equal(escapeControls("a\u001b[2J\tb\nc\u009bd\u202e"), "a\\u001b[2J\\u0009b\\u000ac\\u009bd\\u202e");
});
