// Tests of src/cli/progress.ts with a fake terminal and clock: nothing when the stream is not
// a terminal, nothing in the first second, then a bar redrawn at most ten times a second,
// cut to the terminal's width, and erased by done().
import assert from "node:assert/strict";
import test from "node:test";
import { Progress, SHOW_AFTER_MS } from "../../src/cli/progress.js";

function fake(isTTY: boolean, columns = 80): { stream: { isTTY: boolean; columns: number; write(s: string): void }; out: string[] } {
  const out: string[] = [];
  return { stream: { isTTY, columns, write: (s: string) => void out.push(s) }, out };
}

test("progress: not a terminal: never writes", () => {
  let now = 0;
  const { stream, out } = fake(false);
  const p = new Progress("x", { stream, now: () => now });
  for (now = 0; now < 5000; now += 50) p.update(now, 5000);
  p.done();
  assert.deepEqual(out, []);
});

test("progress: a terminal: silent for a second, then a bar at most every 100 ms, erased at the end", () => {
  let now = 1000;
  const { stream, out } = fake(true);
  const p = new Progress("bench", { stream, now: () => now });
  p.update(1, 10, "first");
  now += SHOW_AFTER_MS - 1;
  p.update(2, 10);
  assert.deepEqual(out, [], "nothing within the first second");
  now += 1;
  p.update(5, 10, "u32 GoMap");
  assert.deepEqual(out, ["\rbench [############............] 5/10 1s u32 GoMap\x1b[K"]);
  now += 50;
  p.update(6, 10);
  assert.equal(out.length, 1, "not redrawn within 100 ms");
  now += 50;
  p.update(10, 10);
  assert.equal(out[1], "\rbench [########################] 10/10 1s\x1b[K");
  p.done();
  assert.equal(out[2], "\r\x1b[K");
  p.done();
  assert.equal(out.length, 3, "erased once");
});

test("progress: the line is cut to the terminal's width", () => {
  let now = 0;
  const { stream, out } = fake(true, 30);
  const p = new Progress("label", { stream, now: () => now });
  now = 2000;
  p.update(1, 3, "a long note that would wrap");
  assert.equal(out[0], "\r" + "label [########................] 1/3 2s a long note".slice(0, 29) + "\x1b[K");
});

test("progress: a terminal that reports 0 columns (a pty with no window size, as under script(1)) gets the whole line, as one of unknown width", () => {
  let now = 0;
  const { stream, out } = fake(true, 0);
  const p = new Progress("inspect", { stream, now: () => now });
  now = 2000;
  p.update(2, 4, "lines");
  assert.equal(out[0], "\rinspect [############............] 2/4 2s lines\x1b[K");
});

test("progress: a line exactly as long as the terminal is cut by one column (the last one would wrap); one shorter is whole", () => {
  const whole = "label [############............] 1/2 2s";
  for (const [columns, shown] of [[whole.length, whole.slice(0, -1)], [whole.length + 1, whole]] as const) {
    let now = 0;
    const { stream, out } = fake(true, columns);
    const p = new Progress("label", { stream, now: () => now });
    now = 2000;
    p.update(1, 2);
    assert.equal(out[0], `\r${shown}\x1b[K`, `${columns} columns`);
  }
});

test("progress: more done than the total (a count that ran past its estimate) draws a full bar, not a RangeError", () => {
  let now = 0;
  const { stream, out } = fake(true);
  const p = new Progress("x", { stream, now: () => now });
  now = 2000;
  p.update(50, 40);
  assert.equal(out[0], "\rx [########################] 50/40 2s\x1b[K");
});
