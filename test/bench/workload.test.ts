// The benchmark's two sides do the same work: bench/go/main.go's `plan` mode prints the workload
// as Go's program defines it (its name, rounds, untimed iterations, and the hit, miss and
// lookup-order key lists, or their FNV-1a digests when long), and it must equal what
// src/bench/measure.ts's workloadKeys, roundsFor and workloadName give: the same keys, in the
// same insertion, lookup and delete order, the same misses, the same best-of rule. bench:go
// joins its Go and JS rows by the workload's name, so the names must agree too.
//
// Without Go 1.19 the tests are skipped and say so, unless GOMAP_REQUIRE_GO=1 (as
// test/fidelity/live.test.ts does).
import assert from "node:assert/strict";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { buildGoProgram, findGo, runGoBinary } from "../../fidelity/go.js";
import { ITERATE_UNTIMED, roundsFor, workloadKeys, workloadName } from "../../src/bench/measure.js";
import type { Workload } from "../../src/bench/measure.js";

const go = findGo();
const required = process.env.GOMAP_REQUIRE_GO === "1";
const skip = go === null && !required ? "Go 1.19 is not installed (apt-get install golang-1.19-go, or set GOMAP_GO)" : false;

interface Plan {
  workload: string;
  n: number;
  rounds: number;
  iterateUntimed: number;
  digests: { hits: number; misses: number; order: number };
  hits?: (number | string)[];
  misses?: (number | string)[];
  order?: (number | string)[];
}

let bin: string | null = null;
function goPlan(w: Workload, n: number): Plan {
  bin ??= buildGoProgram(go as string, "bench", fileURLToPath(new URL("../../../bench/go", import.meta.url)));
  return JSON.parse(runGoBinary(bin, ["plan", w, String(n)], false)) as Plan;
}

/** FNV-1a (32-bit), as main.go's digestU32 and digestString: a u32 key's 4 bytes little-endian, a string's bytes and a 0. */
function digest(keys: ArrayLike<number | string>): number {
  let h = 2166136261;
  const add = (c: number): void => {
    h = Math.imul(h ^ c, 16777619) >>> 0;
  };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k === "number") for (let b = 0; b < 32; b += 8) add((k >>> b) & 0xff);
    else {
      for (const c of new TextEncoder().encode(k)) add(c);
      add(0);
    }
  }
  return h;
}

function jsPlan(w: Workload, n: number, lists: boolean): Plan {
  const k = workloadKeys(w, n) as { hits: ArrayLike<number | string>; misses: ArrayLike<number | string>; order: ArrayLike<number | string> };
  const plan: Plan = {
    workload: workloadName(w, n),
    n,
    rounds: roundsFor(n),
    iterateUntimed: ITERATE_UNTIMED,
    digests: { hits: digest(k.hits), misses: digest(k.misses), order: digest(k.order) },
  };
  if (lists) Object.assign(plan, { hits: Array.from(k.hits), misses: Array.from(k.misses), order: Array.from(k.order) });
  return plan;
}

test("bench workload: Go 1.19 is there when GOMAP_REQUIRE_GO=1 asks for it", { skip: required ? false : "GOMAP_REQUIRE_GO is not set" }, () => {
  assert.notEqual(go, null, "GOMAP_REQUIRE_GO=1, but Go 1.19 was not found (golang-1.19-go, or GOMAP_GO)");
});

test("bench workload: Go's program and measure.ts use the same keys, orders, misses and rules (n=1000, every key)", { skip }, () => {
  for (const w of ["u32", "string"] as const) {
    const fromGo = goPlan(w, 1000);
    assert.ok(fromGo.hits !== undefined && fromGo.hits.length === 1000, "the plan lists the keys at this size");
    assert.deepEqual(fromGo, jsPlan(w, 1000, true), w);
    // Not vacuous: the lookup order is a real shuffle, and no miss is a hit.
    assert.notDeepEqual(fromGo.order, fromGo.hits);
    const hits = new Set(fromGo.hits);
    assert.equal(hits.size, 1000);
    assert.ok(!(fromGo.misses as (number | string)[]).some((k) => hits.has(k)));
  }
});

test("bench workload: the same at the table's sizes, by digest (u32 at 1e7, where one round is timed; strings at 1e5)", { skip }, () => {
  for (const [w, n] of [["u32", 1e7], ["string", 1e5]] as const) {
    const fromGo = goPlan(w, n);
    assert.equal(fromGo.hits, undefined, "too many keys to list");
    assert.deepEqual(fromGo, jsPlan(w, n, false), `${w} n=${n}`);
  }
  assert.equal(goPlan("u32", 1e7).rounds, 1);
});

test("bench workload: both sides name a size that is not one digit and zeros the same, and exactly (bench:go joins rows by name)", { skip }, () => {
  for (const n of [1, 300, 1500, 12345, 15000, 250_000]) {
    for (const w of ["u32", "string"] as const) assert.equal(goPlan(w, n).workload, workloadName(w, n), `n=${n}`);
  }
  // Exactly: two sizes never share a name, and the name gives the size back.
  for (const n of [1500, 2000, 2499, 12345, 15000]) assert.equal(Number(/n=(\S+)$/.exec(workloadName("u32", n))?.[1]), n);
});
