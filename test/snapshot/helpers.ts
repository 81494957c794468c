// Shared by the snapshot tests: maps of several key and value types filled from an index (so
// every test can rebuild the same contents), a canonical form of their entries, and reseal(),
// which recomputes a snapshot's checksum after a test changed its bytes on purpose.
import assert from "node:assert/strict";
import { GoMap } from "../../src/gomap.js";
import { checksum, DIGEST_BYTES } from "../../src/snapshot/checksum.js";
import { checkInvariants } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

export type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** One map type, and the i-th key and value to put in it. */
export interface Spec {
  name: string;
  keyType: AnyType;
  valueType: AnyType;
  key(i: number): unknown;
  value(i: number): unknown;
}

const Point = t.struct({ id: t.u32, name: t.string, ok: t.bool });
const Big = t.struct({ tag: t.u16, blob: t.bytes(300), label: t.string });

function words(i: number): string {
  // short ASCII, long ASCII, and non-ASCII strings, inline and in blocks
  switch (i % 4) {
    case 0:
      return `k${i}`;
    case 1:
      return `a-long-key-that-lives-in-its-own-block-${i}`;
    case 2:
      return `ключ-${i}`;
    default:
      return `日本-${i}-🙂`;
  }
}

function blob(i: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let j = 0; j < n; j += 7) b[j] = (i * 31 + j) & 0xff;
  b[0] = i & 0xff;
  b[1] = (i >>> 8) & 0xff;
  b[2] = (i >>> 16) & 0xff;
  return b;
}

export const specs: Spec[] = [
  { name: "u32->u32", keyType: t.u32, valueType: t.u32, key: (i) => i * 2654435761 >>> 0, value: (i) => i },
  { name: "string->string", keyType: t.string, valueType: t.string, key: words, value: (i) => words(i * 7 + 1) },
  { name: "u64->f64", keyType: t.u64, valueType: t.f64, key: (i) => BigInt(i) * 0x1_0000_0001n, value: (i) => i / 3 },
  { name: "f64->struct", keyType: t.f64, valueType: Point, key: (i) => (i === 5 ? -0 : i * 1.5 - 100), value: (i) => ({ id: i, name: words(i), ok: i % 2 === 0 }) },
  { name: "struct->bytes(16)", keyType: Point, valueType: t.bytes(16), key: (i) => ({ id: i, name: words(i), ok: i % 3 === 0 }), value: (i) => blob(i, 16) },
  { name: "bytes(200)->struct (indirect)", keyType: t.bytes(200), valueType: Big, key: (i) => blob(i, 200), value: (i) => ({ tag: i & 0xffff, blob: blob(i + 1, 300), label: words(i) }) },
];

/** A map of spec's type with entries 0..n-1, then every third deleted. */
export function filled(spec: Spec, n: number): AnyMap {
  const m = GoMap.make(spec.keyType, spec.valueType) as AnyMap;
  for (let i = 0; i < n; i++) m.set(spec.key(i), spec.value(i));
  for (let i = 0; i < n; i += 3) m.delete(spec.key(i));
  return m;
}

/** A value as text, bigints and byte arrays included, -0 kept apart from 0. */
export function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === "bigint") return `${x}n`;
    if (x instanceof Uint8Array) return Buffer.from(x).toString("hex");
    if (Object.is(x, -0)) return "-0";
    return x;
  });
}

/** The entries of m, canonical and sorted. */
export function entries(m: AnyMap): string[] {
  return [...m].map(([k, v]) => `${canon(k)} => ${canon(v)}`).sort();
}

/** b holds what a holds: the same entries by iteration, and every key of a found in b. */
export function assertSameMap(a: AnyMap, b: AnyMap): void {
  checkInvariants(b);
  assert.equal(b.size, a.size);
  assert.deepEqual(entries(b), entries(a));
  for (const [k, v] of a) if (k === k) assert.equal(canon(b.get(k)), canon(v), `get(${canon(k)})`); // NaN: never found
}

/** Writes a fresh checksum over bytes changed by a test. */
export function reseal(bytes: Uint8Array): Uint8Array {
  const end = bytes.length - DIGEST_BYTES;
  bytes.set(checksum(bytes.subarray(0, end)), end);
  return bytes;
}

/** Runs fn and returns the SnapshotError code it threw, or fails the test. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error && err.name === "SnapshotError") return (err as Error & { code: string }).code;
    throw err;
  }
  assert.fail("expected a SnapshotError");
}
