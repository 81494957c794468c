// A small Wing-Gong linearizability checker for SyncMap histories.
//
// A history is the events of several threads, each an operation on one key with its result
// and two ticks of a shared clock (invoked, responded). The history is linearizable if some
// order of the operations, respecting real time (an operation that responded before another
// was invoked comes first), replays on a sequential map with the same results. Operations
// on different keys commute, so each key's history is checked alone (linearizability is
// local). The search tries, at each step, every pending operation invoked before the earliest
// pending response, and memoises (done set, state) pairs it has already failed from.
import type { Event } from "./worker.js";

/** The model: a key's value, or null when absent. Returns the result and the next state. */
export function step(state: number | null, ev: Event): [unknown, number | null] {
  const [op, , a, b] = ev;
  switch (op) {
    case "store": return [null, a];
    case "load": return [state, state];
    case "delete": return [null, null];
    case "loadOrStore": return state === null ? [[a, false], a] : [[state, true], state];
    case "swap": return [state, a];
    case "cas": return state === a ? [true, b] : [false, state];
    case "cad": return state === a ? [true, null] : [false, state];
    case "loadAndDelete": return [state, null];
  }
  throw new Error(`unknown op ${op}`);
}

/** Whether one key's events (starting from `initial`) are linearizable. */
export function linearizable(events: Event[], initial: number | null = null): boolean {
  const n = events.length;
  const done = new Uint8Array(n);
  const failed = new Set<string>();
  const search = (left: number, state: number | null): boolean => {
    if (left === 0) return true;
    const memo = `${done.join("")}|${state}`;
    if (failed.has(memo)) return false;
    let firstResponse = Infinity;
    for (let i = 0; i < n; i++) if (done[i] === 0 && events[i][6] < firstResponse) firstResponse = events[i][6];
    for (let i = 0; i < n; i++) {
      if (done[i] !== 0 || events[i][5] > firstResponse) continue;
      const [result, next] = step(state, events[i]);
      if (JSON.stringify(result) !== JSON.stringify(events[i][4])) continue;
      done[i] = 1;
      if (search(left - 1, next)) return true;
      done[i] = 0;
    }
    failed.add(memo);
    return false;
  };
  return search(n, initial);
}
