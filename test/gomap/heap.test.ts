// The heap under long churn, through the public API: whatever the map does (sets and deletes
// of strings that straddle the allocator's size bins, indirect values, structs holding
// strings, clears, iterations finished, broken, thrown out of, kept unfinished or nested, with
// writes in their bodies, snapshot round trips under a new maxBytes), the allocator's figures
// equal an independent walk of its blocks, inspect's byte partition adds up, the buffer never
// exceeds maxBytes, an iteration never returns a key or value the model does not hold (a block
// reused while it could still read it would show as one), and deleting every entry once no
// iteration runs gives back every block but the buckets. A steady churn at constant size levels
// off near what the same map built fresh takes.
//
// GOMAP_HEAP_RUNS=<n> runs n cases a type pair (default 15), GOMAP_HEAP_CHURN=<n> churns n
// replacements (default 40,000).
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { HeapExhaustedError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { BLOCK_HEADER, FIRST_BLOCK, H_BLOCKS, H_IN_USE, H_TOP, USED } from "../../src/memory/heap.js";
import type { Heap } from "../../src/memory/heap.js";
import { checkInvariants, hmapOf } from "../../src/testing/hooks.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

const RUNS = Number(process.env.GOMAP_HEAP_RUNS ?? 15);
const CHURN = Number(process.env.GOMAP_HEAP_CHURN ?? 40_000);

/** String lengths around the allocator's bins: inline (<= 12), the small bins' edges, the large bins. */
const LENGTHS = [0, 5, 12, 13, 16, 17, 24, 100, 120, 121, 128, 129, 200, 240, 241, 248, 249, 250, 256, 300];
const str = (k: number, len: number): string => {
  let s = `${k}:`;
  while (s.length < len) s += "abcdefghijklmnop";
  return s.slice(0, len);
};

/** Live blocks and their payload bytes, by walking the block headers from the first to top. */
function walk(heap: Heap): { blocks: number; inUse: number } {
  const u32 = heap.u32;
  const top = u32[H_TOP];
  let blocks = 0;
  let inUse = 0;
  let off = FIRST_BLOCK;
  while (off < top) {
    const word = u32[off >>> 2];
    const size = (word & ~USED) >>> 0;
    assert.ok(size > 0 && (size & 7) === 0, `block at ${off}: size ${size}`);
    if ((word & USED) !== 0) {
      blocks++;
      inUse += size;
    }
    off += BLOCK_HEADER + size;
  }
  assert.equal(off, top, "the blocks end at top");
  return { blocks, inUse };
}

interface Pair {
  name: string;
  kt: AnyType;
  vt: AnyType;
  key(k: number): unknown;
  value(k: number, z: number): unknown;
}

const Rec = t.struct({ a: t.string, n: t.u32 });
const pairs: Pair[] = [
  { name: "string->string", kt: t.string, vt: t.string, key: (k) => str(k, 13 + (k % 40)), value: (_k, z) => str(z, LENGTHS[z % LENGTHS.length]) },
  { name: "u32->bytes(200)", kt: t.u32, vt: t.bytes(200), key: (k) => k, value: (_k, z) => new Uint8Array(200).fill(z & 0xff) },
  { name: "string->struct{string,u32}", kt: t.string, vt: Rec, key: (k) => str(k, 10 + (k % 10)), value: (_k, z) => ({ a: str(z, LENGTHS[z % LENGTHS.length]), n: z }) },
];

const show = (v: unknown): string => (v instanceof Uint8Array ? `bytes ${v[0]}x${v.length}` : typeof v === "object" ? JSON.stringify(v) : String(v));

type Write = { k: number; z: number; del: boolean };
type Cmd =
  | { op: "set"; k: number; z: number }
  | { op: "delete"; k: number }
  | { op: "clear" }
  | { op: "iter"; how: "full" | "break" | "throw" | "keep" | "return" | "nested"; steps: number; writes: Write[] }
  | { op: "endKept" }
  | { op: "snapshot"; maxBytes: number };

const keyArb = fc.nat({ max: 400 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 40, arbitrary: fc.record({ op: fc.constant("set" as const), k: keyArb, z: fc.nat({ max: 1000 }) }) },
  { weight: 25, arbitrary: fc.record({ op: fc.constant("delete" as const), k: keyArb }) },
  { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("iter" as const),
      how: fc.constantFrom("full" as const, "break" as const, "throw" as const, "keep" as const, "return" as const, "nested" as const),
      steps: fc.nat({ max: 40 }),
      writes: fc.array(fc.record({ k: keyArb, z: fc.nat({ max: 1000 }), del: fc.boolean() }), { maxLength: 40 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: "endKept" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("snapshot" as const), maxBytes: fc.integer({ min: 4000, max: 200_000 }) }) },
);

class Boom extends Error {}

function run(p: Pair, maxBytes: number, cmds: Cmd[]): void {
  let m = GoMap.make(p.kt, p.vt, { maxBytes, seed: 11 }) as AnyMap;
  let bound = maxBytes;
  const model = new Map<unknown, string>();
  const kept: Iterator<unknown>[] = [];
  const set = (k: number, z: number): void => {
    try {
      m.set(p.key(k), p.value(k, z));
      model.set(p.key(k), show(p.value(k, z)));
    } catch (err) {
      if (!(err instanceof HeapExhaustedError)) throw err;
    }
  };
  const del = (k: number): void => {
    m.delete(p.key(k));
    model.delete(p.key(k));
  };
  const check = (what: string): void => {
    const heap = hmapOf(m)!.heap;
    assert.ok(heap.capacity <= bound, `${what}: a buffer of ${heap.capacity} bytes, maxBytes ${bound}`);
    const w = walk(heap);
    assert.deepEqual([heap.u32[H_BLOCKS], heap.u32[H_IN_USE]], [w.blocks, w.inUse], `${what}: the header's live blocks and bytes, against the walk`);
    const s = m.inspect();
    assert.deepEqual([s.heap.blocks, s.heap.inUse, s.bytes.total], [w.blocks, w.inUse, heap.capacity], `${what}: inspect's heap figures`);
    const b = s.bytes;
    assert.equal(b.buckets + b.overflow + b.strings + b.indirect + b.wasted, b.total, `${what}: the byte partition`);
    // While an iteration holds the heap, blocks freed meanwhile are live to the allocator only.
    if (!heap.held) assert.equal(b.buckets + b.overflow + b.strings + b.indirect, w.inUse, `${what}: every live block is the map's`);
    assert.equal(m.size, model.size, `${what}: size`);
  };
  // An entry an iteration returns must be in the model with its current value.
  const seenOk = (what: string, seen: Set<unknown>, k: unknown, v: unknown): void => {
    assert.ok(!seen.has(k), `${what}: ${show(k)} returned twice`);
    seen.add(k);
    assert.equal(model.get(k), show(v), `${what}: ${show(k)}'s value`);
  };
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i];
    const what = `op ${i} ${c.op}`;
    switch (c.op) {
      case "set":
        set(c.k, c.z);
        break;
      case "delete":
        del(c.k);
        break;
      case "clear":
        m.clear();
        model.clear();
        break;
      case "endKept":
        for (const it of kept.splice(0)) it.return!();
        break;
      case "snapshot":
        try {
          m = GoMap.fromBytes(m.toBytes(), p.kt, p.vt, { maxBytes: c.maxBytes }) as AnyMap;
          bound = c.maxBytes;
          for (const it of kept.splice(0)) it.return!(); // they range over the old map
        } catch (err) {
          if (!(err instanceof HeapExhaustedError)) throw err;
        }
        break;
      case "iter": {
        const seen = new Set<unknown>();
        let j = 0;
        const body = (k: unknown, v: unknown): void => {
          seenOk(what, seen, k, v);
          const w = c.writes[j++];
          if (w === undefined) return;
          if (w.del) del(w.k);
          else set(w.k, w.z);
        };
        if (c.how === "keep" || c.how === "return") {
          const it = m.entries();
          for (let s = 0; s < c.steps; s++) {
            const r = it.next();
            if (r.done === true) break;
            body(r.value[0], r.value[1]);
          }
          if (c.how === "keep") kept.push(it);
          else it.return!();
          break;
        }
        try {
          for (const [k, v] of m) {
            body(k, v);
            if (c.how === "nested" && j === 2) {
              const inner = new Set<unknown>();
              for (const [k2, v2] of m) seenOk(`${what} (inner)`, inner, k2, v2);
            }
            if (j >= c.steps && c.how === "break") break;
            if (j >= c.steps && c.how === "throw") throw new Boom();
          }
        } catch (err) {
          if (!(err instanceof Boom)) throw err;
        }
        break;
      }
    }
    check(what);
  }
  checkInvariants(m);
  for (const [k, v] of m) assert.equal(model.get(k), show(v), `end: ${show(k)}`);
  for (const it of kept.splice(0)) it.return!();
  for (const k of [...model.keys()]) m.delete(k);
  model.clear();
  const h = hmapOf(m)!;
  assert.equal(h.heap.held, false, "no iteration holds the heap");
  const s = m.inspect();
  assert.equal(s.bytes.strings + s.bytes.indirect, 0, "emptied: no string or indirect block left");
  assert.equal(s.heap.inUse, s.bytes.buckets + s.bytes.overflow, "emptied: the buckets are all that is live");
  check("emptied");
}

for (const p of pairs) {
  test(`heap: ${p.name}: random churn keeps the allocator's figures exact, the buffer within maxBytes, iterations exact`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 6000, max: 150_000 }), fc.array(cmdArb, { minLength: 100, maxLength: 400, size: "max" }), (maxBytes, cmds): void => run(p, maxBytes, cmds)),
      { seed: 20261208, numRuns: RUNS, includeErrorInReport: true },
    );
  });
}

test("heap: a steady churn at constant size levels off near what the same map built fresh takes", () => {
  // 2,000 string -> string entries of every length class; each step deletes a random entry and
  // sets a new key. Strings of one size are freed and others allocated, and same-size growths
  // come and go (deletes leave holes in chains): the buffer must level off, not creep.
  const N = 2000;
  let state = 12345;
  const rand = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const key = (i: number): string => str(i, LENGTHS[i % LENGTHS.length] + 13);
  const value = (i: number): string => str(i, 13 + ((i * 7) % 288));
  const m = GoMap.make(t.string, t.string, { seed: 3 });
  const h = hmapOf(m)!;
  const live: number[] = [];
  let next = 0;
  for (; next < N; next++) {
    m.set(key(next), value(next));
    live.push(next);
  }
  const caps: number[] = [];
  for (let op = 0; op < CHURN; op++) {
    const j = rand(N);
    m.delete(key(live[j]));
    live[j] = next;
    m.set(key(next), value(next));
    next++;
    if ((op + 1) % (CHURN / 4) === 0) caps.push(h.heap.capacity);
  }
  const fresh = GoMap.make(t.string, t.string, { seed: 3 });
  for (const i of live) fresh.set(key(i), value(i));
  const f = hmapOf(fresh)!.heap.stats();
  const s = h.heap.stats();
  assert.equal(m.size, N);
  assert.ok(s.capacity <= 2 * f.capacity, `churned buffer ${s.capacity}, fresh ${f.capacity}`);
  assert.ok(s.inUse <= 1.5 * f.inUse, `churned live bytes ${s.inUse}, fresh ${f.inUse}`);
  assert.ok(caps[3] <= caps[1] + (caps[1] >>> 2), `the buffer crept: ${caps.join(", ")}`);
  const w = walk(h.heap);
  assert.deepEqual([s.blocks, s.inUse], [w.blocks, w.inUse]);
  for (let k = 0; k < N; k += 37) assert.equal(m.get(key(live[k])), value(live[k]));
  checkInvariants(m);
});
