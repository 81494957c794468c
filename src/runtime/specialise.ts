// Binds the runtime's key-touching functions to one key type, once, as Go's compiler picks
// mapaccess1_fast32, _fast64, _faststr or the generic mapaccess1 for each map type.
//
// Each make*() in access.ts, assign.ts, delete.ts and grow.ts is a template: calling it
// creates new function objects, whose constants (the key slot's size, whether keys are
// indirect) V8 folds into a caller that inlines them.
//
// What it does not give: type feedback of their own. V8 keeps feedback per function
// *literal*: every closure made from one literal shares it once there are two. So in a
// program with maps of several key types, the copies made for each see every type's hash and
// ==, and a call to them is polymorphic; V8 then inlines string's large hash and == beside
// uint32's small ones, or none. `npm run bench:lookup -- --mixed` measures it: a u32 get
// took 66 ns in the caches (164 at 1e6) in a process that had used string and u64 maps too,
// against 33 (122) in one that had not. Truly separate copies per key kind need separate
// source literals (Go keeps hand-written map_fast32/64/str for this reason): a build step
// that stamps them out is the way to it, not done yet.
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
