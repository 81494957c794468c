// The fidelity harness's two formats (README.md in this folder): a script of map operations,
// and the JSON lines a run of it produces. The Go program (go/main.go) reads the script and
// writes the records from a real Go 1.19 map; replay.ts writes the same records from a GoMap.
//
// Keys and values travel as JSON the way Go's encoding/json writes them: uint32 as numbers,
// uint64 as decimal strings (JSON numbers stop being exact at 2^53), strings as strings, and
// the struct key as {"A", "B", "F", "S"}. `keyId` gives every key one canonical string, so
// both sides' records can be matched key by key.
import { types as t } from "../src/index.js";
import type { AnyType } from "../src/types/type.js";

/** The key types the harness runs: map[uint32]uint32, map[uint64]uint64, map[string]uint32, map[SK]uint32. */
export type KeyKind = "u32" | "u64" | "string" | "struct";

/** A key or value as JSON carries it. */
export type Json = number | string | { A: number; B: number; F: number; S: string };

/** One operation: ["set", k, v], ["del", k], ["get", k], ["clear"], ["dump"], ["range", {n: [op...]}]. */
export type Op =
  | ["set", Json, Json]
  | ["del", Json]
  | ["get", Json]
  | ["clear"]
  | ["dump"]
  | ["range", Record<string, Op[]>];

export interface Script {
  name: string;
  key: KeyKind;
  /** Go's runtime.hashkey[0], hex with 0x. */
  hashkey: string;
  /** The map's hash0. */
  seed: number;
  hint: number;
  ops: Op[];
}

/** One bucket of a chain: tophash bytes, and key and value of each filled slot (null elsewhere; absent when no slot is filled). */
export interface BmapRecord {
  top: number[];
  keys?: (Json | null)[];
  vals?: (Json | null)[];
}

export interface DumpRecord {
  kind: "dump";
  step: number;
  count: number;
  flags: number;
  B: number;
  noverflow: number;
  hash0: number;
  growing: boolean;
  sameSize: boolean;
  nevacuate: number;
  /** Chains of the current array; null while Go has not allocated a B = 0 map's bucket. */
  buckets: BmapRecord[][] | null;
  oldbuckets?: BmapRecord[][];
}

export interface GetRecord {
  kind: "get";
  step: number;
  v: Json;
  ok: boolean;
}

export interface RangeRecord {
  kind: "range";
  step: number;
  /** The iteration's start bucket and slot offset (-1 when the map was empty). */
  start: number;
  offset: number;
  seq: [Json, Json][];
}

export interface HashesRecord {
  kind: "hashes";
  /** Each key the script touched, with its 64-bit hash as 16 hex digits. */
  hashes: [Json, string][];
}

export type RunRecord = DumpRecord | GetRecord | RangeRecord | HashesRecord;

/** How one key type's keys and values go between JSON and gomap. */
export interface Codec {
  keyType: AnyType;
  valueType: AnyType;
  /** JSON key -> what GoMap accepts. */
  key(j: Json): unknown;
  value(j: Json): unknown;
  /** What GoMap returns for a key -> JSON. */
  encode(v: unknown): Json;
  /** What GoMap returns for a value -> JSON. */
  encodeValue(v: unknown): Json;
}

/** The struct key type: padding after A, a float and a string, as Go's `SK` in go/main.go. */
export const SK = t.struct({ A: t.u16, B: t.u32, F: t.f64, S: t.string });

const asJson = (v: unknown): Json => v as Json;

export function codecFor(kind: KeyKind): Codec {
  switch (kind) {
    case "u32":
      return { keyType: t.u32, valueType: t.u32, key: (j) => j, value: (j) => j, encode: asJson, encodeValue: asJson };
    case "u64":
      return {
        keyType: t.u64,
        valueType: t.u64,
        key: (j) => BigInt(j as string),
        value: (j) => BigInt(j as string),
        encode: (v) => (v as bigint).toString(),
        encodeValue: (v) => (v as bigint).toString(),
      };
    case "string":
      return { keyType: t.string, valueType: t.u32, key: (j) => j, value: (j) => j, encode: asJson, encodeValue: asJson };
    case "struct":
      return { keyType: SK, valueType: t.u32, key: (j) => j, value: (j) => j, encode: (v) => ({ ...(v as object) }) as Json, encodeValue: asJson };
  }
}

/** A canonical string for a key, the same for Go's JSON of it and gomap's. */
export function keyId(j: Json | null): string {
  if (j === null || typeof j !== "object") return JSON.stringify(j);
  return JSON.stringify([j.A, j.B, j.F, j.S]);
}

/** JSON with object keys sorted, so two records can be compared as text. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Parses JSON lines into records. */
export function parseRecords(text: string): RunRecord[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as RunRecord);
}
