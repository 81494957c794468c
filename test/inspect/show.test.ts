// Tests of src/inspect/show.ts: the shape util.inspect gives gomap's maps. An empty map is
// `head {}`; entries go on one line while it fits in breakLength, else one a line (an entry
// that is itself several lines is indented with it); what is left out is counted, or named by
// a phrase; entries are inspected one level deeper than the map; maxArrayLength picks how many.
import assert from "node:assert/strict";
import test from "node:test";
import { inspect } from "node:util";
import { entriesToShow, showEntries } from "../../src/inspect/show.js";
import type { InspectFn, InspectStyle } from "../../src/inspect/show.js";

const node: InspectFn = (v, o) => inspect(v, o);

test("show: empty, one line, and the count of what is left out", () => {
  assert.equal(showEntries("M", [], 0, 2, {}, node), "M {}");
  assert.equal(showEntries("M", [[1, "a"]], 0, 2, {}, node), "M { 1 => 'a' }");
  assert.equal(showEntries("M", [[1, 2]], 1, 2, {}, node), "M { 1 => 2, ... 1 more item }");
  assert.equal(showEntries("M", [[1, 2]], 5, 2, {}, node), "M { 1 => 2, ... 5 more items }");
  assert.equal(showEntries("M", [], 3, 2, {}, node), "M { ... 3 more items }", "maxArrayLength 0 shows only the count");
  assert.equal(showEntries("M", [[1, 2]], "... more items", 2, {}, node), "M { 1 => 2, ... more items }");
});

test("show: the one-line length leaves out colour codes, so a terminal shows short maps on one line as Map", () => {
  const coloured = (v: unknown): string => `\x1b[33m${String(v)}\x1b[39m`;
  const entries: [unknown, unknown][] = [[1, 2], [3, 4]];
  assert.equal(showEntries("GoMap(2) [map[uint32]uint32]", entries, 0, 2, { breakLength: 50 }, coloured).includes("\n"), false);
});

test("show: past breakLength, one entry a line; a multi-line entry is indented with its line", () => {
  const entries: [unknown, unknown][] = [["alpha", 1], ["beta", 2]];
  assert.equal(showEntries("M", entries, 0, 2, { breakLength: 10 }, node), "M {\n  'alpha' => 1,\n  'beta' => 2\n}");
  assert.equal(showEntries("M", entries, 0, 2, { breakLength: 80 }, node), "M { 'alpha' => 1, 'beta' => 2 }");
  const tall = (v: unknown) => (typeof v === "object" ? "{\n  x: 1\n}" : String(v));
  assert.equal(showEntries("M", [["k", {}]], 0, 2, {}, tall), "M {\n  k => {\n    x: 1\n  }\n}");
});

test("show: entries are inspected one level deeper than the map, and maxArrayLength says how many", () => {
  const seen: InspectStyle[] = [];
  const spy: InspectFn = (v, o) => {
    seen.push(o);
    return String(v);
  };
  showEntries("M", [[1, 2]], 0, 2, { depth: 2, breakLength: 50 }, spy);
  assert.deepEqual(seen.map((o) => o.depth), [1, 1]);
  assert.equal(seen[0].breakLength, 50, "the other options go down unchanged");
  // The levels left (Node's first argument), not the caller's whole depth: a map nested two
  // levels down under depth 2 shows its entries' objects as [Object], as a Map does.
  seen.length = 0;
  showEntries("M", [[1, 2]], 0, 0, { depth: 2 }, spy);
  assert.deepEqual(seen.map((o) => o.depth), [-1, -1]);
  seen.length = 0;
  showEntries("M", [[1, 2]], 0, 2, { depth: null }, spy);
  assert.deepEqual(seen.map((o) => o.depth), [null, null], "depth null (no limit) stays null");
  assert.equal(entriesToShow({}), 100);
  assert.equal(entriesToShow({ maxArrayLength: 7 }), 7);
  assert.equal(entriesToShow({ maxArrayLength: null }), 100);
});

test("show: a line exactly breakLength long fits; one character more does not", () => {
  const entries: [unknown, unknown][] = [[1, 2]];
  const line = "M { 1 => 2 }";
  assert.equal(showEntries("M", entries, 0, 2, { breakLength: line.length }, node), line);
  assert.equal(showEntries("M", entries, 0, 2, { breakLength: line.length - 1 }, node), "M {\n  1 => 2\n}");
});
