// Tests of src/cli/inspect.ts and src/cli/load.ts: `gomap inspect FILE` through the built
// command (text and --json agree with inspect.map of the same map; --bucket and --old show a
// chain slot by slot; --seed), exit code 1 for a missing or bad file and 2 for a wrong
// command line; snapshot files (their types read from the file) beside scripts; the loader
// list, which picks the first loader that accepts a file; and, on a terminal, an error that
// starts on a line of its own after the progress bar is erased.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { pathToFileURL } from "node:url";
import { LOADERS, loadMap, scriptLoader, snapshotLoader } from "../../src/cli/load.js";
import type { MapLoader } from "../../src/cli/load.js";
import { GoMap } from "../../src/gomap.js";
import { types as t } from "../../src/types/index.js";
import { CLI, gomap, gomapJSON } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "gomap-inspect-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, ...ops: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, ops.map((o) => (typeof o === "string" ? o : JSON.stringify(o))).join("\n") + "\n");
  return path;
}

/** A script of n sets of u32 keys 0..n-1 into a map made with `hint`. */
function u32Script(name: string, n: number, hint: number): string {
  const ops: unknown[] = [{ op: "make", key: "uint32", value: "uint32", hint }];
  for (let k = 0; k < n; k++) ops.push({ op: "set", key: k, value: k * 2 });
  return file(name, ...ops);
}

test("cli inspect: text output: the type, what the script did, the shape, the histograms", () => {
  const path = file("small.jsonl", "# two entries", { op: "make", key: "string", value: "int" }, { op: "set", key: "a", value: 1 }, { op: "set", key: "b", value: 2 }, { op: "set", key: "c", value: 3 }, { op: "delete", key: "c" });
  const r = gomap("inspect", path);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  const out = r.stdout.split("\n");
  assert.equal(out[0], `${path}: map[string]int64 (operation script: 3 sets, 1 delete, 0 clears)`);
  assert.equal(out[1], "count 2, B=0 (1 bucket of 208 bytes), load factor 2.00 (grows above 6.5)");
  assert.equal(out[2], "growth: none in progress");
  assert.match(out[3], /^overflow buckets: 0 in use, 0 preallocated \(0 unused\); noverflow 0$/);
  assert.match(out[4], /^bytes: [\d.]+ KiB = buckets 208 B \+ overflow 0 B \+ strings 0 B \+ indirect 0 B \+ wasted [\d.]+ (KiB|B)$/);
  assert.match(r.stdout, /slots used .*\n +2\/8 filled: +1 +#+\n/);
  assert.doesNotMatch(r.stdout, /hash0/);
});

test("cli inspect --json: the stats are inspect.map's for the same operations", () => {
  const path = u32Script("u32.jsonl", 500, 0);
  const r = gomap("inspect", path, "--json", "--seed");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.file, path);
  assert.equal(out.kind, "script");
  assert.equal(out.type, "map[uint32]uint32");
  assert.equal(typeof out.stats.hash0, "number");
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 500; k++) m.set(k, k * 2);
  const here = m.inspect();
  for (const f of ["B", "count", "buckets", "loadFactor", "growth", "oldBuckets", "bucketSize"] as const) assert.deepEqual(out.stats[f], here[f], f);
  assert.equal(out.buckets, undefined);
});

test("cli inspect --bucket N [--old]: the chain slot by slot, old buckets mid-growth", () => {
  const path = u32Script("growing.jsonl", 53, 52); // B=3; the 53rd key starts a doubling
  const r = gomap("inspect", path, "--bucket", "3");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /growth: doubling in progress, \d of 8 old buckets left to evacuate \(nevacuate \d\)/);
  assert.match(r.stdout, /\nbucket 3:\n {2}bmap at offset \d+, overflow link \d+\n( {4}\[\d\] tophash +\d+ .*\n){8}/);
  const one = gomapJSON("inspect", path, "--json", "--bucket", "0", "--old");
  assert.equal(one.buckets.length, 1);
  assert.equal(one.buckets[0].old, true);
  assert.equal(one.buckets[0].index, 0);
  assert.equal(one.buckets[0].chain[0].tophash.length, 8);
  // Every bucket from one process (each process hashes with its own seed).
  const all = gomapJSON("inspect", path, "--json", "--bucket", "all");
  assert.deepEqual(
    all.buckets.map((v: { old: boolean; index: number }) => `${v.old ? "old" : "new"} ${v.index}`),
    [...Array.from({ length: 16 }, (_, i) => `new ${i}`), ...Array.from({ length: 8 }, (_, i) => `old ${i}`)],
  );
  const keys: number[] = [];
  for (const v of all.buckets) {
    if (v.evacuated) continue;
    for (const b of v.chain) for (const k of b.keys) if (k !== null) keys.push(k);
  }
  assert.deepEqual(
    keys.sort((a, b) => a - b),
    Array.from({ length: 53 }, (_, k) => k),
    "the old buckets left and the new array hold every key once",
  );
  const old = gomapJSON("inspect", path, "--json", "--bucket", "all", "--old");
  assert.equal(old.buckets.length, 8);
  const notGrowing = gomap("inspect", u32Script("still.jsonl", 3, 0), "--bucket", "all", "--old");
  assert.equal(notGrowing.status, 1);
  assert.match(notGrowing.stderr, /--bucket all: the map is not growing/);
  const bad = gomap("inspect", path, "--bucket", "16");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "gomap inspect: --bucket 16: index 16 out of range: the current array has 16 buckets\n");
});

test("cli inspect: a missing file, a directory or a bad line exits 1 with one line naming it", () => {
  const missing = gomap("inspect", join(dir, "nope.jsonl"));
  assert.equal(missing.status, 1);
  assert.equal(missing.stdout, "");
  assert.equal(missing.stderr, `gomap inspect: ${join(dir, "nope.jsonl")}: no such file (ENOENT)\n`);
  const folder = gomap("inspect", dir);
  assert.equal(folder.status, 1);
  assert.equal(folder.stderr, `gomap inspect: ${dir}: it is a directory (EISDIR)\n`);
  const path = file("bad.jsonl", { op: "make", key: "uint8", value: "bool" }, { op: "set", key: 300, value: true });
  const bad = gomap("inspect", path);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `gomap inspect: ${path}:2: key 300 out of range for uint8\n`);
  const bin = join(dir, "binary.bin");
  writeFileSync(bin, Uint8Array.from([0, 1, 2, 3]));
  const b = gomap("inspect", bin);
  assert.equal(b.status, 1);
  assert.equal(b.stderr, `gomap inspect: ${bin}: not a file gomap can read (want one of: snapshot, script)\n`);
});

test("cli inspect: a wrong command line exits 2 with the usage", () => {
  const path = u32Script("ok.jsonl", 1, 0);
  for (const [args, msg] of [
    [[], /inspect needs a FILE/],
    [[path, path], /inspect takes one FILE, got 2/],
    [[path, "--old"], /--old goes with --bucket N/],
    [[path, "--bucket", "x"], /--bucket must be an integer from 0 to \d+, got "x"/],
    [[path, "--bucket=-1"], /--bucket must be an integer/],
    [[path, "--bucket", "-1"], /--bucket needs a value \(one that starts with "-" goes as --bucket=VALUE\)/],
  ] as [string[], RegExp][]) {
    const r = gomap("inspect", ...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, msg);
    assert.match(r.stderr, /\n\nusage: gomap inspect FILE/);
  }
});

test("load: the first loader that accepts a file reads it", async () => {
  const path = u32Script("loaders.jsonl", 3, 0);
  const plain = await loadMap(path, () => {});
  assert.equal(plain.kind, "script");
  assert.equal(plain.map.size, 3);
  const fake: MapLoader = {
    kind: "fake",
    accepts: (head) => head[0] === 0x7b, // "{": takes this script too, to show it comes first
    load: () => {
      const m = GoMap.make(t.u8, t.u8);
      m.set(1, 1);
      return { map: m as never, type: "map[uint8]uint8", description: "a test snapshot" };
    },
  };
  LOADERS.unshift(fake);
  try {
    const got = await loadMap(path, () => {});
    assert.equal(got.kind, "fake");
    assert.equal(got.map.size, 1);
  } finally {
    LOADERS.shift();
  }
  assert.deepEqual(LOADERS, [snapshotLoader, scriptLoader]);
  assert.equal(scriptLoader.accepts(new TextEncoder().encode("  \n# c\n{")), true);
  assert.equal(scriptLoader.accepts(Uint8Array.from([0x47, 0x4f, 0x4d, 0x48])), false);
  const magic = new TextEncoder().encode("GOMAPSNP");
  assert.equal(snapshotLoader.accepts(magic), true);
  assert.equal(snapshotLoader.accepts(magic.subarray(0, 7)), false, "a file cut inside the magic is no snapshot");
  assert.equal(snapshotLoader.accepts(new Uint8Array(0)), false);
  assert.equal(snapshotLoader.accepts(Uint8Array.from([...magic.subarray(0, 7), 0x51])), false);
});

test("cli inspect: a snapshot file shows the saved map, its types read from the file", () => {
  const Row = t.struct({ age: t.u8, tags: t.bytes(2), big: t.u64, name: t.string });
  const m = GoMap.make(t.string, Row);
  for (let i = 0; i < 300; i++) m.set(`user${i}`, { age: i % 100, tags: Uint8Array.of(i & 255, 1), big: BigInt(i) * 10n ** 15n, name: "x".repeat(i % 20) });
  for (let i = 0; i < 300; i += 7) m.delete(`user${i}`);
  const path = join(dir, "users.gomap");
  m.save(path);
  const r = gomap("inspect", path);
  assert.equal(r.status, 0, r.stderr);
  const type = "map[string]struct{age uint8; tags [2]byte; big uint64; name string}";
  assert.equal(r.stdout.split("\n")[0], `${path}: ${type} (snapshot: ${m.size} entries)`);
  const out = gomapJSON("inspect", path, "--json", "--seed", "--bucket", "all");
  assert.equal(out.kind, "snapshot");
  assert.equal(out.type, type);
  const here = m.inspect({ seed: true });
  for (const f of ["B", "count", "buckets", "noverflow", "hash0", "histograms", "overflowBuckets", "growth", "nevacuate"] as const) assert.deepEqual(out.stats[f], here[f], f);
  // Every entry of the saved map is in the buckets the command printed, with its value.
  const seen = new Map<string, unknown>();
  for (const b of out.buckets as { chain: { keys: unknown[]; values: unknown[] }[] }[]) {
    for (const bmap of b.chain) bmap.keys.forEach((k, i) => k !== null && k !== undefined && seen.set(k as string, bmap.values[i]));
  }
  assert.equal(seen.size, m.size);
  const v = m.get("user1")!;
  assert.deepEqual(seen.get("user1"), { age: v.age, tags: [...v.tags], big: String(v.big), name: v.name });
});

test("cli inspect: nil-map, mid-growth and damaged snapshots", () => {
  const nil = join(dir, "nil.gomap");
  GoMap.nil(t.u32, t.f64).save(nil);
  const n = gomap("inspect", nil);
  assert.equal(n.status, 0, n.stderr);
  assert.equal(n.stdout.split("\n")[0], `${nil}: map[uint32]float64 (snapshot: a nil map)`);
  const g = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 6.5 * 2 ** 10 + 1; k++) g.set(k, k);
  const growing = join(dir, "growing.gomap");
  g.save(growing);
  const out = gomapJSON("inspect", growing, "--json", "--bucket", "0", "--old");
  assert.equal(out.stats.growing, true);
  assert.deepEqual(out.stats.growth, g.inspect().growth);
  // A flipped byte fails the checksum: exit 1, one line, the snapshot's own words.
  const bytes = g.toBytes();
  bytes[bytes.length >> 1] ^= 1;
  const bad = join(dir, "flipped.gomap");
  writeFileSync(bad, bytes);
  const r = gomap("inspect", bad);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^gomap inspect: .*flipped\.gomap: snapshot checksum: the file's checksum is [0-9a-f]+, its bytes give [0-9a-f]+\n$/);
  const short = join(dir, "short.gomap");
  writeFileSync(short, bytes.subarray(0, 100));
  assert.match(gomap("inspect", short).stderr, /^gomap inspect: .*short\.gomap: snapshot truncated: 100 bytes, the header says \d+\n$/);
});

test("cli inspect: a reader that stops early (| head) ends the command quietly, exit 0, no stack trace", async () => {
  const path = u32Script("many.jsonl", 20_000, 0);
  const { spawn } = await import("node:child_process");
  const { CLI } = await import("./run.js");
  const child = spawn(process.execPath, [CLI, "inspect", path, "--bucket", "all"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // Read the first chunk, then close the pipe, as head does.
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(stderr, "");
  assert.equal(code, 0);
});

test("cli inspect --bucket: float keys and values NaN, +Inf, -Inf and -0 show as Go prints them, not as JSON's null and 0", () => {
  const m = GoMap.make(t.f64, t.f32);
  m.set(NaN, -0);
  m.set(-0, Infinity);
  m.set(1.5, -Infinity);
  const path = join(dir, "floats.gomap");
  m.save(path);
  const out = gomap("inspect", path, "--bucket", "all").stdout;
  assert.match(out, /tophash +\d+ NaN: -0$/m);
  assert.match(out, /tophash +\d+ -0: \+Inf$/m);
  assert.match(out, /tophash +\d+ 1\.5: -Inf$/m);
  const S = t.struct({ x: t.f64, n: t.u8 });
  const sm = GoMap.make(t.u8, S);
  sm.set(1, { x: NaN, n: 2 });
  const spath = join(dir, "struct.gomap");
  sm.save(spath);
  assert.match(gomap("inspect", spath, "--bucket", "0").stdout, /1: \{"x":NaN,"n":2\}$/m);
});

test("cli inspect: on a terminal, a bad line's error starts on a line of its own: the progress bar is erased first", () => {
  // stderr made to look like a terminal, and a clock that runs 2 s a reading, so the bar is
  // drawn at the script's first line; line 3 then fails.
  const preload = join(dir, "fake-tty.mjs");
  writeFileSync(
    preload,
    `Object.defineProperty(process.stderr, "isTTY", { value: true });
Object.defineProperty(process.stderr, "columns", { value: 100 });
let t = 0;
performance.now = () => (t += 2000);
`,
  );
  const path = file("tty-bad.jsonl", { op: "make", key: "uint8", value: "bool" }, { op: "set", key: 1, value: true }, { op: "set", key: 300, value: true });
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(preload).href, CLI, "inspect", path], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^\rinspect \[/, "a bar was drawn");
  const msg = `gomap inspect: ${path}:3: key 300 out of range for uint8\n`;
  assert.ok(r.stderr.endsWith(`\r\x1b[K${msg}`), `the bar is erased before the message: ${JSON.stringify(r.stderr)}`);
});

test("cli inspect --bucket: any whole number up to 2^31 is an index the map checks (exit 1, out of range); past that, or not a number, a usage error (exit 2)", () => {
  const path = u32Script("bounds.jsonl", 3, 0);
  for (const n of ["300", "2147483648"]) {
    const r = gomap("inspect", path, "--bucket", n);
    assert.equal(r.status, 1, `${n}: ${r.stderr}`);
    assert.equal(r.stderr, `gomap inspect: --bucket ${n}: index ${n} out of range: the current array has 1 bucket\n`);
  }
  for (const n of ["2147483649", "-1", "1.5", "x"]) {
    const r = gomap("inspect", path, `--bucket=${n}`);
    assert.equal(r.status, 2, `${n}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^gomap inspect: --bucket must be an integer from 0 to 2147483648, got "${n.replace(".", "\\.")}"\\n\\nusage: gomap inspect`));
  }
});

test("cli inspect: a FIFO or a device is refused as not a regular file, not read for ever (/dev/zero) or waited on (a FIFO)", { skip: process.platform === "win32" }, () => {
  const fifo = join(dir, "pipe.jsonl");
  const paths = spawnSync("mkfifo", [fifo]).status === 0 ? [fifo, "/dev/zero"] : ["/dev/zero"];
  for (const path of paths) {
    const r = spawnSync(process.execPath, [CLI, "inspect", path], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.error, undefined, `${path}: ${String(r.error)}`);
    assert.equal(r.status, 1, path);
    assert.equal(r.stderr, `gomap inspect: ${path}: not a regular file\n`);
  }
});

test("cli inspect --bucket and --json: a file's strings reach the terminal with C1 controls and bidi marks escaped (\\u009b is a CSI to some terminals, U+202E turns the line round), as JSON escapes C0", () => {
  const hostile = "a\u009b2Jb\u202ec\u2066d\u0085e\u007f";
  const S = t.struct({ [`f\u009b`]: t.u8 });
  const m = GoMap.make(t.string, S);
  m.set(hostile, { [`f\u009b`]: 1 });
  const path = join(dir, "controls.gomap");
  m.save(path);
  for (const args of [["--bucket", "all"], ["--bucket", "all", "--json"], ["--json"]]) {
    const out = gomap("inspect", path, ...args).stdout;
    assert.doesNotMatch(out, /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, `inspect ${args.join(" ")} printed a raw control`);
  }
  const out = gomap("inspect", path, "--bucket", "all").stdout;
  assert.ok(out.includes(String.raw`"a\u009b2Jb\u202ec\u2066d\u0085e\u007f"`), out);
  assert.ok(out.includes(String.raw`{"f\u009b":1}`), out);
  const parsed = gomapJSON("inspect", path, "--bucket", "all", "--json") as { type: string; buckets: unknown };
  assert.ok(JSON.stringify(parsed.buckets).includes(JSON.stringify(hostile)), "the JSON output still parses to the same key");
  assert.equal(parsed.type, "map[string]struct{f\u009b uint8}");
});

test("cli inspect: a field name's line break or tab is escaped in the type line, so a snapshot can't add lines of its own to the output", () => {
  const name = "x\n  count: 999 (forged)\r\n\ty";
  const m = GoMap.make(t.u32, t.struct({ [name]: t.u8 }));
  m.set(1, {});
  const path = join(dir, "linebreak.gomap");
  m.save(path);
  const lines = gomap("inspect", path).stdout.split("\n");
  assert.equal(lines[0], `${path}: map[uint32]struct{x\\u000a  count: 999 (forged)\\u000d\\u000a\\u0009y uint8} (snapshot: 1 entry)`);
  assert.ok(!lines.some((l) => l.includes("forged") && l !== lines[0]), lines.join("\n"));
});
