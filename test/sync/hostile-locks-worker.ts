// The worker half of hostile-locks.test.ts: attaches the lock it is handed (whose bytes the
// test overwrote, as a buggy thread could) and makes one call on it, posting { started } before
// the call (so the test knows it is under way) and { outcome } after. Does nothing on the main
// thread (the test runner loads every file under test/).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { WaitGroup } from "../../src/index.js";
import type { WaitGroupHandle } from "../../src/index.js";

/** What a call did: its result, or the name and message of what it threw. */
export interface LockOutcome {
  result?: unknown;
  error?: string;
}

/** The calls, by name. */
const calls: Record<string, (handle: unknown) => unknown> = {
  "WaitGroup.wait": (h) => WaitGroup.attach(h as WaitGroupHandle).wait(),
};

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { call, handle } = workerData as { call: string; handle: unknown };
  port.postMessage({ started: true });
  let outcome: LockOutcome;
  try {
    outcome = { result: calls[call](handle) };
  } catch (err) {
    outcome = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  port.postMessage({ outcome });
}
