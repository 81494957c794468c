// Tests of src/runtime/specialise.ts: one Runtime a key type, made on first use and shared by
// every map with that key type (whatever the value type), and separate function objects for
// each other key type; types are told apart by identity, not by shape. And the level above:
// one copy of the kernel per key kind, each its own source (so V8 keeps its feedback apart),
// which the test reads from V8 itself through the inspector.
import assert from "node:assert/strict";
import { Session } from "node:inspector";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import { opsFor } from "../../src/ops.js";
import type { Runtime } from "../../src/runtime/hmap.js";
import { kernelFor, specialise } from "../../src/runtime/specialise.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

const MEMBERS = ["mapaccess", "find", "mapassign", "mapdelete", "evacuate"] as const;

/** Asserts that no function of a is a function of b. */
function assertDisjoint(a: Runtime, b: Runtime, what: string): void {
  assert.notEqual(a, b, what);
  for (const name of MEMBERS) {
    assert.equal(typeof a[name], "function", `${what}: ${name}`);
    assert.notEqual(a[name], b[name], `${what}: ${name} is shared`);
  }
}

test("specialise: the same key type gets the same Runtime object, shared by its maps", () => {
  const rt = specialise(t.u32);
  assert.equal(specialise(t.u32), rt);
  for (const name of MEMBERS) assert.equal(specialise(t.u32)[name], rt[name]);
  assert.equal(hmapOf(GoMap.make(t.u32, t.u32))!.rt, rt);
  assert.equal(hmapOf(GoMap.make(t.u32, t.string))!.rt, rt, "the value type does not matter");
  assert.equal(specialise(t.bytes(16)), specialise(t.bytes(16)), "bytes(n) is one type per n");
});

test("specialise: different key types get different function objects for every member", () => {
  const types: [string, AnyType][] = [["u32", t.u32], ["i32", t.i32], ["u64", t.u64], ["f64", t.f64], ["string", t.string], ["bytes16", t.bytes(16)]];
  for (let i = 0; i < types.length; i++) {
    for (let j = i + 1; j < types.length; j++) {
      assertDisjoint(specialise(types[i][1]), specialise(types[j][1]), `${types[i][0]} vs ${types[j][0]}`);
    }
  }
});

test("specialise: types are told apart by identity: two equal-shaped structs, and a re-hashed copy of u32", () => {
  const a = t.struct({ x: t.u32 });
  const b = t.struct({ x: t.u32 });
  assertDisjoint(specialise(a), specialise(b), "struct{x uint32} twice");
  assert.equal(specialise(a), specialise(a));
  const rehashed = hashedBy(t.u32, (k) => BigInt(k));
  assertDisjoint(specialise(rehashed), specialise(t.u32), "hashedBy(u32) vs u32");
  assert.equal(hmapOf(GoMap.make(rehashed, t.u8))!.rt, specialise(rehashed));
});

test("kernelFor: one copy of the kernel per key kind, as Go's map_fast32/64/str; the rest share the generic one", () => {
  assert.equal(kernelFor(t.u32), kernelFor(t.i32), "4-byte integers share fast32");
  assert.equal(kernelFor(t.u64), kernelFor(t.i64), "8-byte integers share fast64");
  assert.equal(kernelFor(t.u64), kernelFor(t.u64.asNumber), "bigint and number reads of 64-bit keys share fast64");
  const copies = [kernelFor(t.u32), kernelFor(t.u64), kernelFor(t.string), kernelFor(t.bool)];
  assert.equal(new Set(copies).size, 4, "four copies");
  for (const other of [t.u8, t.i16, t.f32, t.f64, t.bytes(16), t.struct({ x: t.u32 })]) {
    assert.equal(kernelFor(other), kernelFor(t.bool), `${other.name} takes the generic copy`);
  }
});

/** Where fn's source is, as V8 sees it: [[FunctionLocation]] through the inspector. */
async function locationOf(session: Session, fn: unknown): Promise<{ scriptId: string; lineNumber: number }> {
  (globalThis as { __located?: unknown }).__located = fn;
  const post = (method: string, params: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  const { result } = await post("Runtime.evaluate", { expression: "globalThis.__located" });
  const { internalProperties } = await post("Runtime.getProperties", { objectId: result.objectId });
  const loc = internalProperties.find((p: { name: string }) => p.name === "[[FunctionLocation]]");
  delete (globalThis as { __located?: unknown }).__located;
  return loc.value.value;
}

test("specialise: each kind's functions come from source of their own, so V8 keeps their feedback apart", async () => {
  const session = new Session();
  session.connect();
  try {
    const script = async (fn: unknown) => (await locationOf(session, fn)).scriptId;
    const kinds: [string, AnyType][] = [["u32", t.u32], ["u64", t.u64], ["string", t.string], ["f64", t.f64]];
    for (const name of MEMBERS) {
      const scripts = await Promise.all(kinds.map(([, kt]) => script(specialise(kt)[name])));
      assert.equal(new Set(scripts).size, kinds.length, `${name}: one script a kind (${scripts})`);
      assert.equal(await script(specialise(t.i32)[name]), scripts[0], `${name}: i32 runs u32's copy`);
    }
    const gets = await Promise.all(kinds.map(([, kt]) => script(opsFor(kt, t.u32).get)));
    assert.equal(new Set(gets).size, kinds.length, "ops.get: one script a kind");
    const sharedSets = await Promise.all(kinds.map(([, kt]) => script(opsFor(kt, t.u32, true).set)));
    assert.equal(new Set(sharedSets).size, kinds.length, "a shared map's ops.set: one script a kind");
    // The copies are one source stamped out: find starts on the same line in each, two lines
    // (the stamped header) below where it starts in the generic file (f64's copy).
    const lines = await Promise.all(kinds.map(async ([, kt]) => (await locationOf(session, specialise(kt).find)).lineNumber));
    assert.deepEqual(lines.slice(0, 3), [lines[0], lines[0], lines[0]], `find's line in the three copies (${lines})`);
    assert.equal(lines[3] + 2, lines[0], `find's line, generic against the copies (${lines})`);
  } finally {
    session.disconnect();
  }
});
