// The safe layer's hot paths, stamped out once per map type (K, V) from the kernel of K's kind
// (runtime/specialise.ts, runtime/generic/ops.ts): in a program whose maps are all of one
// type pair every call in a copy is monomorphic, and V8 inlines the whole get or set; maps
// whose keys are of other kinds run other copies and leave this feedback alone.
import { kernelFor, specialise } from "./runtime/specialise.js";
import type { Ops } from "./runtime/generic/ops.js";
import type { AnyType } from "./types/type.js";

export type { Ops };

const byTypes = new WeakMap<AnyType, WeakMap<AnyType, Ops>>();
const sharedByTypes = new WeakMap<AnyType, WeakMap<AnyType, Ops>>();

/**
 * The hot paths for maps of key type kt and value type vt (made once, on specialise(kt)), for
 * a map of one thread or, with `shared`, for a map on a shared heap.
 */
export function opsFor(kt: AnyType, vt: AnyType, shared = false): Ops {
  const cache = shared ? sharedByTypes : byTypes;
  let inner = cache.get(kt);
  if (inner === undefined) cache.set(kt, (inner = new WeakMap()));
  let ops = inner.get(vt);
  if (ops === undefined) {
    const kernel = kernelFor(kt);
    ops = (shared ? kernel.makeSharedOps : kernel.makeOps)(kt, vt, specialise(kt));
    inner.set(vt, ops);
  }
  return ops;
}
