// The playground's session: statements run on the real library, history replay reproduces
// the same map (same buckets, same iteration order), failures leave the state as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { inspect } from "../../src/index.js";
import { Session } from "../../web/session.js";
import { PlaygroundCompileError, PlaygroundSyntaxError } from "../../web/lang/errors.js";
import { GoMapError } from "../../src/errors.js";

/** Every bucket of the focused map, as inspect.bucket reads it (old array too while growing). */
function picture(s: Session): unknown {
  const m = s.interp.mapNamed(s.interp.focus ?? "")?.m;
  if (m === undefined) return null;
  const st = inspect.map(m);
  const cur = [];
  for (let i = 0; i < st.buckets; i++) cur.push(inspect.bucket(m, i));
  const old = [];
  for (let i = 0; i < st.oldBuckets; i++) old.push(inspect.bucket(m, i, { old: true }));
  return { st: { B: st.B, count: st.count, nevacuate: st.nevacuate }, cur, old };
}

/** The focused map's entries, read through the inspector (iterating would draw on fastrand). */
function contents(s: Session): Map<unknown, unknown> {
  const m = s.interp.mapNamed(s.interp.focus ?? "")!.m;
  const out = new Map<unknown, unknown>();
  const st = inspect.map(m);
  const arrays: [number, boolean][] = [[st.buckets, false], [st.oldBuckets, true]];
  for (const [n, old] of arrays) {
    for (let i = 0; i < n; i++) {
      for (const b of inspect.bucket(m, i, { old }).chain) b.keys.forEach((k, j) => k !== undefined && out.set(k, b.values[j]));
    }
  }
  return out;
}

test("statements run against a GoMap and print Go's results", () => {
  const s = new Session(7);
  s.submit('m := make(map[string]int, 10)\nm["a"] = 1; m["b"] += 2');
  assert.equal(s.cursor, 3);
  assert.deepEqual(s.submit('v, ok := m["b"]')[0].out, ["v = 2", "ok = true"]);
  assert.deepEqual(s.submit('v2, ok2 := m["zz"]')[0].out, ["v2 = 0", "ok2 = false"]);
  assert.deepEqual(s.submit("len(m)")[0].out, ["2"]);
  const r = s.submit('delete(m, "a")')[0];
  assert.deepEqual(r.touched?.op, "delete");
  assert.deepEqual(s.submit("m")[0].out, ["map[b:2]"]);
  s.submit("clear(m)");
  assert.deepEqual(s.submit("len(m)")[0].out, ["0"]);
});

test("stepping back replays to the same buckets, tophashes and iteration order", () => {
  const s = new Session(42);
  s.submit("m := make(map[int]string)");
  s.randomKeys(60, 3);
  const range = s.submit("for k, v := range m")[0].out;
  assert.equal(range.length, 60);
  for (let i = 0; i < 20; i++) s.submit(`m[${1000 + i}] = "x"`);
  const end = picture(s);
  s.goto(2);
  const mid = picture(s);
  assert.notDeepEqual(mid, end);
  s.goto(3);
  assert.deepEqual(s.last?.out, range, "the replayed range prints the same order");
  s.goto(s.steps.length);
  assert.deepEqual(picture(s), end);
});

test("a new statement after stepping back drops the steps after the cursor", () => {
  const s = new Session(1);
  s.submit("m := make(map[uint32]uint32); m[1] = 1; m[2] = 2");
  s.goto(2);
  s.submit("m[3] = 3");
  assert.deepEqual(s.steps.map((x) => x.src), ["m := make(map[uint32]uint32)", "m[1] = 1", "m[3] = 3"]);
});

test("bad statements throw typed errors and change neither the map nor the history", () => {
  const s = new Session(5);
  s.submit('m := make(map[string]int); m["a"] = 1');
  const before = picture(s);
  assert.throws(() => s.submit('m["a" = 2'), PlaygroundSyntaxError);
  assert.throws(() => s.submit('m["b"] = "two"'), /cannot use "two" \(untyped string constant\) as int value in assignment/);
  assert.throws(() => s.submit("m[1] = 2"), PlaygroundCompileError);
  assert.throws(() => s.submit('x["a"] = 1'), /undefined: x/);
  assert.throws(() => s.submit('m["a"] = 1; m["c"] = 1.5'), PlaygroundCompileError);
  assert.throws(() => s.submit("hello world"), /unexpected "world"/);
  assert.throws(() => s.submit('m := make(map[string]int)'), /no new variables/);
  assert.equal(s.steps.length, 2, "nothing of the failing pair was kept");
  s.goto(2);
  assert.deepEqual(picture(s), before);
});

test("a range body that panics part-way is rolled back by replay", () => {
  const s = new Session(9);
  s.submit("m := make(map[int]int); m[1] = 1; m[2] = 2; m[3] = 3");
  const before = picture(s);
  assert.throws(() => s.submit("for k, v := range m { m[k+10] = v; x := v / (k - k) }"), /integer divide by zero/);
  assert.deepEqual(picture(s), before);
  assert.equal(s.steps.length, 4);
});

test("a lesson's failing step is kept with its error", () => {
  const s = new Session(3);
  s.load([
    { src: "var m map[string]int", note: "a nil map" },
    { src: "len(m)", note: "reads work" },
    { src: 'm["a"] = 1', note: "writes panic", fails: true },
  ]);
  assert.equal(s.cursor, 0);
  s.goto(3);
  assert.ok(s.last?.error instanceof GoMapError);
  assert.match(String(s.last?.error?.message), /assignment to entry in nil map/);
});

test("growth shows up as trace events of the step that caused it", () => {
  const s = new Session(11);
  s.submit("m := make(map[int]int)");
  for (let i = 0; i < 8; i++) s.submit(`m[${i}] = ${i}`);
  const r = s.submit("m[8] = 8")[0];
  assert.deepEqual(r.events.map((e) => e.type).filter((t) => t === "grow"), ["grow"]);
  assert.equal(inspect.map(s.interp.mapNamed("m")!.m).B, 1);
});

test("property: any history replays to the map a JS Map model holds, at every step", () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant("set" as const), key: fc.integer({ min: 0, max: 40 }), v: fc.integer({ min: -5, max: 5 }) }),
    fc.record({ k: fc.constant("del" as const), key: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ k: fc.constant("clear" as const) }),
    fc.record({ k: fc.constant("range" as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), fc.nat(), (ops, pick) => {
      const s = new Session(pick);
      s.submit("m := make(map[int]int)");
      const models: Map<number, number>[] = [new Map()];
      const model = new Map<number, number>();
      for (const o of ops) {
        if (o.k === "set") {
          s.submit(`m[${o.key}] = ${o.v}`);
          model.set(o.key, o.v);
        } else if (o.k === "del") {
          s.submit(`delete(m, ${o.key})`);
          model.delete(o.key);
        } else if (o.k === "clear") {
          s.submit("clear(m)");
          model.clear();
        } else {
          assert.equal(s.submit("for k, v := range m")[0].out.length, model.size);
        }
        models.push(new Map(model));
      }
      const end = picture(s);
      const at = 1 + (pick % (ops.length + 1));
      s.goto(at);
      assert.deepEqual(contents(s), models[at - 1]);
      s.goto(s.steps.length);
      assert.deepEqual(picture(s), end);
    }),
    { seed: 0x5eed, numRuns: 60 },
  );
});

test("a loaded step that fails unexpectedly leaves the session at the step before it", () => {
  const s = new Session(8);
  s.load([
    { src: "m := make(map[int]int)", note: "" },
    { src: "m[1] = 1", note: "" },
    { src: "for k, v := range m { m[k+1] = v; x := v / (k - k) }", note: "fails part-way" },
  ]);
  s.goto(2);
  const before = picture(s);
  assert.throws(() => s.goto(3), /integer divide by zero/);
  assert.equal(s.cursor, 2);
  assert.deepEqual(picture(s), before);
  assert.equal(s.last?.step.src, "m[1] = 1");
});

test("with two maps, a write to the first draws it: its trace events and the random keys go to it", () => {
  const s = new Session(12);
  s.submit("a := make(map[int]int)");
  for (let i = 0; i < 8; i++) s.submit(`a[${i}] = ${i}`);
  s.submit("b := make(map[int]int)");
  const r = s.submit("a[8] = 8")[0];
  assert.equal(s.interp.focus, "a");
  assert.deepEqual(r.events.filter((e) => e.type === "grow").length, 1, "a's growth is the step's event");
  s.randomKeys(3, 1);
  assert.equal(s.interp.mapNamed("a")!.m.size, 12);
  assert.equal(s.interp.mapNamed("b")!.m.size, 0);
});

test("a submission that fails part-way changes nothing: its statements that ran are taken back", () => {
  const s = new Session(6);
  s.submit('m := make(map[string]int); m["a"] = 1');
  const before = picture(s);
  assert.throws(() => s.submit('m["a"]++\nm["b"] = "x"\nm["c"] = 3'), /cannot use "x"/);
  assert.deepEqual([s.cursor, s.steps.length, s.last?.step.src], [2, 2, 'm["a"] = 1']);
  assert.deepEqual(picture(s), before);
  s.submit('m["a"]++\nm["b"] = 2\nm["c"] = 3');
  assert.deepEqual(s.submit("m")[0].out, ["map[a:2 b:2 c:3]"], "the fixed text ran once");
  s.goto(1);
  assert.throws(() => s.submit('m["z"] = 1; m["y"] = "no"'), PlaygroundCompileError);
  assert.deepEqual([s.cursor, s.steps.length], [1, 6], "the steps after the cursor are still there");
  s.goto(6);
  assert.deepEqual(s.last?.out, ["map[a:2 b:2 c:3]"]);
});

test("a map literal is one step: the same buckets and trace events as make with its entry count then one insert an entry", () => {
  // A seed whose first hash seed puts more than 8 of the 13 keys in one bucket (seeds below
  // 512 all give the first map the same hash0: xorshift128+ reads only their high bits first).
  const SEED = 0x3000;
  const entries = Array.from({ length: 13 }, (_, i) => [i * 3, i]);
  const lit = new Session(SEED);
  lit.submit("n := 0");
  const r = lit.submit(`m := map[int]int{\n${entries.map(([k, v]) => `\t${k}: ${v},\n`).join("")}}`)[0];
  assert.equal(lit.steps.length, 2, "the literal over many lines is one step");
  const steps = new Session(SEED);
  steps.submit("n := 0");
  steps.submit(`m := make(map[int]int, ${entries.length})`);
  const events = entries.flatMap(([k, v]) => steps.submit(`m[${k}] = ${v}`)[0].events);
  const strip = (es: typeof events) => es.map(({ map: _, ...e }) => e);
  assert.deepEqual(picture(lit), picture(steps));
  assert.ok(events.length > 0, "the entries overflow a bucket (with this seed)");
  assert.deepEqual(strip(r.events), strip(events), "the literal's step has its inserts' trace events");
  assert.deepEqual({ op: r.touched?.op, key: r.touched?.key, loc: r.touched?.loc }, { op: "insert", key: 36, loc: steps.last?.touched?.loc });
  lit.goto(0);
  lit.goto(2);
  assert.deepEqual(picture(lit), picture(steps), "a replay makes the same map");
});
