// The iterator behind a GoMap's keys(), values(), entries() and for..of: a Go iteration
// (runtime/iterate.ts, mapiterinit and mapiternext) behind the JS iterator protocol. A part of
// the kernel (runtime/specialise.ts): each key kind's copy has its own classes, so a for..of
// over u32 maps calls a next() that reads u32 keys alone, whatever else the program iterates;
// keys(), values() and entries() each have a class, so each next() yields one kind of value.
//
// An iterator holds its map's heap from its first step to its last (Hiter); one dropped
// before its end lets go when it is collected (the registry below) or when its return() runs,
// as a for..of's break does.
//
// The registry is told of an iterator only once the job that started it is over, or once
// WATCH_BATCH iterators have started since it was last told (watchLater): by then most have
// finished, and are never registered. A registration and its removal cost about 190 ns, more
// than a whole for..of over a map of five entries took without them (149 ns against 338).
// Until it is registered, an iterator is held in `unwatched`, so it cannot be collected
// unregistered.
import { Hiter, mapiterinit, mapiternext } from "../iterate.js";
import type { HMap } from "../hmap.js";
import type { MapFields } from "./methods.js";

/** Frees the heap hold of iterators dropped before they finished. */
const abandoned = new FinalizationRegistry<Hiter>((it) => it.finish());

/** Iterators started since the last watchAll(), which the registry does not know of yet. */
let unwatched: GoMapIteratorBase<unknown>[] = [];
/** The most iterators `unwatched` holds before they are handed to the registry. */
const WATCH_BATCH = 256;

/** Hands `iter` to the registry later, if it has not finished by then (see the header). */
function watchLater(iter: GoMapIteratorBase<unknown>): void {
  if (unwatched.length === 0) queueMicrotask(watchAll);
  unwatched.push(iter);
  if (unwatched.length >= WATCH_BATCH) watchAll();
}

/** Registers every iterator in `unwatched` that is still unfinished. */
function watchAll(): void {
  const list = unwatched;
  unwatched = [];
  for (let i = 0; i < list.length; i++) list[i].watch();
}

/**
 * A [key, value] pair as an array whose elements may be any value from the start. A literal of
 * the two numbers would make a double array when the key is past the small-integer range (a
 * u32 over 2^30), and V8 then reads a for..of's `const [k, v]` out of it slowly: pairs alone
 * took 30 ns each against 20 this way, and a for..of over a u32 map of 1e4 entries 40 against 35.
 * Where V8 drops the pair (next() below), it drops this one more often than a literal's double
 * array, which kept its elements' allocation in runs here.
 */
function entry(key: unknown, value: unknown): [unknown, unknown] {
  const e: [unknown, unknown] = [undefined, undefined];
  e[0] = key;
  e[1] = value;
  return e;
}

/**
 * What keys(), values() and entries() share: a Go iteration behind the JS iterator protocol.
 * Each kind is a class of its own, with a next() that yields one kind of value only, so that
 * V8, inlining next() into a for..of, sees that value made in one place and used only there.
 */
abstract class GoMapIteratorBase<R> implements IterableIterator<R> {
  protected readonly it: Hiter | null;
  private started: boolean;
  /** The registry knows of this iterator (watchLater). */
  private watched: boolean;

  constructor(
    protected readonly m: MapFields,
    h: HMap | null,
  ) {
    this.it = h === null ? null : new Hiter(h);
    this.started = false;
    this.watched = false;
  }

  abstract next(): IteratorResult<R>;

  /** Moves the iteration to its next entry; false when it is over. */
  protected advance(): boolean {
    const it = this.it;
    if (it === null) return false;
    if (this.started === false) {
      this.started = true;
      if (!mapiterinit(it)) return false;
      watchLater(this as GoMapIteratorBase<unknown>);
    }
    let more: boolean;
    try {
      more = mapiternext(it);
    } catch (err) {
      this.return();
      throw err;
    }
    if (!more && this.watched === true) abandoned.unregister(it);
    return more;
  }

  /** Registers this iterator, unless it has finished (its hold then is already gone). */
  watch(): void {
    const it = this.it;
    if (it === null || it.holding === false || this.watched === true) return;
    this.watched = true;
    abandoned.register(this, it, it);
  }

  return(): IteratorResult<R> {
    // Over for good, as a generator's return() makes it, even before the first next().
    this.started = true;
    if (this.it !== null) {
      this.it.finish();
      if (this.watched === true) abandoned.unregister(this.it);
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<R> {
    return this;
  }
}

// Each next() below reads its key or value on every step, takes Done.value once the iteration
// is over, and puts it in one result object made in one place. V8 then drops both the result
// object and an entries() pair whenever it inlines next() into a for..of: the pair and the
// result each come from one place, so nothing escapes. Two things would undo that (measured
// on a u32 map of 1e5 entries with keys over the whole u32 range, `for (const [, v] of m)`):
// - `undefined` when done, as JS's own iterators give: it meets the read value at a merge,
//   and V8 gives up on any object that reaches one: a pair allocated each step, 22-27 ns an
//   entry;
// - the type's zero value when done: V8 does not inline a call made once per iteration, so
//   its result is a tagged value, and a u32 key past the small-integer range (2^31) met at the
//   merge had to become a heap number on every step: 19 ns an entry, against 13 with the constant.
// Nothing reads the value of a done result but code that calls next() by hand; the README
// says what it is.

/**
 * A done result's value (or both halves of a done entries() pair). A const enum, so tsc
 * writes it as the number: V8 must see a constant here, and reads an imported or module-level
 * const as a load (19 ns an entry, as with the zero value).
 */
export const enum Done {
  value = 0,
}

/** keys(): each key, then Done.value. */
export class GoMapKeyIterator extends GoMapIteratorBase<unknown> {
  next(): IteratorResult<unknown> {
    const more = this.advance();
    const it = this.it as Hiter;
    const k = more ? this.m.keyType.read(it.h.heap, it.keyOff) : Done.value;
    return { done: !more, value: k };
  }
}

/** values(): each value, then Done.value. */
export class GoMapValueIterator extends GoMapIteratorBase<unknown> {
  next(): IteratorResult<unknown> {
    const more = this.advance();
    const it = this.it as Hiter;
    const v = more ? this.m.valueType.read(it.h.heap, it.elemOff) : Done.value;
    return { done: !more, value: v };
  }
}

/** entries() and for..of: each [key, value] pair, then [Done.value, Done.value]. */
export class GoMapEntryIterator extends GoMapIteratorBase<[unknown, unknown]> {
  next(): IteratorResult<[unknown, unknown]> {
    const more = this.advance();
    const m = this.m;
    let k: unknown;
    let v: unknown;
    if (more) {
      const it = this.it as Hiter;
      const heap = it.h.heap;
      k = m.keyType.read(heap, it.keyOff);
      v = m.valueType.read(heap, it.elemOff);
    } else {
      k = Done.value;
      v = Done.value;
    }
    return { done: !more, value: entry(k, v) };
  }
}
