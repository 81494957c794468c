// A TypeScript user's program, type-checked by test/index.test.ts against the package as npm
// would install it: `import ... from "gomap"` resolves through package.json "exports" to the
// built declarations (build/src/*.d.ts), not to src/. Never run, only compiled (it is left out
// of the project's own build). Each `assertType<Equal<...>>` pins a type a user sees (get's
// result per value type, 64-bit integers as number or bigint, struct fields, iteration
// tuples, SyncMap's); each `// @ts-expect-error` line is a misuse the types must refuse, and
// tsc fails on one that compiles.
import { GoMap, GoMapError, HeapExhaustedError, Mutex, RWMutex, SnapshotError, StaleRefError, SyncMap, WaitGroup, inspect, types as t } from "gomap";
import type { GoMapHandle, GoMapHandleOf, GoMapOf, In, MakeOptions, Out, Ref, SyncMapHandleOf, SyncMapOf } from "gomap";

/** true when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_?: T): void {}

// README "Use", as written.
const ids = GoMap.make(t.u32, t.u32, { hint: 1_000_000 });
ids.set(7, 42);
ids.get(7);
ids.get(8);
ids.lookup(8);
ids.update(7, (v) => v + 1);
const seen = GoMap.make(t.u64, t.struct({}));
seen.set(42n, {});
seen.has(42n);
seen.inspect().bucketSize;
const User = t.struct({ age: t.u8, score: t.f64 });
const users = GoMap.make(t.string, User);
users.set("alice", { age: 30, score: 1.5 });
users.update("alice", (u) => { u.age = 35; });
users.ref("alice").age = 36;
for (const [name, u] of users) console.log(name, u.age);
const none = GoMap.nil(t.string, t.u32);
none.get("x");

// Reads and writes, per value type.
const g = ids.get(7);
assertType<Equal<typeof g, number | undefined>>();
const l = ids.lookup(8);
assertType<Equal<typeof l, [number, boolean]>>();
const has: boolean = ids.has(1);
const del: boolean = ids.delete(1);
const chained: typeof ids = ids.set(1, 2).set(3, 4);
// @ts-expect-error a string key for a u32 map
ids.set("a", 1);
// @ts-expect-error a bigint value for a u32 map
ids.set(1, 1n);
const ng = none.get("x");
assertType<Equal<typeof ng, number | undefined>>();

// 64-bit integers: t.i64/t.u64 read bigint and take number | bigint; asNumber reads number.
const big = GoMap.make(t.i64, t.u64);
big.set(1, 2n);
big.set(1n, 2);
const bg = big.get(1);
assertType<Equal<typeof bg, bigint | undefined>>();
const small = GoMap.make(t.i64.asNumber, t.u64.asNumber);
small.set(1n, 2);
const sg = small.get(1);
assertType<Equal<typeof sg, number | undefined>>();
// @ts-expect-error a string is no 64-bit integer
small.set("1", 2);

// Floats, bool, strings, [N]byte.
const fm = GoMap.make(t.f64, t.bool);
const fb = fm.get(NaN);
assertType<Equal<typeof fb, boolean | undefined>>();
const sm = GoMap.make(t.string, t.f32);
// @ts-expect-error a number key for a string map
sm.get(1);
const bm = GoMap.make(t.bytes(16), t.string);
bm.set(new Uint8Array(16), "x");
bm.set(Buffer.alloc(16), "x");
const bk = [...bm.keys()][0];
assertType<Equal<typeof bk, Uint8Array<ArrayBuffer>>>();
// @ts-expect-error an array of numbers is not a [16]byte
bm.set([1, 2, 3], "x");

// Structs: reads give every field, writes may leave fields out; nested structs likewise.
const Person = t.struct({ age: t.u8, score: t.f64, id: t.i64, n: t.i64.asNumber, name: t.string, tag: t.bytes(2), inner: t.struct({ ok: t.bool, s: t.string }) });
const people = GoMap.make(t.string, Person);
people.set("alice", { age: 30, score: 1.5 });
people.set("bob", { inner: { ok: true }, id: 5 });
// @ts-expect-error an unknown field
people.set("carol", { agee: 30 });
// @ts-expect-error a field of the wrong type
people.set("carol", { age: "30" });
const p = people.get("alice");
assertType<Equal<typeof p, { age: number; score: number; id: bigint; n: number; name: string; tag: Uint8Array<ArrayBuffer>; inner: { ok: boolean; s: string } } | undefined>>();
people.update("alice", (v) => { v.age = 35; });
people.update("alice", (v) => ({ ...v, age: 36 }));
people.update("alice", (v) => ({ age: v.age + 1 }));
// @ts-expect-error fn returns a value of the map's value type, or nothing
people.update("alice", () => 5);
const r = people.ref("alice");
r.age = 36;
r.inner.ok = false;
assertType<Equal<typeof r.inner.s, string>>();
// @ts-expect-error a view's field takes its field's type
r.age = "x";

// Iteration: tuples and callbacks typed by the map.
for (const [name, v] of people) {
  assertType<Equal<typeof name, string>>();
  assertType<Equal<typeof v.inner.ok, boolean>>();
}
people.forEach((v, k, m) => {
  assertType<Equal<typeof k, string>>();
  assertType<Equal<typeof v.id, bigint>>();
  assertType<Equal<typeof m, typeof people>>();
});
const e = [...ids.entries()];
assertType<Equal<typeof e, [number, number][]>>();
const ks = Array.from(big.keys());
assertType<Equal<typeof ks, bigint[]>>();
const vs = [...people.values()];
assertType<Equal<typeof vs[number]["tag"], Uint8Array<ArrayBuffer>>>();

// ref of a value that is not a struct: a box whose value reads as get does and takes what set
// takes (a number for an int64, as set(k, 5) does).
const counts = GoMap.make(t.string, t.u32);
const cr = counts.ref("a");
cr.value += 1;
assertType<Equal<typeof cr.value, number>>();
// @ts-expect-error a u32 box takes numbers only
cr.value = 1n;
const bref = bm.ref(new Uint8Array(16));
assertType<Equal<typeof bref.value, string>>();
const bvals = GoMap.make(t.u32, t.bytes(4));
const bvr = bvals.ref(1);
assertType<Equal<typeof bvr.value, Uint8Array<ArrayBuffer>>>();
const bigr = big.ref(1);
bigr.value = 5;
bigr.value = 5n;
const bigrv = bigr.value;
assertType<Equal<typeof bigrv, bigint>>();
const box: Ref<number> = { value: 1 };

// update's result is the stored value, as get reads it.
counts.update("a", (n) => n + 1);
const up = counts.update("a", () => {});
assertType<Equal<typeof up, number>>();
const bigu = big.update(1, (v) => v + 1n);
assertType<Equal<typeof bigu, bigint>>();
big.update(1, () => 5);

// Options.
const opts: MakeOptions = { hint: 10, maxBytes: 1 << 20, shared: true, hash: "go1.19", hashKey: 5n, seed: 1 };
GoMap.make(t.u32, t.u32, opts);
// @ts-expect-error a misspelt option
GoMap.make(t.u32, t.u32, { hnt: 5 });
// @ts-expect-error hash names one of two hashes
GoMap.make(t.u32, t.u32, { hash: "fnv" });
// @ts-expect-error a type argument that is not a gomap type
GoMap.make("u32", t.u32);

// Snapshots and sharing keep the types.
const bytes: Uint8Array = ids.toBytes();
const back = GoMap.fromBytes(bytes, t.u32, t.u32);
assertType<Equal<typeof back, typeof ids>>();
const loaded = GoMap.load("ids.gomap", t.string, User);
assertType<Equal<typeof loaded, typeof users>>();
const shared = GoMap.make(t.u64, t.u32, { shared: true });
const handle = shared.share();
const again = GoMap.attach(handle);
const ag = again.get(1n);
assertType<Equal<typeof ag, number | undefined>>();
again.set(5, 1);
const h2: GoMapHandle<bigint, number, number | bigint, number> = handle;

// SyncMap (README "SyncMap").
const sessions = SyncMap.make(t.string, t.u32, { shards: 16 });
sessions.store("alice", 1);
const sl = sessions.load("alice");
assertType<Equal<typeof sl, number | undefined>>();
const los = sessions.loadOrStore("bob", 2);
assertType<Equal<typeof los, [number, boolean]>>();
const sw: boolean = sessions.compareAndSwap("alice", 1, 2);
const sd = sessions.loadAndDelete("alice");
assertType<Equal<typeof sd, number | undefined>>();
sessions.range((k, v) => {
  assertType<Equal<typeof k, string>>();
  assertType<Equal<typeof v, number>>();
  return k !== "x";
});
const att = SyncMap.attach(sessions.share());
const al = att.load("x");
assertType<Equal<typeof al, number | undefined>>();
// @ts-expect-error SyncMap keys are typed
sessions.store(1, 1);
const sbig = SyncMap.make(t.u64, t.struct({ a: t.i64 }));
sbig.store(1, { a: 1 });
const sbl = sbig.load(1);
assertType<Equal<typeof sbl, { a: bigint } | undefined>>();

// Locks.
const mu = new Mutex();
mu.lock();
mu.unlock();
const rw = new RWMutex({ name: "x" });
rw.rlock();
rw.runlock();
const fromWith: number = rw.with(() => 1) + rw.rwith(() => 2) + mu.with(() => 3);
// @ts-expect-error with gives fn's result's type
const notString: string = rw.rwith(() => 2);
void [fromWith, notString];
const wg = new WaitGroup();
wg.add(1);
wg.done();
Mutex.attach(mu.share());
RWMutex.attach(rw.share());
WaitGroup.attach(wg.share());

// In and Out name what a type's writes take and its reads give.
const uin: In<typeof Person> = { id: 5 };
const uout: Out<typeof Person> = { age: 1, score: 1, id: 1n, n: 1, name: "", tag: new Uint8Array(2), inner: { ok: false, s: "" } };
// @ts-expect-error Out of an int64 is a bigint
const wrong: Out<typeof Person> = { ...uout, id: 1 };

// README "For TypeScript": a map's type, named for a signature, takes all four parameters; the
// two-parameter GoMap<K, V> takes set's types to be the read types, which they are not for a
// struct value (fields may be left out) or a 64-bit key (a number is taken too).
type Users = GoMap<Out<typeof t.string>, Out<typeof User>, In<typeof t.string>, In<typeof User>>;
const named: Users = GoMap.make(t.string, User);
// @ts-expect-error not the type of a map of struct values
const twoParams: GoMap<string, { age: number; score: number }> = users;
// @ts-expect-error not the type of a map of uint64 keys
const twoParams64: GoMap<bigint, number> = GoMap.make(t.u64, t.u32);
// GoMapOf names the same type from the descriptors, as make gives it; so do the others.
const short: GoMapOf<typeof t.string, typeof User> = users;
const shortBack: Users = short;
const ids64: GoMapOf<typeof t.u64, typeof t.u32> = GoMap.make(t.u64, t.u32);
ids64.set(1, 2); // a u64 key takes a number too
// @ts-expect-error the value type is not User
const shortWrong: GoMapOf<typeof t.string, typeof t.u32> = users;
const sharedIds = GoMap.make(t.u64, t.u32, { shared: true });
const idsHandle: GoMapHandleOf<typeof t.u64, typeof t.u32> = sharedIds.share();
const idsBack: GoMapOf<typeof t.u64, typeof t.u32> = GoMap.attach(idsHandle);
// attach with the types: typed from them, whatever the handle's type says.
const untyped: GoMapHandle = idsHandle;
const idsTyped: GoMapOf<typeof t.u64.asNumber, typeof t.u32> = GoMap.attach(untyped, t.u64.asNumber, t.u32);
const idKey: number = [...idsTyped.keys()][0]!;
// @ts-expect-error attach(handle) alone gives unknown values
const idValue: number = GoMap.attach(untyped).get(1)!;
const userCache: SyncMapOf<typeof t.string, typeof User> = SyncMap.make(t.string, User);
const smHandle: SyncMapHandleOf<typeof t.string, typeof User> = userCache.share();
const smBack: SyncMapOf<typeof t.string, typeof User> = SyncMap.attach(smHandle);
const smTyped: SyncMapOf<typeof t.string, typeof User> = SyncMap.attach(userCache.share(), t.string, User);

// Errors are classes to test with instanceof.
const errors = [GoMapError, StaleRefError, HeapExhaustedError, SnapshotError];
void [has, del, chained, h2, sw, uin, wrong, errors, box, named, twoParams, twoParams64, shortBack, shortWrong, idsBack, smBack, idKey, idValue, smTyped];

// Every read's declared type is what the run time gives (test/gomap/outtypes.test.ts checks the
// run-time half): 64-bit integers as bigint, or number through asNumber, alike through every API.
const u64m = GoMap.make(t.u64, t.u64);
const u64v: bigint = u64m.get(1)!;
const u64n = GoMap.make(t.u64.asNumber, t.u64.asNumber);
const u64nv: number = u64n.get(1)!;
for (const [k, v] of u64n) {
  assertType<Equal<typeof k, number>>();
  assertType<Equal<typeof v, number>>();
}
u64m.forEach((v, k) => {
  assertType<Equal<typeof k, bigint>>();
  assertType<Equal<typeof v, bigint>>();
});
const NumS = t.struct({ a: t.u64.asNumber, b: t.i64.asNumber, c: t.u64, d: t.i64 });
const nums = GoMap.make(t.u32, NumS);
const nv = nums.get(1)!;
assertType<Equal<typeof nv, { a: number; b: number; c: bigint; d: bigint }>>();
const nref = nums.ref(1);
assertType<Equal<typeof nref.a, number>>();
assertType<Equal<typeof nref.c, bigint>>();
nums.update(1, (v) => {
  assertType<Equal<typeof v, { a: number; b: number; c: bigint; d: bigint }>>();
  return { a: 1n, c: 2 };
});
const nl = nums.lookup(1);
assertType<Equal<typeof nl, [{ a: number; b: number; c: bigint; d: bigint }, boolean]>>();
const snum = SyncMap.make(t.u64.asNumber, NumS);
const snl = snum.load(1n);
assertType<Equal<typeof snl, { a: number; b: number; c: bigint; d: bigint } | undefined>>();
const sns = snum.swap(1, { a: 1 });
assertType<Equal<typeof sns, { a: number; b: number; c: bigint; d: bigint } | undefined>>();
const snd = snum.loadAndDelete(1);
assertType<Equal<typeof snd, typeof sns>>();
const snlos = snum.loadOrStore(1, {});
assertType<Equal<typeof snlos, [{ a: number; b: number; c: bigint; d: bigint }, boolean]>>();
snum.range((k, v) => {
  assertType<Equal<typeof k, number>>();
  assertType<Equal<typeof v.a, number>>();
});
const numBack = GoMap.fromBytes(nums.toBytes(), t.u32, NumS);
assertType<Equal<typeof numBack, typeof nums>>();
const numShared = GoMap.attach(GoMap.make(t.u64.asNumber, NumS, { shared: true }).share());
const nsk = [...numShared.keys()];
assertType<Equal<typeof nsk, number[]>>();
// [N]byte reads are fresh Uint8Arrays on an ArrayBuffer (never shared memory), and say so.
const bb = GoMap.make(t.bytes(4), t.struct({ tag: t.bytes(2) }));
const bbk = [...bb.keys()][0];
assertType<Equal<typeof bbk, Uint8Array<ArrayBuffer>>>();
const bbv = bb.get(new Uint8Array(4))!;
assertType<Equal<typeof bbv.tag, Uint8Array<ArrayBuffer>>>();
const digestInput: ArrayBuffer = bbk.buffer;
const tagRef = bb.ref(bbk);
assertType<Equal<typeof tagRef.tag, Uint8Array<ArrayBuffer>>>();
tagRef.tag = Buffer.alloc(2);
const bbInspect = inspect.bucket(bb, 0).chain[0];
assertType<Equal<typeof bbInspect.keys, (Uint8Array<ArrayBuffer> | undefined)[]>>();
const jsonOut = JSON.stringify(bb.toJSON());
// A snapshot is a fresh array on an ArrayBuffer of its own, a shared map's too.
const snapshotBytes: Uint8Array<ArrayBuffer> = numShared.toBytes();
void [u64v, u64nv, digestInput, jsonOut, snapshotBytes];
