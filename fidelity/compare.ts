// Compares the records of Go's run of a script with gomap's replay of it (script.ts), and
// lists every difference in words ("step 120: bucket 3, chain 1, slot 4: tophash 0x4f in Go,
// 0x00 in gomap"). An empty list means gomap did what Go did.
//
// Compared exactly: count, B, flags, hash0, growth state, nevacuate, and for every bucket of
// the current array, and of the old array while growing, every tophash, key and value of
// every bucket in its overflow chain; lookups' results; iterations' sequences; and, when
// gomap computed them (hash "go1.19"), the 64-bit hash of every key.
//
// Two differences are intended, and skipped with their reason:
// - noverflow from B = 16 up: Go counts overflow buckets exactly only below B = 16 and, above,
//   increments with probability 1/2^(B-15) using its own random numbers. The harness's scripts
//   stay below B = 16 (README), so this check only guards a script that grows past it.
// - The overflow chain of an old bucket that has been evacuated: Go leaves its overflow
//   buckets to the garbage collector (or, when keys and values hold no pointers, linked and
//   unread), gomap frees them at once (runtime/generic/evacuate.ts freeOldChain). The first bucket's marks
//   (evacuatedX, evacuatedY, evacuatedEmpty) are compared.
import { evacuatedMark } from "../src/runtime/layout.js";
import { canonical, keyId } from "./script.js";
import type { BmapRecord, DumpRecord, HashesRecord, RunRecord } from "./script.js";

/** B from which Go's noverflow is sampled (map.go incrnoverflow). */
const SAMPLED_NOVERFLOW_B = 16;
const MAX_REPORTED = 20;

export function compareRuns(go: RunRecord[], ts: RunRecord[]): string[] {
  const diffs: string[] = [];
  const goHashes = go.find((r): r is HashesRecord => r.kind === "hashes");
  const tsHashes = ts.find((r): r is HashesRecord => r.kind === "hashes");
  const goSteps = go.filter((r) => r.kind !== "hashes");
  const tsSteps = ts.filter((r) => r.kind !== "hashes");
  if (goSteps.length !== tsSteps.length) diffs.push(`Go wrote ${goSteps.length} records, gomap ${tsSteps.length}`);
  for (let i = 0; i < Math.min(goSteps.length, tsSteps.length) && diffs.length < MAX_REPORTED; i++) {
    compareRecord(goSteps[i], tsSteps[i], diffs);
  }
  if (tsHashes !== undefined && goHashes !== undefined) compareHashes(goHashes, tsHashes, diffs);
  return diffs.slice(0, MAX_REPORTED);
}

function compareRecord(g: RunRecord, t: RunRecord, diffs: string[]): void {
  const at = `step ${(g as { step: number }).step}`;
  if (g.kind !== t.kind || (g as { step: number }).step !== (t as { step: number }).step) {
    diffs.push(`${at}: Go wrote a ${g.kind} record, gomap a ${t.kind} record at step ${(t as { step: number }).step}`);
    return;
  }
  if (g.kind === "dump") compareDump(g, t as DumpRecord, at, diffs);
  else if (canonical(g) !== canonical(t)) {
    diffs.push(`${at}: ${g.kind} differs: Go ${canonical(g).slice(0, 300)} gomap ${canonical(t).slice(0, 300)}`);
  }
}

function compareDump(g: DumpRecord, t: DumpRecord, at: string, diffs: string[]): void {
  const fields = ["count", "flags", "B", "hash0", "growing", "sameSize", "nevacuate"] as const;
  for (const f of fields) if (g[f] !== t[f]) diffs.push(`${at}: ${f} is ${g[f]} in Go, ${t[f]} in gomap`);
  if (g.B < SAMPLED_NOVERFLOW_B && g.noverflow !== t.noverflow) {
    diffs.push(`${at}: noverflow is ${g.noverflow} in Go, ${t.noverflow} in gomap`);
  }
  if ((g.buckets === null) !== (t.buckets === null)) {
    diffs.push(`${at}: bucket array is ${g.buckets === null ? "nil" : "allocated"} in Go, ${t.buckets === null ? "nil" : "allocated"} in gomap`);
  } else if (g.buckets !== null && t.buckets !== null) {
    compareArray("bucket", g.buckets, t.buckets, false, at, diffs);
  }
  if ((g.oldbuckets === undefined) !== (t.oldbuckets === undefined)) {
    diffs.push(`${at}: old bucket array ${g.oldbuckets === undefined ? "absent" : "present"} in Go, not in gomap`);
  } else if (g.oldbuckets !== undefined && t.oldbuckets !== undefined) {
    compareArray("old bucket", g.oldbuckets, t.oldbuckets, true, at, diffs);
  }
}

function compareArray(what: string, g: BmapRecord[][], t: BmapRecord[][], old: boolean, at: string, diffs: string[]): void {
  if (g.length !== t.length) {
    diffs.push(`${at}: ${g.length} ${what}s in Go, ${t.length} in gomap`);
    return;
  }
  for (let i = 0; i < g.length && diffs.length < MAX_REPORTED; i++) {
    const evacuated = old && evacuatedMark(g[i][0].top[0]);
    const n = evacuated ? 1 : g[i].length;
    if (!evacuated && g[i].length !== t[i].length) {
      diffs.push(`${at}: ${what} ${i}: chain of ${g[i].length} in Go, ${t[i].length} in gomap`);
      continue;
    }
    for (let c = 0; c < n; c++) compareBmap(g[i][c], t[i][c], `${at}: ${what} ${i}, chain ${c}`, diffs);
  }
}

function compareBmap(g: BmapRecord, t: BmapRecord, at: string, diffs: string[]): void {
  for (let s = 0; s < 8; s++) {
    if (g.top[s] !== t.top[s]) diffs.push(`${at}, slot ${s}: tophash ${hex(g.top[s])} in Go, ${hex(t.top[s])} in gomap`);
    else {
      const [gk, gv, tk, tv] = [g.keys?.[s] ?? null, g.vals?.[s] ?? null, t.keys?.[s] ?? null, t.vals?.[s] ?? null];
      if (keyId(gk) !== keyId(tk) || keyId(gv) !== keyId(tv)) {
        diffs.push(`${at}, slot ${s}: ${keyId(gk)}=${keyId(gv)} in Go, ${keyId(tk)}=${keyId(tv)} in gomap`);
      }
    }
  }
}

function compareHashes(g: HashesRecord, t: HashesRecord, diffs: string[]): void {
  const mine = new Map(t.hashes.map(([k, h]) => [keyId(k), h]));
  for (const [k, h] of g.hashes) {
    if (mine.get(keyId(k)) !== h) diffs.push(`hash of ${keyId(k)} is ${h} in Go, ${mine.get(keyId(k))} in gomap`);
    if (diffs.length >= MAX_REPORTED) return;
  }
}

function hex(n: number): string {
  return "0x" + n.toString(16).padStart(2, "0");
}
