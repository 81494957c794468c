// A cache shared by worker threads: a SyncMap (Go's sync.Map) from u32 n to the number of
// steps the Collatz sequence takes from n down to 1, a stand-in for any costly pure function.
// Each worker answers its own stream of requests: a load() that hits is served from the
// cache; a miss computes the value and offers it with loadOrStore(), which keeps the first
// value stored if two workers raced for the same key. The main thread starts the workers,
// waits for them, and reports what they did and what the cache holds.
// This one file is both programs: the main thread runs it, and so does each worker.
//
//   node build/examples/shared-cache.js [requests] [workers]     (default 400000, 4)
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { SyncMap, types as t, watchWorker, type SyncMapHandle } from "gomap";

const K = t.u32;
const V = t.u32;
interface Job { cache: SyncMapHandle; worker: number; requests: number; keys: number }
interface Report { worker: number; hits: number; misses: number; lostRaces: number }

function collatzSteps(n: number): number {
  let steps = 0;
  for (let x = n; x > 1; steps++) x = x % 2 === 0 ? x / 2 : 3 * x + 1;
  return steps;
}

/** The keys worker i asks for: a fixed pseudo-random stream (xorshift32) over [1, keys]. */
function* requests(worker: number, count: number, keys: number): Generator<number> {
  let x = 0x9e3779b9 ^ (worker + 1) * 0x85ebca6b;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    yield 1 + (x % keys);
  }
}

function work({ cache: handle, worker, requests: count, keys }: Job): Report {
  // The types make the map typed here, and are checked against the map's own.
  const cache = SyncMap.attach(handle, K, V);
  const report: Report = { worker, hits: 0, misses: 0, lostRaces: 0 };
  for (const k of requests(worker, count, keys)) {
    if (cache.load(k) !== undefined) { report.hits++; continue; }
    report.misses++;
    const [, loaded] = cache.loadOrStore(k, collatzSteps(k));
    if (loaded) report.lostRaces++; // another worker stored it between our load and our store
  }
  return report;
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 400_000);
  const workers = Number(process.argv[3] ?? 4);
  const keys = Math.max(1, Math.floor(total / 8)); // each key is asked for about 8 times
  const cache = SyncMap.make(K, V, { name: "collatz" });

  const reports = await Promise.all(Array.from({ length: workers }, (_, worker) => {
    const job: Job = { cache: cache.share(), worker, requests: Math.floor(total / workers), keys };
    // watchWorker: a worker that dies holding a shard's lock makes the others throw, not hang.
    const w = watchWorker(new Worker(new URL(import.meta.url), { workerData: job }));
    return new Promise<Report>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
  }));

  for (const r of reports) console.log(`worker ${r.worker}: ${r.hits} hits, ${r.misses} misses (${r.lostRaces} lost a race to store)`);

  // SyncMap has no size (neither has Go's): range counts the entries, and checks each one.
  let entries = 0, wrong = 0;
  cache.range((k, v) => { entries++; if (v !== collatzSteps(k)) wrong++; return true; });
  const asked = new Set<number>();
  for (let w = 0; w < workers; w++) for (const k of requests(w, Math.floor(total / workers), keys)) asked.add(k);
  const hits = reports.reduce((s, r) => s + r.hits, 0);
  const misses = reports.reduce((s, r) => s + r.misses, 0);
  console.log(`requests: ${hits + misses}, hits: ${hits}, misses: ${misses}, hit rate ${(100 * hits / (hits + misses)).toFixed(1)}%`);
  console.log(`cache: ${entries} entries (distinct keys asked for: ${asked.size}), ${wrong} wrong values`);
  console.log(`cache.load(27) = ${cache.load(27)} (27 takes 111 steps)`);
}

if (isMainThread) await main();
else parentPort!.postMessage(work(workerData as Job));
