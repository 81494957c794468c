// The safe layer's hot paths, stamped out once per map type (K, V): check the key (and
// value), call the runtime, read or write the value. Made per type pair for the same reason
// runtime/specialise.ts makes the runtime per key type: inside each copy every call to the
// key's and the value's descriptor is monomorphic, so V8 inlines the whole get or set.
import { updateKeyBits } from "./runtime/assign.js";
import { mapdeleteAt } from "./runtime/delete.js";
import type { HMap, Runtime } from "./runtime/hmap.js";
import { specialise } from "./runtime/specialise.js";
import type { AnyType } from "./types/type.js";

export interface Ops {
  /** The value for key, or undefined. */
  get(h: HMap, key: unknown): unknown;
  /** Whether key is present. */
  has(h: HMap, key: unknown): boolean;
  /**
   * m[key] = value; a value that fails to store takes a key inserted for it away again.
   * Afterwards h.bucket and h.slot say where the entry is.
   */
  set(h: HMap, key: unknown, value: unknown): void;
}

const byTypes = new WeakMap<AnyType, WeakMap<AnyType, Ops>>();

/** The hot paths for maps of key type kt and value type vt (made once, on specialise(kt)). */
export function opsFor(kt: AnyType, vt: AnyType): Ops {
  let inner = byTypes.get(kt);
  if (inner === undefined) byTypes.set(kt, (inner = new WeakMap()));
  let ops = inner.get(vt);
  if (ops === undefined) inner.set(vt, (ops = makeOps(kt, vt, specialise(kt))));
  return ops;
}

function makeOps(kt: AnyType, vt: AnyType, rt: Runtime): Ops {
  return {
    get(h: HMap, key: unknown): unknown {
      kt.check(key, "key");
      const b = rt.mapaccess(h, key);
      if (b === 0) return undefined;
      return vt.read(h.heap, h.elemAt(b, h.slot));
    },
    has(h: HMap, key: unknown): boolean {
      kt.check(key, "key");
      return rt.mapaccess(h, key) !== 0;
    },
    set(h: HMap, key: unknown, value: unknown): void {
      kt.check(key, "key");
      vt.check(value, "value");
      const elem = rt.mapassign(h, key);
      const b = h.bucket;
      const i = h.slot;
      try {
        vt.write(h.heap, elem, value);
      } catch (err) {
        // Only an allocation can fail here; a key inserted for this value goes again.
        if (h.inserted) mapdeleteAt(h, h.head, b, i);
        throw err;
      }
      // Go stores the new key over an equal one (+0 by -0): only once the value is in.
      if (!h.inserted && h.t.needKeyUpdate) updateKeyBits(kt, h.heap, h.keyAt(b, i), key);
    },
  };
}
