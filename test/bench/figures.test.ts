// The README's benchmark tables agree with themselves: every ratio it prints is the ratio of the
// figures it prints beside it, to within their rounding. The Racing Go table's gomap/Go and
// Map/Go ratios against the Benchmarks section's full rows (bench:go prints both from the same
// results, unrounded), bench:shared's "SyncMap / owner+Map" column against its own columns, and
// bench:trace's "vs off" against its ns. A row copied from one run beside ratios from another,
// or a figure mistyped in one table, shows here. (The prose's figures are checked by reading.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

/** The lines of the first ``` block after the heading. */
function block(heading: string): string[] {
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README has no heading ${heading}`);
  const start = readme.indexOf("\n```\n", at);
  const end = readme.indexOf("\n```\n", start + 5);
  assert.ok(start >= 0 && end > start, `no code block after ${heading}`);
  return readme.slice(start + 5, end).split("\n");
}

/** The cells of a Markdown table row. */
const cells = (line: string): string[] => line.split("|").slice(1, -1).map((c) => c.trim());

/** A printed figure as the interval it was rounded from: `digits` decimals. */
function interval(text: string, digits = (text.split(".")[1] ?? "").length): [number, number] {
  const x = Number(text);
  assert.ok(Number.isFinite(x), `a figure: ${text}`);
  const half = 0.5 * 10 ** -digits;
  return [x - half, x + half];
}

/** Whether the printed ratio r can be a/b for some a, b within their rounding. */
function ratioFits(r: string, a: [number, number], b: [number, number]): boolean {
  const [rlo, rhi] = interval(r);
  return a[0] / b[1] <= rhi && a[1] / b[0] >= rlo;
}

test("README figures: Racing Go's ratios are the ratios of the Benchmarks rows", () => {
  const COLUMNS = 6;
  const rows = new Map<string, string[]>();
  for (const line of block("## Benchmarks")) {
    const c = cells(line);
    if (c.length === 2 + COLUMNS && /^(u32|string)->u32 n=/.test(c[0])) rows.set(`${c[0]}|${c[1]}`, c.slice(2));
  }
  let checked = 0;
  for (const line of block("### Racing Go")) {
    const c = cells(line);
    if (c.length !== 2 + COLUMNS || !/^(gomap|Map)\/Go$/.test(c[1])) continue;
    const impl = c[1] === "gomap/Go" ? "GoMap" : "Map";
    const mine = rows.get(`${c[0]}|${impl}`);
    const go = rows.get(`${c[0]}|Go`);
    assert.ok(mine !== undefined && go !== undefined, `Benchmarks has the ${impl} and Go rows of ${c[0]}`);
    for (let i = 0; i < COLUMNS; i++) {
      const r = c[2 + i];
      if (r === "-") {
        assert.ok(mine[i] === "-" || go[i] === "-", `${c[0]} ${c[1]} column ${i + 1}: '-' where both rows have figures`);
        continue;
      }
      assert.ok(ratioFits(r, interval(mine[i]), interval(go[i])), `${c[0]} ${c[1]} column ${i + 1}: ${r}, but ${mine[i]} / ${go[i]} = ${(Number(mine[i]) / Number(go[i])).toFixed(3)}`);
      checked++;
    }
  }
  assert.equal(checked, 12 * COLUMNS, "every ratio of the three sizes' four rows");
});

test("README figures: bench:shared's SyncMap / owner+Map column is its SyncMap over its owner+Map", () => {
  /** "2.39M" or "36.0k" as an interval of ops/s. */
  const ops = (text: string): [number, number] => {
    const m = /^([\d.]+)([Mk])$/.exec(text);
    assert.ok(m !== null, `ops/s: ${text}`);
    const [lo, hi] = interval(m[1]);
    const unit = m[2] === "M" ? 1e6 : 1e3;
    return [lo * unit, hi * unit];
  };
  let checked = 0;
  for (const line of block("### Benchmark")) {
    const c = cells(line);
    if (c.length !== 6 || !/^[\d.]+x$/.test(c[5])) continue;
    assert.ok(ratioFits(c[5].slice(0, -1), ops(c[2]), ops(c[4])), `${c[0]} ${c[1]} workers: ${c[5]}, but ${c[2]} / ${c[4]}`);
    checked++;
  }
  assert.equal(checked, 12);
});

test("README figures: bench:trace's 'vs off' is each variant's ns against off's", () => {
  const at = readme.indexOf("Figures from `npm run bench:trace`");
  assert.ok(at >= 0);
  const lines = readme.slice(at, readme.indexOf("\n```\n", readme.indexOf("```", at) + 4)).split("\n");
  const rows = lines.map(cells).filter((c) => c.length === 3 && /%$/.test(c[2]));
  const off = rows.find((c) => c[0] === "off");
  assert.ok(off !== undefined && rows.length === 3);
  for (const c of rows) {
    const [a, b] = [interval(c[1]), interval(off[1])];
    const [lo, hi] = interval(c[2].slice(0, -1));
    assert.ok((a[0] / b[1] - 1) * 100 <= hi && (a[1] / b[0] - 1) * 100 >= lo, `${c[0]}: ${c[2]}, but ${c[1]} against ${off[1]}`);
  }
});
