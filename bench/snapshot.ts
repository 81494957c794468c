// `npm run bench:snapshot`: saving and loading a map, beside the usual alternatives.
//
// Workloads: u32 -> u32 maps of 1e6 and 1e7 entries, string -> u32 of 1e6 (keys "user:" + a
// base-36 number); `--quick` runs 1e4 of each, to check the script works. For each:
//   GoMap   toBytes, fromBytes (full validation), fromBytes (verify: "checksum"), save to a
//           file (temporary file, fsync, rename), load from it
//   Map     JSON.stringify([...map]) and JSON.parse + new Map(...); v8.serialize(map) and
//           v8.deserialize; the same JSON parsed and inserted into a GoMap (rebuilding)
// Times are milliseconds, the best of 3 runs (1 at 1e7); sizes are the serialised bytes. Then
// the checksum's throughput alone, in MB/s over a 256 MiB buffer (16 MiB with --quick).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v8 from "node:v8";
import { GoMap, types as t } from "../src/index.js";
import { checksum } from "../src/snapshot/checksum.js";
import { flags } from "./flags.js";

const quick = flags("bench:snapshot", { quick: "boolean" }).quick === true;
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});
let sink = 0;

function best(rounds: number, fn: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < rounds; r++) {
    gc();
    const t0 = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

function key(kind: "u32" | "string", i: number): number | string {
  const x = Math.imul(i, 0x9e3779b1) >>> 0;
  return kind === "u32" ? x : `user:${x.toString(36)}`;
}

function row(workload: string, what: string, ms: number, bytes?: number): void {
  const size = bytes === undefined ? "" : (bytes / 1e6).toFixed(1);
  console.log(`| ${workload} | ${what} | ${ms.toFixed(1)} | ${size} |`);
}

function run(kind: "u32" | "string", n: number, dir: string): void {
  const name = `${kind}->u32 n=${n.toExponential(0)}`;
  const rounds = n >= 1e7 ? 1 : 3;
  const kt = kind === "u32" ? t.u32 : t.string;
  const m = GoMap.make(kt, t.u32) as GoMap<unknown, number, never, number>;
  const js = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const k = key(kind, i);
    m.set(k as never, i);
    js.set(k, i);
  }
  let bytes: Uint8Array = new Uint8Array(0);
  row(name, "GoMap toBytes", best(rounds, () => void (bytes = m.toBytes())), bytes.length);
  row(name, "GoMap fromBytes (full validation)", best(rounds, () => void (sink += GoMap.fromBytes(bytes, kt, t.u32).size)));
  row(name, "GoMap fromBytes (checksum only)", best(rounds, () => void (sink += GoMap.fromBytes(bytes, kt, t.u32, { verify: "checksum" }).size)));
  const path = join(dir, "m.gomap");
  row(name, "GoMap save (file, fsync, rename)", best(rounds, () => m.save(path)), statSync(path).size);
  row(name, "GoMap load (file, full validation)", best(rounds, () => void (sink += GoMap.load(path, kt, t.u32).size)));
  let json = "";
  row(name, "Map JSON.stringify([...map])", best(rounds, () => void (json = JSON.stringify([...js]))), Buffer.byteLength(json));
  row(name, "Map JSON.parse + new Map", best(rounds, () => void (sink += new Map(JSON.parse(json) as [unknown, number][]).size)));
  let ser: Buffer = Buffer.alloc(0);
  row(name, "Map v8.serialize", best(rounds, () => void (ser = v8.serialize(js))), ser.length);
  row(name, "Map v8.deserialize", best(rounds, () => void (sink += (v8.deserialize(ser) as Map<unknown, number>).size)));
  row(name, "GoMap JSON.parse + set each (rebuild)", best(rounds, () => {
    const g = GoMap.make(kt, t.u32) as GoMap<unknown, number, never, number>;
    for (const [k, v] of JSON.parse(json) as [never, number][]) g.set(k, v);
    sink += g.size;
  }));
}

function checksumThroughput(): void {
  const bytes = new Uint8Array((quick ? 16 : 256) << 20);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i & 0xff;
  const ms = best(3, () => void (sink += checksum(bytes)[0]));
  console.log(`\nchecksum: ${((bytes.length / 1e6 / ms) * 1e3).toFixed(0)} MB/s over ${bytes.length >> 20} MiB`);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "gomap-bench-"));
  try {
    console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; milliseconds (best of runs), serialised MB`);
    console.log("| workload | operation | ms | MB |\n|---|---|---:|---:|");
    const cases: ["u32" | "string", number][] = quick ? [["u32", 1e4], ["string", 1e4]] : [["u32", 1e6], ["string", 1e6], ["u32", 1e7]];
    for (const [kind, n] of cases) run(kind, n, dir);
    checksumThroughput();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (sink === 0.5) console.log(sink);
}

main();
