// A dedup set in Go's idiom map[[16]byte]struct{}: the keys are MD5 digests of event ids, the
// values are the empty struct t.struct({}), which takes no bytes in a bucket. A stream of
// events with repeats goes through it; each first sighting is counted, repeats are dropped.
//
//   node build/examples/dedup.js [events]     (default 200000)
import { createHash } from "node:crypto";
import { GoMap, types as t } from "gomap";

const n = Number(process.argv[2] ?? 200_000);

// The stream: n event ids drawn from n/2 possible ones by a fixed generator (xorshift32), so
// every run sees the same repeats.
function* events(count: number): Generator<string> {
  let x = 2463534242;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    yield `event-${x % Math.max(1, Math.floor(count / 2))}`;
  }
}

const empty = t.struct({});                        // struct{}: size 0
const seen = GoMap.make(t.bytes(16), empty);       // map[[16]byte]struct{}

let fresh = 0;
for (const id of events(n)) {
  const digest = createHash("md5").update(id).digest(); // a Buffer of 16 bytes: a Uint8Array
  // One hash per event: set, then see whether the size grew (instead of has() then set()).
  const before = seen.size;
  seen.set(digest, {});
  if (seen.size > before) fresh++;
}

// The same with a JS Set of hex strings, to check the count.
const check = new Set<string>();
for (const id of events(n)) check.add(createHash("md5").update(id).digest("hex"));

const stats = seen.inspect();
console.log(`events: ${n}, distinct: ${seen.size} (first sightings counted: ${fresh}; a JS Set agrees: ${check.size})`);
console.log(`struct{} values take ${empty.size} bytes: a bucket is ${stats.bucketSize} bytes ` +
  `(8 tophash + 8 x 16-byte keys + 8 overflow link = ${8 + 8 * 16 + 8})`);
console.log(`memory: ${stats.bytes.total} bytes, ${(stats.bytes.total / seen.size).toFixed(1)} an entry`);
