// The worker half of hostile.test.ts: runs the hostile-bytes fuzz (hostile.ts) with the
// seed and number of runs it is given, and posts a message before every case, so that the
// test's watchdog can name the case a hang happened in. Does nothing when run on the main
// thread (the test runner loads every file under test/).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import fc from "fast-check";
import { seedFastrand } from "../../src/hash/rand.js";
import { edit, makeBases, op, runCase } from "./hostile.js";

export interface HostileData {
  seed: number;
  runs: number;
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { seed, runs } = workerData as HostileData;
  seedFastrand(seed);
  const bases = makeBases();
  const outcomes = new Map<string, number>();
  let n = 0;
  try {
    // Each base, unedited, loads (with the key type its loads pass) and behaves: a refusal of
    // a good file would otherwise pass for a right answer below.
    for (const base of bases) {
      port.postMessage({ case: 0, desc: `unedited ${base.name}` });
      const got = runCase(base, [], true, [{ op: "grow", times: 2 }, { op: "roundtrip" }]);
      if (!got.startsWith("loaded")) throw new Error(`the unedited base ${base.name} did not load: ${got}`);
    }
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 9 }),
        fc.array(op, { maxLength: 30 }),
        (bi, edits, sealRoll, ops) => {
          const base = bases[bi];
          const seal = sealRoll !== 0;
          port.postMessage({ case: ++n, desc: JSON.stringify({ base: base.name, seal, edits, ops }, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)) });
          const got = runCase(base, edits, seal, ops);
          const key = `${base.name}: ${got}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        },
      ),
      { seed, numRuns: runs },
    );
    port.postMessage({ done: true, outcomes: [...outcomes] });
  } catch (err) {
    // fast-check's report, then the property's own error (its cause), with its stack.
    const cause = err instanceof Error ? (err.cause as Error | undefined) : undefined;
    port.postMessage({ error: `${err instanceof Error ? err.message : String(err)}\n${cause?.stack ?? String(cause)}` });
  }
}
