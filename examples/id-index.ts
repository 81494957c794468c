// An ID index: u32 user id -> a struct of fields, made with a size hint, read with get/lookup,
// changed in place with update, and its memory (inspect().bytes) beside a Map holding the
// same records as objects.
//
//   node build/examples/id-index.js [entries]     (default 100000)
import { GoMap, types as t } from "gomap";

const n = Number(process.argv[2] ?? 100_000);

// type User struct { age uint8; visits uint32; score float64 }
const User = t.struct({ age: t.u8, visits: t.u32, score: t.f64 });
const users = GoMap.make(t.u32, User, { hint: n }); // make(map[uint32]User, n)

for (let id = 0; id < n; id++) users.set(id * 7, { age: id % 100, visits: 0, score: id / 2 });

// Lookups: get gives a copy or undefined; lookup gives Go's comma-ok pair.
const id = 7 * Math.floor(n / 2);
console.log(`users.get(${id}) =`, users.get(id));
const [missing, ok] = users.lookup(1); // 1 is not a multiple of 7
console.log(`users.lookup(1) = [${JSON.stringify(missing)}, ${ok}]`);

// Read-modify-write in place: no copy out and back in.
for (let i = 0; i < 3; i++) users.update(id, (u) => { u.visits++; u.score += 1; });
console.log(`after 3 visits: users.get(${id}) =`, users.get(id));

// Memory: the whole map is one buffer, which inspect() accounts for byte by byte.
const stats = users.inspect();
console.log(`GoMap: ${stats.count} entries, B=${stats.B}, load factor ${stats.loadFactor.toFixed(2)}, ` +
  `${stats.bytes.total} bytes (${(stats.bytes.total / stats.count).toFixed(1)} an entry)`);

// The same records in a Map of objects, measured by the growth of V8's heap.
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const plain = new Map<number, { age: number; visits: number; score: number }>();
for (let i = 0; i < n; i++) plain.set(i * 7, { age: i % 100, visits: 0, score: i / 2 });
globalThis.gc?.();
const mapBytes = process.memoryUsage().heapUsed - before;
console.log(`Map:   ${plain.size} entries, about ${mapBytes} bytes of JS heap (${(mapBytes / plain.size).toFixed(1)} an entry` +
  `${globalThis.gc ? "" : "; run with --expose-gc for a steadier figure"})`);
