// The kernel: the code that touches keys on every operation (mapaccess, mapassign, mapdelete,
// evacuate; the safe layer's checked get/has/lookup/set over them, ops.ts; and the public
// map's methods and iterator over those, methods.ts and iterator.ts). This folder is the
// generic copy, the one to read and edit; the build copies it, unchanged but for a header, into
// fast32/, fast64/ and faststr/ beside it (scripts/stamp-kernels.mjs), and
// runtime/specialise.ts picks a copy by the key's kind. Why copies: see specialise.ts.
//
// Everything in this folder imports from outside it only code that no key type's feedback
// matters to (layout, growth's bookkeeping, mapiternext's walk, the heap), so each copy's hot
// paths see their own kind's keys alone.
import type { AnyType } from "../../types/type.js";
import type { Runtime } from "../hmap.js";
import { makeMapaccess } from "./access.js";
import { makeMapassign } from "./assign.js";
import { makeMapdelete } from "./delete.js";
import { makeEvacuate } from "./evacuate.js";

export { mapMethods } from "./methods.js";
export { makeOps, makeSharedOps } from "./ops.js";

/** The runtime's key-touching functions for key type kt, made from this copy. */
export function makeRuntime(kt: AnyType): Runtime {
  return {
    ...makeMapaccess(kt),
    ...makeMapassign(kt),
    mapdelete: makeMapdelete(kt),
    evacuate: makeEvacuate(kt),
  };
}
