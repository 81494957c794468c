// The iterator behind a GoMap's keys(), values(), entries() and for..of: a Go iteration
// (runtime/iterate.ts, mapiterinit and mapiternext) behind the JS iterator protocol. A part of
// the kernel (runtime/specialise.ts): each key kind's copy has its own class, so a for..of
// over u32 maps calls a next() that reads u32 keys alone, whatever else the program iterates.
//
// An iterator holds its map's heap from its first step to its last (Hiter); one dropped
// before its end lets go when it is collected (the registry below) or when its return() runs,
// as a for..of's break does.
import { Hiter, mapiterinit, mapiternext } from "../iterate.js";
import type { HMap } from "../hmap.js";
import type { MapFields } from "./methods.js";

/** What an iterator yields: keys, values, or [key, value] pairs. */
export type IterKind = 0 | 1 | 2;
export const KEYS: IterKind = 0;
export const VALUES: IterKind = 1;
export const ENTRIES: IterKind = 2;

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

/** keys(), values() and entries(): a Go iteration behind the JS iterator protocol. */
export class GoMapIterator<R> implements IterableIterator<R> {
  private readonly it: Hiter | null;
  private started: boolean;

  constructor(
    private readonly m: MapFields,
    h: HMap | null,
    private readonly kind: IterKind,
  ) {
    this.it = h === null ? null : new Hiter(h);
    this.started = false;
  }

  next(): IteratorResult<R> {
    // One result object, made in one place: when V8 inlines next() into a for..of, it then
    // sees the object used only there and never allocates it (with a return per outcome, as
    // this was, every step allocated one).
    const more = this.advance();
    let value: unknown;
    if (more) {
      const it = this.it as Hiter;
      const heap = it.h.heap;
      const m = this.m;
      const kind = this.kind;
      if (kind === KEYS) value = m.keyType.read(heap, it.keyOff);
      else if (kind === VALUES) value = m.valueType.read(heap, it.elemOff);
      else value = entry(m.keyType.read(heap, it.keyOff), m.valueType.read(heap, it.elemOff));
    }
    return { done: !more, value: value as R };
  }

  /** Moves the iteration to its next entry; false when it is over. */
  private advance(): boolean {
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
