// What every API hands back has exactly the kind its declared type promises (Out<T>,
// src/types/type.ts), checked at run time, for every key type crossed with every value type:
// get, lookup, keys/values/entries, for..of, forEach, update's argument and result, ref views
// (getters and setters, nested structs, byte arrays), SyncMap's load, loadOrStore, swap,
// loadAndDelete and range, a map after toBytes/fromBytes and after share/attach, toJSON and
// util.inspect. One table (TYPES) drives every case: a failure names the map type and the API.
// The compile-time half of the same promise is test/typecheck/usage.ts.
import assert from "node:assert/strict";
import test from "node:test";
import { inspect } from "node:util";
import { GoMap } from "../../src/gomap.js";
import { inspect as gomapInspect } from "../../src/inspect/index.js";
import { SyncMap } from "../../src/sync/syncmap.js";
import { BytesType, StructType, Word64BigIntType, Word64NumberType, types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** A type of the matrix and two values of it: what a write takes and what a read must give. */
interface Row {
  name: string;
  type: AnyType;
  /** [input, expected read] pairs; the keys of a map are the first two (distinct as keys). */
  samples: [unknown, unknown][];
  /** The samples hold a NaN or -0: not usable as JSON keys (JSON.stringify makes "0" of -0). */
  floaty?: boolean;
}

const Inner = t.struct({ ok: t.bool, s: t.string, b: t.bytes(3) });
const TYPES: Row[] = [
  { name: "bool", type: t.bool, samples: [[true, true], [false, false]] },
  { name: "i8", type: t.i8, samples: [[-128, -128], [127, 127]] },
  { name: "i16", type: t.i16, samples: [[-32768, -32768], [7, 7]] },
  { name: "i32", type: t.i32, samples: [[-(2 ** 31), -(2 ** 31)], [2 ** 31 - 1, 2 ** 31 - 1]] },
  { name: "u8", type: t.u8, samples: [[255, 255], [0, 0]] },
  { name: "u16", type: t.u16, samples: [[65535, 65535], [1, 1]] },
  { name: "u32", type: t.u32, samples: [[2 ** 32 - 1, 2 ** 32 - 1], [3, 3]] },
  { name: "i64", type: t.i64, samples: [[-(2n ** 63n), -(2n ** 63n)], [5, 5n], [2n ** 63n - 1n, 2n ** 63n - 1n]] },
  { name: "u64", type: t.u64, samples: [[2n ** 64n - 1n, 2n ** 64n - 1n], [5, 5n]] },
  { name: "i64.asNumber", type: t.i64.asNumber, samples: [[-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER], [5n, 5]] },
  { name: "u64.asNumber", type: t.u64.asNumber, samples: [[Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [5n, 5]] },
  { name: "f32", type: t.f32, samples: [[-0, -0], [1.5, 1.5], [NaN, NaN]], floaty: true },
  { name: "f64", type: t.f64, samples: [[-0, -0], [0.1, 0.1], [NaN, NaN]], floaty: true },
  { name: "string", type: t.string, samples: [["", ""], ["héllo \u{1F600}", "héllo \u{1F600}"]] },
  { name: "bytes(1)", type: t.bytes(1), samples: [[new Uint8Array([255]), new Uint8Array([255])], [Buffer.from([1]), new Uint8Array([1])]] },
  { name: "bytes(16)", type: t.bytes(16), samples: [[new Uint8Array(16).fill(7), new Uint8Array(16).fill(7)], [new Uint8Array(16), new Uint8Array(16)]] },
  {
    name: "struct{i64,u64}",
    type: t.struct({ a: t.i64, b: t.u64 }),
    samples: [[{ a: 1, b: 2 }, { a: 1n, b: 2n }], [{ a: -(2n ** 63n) }, { a: -(2n ** 63n), b: 0n }]],
  },
  {
    name: "struct{i64.asNumber,u64.asNumber}",
    type: t.struct({ a: t.i64.asNumber, b: t.u64.asNumber }),
    samples: [[{ a: 1n, b: 2n }, { a: 1, b: 2 }], [{ a: -5 }, { a: -5, b: 0 }]],
  },
  {
    name: "struct{nested}",
    type: t.struct({ x: t.f64, inner: Inner, id: t.u64, n: t.u64.asNumber, tag: t.bytes(2) }),
    samples: [
      [{ x: -0, inner: { ok: true, s: "é", b: new Uint8Array([1, 2, 3]) }, id: 9, n: 9n }, { x: -0, inner: { ok: true, s: "é", b: new Uint8Array([1, 2, 3]) }, id: 9n, n: 9, tag: new Uint8Array(2) }],
      [{}, { x: 0, inner: { ok: false, s: "", b: new Uint8Array(3) }, id: 0n, n: 0, tag: new Uint8Array(2) }],
    ],
    floaty: true,
  },
  { name: "struct{}", type: t.struct({}), samples: [[{}, {}]] },
];

/** Fails unless v has exactly the kind a read of type ty promises (recursively for structs). */
function assertKind(ty: AnyType, v: unknown, where: string, heap?: ArrayBufferLike): void {
  const want = (ok: boolean, what: string): void => assert.ok(ok, `${where}: want ${what}, got ${inspect(v)} (${typeof v})`);
  if (ty instanceof Word64BigIntType) return want(typeof v === "bigint", "bigint");
  if (ty instanceof Word64NumberType) return want(typeof v === "number" && Number.isSafeInteger(v), "safe-integer number");
  if (ty instanceof BytesType) {
    want(v instanceof Uint8Array && Object.getPrototypeOf(v) === Uint8Array.prototype, "a plain Uint8Array");
    const u = v as Uint8Array;
    want(u.length === ty.size, `${ty.size} bytes`);
    want(!(u.buffer instanceof SharedArrayBuffer), "bytes not on shared memory");
    if (heap !== undefined) want(u.buffer !== heap, "a copy, not a view of the heap");
    return;
  }
  if (ty instanceof StructType) {
    want(typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype, "a plain object");
    assert.deepEqual(Object.keys(v as object), ty.fields.map((f) => f.name), `${where}: the struct's fields, in order`);
    for (const f of ty.fields) assertKind(f.type, (v as Record<string, unknown>)[f.name], `${where}.${f.name}`, heap);
    return;
  }
  switch (ty.kind) {
    case "bool":
      return want(typeof v === "boolean", "boolean");
    case "string":
      return want(typeof v === "string" && v.isWellFormed(), "well-formed string");
    case "f32":
    case "f64":
      return want(typeof v === "number", "number");
    default:
      return want(typeof v === "number" && Number.isInteger(v), "integer number");
  }
}

/** assertKind, then the value itself (deepStrictEqual: -0 is not 0, NaN is NaN). */
function assertRead(ty: AnyType, v: unknown, expected: unknown, where: string, heap?: ArrayBufferLike): void {
  assertKind(ty, v, where, heap);
  assert.deepStrictEqual(v, expected, `${where}: the value read`);
}

/** The heap buffer of a map (to tell a copy from a view of it). */
function heapOf(m: AnyMap): ArrayBufferLike {
  return GoMap.hmapOf(m)!.heap.buffer;
}

/** Key samples: the first two (one for a type with a single value). */
function keysOf(r: Row): [unknown, unknown][] {
  return r.samples.slice(0, 2);
}

/** Every read API of a map holding `entries` (input pairs with the reads they must give). */
function checkMap(m: AnyMap, kr: Row, vr: Row, entries: [[unknown, unknown], [unknown, unknown]][], label: string): void {
  const kt = kr.type;
  const vt = vr.type;
  const heap = heapOf(m);
  assert.equal(m.size, entries.length, `${label}: size`);
  for (const [[kIn], [, vOut]] of entries) {
    assertRead(vt, m.get(kIn), vOut, `${label} get`, heap);
    const l = m.lookup(kIn);
    assert.ok(Array.isArray(l) && l.length === 2 && l[1] === true, `${label} lookup: [v, true]`);
    assertRead(vt, l[0], vOut, `${label} lookup[0]`, heap);
  }
  const expectedOut = (k: unknown): unknown => {
    const e = entries.find(([[, ko]]) => Object.is(ko, k) || (typeof k === "object" && isDeepEqual(ko, k)));
    assert.ok(e !== undefined, `${label}: an iterated key ${inspect(k)} is one stored`);
    return e[1][1];
  };
  const seen = (what: string, pairs: [unknown, unknown][]): void => {
    assert.equal(pairs.length, entries.length, `${label} ${what}: one pair an entry`);
    for (const [k, v] of pairs) {
      assertKind(kt, k, `${label} ${what} key`, heap);
      assertRead(vt, v, expectedOut(k), `${label} ${what} value`, heap);
    }
  };
  const es = [...m.entries()];
  for (const e of es) assert.ok(Array.isArray(e) && e.length === 2, `${label} entries(): [k, v] arrays`);
  seen("entries()", es);
  const fo: [unknown, unknown][] = [];
  for (const e of m) fo.push(e);
  seen("for..of", fo);
  const ks = [...m.keys()];
  const vs = [...m.values()];
  for (const k of ks) assertKind(kt, k, `${label} keys()`, heap);
  for (const v of vs) assertKind(vt, v, `${label} values()`, heap);
  const fe: [unknown, unknown][] = [];
  const self = {};
  m.forEach(function (this: unknown, v: unknown, k: unknown, map: unknown, ...rest: unknown[]) {
    assert.equal(map, m, `${label} forEach: the map third`);
    assert.equal(this, self, `${label} forEach: thisArg`);
    assert.equal(rest.length, 0, `${label} forEach: three arguments`);
    fe.push([k, v]);
  }, self);
  seen("forEach (value, key)", fe);
  // util.inspect shows each key and value as it shows the values iteration gives (layout aside).
  const flat = (x: unknown): string => inspect(x, { depth: 4, breakLength: Infinity }).replace(/\s+/g, "");
  const shown = flat(m);
  for (const [k, v] of fo) {
    assert.ok(shown.includes(`${flat(k)}=>${flat(v)}`), `${label} inspect shows ${flat(k)} => ${flat(v)}: ${shown}`);
  }
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** The map[K]V of the matrix, filled with the key samples and the first value samples. */
function filled(kr: Row, vr: Row, opts: { shared?: boolean; hash?: "go1.19" } = {}): { m: AnyMap; entries: [[unknown, unknown], [unknown, unknown]][] } {
  const m = GoMap.make(kr.type, vr.type, opts) as AnyMap;
  const entries: [[unknown, unknown], [unknown, unknown]][] = keysOf(kr).map((k, i) => [k, vr.samples[i % vr.samples.length]]);
  for (const [[k], [v]] of entries) m.set(k, v);
  return { m, entries };
}

for (const kr of TYPES) {
  test(`out types: map[${kr.name}]V for every V: get, lookup, iteration, forEach, inspect, nil map reads`, () => {
    for (const vr of TYPES) {
      const label = `map[${kr.name}]${vr.name}`;
      const { m, entries } = filled(kr, vr);
      checkMap(m, kr, vr, entries, label);
      // NaN as a value reads NaN; a nil map's lookup gives the zero value of V's kind.
      const nil = GoMap.nil(kr.type, vr.type) as AnyMap;
      assert.equal(nil.get(kr.samples[0][0]), undefined);
      const [z, ok] = nil.lookup(kr.samples[0][0]);
      assert.equal(ok, false);
      assertRead(vr.type, z, vr.type.zero(), `${label} nil lookup zero`);
    }
  });

  test(`out types: map[${kr.name}]V for every V: update's argument and result, ref views`, () => {
    for (const vr of TYPES) {
      const label = `map[${kr.name}]${vr.name}`;
      const { m, entries } = filled(kr, vr);
      const vt = vr.type;
      const [[k0], [, v0]] = entries[0];
      // update: fn gets a copy of the stored value; returning nothing stores it as it is.
      let arg: unknown;
      const r1 = m.update(k0, (v) => {
        arg = v;
      });
      assertRead(vt, arg, v0, `${label} update's argument`, heapOf(m));
      assertRead(vt, r1, v0, `${label} update's result (fn returned nothing)`, heapOf(m));
      // Returning a value (an input, as set takes) stores it; the result is read as get reads.
      const [vIn2, vOut2] = vr.samples[(entries.length) % vr.samples.length];
      const r2 = m.update(k0, () => vIn2);
      assertRead(vt, r2, vOut2, `${label} update's result (fn returned an input)`, heapOf(m));
      assertRead(vt, m.get(k0), vOut2, `${label} get after update`, heapOf(m));
      m.set(k0, vr.samples[0][0]);
      // ref: a box's value, or each field of a view, reads as get reads; setters take inputs.
      const ref = m.ref(k0) as Record<string, unknown>;
      if (vt instanceof StructType) {
        checkView(vt, ref, v0, `${label} ref`, heapOf(m));
        // Setting each field from the other sample, then reading it back through the view and get.
        const other = vr.samples[vr.samples.length - 1];
        for (const f of vt.fields) {
          const input = (other[0] as Record<string, unknown>)[f.name];
          if (input === undefined) continue;
          ref[f.name] = input;
          assertRead(f.type, ref[f.name] instanceof Object && f.type instanceof StructType ? { ...(ref[f.name] as object) } : ref[f.name], (other[1] as Record<string, unknown>)[f.name], `${label} ref.${f.name} after set`, heapOf(m));
        }
      } else {
        assertRead(vt, ref.value, v0, `${label} ref.value`, heapOf(m));
        const [vIn, vOut] = vr.samples[1 % vr.samples.length];
        ref.value = vIn;
        assertRead(vt, ref.value, vOut, `${label} ref.value after set`, heapOf(m));
        assertRead(vt, m.get(k0), vOut, `${label} get after ref.value set`, heapOf(m));
      }
    }
  });

  test(`out types: map[${kr.name}]V for every V: toBytes/fromBytes, share/attach, JSON`, () => {
    for (const vr of TYPES) {
      const label = `map[${kr.name}]${vr.name}`;
      const { m, entries } = filled(kr, vr);
      const snap = m.toBytes();
      assert.ok(Object.getPrototypeOf(snap) === Uint8Array.prototype && snap.buffer instanceof ArrayBuffer && snap.byteLength === snap.buffer.byteLength, `${label} toBytes: a Uint8Array on an ArrayBuffer of its own`);
      const back = GoMap.fromBytes(snap, kr.type, vr.type) as AnyMap;
      checkMap(back, kr, vr, entries, `${label} fromBytes`);
      const s = filled(kr, vr, { shared: true });
      checkMap(s.m, kr, vr, s.entries, `${label} shared`);
      const sharedSnap = s.m.toBytes();
      assert.ok(sharedSnap.buffer instanceof ArrayBuffer && sharedSnap.byteLength === sharedSnap.buffer.byteLength, `${label} shared toBytes: on an ArrayBuffer of its own`);
      const attached = GoMap.attach(s.m.share()) as AnyMap;
      checkMap(attached, kr, vr, s.entries, `${label} attached`);
      checkJSON(m, kr, vr, entries, label);
      // Go 1.19's hash: a key type of its own (hashing differently), reading as the base type.
      const g = filled(kr, vr, { hash: "go1.19" });
      checkMap(g.m, kr, vr, g.entries, `${label} go1.19`);
      // inspect.bucket's keys and values, slot by slot, as get reads them.
      let slots = 0;
      for (const b of gomapInspect.bucket(m, 0).chain) {
        for (let i = 0; i < b.keys.length; i++) {
          if (b.keys[i] === undefined) continue;
          slots++;
          assertKind(kr.type, b.keys[i], `${label} inspect.bucket key`, heapOf(m));
          assertKind(vr.type, b.values[i], `${label} inspect.bucket value`, heapOf(m));
        }
      }
      assert.equal(slots, entries.length, `${label} inspect.bucket: every entry (one bucket)`);
    }
  });

  test(`out types: SyncMap of ${kr.name} keys for every V: load, loadOrStore, swap, loadAndDelete, range`, () => {
    for (const vr of TYPES) {
      const label = `SyncMap[${kr.name}]${vr.name}`;
      const vt = vr.type;
      const sm = SyncMap.make(kr.type, vt, { shards: 2 }) as SyncMap<unknown, unknown, unknown, unknown>;
      const keys = keysOf(kr);
      const [k0In] = keys[0];
      const [v0In, v0Out] = vr.samples[0];
      const [v1In, v1Out] = vr.samples[1 % vr.samples.length];
      const los = sm.loadOrStore(k0In, v0In);
      assert.equal(los[1], false, `${label} loadOrStore stored`);
      assertRead(vt, los[0], v0Out, `${label} loadOrStore (stored)`);
      const los2 = sm.loadOrStore(k0In, v1In);
      assert.equal(los2[1], true, `${label} loadOrStore loaded`);
      assertRead(vt, los2[0], v0Out, `${label} loadOrStore (loaded)`);
      assertRead(vt, sm.load(k0In), v0Out, `${label} load`);
      assertRead(vt, sm.swap(k0In, v1In), v0Out, `${label} swap's previous`);
      assertRead(vt, sm.load(k0In), v1Out, `${label} load after swap`);
      const ranged: [unknown, unknown][] = [];
      sm.range((k, v) => {
        ranged.push([k, v]);
      });
      assert.equal(ranged.length, 1);
      assertKind(kr.type, ranged[0][0], `${label} range key`);
      assertRead(vt, ranged[0][1], v1Out, `${label} range value`);
      assertRead(vt, sm.loadAndDelete(k0In), v1Out, `${label} loadAndDelete`);
      assert.equal(sm.load(k0In), undefined);
    }
  });
}

/** Each field of a struct view reads as get's copy reads it; nested structs give views of their own. */
function checkView(ty: StructType, view: Record<string, unknown>, expected: unknown, where: string, heap: ArrayBufferLike): void {
  for (const f of ty.fields) {
    const x = view[f.name];
    const want = (expected as Record<string, unknown>)[f.name];
    if (f.type instanceof StructType) checkView(f.type, x as Record<string, unknown>, want, `${where}.${f.name}`, heap);
    else assertRead(f.type, x, want, `${where}.${f.name}`, heap);
  }
  assert.deepStrictEqual(JSON.parse(JSON.stringify(view, jsonSafe)), JSON.parse(JSON.stringify(expected, jsonSafe)), `${where}: JSON of the view`);
}

/** A replacer that lets bigints through JSON.stringify for comparisons (as strings). */
function jsonSafe(_: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}

/** What the README promises of JSON.stringify(m): integer and string keys only; bigints refused by JSON.stringify. */
function checkJSON(m: AnyMap, kr: Row, vr: Row, entries: [[unknown, unknown], [unknown, unknown]][], label: string): void {
  const jsonKey = kr.type.kind === "string" || ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"].includes(kr.type.kind);
  if (!jsonKey) {
    assert.throws(() => JSON.stringify(m), TypeError, `${label}: no JSON form`);
    return;
  }
  const hasBig = (ty: AnyType): boolean => ty instanceof Word64BigIntType || (ty instanceof StructType && ty.fields.some((f) => hasBig(f.type)));
  if (hasBig(vr.type)) {
    assert.throws(() => JSON.stringify(m), TypeError, `${label}: JSON.stringify refuses bigint values`);
  }
  const obj = m.toJSON() as Record<string, unknown>;
  for (const [[, kOut], [, vOut]] of entries) {
    const v = obj[String(kOut)];
    const jsonOf = (x: unknown): unknown => (x instanceof Uint8Array ? Array.from(x) : Array.isArray(x) ? x.map(jsonOf) : typeof x === "object" && x !== null ? Object.fromEntries(Object.entries(x).map(([n, y]) => [n, jsonOf(y)])) : x);
    assert.deepStrictEqual(jsonOf(v), jsonOf(vOut), `${label} toJSON value`);
  }
  if (!hasBig(vr.type)) {
    const parsed = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).sort(), entries.map(([[, k]]) => String(k)).sort(), `${label} JSON keys`);
  }
}

test("out types: a ref view is typed as the value type but is not a plain object (README m.ref): fields on its prototype, [N]byte fields read as copies, setters take what set takes", () => {
  const S = t.struct({ id: t.i64, tag: t.bytes(2), inner: t.struct({ n: t.u64.asNumber }) });
  const m = GoMap.make(t.u32, S).set(1, { id: 7, tag: new Uint8Array([1, 2]), inner: { n: 3 } });
  const view = m.ref(1);
  assert.deepEqual(Object.keys(view), [], "no own fields");
  assert.deepEqual(Object.keys({ ...view }), [], "a spread copies no field");
  assert.deepStrictEqual(JSON.parse(JSON.stringify(view, jsonSafe)), { id: "7n", tag: { 0: 1, 1: 2 }, inner: { n: 3 } }, "JSON shows the value");
  // A [N]byte field reads a copy: writing into it leaves the map as it was.
  view.tag[0] = 9;
  assert.deepStrictEqual(m.get(1)!.tag, new Uint8Array([1, 2]));
  view.tag = new Uint8Array([9, 9]);
  assert.deepStrictEqual(m.get(1)!.tag, new Uint8Array([9, 9]));
  // An int64 field's setter takes a number, as set does, and reads back a bigint.
  (view as unknown as { id: number }).id = 5;
  assert.equal(view.id, 5n);
  view.inner.n = 4;
  assert.equal(m.get(1)!.inner.n, 4);
});
