// The playground's interpreter: runs parsed statements against the real gomap library.
//
// Every map operation a statement names is one call of GoMap (set, get, lookup, delete,
// clear, iteration, update, ref); nothing about the map is simulated here. What the
// interpreter adds is Go's language around those calls: variables, untyped constants and
// typed arithmetic (arith.ts), struct copies, slice headers and their backing arrays, Go's
// compile errors, and a record of the last key a statement touched (`touched`), which the
// drawing highlights.
//
// Invariants:
// - A statement that fails to compile (PlaygroundCompileError) has changed nothing: checks
//   and conversions happen before the map call. Errors the library throws (GoMapError as
//   Go's panics, TypeError/RangeError for refused values) leave the map as it was, by the
//   library's own guarantee. The language's own run-time panics (integer divide by zero,
//   index out of range) are GoPanic, raised before anything is written. A range body that fails part-way leaves what the iterations
//   before it did, as in Go; the session then rebuilds from its history (session.ts).
// - A composite literal is checked whole (every key, value and field, Go's duplicate-key and
//   missing-key errors) before its map is made, so a refused literal made no map. A map literal
//   runs as Go 1.19 compiles it: make with a hint of its entry count, then one set per entry.
// - `out` collects what the statement printed, one line per entry.
import { GoMap } from "../../src/index.js";
import { locate } from "../locate.js";
import type { Location } from "../locate.js";
import { compareOp, floatOp, intOp, represent, safe, tooBig, wrap } from "./arith.js";
import type { ConstKind } from "./arith.js";
import { GoPanic, PlaygroundCompileError, PlaygroundStopped } from "./errors.js";
import { basic, identical, resolveType } from "./gotypes.js";
import type { BasicT, GoT, MapT, SliceT, StructT } from "./gotypes.js";
import type { Expr, Span, Stmt } from "./parse.js";
import { SliceHeap, compareStrings, convert, describeTV, format, formatConstant, formatPrint, fromStored, takes, toStored, typeName, zeroOf } from "./values.js";
import type { MapVal, RefVal, Scalar, SliceVal, StructVal, TV, Val } from "./values.js";

/** The last key a statement looked up, wrote or deleted, for the drawing. */
export interface Touched {
  map: MapVal;
  /** The key as gomap stores it. */
  key: unknown;
  op: "insert" | "update" | "hit" | "miss" | "delete" | "delete-miss";
  /** Where the key is once the statement is done (where it was, for a delete). */
  loc: Location | null;
}

/** Iterations after which a range loop is stopped, so a loop that keeps adding ends. */
export const MAX_RANGE_ITERATIONS = 100_000;

/** An operand of an operator: its value and its text, which Go's messages quote. */
interface Operand extends TV {
  text: string;
}

class Scope {
  readonly vars = new Map<string, TV>();
  constructor(readonly parent: Scope | null) {}

  lookup(name: string): TV | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  /** Sets an existing variable where it was declared. */
  assign(name: string, v: TV): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, v);
      return true;
    }
    return this.parent !== null && this.parent.assign(name, v);
  }
}

export class Interp {
  readonly heap = new SliceHeap();
  readonly types = new Map<string, GoT>();
  private scope = new Scope(null);
  /** Lines printed by the current statement. */
  out: string[] = [];
  touched: Touched | null = null;
  /** Entries the statement's range loops visited, or null when it ran none. */
  ranged: number | null = null;
  /**
   * The map variable the last statement made or used (wrote, read, deleted from, ranged
   * over, measured, printed): the one to draw. Once a statement is done it names a variable
   * in scope (a map declared inside a block hands the focus back when the block ends).
   */
  focus: string | null = null;
  /**
   * Whether to find the touched key's slot (touched.loc). It costs a walk of the buckets, so
   * a replay turns it off for every step but the one it will show.
   */
  locating = true;
  private src = "";

  /** Runs one top-level statement; src is the text its spans point into. */
  run(stmt: Stmt, src: string): void {
    this.src = src;
    this.out = [];
    this.touched = null;
    this.ranged = null;
    this.exec(stmt);
    this.locateTouched();
  }

  /** Finds where the touched key ended up (a delete's slot was found before it ran). */
  locateTouched(): void {
    const t = this.touched;
    if (this.locating && t !== null && t.op !== "delete" && t.op !== "miss" && t.op !== "delete-miss") t.loc = locate(t.map.m, t.key);
  }

  /** The map variable named name, if it is one. */
  mapNamed(name: string): MapVal | null {
    const v = this.scope.lookup(name)?.v;
    return typeof v === "object" && v.k === "map" ? v : null;
  }

  /** The names of every map variable, in declaration order. */
  mapNames(): string[] {
    return [...this.scope.vars.keys()].filter((n) => this.mapNamed(n) !== null);
  }

  // --- statements ---------------------------------------------------------------------------

  private exec(s: Stmt): void {
    switch (s.k) {
      case "type":
        if (this.types.has(s.name)) throw new PlaygroundCompileError(`${s.name} redeclared`);
        this.types.set(s.name, resolveType(s.type, this.types, s.name));
        return;
      case "var":
        return this.varDecl(s);
      case "define":
        return this.define(s.names, s.values, s.at);
      case "assign":
        return this.assign(s.targets, s.op, s.values, s.at);
      case "incdec":
        return this.assign([s.target], s.op === "++" ? "+=" : "-=", [{ k: "lit", kind: "int", value: 1, at: s.at }], s.at);
      case "expr":
        return this.exprStmt(s.x);
      case "range":
        return this.range(s);
    }
  }

  /** var x T (the zero value), var x = v (v's type, a constant's default type), var x T = v. */
  private varDecl(s: Extract<Stmt, { k: "var" }>): void {
    const t = s.type === null ? null : resolveType(s.type, this.types);
    if (s.name !== "_" && this.scope.vars.has(s.name)) throw new PlaygroundCompileError(`${s.name} redeclared in this block (at ${s.at.line}:${s.at.col})`);
    if (s.value === null) {
      this.declare(s.name, { t: t as GoT, v: zeroOf(t as GoT) }, s.at);
      return;
    }
    const x = this.eval(s.value);
    const v = t === null ? this.typed(x, this.goText(s.value), "variable declaration") : { t, v: this.conv(x, t, s.value, "variable declaration") };
    this.declare(s.name, v, s.at);
    this.print(s.name, v);
  }

  private declare(name: string, v: TV, at: Span): void {
    if (name === "_") return;
    if (this.scope.vars.has(name)) throw new PlaygroundCompileError(`${name} redeclared in this block (at ${at.line}:${at.col})`);
    this.scope.vars.set(name, v);
    this.noteFocus(v, name);
  }

  private noteFocus(v: TV, name: string): void {
    if (typeof v.v === "object" && v.v.k === "map") this.focus = name;
  }

  private define(names: string[], values: Expr[], at: Span): void {
    if (names.every((n) => n === "_" || this.scope.vars.has(n))) throw new PlaygroundCompileError("no new variables on left side of :=");
    const vals = this.rhs(names.length, values);
    names.forEach((n, i) => {
      if (n === "_") return;
      const value = values[Math.min(i, values.length - 1)];
      if (this.scope.vars.has(n)) this.setVar(n, vals[i], value);
      else this.declare(n, this.typed(vals[i], this.goText(value), "assignment"), at);
      this.print(n, this.scope.lookup(n) as TV);
    });
  }

  /** The values of a right-hand side for `n` names: n expressions, or one `m[k]` for `v, ok`. */
  private rhs(n: number, values: Expr[]): TV[] {
    if (n === 2 && values.length === 1 && values[0].k === "index") {
      const e = values[0];
      const m = this.eval(e.x);
      if (isMap(m.v)) {
        this.focusOn(e.x);
        return this.commaOk(m.v, e.index);
      }
    }
    if (n !== values.length) throw new PlaygroundCompileError(`assignment mismatch: ${n} variable${n === 1 ? "" : "s"} but ${values.length} value${values.length === 1 ? "" : "s"}`);
    return values.map((e) => this.eval(e));
  }

  private commaOk(m: MapVal, index: Expr): TV[] {
    const key = this.key(m, index);
    const [v, ok] = m.m.lookup(key);
    this.touch(m, key, ok ? "hit" : "miss");
    return [{ t: m.t.value, v: fromStored(v, m.t.value) }, { t: BOOL, v: ok }];
  }

  private assign(targets: Expr[], op: string, values: Expr[], at: Span): void {
    if (op !== "=" && (targets.length !== 1 || values.length !== 1)) throw new PlaygroundCompileError(`${op} takes one target and one value`);
    let vals = this.rhs(targets.length, values);
    if (op !== "=") vals = [this.binary(op.slice(0, 1), this.operand(targets[0]), { ...vals[0], text: this.text(values[0].at) }, at)];
    targets.forEach((target, i) => this.store(target, vals[i], values[Math.min(i, values.length - 1)]));
  }

  /** Stores x into an assignable expression: a variable, m[k], s[i], v.f or m.ref(k).f. */
  private store(target: Expr, x: TV, valueExpr: Expr): void {
    const text = this.text(target.at);
    if (target.k === "ident") {
      if (target.name === "_") return;
      this.setVar(target.name, x, valueExpr);
      this.print(target.name, this.scope.lookup(target.name) as TV);
      return;
    }
    if (target.k === "index") {
      const c = this.eval(target.x);
      if (isMap(c.v)) {
        const m = c.v;
        this.focusOn(target.x);
        const key = this.key(m, target.index);
        const value = this.conv(x, m.t.value, valueExpr, "assignment");
        const before = m.m.size;
        m.m.set(key, toStored(value, m.t.value));
        this.touch(m, key, m.m.size > before ? "insert" : "update");
        return;
      }
      if (isSlice(c.v)) {
        const s = c.v;
        const i = this.sliceIndex(s, target.index);
        this.heap.array(s.array)[i] = this.conv(x, s.t.elem, valueExpr, "assignment") as Scalar;
        return;
      }
      throw new PlaygroundCompileError(`invalid operation: cannot index ${this.text(target.x.at)}`);
    }
    if (target.k === "field") {
      const base = target.x;
      if (base.k === "index" && isMap(this.eval(base.x).v)) {
        // Go's rule: a map element is not addressable, so its fields cannot be assigned.
        throw new PlaygroundCompileError(`cannot assign to struct field ${text} in map`);
      }
      const holder = this.eval(base);
      if (isRef(holder.v)) {
        const f = this.field(holder.v.t, target.name, text);
        holder.v.view[target.name] = this.conv(x, f, valueExpr, "assignment");
        return;
      }
      if (!isStruct(holder.v) || base.k !== "ident") throw new PlaygroundCompileError(`cannot assign to ${text}`);
      const f = this.field(holder.v.t, target.name, text);
      const next: StructVal = { ...holder.v, f: { ...holder.v.f, [target.name]: this.conv(x, f, valueExpr, "assignment") as Scalar } };
      this.setVar(base.name, { t: holder.t, v: next }, valueExpr);
      return;
    }
    throw new PlaygroundCompileError(`cannot assign to ${text} (neither addressable nor a map index expression)`);
  }

  private setVar(name: string, x: TV, value: Expr): void {
    const cur = this.scope.lookup(name);
    if (cur === undefined) throw new PlaygroundCompileError(`undefined: ${name}`);
    const v = cur.t === null ? x.v : this.conv(x, cur.t, value, "assignment");
    this.scope.assign(name, { t: cur.t ?? x.t, v });
    this.noteFocus({ t: cur.t, v }, name);
  }

  private exprStmt(x: Expr): void {
    if (x.k === "call" && x.fn === "delete") return this.deleteCall(x.args);
    if (x.k === "call" && x.fn === "clear") {
      const m = this.mapArg(x.args, 1, "clear");
      m.m.clear();
      return;
    }
    if (x.k === "call" && x.fn === "append") {
      throw new PlaygroundCompileError(`${this.text(x.at)} (value of type ${this.eval(x).t?.name}) is not used`);
    }
    if (x.k === "call" && x.fn === "println") {
      this.out.push(x.args.map((a) => formatPrint(this.typed(this.eval(a), this.text(a.at), "argument to println"))).join(" "));
      return;
    }
    if (x.k === "method" && x.x.k === "ident" && x.x.name === "fmt" && x.name === "Println") {
      this.out.push(x.args.map((a) => format(this.typed(this.eval(a), this.text(a.at), "argument to fmt.Println"), this.heap)).join(" "));
      return;
    }
    const v = this.eval(x);
    if (x.k === "method" && x.name === "update") return;
    this.focusOn(x);
    this.out.push(format(this.typed(v, this.text(x.at), "argument to println"), this.heap));
  }

  private deleteCall(args: Expr[]): void {
    const m = this.mapArg(args, 2, "delete");
    const key = this.key(m, args[1]);
    // Found before the delete, which empties the slot; the inspector's read is no map read.
    const loc = this.locating ? locate(m.m, key) : null;
    const had = m.m.delete(key);
    this.touched = { map: m, key, op: had ? "delete" : "delete-miss", loc };
  }

  private mapArg(args: Expr[], n: number, fn: string): MapVal {
    if (args.length !== n) throw new PlaygroundCompileError(`${fn} takes ${n === 1 ? "one argument, the map" : "two arguments, the map and a key"}`);
    const m = this.eval(args[0]);
    if (!isMap(m.v)) throw new PlaygroundCompileError(`invalid argument: ${this.text(args[0].at)} is not a map`);
    this.focusOn(args[0]);
    return m.v;
  }

  private range(s: Extract<Stmt, { k: "range" }>): void {
    if (s.blank) throw new PlaygroundCompileError("no new variables on left side of :=");
    const c = this.eval(s.x);
    if (!isMap(c.v)) throw new PlaygroundCompileError(`the playground ranges over maps only, and ${this.text(s.x.at)} is not one`);
    const m = c.v;
    this.focusOn(s.x);
    // A literal ranged over was filled by the expression; what the body touches is the loop's.
    this.touched = null;
    let n = 0;
    for (const [k, e] of m.m) {
      if (++n > MAX_RANGE_ITERATIONS) throw new PlaygroundStopped(`stopped: the loop ran ${MAX_RANGE_ITERATIONS} times (the playground's limit; Go would go on)`);
      this.ranged = (this.ranged ?? 0) + 1;
      const key: TV = { t: m.t.key, v: fromStored(k, m.t.key) };
      const value: TV = { t: m.t.value, v: fromStored(e, m.t.value) };
      if (s.body === null) {
        this.out.push(`${format(key, this.heap)} ${format(value, this.heap)}`);
        continue;
      }
      // The loop's variables are in the for statement's block; its body is a block inside it.
      this.inScope(s.x, () => {
        if (s.key !== null) this.scope.vars.set(s.key, key);
        if (s.value !== null) this.scope.vars.set(s.value, value);
        this.inScope(s.x, () => (s.body as Stmt[]).forEach((st) => this.exec(st)));
      });
    }
  }

  /**
   * Runs fn in a new block. A map the block declared goes out of scope with it: if the focus
   * was on one, it moves to `outer`, the map the block belongs to (the range's, update's).
   */
  private inScope(outer: Expr, fn: () => void): void {
    const saved = this.scope;
    this.scope = new Scope(saved);
    let inner: MapVal | null = null;
    try {
      fn();
      inner = this.focus === null ? null : this.mapNamed(this.focus);
    } finally {
      this.scope = saved;
    }
    if (inner !== null && this.mapNamed(this.focus as string) !== inner) this.focusOn(outer);
  }

  // --- expressions --------------------------------------------------------------------------

  private eval(x: Expr): TV {
    switch (x.k) {
      case "lit":
        if (x.kind !== "int" && x.kind !== "float") return { t: null, v: x.value };
        if (x.kind === "int" && !Number.isSafeInteger(x.value)) throw tooBig(`constant ${this.text(x.at)}`);
        return { t: null, v: x.value, kind: x.kind };
      case "ident": {
        if (x.name === "nil") throw new PlaygroundCompileError("the playground has no nil value; declare a nil map with var m map[K]V");
        const v = this.scope.lookup(x.name);
        if (v === undefined) throw new PlaygroundCompileError(`undefined: ${x.name}`);
        return v;
      }
      case "index":
        return this.index(x);
      case "field": {
        const base = this.eval(x.x);
        const text = this.text(x.at);
        if (isStruct(base.v)) return { t: this.field(base.v.t, x.name, text), v: base.v.f[x.name] };
        if (isRef(base.v)) return { t: this.field(base.v.t, x.name, text), v: base.v.view[x.name] as Scalar };
        throw new PlaygroundCompileError(`${text} undefined (${this.text(x.x.at)} is not a struct)`);
      }
      case "call":
        return this.call(x);
      case "method":
        return this.method(x);
      case "composite":
        return this.composite(x, null);
      case "func":
        throw new PlaygroundCompileError("a func literal is only for m.update(k, func(v) { ... })");
      case "unary":
        return this.unary(x.op, this.operand(x.x));
      case "binary":
        if (x.op === "&&" || x.op === "||") return this.shortCircuit(x);
        return this.binary(x.op, this.operand(x.x), this.operand(x.y), x.at);
    }
  }

  private index(x: Extract<Expr, { k: "index" }>): TV {
    const c = this.eval(x.x);
    if (isMap(c.v)) {
      const m = c.v;
      this.focusOn(x.x);
      const key = this.key(m, x.index);
      const [v, ok] = m.m.lookup(key);
      this.touch(m, key, ok ? "hit" : "miss");
      return { t: m.t.value, v: fromStored(v, m.t.value) };
    }
    if (isSlice(c.v)) {
      const s = c.v;
      return { t: s.t.elem, v: this.heap.array(s.array)[this.sliceIndex(s, x.index)] };
    }
    throw new PlaygroundCompileError(`invalid operation: cannot index ${this.text(x.x.at)}`);
  }

  private sliceIndex(s: SliceVal, index: Expr): number {
    const i = this.eval(index).v;
    if (typeof i !== "number" || !Number.isInteger(i)) throw new PlaygroundCompileError(`invalid slice index ${this.text(index.at)}`);
    if (i < 0 || i >= s.len) throw new GoPanic(`panic: runtime error: index out of range [${i}] with length ${s.len}`);
    return i;
  }

  private call(x: Extract<Expr, { k: "call" }>): TV {
    switch (x.fn) {
      case "make": {
        const t = resolveType(x.type!, this.types);
        if (t.k !== "map") throw new PlaygroundCompileError(`the playground makes maps only, not ${t.name}`);
        if (x.args.length > 1) throw new PlaygroundCompileError("make(map[K]V) takes at most one size hint");
        const hint = x.args.length === 1 ? this.eval(x.args[0]).v : 0;
        if (typeof hint !== "number" || !Number.isInteger(hint)) throw new PlaygroundCompileError(`the size hint must be an integer, not ${this.text(x.args[0].at)}`);
        if (hint < 0) throw new PlaygroundCompileError(`invalid argument: index ${hint} (constant of type int) must not be negative`);
        return { t, v: { k: "map", t, m: GoMap.make(t.key.gm, t.value.gm, { hint }) } };
      }
      case "len": {
        if (x.args.length !== 1) throw new PlaygroundCompileError("len takes one argument");
        const v = this.eval(x.args[0]).v;
        if (isMap(v)) {
          this.focusOn(x.args[0]);
          return { t: INT, v: v.m.size };
        }
        if (isSlice(v)) return { t: INT, v: v.len };
        if (typeof v === "string") return { t: INT, v: new TextEncoder().encode(v).length };
        throw new PlaygroundCompileError(`invalid argument: ${this.text(x.args[0].at)} for built-in len`);
      }
      case "cap": {
        if (x.args.length !== 1) throw new PlaygroundCompileError("cap takes one argument");
        const a = this.eval(x.args[0]);
        if (isSlice(a.v)) return { t: INT, v: a.v.cap };
        const text = this.goText(x.args[0]);
        throw new PlaygroundCompileError(`invalid argument: ${text} (${describeTV(a, text, this.formOf(x.args[0]))}) for cap`);
      }
      case "append":
        return this.append(x);
      case "delete":
      case "clear":
        throw new PlaygroundCompileError(`${x.fn}(...) (no value) used as value`);
      default:
        throw new PlaygroundCompileError(`undefined: ${x.fn} (the playground knows make, len, cap, append, delete, clear and println)`);
    }
  }

  /** Go's append: in place while len < cap, else a new backing array of twice the cap. */
  private append(x: Extract<Expr, { k: "call" }>): TV {
    if (x.args.length === 0) throw new PlaygroundCompileError("not enough arguments for append");
    const first = this.eval(x.args[0]);
    if (!isSlice(first.v) || first.t === null || first.t.k !== "slice") throw new PlaygroundCompileError(`invalid argument: ${this.text(x.args[0].at)} is not a slice`);
    const st = first.t;
    const s = first.v;
    const add = x.args.slice(1).map((a) => convert(this.eval(a), st.elem, this.text(a.at), "argument to append") as Scalar);
    const len = s.len + add.length;
    let array = s.array;
    let cap = s.cap;
    if (len > cap) {
      cap = Math.max(len, cap * 2);
      array = this.heap.alloc(cap, zeroOf(st.elem) as Scalar);
      if (s.array !== 0) this.heap.array(s.array).slice(0, s.len).forEach((e, i) => (this.heap.array(array)[i] = e));
    }
    const backing = this.heap.array(array);
    add.forEach((e, i) => (backing[s.len + i] = e));
    return { t: st, v: { k: "slice", t: st, array, len, cap } };
  }

  /** gomap's own calls on a map: m.update(k, func(v) {...}) and m.ref(k). */
  private method(x: Extract<Expr, { k: "method" }>): TV {
    const c = this.eval(x.x);
    if (!isMap(c.v)) throw new PlaygroundCompileError(`${this.text(x.at)} undefined (the playground has methods on maps only: update and ref)`);
    const m = c.v;
    this.focusOn(x.x);
    if (x.name === "ref") {
      if (x.args.length !== 1) throw new PlaygroundCompileError("m.ref takes one argument, the key");
      if (m.t.value.k !== "struct") throw new PlaygroundCompileError(`m.ref: the playground draws refs of struct values only, not ${m.t.value.name}`);
      const key = this.key(m, x.args[0]);
      const view = m.m.ref(key) as RefVal["view"];
      this.touch(m, key, "hit");
      return { t: null, v: { k: "ref", t: m.t.value, view } };
    }
    if (x.name === "update") return this.update(m, x);
    throw new PlaygroundCompileError(`${this.text(x.at)} undefined (maps have update and ref)`);
  }

  private update(m: MapVal, x: Extract<Expr, { k: "method" }>): TV {
    const fn = x.args[1];
    if (x.args.length !== 2 || fn.k !== "func" || fn.params.length !== 1) {
      throw new PlaygroundCompileError("m.update takes a key and func(v) { ... }");
    }
    const key = this.key(m, x.args[0]);
    const vt = m.t.value;
    const param = fn.params[0];
    const before = m.m.size;
    const stored = m.m.update(key, (current) => {
      let result: TV = { t: vt, v: fromStored(current, vt) };
      this.inScope(x.x, () => {
        this.scope.vars.set(param, result);
        for (const st of fn.body) this.exec(st);
        result = this.scope.vars.get(param) as TV;
      });
      return toStored(result.v, vt);
    });
    this.touch(m, key, m.m.size > before ? "insert" : "update");
    return { t: vt, v: fromStored(stored, vt) };
  }

  /**
   * A composite literal: a struct, a slice or a map. `elided` is the element type of the literal
   * around it, for one written {...} without its type (Go's elided element types).
   */
  private composite(x: Composite, elided: GoT | null): TV {
    if (x.type === null && elided === null) throw new PlaygroundCompileError("missing type in composite literal");
    const t = x.type === null ? (elided as GoT) : resolveType(x.type, this.types);
    switch (t.k) {
      case "struct":
        return { t, v: this.structLit(x, t) };
      case "slice":
        return { t, v: this.sliceLit(x, t) };
      case "map":
        return { t, v: this.mapLit(x, t) };
      case "basic":
        throw new PlaygroundCompileError(`invalid composite literal type ${t.name}`);
    }
  }

  /** A key or value of a literal whose element type is t: {...} takes t as its type. */
  private element(e: Expr, t: GoT, what: string): Val {
    if (e.k === "composite" && e.type === null) return this.composite(e, t).v;
    return this.conv(this.eval(e), t, e, what);
  }

  /** T{X: 1, Y: 2} or T{1, 2} (every field, in order); fields not named are zero. */
  private structLit(x: Composite, t: StructT): StructVal {
    // Go names an elided struct type by its underlying type in these messages.
    const name = x.type === null ? `struct{${t.fields.map((f) => `${f.name} ${f.t.name}`).join("; ")}}` : t.name;
    const v = zeroOf(t) as StructVal;
    const mixture = "mixture of field:value and value elements in struct literal";
    if (x.elems.length === 0) return v;
    if (x.elems[0].key !== null) {
      const seen = new Set<string>();
      for (const { key, value } of x.elems) {
        if (key === null) throw new PlaygroundCompileError(mixture);
        const val = this.eval(value);
        if (key.k !== "ident") throw new PlaygroundCompileError(`invalid field name ${this.goText(key)} in struct literal`);
        // A blank field is there, but can't be named (Go's "unknown field '_'").
        const f = key.name === "_" ? undefined : t.fields.find((g) => g.name === key.name);
        if (f === undefined) throw new PlaygroundCompileError(`unknown field '${key.name}' in struct literal of type ${name}`);
        v.f[f.name] = this.conv(val, f.t, value, "struct literal") as Scalar;
        if (seen.has(f.name)) throw new PlaygroundCompileError(`duplicate field name ${f.name} in struct literal`);
        seen.add(f.name);
      }
      return v;
    }
    x.elems.forEach(({ key, value }, i) => {
      if (key !== null) throw new PlaygroundCompileError(mixture);
      const val = this.eval(value);
      if (i >= t.fields.length) throw new PlaygroundCompileError(`too many values in ${name}{…}`);
      v.f[t.fields[i].name] = this.conv(val, t.fields[i].t, value, "struct literal") as Scalar;
    });
    if (x.elems.length < t.fields.length) throw new PlaygroundCompileError(`too few values in ${name}{…}`);
    return v;
  }

  /** []T{a, b, 5: c}: element i at index i, or at a constant index; len = cap = highest index + 1. */
  private sliceLit(x: Composite, t: SliceT): SliceVal {
    const elems = new Map<number, Scalar>();
    let index = 0;
    let len = 0;
    for (const { key, value } of x.elems) {
      if (key !== null) index = this.literalIndex(key);
      if (elems.has(index)) throw new PlaygroundCompileError(`duplicate index ${index} in array or slice literal`);
      elems.set(index, this.element(value, t.elem, "array or slice literal") as Scalar);
      len = Math.max(len, ++index);
    }
    const array = this.heap.alloc(len, zeroOf(t.elem) as Scalar);
    const backing = this.heap.array(array);
    for (const [i, e] of elems) backing[i] = e;
    return { k: "slice", t, array, len, cap: len };
  }

  /** The index key of a slice literal's element: a constant integer, not negative. */
  private literalIndex(key: Expr): number {
    const text = this.goText(key);
    const x = this.eval(key);
    if (!isConstant(key)) {
      if (x.t !== null && isInt(x.t)) throw new PlaygroundCompileError(`index ${text} must be integer constant`);
      throw new PlaygroundCompileError(`invalid argument: index ${text} (${describeTV(x, text, this.formOf(key))}) must be integer`);
    }
    if (typeof x.v !== "number") throw new PlaygroundCompileError(`cannot convert ${text} (${describeTV(x, text)}) to int`);
    if (!Number.isInteger(x.v)) throw new PlaygroundCompileError(`${text} (${describeTV(x, text)}) truncated to int`);
    if (x.v < 0) throw new PlaygroundCompileError(`invalid argument: index ${text} (constant of type int) must not be negative`);
    if (x.v >= MAX_LITERAL_INDEX) throw new RangeError(`index ${text} is past the playground's ${MAX_LITERAL_INDEX} elements for a slice literal`);
    return x.v;
  }

  /**
   * map[K]V{k: v, ...}, as Go 1.19 compiles it (walk/order.go and walk/complit.go): every key
   * and value checked first (a constant key twice is Go's "duplicate key"), then
   * make(map[K]V, number of entries), then one insert an entry: the entries whose key and value
   * are constants (or struct literals of constants) in source order, then the others in source
   * order. So {x: 1, 1: 2} with x == 1 holds 1:1, as in Go.
   */
  private mapLit(x: Composite, t: MapT): MapVal {
    const entries: { key: unknown; value: unknown; constant: boolean }[] = [];
    const seen = new Set<string>();
    for (const { key, value } of x.elems) {
      if (key === null) throw new PlaygroundCompileError("missing key in map literal");
      const k = this.element(key, t.key, "map literal");
      if (isConstant(key)) {
        const id = constantKey(k as Scalar);
        if (id !== null && seen.has(id)) throw new PlaygroundCompileError(`duplicate key ${formatConstant(k as Scalar, t.key as BasicT)} in map literal`);
        if (id !== null) seen.add(id);
      }
      const v = this.element(value, t.value, "map literal");
      entries.push({ key: toStored(k, t.key), value: toStored(v, t.value), constant: this.isStatic(key, t.key) && this.isStatic(value, t.value) });
    }
    const m: MapVal = { k: "map", t, m: GoMap.make(t.key.gm, t.value.gm, { hint: entries.length }) };
    for (const constant of [true, false]) {
      for (const e of entries) {
        if (e.constant !== constant) continue;
        const before = m.m.size;
        m.m.set(e.key, e.value);
        this.touch(m, e.key, m.m.size > before ? "insert" : "update");
      }
    }
    return m;
  }

  /** Go's isStaticCompositeLiteral: a constant, or a struct literal of constants. */
  private isStatic(e: Expr, t: GoT): boolean {
    if (e.k !== "composite") return isConstant(e);
    const ct = e.type === null ? t : resolveType(e.type, this.types);
    return ct.k === "struct" && e.elems.every((el) => isConstant(el.value));
  }

  private operand(e: Expr): Operand {
    return { ...this.eval(e), text: this.text(e.at) };
  }

  /** op x: -x of a constant keeps its kind (and is never -0: constants have none). */
  private unary(op: string, a: Operand): TV {
    const v = a.v;
    if (op === "!" && typeof v === "boolean") return { t: a.t, v: !v };
    if (op === "+" && typeof v === "number") return { t: a.t, v, kind: a.kind };
    if (op === "-" && typeof v === "number") {
      if (a.t === null) return { t: null, v: 0 - v, kind: a.kind };
      return isInt(a.t) ? { t: a.t, v: wrap(-BigInt(v), a.t as BasicT) } : { t: a.t, v: -v };
    }
    throw this.undefinedOp(op, a);
  }

  /**
   * a && b, a || b: b runs only when a does not decide, as in Go. When a decides, b is still
   * checked (Go refuses `c == 0 || 1` whichever way it would run): it is evaluated with what it
   * would record (the touched key, the focus) put back, and a panic it would raise ignored.
   */
  private shortCircuit(x: Extract<Expr, { k: "binary" }>): TV {
    const a = this.operand(x.x);
    if (typeof a.v !== "boolean" || a.v === (x.op === "&&")) return this.binary(x.op, a, this.operand(x.y), x.at);
    const saved = { touched: this.touched, focus: this.focus };
    let b: Operand | null = null;
    try {
      b = this.operand(x.y);
    } catch (err) {
      if (err instanceof PlaygroundCompileError) throw err;
    } finally {
      this.touched = saved.touched;
      this.focus = saved.focus;
    }
    // Checks the operands' types; a decides the value (false && b is false, true || b true).
    if (b !== null) this.binary(x.op, a, b, x.at);
    return { t: BOOL, v: a.v };
  }

  /**
   * a op b, Go's way: two untyped constants by their kinds; an untyped operand converted to
   * the other's type (only if representable there); typed operands of one type.
   */
  private binary(op: string, a: Operand, b: Operand, at: Span): TV {
    if ((op === "/" || op === "%") && b.t === null && b.v === 0 && (a.t === null || isInt(a.t))) {
      throw new PlaygroundCompileError("invalid operation: division by zero");
    }
    if (a.t === null && b.t === null) return this.constant(op, a, b, at);
    const t = (a.t ?? b.t) as GoT;
    const fits = (u: Operand): boolean => (u.t === null ? t.k === "basic" && takes(t, u) : identical(u.t, t));
    if (!fits(a) || !fits(b)) throw this.mismatched(a, b, at);
    const x = a.t === null ? this.constantIn(a, t as BasicT) : a.v;
    const y = b.t === null ? this.constantIn(b, t as BasicT) : b.v;
    if (typeof x === "number" && typeof y === "number" && t.k === "basic") return this.arith(op, x, y, t, a);
    return this.logic(op, x, y, t, a);
  }

  /** Two untyped constants: numbers by kind (int if both are ints), strings, bools. */
  private constant(op: string, a: Operand, b: Operand, at: Span): TV {
    const x = a.v;
    const y = b.v;
    if (typeof x !== typeof y) throw this.mismatched(a, b, at);
    if (typeof x !== "number" || typeof y !== "number") return this.logic(op, x, y, null, a);
    const kind: ConstKind = a.kind === "float" || b.kind === "float" ? "float" : "int";
    if (kind === "float" && op === "%") throw this.undefinedOp(op, { ...a, kind });
    const r = kind === "int" ? intOp(op, x, y) : floatOp(op, x, y, 64);
    if (r === undefined) throw this.undefinedOp(op, a);
    if (typeof r === "boolean") return { t: BOOL, v: r };
    return { t: null, v: typeof r === "bigint" ? safe(r, "constant") : r === 0 ? 0 : r, kind };
  }

  /** Untyped operand u (of a kind t takes) converted to t, the other operand's type, or Go's refusal. */
  private constantIn(u: Operand, t: BasicT): TV["v"] {
    if (typeof u.v !== "number") return u.v;
    const v = represent(u.v, t);
    if (typeof v === "number") return v;
    throw new PlaygroundCompileError(`${u.text} (${describeTV(u, u.text)}) ${v === "truncated" ? "truncated to" : "overflows"} ${t.name}`);
  }

  /** Numbers of basic type t. */
  private arith(op: string, x: number, y: number, t: BasicT, a: Operand): TV {
    if (t.cls === "int") {
      if ((op === "/" || op === "%") && y === 0) throw new GoPanic("panic: runtime error: integer divide by zero");
      const r = intOp(op, x, y);
      if (typeof r === "bigint") return { t, v: wrap(r, t) };
      if (r !== undefined) return { t: BOOL, v: r };
    } else if (op !== "%") {
      const r = floatOp(op, x, y, t.name === "float32" ? 32 : 64);
      if (r !== undefined) return { t: typeof r === "boolean" ? BOOL : t, v: r };
    }
    throw this.undefinedOp(op, a);
  }

  /**
   * Strings, bools and structs, typed (t) or untyped constants (null): strings are ordered by
   * their bytes, bools and structs have == and != (structs field by field, as Go compares them).
   */
  private logic(op: string, x: TV["v"], y: TV["v"], t: GoT | null, a: Operand): TV {
    if (typeof x === "string" && typeof y === "string") {
      if (op === "+") return { t, v: x + y };
      const r = compareOp(op, compareStrings(x, y), 0);
      if (r !== undefined) return { t: BOOL, v: r };
    }
    if (typeof x === "boolean" && typeof y === "boolean") {
      if (op === "&&") return { t: BOOL, v: x && y };
      if (op === "||") return { t: BOOL, v: x || y };
      if (op === "==") return { t: BOOL, v: x === y };
      if (op === "!=") return { t: BOOL, v: x !== y };
    }
    if (isStruct(x) && isStruct(y) && (op === "==" || op === "!=")) {
      const equal = x.t.fields.every((f) => x.f[f.name] === y.f[f.name]);
      return { t: BOOL, v: op === "==" ? equal : !equal };
    }
    throw this.undefinedOp(op, a);
  }

  private mismatched(a: Operand, b: Operand, at: Span): PlaygroundCompileError {
    return new PlaygroundCompileError(`invalid operation: ${this.text(at)} (mismatched types ${typeName(a)} and ${typeName(b)})`);
  }

  private undefinedOp(op: string, a: Operand): PlaygroundCompileError {
    return new PlaygroundCompileError(`invalid operation: operator ${op} not defined on ${a.text} (${describeTV(a, a.text)})`);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** x converted to t for `what`, Go's refusal quoting e. */
  private conv(x: TV, t: GoT, e: Expr, what: string): Val {
    return convert(x, t, this.goText(e), what, this.formOf(e));
  }

  /** e's text as Go's messages quote it: a composite literal with elements as T{…}. */
  private goText(e: Expr): string {
    if (e.k !== "composite") return this.text(e.at);
    return `${e.type === null ? "" : this.text(e.type.at)}{${e.elems.length === 0 ? "" : "…"}}`;
  }

  /** What Go calls the typed value e in a message: "variable", "map index expression", "value". */
  private formOf(e: Expr): string {
    if (e.k === "ident" || e.k === "field") return "variable";
    if (e.k === "index") return e.x.k === "ident" && this.mapNamed(e.x.name) !== null ? "map index expression" : "variable";
    return "value";
  }

  /** The key of m[index], converted to the map's key type and as gomap stores it. */
  private key(m: MapVal, index: Expr): unknown {
    return toStored(this.conv(this.eval(index), m.t.key, index, "map index"), m.t.key);
  }

  private field(t: StructT, name: string, text: string): GoT {
    // A blank field can't be referred to: Go says it has no field _.
    const f = name === "_" ? undefined : t.fields.find((g) => g.name === name);
    if (f === undefined) throw new PlaygroundCompileError(`${text} undefined (type ${t.name} has no field or method ${name})`);
    return f.t;
  }

  private touch(m: MapVal, key: unknown, op: Touched["op"]): void {
    this.touched = { map: m, key, op, loc: null };
  }

  private focusOn(x: Expr): void {
    if (x.k === "ident" && this.mapNamed(x.name) !== null) this.focus = x.name;
  }

  /** x, or the constant x in its default type (int, float64, string, bool), as x := 2.0 types it. */
  private typed(x: TV, text: string, what: string): TV {
    const t = x.t ?? defaultType(x);
    return x.t !== null || t === null ? x : { t, v: convert(x, t, text, what) };
  }

  private print(name: string, v: TV): void {
    if (name === "_" || isMap(v.v)) return;
    this.out.push(`${name} = ${format(v, this.heap)}`);
  }

  private text(at: Span): string {
    return this.src.slice(at.off, at.end);
  }
}

const INT = basic("int") as BasicT;

/** A slice literal's indexes stay below this (the playground's limit, not Go's). */
export const MAX_LITERAL_INDEX = 1_000_000;

type Composite = Extract<Expr, { k: "composite" }>;

/** Whether e is a constant expression: literals and operators on them, len of a constant. */
function isConstant(e: Expr): boolean {
  switch (e.k) {
    case "lit":
      return true;
    case "unary":
      return isConstant(e.x);
    case "binary":
      return isConstant(e.x) && isConstant(e.y);
    case "call":
      return e.fn === "len" && e.args.length === 1 && isConstant(e.args[0]);
    default:
      return false;
  }
}

/**
 * What Go's checker compares constant map keys by (types2's keyVal): strings, bools and numbers
 * by value. An integer value past int64 and uint64 (a float key 1e21) is kept as a big
 * constant, which Go never finds equal to another: null, no duplicate check, as in Go.
 */
function constantKey(v: Scalar): string | null {
  if (typeof v === "number" && Number.isInteger(v) && (v < -(2 ** 63) || v >= 2 ** 64)) return null;
  return `${typeof v}:${String(v)}`;
}
const BOOL = basic("bool") as BasicT;

/** The type Go gives an untyped constant in `x := constant`: int, float64, string or bool. */
function defaultType(x: TV): GoT | null {
  const v = x.v;
  if (typeof v === "number") return basic(x.kind === "float" ? "float64" : "int");
  if (typeof v === "string") return basic("string");
  if (typeof v === "boolean") return BOOL;
  return null;
}

function isInt(t: GoT): boolean {
  return t.k === "basic" && t.cls === "int";
}

function isMap(v: Val): v is MapVal {
  return typeof v === "object" && v.k === "map";
}
function isSlice(v: Val): v is SliceVal {
  return typeof v === "object" && v.k === "slice";
}
function isStruct(v: Val): v is StructVal {
  return typeof v === "object" && v.k === "struct";
}
function isRef(v: Val): v is RefVal {
  return typeof v === "object" && v.k === "ref";
}
