// `npm run bench:shared`: one map shared by 1, 2 and 4 worker threads, ops/s side by side.
//
// Implementations (u32 -> u32, preloaded with `keys` entries, keys 0..keys-1):
//   SyncMap        gomap's SyncMap; every worker attaches it
//   RWMutex+GoMap  a shared GoMap, reads under rlock, writes under lock
//   owner+Map      the usual alternative: one owner thread keeps a JS Map, the workers ask it
//                  through postMessage (one round trip an operation)
// Mixes: read-only, 90/10 and 50/50 (reads/writes; a write is a store of an existing key),
// and write-only. Keys are drawn uniformly by a seeded generator per worker.
//
// Each row: the workers wait on a start barrier, run a warm-up of a tenth of their operations,
// meet again, then run `ops` operations each; ops/s is all workers' operations over the wall
// time from the second barrier to the last worker's end. Results go to a sink. `--quick`
// shrinks everything (1e4 keys, 1 and 2 workers, few operations) to check that the script
// runs; the figures worth reading come from the full run on a quiet machine.
import { MessageChannel, Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { GoMap, RWMutex, SyncMap, types as t } from "../src/index.js";
import type { GoMapHandle, RWMutexHandle, SyncMapHandle } from "../src/index.js";
import { flags } from "./flags.js";

type Impl = "SyncMap" | "RWMutex+GoMap" | "owner+Map";
const MIXES: [string, number][] = [["read-only", 1], ["90/10", 0.9], ["50/50", 0.5], ["write-only", 0]];

interface Config {
  keys: number;
  workerCounts: number[];
  /** Operations per worker: for the shared-memory maps, and for the postMessage baseline. */
  ops: number;
  ownerOps: number;
}

// Workers load this file too: the command line is the main thread's to check.
const quick = isMainThread && flags("bench:shared", { quick: "boolean" }).quick === true;
const config: Config = quick
  ? { keys: 1e4, workerCounts: [1, 2], ops: 2e4, ownerOps: 2e3 }
  : { keys: 1e6, workerCounts: [1, 2, 4], ops: 1e6, ownerOps: 5e4 };

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

// --- worker side ----------------------------------------------------------------------------

interface Job {
  impl: Impl;
  handle: unknown;
  lock?: RWMutexHandle;
  port?: MessagePort;
  barrier: SharedArrayBuffer;
  workers: number;
  readShare: number;
  ops: number;
  keys: number;
  seed: number;
}

/** Waits until all `n` workers have arrived at barrier word `w`. */
function meet(barrier: Int32Array, w: number, n: number): void {
  Atomics.add(barrier, w, 1);
  while (Atomics.load(barrier, w) < n) Atomics.wait(barrier, w, Atomics.load(barrier, w), 5);
  Atomics.notify(barrier, w);
}

async function runJob(job: Job): Promise<number> {
  const barrier = new Int32Array(job.barrier);
  const next = lcg(job.seed);
  const threshold = Math.floor(job.readShare * 0x100000000);
  let sink = 0;
  let op: (read: boolean, k: number) => number | Promise<number>;
  if (job.impl === "SyncMap") {
    const m = SyncMap.attach(job.handle as SyncMapHandle<number, number>);
    op = (read, k) => (read ? (m.load(k) ?? 0) : (m.store(k, k), 1));
  } else if (job.impl === "RWMutex+GoMap") {
    const m = GoMap.attach(job.handle as GoMapHandle<number, number>);
    const rw = RWMutex.attach(job.lock!);
    op = (read, k) => {
      if (read) {
        rw.rlock();
        const v = m.get(k) ?? 0;
        rw.runlock();
        return v;
      }
      rw.lock();
      m.set(k, k);
      rw.unlock();
      return 1;
    };
  } else {
    const port = job.port!;
    let resolve: (v: number) => void = () => {};
    port.on("message", (v: number) => resolve(v));
    op = (read, k) =>
      new Promise<number>((r) => {
        resolve = r;
        port.postMessage(read ? [0, k] : [1, k]);
      });
  }
  const run = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const read = next() < threshold;
      const r = op(read, next() % job.keys);
      sink += typeof r === "number" ? r : await r;
    }
  };
  meet(barrier, 0, job.workers);
  await run(Math.ceil(job.ops / 10));
  meet(barrier, 1, job.workers);
  const t0 = performance.now();
  await run(job.ops);
  const elapsed = performance.now() - t0;
  job.port?.close();
  return sink === -1 ? 0 : elapsed;
}

/** The owner thread of the postMessage baseline: a Map, answering each client's port. */
function runOwner(keys: number, ports: MessagePort[]): void {
  const m = new Map<number, number>();
  for (let k = 0; k < keys; k++) m.set(k, k);
  for (const port of ports) {
    port.on("message", (req: [number, number]) => {
      if (req[0] === 0) port.postMessage(m.get(req[1]) ?? 0);
      else {
        m.set(req[1], req[1]);
        port.postMessage(1);
      }
    });
  }
  parentPort!.postMessage("ready");
  parentPort!.once("message", () => process.exit(0));
}

if (!isMainThread) {
  const d = workerData as { owner?: boolean; keys: number; ports: MessagePort[] } & Job;
  if (d.owner) runOwner(d.keys, d.ports);
  else void runJob(d).then((ms) => parentPort!.postMessage(ms));
}

// --- main side ------------------------------------------------------------------------------

const SELF = new URL(import.meta.url);

async function row(impl: Impl, handle: unknown, lock: RWMutexHandle | undefined, workers: number, readShare: number): Promise<number> {
  const barrier = new SharedArrayBuffer(8);
  const ops = impl === "owner+Map" ? config.ownerOps : config.ops;
  let owner: Worker | null = null;
  const clientPorts: (MessagePort | undefined)[] = [];
  if (impl === "owner+Map") {
    const channels = Array.from({ length: workers }, () => new MessageChannel());
    const ports = channels.map((c) => c.port1);
    owner = new Worker(SELF, { workerData: { owner: true, keys: config.keys, ports }, transferList: ports });
    await new Promise((r) => owner!.once("message", r));
    for (const c of channels) clientPorts.push(c.port2);
  }
  const times = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const port = clientPorts[i];
      const job: Job = { impl, handle, lock, port, barrier, workers, readShare, ops, keys: config.keys, seed: 1 + i * 7919 };
      const w = new Worker(SELF, { workerData: job, transferList: port ? [port] : [] });
      return new Promise<number>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      });
    }),
  );
  owner?.postMessage("stop");
  return (ops * workers) / (Math.max(...times) / 1000);
}

function fmt(opsPerSec: number): string {
  return opsPerSec >= 1e6 ? `${(opsPerSec / 1e6).toFixed(2)}M` : `${(opsPerSec / 1e3).toFixed(1)}k`;
}

async function main(): Promise<void> {
  const { keys } = config;
  const sm = SyncMap.make(t.u32, t.u32);
  for (let k = 0; k < keys; k++) sm.store(k, k);
  const gm = GoMap.make(t.u32, t.u32, { shared: true, hint: keys });
  for (let k = 0; k < keys; k++) gm.set(k, k);
  const rw = new RWMutex();
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; u32 -> u32, ${keys} keys; ops/s over all workers`);
  console.log(`| mix | workers | SyncMap | RWMutex+GoMap | owner+Map | SyncMap / owner+Map |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const [mix, readShare] of MIXES) {
    for (const workers of config.workerCounts) {
      const a = await row("SyncMap", sm.share(), undefined, workers, readShare);
      const b = await row("RWMutex+GoMap", gm.share(), rw.share(), workers, readShare);
      const c = await row("owner+Map", null, undefined, workers, readShare);
      console.log(`| ${mix} | ${workers} | ${fmt(a)} | ${fmt(b)} | ${fmt(c)} | ${(a / c).toFixed(1)}x |`);
    }
  }
}

if (isMainThread) await main();
