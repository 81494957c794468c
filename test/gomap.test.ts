// Tests of src/gomap.ts: the public GoMap. The Map-compatible surface, Go's surface (lookup,
// nil maps, update, ref), Go's key semantics (NaN, +0/-0), input validation that leaves the
// map untouched, re-entrant writes refused as Go refuses them, value semantics, and
// "nothing is lost on failure" when the heap hits maxBytes. And where the hot methods live:
// on one prototype per key kind, from that kind's copy of the kernel.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import test from "node:test";
import { inspect } from "node:util";
import fc from "fast-check";
import { GoMapError, HeapExhaustedError, StaleRefError } from "../src/errors.js";
import { GoMap } from "../src/gomap.js";
import { SyncMap } from "../src/sync/syncmap.js";
import { genericKernel, kernelFor } from "../src/runtime/specialise.js";
import { checkInvariants, hashedBy, hmapOf } from "../src/testing/hooks.js";
import { types as t } from "../src/types/index.js";
import type { GoType } from "../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** The map's entries as a JS Map (keys made comparable by `canon`). */
function contents<K, V>(m: GoMap<K, V, unknown, unknown>, canon: (k: K) => unknown = (k) => k): Map<unknown, V> {
  const out = new Map<unknown, V>();
  for (const [k, v] of m) {
    const c = canon(k);
    assert.ok(!out.has(c), `key ${String(c)} returned twice`);
    out.set(c, v);
  }
  return out;
}

function isGoMapError(msg: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof GoMapError, `a GoMapError, got ${String(e)}`);
    assert.match(e.message, msg);
    return true;
  };
}

test("gomap: Map-compatible surface", () => {
  const m = GoMap.make(t.u32, t.string);
  assert.equal(m.size, 0);
  assert.equal(m.get(1), undefined, "get on a miss is undefined");
  assert.equal(m.has(1), false);
  assert.equal(m.set(1, "one"), m, "set returns this");
  m.set(2, "two").set(3, "three");
  assert.equal(m.size, 3);
  assert.equal(m.get(1), "one");
  assert.equal(m.has(2), true);
  assert.equal(m.set(1, "uno"), m);
  assert.equal(m.size, 3, "an overwrite does not grow the map");
  assert.equal(m.get(1), "uno");
  assert.equal(m.delete(2), true);
  assert.equal(m.delete(2), false);
  assert.equal(m.size, 2);
  assert.deepEqual(new Set(m.keys()), new Set([1, 3]));
  assert.deepEqual(new Set(m.values()), new Set(["uno", "three"]));
  assert.deepEqual(new Map(m.entries()), new Map([[1, "uno"], [3, "three"]]));
  assert.deepEqual(new Map(m), new Map([[1, "uno"], [3, "three"]]));
  const fe: [number, string][] = [];
  m.forEach((v, k) => fe.push([k, v]));
  assert.deepEqual(new Map(fe), new Map([[1, "uno"], [3, "three"]]));
  assert.equal(Object.prototype.toString.call(m), "[object GoMap]");
  assert.equal(m.isNil, false);
  // Iterators are iterable themselves.
  const it = m.keys();
  assert.equal(it[Symbol.iterator](), it);
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.get(1), undefined);
  m.set(9, "nine");
  assert.equal(m.get(9), "nine", "usable after clear");
  checkInvariants(m as AnyMap);
});

test("gomap: lookup returns [value, true] or [zero value, false]", () => {
  const m = GoMap.make(t.string, t.u32);
  assert.deepEqual(m.lookup("x"), [0, false]);
  m.set("x", 0);
  assert.deepEqual(m.lookup("x"), [0, true], "a stored zero is found");
  m.set("y", 7);
  assert.deepEqual(m.lookup("y"), [7, true]);
  const s = GoMap.make(t.u32, t.struct({ a: t.u8, s: t.string, b: t.bytes(2) }));
  assert.deepEqual(s.lookup(1), [{ a: 0, s: "", b: new Uint8Array(2) }, false]);
  const str = GoMap.make(t.u32, t.string);
  assert.deepEqual(str.lookup(1), ["", false]);
  const big = GoMap.make(t.u32, t.u64);
  assert.deepEqual(big.lookup(1), [0n, false]);
  const f = GoMap.make(t.u32, t.f64);
  f.set(1, -0);
  assert.ok(Object.is(f.lookup(1)[0], -0));
});

test("gomap: nil maps: reads see an empty map, writes throw 'assignment to entry in nil map'", () => {
  const m = GoMap.nil(t.u32, t.struct({ a: t.u8 }));
  assert.equal(m.isNil, true);
  assert.equal(m.size, 0);
  assert.equal(m.get(1), undefined);
  assert.equal(m.has(1), false);
  assert.deepEqual(m.lookup(1), [{ a: 0 }, false]);
  assert.equal(m.delete(1), false);
  assert.deepEqual([...m], []);
  assert.deepEqual([...m.keys()], []);
  assert.deepEqual([...m.values()], []);
  assert.deepEqual([...m.entries()], []);
  let calls = 0;
  m.forEach(() => calls++);
  assert.equal(calls, 0);
  m.clear(); // a no-op, as clear(nilMap) in Go 1.21
  assert.equal(m.size, 0);
  assert.equal(m.inspect().count, 0);
  assert.equal(GoMap.hmapOf(m as AnyMap), null);
  const nilWrite = isGoMapError(/^assignment to entry in nil map$/);
  assert.throws(() => m.set(1, { a: 1 }), nilWrite);
  assert.throws(() => m.update(1, (v) => v), nilWrite);
  assert.throws(() => m.ref(1), nilWrite);
  // Bad keys are still bad keys on a nil map.
  assert.throws(() => m.get(-1 as number), RangeError);
  assert.throws(() => m.has("x" as unknown as number), TypeError);
  assert.throws(() => m.lookup(2 ** 32), RangeError);
  // Each miss gets a zero value of its own: changing one changes no later one.
  const [zero] = m.lookup(1);
  zero.a = 5;
  assert.deepEqual(m.lookup(1), [{ a: 0 }, false]);
});

test("gomap: NaN keys: every set adds an entry that get/has/delete never find; size counts them; clear removes them", () => {
  for (const ft of [t.f64, t.f32]) {
    const m = GoMap.make(ft, t.u32);
    m.set(1, 100);
    for (let i = 0; i < 20; i++) m.set(NaN, i);
    assert.equal(m.size, 21, `${ft.name}: 20 NaN entries and one other`);
    assert.equal(m.get(NaN), undefined);
    assert.equal(m.has(NaN), false);
    assert.deepEqual(m.lookup(NaN), [0, false]);
    assert.equal(m.delete(NaN), false);
    assert.equal(m.size, 21);
    const values: number[] = [];
    for (const [k, v] of m) if (Number.isNaN(k)) values.push(v);
    assert.deepEqual(values.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i), "each NaN entry once, with its value");
    // The Go 1.19 range-delete idiom leaves them (delete can't find a NaN)...
    for (const k of m.keys()) m.delete(k);
    assert.equal(m.size, 20);
    // ...and clear removes them.
    m.clear();
    assert.equal(m.size, 0);
    assert.deepEqual([...m], []);
    checkInvariants(m as AnyMap);
  }
});

test("gomap: NaN keys in a growing map, among many others", () => {
  const m = GoMap.make(t.f64, t.u32);
  for (let i = 0; i < 500; i++) {
    m.set(i, i);
    if (i % 5 === 0) m.set(NaN, 1000 + i);
  }
  assert.equal(m.size, 600);
  let nans = 0;
  for (const [k, v] of m) {
    if (Number.isNaN(k)) {
      nans++;
      assert.ok(v >= 1000);
    } else assert.equal(v, k);
  }
  assert.equal(nans, 100);
  checkInvariants(m as AnyMap);
});

test("gomap: +0 and -0 are one key; a later write stores its sign (f64, f32, struct holding f64)", () => {
  for (const ft of [t.f64, t.f32] as GoType<number>[]) {
    const m = GoMap.make(ft, t.string);
    m.set(0, "a");
    m.set(-0, "b");
    assert.equal(m.size, 1);
    const [[k, v]] = [...m];
    assert.ok(Object.is(k, -0), `${ft.name}: the stored key is -0`);
    assert.equal(v, "b");
    assert.equal(m.get(0), "b");
    assert.equal(m.get(-0), "b");
    m.set(0, "c");
    assert.ok(Object.is([...m.keys()][0], 0), "and back to +0");
    assert.equal(m.delete(-0), true, "delete(-0) finds +0");
    assert.equal(m.size, 0);
  }
  const P = t.struct({ x: t.f64, n: t.u8 });
  const s = GoMap.make(P, t.u32);
  s.set({ x: 0, n: 1 }, 1);
  s.set({ x: -0, n: 1 }, 2);
  s.set({ x: -0, n: 2 }, 3);
  assert.equal(s.size, 2);
  const got = new Map([...s].map(([k, v]) => [k.n, [k.x, v] as const]));
  assert.ok(Object.is(got.get(1)![0], -0));
  assert.equal(got.get(1)![1], 2);
  assert.equal(s.get({ x: 0, n: 2 }), 3);
  checkInvariants(s as AnyMap);
});

test("gomap: u64 keys: number and bigint are the same key", () => {
  const m = GoMap.make(t.u64, t.string);
  m.set(5, "a");
  assert.equal(m.get(5n), "a");
  m.set(5n, "b");
  assert.equal(m.size, 1);
  assert.equal(m.get(5), "b");
  const max = 2n ** 64n - 1n;
  m.set(max, "max");
  m.set(Number.MAX_SAFE_INTEGER, "safe");
  assert.equal(m.get(BigInt(Number.MAX_SAFE_INTEGER)), "safe");
  assert.equal(m.get(max), "max");
  assert.deepEqual(new Set(m.keys()), new Set([5n, max, BigInt(Number.MAX_SAFE_INTEGER)]), "u64 keys read back as bigint");
  assert.equal(m.delete(5n), true);
  assert.equal(m.has(5), false);
  const i = GoMap.make(t.i64, t.u8);
  i.set(-1, 1);
  assert.equal(i.get(-1n), 1);
  i.set(-(2n ** 63n), 2);
  assert.equal(i.get(-(2n ** 63n)), 2);
});

test("gomap: asNumber keys and values refuse a bigint past 2^53 before writing, so every entry stays readable", () => {
  const m = GoMap.make(t.u64.asNumber, t.i64.asNumber);
  m.set(1n, 2n);
  m.set(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER);
  assert.throws(() => m.set(2n ** 60n, 1), { name: "RangeError", message: /^gomap: key 1152921504606846976n is beyond 2\^53: t\.u64\.asNumber/ });
  assert.throws(() => m.set(3, -(2n ** 60n)), { name: "RangeError", message: /^gomap: value -1152921504606846976n is beyond 2\^53: t\.i64\.asNumber/ });
  assert.deepEqual([...m].sort((a, b) => a[0] - b[0]), [[1, 2], [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]]);
  // A map that t.u64 filled with such a key is not loaded with asNumber either.
  const wide = GoMap.make(t.u64, t.u8);
  wide.set(2n ** 60n, 1);
  assert.throws(() => GoMap.fromBytes(wide.toBytes(), t.u64.asNumber, t.u8), {
    name: "SnapshotError",
    message: /key holds 1152921504606846976n, beyond what t\.u64\.asNumber reads; load with t\.u64$/,
  });
});

test("gomap: wrong key or value types throw TypeError/RangeError naming the type, and change nothing", () => {
  const m = GoMap.make(t.u32, t.u8);
  for (let i = 0; i < 20; i++) m.set(i, i);
  const before = contents(m);
  const cases: [() => unknown, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [() => m.set("1" as unknown as number, 1), TypeError, /uint32/],
    [() => m.set(1n as unknown as number, 1), TypeError, /uint32/],
    [() => m.set(-1, 1), RangeError, /uint32/],
    [() => m.set(2 ** 32, 1), RangeError, /uint32/],
    [() => m.set(1.5, 1), RangeError, /uint32/],
    [() => m.set(NaN, 1), RangeError, /uint32/],
    [() => m.set(1, 256), RangeError, /uint8/],
    [() => m.set(1, -1), RangeError, /uint8/],
    [() => m.set(1, "2" as unknown as number), TypeError, /uint8/],
    [() => m.set(100, null as unknown as number), TypeError, /uint8/],
    [() => m.set(undefined as unknown as number, 1), TypeError, /uint32/],
    [() => m.get({} as unknown as number), TypeError, /uint32/],
    [() => m.has(-5), RangeError, /uint32/],
    [() => m.delete(2 ** 40), RangeError, /uint32/],
    [() => m.lookup("x" as unknown as number), TypeError, /uint32/],
    [() => m.update(1, () => 300), RangeError, /uint8/],
    [() => m.update(1, () => "x" as unknown as number), TypeError, /uint8/],
    [() => m.update(-1, (v) => v), RangeError, /uint32/],
    [() => m.ref(1.25), RangeError, /uint32/],
  ];
  for (const [f, E, re] of cases) {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof E, `${f}: ${String(e)}`);
      assert.match((e as Error).message, re);
      return true;
    });
    assert.equal(m.size, 20);
    assert.deepEqual(contents(m), before, `${f} changed the map`);
  }
  // A ref setter checks its value too.
  const r = m.ref(3);
  assert.throws(() => {
    r.value = 1000;
  }, RangeError);
  assert.equal(m.get(3), 3);
  // Strings, structs and byte arrays.
  const s = GoMap.make(t.string, t.struct({ age: t.u8, name: t.string }));
  s.set("a", { age: 1, name: "x" });
  assert.throws(() => s.set(5 as unknown as string, { age: 1 }), (e: unknown) => e instanceof TypeError && /string/.test((e as Error).message));
  assert.throws(() => s.set("b", { age: 300 }), RangeError);
  assert.throws(() => s.set("b", { age: 1, nope: 1 } as unknown as { age: number }), Error);
  assert.throws(() => s.set("b", { age: 1, name: 7 as unknown as string }), TypeError);
  assert.throws(() => s.set("\ud800", { age: 1 }), Error, "a lone surrogate is not a string gomap can store");
  assert.equal(s.size, 1);
  assert.deepEqual(s.get("a"), { age: 1, name: "x" });
  assert.equal(s.has("b"), false);
  const b = GoMap.make(t.bytes(4), t.bool);
  assert.throws(() => b.set(new Uint8Array(3), true), RangeError);
  assert.throws(() => b.set([1, 2, 3, 4] as unknown as Uint8Array, true), TypeError);
  assert.throws(() => b.set(new Uint8Array(4), 1 as unknown as boolean), TypeError);
  assert.equal(b.size, 0);
  checkInvariants(s as AnyMap);
});

test("gomap: TestConcurrentMapWrites and TestConcurrentMapReadWrite (crash_test.go), as re-entrant writes and reads from update's fn: 'concurrent map writes'; the map is unchanged and usable", () => {
  const m = GoMap.make(t.string, t.u32);
  for (let i = 0; i < 30; i++) m.set(`k${i}`, i);
  const before = contents(m);
  const writes = isGoMapError(/^concurrent map writes$/);
  assert.throws(() => m.update("k1", (v) => {
    m.set("k2", 99);
    return v + 1;
  }), writes);
  assert.throws(() => m.update("new", (v) => {
    m.set("new", 1);
    return v;
  }), writes);
  assert.throws(() => m.update("k1", (v) => {
    m.delete("k3");
    return v;
  }), writes);
  assert.throws(() => m.update("k1", (v) => {
    m.clear();
    return v;
  }), writes);
  // A nested update reads first, so either of Go's two words fits.
  assert.throws(() => m.update("k1", (v) => {
    m.update("k4", (w) => w + 1);
    return v;
  }), isGoMapError(/^concurrent map (writes|read and map write)$/));
  assert.throws(() => m.update("k1", (v) => {
    m.get("k5");
    return v;
  }), isGoMapError(/^concurrent map read and map write$/));
  assert.equal(m.size, 30);
  assert.deepEqual(contents(m), before);
  checkInvariants(m as AnyMap);
  // Usable afterwards: writes and reads work.
  m.set("k2", 1000);
  assert.equal(m.update("k1", (v) => v + 1), 2);
  assert.equal(m.get("k2"), 1000);
  assert.equal(m.delete("k3"), true);
  assert.equal(m.size, 29);
});

test("gomap: a hasher that throws on the key being written leaves the map unchanged and writable", () => {
  const kt: GoType<number> = hashedBy(t.u32, (k) => {
    if (k === 666) throw new Error("no hash for 666");
    return BigInt(k) * 0x9e3779b97f4a7c15n;
  });
  const m = GoMap.make(kt, t.u32);
  for (let i = 0; i < 50; i++) m.set(i, i);
  const before = contents(m);
  assert.throws(() => m.set(666, 1), /no hash for 666/);
  assert.throws(() => m.delete(666), /no hash for 666/);
  assert.throws(() => m.get(666), /no hash for 666/);
  assert.throws(() => m.update(666, (v) => v + 1), /no hash for 666/);
  assert.deepEqual(contents(m), before);
  // The write flag was not left set.
  m.set(50, 50);
  assert.equal(m.delete(0), true);
  assert.equal(m.update(1, (v) => v + 1), 2);
  assert.equal(m.size, 50);
  checkInvariants(m as AnyMap);
});

test("gomap: update: fn that throws leaves the map unchanged; fn may mutate a struct in place or return a new value", () => {
  const User = t.struct({ age: t.u8, name: t.string });
  const m = GoMap.make(t.string, User);
  m.set("alice", { age: 30, name: "Alice" });
  assert.throws(() => m.update("alice", (u) => {
    u.age = 99;
    throw new Error("no");
  }), /no/);
  assert.deepEqual(m.get("alice"), { age: 30, name: "Alice" });
  assert.throws(() => m.update("bob", () => {
    throw new Error("no");
  }), /no/);
  assert.equal(m.has("bob"), false);
  assert.equal(m.size, 1);
  const r = m.update("alice", (u) => {
    u.age = 35;
  });
  assert.deepEqual(r, { age: 35, name: "Alice" });
  assert.deepEqual(m.get("alice"), { age: 35, name: "Alice" });
  assert.deepEqual(m.update("carol", (u) => ({ ...u, name: "Carol" })), { age: 0, name: "Carol" });
  assert.equal(m.size, 2);
  // After a throwing fn the map is writable again (the write flag was cleared).
  m.set("dave", { age: 1 });
  assert.equal(m.size, 3);
  checkInvariants(m as AnyMap);
});

test("gomap: update(NaN, fn) adds an entry and returns the stored value", () => {
  const m = GoMap.make(t.f64, t.u32);
  const r = m.update(NaN, (v) => v + 7);
  assert.equal(m.size, 1);
  assert.equal([...m.values()][0], 7);
  assert.equal(r, 7, "update returns the value it stored");
});

test("gomap: value semantics: get returns a copy", () => {
  const m = GoMap.make(t.u32, t.struct({ a: t.u8, b: t.bytes(3) }));
  m.set(1, { a: 1, b: new Uint8Array([1, 2, 3]) });
  const v = m.get(1)!;
  v.a = 9;
  v.b[0] = 9;
  assert.deepEqual(m.get(1), { a: 1, b: new Uint8Array([1, 2, 3]) });
  // The input is copied too.
  const input = { a: 2, b: new Uint8Array([4, 5, 6]) };
  m.set(2, input);
  input.a = 0;
  input.b[0] = 0;
  assert.deepEqual(m.get(2), { a: 2, b: new Uint8Array([4, 5, 6]) });
  const bytes = GoMap.make(t.bytes(2), t.bytes(2));
  const k = new Uint8Array([1, 1]);
  bytes.set(k, new Uint8Array([2, 2]));
  k[0] = 7;
  assert.deepEqual(bytes.get(new Uint8Array([1, 1])), new Uint8Array([2, 2]), "the key was copied in");
  for (const [kk] of bytes) kk[0] = 5;
  assert.equal(bytes.has(new Uint8Array([1, 1])), true, "keys read out are copies");
  // Values seen in iteration are copies.
  for (const [, vv] of m) vv.a = 100;
  assert.equal(m.get(1)!.a, 1);
});

test("gomap: ref views read and write in place", () => {
  const User = t.struct({ age: t.u8, score: t.f64, name: t.string });
  const users = GoMap.make(t.string, User);
  users.set("alice", { age: 30, score: 1.5, name: "A" });
  users.set("bob", { age: 20 });
  const a = users.ref("alice");
  assert.equal(a.age, 30);
  assert.equal(a.name, "A");
  a.age = 36;
  a.name = "Alice";
  assert.deepEqual(users.get("alice"), { age: 36, score: 1.5, name: "Alice" });
  users.update("alice", (u) => {
    u.score = 2.5;
  });
  assert.equal(a.score, 2.5, "the view sees writes made through the map");
  // JSON.stringify of a view gives the value now stored, as it does for get()'s copy.
  assert.equal(JSON.stringify(a), JSON.stringify(users.get("alice")));
  assert.equal(JSON.stringify({ a }), '{"a":{"age":36,"score":2.5,"name":"Alice"}}');
  assert.throws(() => {
    a.age = 256;
  }, RangeError);
  assert.equal(users.get("alice")!.age, 36);
  // Writes to other keys that move nothing keep the view good.
  users.set("bob", { age: 21 });
  users.delete("bob");
  assert.equal(a.age, 36);
  // Scalar values: a box.
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 10);
  const r = m.ref(1);
  assert.equal(r.value, 10);
  r.value = 11;
  assert.equal(m.get(1), 11);
  assert.throws(() => m.ref(2), isGoMapError(/not in map/));
  checkInvariants(users as AnyMap);
});

test("gomap: ref of an absent key says so as gomap's other errors do, and what to do instead, changing nothing", () => {
  // A newcomer's first ref() is often of a key not yet set (update starts from the zero
  // value; ref can't). The message read "ref: key not in map", without the "gomap:" every
  // other gomap message has and without saying how to get an entry to view.
  const m = GoMap.make(t.string, t.struct({ age: t.u8 }));
  m.set("alice", { age: 30 });
  const before = m.toBytes();
  assert.throws(
    () => m.ref("bob"),
    (e: unknown) =>
      e instanceof GoMapError &&
      !(e instanceof StaleRefError) &&
      /^gomap: ref: key "bob" not in map/.test(e.message) &&
      /set\(\) it first/.test(e.message) &&
      /update\(\)/.test(e.message),
  );
  const n = GoMap.make(t.u64, t.u32);
  assert.throws(() => n.ref(5n), isGoMapError(/^gomap: ref: key 5 not in map/));
  assert.deepEqual(m.toBytes(), before);
  checkInvariants(m as AnyMap);
});

test("gomap: a stale ref's StaleRefError message starts with gomap:, as every gomap message does", () => {
  // It read "ref: the map moved or removed this entry; ...", the one message besides ref's
  // absent key without the prefix a user greps logs for.
  const m = GoMap.make(t.string, t.u32);
  m.set("a", 1);
  const r = m.ref("a");
  m.delete("a");
  assert.throws(() => r.value, (e: unknown) => e instanceof StaleRefError && /^gomap: ref: the map moved or removed this entry; take a new ref/.test(e.message));
});

test("gomap: ref throws StaleRefError after growth moves the entry, after delete, after clear", () => {
  // A fixed seed: with a random one, one map in many thousands (1 in 20,000 tries) puts every
  // key of the growth below back at the offset it had, and then no ref goes stale.
  const m = GoMap.make(t.u32, t.struct({ n: t.u32 }), { seed: 1 });
  for (let i = 0; i < 13; i++) m.set(i, { n: i });
  // Growth: the 14th key doubles B1 -> B2 and evacuates in the same insert. An entry that
  // lands at the very offset it had (possible once the new array slides into the old one's
  // place) may keep its ref; every other ref must say it is stale, and touch nothing.
  const refs = Array.from({ length: 13 }, (_, i) => m.ref(i));
  m.set(13, { n: 13 });
  assert.equal(m.inspect().B, 2);
  assert.equal(m.inspect().growing, false);
  let stale = 0;
  refs.forEach((g, i) => {
    try {
      assert.equal(g.n, i, "a ref that is not stale reads its own entry");
    } catch (e) {
      if (!(e instanceof StaleRefError)) throw e;
      stale++;
      assert.throws(() => {
        g.n = 77;
      }, StaleRefError);
    }
  });
  assert.ok(stale >= 1, "growth moved entries, and their refs said so");
  for (let i = 0; i < 14; i++) assert.deepEqual(m.get(i), { n: i }, "a stale write touched nothing");
  assert.ok(new StaleRefError("x") instanceof GoMapError);
  // Delete.
  const d = m.ref(4);
  m.delete(4);
  assert.throws(() => d.n, StaleRefError);
  assert.throws(() => {
    d.n = 1;
  }, StaleRefError);
  // Clear.
  const c = m.ref(5);
  m.clear();
  assert.throws(() => c.n, StaleRefError);
  assert.equal(m.size, 0);
  // A box ref goes stale the same way.
  const s = GoMap.make(t.u32, t.string);
  for (let i = 0; i < 8; i++) s.set(i, `v${i}`);
  const boxes = Array.from({ length: 8 }, (_, i) => s.ref(i));
  for (let i = 8; i < 200; i++) s.set(i, `v${i}`);
  let staleBoxes = 0;
  boxes.forEach((box, i) => {
    try {
      assert.equal(box.value, `v${i}`);
    } catch (e) {
      if (!(e instanceof StaleRefError)) throw e;
      staleBoxes++;
      assert.throws(() => {
        box.value = "x";
      }, StaleRefError);
    }
  });
  assert.ok(staleBoxes >= 6, `${staleBoxes} of 8 refs stale after 5 growths`);
  for (let i = 0; i < 8; i++) assert.equal(s.get(i), `v${i}`);
  // A fresh ref after the move works.
  const fresh = s.ref(2);
  fresh.value = "two";
  assert.equal(s.get(2), "two");
});

test("gomap: inspect reports the shape", () => {
  const m = GoMap.make(t.u32, t.u32, { hint: 100 });
  const s0 = m.inspect();
  assert.equal(s0.B, 4);
  assert.equal(s0.buckets, 16);
  assert.equal(s0.count, 0);
  assert.equal(s0.bucketSize, 80);
  assert.equal(s0.growing, false);
  for (let i = 0; i < 105; i++) m.set(i, i);
  const s = m.inspect();
  assert.equal(s.count, 105);
  assert.equal(s.B, 5);
  assert.equal(s.growing, true);
  assert.equal(s.oldBuckets, 16);
  assert.ok(s.loadFactor > 3 && s.loadFactor < 3.5);
  assert.ok(s.heap.inUse > 0 && s.heap.capacity >= s.heap.top);
});

/** Fills m with fresh keys until a set throws HeapExhaustedError; returns what it threw. */
function fillUntilFull<K, V>(m: GoMap<K, V, K, V>, model: Map<K, V>, key: (i: number) => K, value: (i: number) => V): unknown {
  for (let i = 0; i < 1_000_000; i++) {
    try {
      m.set(key(i), value(i));
    } catch (e) {
      return e;
    }
    model.set(key(i), value(i));
  }
  assert.fail("never ran out of memory");
}

function assertSame<K, V>(m: GoMap<K, V, K, V>, model: Map<K, V>): void {
  assert.equal(m.size, model.size);
  assert.deepEqual(contents(m), model);
  for (const [k, v] of model) assert.deepEqual(m.get(k), v);
  checkInvariants(m as AnyMap);
}

test("gomap: maxBytes: set eventually throws HeapExhaustedError; the map keeps every entry and keeps answering", () => {
  for (const maxBytes of [4096, 20_000, 65_536, 300_000]) {
    const m = GoMap.make(t.u32, t.u32, { maxBytes });
    const model = new Map<number, number>();
    const err = fillUntilFull(m, model, (i) => i * 7, (i) => i);
    assert.ok(err instanceof HeapExhaustedError, `maxBytes ${maxBytes}: ${String(err)}`);
    assert.ok(model.size > 0);
    assertSame(m, model);
    assert.ok(hmapOf(m as AnyMap)!.heap.capacity <= maxBytes);
    // Keeps answering: updates of present keys need no memory; more inserts keep failing or
    // succeeding, and the map stays equal to the model either way.
    for (const k of [...model.keys()].slice(0, 50)) {
      m.set(k, 1);
      model.set(k, 1);
    }
    for (let i = 0; i < 300; i++) {
      const k = 1_000_000 + i;
      try {
        m.set(k, i);
        model.set(k, i);
      } catch (e) {
        assert.ok(e instanceof HeapExhaustedError);
      }
      if (i % 50 === 0) assertSame(m, model);
    }
    assertSame(m, model);
    // Deleting makes room in the buckets again.
    const victims = [...model.keys()].slice(0, 20);
    for (const k of victims) {
      assert.equal(m.delete(k), true);
      model.delete(k);
    }
    assertSame(m, model);
  }
});

test("gomap: maxBytes with string keys and values: failed sets leave no half-inserted key", () => {
  for (const maxBytes of [8192, 50_000, 200_000]) {
    const m = GoMap.make(t.string, t.string, { maxBytes });
    const model = new Map<string, string>();
    const err = fillUntilFull(m, model, (i) => `key-${i}-${"k".repeat(i % 30)}`, (i) => "v".repeat(1 + ((i * 13) % 90)));
    assert.ok(err instanceof HeapExhaustedError);
    assertSame(m, model);
    // A value too big for what is left, under a new key and under an existing one.
    const huge = "x".repeat(maxBytes);
    assert.throws(() => m.set("brand-new", huge), HeapExhaustedError);
    assert.equal(m.has("brand-new"), false, "no half-inserted key");
    const some = [...model.keys()][0];
    assert.throws(() => m.set(some, huge), HeapExhaustedError);
    assert.equal(m.get(some), model.get(some), "the old value stays");
    assertSame(m, model);
  }
});

test("gomap: maxBytes: a NaN-keyed set whose value does not fit leaves no entry behind", () => {
  const m = GoMap.make(t.f64, t.string, { maxBytes: 8192 });
  m.set(1, "a");
  assert.throws(() => m.set(NaN, "x".repeat(20_000)), HeapExhaustedError);
  assert.equal(m.size, 1, "no half-inserted NaN entry");
  assert.deepEqual([...m], [[1, "a"]]);
});

test("gomap: maxBytes: a failed overwrite of +0 by -0 keeps the stored +0", () => {
  const m = GoMap.make(t.f64, t.string, { maxBytes: 8192 });
  m.set(0, "a");
  assert.throws(() => m.set(-0, "x".repeat(20_000)), HeapExhaustedError);
  const [[k, v]] = [...m];
  assert.equal(v, "a");
  assert.ok(Object.is(k, 0), "the key is still +0: a failed set changes nothing");
});

/** Takes every free byte of the map's heap with blocks of its own (they are never freed). */
function exhaust(m: AnyMap): void {
  const heap = hmapOf(m)!.heap;
  for (let size = 1 << 16; size >= 8; size >>>= 1) {
    for (;;) {
      try {
        heap.alloc(size);
      } catch (e) {
        assert.ok(e instanceof HeapExhaustedError);
        break;
      }
    }
  }
}

test("gomap: maxBytes: overwriting a struct key (float and string fields) with -0 needs no memory, even with a full heap", () => {
  const K = t.struct({ x: t.f64, s: t.string });
  const m = GoMap.make(K, t.u32, { maxBytes: 16_384 });
  const s = "s".repeat(100);
  m.set({ x: 0, s }, 1);
  m.set({ x: 1, s }, 1);
  exhaust(m as AnyMap);
  // Go stores the new key over the equal old one: only its float bits differ, so the string
  // keeps its block and nothing is allocated.
  m.set({ x: -0, s }, 2);
  assert.equal(m.get({ x: 0, s }), 2);
  const [k] = [...m.keys()].filter((key) => key.s === s && key.x === 0);
  assert.ok(Object.is(k.x, -0), "the key is now -0");
  assert.equal(k.s, s);
  assert.equal(m.size, 2);
  checkInvariants(m as AnyMap);
  // A new key, which does need memory, fails and changes nothing.
  assert.throws(() => m.set({ x: 2, s }, 3), HeapExhaustedError);
  assert.equal(m.size, 2);
  assert.equal(m.has({ x: 2, s }), false);
  checkInvariants(m as AnyMap);
});

test("gomap: maxBytes too small for the hint's buckets throws at make", () => {
  assert.throws(() => GoMap.make(t.u64, t.u64, { hint: 100_000, maxBytes: 65_536 }), HeapExhaustedError);
});

test("GoMap: maps of one key kind share one hidden class in V8, however they were made", () => {
  // A call site that sees more than four hidden classes goes megamorphic: m.get is then a
  // stub-cache lookup, never inlined. V8 says which objects share one through a native
  // syntax only a child process started with --allow-natives-syntax may use.
  const script = `
    const { GoMap, types: t } = await import(${JSON.stringify(new URL("../src/index.js", import.meta.url).href)});
    const same = (a, b) => %HaveSameMap(a, b);
    const out = {};
    for (const [name, kt] of [["u32", t.u32], ["u64", t.u64], ["string", t.string], ["struct", t.struct({ a: t.u8 })]]) {
      const ms = Array.from({ length: 6 }, (_, i) => GoMap.make(kt, t.u32, { hint: i * 10 }));
      ms.push(GoMap.nil(kt, t.u32), GoMap.fromBytes(ms[1].toBytes(), kt, t.u32));
      out[name] = ms.every((m) => same(m, ms[0]));
    }
    console.log(JSON.stringify(out));
  `;
  const got = JSON.parse(execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" })) as Record<string, boolean>;
  assert.deepEqual(got, { u32: true, u64: true, string: true, struct: true });
});

test("GoMap: get, lookup, has, set, delete and iteration come from the key kind's copy of the kernel, on a prototype of its own", () => {
  const METHODS = ["get", "lookup", "has", "set", "delete", "keys", "values", "entries", Symbol.iterator, "forEach"] as const;
  const protoOf = (m: object) => Object.getPrototypeOf(m) as Record<PropertyKey, unknown>;
  const u32 = GoMap.make(t.u32, t.u32);
  const kinds = [u32, GoMap.make(t.u64, t.u32), GoMap.make(t.string, t.u32)];
  for (const m of kinds) {
    const proto = protoOf(m);
    assert.notEqual(proto, GoMap.prototype);
    assert.equal(Object.getPrototypeOf(proto), GoMap.prototype, "the kind's prototype sits on GoMap.prototype");
    assert.ok(m instanceof GoMap);
    assert.equal(m.constructor, GoMap);
    const kernel = kernelFor(m.keyType);
    for (const name of METHODS) {
      assert.equal(proto[name], kernel.mapMethods[name], `${m.keyType.name}: ${String(name)} is its kernel's`);
      assert.notEqual(proto[name], genericKernel.mapMethods[name]);
      assert.equal(Object.getOwnPropertyDescriptor(proto, name)?.enumerable, false, `${String(name)} is not enumerable`);
    }
  }
  assert.equal(new Set(kinds.map(protoOf)).size, 3, "one prototype a kind");
  assert.equal(protoOf(GoMap.make(t.i32, t.string)), protoOf(u32), "i32 is u32's kind, whatever the value type");
  assert.equal(protoOf(GoMap.nil(t.u32, t.u32)), protoOf(u32), "a nil map too");
  assert.equal(protoOf(GoMap.fromBytes(u32.toBytes(), t.u32, t.u32)), protoOf(u32), "a loaded map too");
  const shared = GoMap.make(t.u32, t.u32, { shared: true });
  assert.equal(protoOf(GoMap.attach(shared.share())), protoOf(u32), "an attached map too");
  for (const kt of [t.f64, t.bool, t.u8, t.bytes(4), t.struct({ a: t.u32 })]) {
    assert.equal(protoOf(GoMap.make(kt, t.u32)), GoMap.prototype, `${kt.name}: GoMap.prototype, the generic copy's`);
  }
  for (const name of METHODS) assert.equal((GoMap.prototype as unknown as Record<PropertyKey, unknown>)[name], genericKernel.mapMethods[name]);
  assert.deepEqual(Reflect.ownKeys(u32).filter((k) => (METHODS as readonly PropertyKey[]).includes(k)), [], "no own method properties");
  // The methods work through the kind's prototype, nil maps included.
  u32.set(1, 10).set(2, 20);
  assert.deepEqual([u32.get(1), u32.lookup(2), u32.has(3), u32.delete(1), u32.size], [10, [20, true], false, true, 1]);
  const seen: unknown[] = [];
  u32.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual([[...u32], [...u32.keys()], [...u32.values()], [...u32.entries()], seen], [[[2, 20]], [2], [20], [[2, 20]], [[2, 20]]]);
  assert.throws(() => GoMap.nil(t.u32, t.u32).set(1, 1), /assignment to entry in nil map/);
});

test("GoMap: util.inspect and console.log show the length, the Go type and the entries, as for a Map", () => {
  assert.equal(inspect(GoMap.nil(t.string, t.u8)), "GoMap [map[string]uint8] nil");
  assert.equal(inspect(GoMap.make(t.u32, t.bool)), "GoMap(0) [map[uint32]bool] {}");
  const one = GoMap.make(t.string, t.struct({ age: t.u8 }));
  one.set("alice", { age: 30 });
  assert.equal(inspect(one), "GoMap(1) [map[string]struct{age uint8}] { 'alice' => { age: 30 } }");
  assert.equal(inspect({ a: { b: one } }, { depth: 1 }), "{ a: { b: [GoMap(1) [map[string]struct{age uint8}]] } }");
  assert.equal(inspect(one, { breakLength: 40 }), "GoMap(1) [map[string]struct{age uint8}] {\n  'alice' => { age: 30 }\n}");
  // Long: one entry a line; past maxArrayLength, a count of the rest. Every entry is shown once.
  const big = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < 150; i++) big.set(i, i * 2);
  const lines = inspect(big).split("\n");
  assert.equal(lines[0], "GoMap(150) [map[uint32]uint32] {");
  assert.equal(lines.at(-2), "  ... 50 more items");
  assert.equal(lines.at(-1), "}");
  const shown = lines.slice(1, -2).map((l) => l.trim().replace(/,$/, ""));
  assert.equal(new Set(shown).size, 100);
  for (const e of shown) {
    const [k, v] = e.split(" => ").map(Number);
    assert.equal(v, k * 2, e);
  }
  assert.match(inspect(big, { maxArrayLength: 3, breakLength: Infinity }), /^GoMap\(150\) \[map\[uint32\]uint32\] \{ \d+ => \d+, \d+ => \d+, \d+ => \d+, \.\.\. 147 more items \}$/);
  assert.equal(inspect(big, { maxArrayLength: 0 }), "GoMap(150) [map[uint32]uint32] { ... 150 more items }", "maxArrayLength 0: no entry, only the count");
  assert.equal(inspect(big, { maxArrayLength: 1, breakLength: Infinity }).split(" => ").length, 2, "maxArrayLength 1: one entry");
  // Showing a map leaves it as it was, and lets go of the heap: the iterator stopped at
  // maxArrayLength is finished, so frees are not deferred.
  const h = hmapOf(big)!;
  assert.equal(h.heap.held, false);
  assert.equal(big.size, 150);
  for (let i = 0; i < 150; i++) assert.equal(big.get(i), i * 2);
  checkInvariants(big);
});

test("GoMap: new GoMap(...) from JS is refused with a TypeError naming the ways to make one", () => {
  // TypeScript already refuses the private constructor; a JS caller reaches it.
  const Ctor = GoMap as unknown as new (...args: unknown[]) => unknown;
  assert.throws(() => new Ctor(t.u32, t.u32), {
    name: "TypeError",
    message: "gomap: GoMap has no public constructor; make one with GoMap.make(keyType, valueType), GoMap.nil, GoMap.fromBytes or GoMap.attach",
  });
  const m = GoMap.make(t.u32, t.u32);
  assert.throws(() => new (m.constructor as unknown as new (...args: unknown[]) => unknown)(t.u32, t.u32, null), TypeError);
  m.set(1, 2);
  assert.equal(m.get(1), 2);
});

test("GoMap.make and nil refuse a type argument that is not a gomap type, naming which", () => {
  const make = GoMap.make as unknown as (...args: unknown[]) => unknown;
  const nil = GoMap.nil as unknown as (...args: unknown[]) => unknown;
  const want = (what: string, got: string) => ({
    name: "TypeError",
    message: `gomap: the ${what} type must be a gomap type (types.u32, types.string...), got ${got}`,
  });
  assert.throws(() => make("u32", t.u32), want("key", '"u32"'));
  assert.throws(() => make(t.u32), want("value", "undefined"));
  assert.throws(() => make(t.u32, null), want("value", "null"));
  assert.throws(() => make(t.u32, { kind: "u32" }), want("value", "object"));
  assert.throws(() => nil(t.string), want("value", "undefined"));
});

test("GoMap.make refuses unknown options and options that are not an object", () => {
  const make = GoMap.make as unknown as (k: unknown, v: unknown, o: unknown) => GoMap<number, number>;
  assert.throws(() => make(t.u32, t.u32, { hnt: 1000 }), {
    name: "TypeError",
    message: 'gomap: unknown GoMap.make option "hnt" (the options are hint, maxBytes, hash, hashKey, seed, shared)',
  });
  assert.throws(() => make(t.u32, t.u32, null), /options must be an object, got null/);
  const m = make(t.u32, t.u32, { hint: 1000, maxBytes: 1 << 20, hash: "gomap", seed: 7, shared: false });
  m.set(1, 2);
  assert.equal(m.get(1), 2);
});

test("GoMap.make and SyncMap.make refuse a maxBytes or hint that bounds nothing, naming what came", () => {
  const make = GoMap.make as unknown as (k: unknown, v: unknown, o: unknown) => GoMap<number, number>;
  // "1mb" and NaN compare false with every size: accepted, they bound nothing (and a NaN
  // capacity made a heap whose first iteration never ended).
  assert.throws(() => make(t.u32, t.u32, { maxBytes: "1mb" }), { name: "TypeError", message: 'gomap: GoMap.make maxBytes must be a number of bytes above 0, got "1mb" (string)' });
  assert.throws(() => make(t.u32, t.u32, { maxBytes: NaN }), /^TypeError: gomap: GoMap.make maxBytes .* got NaN \(number\)$/);
  assert.throws(() => make(t.u32, t.u32, { maxBytes: 0 }), RangeError);
  assert.throws(() => SyncMap.make(t.u32, t.u32, { maxBytes: -1 }), /^RangeError: gomap: SyncMap.make maxBytes must be a number of bytes above 0, got -1 \(number\)$/);
  assert.throws(() => make(t.u32, t.u32, { hint: NaN }), { name: "TypeError", message: "gomap: hint must be a number of entries, got NaN (number)" });
  assert.throws(() => make(t.u32, t.u32, { hint: "5" }), /hint must be a number of entries, got "5" \(string\)/);
  // Absurd hints are ignored, as Go ignores them; Infinity as maxBytes is no bound.
  assert.equal(make(t.u32, t.u32, { hint: -5, maxBytes: Infinity }).set(1, 1).size, 1);
});

test("gomap: update and forEach refuse a callback that is not a function, on full, empty and nil maps, changing nothing", () => {
  for (const m of [GoMap.make(t.u32, t.u32).set(1, 2), GoMap.make(t.u32, t.u32), GoMap.nil(t.u32, t.u32)]) {
    const before = [...m];
    // Map.prototype.forEach checks its callback even on an empty map; so does GoMap's.
    assert.throws(() => m.forEach(5 as unknown as () => void), /^TypeError: gomap: GoMap.forEach wants a function, got 5 \(number\)$/);
    if (m.isNil) {
      // update on a nil map is a write: the key and the callback are checked first all the same.
      assert.throws(() => m.update(1, null as unknown as () => void), /GoMap.update wants a function, got null/);
    } else {
      assert.throws(() => m.update(1, "x" as unknown as () => void), /^TypeError: gomap: GoMap.update wants a function, got "x" \(string\)$/);
      assert.throws(() => m.update(3, undefined as unknown as () => void), /GoMap.update wants a function, got undefined/);
    }
    assert.deepEqual([...m], before);
    if (!m.isNil) {
      m.set(9, 9); // not left marked as being written
      checkInvariants(m as AnyMap);
    }
  }
});

test("gomap: a ref view's setter refuses a bad value naming the field's whole path, and writes nothing", () => {
  const Inner = t.struct({ b: t.u8, s: t.string });
  const m = GoMap.make(t.u32, t.struct({ a: t.u8, in: Inner, other: Inner }));
  m.set(1, { a: 1, in: { b: 2, s: "x" }, other: { b: 3 } });
  const r = m.ref(1);
  assert.throws(() => { r.a = 300; }, { name: "RangeError", message: "gomap: value.a 300 out of range for uint8" });
  // The same nested type in two fields: each view names its own path.
  assert.throws(() => { r.in.b = 300; }, { name: "RangeError", message: "gomap: value.in.b 300 out of range for uint8" });
  assert.throws(() => { r.other.s = 5 as unknown as string; }, { name: "TypeError", message: "gomap: cannot use 5 (number) as string value.other.s" });
  assert.deepEqual(m.get(1), { a: 1, in: { b: 2, s: "x" }, other: { b: 3, s: "" } });
  r.in.b = 200; // a good value still goes in
  assert.equal(m.get(1)!.in.b, 200);
});

test("gomap: a [N]byte key or value that only looks like a Uint8Array of N bytes (a Proxy, a lying length) is refused, the heap byte for byte as it was", () => {
  class LongerThanItIs extends Uint8Array {
    override get length(): number {
      return 4;
    }
  }
  let reads = 0;
  const changing = new Proxy(new Uint8Array(4), {
    get: (target, p) => (typeof p === "string" && /^\d+$/.test(p) ? reads++ & 0xff : Reflect.get(target, p)),
  });
  const keys = GoMap.make(t.bytes(4), t.u32);
  const values = GoMap.make(t.u32, t.bytes(40));
  keys.set(new Uint8Array(4), 1);
  values.set(1, new Uint8Array(40).fill(1));
  for (const bad of [new LongerThanItIs(2), changing]) {
    for (const [m, f] of [
      [keys, () => keys.set(bad, 2)],
      [keys, () => keys.set(bad, 3)],
      [values, () => values.set(1, bad)],
      [values, () => values.set(2, bad)],
    ] as [AnyMap, () => unknown][]) {
      const before = hmapOf(m)!.heap.u8.slice();
      assert.throws(f, (e: unknown) => (e instanceof TypeError || e instanceof RangeError) && /\[(4|40)\]byte/.test((e as Error).message));
      assert.deepEqual(hmapOf(m)!.heap.u8.slice(), before);
      checkInvariants(m);
    }
  }
  assert.equal(keys.size, 1);
  assert.deepEqual(values.get(1), new Uint8Array(40).fill(1));
});

test("gomap: ref and update take the key as it was at the call: a [N]byte or struct key the caller changes afterwards (a buffer reused for the next ID) changes neither", () => {
  // ref: the view looks its entry up again after a delete elsewhere; with the caller's own
  // array it looked up whatever the array held by then.
  const m = GoMap.make(t.bytes(2), t.u32, { seed: 1 });
  const k = new Uint8Array([1, 1]);
  m.set(k, 11);
  m.set(new Uint8Array([3, 3]), 33);
  const r = m.ref(k);
  k.set([9, 9]); // reused: now names no entry
  m.delete(new Uint8Array([3, 3]));
  assert.equal(r.value, 11, "the entry is where it was");
  r.value = 12;
  assert.equal(m.get(new Uint8Array([1, 1])), 12);
  // Its entry deleted, and another key put in the very slot it had, which the caller's array
  // now names: the view is stale, and must not read or write the other entry.
  m.delete(new Uint8Array([1, 1]));
  k.set([2, 2]);
  m.set(new Uint8Array([2, 2]), 22);
  assert.throws(() => r.value, StaleRefError);
  assert.throws(() => {
    r.value = 0;
  }, StaleRefError);
  assert.equal(m.get(new Uint8Array([2, 2])), 22);
  // The same for a struct key whose object is changed.
  const Key = t.struct({ id: t.u32, tag: t.bytes(1) });
  const s = GoMap.make(Key, t.struct({ n: t.u32 }), { seed: 1 });
  const key = { id: 1, tag: new Uint8Array([7]) };
  s.set(key, { n: 1 });
  const v = s.ref(key);
  s.delete(key);
  key.id = 2;
  key.tag[0] = 8;
  s.set({ id: 2, tag: new Uint8Array([8]) }, { n: 2 });
  assert.throws(() => v.n, StaleRefError);
  assert.deepEqual(s.get({ id: 2, tag: new Uint8Array([8]) }), { n: 2 });
  // update: fn may change the caller's key object; the result goes to the key it read, as Go's
  // m[k] = f(m[k]) evaluates k once.
  const u = GoMap.make(t.bytes(1), t.u32);
  const uk = new Uint8Array([1]);
  u.set(uk, 5);
  assert.equal(u.update(uk, (x) => {
    uk[0] = 2;
    return x + 1;
  }), 6);
  assert.deepEqual(contents(u, (b) => b[0]), new Map([[1, 6]]));
  const us = GoMap.make(Key, t.u32);
  const skey = { id: 1 };
  us.update(skey, (x) => {
    skey.id = 2;
    return x + 7;
  });
  assert.deepEqual([...us], [[{ id: 1, tag: new Uint8Array([0]) }, 7]]);
  checkInvariants(m as AnyMap);
  checkInvariants(s as AnyMap);
});

test("gomap: every re-entrant use of a map from update's fn is refused with Go's words and leaves its heap byte for byte as it was, iterations included", () => {
  const ops: [string, (m: GoMap<number, number>) => unknown, RegExp][] = [
    ["set", (m) => m.set(100, 1), /^concurrent map writes$/],
    ["delete", (m) => m.delete(2), /^concurrent map writes$/],
    ["clear", (m) => m.clear(), /^concurrent map writes$/],
    ["get", (m) => m.get(2), /^concurrent map read and map write$/],
    ["ref", (m) => m.ref(2), /^concurrent map read and map write$/],
    ["toBytes", (m) => m.toBytes(), /^concurrent map read and map write$/],
    ["for..of", (m) => [...m], /^concurrent map iteration and map write$/],
    ["keys", (m) => m.keys().next(), /^concurrent map iteration and map write$/],
    ["values", (m) => [...m.values()], /^concurrent map iteration and map write$/],
    ["forEach", (m) => m.forEach(() => {}), /^concurrent map iteration and map write$/],
    ["JSON.stringify", (m) => JSON.stringify(m), /^concurrent map iteration and map write$/],
  ];
  for (const [name, op, words] of ops) {
    // A map never iterated: an iteration's start marks the header (Go's iterator flags).
    const m = GoMap.make(t.u32, t.u32);
    for (let i = 0; i < 20; i++) m.set(i, i);
    const before = hmapOf(m as AnyMap)!.heap.u8.slice();
    assert.throws(() => m.update(1, (v) => {
      op(m);
      return v + 1;
    }), isGoMapError(words), name);
    assert.deepEqual(hmapOf(m as AnyMap)!.heap.u8.slice(), before, `${name} changed the heap`);
    checkInvariants(m as AnyMap);
    assert.equal(m.update(1, (v) => v + 1), 2, name);
  }
});

test("gomap: a ref view read or written from update's fn is refused as the map's other reads and writes are, the heap byte for byte as it was; the view works again afterwards", () => {
  // A view checked its slot again only once the map had moved an entry (or always, on a shared
  // map): from update's fn it read and wrote the map the update was writing, but threw
  // "concurrent map read and map write" once a delete had come before.
  const S = t.struct({ n: t.u32, s: t.string });
  const refused = isGoMapError(/^concurrent map read and map write$/);
  for (const shared of [false, true]) {
    const boxes = GoMap.make(t.u32, t.string, { shared });
    const structs = GoMap.make(t.u32, S, { shared });
    for (let i = 0; i < 20; i++) {
      boxes.set(i, `value ${i}`);
      structs.set(i, { n: i, s: `value ${i}` });
    }
    const box = boxes.ref(1);
    const view = structs.ref(1);
    const uses: [string, AnyMap, () => unknown][] = [
      ["box read", boxes as AnyMap, () => box.value],
      ["box write", boxes as AnyMap, () => (box.value = "a string too long for its slot")],
      ["field read", structs as AnyMap, () => view.n],
      ["field write", structs as AnyMap, () => (view.n = 7)],
      ["string field write", structs as AnyMap, () => (view.s = "a string too long for its slot")],
    ];
    for (const [name, m, use] of uses) {
      for (const key of [1, 2, 100]) {
        const before = hmapOf(m)!.heap.u8.slice();
        assert.throws(() => m.update(key, (v) => (use(), v)), refused, `${name}, update(${key}), shared ${shared}`);
        assert.deepEqual(hmapOf(m)!.heap.u8.slice(), before, `${name}, update(${key}), shared ${shared}: the heap changed`);
      }
    }
    assert.equal(box.value, "value 1");
    assert.deepEqual({ n: view.n, s: view.s }, { n: 1, s: "value 1" });
    view.n = 8;
    box.value = "eight";
    assert.deepEqual([structs.get(1)!.n, boxes.get(1)], [8, "eight"]);
    checkInvariants(boxes as AnyMap);
    checkInvariants(structs as AnyMap);
  }
});

test("gomap: any JS value as a key or value, Uint8Array look-alikes included, is stored or refused with a gomap TypeError/RangeError, the heap byte for byte as it was (property, seeded)", () => {
  class LongerThanItIs extends Uint8Array {
    override get length(): number {
      return super.length + 1;
    }
  }
  const lookAlikes = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => new Proxy(a, {})),
    fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => new LongerThanItIs(a)),
    fc.integer({ min: 1, max: 4 }).map((n) => Object.setPrototypeOf(new Int8Array(n).fill(-1), Uint8Array.prototype) as Uint8Array),
  );
  const anyValue = fc.oneof(
    fc.anything({ withBigInt: true, withTypedArray: true, withBoxedValues: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withUnicodeString: true }),
    fc.integer(),
    fc.bigInt(),
    fc.double(),
    fc.string({ unit: "binary" }),
    fc.uint8Array({ minLength: 2, maxLength: 4 }),
    lookAlikes,
    fc.record(
      { a: fc.integer({ min: -5, max: 300 }), s: fc.string({ unit: "binary" }), n: fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), b: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 3 }), lookAlikes), in: fc.oneof(fc.record({ x: fc.boolean() }), fc.anything()) },
      { requiredKeys: [] },
    ),
  );
  const S = t.struct({ a: t.u8, s: t.string, n: t.i64, f: t.f32, b: t.bytes(2), in: t.struct({ x: t.bool }) });
  const keyTypes: GoType<unknown, unknown>[] = [t.bool, t.i8, t.u16, t.i32, t.u32, t.i64, t.u64.asNumber, t.f32, t.f64, t.string, t.bytes(3), S];
  const refused = (e: unknown): boolean => (e instanceof TypeError || e instanceof RangeError) && /^gomap: /.test(e.message);
  for (const kt of keyTypes) {
    for (const vt of [t.u8, t.string, S] as GoType<unknown, unknown>[]) {
      const m = GoMap.make(kt, vt);
      fc.assert(
        fc.property(anyValue, anyValue, (k, v) => {
          const before = hmapOf(m)!.heap.u8.slice();
          try {
            m.set(k, v);
          } catch (e) {
            assert.ok(refused(e), `map[${kt.name}]${vt.name}: ${String(e)}`);
            assert.deepEqual(hmapOf(m)!.heap.u8.slice(), before);
            return;
          }
          checkInvariants(m);
          assert.equal(m.has(k), !Number.isNaN(k) && !(typeof k === "object" && k !== null && Number.isNaN((k as { f?: unknown }).f)));
        }),
        { seed: 42, numRuns: 150 },
      );
    }
  }
});

test("GoMap.make with another map's keyType hashes as its own options say, so its snapshot and its shared handle find every key", () => {
  // A go1.19 map's keyType hashes as Go 1.19 does. make() wrapped it as it was, so a map made
  // with it and no hash option placed keys by Go's hash while its header said gomap's: its own
  // snapshot was refused as corrupt-map (with verify "checksum": size 100, no key found), and
  // a handle attached elsewhere found none of them.
  const goKey = GoMap.make(t.string, t.u32, { hash: "go1.19" }).keyType;
  for (const opts of [{}, { hash: "go1.19" as const, hashKey: 0x77n }]) {
    const m = GoMap.make(goKey, t.u32, { ...opts, shared: true });
    for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
    const copies = [
      GoMap.fromBytes(m.toBytes(), t.string, t.u32),
      GoMap.fromBytes(m.toBytes(), t.string, t.u32, { verify: "checksum" }),
      GoMap.attach(m.share()),
    ];
    for (const c of copies) {
      let found = 0;
      for (let i = 0; i < 100; i++) if (c.get(`k${i}`) === i) found++;
      assert.equal(found, 100, `hash ${opts.hash ?? "gomap"}`);
      checkInvariants(c as never);
    }
  }
});

test("gomap: a ref view whose key was deleted and set again into the same slot reads it again; one whose key went elsewhere is stale", () => {
  const m = GoMap.make(t.u32, t.u32, { seed: 3 });
  m.set(1, 10);
  m.set(2, 20); // keeps the map from emptying, which would renew its hash seed
  const r = m.ref(1);
  m.delete(1);
  assert.throws(() => r.value, StaleRefError);
  m.set(1, 11); // the first free slot of its bucket: the one it had
  assert.equal(r.value, 11);
  r.value = 12;
  assert.equal(m.get(1), 12);
  // Grown, the key is in another bucket: stale for good.
  for (let i = 3; i < 100; i++) m.set(i, i);
  assert.throws(() => r.value, StaleRefError);
});

test("GoMap.make's seed option is the map's hash0, 0 and 2^32 - 1 included", () => {
  for (const seed of [0, 1, 0x9e3779b9, 0xffffffff]) {
    const m = GoMap.make(t.u32, t.u32, { seed });
    assert.equal(m.inspect({ seed: true }).hash0, seed);
    m.set(1, 2);
    assert.equal(m.inspect({ seed: true }).hash0, seed, "a write keeps it");
  }
});

test("GoMap: isShared is true only for a map on a SharedArrayBuffer, not for a plain one, a nil one or a plain one loaded from a shared one's bytes", () => {
  assert.equal(GoMap.make(t.u32, t.u32).isShared, false);
  assert.equal(GoMap.make(t.u32, t.u32, { shared: false }).isShared, false);
  assert.equal(GoMap.nil(t.u32, t.u32).isShared, false);
  const shared = GoMap.make(t.u32, t.u32, { shared: true });
  shared.set(1, 2);
  assert.equal(shared.isShared, true);
  assert.equal(GoMap.fromBytes(shared.toBytes(), t.u32, t.u32).isShared, false);
});

test("GoMap.make ignores every hint whose bucket array could never fit in a heap, not only those past 2^32 bytes before rounding up to a power of two", () => {
  // u32 -> u32 buckets are 80 bytes. A hint above 6.5 * 2^25 needs B = 26: 2^26 + 2^22 buckets,
  // 5.7 GB, past any heap (4 GiB - 64 KiB), though hint / 6.5 * 80 is still under 2^32 up to
  // 348,966,093. Such hints threw HeapExhaustedError while larger ones were ignored.
  for (const hint of [6.5 * 2 ** 25 + 1, 3e8, 348_966_093, 348_966_094, 4e8, 1e12]) {
    const m = GoMap.make(t.u32, t.u32, { hint });
    assert.equal(m.inspect().B, 0, `hint ${hint} is ignored, as Go ignores a hint it can't allocate`);
    m.set(1, 2);
    assert.equal(m.get(1), 2);
  }
  // A 200-byte key: its buckets are bigger, and so the bound on the hint is lower.
  const big = GoMap.make(t.bytes(100), t.bytes(100), { hint: 6.5 * 2 ** 23 + 1 });
  assert.equal(big.inspect().B, 0);
});

test("GoMap.make takes a fractional hint as its whole part, as Go's int hint", () => {
  // loadLimit(3) = 52: a hint of 52 makes B = 3, one of 53 makes B = 4.
  assert.equal(GoMap.make(t.u32, t.u32, { hint: 52 }).inspect().B, 3);
  assert.equal(GoMap.make(t.u32, t.u32, { hint: 52.9 }).inspect().B, 3);
  assert.equal(GoMap.make(t.u32, t.u32, { hint: 53 }).inspect().B, 4);
  assert.equal(GoMap.make(t.u32, t.u32, { hint: 8.5 }).inspect().B, 0);
});
