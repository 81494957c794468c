// The public map's hot methods (GoMap's get, lookup, has, set, delete, and its iteration),
// written once here as a part of the kernel (runtime/specialise.ts says why there are copies):
// each key kind's copy of this file is what that kind's maps run. They reach the map through
// MapFields, the fields gomap.ts's GoMap keeps; gomap.ts declares their types.
import { GoMapError } from "../../errors.js";
import { checkCallback } from "../../options.js";
import type { AnyType } from "../../types/type.js";
import type { HMap } from "../hmap.js";
import { Hiter, mapiterinit, mapiternext } from "../iterate.js";
import { GoMapEntryIterator, GoMapKeyIterator, GoMapValueIterator } from "./iterator.js";
import type { Ops } from "./ops.js";

/** What mapMethods read of the map they are called on: GoMap's fields (gomap.ts). */
export interface MapFields {
  /** The map's runtime handle; null for a nil map. */
  readonly h: HMap | null;
  /** The hot paths for the map's type pair, from this copy of the kernel. */
  readonly ops: Ops;
  readonly keyType: AnyType;
  readonly valueType: AnyType;
}

/**
 * GoMap's get, lookup, has, set, delete and iteration (keys, values, entries, for..of,
 * forEach), as this copy's own source. gomap.ts puts each copy's on a prototype of its own,
 * one per key kind, so that a call to m.get in a loop over u32 maps reaches this copy alone
 * and V8 can inline all of it (one method shared by every kind would see every kind's ops,
 * and V8 would call them, not inline them). A nil map reads as empty and refuses set, as in
 * Go; its keys and values are checked all the same. Iteration is in Go's random order.
 */
export const mapMethods = {
  get(this: MapFields, key: unknown): unknown {
    return this.ops.get(this.h, key);
  },

  lookup(this: MapFields, key: unknown): [unknown, boolean] {
    // get's path (no stored value reads as undefined, so undefined is a miss) and one pair
    // made in one place: a loop that inlines lookup and destructures the pair then never
    // allocates it (iterator.ts says why one place). Every byte here counts against V8's
    // inlining budget, which lookup's whole path (this, ops.get, mapaccess, find, the hash,
    // and the miss's zero value) fits for u32 keys with 3 bytes to spare: see "`lookup`, and
    // the budget" in docs/performance.md. The zero value is read here, not through a helper:
    // once lookup has met a miss, V8 inlines the helper too, and its 15 bytes took the path
    // past the budget (lookup was then a call that allocated its pair).
    const v = this.ops.get(this.h, key);
    const ok = v !== undefined;
    return [ok ? v : this.valueType.zero(), ok];
  },

  has(this: MapFields, key: unknown): boolean {
    return this.ops.has(this.h, key);
  },

  set<T extends MapFields>(this: T, key: unknown, value: unknown): T {
    const h = this.h;
    if (h === null) {
      this.keyType.check(key, "key");
      this.valueType.check(value, "value");
      throw new GoMapError("assignment to entry in nil map");
    }
    this.ops.set(h, key, value);
    return this;
  },

  delete(this: MapFields, key: unknown): boolean {
    this.keyType.check(key, "key");
    const h = this.h;
    return h !== null && h.rt.mapdelete(h, key);
  },

  keys(this: MapFields): IterableIterator<unknown> {
    return new GoMapKeyIterator(this, this.h);
  },

  values(this: MapFields): IterableIterator<unknown> {
    return new GoMapValueIterator(this, this.h);
  },

  entries(this: MapFields): IterableIterator<[unknown, unknown]> {
    return new GoMapEntryIterator(this, this.h);
  },

  [Symbol.iterator](this: MapFields): IterableIterator<[unknown, unknown]> {
    return new GoMapEntryIterator(this, this.h);
  },

  forEach(this: MapFields, fn: (value: unknown, key: unknown, map: MapFields) => void, thisArg?: unknown): void {
    checkCallback(fn, "GoMap.forEach");
    const h = this.h;
    if (h === null) return;
    const it = new Hiter(h);
    if (!mapiterinit(it)) return;
    try {
      while (mapiternext(it)) {
        const value = this.valueType.read(h.heap, it.elemOff);
        const key = this.keyType.read(h.heap, it.keyOff);
        // A plain call when there is no thisArg (the same call: `this` is undefined either
        // way): V8 inlines fn here, where through .call it did not (20 ns an entry against 14).
        if (thisArg === undefined) fn(value, key, this);
        else fn.call(thisArg, value, key, this);
      }
    } finally {
      it.finish();
    }
  },
};
