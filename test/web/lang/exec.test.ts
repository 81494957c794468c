// The interpreter: Go's semantics around real GoMap calls, and Go's refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GoMapError, StaleRefError, inspect } from "../../../src/index.js";
import { Interp } from "../../../web/lang/exec.js";
import { parse } from "../../../web/lang/parse.js";
import { GoPanic, PlaygroundCompileError, PlaygroundStopped, errorText } from "../../../web/lang/errors.js";

/** Runs each statement of src in turn; returns the output of the last. */
function run(it: Interp, src: string): string[] {
  for (const st of parse(src)) {
    const text = src.slice(st.at.off, st.at.end);
    it.run(parse(text)[0], text);
  }
  return it.out;
}

/** Each [statement, message] of cases, run on it, is a PlaygroundCompileError with exactly that message. */
function assertCompileErrors(it: Interp, cases: readonly [string, string][]): void {
  for (const [src, msg] of cases) {
    assert.throws(() => run(it, src), (e: unknown) => e instanceof PlaygroundCompileError && e.message === msg, src);
  }
}

test("map statements are GoMap calls: set, lookup, delete, clear, len", () => {
  const it = new Interp();
  run(it, 'm := make(map[string]int); m["a"] = 1; m["a"] += 4; m["b"]++');
  const m = it.mapNamed("m")!.m;
  assert.equal(m.get("a"), 5);
  assert.equal(m.get("b"), 1);
  assert.deepEqual(run(it, 'v, ok := m["zz"]'), ["v = 0", "ok = false"]);
  assert.equal(it.touched?.op, "miss");
  run(it, 'delete(m, "a")');
  assert.equal(m.has("a"), false);
  assert.equal(it.touched?.op, "delete");
  assert.notEqual(it.touched?.loc, null, "a delete's slot is found before it runs");
  assert.deepEqual(run(it, "len(m)"), ["1"]);
  run(it, "clear(m)");
  assert.equal(m.size, 0);
});

test("the touched key's slot is where inspect.bucket shows it", () => {
  const it = new Interp();
  run(it, 'm := make(map[int]string); m[7] = "seven"');
  assert.deepEqual({ op: it.touched?.op, bucket: it.touched?.loc?.bucket, chain: it.touched?.loc?.chain }, { op: "insert", bucket: 0, chain: 0 });
  run(it, 'm[7] = "sept"');
  assert.equal(it.touched?.op, "update");
});

test("type mapping: int is 64-bit, held to 2^53 - 1; a constant out of a type's range is Go's compile error", () => {
  const it = new Interp();
  run(it, "a := make(map[int]int); a[9007199254740991] = 1");
  assert.throws(() => run(it, "a[9007199254740992] = 1"), /^RangeError: constant 9007199254740992 is past 2\^53 - 1/);
  run(it, "b := make(map[uint32]uint32)");
  assert.throws(() => run(it, "b[-1] = 1"), (e: unknown) => e instanceof PlaygroundCompileError && e.message === "cannot use -1 (untyped int constant) as uint32 value in map index (overflows)");
  assert.equal(it.mapNamed("b")!.m.size, 0);
});

test("untyped constants have a kind, by how they are written: 7 / 2 is 3, 2.0 is a float", () => {
  const it = new Interp();
  assert.deepEqual(run(it, "x := 7 / 2"), ["x = 3"]);
  assert.deepEqual(run(it, "y := 7 / 2.0"), ["y = 3.5"]);
  assert.deepEqual(run(it, "z := -7 / 2"), ["z = -3"], "truncated toward zero");
  assert.deepEqual(run(it, "r := -7 % 2"), ["r = -1"]);
  run(it, "f := 2.0");
  assert.equal(it.mapNamed("f"), null);
  assert.deepEqual(run(it, "g := f / 4"), ["g = 0.5"], "f is a float64");
  assert.deepEqual(run(it, "fmt.Println(7 / 2, 7 / 2.0, 2.0, 0x10 + 1)"), ["3 3.5 2 17"]);
  run(it, "m := make(map[string]int); h := make(map[string]float64)");
  run(it, 'm["a"] = 7 / 2; h["a"] = 7 / 2; h["b"] = f; m["c"] = 2.0');
  assert.deepEqual([it.mapNamed("m")!.m.get("a"), it.mapNamed("h")!.m.get("a"), it.mapNamed("h")!.m.get("b"), it.mapNamed("m")!.m.get("c")], [3, 3, 2, 2]);
});

test("constants Go refuses: truncated, overflowing, divided by zero, mixed with a typed int", () => {
  const it = new Interp();
  run(it, "m := make(map[string]int); m[\"a\"] = 1; i := 3; s := make(map[string]int8)");
  const cases: [string, string][] = [
    ["y := 1.0 / 0", "invalid operation: division by zero"],
    ["y := 1 % 0", "invalid operation: division by zero"],
    ["y := i / 0", "invalid operation: division by zero"],
    ['m["a"] += 1.5', "1.5 (untyped float constant) truncated to int"],
    ["y := i * 1.5", "1.5 (untyped float constant) truncated to int"],
    ["y := i * (3 / 2.0)", "3 / 2.0 (untyped float constant 1.5) truncated to int"],
    ['m["b"] = 1.5', 'cannot use 1.5 (untyped float constant) as int value in assignment (truncated)'],
    ['s["a"] = 300', "cannot use 300 (untyped int constant) as int8 value in assignment (overflows)"],
    ['s["a"] = 100 + 200', "cannot use 100 + 200 (untyped int constant 300) as int8 value in assignment (overflows)"],
    ["y := 7 % 2.0", "invalid operation: operator % not defined on 7 (untyped float constant)"],
    ['y := i + "a"', 'invalid operation: i + "a" (mismatched types int and untyped string)'],
  ];
  assertCompileErrors(it, cases);
  assert.equal(it.mapNamed("m")!.m.get("a"), 1);
  assert.throws(() => run(it, "y := i / (i - i)"), /panic: runtime error: integer divide by zero/, "a divisor that is not a constant panics at run time");
});

test("run-time panics of the language are GoPanic, worded as Go prints them", () => {
  const it = new Interp();
  run(it, "z := 0; s := []int{1, 2}; var n map[string]int");
  const panics: [string, string][] = [
    ["y := 1 / z", "panic: runtime error: integer divide by zero"],
    ["y := 1 % z", "panic: runtime error: integer divide by zero"],
    ["y := s[2]", "panic: runtime error: index out of range [2] with length 2"],
  ];
  for (const [src, text] of panics) {
    assert.throws(() => run(it, src), (e: unknown) => e instanceof GoPanic && errorText(e) === text, src);
  }
  assert.throws(() => run(it, 'n["a"] = 1'), (e: unknown) => e instanceof GoMapError && errorText(e) === "panic: assignment to entry in nil map");
  assert.equal(errorText(new PlaygroundCompileError("undefined: x")), "PlaygroundCompileError: undefined: x");
});

test("struct values are copies; m[k].f = v is refused; update and ref write in place", () => {
  const it = new Interp();
  run(it, 'type U struct { Age int; Score float64 }; m := make(map[string]U); m["a"] = U{Age: 30}');
  assert.throws(() => run(it, 'm["a"].Age = 1'), (e: unknown) => e instanceof PlaygroundCompileError && e.message === 'cannot assign to struct field m["a"].Age in map');
  run(it, 'u := m["a"]; u.Age = 31');
  assert.deepEqual(run(it, 'm["a"]'), ["{30 0}"]);
  run(it, 'm.update("a", func(v) { v.Age = v.Age + 10 })');
  assert.deepEqual(run(it, 'm["a"]'), ["{40 0}"]);
  run(it, 'r := m.ref("a")');
  run(it, "r.Score = 2.5");
  assert.deepEqual(run(it, 'm["a"]'), ["{40 2.5}"]);
  run(it, 'delete(m, "a")');
  assert.throws(() => run(it, "r.Score = 3"), StaleRefError, "the entry is gone");
});

test("update's callback may not write the map: concurrent map writes", () => {
  const it = new Interp();
  run(it, 'm := make(map[string]int); m["a"] = 1');
  assert.throws(() => run(it, 'm.update("a", func(v) { m["b"] = 2 })'), (e: unknown) => e instanceof GoMapError && /concurrent map writes/.test(e.message));
  assert.equal(it.mapNamed("m")!.m.get("a"), 1);
});

test("slices: the map holds the header; append without write-back leaves it", () => {
  const it = new Interp();
  run(it, 'm := make(map[string][]int); m["a"] = append(m["a"], 1)');
  run(it, 's := m["a"]; s = append(s, 2, 3)');
  assert.deepEqual(run(it, 'm["a"]'), ["[1]"]);
  assert.deepEqual(run(it, "s"), ["[1 2 3]"]);
  run(it, 'm["a"] = s');
  assert.deepEqual(run(it, 'm["a"]'), ["[1 2 3]"]);
  assert.deepEqual(it.mapNamed("m")!.m.get("a"), { array: 0xc000010100, len: 3, cap: 3 });
  assert.throws(() => run(it, 'append(m["a"], 4)'), /append\(m\["a"\], 4\) \(value of type \[\]int\) is not used/);
});

test("nil maps read as empty and panic on write", () => {
  const it = new Interp();
  assert.deepEqual(run(it, 'var m map[string]int; v, ok := m["a"]'), ["v = 0", "ok = false"]);
  assert.throws(() => run(it, 'm["a"] = 1'), (e: unknown) => e instanceof GoMapError && e.message === "assignment to entry in nil map");
  run(it, "m = make(map[string]int)");
  run(it, 'm["a"] = 1');
  assert.deepEqual(run(it, "m"), ["map[a:1]"]);
});

test("range visits every entry once; deletes during range are never visited", () => {
  const it = new Interp();
  run(it, "m := make(map[int]int)");
  for (let i = 0; i < 50; i++) run(it, `m[${i}] = ${i}`);
  const lines = run(it, "for k, v := range m");
  assert.equal(new Set(lines).size, 50);
  const seen = run(it, "for k, v := range m { println(k); delete(m, k+1) }").map(Number);
  seen.forEach((k, j) => assert.ok(!seen.slice(j + 1).includes(k + 1), `${k + 1} was visited after ${k} deleted it`));
});

test("Go's compile errors, in Go's words", () => {
  const it = new Interp();
  run(it, "m := make(map[string]int)");
  const cases: [string, string][] = [
    ["x[1] = 2", "undefined: x"],
    ['m["a"] = "b"', 'cannot use "b" (untyped string constant) as int value in assignment'],
    ["m[1] = 2", "cannot use 1 (untyped int constant) as string value in map index"],
    ["m := make(map[string]int)", "no new variables on left side of :="],
    ["n := make(map[float]int)", "undefined: float (types: bool, int, int8, int16, int32, rune, int64, uint, uint8, byte, uint16, uint32, uint64, float32, float64, string, or a struct declared with type)"],
    ["n := make(map[[]int]int)", "invalid map key type []int"],
    ['a, b := 1', "assignment mismatch: 2 variables but 1 value"],
    ['x := 1; x = "s"', 'cannot use "s" (untyped string constant) as int value in assignment'],
    ["delete(m)", "delete takes two arguments, the map and a key"],
    ["n := make(map[string]int, -1)", "invalid argument: index -1 (constant of type int) must not be negative"],
  ];
  assertCompileErrors(it, cases);
  assert.equal(it.mapNamed("m")!.m.size, 0);
});

test("a range body is a block inside the loop's own: it may redeclare the loop's variables", () => {
  const it = new Interp();
  run(it, "m := make(map[int]int); m[1] = 2");
  assert.deepEqual(run(it, "for k, v := range m { v := 5; println(k, v) }"), ["v = 5", "1 5"]);
  assert.deepEqual(run(it, "for k, v := range m { k, v := 7, 8; println(k, v) }"), ["k = 7", "v = 8", "7 8"]);
  assert.throws(() => run(it, "for k := range m { x := 1; x := 2 }"), /no new variables on left side of :=/);
});

test("focus follows the map each statement writes or reads", () => {
  const it = new Interp();
  run(it, "a := make(map[int]int); b := make(map[int]int)");
  assert.equal(it.focus, "b");
  const steps: [string, string][] = [
    ["a[1] = 1", "a"],
    ["b[1]++", "b"],
    ["a[1] += 2", "a"],
    ["v := b[1]", "b"],
    ["w, ok := a[1]", "a"],
    ["len(b)", "b"],
    ["a", "a"],
    ["b[2] = a[1]", "b"],
  ];
  for (const [src, focus] of steps) {
    run(it, src);
    assert.equal(it.focus, focus, src);
  }
});

test("focus leaves a map whose variable went out of scope for the range's map", () => {
  const it = new Interp();
  run(it, "m := make(map[int]int); m[1] = 1");
  run(it, "for k, v := range m { t := make(map[int]int); t[k] = v }");
  assert.equal(it.focus, "m");
  assert.notEqual(it.mapNamed(it.focus!), null);
  run(it, "n := make(map[string]int)");
  run(it, "for k, v := range m { n[\"a\"] = v }");
  assert.equal(it.focus, "n", "a map of the outer scope keeps the focus");
  run(it, 'm.update(1, func(v) { t := make(map[int]int); t[1] = v })');
  assert.equal(it.focus, "m");
});

test("typed integer arithmetic wraps to the type's width, as Go's does at run time", () => {
  const it = new Interp();
  run(it, 'i := make(map[string]int8); u := make(map[string]uint8); w := make(map[string]uint16); r := make(map[int]int32)');
  run(it, 'i["a"] = 127; i["a"]++; u["z"]--; w["a"] = 65535; w["a"] += 2; r[0] = 2147483647; r[0] *= 2');
  assert.deepEqual(["i", "u", "w", "r"].map((n) => [...it.mapNamed(n)!.m.values()][0]), [-128, 255, 1, -2]);
  assert.deepEqual(run(it, 'x := i["a"]; y := -x'), ["y = -128"]);
  assert.deepEqual(run(it, 'b := u["z"] + 1'), ["b = 0"]);
  assert.throws(() => run(it, "var n uint; n--"), /^RangeError: uint value 18446744073709551615 is past 2\^53 - 1/, "a 64-bit result past 2^53 is the playground's limit");
});

test("printing a map sorts its keys as fmt does: by value, structs field by field, NaN first, strings by code point", () => {
  const it = new Interp();
  run(it, 'type P struct { X int; Y string }; p := make(map[P]int); p[P{X: 10}] = 1; p[P{X: 9}] = 2; p[P{X: 9, Y: "a"}] = 3');
  assert.deepEqual(run(it, "p"), ["map[{9 }:2 {9 a}:3 {10 }:1]"]);
  run(it, "f := make(map[float64]int); z := 0.0; f[z / z] = 1; f[1.5] = 2; f[-1.0] = 3; f[z / z] = 4; f[1e6] = 5");
  for (let i = 0; i < 5; i++) assert.match(run(it, "f")[0], /^map\[NaN:[14] NaN:[14] -1:3 1\.5:2 1e\+06:5\]$/);
  run(it, 's := make(map[string]int); s["\u{1F600}"] = 2; s["\uE000"] = 1; s["b"] = 0');
  assert.deepEqual(run(it, "s"), ["map[b:0 \uE000:1 \u{1F600}:2]"]);
  run(it, "b := make(map[bool]float32); b[true] = 0.1; b[false] = 1e6");
  assert.deepEqual(run(it, "b"), ["map[false:1e+06 true:0.1]"]);
  assert.deepEqual(run(it, "x := b[true]"), ["x = 0.1"]);
  assert.deepEqual(run(it, "fmt.Println(1000000.0, 0.00001, 1000000, -0.0)"), ["1e+06 1e-05 1000000 0"]);
});

test("comparisons Go allows: strings ordered by bytes, bools and structs compared with == and !=", () => {
  const it = new Interp();
  const src = [
    'x := "a" < "b"',
    's := "\\uE000"',
    't := "😀"',
    "y := s < t",
    'z := s >= "é" && "ab" <= "b" && "b" > "ab"',
    "b := true == false",
    "c := b != (1 < 2)",
    "type P struct { A int; B string; F float64 }",
    "zero := 0.0",
    "p := P{A: 1, F: -zero}",
    "q := P{A: 1}",
    "e := p == q",
    "n := P{F: zero / zero}",
    "f := n != n",
    'g := p != P{A: 1, B: "x"}',
  ];
  const out = src.flatMap((s) => [...run(it, s)]);
  // Go 1.19, each variable printed with fmt.Println("name =", name) after it is set.
  assert.deepEqual(out, ["x = true", "s = \uE000", "t = 😀", "y = true", "z = true", "b = false", "c = true", "zero = 0", "p = {1  -0}", "q = {1  0}", "e = true", "n = {0  NaN}", "f = true", "g = true"]);
});

test("byte is uint8 and rune is int32: the same types under two names, as in Go", () => {
  const it = new Interp();
  const src = ["var b byte", "var u uint8", "u = 200", "b = u", "c := b + u", "m := make(map[byte]int32)", "m[u] = 5", "var r rune", "r = m[b]", "n := make(map[rune]int)", "n[m[u]] = 1", "fmt.Println(m, n)", 's := make(map[string][]byte)', 's["a"] = append(s["a"], u)', "var bs []uint8", 'bs = s["a"]'];
  // Go 1.19, each variable assigned printed with fmt.Println("name =", name).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), ["u = 200", "b = 200", "c = 144", "r = 5", "map[200:5] map[5:1]", "bs = [200]"]);
});

test("&& and || do not evaluate their right operand when the left decides, as in Go; it is still type-checked", () => {
  const it = new Interp();
  const src = ["c := 0", "d := c == 0 || 10/c > 1", "e := c != 0 && 10/c > 1", "var s []int", "f := len(s) == 0 || s[0] == 1"];
  // Go 1.19, each variable printed with fmt.Println("name =", name).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), ["c = 0", "d = true", "e = false", "f = true"]);
  assert.throws(() => run(it, "g := c == 0 || 1"), (e: unknown) => e instanceof PlaygroundCompileError && /mismatched types/.test(e.message));
  run(it, "m := make(map[string]int)");
  run(it, 'h := true || m["a"] == 1');
  assert.equal(it.touched, null, "the map was not read");
});

test("/= and %= are assignment operators, as += -= *= are", () => {
  const it = new Interp();
  const src = ["f := 7", "f /= 2", "f %= 2", "g := -7", "g %= 3", "m := make(map[string]float64)", 'm["a"] = 1', 'm["a"] /= 4', "m"];
  // Go 1.19, each variable assigned printed with fmt.Println("name =", name).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), ["f = 7", "f = 3", "f = 1", "g = -7", "g = -1", "map[a:0.25]"]);
  assert.throws(() => run(it, "f /= 0"), (e: unknown) => e instanceof PlaygroundCompileError && e.message === "invalid operation: division by zero");
  assert.throws(() => run(it, 'm["a"] %= 2'), (e: unknown) => e instanceof PlaygroundCompileError && /operator % not defined/.test(e.message));
});

test("println is Go's builtin: floats as +d.dddddde+ddd, slices as [len/cap]address, structs refused", () => {
  const it = new Interp();
  for (const s of ["var f32 float32", "f32 = 0.1", "zero := 0.0", "var s []int", "var u8 uint8", "u8 = 200"]) run(it, s);
  // Go 1.19 prints this line (to standard error) for the same println.
  assert.deepEqual(run(it, 'println(1.5, true, "s", 3, -0.0, -zero, zero/zero, 1/zero, -1/zero, f32, 123456789.0, 1e-300, 7/2, 2.0, u8, 9.9999999, 0.5e-323)'), [
    "+1.500000e+000 true s 3 +0.000000e+000 -0.000000e+000 NaN +Inf -Inf +1.000000e-001 +1.234568e+008 +1.000000e-300 3 +2.000000e+000 200 +1.000000e+001 +4.940656e-324",
  ]);
  assert.deepEqual(run(it, "println()"), [""]);
  assert.deepEqual(run(it, "println(s, len(s))"), ["[0/0]0x0 0"]);
  run(it, "type P struct { A int }");
  run(it, "p := P{}");
  assert.throws(() => run(it, "println(p)"), (e: unknown) => e instanceof PlaygroundCompileError && e.message === "illegal types for operand: print\n\tP");
});

test("for _ := range m and for _, _ := range m declare nothing: Go's no new variables on left side of :=", () => {
  const it = new Interp();
  run(it, "m := make(map[int]int); m[1] = 2; n := make(map[string]int)");
  // Go 1.19 refuses both loops (main.go: no new variables on left side of :=) and runs the others.
  for (const src of ['for _ := range m { n["x"]++ }', 'for _, _ := range m { n["x"]++ }']) {
    assert.throws(() => run(it, src), (e: unknown) => e instanceof PlaygroundCompileError && e.message === "no new variables on left side of :=", src);
  }
  assert.equal(it.mapNamed("n")!.m.size, 0, "the refused loops ran nothing");
  run(it, 'for _, v := range m { n["x"] += v }');
  run(it, 'for range m { n["y"]++ }');
  assert.deepEqual(run(it, "n"), ["map[x:2 y:1]"]);
});

test("map literals: a map made with a hint of its entry count, entries inserted in order, printed as fmt prints", () => {
  const it = new Interp();
  const src = [
    "type Point struct { X, Y int }",
    'm := map[string]int{"b": 2, "a": 1, "c": 3}',
    "fmt.Println(m, len(m))",
    "var e = map[string]int{}",
    'e["x"] = 1',
    "fmt.Println(e)",
    'm = map[string]int{"z": 26,\n}',
    "fmt.Println(m)",
    'p := map[string]Point{"a": {1, 2}, "b": {X: 3}, "c": Point{Y: 4}}',
    "fmt.Println(p)",
    'k := map[Point]string{{1, 2}: "p", {X: 1, Y: 2}: "q", Point{2, 1}: "r"}',
    "fmt.Println(k)",
    'ms := map[string][]string{"go": {"x", "y"}, "ts": []string{}}',
    'fmt.Println(ms, len(ms["ts"]))',
    "f := map[float64]bool{1.5: true, 2: false, 1e6: true}",
    "fmt.Println(f)",
    'var n map[string]int = map[string]int{\n\t"a": 1,\n\t"b": 1 + 1,\n}',
    "fmt.Println(n)",
    "x := 1",
    "d := map[int]int{x: 1, 1: 2}",
    "d2 := map[int]int{1: 1, x: 2}",
    "fmt.Println(d, d2)",
    'fmt.Println(len(map[bool]string{true: "t", false: "f"}), map[string]int{"k": 7}["k"])',
    "big := map[float64]int{1e21: 1, 1e21: 2}",
    "fmt.Println(big)",
  ];
  // Go 1.19 prints these lines for the same program (x := 1 printed as fmt.Println("x =", x)).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), [
    "map[a:1 b:2 c:3] 3",
    "map[x:1]",
    "map[z:26]",
    "map[a:{1 2} b:{3 0} c:{0 4}]",
    "map[{1 2}:q {2 1}:r]",
    "map[go:[x y] ts:[]] 0",
    "map[1.5:true 2:false 1e+06:true]",
    "map[a:1 b:2]",
    "x = 1",
    "map[1:1] map[1:2]",
    "2 7",
    "map[1e+21:2]",
  ]);
  assert.equal(it.mapNamed("e")!.m.isNil, false, "an empty literal is an empty map, not nil");
});

test("a map literal is make(map[K]V, len(entries)) then one insert an entry, constant entries first", () => {
  const it = new Interp();
  const entries = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}: ${from + i}`).join(", ");
  run(it, `a := map[int]int{${entries(1, 14)}}`);
  run(it, "x := 100");
  run(it, `b := map[int]int{x: 1, ${entries(2, 27)}}`);
  run(it, "e := map[int]int{}");
  // Go 1.19 (the hmap read through unsafe): a: B=2, b: B=3, neither growing, nevacuate 0 (a
  // hint of 26, the constant entries alone, would make B=2 and grow on the 27th insert); e: B=0
  // and no bucket array yet.
  const st = (name: string) => inspect.map(it.mapNamed(name)!.m);
  assert.deepEqual([st("a").B, st("a").count, st("a").growing, st("a").nevacuate], [2, 14, false, 0]);
  assert.deepEqual([st("b").B, st("b").count, st("b").growing, st("b").nevacuate], [3, 27, false, 0]);
  assert.deepEqual([st("e").B, st("e").count], [0, 0]);
  assert.equal(it.focus, "e");
  // The literal's last insert is the statement's touched key (the constants first, then x: 1).
  run(it, "c := map[int]int{x: 1, 2: 2, 3: 3}");
  assert.deepEqual({ op: it.touched?.op, key: it.touched?.key, map: it.touched?.map === it.mapNamed("c") }, { op: "insert", key: 100, map: true });
  assert.notEqual(it.touched?.loc, null);
  // Ranging over a literal: its inserts are the expression's, not the body's last key.
  assert.deepEqual(run(it, 'for k, v := range map[string]int{"a": 1} { println(k, v) }'), ["a 1"]);
  assert.equal(it.touched, null);
});

test("map literals: Go's compile errors, in Go's words, and nothing declared", () => {
  const it = new Interp();
  run(it, "type Point struct { X, Y int }; x := 1; s := \"a\"; m := map[string]int{}");
  const long = "a".repeat(90);
  // Go 1.19's messages for each statement.
  const cases: [string, string][] = [
    ['n := map[string]int{"a": 1, "a": 2}', 'duplicate key "a" in map literal'],
    ['n := map[string]int{"a": 1, 2}', "missing key in map literal"],
    ["n := map[string]int{1: 1}", "cannot use 1 (untyped int constant) as string value in map literal"],
    ['n := map[string]int{"a": "b"}', 'cannot use "b" (untyped string constant) as int value in map literal'],
    ["n := map[float64]int{1: 1, 1.0: 2}", "duplicate key 1 in map literal"],
    ["n := map[int8]int{300: 1}", "cannot use 300 (untyped int constant) as int8 value in map literal (overflows)"],
    ['n := map[string]int{"a": 1.5}', "cannot use 1.5 (untyped float constant) as int value in map literal (truncated)"],
    ["n := map[bool]int{true: 1, !false: 2}", "duplicate key true in map literal"],
    ["n := map[int]int{1+1: 1, 2: 2}", "duplicate key 2 in map literal"],
    ['n := map[string]int{"a" + "b": 1, "ab": 2}', 'duplicate key "ab" in map literal'],
    ["n := map[float64]int{1.2345678: 1, 1.2345678: 2}", "duplicate key 1.23457 in map literal"],
    ["n := map[float64]int{1e6: 1, 1000000: 2}", "duplicate key 1e+06 in map literal"],
    ["n := map[float32]int{16777217: 1, 16777216: 2}", "duplicate key 1.67772e+07 in map literal"],
    ["n := map[float64]int{0.000001: 1, 1e-6: 2}", "duplicate key 1e-06 in map literal"],
    [`n := map[string]int{"${long}": 1, "${long}": 2}`, `duplicate key "${"a".repeat(68)}... in map literal`],
    ['n := map[string]int{"a\\n\\"é😀\\x01": 1, "a\\n\\"é😀\\x01": 2}', 'duplicate key "a\\n\\"é😀\\x01" in map literal'],
    ['n := map[string]int{"a": {1}}', "invalid composite literal type int"],
    ["n := map[string]int{{1}: 1}", "invalid composite literal type string"],
    ['n := map[string]string{"a": x}', "cannot use x (variable of type int) as type string in map literal"],
    ['n := map[string]int{"a": Point{}}', "cannot use Point{} (value of type Point) as type int in map literal"],
    ['n := map[string]int{"a": []int{1}}', "cannot use []int{…} (value of type []int) as type int in map literal"],
    ["m = map[string]int8{}", "cannot use map[string]int8{} (value of type map[string]int8) as type map[string]int in assignment"],
    ["var n map[string]int = map[string]bool{}", "cannot use map[string]bool{} (value of type map[string]bool) as type map[string]int in variable declaration"],
    ['var n int = "a"', 'cannot use "a" (untyped string constant) as int value in variable declaration'],
    ['n := map[string]Point{"a": {1}}', "too few values in struct{X int; Y int}{…}"],
    ['n := map[string]Point{"a": {1, 2, 3}}', "too many values in struct{X int; Y int}{…}"],
    ['n := map[string]Point{"a": {X: 1, 2}}', "mixture of field:value and value elements in struct literal"],
    ['n := map[string]Point{"a": {1, Y: 2}}', "mixture of field:value and value elements in struct literal"],
    ['n := map[string]Point{"a": {Z: 1}}', "unknown field 'Z' in struct literal of type struct{X int; Y int}"],
    ['n := map[string]Point{"a": {X: 1, X: 2}}', "duplicate field name X in struct literal"],
    ['n := map[string][]int{"a": {1, "x"}}', 'cannot use "x" (untyped string constant) as int value in array or slice literal'],
  ];
  assertCompileErrors(it, cases);
  assert.equal(it.mapNamed("n"), null);
  assert.deepEqual(it.mapNames(), ["m"]);
  assert.equal(it.mapNamed("m")!.t.name, "map[string]int");
});

test("struct literals: keyed or positional, with Go's refusals", () => {
  const it = new Interp();
  const src = ["type Point struct { X, Y int }", "q := Point{1, 2}", 'r := struct{ A int; B string }{3, "x"}', "fmt.Println(q, r, Point{}, Point{Y: 5})", "e := q == Point{X: 1, Y: 2}"];
  // Go 1.19, each variable printed with fmt.Println("name =", name).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), ["q = {1 2}", "r = {3 x}", "{1 2} {3 x} {0 0} {0 5}", "e = true"]);
  const cases: [string, string][] = [
    ["p := Point{1}", "too few values in Point{…}"],
    ["p := Point{1, 2, 3}", "too many values in Point{…}"],
    ["p := Point{X: 1, 2}", "mixture of field:value and value elements in struct literal"],
    ["p := Point{Z: 1}", "unknown field 'Z' in struct literal of type Point"],
    ['p := Point{X: 1, Y: "a"}', 'cannot use "a" (untyped string constant) as int value in struct literal'],
    ['p := Point{1, "a"}', 'cannot use "a" (untyped string constant) as int value in struct literal'],
    ["p := Point{X: {1}}", "missing type in composite literal"],
  ];
  assertCompileErrors(it, cases);
});

test("slice literals: len and cap the highest index + 1, indexes constant, Go's refusals", () => {
  const it = new Interp();
  const src = [
    "s := []int{1, 2, 3}",
    't := []string{2: "c", "d", 0: "a"}',
    "u := []float64{}",
    "fmt.Println(s, len(s), cap(s), t, len(t), u, len(u))",
    "s[1] = 20",
    "s = append(s, 4)",
    "fmt.Println(s, []int{5, 6}[1])",
    "var v = []int{7}",
    "var b []byte = []byte{1, 255}",
    "fmt.Println(v, b)",
    "w := []int{2.0: 1}",
  ];
  // Go 1.19, each variable assigned printed with fmt.Println("name =", name).
  assert.deepEqual(src.flatMap((s) => [...run(it, s)]), [
    "s = [1 2 3]",
    "t = [a  c d]",
    "u = []",
    "[1 2 3] 3 3 [a  c d] 4 [] 0",
    "s = [1 20 3 4]",
    "[1 20 3 4] 6",
    "v = [7]",
    "b = [1 255]",
    "[7] [1 255]",
    "w = [0 0 1]",
  ]);
  run(it, 'x := 1; y := "a"');
  const cases: [string, string][] = [
    ["z := []int{-1: 1}", "invalid argument: index -1 (constant of type int) must not be negative"],
    ["z := []int{1: 1, 1: 2}", "duplicate index 1 in array or slice literal"],
    ["z := []int{0: 1, 2, 1: 2}", "duplicate index 1 in array or slice literal"],
    ["z := []int{x: 1}", "index x must be integer constant"],
    ["z := []int{y: 1}", "invalid argument: index y (variable of type string) must be integer"],
    ["z := []int{1.5: 1}", "1.5 (untyped float constant) truncated to int"],
    ['z := []int{"a": 1}', 'cannot convert "a" (untyped string constant) to int'],
    ["z := []int{true: 1}", "cannot convert true (untyped bool constant) to int"],
    ["z := []string{1}", "cannot use 1 (untyped int constant) as string value in array or slice literal"],
    ["var z []int = []string{}", "cannot use []string{} (value of type []string) as type []int in variable declaration"],
  ];
  assertCompileErrors(it, cases);
});

test("a typed value of another type is refused in Go's words: as type T (as T value is for constants)", () => {
  const it = new Interp();
  run(it, "m := make(map[string]string); x := 1; y := 2.5; type Point struct { X, Y int }; p := Point{}");
  // Go 1.19's messages for each statement.
  const cases: [string, string][] = [
    ['m["a"] = x', "cannot use x (variable of type int) as type string in assignment"],
    ['m[x] = "a"', "cannot use x (variable of type int) as type string in map index"],
    ["p.X = y", "cannot use y (variable of type float64) as type int in assignment"],
    ['p.X = "a"', 'cannot use "a" (untyped string constant) as int value in assignment'],
  ];
  assertCompileErrors(it, cases);
});

test("a range loop past 100,000 iterations is stopped, and says it is the playground's limit", () => {
  const it = new Interp();
  run(it, "m := make(map[int]int); n := 0");
  const m = it.mapNamed("m")!.m;
  for (let i = 0; i <= 100_000; i++) m.set(i, i);
  assert.throws(
    () => run(it, "for k := range m { n = k }"),
    (e: unknown) => e instanceof PlaygroundStopped && errorText(e) === "stopped: the loop ran 100000 times (the playground's limit; Go would go on)",
  );
});

test("a struct's blank field _ can't be named, as in Go: not in a keyed literal, not as p._", () => {
  // Go 1.19: "unknown field '_' in struct literal of type P", "p._ undefined (type P has no
  // field or method _)". The field is there (positional literals set it), only not by name.
  const it = new Interp();
  run(it, "type P struct { A int; _ int }");
  run(it, "p := P{1, 2}");
  const cases: [string, string][] = [
    ["q := P{_: 1}", "unknown field '_' in struct literal of type P"],
    ["x := p._", "p._ undefined (type P has no field or method _)"],
    ["p._ = 3", "p._ undefined (type P has no field or method _)"],
    ["type Q struct { _ int; _ uint8 }", "struct{_ int; _ uint8}: the playground's structs are gomap structs, which name each field once: one blank field _ at most (Go allows more)"],
  ];
  assertCompileErrors(it, cases);
  assert.deepEqual(run(it, "fmt.Println(p.A)").at(-1), "1");
});
