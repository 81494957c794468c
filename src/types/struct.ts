// struct({...}): Go's struct types, laid out as the Go compiler lays them out.
//
// Layout: fields in the order of the object's keys (JS order: integer-like keys first, then
// insertion order), each at the next offset that is a multiple of its alignment; the struct's
// alignment is the largest field alignment (1 with no fields); its size is rounded up to it.
// Like Go (issue 9401), a non-empty struct whose last field has size 0 gets one byte of
// padding before the rounding, so that field's address stays inside the struct.
//
//   struct({ a: u8, b: f64, c: u16 })   align 8, size 24
//   0   1               8               16  18              24
//   +---+---------------+---------------+---+---------------+
//   | a |  padding      |       b       | c |  padding      |
//   +---+---------------+---------------+---+---------------+
//
// Values are plain objects. A field the object leaves out (or sets to undefined) means the
// field's zero value, as in a Go composite literal; a key that is not a field is an error.
//
// Invariants:
// - hash chains the fields as Go's generated struct hashers do: h = seed; for each field
//   lo = field.hash(value, h), h = lo ^ hi; the struct's hash is the last field's (lo, hi), and
//   hash32(0, seed) with no fields. hashAt chains the stored fields the same way, so they agree.
// - equal/equalAt are Go's ==, field by field: reflexive only if every field is, needs a key
//   update if any field does, owns memory if any field does.
// - write is all-or-nothing: the string blocks of every field are allocated first, and only
//   when all of them succeeded are the old blocks freed and the fields written. A failed
//   allocation frees what this write allocated and leaves the slot as it was.
// - Padding bytes stay zero (a slot starts zeroed and only fields are ever written).
//
// The hot paths (read, zero, check's quick pass, the write of a struct that owns no memory,
// hash, equal) are generated per struct type as straight-line source (compileAccessors); the
// loops over the fields stay as the fallback where generated code is refused, and give the
// same results.
//
// view(slot) gives an object whose getters and setters read and write a stored struct in
// place. Every access first calls slot.offset(), which the runtime makes throw once the entry
// has moved, so a stale view can never read or write someone else's bytes.
import { hash32, hashOut } from "../hash/hash.js";
import { View } from "../memory/heap.js";
import type { Heap } from "../memory/heap.js";
import { BytesType, MAX_BYTES } from "./bytes.js";
import { describe, fieldPath, wrongKind } from "./reject.js";
import { StringType, refuseLoneSurrogates, string as stringType } from "./string.js";
import { isGoType } from "./type.js";
import type { AnyType, GoType, In, Out } from "./type.js";

/** Where a view's struct lives: the runtime hands one of these to view(). */
export interface Slot {
  /** The heap the struct is in (re-read on every access: allocation may replace its views). */
  heap(): Heap;
  /** The struct's byte offset now; throws once the slot is stale. */
  offset(): number;
  /** What the struct is, for error messages: "value" for a map's value, "value.inner" below it. */
  path(): string;
}

/** One field of a struct type, in layout order. */
export interface StructField {
  readonly name: string;
  readonly type: AnyType;
  /** Byte offset from the start of the struct. */
  readonly offset: number;
}

/** What reads of a struct with fields F give back: every field present. */
export type StructOut<F extends Record<string, AnyType>> = { [K in keyof F]: Out<F[K]> };
/** What writes of a struct with fields F accept: a missing field is its zero value. */
export type StructIn<F extends Record<string, AnyType>> = { [K in keyof F]?: In<F[K]> | undefined };

/** A field as the hot paths see it. */
interface Field {
  readonly name: string;
  readonly type: AnyType;
  readonly offset: number;
  /** The value stands for a missing field (0, "", false, a shared zero byte array, {}). */
  readonly zeroIn: unknown;
  /** The name is also a property of Object.prototype ("constructor", "toString"...): reads must check it is own. */
  readonly guard: boolean;
  /** The field's type when it is a struct of this module, else null. */
  readonly sub: StructType | null;
}

/** A non-struct field reached through nested structs, with its offset from the outer struct. */
interface Leaf {
  readonly type: AnyType;
  readonly offset: number;
  /** The leaf is a string: write() stages its bytes before touching the slot. */
  readonly str: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;
/** The input standing for a missing struct field: every field of it is missing too. */
const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

const SLOT = Symbol("gomap.slot");
const TYPE = Symbol("gomap.type");
const NESTED = Symbol("gomap.nested");

/** Base of every struct view: the slot it reads, its type, and its nested views made so far. */
abstract class StructView {
  [SLOT]: Slot;
  [TYPE]: StructType;
  [NESTED]: (StructView | undefined)[] | null;

  constructor(slot: Slot, type: StructType) {
    this[SLOT] = slot;
    this[TYPE] = type;
    this[NESTED] = null;
    // Left extensible: Object.preventExtensions here (so that a misspelt field would throw in
    // strict code) doubled what a ref() costs, 53 -> 102 ns with a read of one field.
  }

  /** console.log and util.inspect show the struct's current value. */
  [Symbol.for("nodejs.util.inspect.custom")](): unknown {
    return materialize(this);
  }

  /** JSON.stringify gives the struct's current value, as it gives get()'s copy. */
  toJSON(): unknown {
    return materialize(this);
  }
}

/** The slot of a struct nested in another struct's slot. */
class NestedSlot implements Slot {
  constructor(
    private readonly parent: Slot,
    private readonly delta: number,
    private readonly name: string,
  ) {}
  heap(): Heap {
    return this.parent.heap();
  }
  offset(): number {
    return this.parent.offset() + this.delta;
  }
  path(): string {
    return `${this.parent.path()}.${this.name}`;
  }
}

/** The current value behind a view, as a plain object. */
function materialize(v: StructView): Record<string, unknown> {
  const slot = v[SLOT];
  const off = slot.offset();
  return v[TYPE].read(slot.heap(), off) as Record<string, unknown>;
}

/**
 * A struct input as a plain object: a view (ref()'s, or a nested one) read out of its slot now,
 * anything else as it is. For a caller that must read the input before it changes the map: a
 * view read later might find its entry moved by that change.
 */
export function plainInput(v: unknown): unknown {
  return v instanceof StructView ? materialize(v) : v;
}

/** A (checked) struct input's fields as a plain object: plainInput, typed for this file. */
function fieldsOf(v: unknown): Record<string, unknown> {
  return plainInput(v) as Record<string, unknown>;
}

/** The field `name` of a plain struct input, own properties only; undefined when missing. */
export function ownField(v: Record<string, unknown>, name: string): unknown {
  return hasOwn.call(v, name) ? v[name] : undefined;
}

/**
 * A copy of a checked input of type t that later changes to v can't reach: a [N]byte's bytes
 * copied, a struct's fields read once (a view's from its slot now) into a new plain object,
 * nested structs and byte arrays copied in turn. Other inputs are primitives, given back as
 * they are. For a caller that holds on to a key past its call (ref's view, update's store
 * after fn): the caller's Uint8Array or object may be reused for the next key meanwhile.
 */
export function inputCopy(t: AnyType, v: unknown): unknown {
  if (t instanceof BytesType) return new Uint8Array(v as Uint8Array);
  if (!(t instanceof StructType)) return v;
  const o = fieldsOf(v);
  const copy: Record<string, unknown> = {};
  const fs = t.fs;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    const x = fieldValue(o, f);
    if (x !== undefined) copy[f.name] = inputCopy(f.type, x);
  }
  return copy;
}

/**
 * Refuses a checked input of type t holding a string that can't be stored (a lone surrogate)
 * with the TypeError hashing or writing it would throw. check() leaves that scan to the
 * encoder, so that an ASCII key pays for none; this is for a caller that must refuse such a
 * key before it changes anything (set, which stages its value's bytes before the key is hashed).
 */
export function refuseUnstorable(t: AnyType, v: unknown): void {
  if (t instanceof StringType) {
    refuseLoneSurrogates(v as string);
    return;
  }
  if (!(t instanceof StructType)) return;
  const o = fieldsOf(v);
  const fs = t.fs;
  for (let i = 0; i < fs.length; i++) {
    const x = fieldValue(o, fs[i]);
    if (x !== undefined) refuseUnstorable(fs[i].type, x);
  }
}

/** The value of field f in a (plain, checked) struct input; undefined when missing. */
function fieldValue(v: Record<string, unknown>, f: Field): unknown {
  return f.guard ? ownField(v, f.name) : v[f.name];
}

// The write stack: leaf values, and the blocks staged for string leaves, of the struct writes
// in progress (a stack, so that a write reached from inside another cannot clobber it).
const vals: unknown[] = [];
const ptrs: number[] = [];
const lens: number[] = [];
let sp = 0;

export class StructType<F extends Record<string, AnyType> = Record<string, AnyType>>
  implements GoType<StructOut<F>, StructIn<F>>
{
  readonly kind = "struct";
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly reflexive: boolean;
  readonly needKeyUpdate: boolean;
  readonly ownsMemory: boolean;
  readonly heapViews: number;
  /** The fields in layout order, with their offsets. */
  readonly fields: readonly StructField[];
  /** @internal The fields as the hot paths read them. */
  readonly fs: readonly Field[];
  private readonly index: Map<string, number>;
  private readonly leaves: readonly Leaf[];
  /** @internal The class of this type's views. */
  readonly View: new (slot: Slot) => StructView;
  /** A fresh object of the fields stored at `off` (generated per type: see compileAccessors). */
  readonly read: (heap: Heap, off: number) => StructOut<F>;
  /** A fresh object of the fields' zero values (generated per type, as read). */
  readonly zero: () => StructOut<F>;
  /** check()'s quick pass over a plain object: true when it is a valid value (generated). */
  private readonly checkQuick: (o: Record<string, unknown>) => boolean;
  /** Writes every field of a struct that owns no memory (no step can fail); generated. */
  private readonly writeFields: (heap: Heap, off: number, o: Record<string, unknown>) => void;
  /** hash() of a plain object; generated. */
  private readonly hashFields: (o: Record<string, unknown>, seed: number) => number;
  /** equal() against a plain object; generated. */
  private readonly equalFields: (heap: Heap, off: number, o: Record<string, unknown>) => boolean;

  constructor(spec: F) {
    const proto: unknown = typeof spec === "object" && spec !== null ? Object.getPrototypeOf(spec) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      // An array, a Map, a class instance: its fields would not be its own enumerable keys.
      throw new TypeError(`gomap: struct() wants a plain object of field types, got ${describe(spec)}`);
    }
    const names = Object.keys(spec);
    const fs: Field[] = [];
    const index = new Map<string, number>();
    let offset = 0;
    let align = 1;
    let reflexive = true;
    let needKeyUpdate = false;
    let ownsMemory = false;
    let heapViews = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const type: unknown = spec[name];
      if (name === "__proto__") throw new TypeError(`gomap: struct field name "__proto__" is not allowed`);
      if (!isGoType(type)) {
        throw new TypeError(`gomap: struct field "${name}" wants a gomap type (t.u32, t.string...), got ${describe(type)}`);
      }
      if (type.ownsMemory && !(type instanceof StringType) && !(type instanceof StructType)) {
        throw new TypeError(`gomap: struct field "${name}": ${type.name} owns heap memory but is not a gomap string or struct`);
      }
      const a = type.align;
      offset = Math.ceil(offset / a) * a;
      fs.push({
        name,
        type,
        offset,
        zeroIn: zeroInput(type),
        guard: name in Object.prototype,
        sub: type instanceof StructType ? type : null,
      });
      index.set(name, i);
      offset += type.size;
      if (a > align) align = a;
      reflexive &&= type.reflexive;
      needKeyUpdate ||= type.needKeyUpdate;
      ownsMemory ||= type.ownsMemory;
      heapViews |= type.heapViews ?? View.all;
    }
    if (fs.length > 0 && offset > 0 && fs[fs.length - 1].type.size === 0) offset++;
    const size = Math.ceil(offset / align) * align;
    this.name = `struct{${fs.map((f) => `${f.name} ${f.type.name}`).join("; ")}}`;
    if (size > MAX_BYTES) throw new RangeError(`gomap: ${this.name} is ${size} bytes, more than ${MAX_BYTES}`);
    this.size = size;
    this.align = align;
    this.reflexive = reflexive;
    this.needKeyUpdate = needKeyUpdate;
    this.ownsMemory = ownsMemory;
    this.heapViews = heapViews;
    this.fields = Object.freeze(fs.map((f) => Object.freeze({ name: f.name, type: f.type, offset: f.offset })));
    this.fs = fs;
    this.index = index;
    const leaves: Leaf[] = [];
    collectLeaves(fs, 0, leaves);
    this.leaves = leaves;
    this.View = makeViewClass(this, fs);
    const a = compileAccessors<StructOut<F>>(fs) ?? this.loopAccessors();
    this.read = a.read;
    this.zero = a.zero;
    this.checkQuick = a.checkQuick;
    this.writeFields = a.writeFields;
    this.hashFields = a.hashFields;
    this.equalFields = a.equalFields;
  }

  /** The accessors where generated code is refused: the loops over the fields. */
  private loopAccessors(): Accessors<StructOut<F>> {
    return {
      read: (heap, off) => this.readLoop(heap, off),
      zero: () => this.zeroLoop(),
      checkQuick: () => false, // every value takes check()'s exact pass
      writeFields: (heap, off, o) => this.writeFieldsLoop(heap, off, o),
      hashFields: (o, seed) => this.hashLoop(o, seed),
      equalFields: (heap, off, o) => this.equalLoop(heap, off, o),
    };
  }

  check(v: unknown, what?: string): asserts v is StructIn<F> {
    if (typeof v !== "object" || v === null) throw wrongKind(v, this.name, what);
    if (v instanceof StructView) {
      const vt = v[TYPE];
      if (vt === (this as StructType)) return;
      if (vt.name !== this.name) {
        throw new TypeError(`gomap: cannot use a view of ${vt.name} as ${this.name}${what === undefined ? "" : " " + what}`);
      }
      // Another type of the same layout can still read differently (an int64 field as bigint
      // here, asNumber there, whose range is 2^53): its value is checked field by field.
      this.checkExact(materialize(v), what);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw wrongKind(v, this.name, what);
    const o = v as Record<string, unknown>;
    try {
      if (this.checkQuick(o)) return;
    } catch {
      // The exact pass below finds the problem again and names the field's whole path.
    }
    this.checkExact(o, what);
  }

  /** check() field by field: throws for the first unknown key, then the first bad field. */
  private checkExact(o: Record<string, unknown>, what: string | undefined): void {
    for (const k in o) {
      if (!this.index.has(k) && hasOwn.call(o, k)) {
        throw new TypeError(`gomap: unknown field ${JSON.stringify(k)} in ${this.name}${what === undefined ? "" : " " + what}`);
      }
    }
    const fs = this.fs;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      const x = fieldValue(o, f);
      if (x !== undefined) {
        const ft: AnyType = f.type;
        ft.check(x, fieldPath(what, f.name));
      }
    }
  }

  hash(v: StructIn<F>, seed: number): number {
    const o = fieldsOf(v);
    return this.hashFields(o, seed);
  }

  /** hash() where generated code is refused. */
  private hashLoop(o: Record<string, unknown>, seed: number): number {
    const fs = this.fs;
    const n = fs.length;
    if (n === 0) return hash32(0, seed);
    let h = seed;
    let lo = 0;
    for (let i = 0; i < n; i++) {
      const f = fs[i];
      let x = fieldValue(o, f);
      if (x === undefined) x = f.zeroIn;
      lo = f.type.hash(x, h);
      h = (lo ^ hashOut.hi) >>> 0;
    }
    return lo;
  }

  hashAt(heap: Heap, off: number, seed: number): number {
    const fs = this.fs;
    const n = fs.length;
    if (n === 0) return hash32(0, seed);
    let h = seed;
    let lo = 0;
    for (let i = 0; i < n; i++) {
      const f = fs[i];
      lo = f.type.hashAt(heap, off + f.offset, h);
      h = (lo ^ hashOut.hi) >>> 0;
    }
    return lo;
  }

  equal(heap: Heap, off: number, v: StructIn<F>): boolean {
    const o = fieldsOf(v);
    return this.equalFields(heap, off, o);
  }

  /** equal() where generated code is refused. */
  private equalLoop(heap: Heap, off: number, o: Record<string, unknown>): boolean {
    const fs = this.fs;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      let x = fieldValue(o, f);
      if (x === undefined) x = f.zeroIn;
      if (!f.type.equal(heap, off + f.offset, x)) return false;
    }
    return true;
  }

  equalAt(heap: Heap, a: number, b: number): boolean {
    const fs = this.fs;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (!f.type.equalAt(heap, a + f.offset, b + f.offset)) return false;
    }
    return true;
  }

  write(heap: Heap, off: number, v: StructIn<F>): void {
    if (!this.ownsMemory) {
      this.writeFields(heap, off, fieldsOf(v));
      return;
    }
    this.commitWrite(heap, off, this.stageWrite(heap, v));
  }

  /**
   * @internal write()'s first half, for a struct that owns memory: reads each leaf of v once
   * and allocates every string's bytes, keeping both on the write stack, and returns their
   * frame. The slot is not touched, so a failure (no memory, a string with a lone surrogate)
   * frees what was staged and changes nothing. Other writes may run while the frame waits for
   * commitWrite or dropWrite, which pop it: they push theirs above it and pop them first.
   */
  stageWrite(heap: Heap, v: StructIn<F>): number {
    const o = fieldsOf(v);
    const leaves = this.leaves;
    const n = leaves.length;
    const base = sp;
    sp = base + n;
    let k = 0;
    try {
      this.gather(o, base);
      for (; k < n; k++) {
        if (leaves[k].str) {
          ptrs[base + k] = stringType.stage(heap, vals[base + k] as string);
          lens[base + k] = stringType.stagedLen;
        }
      }
    } catch (err) {
      for (let j = 0; j < k; j++) {
        if (leaves[j].str) heap.free(ptrs[base + j]);
      }
      this.pop(base);
      throw err;
    }
    return base;
  }

  /** @internal write()'s second half: stores the frame stageWrite made at off, and pops it. Allocates nothing, so cannot fail. */
  commitWrite(heap: Heap, off: number, base: number): void {
    const leaves = this.leaves;
    try {
      for (let k = 0; k < leaves.length; k++) {
        const l = leaves[k];
        if (l.str) stringType.commit(heap, off + l.offset, ptrs[base + k], lens[base + k], vals[base + k] as string);
        else l.type.write(heap, off + l.offset, vals[base + k]);
      }
    } finally {
      this.pop(base);
    }
  }

  /** @internal Frees what stageWrite staged in the frame at base, and pops it. */
  dropWrite(heap: Heap, base: number): void {
    const leaves = this.leaves;
    for (let k = 0; k < leaves.length; k++) {
      if (leaves[k].str) heap.free(ptrs[base + k]);
    }
    this.pop(base);
  }

  /** Clears this struct's frame at base off the write stack. */
  private pop(base: number): void {
    for (let k = 0; k < this.leaves.length; k++) vals[base + k] = undefined;
    sp = base;
  }

  /** writeFields where generated code is refused. */
  private writeFieldsLoop(heap: Heap, off: number, o: Record<string, unknown>): void {
    const fs = this.fs;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      let x = fieldValue(o, f);
      if (x === undefined) x = f.zeroIn;
      f.type.write(heap, off + f.offset, x);
    }
  }

  /** Puts the value of every leaf of o, in leaf order, into vals[k...]; returns the next k. */
  private gather(o: Record<string, unknown>, k: number): number {
    const fs = this.fs;
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      let x = fieldValue(o, f);
      if (x === undefined) x = f.zeroIn;
      if (f.sub !== null) {
        const sub = fieldsOf(x);
        k = f.sub.gather(sub, k);
      } else {
        vals[k++] = x;
      }
    }
    return k;
  }

  /** read() where generated code is refused: the same object, one keyed store a field. */
  private readLoop(heap: Heap, off: number): StructOut<F> {
    const fs = this.fs;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      o[f.name] = f.type.read(heap, off + f.offset);
    }
    return o as StructOut<F>;
  }

  release(heap: Heap, off: number): void {
    if (this.ownsMemory) {
      const leaves = this.leaves;
      for (let k = 0; k < leaves.length; k++) {
        const l = leaves[k];
        if (l.type.ownsMemory) l.type.release(heap, off + l.offset);
      }
    }
    heap.zero(off, this.size);
  }

  /** zero() where generated code is refused. */
  private zeroLoop(): StructOut<F> {
    const fs = this.fs;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < fs.length; i++) o[fs[i].name] = fs[i].type.zero();
    return o as StructOut<F>;
  }

  /**
   * A live view of the struct stored at slot: a getter and a setter per field (nested structs
   * give nested views). Every access calls slot.offset() first, so a stale slot throws;
   * setters check the value, then write it as write() would (strings: new block first).
   */
  view(slot: Slot): StructOut<F> {
    return new this.View(slot) as unknown as StructOut<F>;
  }
}

interface Accessors<T> {
  read: (heap: Heap, off: number) => T;
  zero: () => T;
  checkQuick: (o: Record<string, unknown>) => boolean;
  writeFields: (heap: Heap, off: number, o: Record<string, unknown>) => void;
  hashFields: (o: Record<string, unknown>, seed: number) => number;
  equalFields: (heap: Heap, off: number, o: Record<string, unknown>) => boolean;
}

/**
 * The hot paths of one struct type as generated source, each a straight line over the fields
 * with their names as constant keys, where the loops they replace went field by field through
 * keyed loads and stores whose type feedback every struct type in the program shared:
 * - read() and zero() return an object literal, so each object has its final hidden class
 *   from the start, and each field is read by a call whose one target V8 sees (a get of a
 *   six-field struct: 126 ns by the loop, 34 generated; of an f64, 25);
 * - checkQuick(o) checks each field's value, counts the fields o has, and says whether o's
 *   own enumerable keys are just those: true means o is a valid value. Any other outcome
 *   (false, or a throw) sends check() to its exact pass, which names what is wrong;
 * - writeFields(heap, off, o) writes each field, or its zero where o leaves it out;
 * - hashFields and equalFields are hash() and equal() over a plain object, the fields chained
 *   as the header says (a get by a {u32, u16} key: 83 ns by the loops).
 * A field whose name Object.prototype has (toString...) is read only when it is o's own. (A
 * non-enumerable property Object.prototype gains after the type is made, named like a field,
 * is read as the field, as the loops read it too; checkQuick then counts it as present, so a
 * value with that field left out and one unknown key would pass where the exact pass would
 * name the key.)
 * Names are written as JSON strings; "__proto__", which a literal would take as the
 * prototype, is refused before this. null where the platform forbids generated code (a
 * browser page whose Content-Security-Policy lacks 'unsafe-eval'): the loops serve then.
 */
function compileAccessors<T>(fs: readonly Field[]): Accessors<T> | null {
  const key = (i: number): string => JSON.stringify(fs[i].name);
  const value = (i: number): string => (fs[i].guard ? `(hasOwn.call(o, ${key(i)}) ? o[${key(i)}] : undefined)` : `o[${key(i)}]`);
  const literal = (field: (i: number) => string): string => `{ ${fs.map((_, i) => `${key(i)}: ${field(i)}`).join(", ")} }`;
  const each = (step: (i: number) => string): string => fs.map((_, i) => step(i)).join(" ");
  const hashSteps = each((i) => `x = ${value(i)}; lo = t${i}.hash(x === undefined ? z${i} : x, h); h = (lo ^ hashOut.hi) >>> 0;`);
  const source =
    `"use strict"; return {` +
    ` read(heap, off) { return ${literal((i) => `t${i}.read(heap, off + ${fs[i].offset})`)}; },` +
    ` zero() { return ${literal((i) => `t${i}.zero()`)}; },` +
    ` checkQuick(o) { let n = 0, x;` +
    ` ${each((i) => `x = ${value(i)}; if (x !== undefined) { n++; t${i}.check(x); } else if (hasOwn.call(o, ${key(i)})) n++;`)}` +
    ` let keys = 0; for (const k in o) keys++; return keys === n; },` +
    ` writeFields(heap, off, o) { let x;` +
    ` ${each((i) => `x = ${value(i)}; t${i}.write(heap, off + ${fs[i].offset}, x === undefined ? z${i} : x);`)} },` +
    ` hashFields(o, seed) { ${fs.length === 0 ? "return hash32(0, seed);" : `let h = seed, lo = 0, x; ${hashSteps} return lo;`} },` +
    ` equalFields(heap, off, o) { let x;` +
    ` ${each((i) => `x = ${value(i)}; if (!t${i}.equal(heap, off + ${fs[i].offset}, x === undefined ? z${i} : x)) return false;`)}` +
    ` return true; },` +
    ` };`;
  const params = [...fs.map((_, i) => `t${i}`), ...fs.map((_, i) => `z${i}`), "hasOwn", "hash32", "hashOut"];
  try {
    return new Function(...params, source)(...fs.map((f) => f.type), ...fs.map((f) => f.zeroIn), hasOwn, hash32, hashOut) as Accessors<T>;
  } catch {
    return null;
  }
}

/** The input standing for a field left out of a struct value. */
function zeroInput(type: AnyType): unknown {
  if (type instanceof StructType) return EMPTY;
  if (type instanceof BytesType) return type.zeroInput();
  return type.zero();
}

function collectLeaves(fs: readonly Field[], base: number, out: Leaf[]): void {
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    if (f.sub !== null) collectLeaves(f.sub.fs, base + f.offset, out);
    else out.push({ type: f.type, offset: base + f.offset, str: f.type instanceof StringType });
  }
}

/**
 * A view class for one struct type: accessors on the prototype, one per field. A field named
 * toJSON hides StructView's toJSON, and JSON.stringify would then find no fields at all (they
 * are the prototype's, not the view's own): views of such a type get the accessors as their
 * own properties too (ownFieldsView), so JSON.stringify writes every field, as it does for
 * get()'s copy.
 */
function makeViewClass(type: StructType, fs: readonly Field[]): new (slot: Slot) => StructView {
  const View = class extends StructView {
    constructor(slot: Slot) {
      super(slot, type);
    }
  };
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    const ft: AnyType = f.type;
    const delta = f.offset;
    const name = f.name;
    const sub = f.sub;
    Object.defineProperty(View.prototype, name, {
      enumerable: true,
      configurable: false,
      get:
        sub === null
          ? function (this: StructView): unknown {
              const slot = this[SLOT];
              const off = slot.offset();
              return ft.read(slot.heap(), off + delta);
            }
          : function (this: StructView): unknown {
              const slot = this[SLOT];
              slot.offset(); // throws if stale, even when the nested view is cached
              let nested = this[NESTED];
              if (nested === null) nested = this[NESTED] = new Array<StructView | undefined>(fs.length);
              let v = nested[i];
              if (v === undefined) v = nested[i] = new sub.View(new NestedSlot(slot, delta, name));
              return v;
            },
      set(this: StructView, x: unknown): void {
        const slot = this[SLOT];
        const off = slot.offset();
        // A failed check is made again with the field's whole path ("value.inner.age"), built
        // only then: a view class serves every place its struct type is nested, so the path
        // is the slot's to say. The try is written here, not in a helper: V8 did not inline
        // the helper, and a field write took 4.3 ns instead of 3.0.
        try {
          ft.check(x, name);
        } catch {
          ft.check(x, `${slot.path()}.${name}`);
        }
        ft.write(slot.heap(), off + delta, x);
      },
    });
  }
  return fs.some((f) => f.name === "toJSON") ? ownFieldsView(View, fs) : View;
}

/**
 * View's class for a struct with a field named toJSON (makeViewClass): each view also gets the
 * fields' accessors as its own properties. A subclass, so that other views pay nothing for it.
 */
function ownFieldsView(View: new (slot: Slot) => StructView, fs: readonly Field[]): new (slot: Slot) => StructView {
  const own: PropertyDescriptorMap = {};
  for (const f of fs) own[f.name] = Object.getOwnPropertyDescriptor(View.prototype, f.name) as PropertyDescriptor;
  return class extends View {
    constructor(slot: Slot) {
      super(slot);
      Object.defineProperties(this, own);
    }
  };
}

/** A Go struct type with the given fields (see the layout rules at the top of this file). */
export function struct<F extends Record<string, AnyType>>(fields: F): StructType<F> {
  return new StructType(fields);
}

/** Whether t is a struct type made by struct(). */
export function isStructType(t: unknown): t is StructType {
  return t instanceof StructType;
}
