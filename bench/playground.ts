// `npm run bench:playground`: what the playground's honest replay costs. Stepping back
// re-runs the history from the start (web/session.ts), so the time of a full replay is the
// delay a student sees per step; the table gives it for histories of single inserts and for
// one "insert 1000 random keys" step, and the cost of finding the touched slot (locate) in a
// big map. `--quick` uses the smallest history only. ms, best of 5 runs, after a warm-up.
import { inspect } from "../src/index.js";
import { locate } from "../web/locate.js";
import { Session } from "../web/session.js";
import { flags } from "./flags.js";

const quick = flags("bench:playground", { quick: "boolean" }).quick === true;
const RUNS = 5;

function best(fn: () => void): number {
  fn();
  let min = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function history(steps: number): Session {
  const s = new Session(1);
  s.submit("m := make(map[int]int)");
  for (let i = 0; i < steps; i++) s.submit(`m[${i}] = ${i}`);
  return s;
}

console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ms, best of ${RUNS}`);
console.log("| workload | ms |\n|---|---:|");
for (const steps of quick ? [100] : [100, 1000, 5000]) {
  const s = history(steps);
  const replay = (): void => {
    s.goto(0);
    s.goto(s.steps.length);
  };
  console.log(`| replay ${steps} single-insert steps from the start | ${best(replay).toFixed(2)} |`);
}
if (!quick) {
  const s = new Session(2);
  s.submit("m := make(map[uint32]uint32)");
  s.randomKeys(1000, 1);
  const replay = (): void => {
    s.goto(0);
    s.goto(2);
  };
  console.log(`| replay one "insert 1000 random keys" step from the start | ${best(replay).toFixed(2)} |`);
  s.randomKeys(9000, 2);
  s.goto(3);
  const m = s.interp.mapNamed("m")!.m;
  const key = [...m.keys()][0];
  console.log(`| locate one key in a map of ${m.size} keys (B=${inspect.map(m).B}) | ${best(() => locate(m, key)).toFixed(2)} |`);
}
