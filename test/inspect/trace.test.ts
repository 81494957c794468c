// Tests of src/inspect/trace.ts: inspect.onTrace listeners and the node:diagnostics_channel
// channels get grow, evacuate, overflow and clear events naming the map; the events of one
// whole doubling account for every entry and every old bucket; a same-size growth has no Y;
// overflow events name offsets inspect.bucket shows while they run (the array may move once
// the write that ends a growth is done); unsubscribing stops events, and (un)subscribing
// during an event changes who gets the next ones; a listener
// that throws cannot break a write (its error surfaces later, as an uncaught exception).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import dc from "node:diagnostics_channel";
import test from "node:test";
import { fileURLToPath } from "node:url";
import util from "node:util";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { inspect } from "../../src/inspect/index.js";
import type { EvacuateEvent, GrowEvent, TraceEvent } from "../../src/inspect/trace.js";
import { hashOut } from "../../src/hash/hash.js";
import { checkInvariants, hashedBy } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { GoType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** Collects the events of map m while fn runs. */
function traced(m: AnyMap | null, fn: () => void): TraceEvent[] {
  const events: TraceEvent[] = [];
  const off = inspect.onTrace((e) => {
    if (m === null || e.map === m) events.push(e);
  });
  try {
    fn();
  } finally {
    off();
  }
  return events;
}

test("trace: one whole doubling: a grow event, then each old bucket evacuated once, every entry accounted for", () => {
  const m = GoMap.make(t.u32, t.u32, { hint: 52 }) as AnyMap; // B=3
  const other = GoMap.make(t.u32, t.u32) as AnyMap;
  for (let k = 0; k < 52; k++) m.set(k, k);
  const events = traced(m, () => {
    for (let k = 52; k < 70; k++) {
      m.set(k, k);
      other.set(k, k);
    }
  });
  const grows = events.filter((e): e is GrowEvent => e.type === "grow");
  assert.deepEqual(grows, [{ type: "grow", map: m, oldB: 3, newB: 4, kind: "doubling", count: 52 }]);
  const evacs = events.filter((e): e is EvacuateEvent => e.type === "evacuate");
  assert.deepEqual(evacs.map((e) => e.oldbucket).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const e of evacs) {
    assert.equal(e.x, e.oldbucket);
    assert.equal(e.y, e.oldbucket + 8);
    assert.equal(e.map, m);
  }
  assert.equal(evacs.reduce((n, e) => n + e.toX + e.toY, 0), 52, "the 52 entries present at the growth moved");
  assert.equal(m.inspect().growing, false);
  assert.ok(events.every((e) => e.map === m), "events of `other` are told apart by their map");
});

test("trace: a same-size growth: oldB = newB, kind same-size, y null", () => {
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt((k % 200) + 20) << 56n) | BigInt(Math.floor(k / 1000)));
  const m = GoMap.make(kt, t.u32, { hint: 20 }) as AnyMap;
  for (let k = 0; k < 26; k++) m.set(k, k);
  for (let k = 0; k < 26; k++) m.delete(k);
  const events = traced(m, () => {
    for (let k = 1000; k < 1010; k++) m.set(k, k);
  });
  const grow = events.find((e) => e.type === "grow");
  assert.deepEqual(grow, { type: "grow", map: m, oldB: 2, newB: 2, kind: "same-size", count: 9 });
  const evacs = events.filter((e): e is EvacuateEvent => e.type === "evacuate");
  assert.ok(evacs.length >= 1);
  for (const e of evacs) {
    assert.equal(e.y, null);
    assert.equal(e.toY, 0);
  }
});

test("trace: overflow events: from the pool, then fresh; offsets are those inspect.bucket shows", () => {
  // Every key in bucket 0 of a B=4 map (one pool bucket).
  const kt: GoType<number> = hashedBy(t.u32, (k) => BigInt(k + 20) << 56n);
  const m = GoMap.make(kt, t.u32, { hint: 100 }) as AnyMap;
  assert.equal(m.inspect().B, 4);
  const events = traced(m, () => {
    for (let k = 0; k < 17; k++) m.set(k, k);
  });
  const chain = inspect.bucket(m, 0).chain;
  assert.equal(chain.length, 3);
  assert.deepEqual(events, [
    { type: "overflow", map: m, bucket: chain[0].offset, overflow: chain[1].offset, preallocated: true },
    { type: "overflow", map: m, bucket: chain[1].offset, overflow: chain[2].offset, preallocated: false },
  ]);
});

test("trace: an overflow event's offsets are inspect.bucket's while the event runs; the write that ends a growth then slides the array down", () => {
  // Every key in bucket 1, tophash k + 20. 13 keys fill B=1; the 14th doubles to B=2 and its
  // write evacuates both old buckets: old bucket 1's 13 entries go to new bucket 1 and need an
  // overflow bucket there, and then the growth ends and the new array moves over the old one.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(k + 20) << 56n) | 1n);
  const m = GoMap.make(kt, t.u32) as AnyMap;
  for (let k = 0; k < 13; k++) m.set(k, k);
  assert.equal(m.inspect().B, 1);
  const during: number[][] = [];
  const events = traced(m, () => {
    const off = inspect.onTrace((e) => {
      if (e.map === m && e.type === "overflow") during.push(inspect.bucket(m, 1).chain.map((b) => b.offset));
    });
    try {
      m.set(13, 13);
    } finally {
      off();
    }
  });
  const overflows = events.filter((e) => e.type === "overflow");
  assert.equal(overflows.length, 1);
  const o = overflows[0];
  assert.equal(o.type, "overflow");
  if (o.type !== "overflow") return;
  assert.deepEqual(during, [[o.bucket, o.overflow]], "during the event, inspect.bucket shows the link the event names");
  assert.equal(m.inspect().growing, false);
  const after = inspect.bucket(m, 1).chain.map((b) => b.offset);
  assert.notEqual(after[0], o.bucket, "the array has moved since (README: offsets of the array's buckets hold while the write runs)");
  assert.equal(after[1], o.overflow, "a fresh overflow block does not move");
});

test("trace: clear reports the entries removed and the B kept; an empty map's clear reports nothing", () => {
  const m = GoMap.make(t.string, t.u32) as AnyMap;
  for (let k = 0; k < 100; k++) m.set(`k${k}`, k);
  const events = traced(m, () => {
    m.clear();
    m.clear();
  });
  assert.deepEqual(events, [{ type: "clear", map: m, count: 100, B: 4 }]);
});

test("trace: unsubscribing stops events; the same function added twice is called once; non-functions are refused", () => {
  const seen: TraceEvent[] = [];
  const fn = (e: TraceEvent): void => void seen.push(e);
  const off1 = inspect.onTrace(fn);
  const off2 = inspect.onTrace(fn);
  const m = GoMap.make(t.u32, t.u32);
  for (let k = 0; k < 9; k++) m.set(k, k);
  assert.deepEqual(seen.map((e) => e.type), ["grow", "evacuate"]);
  off1();
  off2();
  for (let k = 9; k < 100; k++) m.set(k, k);
  assert.equal(seen.length, 2);
  assert.throws(() => inspect.onTrace(null as never), { name: "TypeError", message: /onTrace needs a function, got null/ });
  assert.throws(() => inspect.onTrace("x" as never), { name: "TypeError", message: /got string/ });
});

test("trace: listeners (un)subscribing during an event: each event goes to the listeners there when it was sent, once each", () => {
  // A fixed seed, so that the 9th key makes exactly two events (no overflow bucket).
  const m = GoMap.make(t.u32, t.u32, { seed: 1 }) as AnyMap;
  // A listener that takes itself off and puts itself back on at every event (a "once, then
  // again" pattern) was called again for the same event, endlessly but for this guard.
  let calls = 0;
  let stop = inspect.onTrace(function again(e) {
    if (e.map !== m) return;
    calls++;
    if (calls > 20) return;
    stop();
    stop = inspect.onTrace(again);
  });
  // A listener added during an event gets the next events, not the one being sent.
  let added = false;
  const late: string[] = [];
  let stopLate = (): void => {};
  const stopAdder = inspect.onTrace((e) => {
    if (e.map !== m || added) return;
    added = true;
    stopLate = inspect.onTrace((e2) => {
      if (e2.map === m) late.push(e2.type);
    });
  });
  try {
    for (let k = 0; k < 9; k++) m.set(k, k); // the 9th: grow B=0 -> 1, evacuate old bucket 0
  } finally {
    stop();
    stopAdder();
    stopLate();
  }
  assert.equal(calls, 2, "one call for each of the two events");
  assert.deepEqual(late, ["evacuate"], "the late listener missed the grow it was added during");
});

test("trace: a listener may print its event: util.inspect of the map being written shows its head, not an error", () => {
  // A fixed seed: with a random one, the 9th key's new bucket is full one time in about 128,
  // and its overflow bucket makes a third event.
  const m = GoMap.make(t.u32, t.u32, { seed: 1 }) as AnyMap;
  const shown: string[] = [];
  const events = traced(m, () => {
    const off = inspect.onTrace((e) => {
      if (e.map === m) shown.push(util.inspect(e));
    });
    try {
      for (let k = 0; k < 9; k++) m.set(k, k); // the 9th: grow, then evacuate
    } finally {
      off();
    }
  });
  assert.equal(shown.length, 2);
  assert.equal(events.length, 2);
  for (const s of shown) assert.match(s, /map: GoMap\(8\) \[map\[uint32\]uint32\] \{\s+\(entries not shown while the map is being written\)\s+\}/);
  // Once the write is over, the map shows its entries again.
  assert.match(util.inspect(m), /^GoMap\(9\) \[map\[uint32\]uint32\] \{\s+\d => \d/);
});

test("trace: diagnostics_channel subscribers of gomap:grow and gomap:evacuate get the same events", () => {
  assert.deepEqual(inspect.channels, { grow: "gomap:grow", evacuate: "gomap:evacuate", overflow: "gomap:overflow", clear: "gomap:clear" });
  const got: [string, unknown][] = [];
  const onGrow = (msg: unknown, name: string | symbol): void => void got.push([String(name), msg]);
  const onEvac = (msg: unknown, name: string | symbol): void => void got.push([String(name), msg]);
  dc.subscribe("gomap:grow", onGrow);
  dc.subscribe("gomap:evacuate", onEvac);
  const m = GoMap.make(t.u32, t.u32);
  try {
    for (let k = 0; k < 9; k++) m.set(k, k);
  } finally {
    dc.unsubscribe("gomap:grow", onGrow);
    dc.unsubscribe("gomap:evacuate", onEvac);
  }
  assert.equal(got.length, 2);
  assert.deepEqual(got[0], ["gomap:grow", { type: "grow", map: m, oldB: 0, newB: 1, kind: "doubling", count: 8 }]);
  assert.equal(got[1][0], "gomap:evacuate");
  for (let k = 9; k < 100; k++) m.set(k, k);
  assert.equal(got.length, 2, "nothing after unsubscribing");
});

test("trace: a listener may inspect the map mid-write; reading it through the map throws, as Go's would", () => {
  const m = GoMap.make(t.u32, t.u32) as AnyMap;
  const states: string[] = [];
  const errors: unknown[] = [];
  const off = inspect.onTrace((e) => {
    if (e.type !== "grow") return;
    states.push(`${inspect.map(m).growth} B=${inspect.map(m).B}`);
    try {
      m.get(1);
    } catch (err) {
      errors.push(err);
    }
  });
  try {
    for (let k = 0; k < 9; k++) m.set(k, k);
  } finally {
    off();
  }
  assert.deepEqual(states, ["doubling B=1"]);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /concurrent map read and map write/);
  checkInvariants(m);
});

test("trace: a listener that throws does not break the write: the error is uncaught later, the map intact", () => {
  const index = fileURLToPath(new URL("../../src/index.js", import.meta.url));
  const script = `
    const { GoMap, types: t, inspect } = await import(${JSON.stringify(index)});
    const m = GoMap.make(t.u32, t.u32);
    inspect.onTrace(() => { throw new Error("listener boom"); });
    process.on("uncaughtException", (err) => {
      const ok = Array.from({ length: 20 }, (_, k) => m.get(k) === k * 2).every(Boolean);
      console.log(err.message, m.size, ok, m.inspect().growing);
    });
    for (let k = 0; k < 20; k++) m.set(k, k * 2);
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.stderr, "");
  // Three growths (B 0->1->2), each with its evacuations: one uncaught error a listener call.
  const lines = r.stdout.trim().split("\n");
  assert.ok(lines.length >= 3, r.stdout);
  for (const line of lines) assert.equal(line, "listener boom 20 true false");
});

test("trace: a listener that grows another map while this one evacuates leaves both maps whole", () => {
  // Every key of `a` hashes to bucket 0 with the same low word, so each doubling's evacuation
  // sends a chain of more than 8 entries to X and needs overflow buckets: overflow events fire
  // in the middle of evacuate, and the listener's writes to `b` run b's own evacuations there.
  const kt: GoType<number> = hashedBy(t.u32, (k) => (BigInt(k) * 0x9e3779b1n) << 32n);
  const a = GoMap.make(kt, t.u32) as AnyMap;
  const b = GoMap.make(t.u32, t.u32) as AnyMap;
  let nested = 0;
  let next = 0;
  const off = inspect.onTrace((e) => {
    if (e.type !== "overflow" || e.map !== a || next >= 5000) return;
    nested++;
    for (const end = next + 500; next < end; next++) b.set(next, next * 3);
  });
  try {
    for (let k = 0; k < 300; k++) a.set(k, k + 1);
  } finally {
    off();
  }
  assert.ok(nested > 0, "the listener ran inside a's writes");
  assert.equal(next, 5000, "and grew b through several doublings");
  checkInvariants(a);
  checkInvariants(b);
  assert.equal(a.size, 300);
  for (let k = 0; k < 300; k++) assert.equal(a.get(k), k + 1);
  assert.equal(b.size, 5000);
  for (let k = 0; k < 5000; k++) assert.equal(b.get(k), k * 3);
});

test("trace: a listener that looks up a non-ASCII key in another map while a string insert grows its map cannot make the insert take another key's slot", () => {
  const seed = 12345;
  // Two 8-byte keys that differ in their first word only, with the same tophash and the same
  // bucket at B = 1 under this seed: the insert of one compares it with the other.
  const hashOf = (s: string): [number, number] => [t.string.hash(s, seed), hashOut.hi];
  let tail = "";
  for (let i = 0; ; i++) {
    tail = i.toString(36).padStart(4, "0");
    const [aLo, aHi] = hashOf(`wxyz${tail}`);
    const [bLo, bHi] = hashOf(`abcd${tail}`);
    if (aHi >>> 24 === bHi >>> 24 && (aLo & 1) === (bLo & 1)) break;
  }
  const m = GoMap.make(t.string, t.u32, { seed }); // one bucket; the 9th key doubles it
  m.set(`wxyz${tail}`, 1);
  for (let i = 0; i < 7; i++) m.set(`k${i}`, 10 + i);
  const other = GoMap.make(t.string, t.u32);
  other.set("x", 0); // not empty, so that its lookups hash their key
  const off = inspect.onTrace((e) => {
    // This key's first two words are those of `wxyz${tail}`; its hash leaves for the encoded
    // path only at the "é" after them.
    if (e.type === "grow" && e.map === m) other.get(`wxyz${tail}é`);
  });
  try {
    m.set(`abcd${tail}`, 2);
  } finally {
    off();
  }
  assert.equal(m.size, 9);
  assert.equal(m.get(`wxyz${tail}`), 1);
  assert.equal(m.get(`abcd${tail}`), 2);
  checkInvariants(m as AnyMap);
});

test("trace: a refused insert reports no overflow bucket it took back: every overflow event of the refused set names a linked bucket", () => {
  const long = (i: number): string => `session:${i.toString(16).padStart(12, "0")}-${"z".repeat(i % 40)}`;
  let refused = 0;
  for (let maxBytes = 3000; maxBytes < 20_000; maxBytes += 8) {
    const m = GoMap.make(t.string, t.string, { maxBytes, seed: 7 });
    let pending: TraceEvent[] = [];
    const off = inspect.onTrace((e) => {
      if (e.map === m && e.type === "overflow") pending.push(e);
    });
    try {
      for (let i = 0; i < 3000; i++) {
        pending = [];
        m.set(long(i), long(i + 1));
      }
    } catch (err) {
      assert.ok(err instanceof HeapExhaustedError);
      refused++;
    } finally {
      off();
    }
    const s = m.inspect();
    const linked = new Set<number>();
    for (let b = 0; b < s.buckets; b++) for (const bm of inspect.bucket(m, b).chain) linked.add(bm.offset);
    if (s.growing) for (let b = 0; b < s.oldBuckets; b++) for (const bm of inspect.bucket(m, b, { old: true }).chain) linked.add(bm.offset);
    for (const e of pending) assert.ok(linked.has((e as { overflow: number }).overflow), `maxBytes ${maxBytes}`);
  }
  assert.equal(refused, (20_000 - 3000) / 8, "every map ran out of room");
});

test("trace: a listener taken off while another stays on gets no more events", () => {
  const gone: TraceEvent[] = [];
  const kept: TraceEvent[] = [];
  const offGone = inspect.onTrace((e) => void gone.push(e));
  const offKept = inspect.onTrace((e) => void kept.push(e));
  const m = GoMap.make(t.u32, t.u32, { seed: 1 }) as AnyMap;
  for (let k = 0; k < 9; k++) m.set(k, k);
  assert.ok(gone.some((e) => e.map === m));
  offGone();
  const before = gone.length;
  try {
    for (let k = 9; k < 100; k++) m.set(k, k);
  } finally {
    offKept();
  }
  assert.ok(kept.filter((e) => e.map === m && e.type === "grow").length >= 2, "the other listener still hears the later growths");
  assert.equal(gone.length, before, "no event after unsubscribing");
});
