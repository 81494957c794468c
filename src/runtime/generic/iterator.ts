// The iterator behind a GoMap's keys(), values(), entries() and for..of: a Go iteration
// (runtime/iterate.ts, mapiterinit and mapiternext) behind the JS iterator protocol. A part of
// the kernel (runtime/specialise.ts): each key kind's copy has its own classes, so a for..of
// over u32 maps calls a next() that reads u32 keys alone, whatever else the program iterates;
// keys(), values() and entries() each have a class, so each next() yields one kind of value.
//
// An iterator holds its map's heap from its first step to its last (Hiter); one dropped
// before its end lets go when it is collected (the registry below) or when its return() runs,
// as a for..of's break does.
import { Hiter, mapiterinit, mapiternext } from "../iterate.js";
import type { HMap } from "../hmap.js";
import type { MapFields } from "./methods.js";

/** Frees the heap hold of iterators dropped before they finished. */
const abandoned = new FinalizationRegistry<Hiter>((it) => it.finish());

/**
 * A [key, value] pair as an array whose elements may be any value from the start. A literal of
 * the two numbers would make a double array when the key is past the small-integer range (a
 * u32 over 2^30), and V8 then reads a for..of's `const [k, v]` out of it slowly: pairs alone
 * took 30 ns each against 20 this way, and a for..of over a u32 map of 1e4 entries 40 against 35.
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

  constructor(
    protected readonly m: MapFields,
    h: HMap | null,
  ) {
    this.it = h === null ? null : new Hiter(h);
    this.started = false;
  }

  abstract next(): IteratorResult<R>;

  /** Moves the iteration to its next entry; false when it is over. */
  protected advance(): boolean {
    const it = this.it;
    if (it === null) return false;
    if (this.started === false) {
      this.started = true;
      if (!mapiterinit(it)) return false;
      abandoned.register(this, it, it);
    }
    let more: boolean;
    try {
      more = mapiternext(it);
    } catch (err) {
      this.return();
      throw err;
    }
    if (!more) abandoned.unregister(it);
    return more;
  }

  return(): IteratorResult<R> {
    if (this.it !== null) {
      this.it.finish();
      abandoned.unregister(this.it);
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<R> {
    return this;
  }
}

// Each next() below reads its key or value on every step, the type's zero value once the
// iteration is over, and puts it in one result object made in one place. V8 then drops both
// the result object and an entries() pair whenever it inlines next() into a for..of: the pair
// and the result each exist on one path only, so nothing escapes. A value of `undefined` when
// done, as JS's own iterators give, would meet the read value at a merge, and V8 gives up on
// any object that reaches a merge (a for..of over a u32 map of 1e5 entries then allocated a
// pair each step, and took 22-27 ns an entry against 20). Nothing reads the value of a done
// result but code calling next() by hand, which is told in the README.

/** keys(): each key, then the key type's zero value when done. */
export class GoMapKeyIterator extends GoMapIteratorBase<unknown> {
  next(): IteratorResult<unknown> {
    const more = this.advance();
    const kt = this.m.keyType;
    const k = more ? kt.read((this.it as Hiter).h.heap, (this.it as Hiter).keyOff) : kt.zero();
    return { done: !more, value: k };
  }
}

/** values(): each value, then the value type's zero value when done. */
export class GoMapValueIterator extends GoMapIteratorBase<unknown> {
  next(): IteratorResult<unknown> {
    const more = this.advance();
    const vt = this.m.valueType;
    const v = more ? vt.read((this.it as Hiter).h.heap, (this.it as Hiter).elemOff) : vt.zero();
    return { done: !more, value: v };
  }
}

/** entries() and for..of: each [key, value] pair, then a pair of zero values when done. */
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
      k = m.keyType.zero();
      v = m.valueType.zero();
    }
    return { done: !more, value: entry(k, v) };
  }
}
