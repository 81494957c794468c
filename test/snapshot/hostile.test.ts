// Hostile snapshot bytes, fuzzed (cases in hostile.ts, run in a worker by hostile-worker.ts):
// every load either throws SnapshotError or gives a map that is consistent with itself and
// then agrees with a model seeded from its own iteration through every kind of operation.
// A watchdog ends the worker when one case runs too long, so an endless loop in the checks
// or the runtime fails the test with the case that hung instead of stalling the suite.
// FUZZ_RUNS_FACTOR=n runs n times more cases; FUZZ_SEED=s picks another seed.
import assert from "node:assert/strict";
import test from "node:test";
import { Worker } from "node:worker_threads";
import type { HostileData } from "./hostile-worker.js";

const factor = Number(process.env.FUZZ_RUNS_FACTOR ?? 1);
const seed = process.env.FUZZ_SEED === undefined ? 20261207 : Number(process.env.FUZZ_SEED);
/** A case taking longer than this (ms) is a hang. */
const CASE_LIMIT = Number(process.env.FUZZ_CASE_LIMIT ?? 20_000);

interface Report {
  error?: string;
  hung?: string;
  outcomes?: [string, number][];
}

function fuzz(data: HostileData): Promise<Report> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./hostile-worker.js", import.meta.url), { workerData: data });
    let last = "(before the first case)";
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        resolve({ hung: last });
      }, CASE_LIMIT);
    };
    arm();
    worker.on("message", (m: { desc?: string; case?: number; error?: string; done?: boolean; outcomes?: [string, number][] }) => {
      if (m.desc !== undefined) {
        last = `case ${m.case}: ${m.desc}`;
        arm();
      } else if (m.error !== undefined || m.done === true) {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ error: m.error, outcomes: m.outcomes });
      }
    });
    worker.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

test("fuzz: hostile snapshot bytes give SnapshotError or a map that behaves, never a hang", async () => {
  const r = await fuzz({ seed, runs: 2000 * factor });
  assert.equal(r.hung, undefined, `a case ran for more than ${CASE_LIMIT} ms: ${r.hung}`);
  assert.equal(r.error, undefined, r.error);
  if (process.env.FUZZ_VERBOSE) for (const [k, n] of r.outcomes ?? []) console.log(`${n}\t${k}`);
  // The fuzz must reach both sides: refusals, and maps that loaded despite edits.
  const loaded = (r.outcomes ?? []).filter(([k]) => k.endsWith(": loaded")).reduce((s, [, n]) => s + n, 0);
  const refused = (r.outcomes ?? []).filter(([k]) => k.includes("refused")).reduce((s, [, n]) => s + n, 0);
  assert.ok(loaded > 0 && refused > 0, `loaded ${loaded}, refused ${refused}`);
});
