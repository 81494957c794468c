// Every lesson runs to its end on the real library, its failing steps fail as the lesson
// says (and only those), and the grow lesson does take the map from B=0 to B=3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "../../src/index.js";
import { explain } from "../../web/explain.js";
import { LESSONS } from "../../web/lessons.js";
import { Session } from "../../web/session.js";

for (const lesson of LESSONS) {
  test(`lesson "${lesson.title}" runs, failing exactly where it says`, () => {
    const s = new Session(0x5eed);
    s.load(lesson.steps);
    lesson.steps.forEach((step, i) => {
      s.goto(i + 1);
      assert.equal(s.last?.error !== null, step.fails === true, `step ${i + 1} (${step.src}): ${s.last?.error?.message}`);
    });
  });
}

test("the grow lesson doubles B=0 -> 3 and shows evacuation in progress", () => {
  const lesson = LESSONS.find((l) => l.id === "grow")!;
  const s = new Session(0x5eed);
  s.load(lesson.steps);
  const Bs = new Set<number>();
  let sawGrowing = false;
  for (let i = 1; i <= lesson.steps.length; i++) {
    s.goto(i);
    const st = inspect.map(s.interp.mapNamed("m")!.m);
    Bs.add(st.B);
    if (st.growing && st.B === 3) sawGrowing = true;
  }
  assert.deepEqual([...Bs].sort(), [0, 1, 2, 3]);
  assert.ok(sawGrowing, "a step shows the B=2 -> 3 growth in progress");
});

test("the struct lesson's refusals and results are Go's", () => {
  const lesson = LESSONS.find((l) => l.id === "structs")!;
  const s = new Session(1);
  s.load(lesson.steps);
  s.goto(4);
  assert.equal(s.last?.error?.message, 'cannot assign to struct field users["alice"].Age in map');
  s.goto(7);
  assert.deepEqual(s.last?.out, ["{30 1.5}"]);
  s.goto(lesson.steps.length);
  assert.deepEqual(s.last?.out, ["{36 9.5}"]);
});

test("the slice lesson shows the map keeping the old header until written back", () => {
  const lesson = LESSONS.find((l) => l.id === "slices")!;
  const s = new Session(1);
  s.load(lesson.steps);
  s.goto(6);
  assert.deepEqual(s.last?.out, ["[maps]"]);
  s.goto(8);
  assert.deepEqual(s.last?.out, ["[maps buckets]"]);
});

test("the grow lesson's notes say what happens with the page's seed", () => {
  const lesson = LESSONS.find((l) => l.id === "grow")!;
  const s = new Session(0x5eed);
  s.load(lesson.steps);
  const step = (src: string): { over: boolean; growing: boolean; evacuated: boolean } => {
    s.goto(lesson.steps.findIndex((x) => x.src === src) + 1);
    const m = s.interp.mapNamed("m")!.m;
    const text = explain(s.last!, inspect.map(m));
    return { over: /The growth is over/.test(text), growing: inspect.map(m).growing, evacuated: s.last!.events.some((e) => e.type === "evacuate") };
  };
  assert.deepEqual(step("m[13] = 169"), { over: true, growing: false, evacuated: true }, "this one write moves both old buckets");
  assert.deepEqual(step("m[14] = 196"), { over: false, growing: false, evacuated: false }, "no growth in progress");
  assert.deepEqual(step("m[26] = 676"), { over: false, growing: true, evacuated: true }, "two of the 4 old buckets");
  assert.deepEqual(step("m[27] = 729"), { over: true, growing: false, evacuated: true }, "the last two");
});

test("the order lesson's loops print what its notes say", () => {
  const lesson = LESSONS.find((l) => l.id === "order")!;
  const s = new Session(0x5eed);
  s.load(lesson.steps);
  const abcde = ["a 1", "b 2", "c 3", "d 4", "e 5"];
  const printed = [7, 8, 9].map((n) => {
    s.goto(n);
    return s.last!.out;
  });
  assert.deepEqual(printed, [abcde, abcde, [...abcde.slice(1), "a 1"]]);
  // A loop that prints the order of the one before must not be sold as another order.
  assert.match(lesson.steps[7].note, /^The same order again/);
  assert.doesNotMatch(lesson.steps[8].note, /^The same order/);
});
