// Tests of src/platform.ts: what gomap needs of its environment, and the errors that say so
// where it is missing. A browser gives SharedArrayBuffer only to a cross-origin isolated page,
// and an older engine may make one that cannot grow: the shared parts of gomap (a shared map,
// SyncMap, Mutex, RWMutex, WaitGroup) then refuse with a GoMapError saying what is missing,
// not an "out of memory" HeapExhaustedError or a ReferenceError, and unshared maps work as
// ever. (The environment is changed for the length of one call, in this test process.)
import assert from "node:assert/strict";
import test from "node:test";
import { GoMap, GoMapError, Mutex, RWMutex, SyncMap, WaitGroup, types as t } from "../src/index.js";
import { atomicsWait, nodeModule, optionalNodeModule } from "../src/platform.js";

const Real = globalThis.SharedArrayBuffer;

/** Runs f where SharedArrayBuffer is `replacement` (undefined: there is none). */
function withShared<T>(replacement: typeof SharedArrayBuffer | undefined, f: () => T): T {
  const g = globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer };
  if (replacement === undefined) delete g.SharedArrayBuffer;
  else g.SharedArrayBuffer = replacement;
  try {
    return f();
  } finally {
    g.SharedArrayBuffer = Real;
  }
}

/** A SharedArrayBuffer as an engine without growable ones makes it: options ignored. */
class FixedLength extends Real {
  constructor(bytes?: number) {
    super(bytes ?? 0);
  }
}

const SHARED = [
  ["GoMap.make(..., { shared: true })", /^gomap: a shared map \(shared: true\) needs /, () => GoMap.make(t.u32, t.u32, { shared: true })],
  ["SyncMap.make", /^gomap: SyncMap needs /, () => SyncMap.make(t.string, t.u32)],
  ["new Mutex()", /^gomap: Mutex needs /, () => new Mutex()],
  ["new RWMutex()", /^gomap: RWMutex needs /, () => new RWMutex()],
  ["new WaitGroup()", /^gomap: WaitGroup needs /, () => new WaitGroup()],
] as const;

test("platform: with no SharedArrayBuffer (a browser page that is not cross-origin isolated), each shared part throws a GoMapError saying so; unshared maps work", () => {
  for (const [call, start, f] of SHARED) {
    withShared(undefined, () => {
      assert.throws(f, (err: unknown) => {
        assert.ok(err instanceof GoMapError, `${call}: ${String(err)}`);
        assert.match(err.message, start, call);
        assert.match(err.message, /needs SharedArrayBuffer, which this environment does not provide \(a browser provides it only to a cross-origin isolated page\)$/, call);
        return true;
      });
    });
  }
  withShared(undefined, () => {
    const m = GoMap.make(t.string, t.u32);
    for (let i = 0; i < 1000; i++) m.set(`k${i}`, i);
    assert.equal(GoMap.fromBytes(m.toBytes(), t.string, t.u32).get("k999"), 999);
  });
});

test("platform: where a SharedArrayBuffer cannot grow, a shared map and a SyncMap (whose shards are shared maps) are refused when made (not with \"out of memory\" at some later insert); the locks, which never grow, work", () => {
  const start = /^gomap: a shared map \(shared: true\) needs /;
  for (const [call, , f] of SHARED.slice(0, 2)) {
    withShared(FixedLength, () => {
      assert.throws(f, (err: unknown) => {
        assert.ok(err instanceof GoMapError, `${call}: ${String(err)}`);
        assert.match(err.message, start, call);
        assert.match(err.message, /needs a growable SharedArrayBuffer \(new SharedArrayBuffer\(n, \{ maxByteLength \}\)\), which this environment does not provide$/, call);
        return true;
      });
    });
  }
  withShared(FixedLength, () => {
    const mu = new Mutex();
    mu.lock();
    mu.unlock();
    const wg = new WaitGroup();
    wg.add(1);
    wg.done();
    wg.wait();
  });
});

test("platform: load and fromBytes with { shared: true } say what the environment lacks (no SharedArrayBuffer, or none that grows) with make's GoMapError; without the option they load as ever", () => {
  const m = GoMap.make(t.string, t.u32);
  for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
  const bytes = m.toBytes();
  const lacks = [
    [undefined, /needs SharedArrayBuffer, which this environment does not provide/],
    [FixedLength, /needs a growable SharedArrayBuffer \(new SharedArrayBuffer\(n, \{ maxByteLength \}\)\), which this environment does not provide$/],
  ] as const;
  for (const [replacement, says] of lacks) {
    withShared(replacement, () => {
      assert.throws(() => GoMap.fromBytes(bytes, t.string, t.u32, { shared: true }), (err: unknown) => {
        assert.ok(err instanceof GoMapError, String(err));
        assert.match(err.message, /^gomap: a shared map \(shared: true\) needs /);
        assert.match(err.message, says);
        return true;
      });
      assert.equal(GoMap.fromBytes(bytes, t.string, t.u32).get("k99"), 99);
    });
  }
});

test("platform: with no process.getBuiltinModule (a browser, Node before 20.16), Node's modules are undefined where optional and a GoMapError naming what needs them where not; saving a snapshot says so", () => {
  const proc = process as { getBuiltinModule?: unknown };
  const real = proc.getBuiltinModule;
  assert.equal(typeof optionalNodeModule("node:fs"), "object");
  assert.equal(typeof nodeModule<object>("node:path", "this test"), "object");
  const m = GoMap.make(t.u32, t.u32).set(1, 2);
  for (const replacement of [undefined, "not a function"]) {
    proc.getBuiltinModule = replacement;
    try {
      assert.equal(optionalNodeModule("node:fs"), undefined);
      assert.throws(() => nodeModule("node:fs", "reading a file"), (err: unknown) => {
        assert.ok(err instanceof GoMapError, String(err));
        assert.equal(err.message, "gomap: reading a file needs Node.js 20.16 or later (node:fs)");
        return true;
      });
      assert.throws(() => m.save("never-written.gomap"), (err: unknown) => err instanceof GoMapError && /saving and loading snapshot files needs Node\.js 20\.16 or later/.test(err.message));
    } finally {
      proc.getBuiltinModule = real;
    }
  }
});

test("platform: atomicsWait turns only the TypeError of a thread that may not wait into a GoMapError saying what to do; other errors pass as they are", () => {
  // Atomics.wait on an Int32Array that is not shared throws the TypeError a browser's main thread gets.
  assert.throws(() => atomicsWait(new Int32Array(1), 0, 0, 0, "the test's lock", "wait in a worker"), (err: unknown) => {
    assert.ok(err instanceof GoMapError, String(err));
    assert.match(err.message, /^gomap: the test's lock can't wait on this thread: Atomics\.wait is not allowed here .*; wait in a worker$/);
    return true;
  });
  const shared = new Int32Array(new SharedArrayBuffer(4));
  assert.throws(() => atomicsWait(shared, 5, 0, 0, "the test's lock", "wait in a worker"), (err: unknown) => err instanceof RangeError && !(err instanceof GoMapError));
  assert.equal(atomicsWait(shared, 0, 1, 0, "the test's lock", "wait in a worker"), "not-equal");
  assert.equal(atomicsWait(shared, 0, 0, 0, "the test's lock", "wait in a worker"), "timed-out");
});
