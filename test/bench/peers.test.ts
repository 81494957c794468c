// Tests of bench/peers.ts (npm run bench:peers), none of them timed: every implementation's
// adapter gives right answers on both workloads' keys at a small size (inserts read back,
// misses miss, iteration sees every entry once, deletes remove), and the check behind that
// catches each kind of wrong answer; sharedmap given exactly its longest key's and value's size
// loses entries (why its adapter asks for one more); what README says of @thi.ng's forEach and
// immutable's hash of large u32s holds; a child gives a whole row, and the table has a row for
// each implementation; bad flags and child jobs exit 2.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { HashMap as ThingHashMap } from "@thi.ng/associative";
import { hash } from "immutable";
import sharedmap from "sharedmap";
import { PEERS, PEER_NAMES, check } from "../../bench/peers.js";
import type { Peer } from "../../bench/peers.js";
import { WORKLOADS, u32Keys, workloadKeys } from "../../src/bench/measure.js";

const SCRIPT = fileURLToPath(new URL("../../bench/peers.js", import.meta.url));

test("bench:peers: every implementation answers right on both workloads' keys", () => {
  assert.deepEqual(PEER_NAMES, ["GoMap", "GoMap (hint)", "Map", "js-sdsl", "@thi.ng/associative", "hashmap", "immutable", "sharedmap"]);
  for (const impl of PEER_NAMES) {
    for (const w of WORKLOADS) {
      // 3,000 entries: GoMap grows to 512 buckets with overflow buckets, @thi.ng's table resizes
      // ten times, sharedmap's chains coalesce at its full capacity.
      assert.equal(check(PEERS[impl] as Peer<unknown>, workloadKeys(w, 3000)), null, `${impl}, ${w} keys`);
    }
  }
});

type JsMap = Map<number | string, number>;

/** Map's adapter with one operation changed. */
function broken(change: Partial<Peer<JsMap>>): Peer<JsMap> {
  return { ...PEERS.Map, ...change };
}

test("bench:peers: the check catches a wrong value, a false hit, a missed or repeated entry and a delete that does not remove", () => {
  const keys = workloadKeys("u32", 100);
  const cases: [Partial<Peer<JsMap>>, RegExp][] = [
    [{ get: (m, k) => (k === keys.hits[7] ? 8 : m.get(k)) }, /^get\(\d+\) gave 8 after the inserts, not 7$/],
    [{ get: (m, k) => m.get(k) ?? (k === keys.misses[3] ? 0 : undefined) }, /^get\(\d+\) of a key never inserted gave 0$/],
    [{ each: (m, fn) => [...m].slice(1).forEach(([k, v]) => fn(v, k)) }, /^iteration gave 99 entries of 100$/],
    [{ each: (m, fn) => [...m, [...m][0]].forEach(([k, v]) => fn(v, k)) }, /^iteration gave the key "\d+" twice$/],
    [{ each: (m, fn) => m.forEach((v, k) => fn(v === 5 ? 6 : v, k)) }, /^iteration gave "\d+" => 6, where the map holds 5$/],
    [{ delete: (m, k) => void (k !== keys.order[10] && m.delete(k)) }, /^get\(\d+\) of a key deleted gave \d+$/],
    [{ delete: () => {} }, /^get\(\d+\) of a key deleted gave \d+$/],
  ];
  for (const [change, message] of cases) assert.match(check(broken(change), keys) ?? "no wrong answer found", message);
  // And a delete that removes more than it was asked to.
  const greedy = broken({ delete: (m, k) => void (m.delete(k), m.delete(keys.order[99])) });
  assert.match(check(greedy, keys) ?? "no wrong answer found", /^get\(\d+\) gave undefined after half the keys were deleted, not \d+$/);
});

test("bench:peers: sharedmap given exactly the longest key's and value's length loses entries, so its adapter asks for one more", () => {
  const SharedMap = sharedmap as unknown as new (maxSize: number, keySize: number, objSize: number) => ReturnType<typeof PEERS.sharedmap.make>;
  const exact: Peer<ReturnType<typeof PEERS.sharedmap.make>> = { ...PEERS.sharedmap, make: (s) => new SharedMap(s.entries, s.keyChars, s.valueChars) };
  // "user:" and 7 base-36 digits: 12 units, a multiple of 4 (sharedmap rounds sizes up to one).
  assert.match(check(exact, workloadKeys("string", 3000)) ?? "no wrong answer found", /^get\("user:\w+"\) gave \S+ after the inserts, not \d+$/);
  assert.equal(check(PEERS.sharedmap, workloadKeys("string", 3000)), null);
});

test("bench:peers: what README says of two peers: @thi.ng's forEach throws on a map with an empty bin; immutable hashes u32 keys at or above 2^31 to few values", () => {
  const thing = new ThingHashMap<number, number>(null, { hash: (k) => k });
  thing.set(1, 1);
  assert.throws(() => thing.forEach(() => {}), TypeError);
  assert.deepEqual([...thing], [[1, 1]]);
  const keys = u32Keys(0, 1e6);
  const high = new Set<number>();
  const low = new Set<number>();
  for (const k of keys) (k >= 2 ** 31 ? high : low).add(hash(k));
  assert.deepEqual({ high: high.size, low: low.size }, { high: 9465, low: 500_001 });
  assert.equal(keys.filter((k) => k >= 2 ** 31).length, 499_999);
});

function child(job: unknown[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ["--expose-gc", SCRIPT], { encoding: "utf8", timeout: 120_000, env: { ...process.env, GOMAP_BENCH_PEERS: JSON.stringify(job) } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test("bench:peers: a child checks, then measures, and gives a whole row", () => {
  const { result } = child(["string", "sharedmap", 500]) as { result: Record<string, number | string> };
  assert.equal(result.workload, "string->u32 n=5e+2");
  assert.equal(result.impl, "sharedmap");
  for (const col of ["insert", "getHit", "getMiss", "iterate", "del"]) assert.ok((result[col] as number) > 0, `${col}: ${result[col]}`);
  // Its SharedArrayBuffer: (16 + 4) UTF-16 units of key and value, a 4-byte chain link and a
  // lock bit an entry, at any size; the heap's growth is not counted this small.
  assert.ok((result.bytesPerEntry as number) >= 44 && (result.bytesPerEntry as number) < 45, `bytes/entry ${result.bytesPerEntry}`);
});

test("bench:peers: a child given a job it does not know exits 2, naming it", () => {
  for (const job of [["u64", "GoMap", 10], ["u32", "Go", 10], ["u32", "GoMap", 0], ["u32", "GoMap", 2.5]]) {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", timeout: 20_000, env: { ...process.env, GOMAP_BENCH_PEERS: JSON.stringify(job) } });
    assert.equal(r.status, 2, JSON.stringify(job));
    assert.equal(r.stderr, `bench:peers child: bad job ${JSON.stringify(job)}\n`);
  }
});

test("bench:peers: the table has the command, node's version and a row for each implementation and workload", () => {
  const r = spawnSync(process.execPath, [SCRIPT, "--sizes", "200"], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "npm run bench:peers -- --sizes 200");
  assert.match(lines[1], new RegExp(`^node ${process.version.replaceAll(".", "\\.")}, \\d{4}-\\d\\d-\\d\\d; `));
  const rows = lines.slice(4);
  assert.equal(rows.length, WORKLOADS.length * PEER_NAMES.length, r.stdout);
  for (const [i, row] of rows.entries()) {
    const impl = PEER_NAMES[i % PEER_NAMES.length];
    assert.ok(row.startsWith(`| ${i < PEER_NAMES.length ? "u32->u32" : "string->u32"} n=2e+2 | ${impl} | `), row);
  }
});

test("bench:peers: an unknown flag, a stray argument or a bad --sizes exits 2 at once, naming it", () => {
  for (const [args, why] of [
    [["--quick"], "unknown option --quick"],
    [["1e5"], 'unexpected argument "1e5"'],
    [["--sizes"], "--sizes needs a value"],
    [["--sizes", "0"], '--sizes must be whole numbers from 1 to 1e+8, separated by commas, got "0"'],
    [["--sizes", "1e5,x"], '--sizes must be whole numbers from 1 to 1e+8, separated by commas, got "1e5,x"'],
  ] as const) {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.split("\n")[0], `npm run bench:peers: ${why}`);
  }
});
