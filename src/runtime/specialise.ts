// Binds the runtime's key-touching functions to one key type, once, as Go's compiler picks
// mapaccess1_fast32, _fast64, _faststr or the generic mapaccess1 for each map type.
//
// Each make*() in access.ts, assign.ts, delete.ts and grow.ts is a template: calling it
// creates new function objects, and V8 keeps type feedback per function object, so the copy
// made for uint32 keys sees only uint32's hash and ==, inlines them, and stays monomorphic
// however many other key types the program uses. One source, one test suite, one copy of
// machine code per key type: Go's map_fast32/64/str without the hand-kept near-copies.
import type { AnyType } from "../types/type.js";
import { makeMapaccess } from "./access.js";
import { makeMapassign } from "./assign.js";
import { makeMapdelete } from "./delete.js";
import { makeEvacuate } from "./grow.js";
import type { Runtime } from "./hmap.js";

const byKeyType = new WeakMap<AnyType, Runtime>();

/** The runtime functions for maps whose key type is kt (made on first use, then shared). */
export function specialise(kt: AnyType): Runtime {
  let rt = byKeyType.get(kt);
  if (rt === undefined) {
    rt = {
      ...makeMapaccess(kt),
      ...makeMapassign(kt),
      mapdelete: makeMapdelete(kt),
      evacuate: makeEvacuate(kt),
    };
    byKeyType.set(kt, rt);
  }
  return rt;
}
