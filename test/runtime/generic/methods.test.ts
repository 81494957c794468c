// Tests of src/runtime/generic/methods.ts as V8 runs it: what the inlining budget its header
// and docs/performance.md describe gives a program that calls the methods in a hot loop.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import test from "node:test";

test("methods: a u32 lookup that has seen misses still inlines into a hot loop, whose [v, ok] pair is then never allocated", () => {
  // A program's lookups hit and miss. Once lookup has met a miss, its own optimised code
  // holds the zero value's path too, and V8 inlines it into a caller's loop only if all of it
  // fits the loop's budget (docs/performance.md, "`lookup`, and the budget"). Inlined, the pair
  // a destructuring loop takes apart is never made; called, each lookup allocates one, and
  // 2e6 of them fill the young generation several times over. V8 counts collections through
  // --trace-gc, in a child process started with it (and --allow-natives-syntax, so that
  // lookup is optimised on its own first, as a program's first uses of it make it).
  const script = `
    const { GoMap, types: t } = await import(${JSON.stringify(new URL("../../../src/index.js", import.meta.url).href)});
    const m = GoMap.make(t.u32, t.u32);
    for (let i = 0; i < 1000; i++) m.set(i, i + 1);
    const lookup = m.lookup;
    %PrepareFunctionForOptimization(lookup);
    for (let i = 0; i < 100; i++) { m.lookup(i); m.lookup(5000 + i); }
    %OptimizeFunctionOnNextCall(lookup);
    m.lookup(1);
    function loop(n) {
      let s = 0;
      for (let i = 0; i < n; i++) { const [v, ok] = m.lookup(i & 2047); s += ok ? v : 1; }
      return s;
    }
    %PrepareFunctionForOptimization(loop);
    loop(3000);
    loop(3000);
    %OptimizeFunctionOnNextCall(loop);
    loop(3000);
    console.log("@@loop");
    const s = loop(2e6);
    console.log("@@end " + JSON.stringify({ s, optimised: (%GetOptimizationStatus(loop) & 16) !== 0 }));
  `;
  const out = execFileSync(process.execPath, ["--allow-natives-syntax", "--trace-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  const during = out.slice(out.indexOf("@@loop"), out.indexOf("@@end"));
  const end = JSON.parse(out.slice(out.indexOf("@@end") + 6).split("\n")[0]) as { s: number; optimised: boolean };
  // Keys 0..999 hit (value i + 1), 1000..2047 miss (zero value, counted as 1).
  let want = 0;
  for (let i = 0; i < 2e6; i++) want += (i & 2047) < 1000 ? (i & 2047) + 1 : 1;
  assert.equal(end.s, want);
  assert.equal(end.optimised, true, "the loop stays optimised");
  const scavenges = during.split("\n").filter((l) => l.includes("Scavenge")).length;
  assert.ok(scavenges < 10, `young-generation collections during 2e6 lookups: ${scavenges} (each lookup allocated its pair)`);
});
