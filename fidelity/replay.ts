// Replays a fidelity script on a GoMap and writes the records Go's program writes for it
// (script.ts), read from gomap's own heap: the hmap header and every bucket chain.
//
// Two ways to hash, both checked by the tests:
// - "recorded": every key hashes to the 64-bit hash Go's run recorded for it (its "hashes"
//   record), injected through the test hook hashedBy. This isolates the map algorithm: any
//   difference is in the runtime, not the hash.
// - "go1.19": the map is made with `hash: "go1.19"` and the script's hash key and seed, so
//   gomap computes Go's hashes itself; the run also writes its own "hashes" record.
// Either way the replay follows Go's run where Go drew random numbers: an iteration starts
// at the bucket and offset Go's started at (its "range" record), and when a delete or clear
// empties the map the seed is set back to the script's, as the Go program does.
import { GoMap } from "../src/index.js";
import { hashOut } from "../src/hash/hash.js";
import { noldbuckets } from "../src/runtime/grow.js";
import type { HMap } from "../src/runtime/hmap.js";
import { Flag, Top, bucketShift, evacuatedMark } from "../src/runtime/layout.js";
import { hashedBy, hmapOf, rangeFrom, setHash0 } from "../src/testing/hooks.js";
import { codecFor, keyId } from "./script.js";
import type { BmapRecord, Codec, DumpRecord, HashesRecord, Json, Op, RangeRecord, RunRecord, Script } from "./script.js";

export type HashMode = "recorded" | "go1.19";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

class Replay {
  readonly out: RunRecord[] = [];
  readonly m: AnyMap;
  readonly c: Codec;
  step = 0;
  /** Go's range records by step, for the start of each iteration. */
  private readonly ranges: Map<number, RangeRecord>;
  /** Every key the script touched, by keyId. */
  readonly keys = new Map<string, Json>();

  constructor(readonly script: Script, mode: HashMode, goRecords: RunRecord[]) {
    this.c = codecFor(script.key);
    this.ranges = new Map(goRecords.filter((r): r is RangeRecord => r.kind === "range").map((r) => [r.step, r]));
    this.m = this.makeMap(mode, goRecords);
  }

  private makeMap(mode: HashMode, goRecords: RunRecord[]): AnyMap {
    const s = this.script;
    if (mode === "go1.19") {
      return GoMap.make(this.c.keyType, this.c.valueType, { hint: s.hint, seed: s.seed, hash: "go1.19", hashKey: BigInt(s.hashkey) }) as AnyMap;
    }
    const recorded = goRecords.find((r): r is HashesRecord => r.kind === "hashes");
    if (recorded === undefined) throw new Error(`${s.name}: Go's run has no hashes record`);
    const hashes = new Map(recorded.hashes.map(([k, h]) => [keyId(k), BigInt("0x" + h)]));
    const keyType = hashedBy(this.c.keyType, (k: unknown) => {
      const h = hashes.get(keyId(this.c.encode(k)));
      if (h === undefined) throw new Error(`${s.name}: no recorded hash for key ${keyId(this.c.encode(k))}`);
      return h;
    });
    return GoMap.make(keyType, this.c.valueType, { hint: s.hint, seed: s.seed }) as AnyMap;
  }

  run(): RunRecord[] {
    this.script.ops.forEach((op, i) => {
      this.step = i;
      this.apply(op);
    });
    return this.out;
  }

  apply(op: Op): void {
    const { m, c } = this;
    switch (op[0]) {
      case "set":
        this.touch(op[1]);
        m.set(c.key(op[1]), c.value(op[2]));
        break;
      case "del":
        this.touch(op[1]);
        m.delete(c.key(op[1]));
        this.reseed();
        break;
      case "get": {
        this.touch(op[1]);
        const [v, ok] = m.lookup(c.key(op[1]));
        this.out.push({ kind: "get", step: this.step, v: c.encodeValue(v), ok });
        break;
      }
      case "clear":
        // Go 1.19 has no clear(m): the harness's Go program runs `for k := range m { delete(m, k) }`,
        // which Go 1.19 compiles to mapclear only for reflexive keys (spec §3.9). For the others
        // it is a real loop, replayed as one from Go's start.
        if (m.keyType.reflexive) m.clear();
        else this.range({}, true);
        this.reseed();
        break;
      case "dump":
        this.out.push(dump(hmapOf(m) as HMap, c, this.step));
        break;
      case "range":
        this.range(op[1], false);
        break;
    }
  }

  private touch(k: Json): void {
    this.keys.set(keyId(k), k);
  }

  /** As the Go program: an emptied map gets the script's seed back. */
  private reseed(): void {
    if (this.m.size === 0) setHash0(this.m, this.script.seed);
  }

  /** A range from Go's start; after entry n, the ops under "n", or (deleteEach) delete(m, k). */
  private range(actions: Record<string, Op[]>, deleteEach: boolean): void {
    const go = this.ranges.get(this.step);
    if (go === undefined) throw new Error(`${this.script.name}: step ${this.step}: Go's run has no range record`);
    const seq: [Json, Json][] = [];
    if (go.start >= 0) {
      let n = 0;
      for (const [k, v] of rangeFrom(this.m, go.start, go.offset)) {
        seq.push([this.c.encode(k), this.c.encodeValue(v)]);
        // Go's run ended; an iteration that returns many more entries than Go's never will.
        if (seq.length > 2 * go.seq.length + 16) throw new Error(`${this.script.name}: step ${this.step}: the iteration returned ${seq.length} entries, Go's ${go.seq.length}`);
        if (deleteEach) this.m.delete(k);
        for (const op of actions[String(n)] ?? []) this.apply(op);
        n++;
      }
    }
    this.out.push({ kind: "range", step: this.step, start: go.start, offset: go.offset, seq });
  }

  /** gomap's own hashes of every key the script touched (for mode "go1.19"). */
  hashes(): HashesRecord {
    const kt = this.m.keyType;
    const hashes: [Json, string][] = [];
    for (const k of this.keys.values()) {
      const lo = kt.hash(this.c.key(k), this.script.seed | 0);
      const h = (BigInt(hashOut.hi >>> 0) << 32n) | BigInt(lo >>> 0);
      hashes.push([k, h.toString(16).padStart(16, "0")]);
    }
    return { kind: "hashes", hashes };
  }
}

/** Replays script; goRecords is Go's run of it (for its recorded hashes and range starts). */
export function replay(script: Script, mode: HashMode, goRecords: RunRecord[]): RunRecord[] {
  const r = new Replay(script, mode, goRecords);
  const out = r.run();
  if (mode === "go1.19") out.push(r.hashes());
  return out;
}

/** The map's header and every bucket chain, as the Go program dumps them. */
export function dump(h: HMap, c: Codec, step: number): DumpRecord {
  const d: DumpRecord = {
    kind: "dump",
    step,
    count: h.count,
    flags: h.flags,
    B: h.B,
    noverflow: h.noverflow,
    hash0: h.hash0,
    growing: h.growing,
    sameSize: (h.flags & Flag.sameSizeGrow) !== 0,
    nevacuate: h.nevacuate,
    buckets: h.buckets === 0 ? null : chains(h, c, h.buckets, bucketShift(h.B)),
  };
  if (h.growing) d.oldbuckets = chains(h, c, h.oldbuckets, noldbuckets(h), true);
  return d;
}

/**
 * The n chains of a bucket array. In the old array, an evacuated bucket's overflow link is
 * not followed: gomap frees those overflow blocks once no iterator holds the heap, so the
 * link may point at memory reused since (compare.ts compares only the first bucket there).
 */
function chains(h: HMap, c: Codec, array: number, n: number, old = false): BmapRecord[][] {
  const all: BmapRecord[][] = [];
  for (let i = 0; i < n; i++) {
    const head = array + i * h.t.bucketSize;
    const chain: BmapRecord[] = [];
    if (old && evacuatedMark(h.heap.u8[head])) chain.push(bmap(h, c, head));
    else for (let b = head; b !== 0; b = h.overflow(b)) chain.push(bmap(h, c, b));
    all.push(chain);
  }
  return all;
}

function bmap(h: HMap, c: Codec, b: number): BmapRecord {
  const r: BmapRecord = { top: [] };
  for (let i = 0; i < 8; i++) {
    const top = h.heap.u8[b + i];
    r.top.push(top);
    if (top < Top.minTopHash) continue;
    const keys = (r.keys ??= Array<Json | null>(8).fill(null));
    const vals = (r.vals ??= Array<Json | null>(8).fill(null));
    keys[i] = c.encode(h.t.key.read(h.heap, h.keyAt(b, i)));
    vals[i] = c.encodeValue(h.t.elem.read(h.heap, h.elemAt(b, i)));
  }
  return r;
}
