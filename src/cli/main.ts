#!/usr/bin/env node
// The `gomap` command. `gomap demo` (what `npm start` runs) builds maps of a few sizes and
// prints their size, memory and shape next to the same data in a JS Map. `gomap help` lists
// the commands. Exit codes: 0 success, 2 usage error.
import { GoMap, types as t } from "../index.js";

const USAGE = `usage: gomap <command>

commands:
  demo    build u32 -> u32 maps of 1e3, 1e5 and 1e6 entries and a string-keyed map of
          structs; print their size, memory and bucket statistics beside a JS Map
  help    show this text
`;

function size(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Bytes V8's heap grows by while fn builds a Map (needs --expose-gc to be exact). */
function mapBytes(build: () => unknown): { bytes: number; keep: unknown } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep = build();
  gc?.();
  return { bytes: process.memoryUsage().heapUsed - before, keep };
}

function demoU32(n: number): void {
  const t0 = performance.now();
  const m = GoMap.make(t.u32, t.u32);
  for (let i = 0; i < n; i++) m.set(i, i * 2);
  const ms = performance.now() - t0;
  const s = m.inspect();
  const js = mapBytes(() => {
    const jm = new Map<number, number>();
    for (let i = 0; i < n; i++) jm.set(i, i * 2);
    return jm;
  });
  console.log(
    `map[uint32]uint32 with ${n.toLocaleString("en-US")} entries, built in ${ms.toFixed(0)} ms:\n` +
      `  B=${s.B} (${s.buckets.toLocaleString("en-US")} buckets of ${s.bucketSize} bytes), load factor ${s.loadFactor.toFixed(2)}, ` +
      `overflow buckets ~${s.noverflow}${s.growing ? `, growing (${s.nevacuate}/${s.oldBuckets} evacuated)` : ""}\n` +
      `  heap: ${size(s.heap.capacity)} buffer, ${size(s.heap.inUse)} in live blocks ` +
      `(${(s.heap.capacity / n).toFixed(1)} bytes/entry); a JS Map of the same: ` +
      (js.bytes > 0 ? `${size(js.bytes)} of V8 heap (${(js.bytes / n).toFixed(1)} bytes/entry)` : "too small to measure"),
  );
  if (m.get(n - 1) !== (n - 1) * 2) throw new Error("demo: lookup failed");
}

function demoStructs(): void {
  const User = t.struct({ age: t.u8, score: t.f64 });
  const users = GoMap.make(t.string, User);
  users.set("alice", { age: 30, score: 1.5 });
  users.set("bob", { age: 41, score: 2.25 });
  users.update("alice", (u) => {
    u.age = 35;
  });
  const copy = users.get("bob");
  if (copy !== undefined) copy.age = 99; // a copy: the map keeps 41
  console.log(`\nmap[string]struct{age uint8; score float64}:`);
  for (const [name, u] of users) console.log(`  ${name}: age ${u.age}, score ${u.score}`);
  console.log(`  (iteration order is random, as in Go; run again to see it change)`);
  const [zero, ok] = users.lookup("carol");
  console.log(`  lookup("carol") -> [${JSON.stringify(zero)}, ${ok}]`);
}

function demo(): void {
  console.log("gomap: Go's runtime hash map in TypeScript, over ArrayBuffers\n");
  for (const n of [1e3, 1e5, 1e6]) demoU32(n);
  demoStructs();
  console.log("\nRun `npm run bench` for the benchmark table, `npm test` for the tests.");
}

function main(argv: string[]): number {
  const cmd = argv[0] ?? "help";
  if (cmd === "demo") {
    demo();
    return 0;
  }
  if (cmd === "help" || cmd === "--help" || cmd === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  process.stderr.write(`gomap: unknown command "${cmd}"\n\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
