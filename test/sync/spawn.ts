// Starting the sync tests' workers (worker.ts, compiled beside this file) and collecting what
// they post back, and waiting for what they do to a lock. Every worker is watched (watchWorker), as the README asks of programs that
// share locks, so a dead lock owner is noticed.
import { Worker } from "node:worker_threads";
import { watchWorker } from "../../src/index.js";

const SCRIPT = new URL("./worker.js", import.meta.url);

export interface Outcome {
  result?: unknown;
  error?: { name: string; message: string };
}

export interface Running {
  worker: Worker;
  /** The worker's first { result } or { error } message. */
  outcome: Promise<Outcome>;
  /** Resolves with the first message that has `key`. */
  message(key: string): Promise<Record<string, unknown>>;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

export function spawn(data: Record<string, unknown>): Running {
  const worker = watchWorker(new Worker(SCRIPT, { workerData: data }));
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
  const outcome = new Promise<Outcome>((resolve, reject) => {
    worker.on("message", (m: Outcome) => {
      if ("result" in m || "error" in m) resolve(m);
    });
    worker.once("error", reject);
    void exited.then((code) => reject(new Error(`worker exited (${code}) without an outcome`)));
  });
  outcome.catch(() => {}); // a worker meant to die has none; only awaiting it should throw
  const message = (key: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      worker.on("message", (m: Record<string, unknown>) => {
        if (key in m) resolve(m);
      });
      void exited.then((code) => reject(new Error(`worker exited (${code}) before sending ${key}`)));
    });
  return { worker, outcome, message, exited };
}

/**
 * Resolves once `ready()` holds, looking every few ms, or once `w` has exited without getting
 * there (its outcome then says what it did instead): for a state a worker reaches at its own
 * pace (asleep on a lock), where a fixed sleep is too short on a busy machine.
 */
export async function until(ready: () => boolean, w: Running): Promise<void> {
  let exited = false;
  void w.exited.then(() => (exited = true));
  while (!ready() && !exited) await new Promise((r) => setTimeout(r, 2));
}

/** Runs one worker per data, all at once; their results, or the first error thrown. */
export async function runAll(datas: Record<string, unknown>[]): Promise<unknown[]> {
  const outcomes = await Promise.all(datas.map((d) => spawn(d).outcome));
  return outcomes.map((o) => {
    if (o.error !== undefined) throw new Error(`worker failed: ${o.error.name}: ${o.error.message}`);
    return o.result;
  });
}
