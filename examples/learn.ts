// For Go learners: a small map[uint32]uint32 filled key by key, with each step of the runtime
// printed as it happens. The trace events say when hashGrow starts a growth (the load factor
// 6.5 passed), when evacuate moves an old bucket's entries into the new array (split between
// X, the same index, and Y, index + 2^oldB), and when newoverflow links an overflow bucket;
// inspect.map and inspect.bucket show the hmap and a bmap's tophash bytes, keys and values.
// The seed is fixed, so every run takes the same steps.
//
//   node build/examples/learn.js [keys]     (default 60: growths to B=1, 2, 3 and 4)
import { GoMap, inspect, types as t, type Bmap, type TraceEvent } from "gomap";

const n = Number(process.argv[2] ?? 60);
const m = GoMap.make(t.u32, t.u32, { seed: 42 });

// tophash bytes 0..4 are marks, 5..255 hold the top byte of a filled slot's hash.
const MARKS = ["emptyRest", "emptyOne", "evacuatedX", "evacuatedY", "evacuatedEmpty"];
const slot = (b: Bmap<number, number>, i: number): string =>
  b.tophash[i] < MARKS.length ? MARKS[b.tophash[i]] : `${b.keys[i]}=>${b.values[i]} (top ${b.tophash[i]})`;

function describe(e: TraceEvent): string {
  switch (e.type) {
    case "grow": return `hashGrow: ${e.kind}, B ${e.oldB} -> ${e.newB}, ${e.count} entries (${(e.count / 2 ** e.oldB).toFixed(2)} a bucket)`;
    case "evacuate": return `evacuate old bucket ${e.oldbucket}: ${e.toX} to X (bucket ${e.x})` + (e.y === null ? "" : `, ${e.toY} to Y (bucket ${e.y})`);
    case "overflow": return `newoverflow: bucket at offset ${e.bucket} is full, overflow bucket at ${e.overflow} linked (${e.preallocated ? "from the array's pool" : "allocated"})`;
    case "clear": return `clear: ${e.count} entries removed, B ${e.B} kept`;
  }
}

// Events come in the middle of the write: the listener may read the map through inspect, but
// not call its methods (the write holds Go's hashWriting flag). They are kept and printed
// under the line of the set that caused them.
const events: string[] = [];
const stop = inspect.onTrace((e) => { if (e.map === m) events.push(describe(e)); });

let shownOld = false;
for (let k = 1; k <= n; k++) {
  const before = m.inspect();
  m.set(k, k * 10);
  const s = m.inspect();
  if (events.length > 0 || before.growth !== null) {
    const progress = s.growth === null ? "" : `: ${s.growth} under way, nevacuate ${s.nevacuate}, ${s.oldBucketsLeft} of ${s.oldBuckets} old buckets left`;
    console.log(`set ${k}: count ${s.count}, B ${s.B} (${s.buckets} buckets), load ${s.loadFactor.toFixed(2)}${progress}`);
    for (const e of events.splice(0)) console.log(`    ${e}`);
  }
  if (k === 8) {
    console.log(`set 1..8: one bucket (B ${s.B}) holds all 8; its slots:`);
    const b = inspect.bucket(m, 0).chain[0];
    for (let i = 0; i < 8; i++) console.log(`    slot ${i}: ${slot(b, i)}`);
  }
  if (s.growth !== null && !shownOld) {
    // An old bucket already evacuated keeps only marks: its entries live in the new array.
    shownOld = true;
    const old = inspect.bucket(m, s.nevacuate - 1, { old: true });
    console.log(`    old bucket ${old.index} (evacuated: ${old.evacuated}): ${old.chain[0].tophash.map((h) => MARKS[h] ?? h).join(" ")}`);
  }
}
stop();

const s = m.inspect();
console.log(`end: ${s.count} entries, B ${s.B}, load factor ${s.loadFactor.toFixed(2)}, ` +
  `overflow buckets in use ${s.overflowBuckets.inUse}, growth ${s.growth ?? "none"}`);
console.log(`slots filled per bucket (0..8): ${s.histograms.slotsUsed.join(" ")}`);
// A range loop starts at a random bucket and slot, as Go's mapiterinit does:
console.log(`two range loops: ${[...m.keys()].slice(0, 6).join(",")}... and ${[...m.keys()].slice(0, 6).join(",")}...`);
