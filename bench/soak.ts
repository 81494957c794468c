// `npm run soak -- --minutes N [--seed S]`: a long random run of map operations against a
// Map model, with snapshot round trips along the way; not part of `npm test` (CI runs it for
// 2 minutes).
//
// Three maps run side by side: uint32 -> uint32, string -> string (short and long, ASCII and
// not), and uint32 -> string under a small maxBytes, where writes may fail with
// HeapExhaustedError and must then change nothing (the model skips them; a delete frees room
// and writes resume). Operations: set, delete, get, has, update, a partial iteration that
// deletes as it goes, and rarely clear. Every 2,000 operations a map is replaced by
// fromBytes(toBytes()) of itself (every tenth time by a save/load through a file), and its whole
// content is compared with the model, with checkInvariants. Any difference is a divergence:
// printed with the seed, and the exit code is 1. A summary line is printed every 10 seconds.
// A wrong command line (an unknown flag, minutes or a seed that is not a number) exits 2.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GoMap, HeapExhaustedError, types as t } from "../src/index.js";
import { checkInvariants } from "../src/testing/hooks.js";
import type { AnyType } from "../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const USAGE = "usage: npm run soak -- [--minutes N] [--seed S]   (N minutes, default 1; S a uint32, default from the clock)\n";

/**
 * --minutes and --seed, checked: anything else, or a value that is not a number, exits 2 with
 * the usage before anything runs (a NaN of minutes used to run nothing, and pass).
 */
function args(): { minutes: number; seed: number } {
  const fail = (why: string): never => {
    process.stderr.write(`soak: ${why}\n${USAGE}`);
    process.exit(2);
  };
  let values: { minutes?: string; seed?: string };
  try {
    ({ values } = parseArgs({ options: { minutes: { type: "string" }, seed: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (err) {
    const m = /^Unknown option '([^']+)'/.exec((err as Error).message);
    const missing = /^Option '(\S+)(?: <value>)?' argument missing/.exec((err as Error).message);
    const positional = /^Unexpected argument '([^']*)'/.exec((err as Error).message);
    return fail(m !== null ? `unknown option ${m[1]}` : missing !== null ? `${missing[1]} needs a value` : positional !== null ? `unexpected argument ${JSON.stringify(positional[1])}` : (err as Error).message);
  }
  const minutes = values.minutes === undefined ? 1 : Number(values.minutes);
  if (values.minutes !== undefined && !(values.minutes.trim() !== "" && Number.isFinite(minutes) && minutes > 0)) {
    fail(`--minutes must be a number of minutes above 0, got ${JSON.stringify(values.minutes)}`);
  }
  const seed = values.seed === undefined ? Date.now() % 1e9 : Number(values.seed);
  if (values.seed !== undefined && !(values.seed.trim() !== "" && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    fail(`--seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(values.seed)}`);
  }
  return { minutes, seed };
}

const { minutes, seed } = args();
let state = seed >>> 0 || 1;
/** xorshift32: the run is replayed exactly by its seed. */
function rand(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

interface Lane {
  name: string;
  kt: AnyType;
  vt: AnyType;
  maxBytes?: number;
  key(i: number): unknown;
  value(i: number): unknown;
  map: AnyMap;
  model: Map<unknown, unknown>;
}

const strs = (i: number): string => (i % 3 === 0 ? `k${i}` : i % 3 === 1 ? `a-longer-key-kept-in-a-block-${i}` : `ключ-${i}-🙂`);

function lane(name: string, kt: AnyType, vt: AnyType, key: (i: number) => unknown, value: (i: number) => unknown, maxBytes?: number): Lane {
  return { name, kt, vt, maxBytes, key, value, map: GoMap.make(kt, vt, { maxBytes }) as AnyMap, model: new Map() };
}

const lanes: Lane[] = [
  lane("u32->u32", t.u32, t.u32, (i) => i, (i) => i * 7),
  lane("string->string", t.string, t.string, strs, (i) => strs(i + 1)),
  lane("u32->string maxBytes", t.u32, t.string, (i) => i, (i) => strs(i), 96 << 10),
];

let divergences = 0;
let ops = 0;
let roundTrips = 0;
let exhausted = 0;

function diverge(l: Lane, what: string): void {
  divergences++;
  console.log(`DIVERGENCE (seed ${seed}, op ${ops}, ${l.name}): ${what}`);
}

/** Runs a write; a HeapExhaustedError is allowed on the lane with maxBytes, and changes nothing. */
function write(l: Lane, fn: () => void, apply: () => void): void {
  try {
    fn();
  } catch (err) {
    if (l.maxBytes !== undefined && err instanceof HeapExhaustedError) {
      exhausted++;
      return;
    }
    throw err;
  }
  apply();
}

function step(l: Lane): void {
  const space = l.maxBytes === undefined ? 20000 : 4000;
  const i = rand(space);
  const k = l.key(i);
  const op = rand(100);
  if (op < 45) {
    const v = l.value(rand(space));
    write(l, () => l.map.set(k, v), () => l.model.set(k, v));
  } else if (op < 62) {
    if (l.map.delete(k) !== l.model.delete(k)) diverge(l, `delete(${String(k)})`);
  } else if (op < 85) {
    if (l.map.get(k) !== l.model.get(k)) diverge(l, `get(${String(k)}) = ${String(l.map.get(k))}, model ${String(l.model.get(k))}`);
    if (l.map.has(k) !== l.model.has(k)) diverge(l, `has(${String(k)})`);
  } else if (op < 95) {
    const v = l.value(rand(space));
    write(l, () => l.map.update(k, () => v), () => l.model.set(k, v));
  } else if (op < 97) {
    let n = 0;
    for (const [key] of l.map) {
      if (++n > 50) break;
      if (!l.model.has(key)) diverge(l, `iteration returned ${String(key)}, not in the model`);
      if (n % 10 === 0) {
        l.map.delete(key);
        l.model.delete(key);
      }
    }
  } else if (rand(20) === 0) {
    l.map.clear();
    l.model.clear();
  }
  ops++;
}

function compare(l: Lane): void {
  checkInvariants(l.map);
  if (l.map.size !== l.model.size) diverge(l, `size ${l.map.size}, model ${l.model.size}`);
  for (const [k, v] of l.model) if (l.map.get(k) !== v) diverge(l, `get(${String(k)}) after a round trip`);
}

function roundTrip(l: Lane, dir: string, viaFile: boolean): void {
  if (viaFile) {
    const path = join(dir, `${l.name.replace(/[^a-z0-9]/gi, "_")}.gomap`);
    l.map.save(path);
    l.map = GoMap.load(path, l.kt, l.vt, { maxBytes: l.maxBytes }) as AnyMap;
  } else {
    l.map = GoMap.fromBytes(l.map.toBytes(), l.kt, l.vt, { maxBytes: l.maxBytes }) as AnyMap;
  }
  roundTrips++;
  compare(l);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "gomap-soak-"));
  const end = Date.now() + minutes * 60_000;
  let report = Date.now() + 10_000;
  console.log(`soak: ${minutes} minute(s), seed ${seed}`);
  try {
    // One round at least, however the clock ran meanwhile: a run that did nothing would pass.
    for (let round = 1; round === 1 || Date.now() < end; round++) {
      for (let j = 0; j < 2000; j++) for (const l of lanes) step(l);
      for (const l of lanes) roundTrip(l, dir, round % 10 === 0);
      if (Date.now() > report) {
        report += 10_000;
        console.log(`  ${ops} ops, ${roundTrips} round trips, ${exhausted} writes refused by maxBytes, ${divergences} divergences`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`soak done: ${ops} ops, ${roundTrips} round trips, ${exhausted} writes refused by maxBytes, ${divergences} divergences (seed ${seed})`);
  process.exitCode = divergences === 0 ? 0 : 1;
}

main();
