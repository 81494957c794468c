// Tests of src/cli/script.ts: operation scripts run against a Map model (every type name,
// structs, [N]byte, comments and blank lines), and every kind of bad line refused with a
// ScriptError naming its line; a script's budget for its heap and the bytes its lines handle.
import assert from "node:assert/strict";
import test from "node:test";
import { ScriptError, runScript, scriptBudget, typeOf } from "../../src/cli/script.js";

const lines = (...ls: unknown[]): string => ls.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");

test("script: sets, deletes and clears give the map the model says; comments and blank lines are skipped", () => {
  const model = new Map<string, number>();
  const ops: unknown[] = ["# a comment", { op: "make", key: "string", value: "int", hint: 10 }, ""];
  for (let i = 0; i < 200; i++) {
    const k = `key ${i % 37}`;
    if (i % 5 === 4) {
      ops.push({ op: "delete", key: k });
      model.delete(k);
    } else {
      ops.push({ op: "set", key: k, value: i });
      model.set(k, i);
    }
    if (i === 100) {
      ops.push({ op: "clear" });
      model.clear();
    }
  }
  const r = runScript(lines(...ops));
  assert.equal(r.type, "map[string]int64");
  assert.deepEqual(r.ops, { set: 160, delete: 40, clear: 1 });
  assert.deepEqual(new Map(r.map as Iterable<[string, number]>), model);
});

test("script: type names: Go's integers, floats, bool, byte arrays and structs", () => {
  assert.equal(typeOf("uint8").name, "uint8");
  assert.equal(typeOf("byte").name, "uint8");
  assert.equal(typeOf("rune").name, "int32");
  assert.equal(typeOf("uint").name, "uint64");
  assert.equal(typeOf("float32").name, "float32");
  assert.equal(typeOf("[16]byte").name, "[16]byte");
  const r = runScript(
    lines(
      { op: "make", key: "[4]byte", value: { struct: { age: "uint8", tags: "[2]byte", name: "string" } } },
      { op: "set", key: [1, 2, 3, 4], value: { age: 30, tags: [7, 8], name: "alice" } },
      { op: "set", key: [0, 0, 0, 0], value: {} },
    ),
  );
  assert.equal(r.type, "map[[4]byte]struct{age uint8; tags [2]byte; name string}");
  assert.deepEqual(r.map.get(Uint8Array.from([1, 2, 3, 4])), { age: 30, tags: Uint8Array.from([7, 8]), name: "alice" });
  assert.deepEqual(r.map.get(new Uint8Array(4)), { age: 0, tags: new Uint8Array(2), name: "" });
});

test("script: every bad line is a ScriptError naming its line and what is wrong", () => {
  const make = JSON.stringify({ op: "make", key: "uint8", value: "bool" });
  const cases: [string, number, RegExp][] = [
    ["", 1, /no \{"op": "make", \.\.\.\} line/],
    // No make: the error names the file's last line, not the empty "line" after its final newline.
    ["# only a comment\n", 1, /^1: no \{"op": "make", \.\.\.\} line/],
    ["# a comment\n\n# another\n", 3, /no \{"op": "make", \.\.\.\} line/],
    [`${make}\n{"op": "set", "key": 1`, 2, /not JSON/],
    [`${make}\n[1, 2]`, 2, /each line is a JSON object/],
    [`${make}\n{"op": "put", "key": 1}`, 2, /"op" must be one of make, set, delete, clear; got "put"/],
    [`${make}\n{"op": "toString"}`, 2, /"op" must be one of/],
    [`${make}\n{"op": "set", "key": 1}`, 2, /set needs "value"/],
    [`${make}\n{"op": "clear", "key": 1}`, 2, /clear takes no "key"/],
    [`${make}\n${make}`, 2, /make may come only once/],
    [`{"op": "set", "key": 1, "value": true}`, 1, /must start with \{"op": "make", \.\.\.\} before "set"/],
    [`{"op": "make", "key": "uint7", "value": "bool"}`, 1, /unknown type "uint7"/],
    [`{"op": "make", "key": {"struct": 1}, "value": "bool"}`, 1, /a type is a name or \{"struct"/],
    [`{"op": "make", "key": "int", "value": "bool", "hint": -1}`, 1, /hint must be a whole number, got -1/],
    [`${make}\n\n{"op": "set", "key": 300, "value": true}`, 3, /^3: key 300 out of range for uint8$/],
    [`${make}\n{"op": "set", "key": 1, "value": "yes"}`, 2, /cannot use "yes" \(string\) as bool value/],
    [`{"op": "make", "key": "[2]byte", "value": "bool"}\n{"op": "set", "key": [1, 256], "value": true}`, 2, /not an array of bytes/],
    // JSON.parse rounds 2^53 + 1 to 2^53; the message says the number shown is the one read
    // (not the one written), and where exact integers stop (2^53 - 1: 2^53 itself is what
    // 2^53 + 1 reads as), instead of suggesting a bigint.
    [`{"op": "make", "key": "uint64", "value": "int"}\n{"op": "set", "key": 9007199254740993, "value": 1}`, 2, /^2: 9007199254740992 \(the JSON number as read\) is not a safe integer: a script's 64-bit integers are JSON numbers, exact only up to 2\^53 - 1$/],
    [`{"op": "make", "key": "uint64", "value": "int"}\n{"op": "set", "key": 9007199254740992, "value": 1}`, 2, /^2: 9007199254740992 \(the JSON number as read\) is not a safe integer/],
    [`{"op": "make", "key": "int", "value": {"struct": {"n": "int64"}}}\n{"op": "set", "key": 1, "value": {"n": -1e17}}`, 2, /-100000000000000000 \(the JSON number as read\) is not a safe integer/],
  ];
  for (const [text, line, msg] of cases) {
    assert.throws(
      () => runScript(text),
      (err: unknown) => {
        assert.ok(err instanceof ScriptError, String(err));
        assert.equal(err.line, line, text);
        assert.match(err.message, msg);
        return true;
      },
    );
  }
});

test("script: progress is reported from 0 to the line count", () => {
  const calls: [number, number][] = [];
  runScript(lines({ op: "make", key: "int", value: "int" }, { op: "set", key: 1, value: 2 }), (d, n) => calls.push([d, n]));
  assert.deepEqual(calls, [
    [0, 2],
    [2, 2],
  ]);
});

test("script: [N]byte takes N from 0 (Go's [0]byte, as t.bytes(0)) to 2^20; a longer one is refused saying so, not as an unknown type", () => {
  assert.equal(typeOf("[0]byte").name, "[0]byte");
  assert.equal(typeOf("[1048576]byte").name, "[1048576]byte");
  assert.throws(() => typeOf("[1048577]byte"), /^Error: \[1048577\]byte is too long for a script: N may be at most 1048576$/);
  const r = runScript(lines({ op: "make", key: "[0]byte", value: "uint8" }, { op: "set", key: [], value: 7 }, { op: "set", key: [], value: 8 }));
  assert.equal(r.type, "map[[0]byte]uint8");
  assert.equal(r.map.size, 1);
  assert.equal(r.map.get(new Uint8Array(0)), 8);
});

test("script: a struct type is an object with the one key \"struct\"; another key beside it is refused", () => {
  assert.equal(typeOf({ struct: { a: "uint8" } }).name, "struct{a uint8}");
  for (const spec of [{ struct: { a: "uint8" }, name: "T" }, { structs: { a: "uint8" } }, {}]) {
    assert.throws(() => typeOf(spec), /^Error: a type is a name or \{"struct": \{"field": type, \.\.\.\}\}, got /, JSON.stringify(spec));
  }
});

/** runScript(text)'s ScriptError, and the bytes of ArrayBuffers it left allocated (as far as memoryUsage sees). */
function refused(text: string): { err: ScriptError; grew: number } {
  const before = process.memoryUsage().arrayBuffers;
  let err: unknown = null;
  try {
    runScript(text);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ScriptError, `want a ScriptError, got ${String(err)}`);
  return { err, grew: process.memoryUsage().arrayBuffers - before };
}

test("script: a small script can't make the map's heap, or the bytes its lines hash and store, larger than its budget", () => {
  // A hint: one line of 60 bytes asked for a heap of 1.1 GB.
  const hint = lines({ op: "make", key: "uint8", value: "uint8", hint: 2e8 });
  const h = refused(hint);
  assert.equal(h.err.line, 1);
  assert.match(h.err.message, new RegExp(`out of memory: .* may grow to ${scriptBudget(hint)}`));
  assert.ok(h.grew <= scriptBudget(hint), `${h.grew} bytes allocated`);
  // A struct's fields left out are zero: each set line of ~30 bytes stores a 96 MiB value.
  const fields = Object.fromEntries(Array.from({ length: 96 }, (_, i) => [`f${i}`, "[1048576]byte"]));
  const big = lines({ op: "make", key: "uint8", value: { struct: fields } }, { op: "set", key: 1, value: {} }, { op: "set", key: 2, value: {} });
  const b = refused(big);
  assert.equal(b.err.line, 2);
  assert.match(b.err.message, new RegExp(`keys and values come to more than its budget of ${scriptBudget(big)} bytes`));
  assert.ok(b.grew <= scriptBudget(big), `${b.grew} bytes allocated`);
  // Keys of 1 MiB hashed again and again by deletes that store nothing.
  const key = { struct: { a: "uint8", b: "[1048576]byte" } };
  const deletes = Array.from({ length: 200 }, (_, i) => ({ op: "delete", key: { a: i & 0xff } }));
  const churn = lines({ op: "make", key, value: "uint8" }, { op: "set", key: {}, value: 1 }, ...deletes);
  const c = refused(churn);
  const allowed = Math.floor(scriptBudget(churn) / typeOf(key).size); // lines within the budget, the set among them
  assert.equal(c.err.line, 2 + allowed);
  assert.match(c.err.message, new RegExp(`keys and values come to more than its budget of ${scriptBudget(churn)} bytes`));
  assert.ok(c.grew <= scriptBudget(churn), `${c.grew} bytes allocated`);
  // Ordinary scripts are far inside it: 20,000 sets of a small type, or a [1048576]byte key spelt out.
  const ok = lines({ op: "make", key: "uint32", value: "uint64", hint: 1e5 }, ...Array.from({ length: 20_000 }, (_, i) => ({ op: "set", key: i, value: i })));
  assert.equal(runScript(ok).map.size, 20_000);
  const spelt = lines({ op: "make", key: "[1048576]byte", value: "bool" }, { op: "set", key: new Array(1048576).fill(7), value: true });
  assert.equal(runScript(spelt).map.size, 1);
});

test("script: a make line can't name [N]byte arrays of more bytes than the budget: struct() makes a zero value of each as it builds the type", () => {
  // 200 fields of different lengths near 1 MiB: a line of 5 KB asked for 200 MiB of zero values.
  const fields = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, `[${1048576 - 1000 - i}]byte`]));
  const text = lines({ op: "make", key: "uint8", value: { struct: fields } });
  const r = refused(text);
  assert.equal(r.err.line, 1);
  assert.match(r.err.message, new RegExp(`\\[N\\]byte arrays of \\d+ bytes, more than the script's budget of ${scriptBudget(text)} bytes`));
  assert.ok(r.grew <= scriptBudget(text), `${r.grew} bytes allocated`);
  // The same length named again costs nothing more (t.bytes(n) is one type, with one zero value).
  const same = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, "[1048576]byte"]));
  assert.equal(runScript(lines({ op: "make", key: "[1048576]byte", value: { struct: same } })).map.size, 0);
});
