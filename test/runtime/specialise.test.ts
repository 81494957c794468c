// Tests of src/runtime/specialise.ts: one Runtime a key type, made on first use and shared by
// every map with that key type (whatever the value type), and separate function objects for
// each other key type, so V8's type feedback stays per key type. Types are told apart by
// identity, not by shape.
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap } from "../../src/gomap.js";
import type { Runtime } from "../../src/runtime/hmap.js";
import { specialise } from "../../src/runtime/specialise.js";
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
