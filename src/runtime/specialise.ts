// Binds the runtime's key-touching functions to one key type, once, as Go's compiler picks
// mapaccess1_fast32, _fast64, _faststr or the generic mapaccess1 for each map type.
//
// Two levels:
// - Per key kind, a copy of the kernel's source (generic/ is the source; the build writes
//   fast32/, fast64/ and faststr/ from it, scripts/stamp-kernels.mjs). V8 keeps type feedback
//   per function *literal*, shared by every closure made from it, so only separate source
//   gives separate feedback: with one copy for all, a program with u32, u64 and string maps
//   had every call to hash and == see all three types, and V8 inlined string's large hash
//   beside uint32's small one, or nothing (a u32 get took 61-64 ns in the caches in such a
//   program, against 37 in a program with u32 maps alone). With a copy per kind it took 42,
//   and 37 once GoMap's get, has, lookup, set and delete came from the copies too (gomap.ts
//   puts them on a prototype per kind; `npm run bench:lookup -- --mixed`).
// - Per key type, within its kind's copy: make*() creates new function objects whose
//   constants (the key slot's size, whether keys are indirect) V8 folds into a caller that
//   inlines them. Key types of one kind (u32 and i32) share their copy's feedback.
//
// The kinds follow Go's fast paths: 4-byte integers, 8-byte integers, strings; every other key
// (bool, 1- and 2-byte integers, floats, byte arrays, structs) takes the generic copy.
import type { AnyType } from "../types/type.js";
import * as fast32 from "./fast32/index.js";
import * as fast64 from "./fast64/index.js";
import * as faststr from "./faststr/index.js";
import * as generic from "./generic/index.js";
import type { Runtime } from "./hmap.js";

/** One copy of the kernel (runtime/generic/index.ts). */
export type Kernel = typeof generic;

/** The copy for key kinds without one of their own. */
export const genericKernel: Kernel = generic;

/** The copy of the kernel for maps whose key type is kt. */
export function kernelFor(kt: AnyType): Kernel {
  switch (kt.kind) {
    case "u32":
    case "i32":
      return fast32;
    case "u64":
    case "i64":
      return fast64;
    case "string":
      return faststr;
    default:
      return generic;
  }
}

const byKeyType = new WeakMap<AnyType, Runtime>();

/** The runtime functions for maps whose key type is kt (made on first use, then shared). */
export function specialise(kt: AnyType): Runtime {
  let rt = byKeyType.get(kt);
  if (rt === undefined) {
    rt = kernelFor(kt).makeRuntime(kt);
    byKeyType.set(kt, rt);
  }
  return rt;
}
