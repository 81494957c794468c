// Tests of bench/soak.ts's command line (`npm run soak -- --minutes N [--seed S]`, which CI
// runs for two minutes): a run of a fraction of a minute does operations and says so, one round
// at least even if its time is up before the loop first looks at the clock, and a
// minutes or seed value that is not a number, a flag missing its value or an unknown flag is
// refused with exit code 2 before anything runs (a run of NaN minutes did nothing and passed).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";

const SOAK = fileURLToPath(new URL("../../bench/soak.js", import.meta.url));

/** Runs soak.js with `args`, after the module code `preload` if given. */
function soak(args: string[], preload?: string) {
  const node = preload === undefined ? [] : ["--import", `data:text/javascript,${encodeURIComponent(preload)}`];
  // The timeout only guards a broken refusal from running the default minute.
  return spawnSync(process.execPath, [...node, SOAK, ...args], { encoding: "utf8", timeout: 30_000 });
}

/** Asserts that a run with seed 7 ended well, having done operations and round trips. */
function assertRan(r: ReturnType<typeof soak>): void {
  assert.equal(r.status, 0, r.stderr);
  const done = /soak done: (\d+) ops, (\d+) round trips, \d+ writes refused by maxBytes, 0 divergences \(seed 7\)\n$/.exec(r.stdout);
  assert.ok(done !== null, r.stdout);
  assert.ok(Number(done[1]) > 0 && Number(done[2]) > 0, r.stdout);
}

test("soak: a short run does operations and round trips, with the seed it was given", () => {
  const r = soak(["--minutes", "0.002", "--seed", "7"]);
  assert.match(r.stdout, /^soak: 0\.002 minute\(s\), seed 7\n/);
  assertRan(r);
});

test("soak: a run whose time is up at its first check still does one round (on a slow machine the start can take a short run's time)", () => {
  // A clock that runs a minute a reading: the deadline has passed when the loop first looks.
  assertRan(soak(["--minutes", "0.002", "--seed", "7"], "let t = Date.now(); Date.now = () => (t += 60_000);"));
});

test("soak: bad command lines exit 2 naming the problem, with nothing run", () => {
  const cases: [string[], RegExp][] = [
    [["--minutes", "x"], /--minutes must be a number of minutes above 0, got "x"/],
    [["--minutes", "0"], /--minutes must be a number of minutes above 0, got "0"/],
    [["--minutes"], /--minutes needs a value/],
    [["--seed", "abc"], /--seed must be a whole number from 0 to 4294967295, got "abc"/],
    [["--minuets", "1"], /unknown option --minuets/],
    [["5"], /unexpected argument "5"/],
  ];
  for (const [args, msg] of cases) {
    const r = soak(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, msg, args.join(" "));
    assert.match(r.stderr, /usage: npm run soak -- \[--minutes N\] \[--seed S\]/);
  }
});
