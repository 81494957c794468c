// The golden snapshot files of test/snapshot/fixtures/: which maps they hold, how each was
// made, and the generator that wrote them. test/snapshot/golden.test.ts loads every file with
// today's code and checks it against the JSON written beside it, so a change to the format
// (the header, the type codes, the heap or hmap layout, the checksum) that also changes the
// reader still fails a test, instead of making every file users saved unreadable.
//
// Regenerate ONLY together with a format version bump (snapshot/format.ts VERSION, and a
// reader that still reads, or plainly refuses, the old files): the committed files are what
// version 1 readers in users' hands were promised. To regenerate:
//
//   npm run build && node build/test/snapshot/golden-files.js write
//
// The maps are made deterministically: fastrand is reseeded before each map (it picks
// hash0 when no seed is given, and NaN keys' hashes), seeds and the go1.19 hash key are fixed,
// so running the generator twice writes the same bytes. Each file's JSON gives the key and
// value type codes, the map's shape as inspect() reports it, and the entries, taken from a
// model of Go's semantics kept beside the map (not read back from it), encoded as
// encodeValue says. The generator checks the map agrees with the model before it writes.
//
// Loaded by the test runner (every file under build/test is), this file does nothing: it
// writes only when run with the argument `write`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GoMap } from "../../src/gomap.js";
import { seedFastrand } from "../../src/hash/rand.js";
import { encodeTypeCode } from "../../src/snapshot/typecode.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** Where the golden files live: test/snapshot/fixtures, from build/test/snapshot or test/snapshot. */
export const FIXTURES = new URL("../../../test/snapshot/fixtures/", import.meta.url);

/** One golden file: its name (NAME.gomap, NAME.json), what it pins, and how its map is made. */
export interface GoldenCase {
  name: string;
  about: string;
  keyType: AnyType;
  valueType: AnyType;
  /** The map (null: a nil map) and the entries a Go map would hold after the same operations. */
  build(): { map: AnyMap | null; model: [unknown, unknown][] };
}

/** What the JSON beside a golden file holds. */
export interface GoldenJSON {
  about: string;
  key: string;
  value: string;
  /** inspect() of the map as saved, the figures that pin its shape; null for a nil map. */
  shape: Shape | null;
  /** The entries, encoded by encodeValue, sorted by their JSON text. */
  entries: [unknown, unknown][];
}

export interface Shape {
  count: number;
  B: number;
  buckets: number;
  growth: string | null;
  nevacuate: number;
  oldBuckets: number;
  oldBucketsLeft: number;
  noverflow: number;
  hash0: number;
  heapTop: number;
}

/**
 * A value as JSON can hold it exactly: a bigint as {"bigint": "<decimal>"}, bytes as
 * {"hex": "..."}, NaN, -0 and infinities as {"f64": "NaN" | "-0" | "Infinity" | "-Infinity"},
 * a struct field by field; other numbers, strings and booleans as they are.
 */
export function encodeValue(v: unknown): unknown {
  if (typeof v === "bigint") return { bigint: v.toString() };
  if (v instanceof Uint8Array) return { hex: Buffer.from(v.buffer, v.byteOffset, v.length).toString("hex") };
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { f64: "NaN" };
    if (Object.is(v, -0)) return { f64: "-0" };
    if (!Number.isFinite(v)) return { f64: String(v) };
    return v;
  }
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  }
  return v;
}

/** Entries encoded and sorted by their JSON text: a canonical form for comparing maps. */
export function encodeEntries(entries: Iterable<[unknown, unknown]>): [unknown, unknown][] {
  return [...entries]
    .map(([k, v]): [unknown, unknown] => [encodeValue(k), encodeValue(v)])
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}

/** The figures of m's shape the JSON pins. */
export function shapeOf(m: AnyMap): Shape | null {
  if (m.isNil) return null;
  const s = m.inspect({ seed: true });
  return {
    count: s.count,
    B: s.B,
    buckets: s.buckets,
    growth: s.growth,
    nevacuate: s.nevacuate,
    oldBuckets: s.oldBuckets,
    oldBucketsLeft: s.oldBucketsLeft,
    noverflow: s.noverflow,
    hash0: s.hash0 as number,
    heapTop: s.heap.top,
  };
}

/**
 * A model of a Go map with the float rules (NaN never equal to anything, +0 and -0 one key
 * whose stored key an overwrite replaces, as Go's mapassign does for floats): the entries a
 * Go map holds after the same sets and deletes.
 */
class Model {
  readonly entries: [unknown, unknown][] = [];
  constructor(private readonly same: (a: unknown, b: unknown) => boolean) {}
  set(k: unknown, v: unknown): void {
    const i = this.entries.findIndex(([x]) => this.same(x, k));
    if (i < 0) this.entries.push([k, v]);
    else this.entries[i] = [k, v];
  }
  delete(k: unknown): void {
    const i = this.entries.findIndex(([x]) => this.same(x, k));
    if (i >= 0) this.entries.splice(i, 1);
  }
}

/** Key equality by value: numbers by ===, bigints, strings; bytes by content. */
function sameKey(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** A map and its model, written through together. */
function pair(m: AnyMap): { m: AnyMap; model: Model; set(k: unknown, v: unknown): void; del(k: unknown): void } {
  const model = new Model(sameKey);
  return {
    m,
    model,
    set(k, v) {
      m.set(k, v);
      model.set(k, v);
    },
    del(k) {
      m.delete(k);
      model.delete(k);
    },
  };
}

function bytesOf(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 131 + i * 7 + (i >>> 3)) & 0xff;
  return b;
}

const Profile = t.struct({ name: t.string, visits: t.u32, score: t.f64, active: t.bool });

export const CASES: GoldenCase[] = [
  {
    name: "u32-u32",
    about: "uint32 -> uint32, 40 entries (B=3), 8 of them deleted",
    keyType: t.u32,
    valueType: t.u32,
    build() {
      const p = pair(GoMap.make(t.u32, t.u32, { seed: 0x1234abcd }) as AnyMap);
      for (let i = 0; i < 40; i++) p.set((i * 2654435761) >>> 0, i * 3 + 1);
      for (let i = 0; i < 40; i += 5) p.del((i * 2654435761) >>> 0);
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "u32-u32-growing",
    about: "uint32 -> uint32 saved in the middle of a doubling growth (B 3 -> 4), old buckets left to evacuate",
    keyType: t.u32,
    valueType: t.u32,
    build() {
      const p = pair(GoMap.make(t.u32, t.u32, { seed: 0x0badf00d }) as AnyMap);
      // 52 entries fill B=3 to its load factor; the 53rd starts the growth, which each later
      // write advances by one or two old buckets: two more writes leave some not evacuated.
      for (let i = 0; i < 55; i++) p.set(i * 7 + 3, 0xffffffff - i);
      p.del(3);
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "string-struct",
    about: "string -> struct{name string; visits uint32; score float64; active bool}: keys and names longer than 12 bytes (in heap blocks), short and non-ASCII ones inline",
    keyType: t.string,
    valueType: Profile,
    build() {
      const p = pair(GoMap.make(t.string, Profile, { seed: 0x5eed0001 }) as AnyMap);
      for (let i = 0; i < 20; i++) {
        const key = i % 3 === 0 ? `k${i}` : i % 3 === 1 ? `user-${i}@example.org/with/a/long/path` : `ключ-номер-${i}-🙂`;
        p.set(key, { name: i % 2 === 0 ? `Person number ${i}, a long name` : `P${i}`, visits: i * 11, score: i / 4, active: i % 2 === 1 });
      }
      p.set("", { name: "the empty key", visits: 0, score: -1.5, active: true });
      p.del(`user-4@example.org/with/a/long/path`);
      p.set(`user-7@example.org/with/a/long/path`, { name: "overwritten, and also longer than twelve bytes", visits: 7, score: 7.5, active: false });
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "u64-bigint",
    about: "uint64 -> int64, bigint keys and values, 0 and 2^64-1 included",
    keyType: t.u64,
    valueType: t.i64,
    build() {
      const p = pair(GoMap.make(t.u64, t.i64, { seed: 0x64646464 }) as AnyMap);
      const keys = [0n, 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0xdeadbeefcafebaben];
      for (let i = 0; i < 24; i++) keys.push(BigInt(i) * 0x1_0000_0001n + 0x9000_0000_0000_0000n);
      keys.forEach((k, i) => p.set(k, BigInt(i % 2 === 0 ? i : -i) * 0x7fff_ffff_ffffn));
      p.set((1n << 64n) - 1n, -(1n << 63n));
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "f64-keys",
    about: "float64 -> int32: -0, +0 and -0 again written (one key, stored as the last write's -0), three NaN keys (three entries), infinities, the smallest and largest doubles",
    keyType: t.f64,
    valueType: t.i32,
    build() {
      // The model's same-key test: Go's ==, under which NaN is never equal and -0 == +0.
      const model = new Model((a, b) => a === b);
      const m = GoMap.make(t.f64, t.i32, { seed: 0xf64f64f6 }) as AnyMap;
      const set = (k: number, v: number): void => {
        m.set(k, v);
        model.set(k, v);
      };
      set(-0, 1);
      set(0, 2);
      set(-0.5, 3);
      for (let i = 0; i < 3; i++) set(NaN, 10 + i);
      set(Infinity, 20);
      set(-Infinity, -20);
      set(Number.MIN_VALUE, 30);
      set(Number.MAX_VALUE, 31);
      for (let i = 1; i <= 10; i++) set(i / 10, -i);
      set(-0.0000001, 40);
      set(-0, 41); // overwrites the +0 key, storing -0
      return { map: m, model: model.entries };
    },
  },
  {
    name: "bytes16-indirect",
    about: "[16]byte -> [200]byte: values over 128 bytes, stored indirectly in blocks of their own",
    keyType: t.bytes(16),
    valueType: t.bytes(200),
    build() {
      const p = pair(GoMap.make(t.bytes(16), t.bytes(200), { seed: 0x16161616 }) as AnyMap);
      for (let i = 0; i < 12; i++) p.set(bytesOf(16, i), bytesOf(200, 100 + i));
      p.del(bytesOf(16, 5));
      p.set(bytesOf(16, 2), bytesOf(200, 999));
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "empty",
    about: "an empty uint32 -> uint32 map, made without a hint: no bucket array yet",
    keyType: t.u32,
    valueType: t.u32,
    build() {
      return { map: GoMap.make(t.u32, t.u32, { seed: 0x00e00e00 }) as AnyMap, model: [] };
    },
  },
  {
    name: "nil",
    about: "a nil uint32 -> uint32 map (var m map[uint32]uint32): no heap at all",
    keyType: t.u32,
    valueType: t.u32,
    build() {
      return { map: GoMap.nil(t.u32, t.u32) as AnyMap, model: [] };
    },
  },
  {
    name: "hint",
    about: "uint32 -> string made with hint 100 (B=4 at once), 10 entries",
    keyType: t.u32,
    valueType: t.string,
    build() {
      const p = pair(GoMap.make(t.u32, t.string, { hint: 100, seed: 0x41414141 }) as AnyMap);
      for (let i = 0; i < 10; i++) p.set(i * 1000, i % 2 === 0 ? `value ${i}` : `a value longer than twelve bytes, number ${i}`);
      return { map: p.m, model: p.model.entries };
    },
  },
  {
    name: "go119-hash",
    about: "string -> uint32 with hash \"go1.19\" and a fixed hash key: the header records the hasher and its key",
    keyType: t.string,
    valueType: t.u32,
    build() {
      const p = pair(GoMap.make(t.string, t.u32, { hash: "go1.19", hashKey: 0x0123456789abcdefn, seed: 0x19191919 }) as AnyMap);
      for (let i = 0; i < 30; i++) p.set(i % 2 === 0 ? `go-${i}` : `a go1.19-hashed key, number ${i}`, i * i);
      return { map: p.m, model: p.model.entries };
    },
  },
];

/** The JSON text of a golden file's description: one line a field, and one an entry. */
function formatJSON(json: GoldenJSON): string {
  const { entries, ...rest } = json;
  const head = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = entries.map((e, i) => `    ${JSON.stringify(e)}${i < entries.length - 1 ? "," : ""}`);
  const list = entries.length === 0 ? [`  "entries": []`] : [`  "entries": [`, ...body, "  ]"];
  return ["{", ...head, ...list, "}", ""].join("\n");
}

/** Writes every golden file and its JSON. */
function write(): void {
  const dir = fileURLToPath(FIXTURES);
  mkdirSync(dir, { recursive: true });
  for (const c of CASES) {
    seedFastrand(0x600d5eed, 0x12345678, 0x9abcdef0, 0x0fedcba9);
    const { map, model } = c.build();
    const m = map ?? (GoMap.nil(c.keyType, c.valueType) as AnyMap);
    const entries = encodeEntries(model);
    if (JSON.stringify(encodeEntries(m.entries())) !== JSON.stringify(entries)) throw new Error(`${c.name}: the map does not hold the model's entries`);
    const json: GoldenJSON = {
      about: c.about,
      key: new TextDecoder().decode(encodeTypeCode(c.keyType)),
      value: new TextDecoder().decode(encodeTypeCode(c.valueType)),
      shape: shapeOf(m),
      entries,
    };
    const bytes = m.toBytes();
    writeFileSync(join(dir, `${c.name}.gomap`), bytes);
    writeFileSync(join(dir, `${c.name}.json`), formatJSON(json));
    console.log(`${c.name}.gomap: ${bytes.length} bytes, ${entries.length} entries`);
  }
}

if (process.argv[2] === "write" && process.argv[1] === fileURLToPath(import.meta.url)) write();
