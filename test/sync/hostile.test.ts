// Hostile shared heaps: handles whose buffer is not what gomap wrote, and shared maps whose
// bytes a buggy thread overwrote. attach() refuses a buffer that is not a gomap heap (TypeError)
// and one whose header is inconsistent (GoMapError, runtime/headercheck.ts); bytes it does not
// check (chains, counts) must not make a later call hang: each call either returns or throws
// one of gomap's errors. The calls run in a worker (hostile-worker.ts) under a watchdog, so a
// call that never returns fails the test naming the case and the call instead of stalling the
// suite.
import assert from "node:assert/strict";
import test from "node:test";
import { Worker } from "node:worker_threads";
import { GoMap, GoMapError, types as t } from "../../src/index.js";
import type { GoMapHandle } from "../../src/index.js";
import { H_TOP } from "../../src/memory/heap.js";
import { Hmap, Hmap32, evacuatedMark } from "../../src/runtime/layout.js";
import { hashedBy, hmapOf } from "../../src/testing/hooks.js";
import { CALLS, CORRUPTIONS, seeded } from "./hostile-worker.js";
import type { Outcome } from "./hostile-worker.js";

/** A call that takes longer than this (ms) is a hang: every call here takes a few ms. */
const CALL_LIMIT = 10_000;

/** A shared u32 map of n entries, its heap's u32 and u8 views, and its handle. */
function filled(n: number, hint = 0): { m: GoMap<number, number>; u32: Uint32Array; u8: Uint8Array; handle: GoMapHandle<number, number> } {
  const m = GoMap.make(t.u32, t.u32, { shared: true, hint });
  for (let i = 0; i < n; i++) m.set(i, i);
  const heap = hmapOf(m)!.heap;
  return { m, u32: heap.u32, u8: heap.u8, handle: m.share() };
}

test("hostile attach: buffers that are not a gomap heap are TypeErrors", () => {
  const { handle } = filled(3);
  const random = new SharedArrayBuffer(4096);
  const next = seeded(7);
  const words = new Uint32Array(random);
  for (let i = 0; i < words.length; i++) words[i] = next();
  for (const [what, heap] of [
    ["too small", new SharedArrayBuffer(16)],
    ["zeroed", new SharedArrayBuffer(4096)],
    ["random bytes", random],
  ] as const) {
    assert.throws(() => GoMap.attach({ ...handle, heap }), (e) => e instanceof TypeError && /not a gomap heap/.test(e.message), what);
  }
});

test("hostile attach: a header whose fields point out of range or at each other is a GoMapError naming the field", () => {
  const B = (u8: Uint8Array, v: number): void => {
    u8[Hmap.B] = v;
  };
  const cases: [string, RegExp, (u32: Uint32Array, u8: Uint8Array) => void][] = [
    ["B past the bucket array", /buckets \d+ is a block of \d+ bytes/, (_u, u8) => B(u8, 20)],
    ["B above 27", /B = 200/, (_u, u8) => B(u8, 200)],
    ["buckets out of the heap", /buckets \d+ is not a block/, (u) => (u[Hmap32.buckets] = 0x7ffffff8)],
    ["buckets inside a block", /buckets \d+ is a block of \d+ bytes|free block/, (u) => (u[Hmap32.buckets] += 16)],
    ["no buckets, count set", /no bucket array/, (u) => (u[Hmap32.buckets] = 0)],
    ["oldbuckets out of the heap", /oldbuckets \d+ is not a block/, (u) => (u[Hmap32.oldbuckets] = 0x7ffffff8)],
    ["oldbuckets = buckets", /both/, (u) => (u[Hmap32.oldbuckets] = u[Hmap32.buckets])],
    ["nextOverflow out of the pool", /nextOverflow/, (u) => (u[Hmap32.nextOverflow] = 0x7ffffff8)],
    ["heap top past the buffer", /heap top/, (u) => (u[H_TOP] = 0xfffffff0)],
    ["heap top below the root", /heap top/, (u) => (u[H_TOP] = 8)],
    ["unknown hasher", /hasher 9/, (u) => (u[Hmap32.hasher] = 9)],
  ];
  for (const [what, msg, corrupt] of cases) {
    const { m, u32, u8, handle } = filled(100, 100);
    corrupt(u32, u8);
    assert.throws(() => GoMap.attach(structuredClone(handle)), (e) => e instanceof GoMapError && e.message.startsWith("gomap: attach: the shared map's header is corrupt: ") && msg.test(e.message), what);
    void m;
  }
  // A growth in progress, with its nevacuate past the old array.
  const { m, handle } = filled(0);
  const h = hmapOf(m)!;
  for (let i = 0; !h.growing; i++) m.set(i, i); // stops at the first write that leaves a growth unfinished
  h.heap.u32[Hmap32.nevacuate] = 1 << 20;
  assert.throws(() => GoMap.attach(handle), (e) => e instanceof GoMapError && /nevacuate 1048576 at or past the \d+ old buckets/.test(e.message));
});

test("hostile attach: a map being written (hashWriting set) is attached, its header not judged", () => {
  const { u32, u8, handle } = filled(10);
  u8[Hmap.flags] |= 4; // hashWriting: a writer's header may be torn
  u32[Hmap32.buckets] = 0x7ffffff8;
  assert.equal(GoMap.attach(handle).isShared, true);
});

test("hostile attach: maps of every state gomap makes attach", () => {
  for (const [n, hint] of [[0, 0], [1, 0], [14, 0], [100, 100], [5000, 0]]) {
    const { m, handle } = filled(n, hint);
    assert.equal(GoMap.attach(structuredClone(handle)).size, n);
    m.set(1e6, 1); // one more, which may start a growth
    assert.equal(GoMap.attach(structuredClone(m.share())).size, n + 1);
  }
});

test("hostile bytes: an old chain linked into the new array ends the growth's walk, not the heap's room", () => {
  // Key k hashes to k: old bucket i's key i stays in new bucket i (X), where the link points.
  const maxBytes = 1 << 20;
  const m = GoMap.make(hashedBy(t.u32, (k) => BigInt(k)), t.u32, { shared: true, maxBytes });
  const h = hmapOf(m)!;
  for (let k = 0; !h.growing; k++) m.set(k, k);
  const bs = h.t.bucketSize;
  let i = 0;
  while (evacuatedMark(h.heap.u8[h.oldbuckets + i * bs])) i++;
  let last = h.oldbuckets + i * bs;
  while (h.overflow(last) !== 0) last = h.overflow(last);
  h.heap.u32[(last + h.t.overflowOffset) >>> 2] = h.buckets + i * bs;
  // The move wrote into the bucket it was reading, and chased its own copies until the heap was full.
  assert.throws(() => m.set(i, 1), (e) => e instanceof GoMapError && /grow: .* its memory is corrupt/.test(e.message));
  assert.ok(h.heap.capacity < maxBytes, `the heap grew to ${h.heap.capacity} bytes`);
});

interface Report {
  hung?: string;
  outcomes: Outcome[];
}

/** Runs the calls of every corruption (or, with `fuzz`, of that many seeded random ones) (only those named in `only`, if given; none in `skip`) in a worker; a call over CALL_LIMIT ends it as hung. */
function runWorker(only: readonly string[] | null, skip: readonly string[], fuzz?: { seed: number; runs: number }): Promise<Report> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./hostile-worker.js", import.meta.url), { workerData: { only, skip, fuzz } });
    const outcomes: Outcome[] = [];
    let last = "(before the first call)";
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        resolve({ hung: last, outcomes });
      }, CALL_LIMIT);
    };
    arm();
    worker.on("message", (m: { start?: string; outcome?: Outcome; done?: boolean }) => {
      if (m.start !== undefined) {
        last = m.start;
        arm();
      } else if (m.outcome !== undefined) {
        outcomes.push(m.outcome);
      } else if (m.done === true) {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ outcomes });
      }
    });
    worker.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

test("hostile bytes: every call on a corrupted shared map returns or throws gomap's error, never hangs", async () => {
  const r = await runWorker(null, []);
  assert.equal(r.hung, undefined, `a call ran for more than ${CALL_LIMIT} ms: ${r.hung}`);
  assert.equal(r.outcomes.length, CORRUPTIONS.length * CALLS.length);
  for (const o of r.outcomes) assert.ok(o.error === undefined || o.typed, `${o.corruption}, ${o.call}: ${o.error}`);
  const threw = (corruption: string, call: string): string | undefined => r.outcomes.find((o) => o.corruption === corruption && o.call === call)?.error;
  // The walks that went round for ever, and end now with what they found.
  for (const [corruption, call] of [
    ["overflow cycle", "inspect"],
    ["overflow cycle", "clear"],
    ["head linked to itself", "clear"],
    ["overflow link out of the heap", "inspect"],
    ["B past the bucket array", "inspect"],
    ["buckets out of the heap", "inspect"],
    ["head linked to itself", "set"],
    ["head linked to itself", "set 200 new keys"],
    ["head linked to itself", "delete"],
    ["overflow link out of the heap", "set"],
    ["overflow link out of the heap", "update"],
    ["overflow cycle", "set 200 new keys"],
  ]) {
    assert.match(threw(corruption, call) ?? "(returned)", /its memory is corrupt/, `${corruption}: ${call}`);
  }
  // A write checks the header first, as attach does, and refuses what would send it astray.
  for (const corruption of ["B past the bucket array", "buckets out of the heap", "oldbuckets = buckets", "oldbuckets out of the heap", "nevacuate past the old array"]) {
    for (const call of ["set", "set 200 new keys", "delete", "update", "clear"]) {
      assert.match(threw(corruption, call) ?? "(returned)", /^GoMapError: gomap: write to a shared map whose header is corrupt: /, `${corruption}: ${call}`);
    }
  }
  assert.match(threw("count 0 under 8 entries", "set 200 new keys") ?? "(returned)", /must grow again for one key: its count \d+ is not its entries'/);
  assert.match(threw("free list going round", "set 200 new keys") ?? "(returned)", /free list .* goes round/);
});

test("hostile bytes, fuzzed: 1 to 4 random bytes of the header or the first buckets; attach refuses or every call ends", async () => {
  const runs = 300;
  const r = await runWorker(null, [], { seed: 20261207, runs });
  assert.equal(r.hung, undefined, `a call ran for more than ${CALL_LIMIT} ms: ${r.hung}`);
  for (const o of r.outcomes) assert.ok(o.error === undefined || o.typed || (o.call === "attach" && o.error.startsWith("TypeError: gomap: attach: ")), `${o.corruption}, ${o.call}: ${o.error}`);
  const attaches = r.outcomes.filter((o) => o.call === "attach");
  assert.equal(attaches.length, runs);
  // Both sides are reached: headers attach refuses, and maps that attach with bytes it can't check.
  assert.ok(attaches.some((o) => o.error !== undefined) && attaches.some((o) => o.error === undefined));
});
