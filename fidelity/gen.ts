// Fidelity scripts: random ones from a seed, and the hand-written set that walks through each
// rule of map.go. Both are plain data (script.ts); the same seed always gives the same script.
//
// A random script runs phases chosen by the seed, each aimed at a part of the algorithm:
// - fill: inserts up to a target size (doublings, incremental evacuation, the overflow pool);
// - churn: deletes and inserts at a steady size (tombstones, emptyRest folding, and, once
//   overflow buckets pile up, same-size growth);
// - interrupted: inserts to just past a growth threshold, then deletes and updates while the
//   growth is still moving buckets;
// - mixed: sets, updates, deletes, lookups that hit and miss;
// - range: iterations whose body sets, deletes and updates (on maps small enough to record
//   whole sequences), the first started in the middle of a doubling;
// - clear.
// Live entries stay below 6.5 * 2^15 = 212,992 (B < 16): from B = 16 Go counts overflow
// buckets by sampling with its own random numbers, and the runs would part ways (compare.ts).
import type { Json, KeyKind, Op, Script } from "./script.js";

/** The most live entries a random script holds: keeps B < 16. */
export const MAX_LIVE = 200_000;

/** mulberry32: a small seeded generator, so a script is a function of its seed. */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let x = this.s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  u32(): number {
    return this.int(4294967296);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** Characters of random string keys: ASCII and 2-, 3- and 4-byte UTF-8 (code points, not UTF-16 units). */
const ALPHABET = Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ éß€漢字🙂");

/** Makes fresh keys of one kind; `fresh` never repeats within a script. */
class Keys {
  private n = 0;
  constructor(private readonly kind: KeyKind, private readonly r: Rand) {}

  fresh(): Json {
    const n = this.n++;
    const r = this.r;
    switch (this.kind) {
      case "u32":
        return ((r.u32() & ~0xfffff) | (n & 0xfffff)) >>> 0; // unique low bits
      case "u64":
        return ((BigInt(r.u32()) << 32n) | BigInt(((r.u32() & ~0xfffff) | (n & 0xfffff)) >>> 0)).toString();
      case "string":
        return this.text(n, r.int(4) === 0 ? 13 + r.int(40) : r.int(13));
      case "struct":
        return { A: r.int(65536), B: n, F: r.pick([0.5, -3, 1e10, 2.25, 7]), S: this.text(n, r.int(20)) };
    }
  }

  private text(n: number, len: number): string {
    let s = `${n.toString(36)}.`;
    while (s.length < len) s += ALPHABET[this.r.int(ALPHABET.length)];
    return s;
  }

  value(): Json {
    return this.kind === "u64" ? ((BigInt(this.r.u32()) << 32n) | BigInt(this.r.u32())).toString() : this.r.u32();
  }
}

/** A script being written: the keys live in the map (as Go would have them), and the ops. */
class Writer {
  readonly ops: Op[] = [];
  readonly live: Json[] = [];
  private readonly index = new Map<string, number>();
  readonly keys: Keys;

  constructor(kind: KeyKind, readonly r: Rand) {
    this.keys = new Keys(kind, r);
  }

  insert(): void {
    const k = this.keys.fresh();
    this.index.set(JSON.stringify(k), this.live.length);
    this.live.push(k);
    this.ops.push(["set", k, this.keys.value()]);
  }

  update(): void {
    if (this.live.length > 0) this.ops.push(["set", this.r.pick(this.live), this.keys.value()]);
  }

  remove(): void {
    if (this.live.length === 0) return;
    const i = this.r.int(this.live.length);
    const k = this.live[i];
    const last = this.live.pop() as Json;
    if (i < this.live.length) {
      this.live[i] = last;
      this.index.set(JSON.stringify(last), i);
    }
    this.index.delete(JSON.stringify(k));
    this.ops.push(["del", k]);
  }

  lookup(): void {
    const hit = this.live.length > 0 && this.r.int(2) === 0;
    this.ops.push(["get", hit ? this.r.pick(this.live) : this.keys.fresh()]);
  }

  clear(): void {
    this.live.length = 0;
    this.index.clear();
    this.ops.push(["clear"]);
  }

  dump(): void {
    this.ops.push(["dump"]);
  }

  /** An iteration whose body, at a few random entries, sets, deletes or updates keys. */
  range(): void {
    const actions: Record<string, Op[]> = {};
    const n = this.live.length;
    for (let j = 0; j < 4 && n > 0; j++) {
      const at = String(this.r.int(n));
      const kind = this.r.int(3);
      const k = kind === 0 ? this.keys.fresh() : this.r.pick(this.live);
      (actions[at] ??= []).push(kind === 1 ? ["del", k] : ["set", k, this.keys.value()]);
    }
    // The map's keys after the range are not tracked by `live` exactly; re-derive them later
    // would need a model, so a range is always followed by a clear in random scripts.
    this.ops.push(["range", actions]);
  }
}

export interface RandomOptions {
  key: KeyKind;
  /** The largest live size the script aims for (at most MAX_LIVE). */
  size: number;
  /** Dump the state about every this many operations (besides phase ends). */
  dumpEvery: number;
}

/** The load-factor threshold counts: a doubling starts on the insert that passes 6.5 * 2^B. */
function thresholds(upTo: number): number[] {
  const t: number[] = [];
  for (let B = 0; 6.5 * 2 ** B < upTo; B++) t.push(B === 0 ? 9 : Math.floor(6.5 * 2 ** B) + 1);
  return t;
}

export function randomScript(seed: number, opts: RandomOptions): Script {
  const r = new Rand(seed);
  const size = Math.min(opts.size, MAX_LIVE);
  const w = new Writer(opts.key, r);
  const hint = r.pick([0, 0, r.int(size + 1), 2 ** r.int(Math.log2(size + 2)), 1 + r.int(60)]);
  const since = { n: 0 };
  const tick = (): void => {
    if (++since.n >= opts.dumpEvery) {
      since.n = 0;
      w.dump();
    }
  };
  const phases = ["fill", "churn", "interrupted", "mixed", "range", "churn", "fill", "clear", "interrupted", "mixed"];
  for (const [i, phase] of phases.entries()) {
    runPhase(phase, w, size, tick);
    // Whole-map dumps of big maps are megabytes: those get one mid-way and one at the end.
    if (size <= 5000 || i === 2 || i === phases.length - 1) w.dump();
  }
  return {
    name: `random-${opts.key}-${size}-${seed}`,
    key: opts.key,
    hashkey: "0x" + ((BigInt(r.u32()) << 32n) | BigInt((r.u32() | 1) >>> 0)).toString(16).padStart(16, "0"),
    seed: r.u32(),
    hint,
    ops: w.ops,
  };
}

function runPhase(phase: string, w: Writer, size: number, tick: () => void): void {
  const r = w.r;
  /** Whether to dump between the steps of an interrupted growth (whole-map dumps of big maps are megabytes). */
  const dense = size <= 5000;
  switch (phase) {
    case "fill": {
      const target = Math.max(1, Math.floor(size * (0.5 + r.next() / 2)));
      while (w.live.length < target) (w.insert(), tick());
      break;
    }
    case "churn":
      for (let i = 0, n = Math.max(50, w.live.length * 2); i < n; i++) {
        if (r.int(2) === 0 || w.live.length === 0) w.insert();
        else w.remove();
        tick();
      }
      break;
    case "interrupted": {
      const next = thresholds(size * 2).find((t) => t > w.live.length) ?? w.live.length + 10;
      while (w.live.length < Math.min(next, MAX_LIVE)) (w.insert(), tick());
      for (let i = 0, n = 5 + r.int(40); i < n; i++) {
        const k = r.int(3);
        if (k === 0) w.remove();
        else if (k === 1) w.update();
        else w.insert();
        if (dense && i % 4 === 0) w.dump();
      }
      break;
    }
    case "mixed":
      for (let i = 0, n = Math.max(50, w.live.length); i < n; i++) {
        const k = r.int(8);
        if (k < 3) w.insert();
        else if (k < 5) w.remove();
        else if (k < 6) w.update();
        else w.lookup();
        tick();
      }
      break;
    case "range": {
      // Record whole sequences only for small maps; shrink first. Then insert up to the next
      // doubling threshold, so that the first iteration starts in the middle of the growth.
      while (w.live.length > 400) w.remove();
      const next = thresholds(1000).find((t) => t > w.live.length) ?? w.live.length;
      while (w.live.length < next) w.insert();
      w.dump();
      for (let i = 0; i < 3; i++) {
        w.range();
        w.dump();
      }
      w.clear();
      break;
    }
    case "clear":
      w.clear();
      break;
  }
}
