// The type descriptors gomap stores, gathered into the one `types` object users import:
//
//   import { types as t } from "gomap";
//   GoMap.make(t.string, t.struct({ age: t.u8, score: t.f64 }));
//
// Scalars are singletons (t.u32 === t.u32); bytes(n) is cached per n; struct() makes a new
// type on every call. See type.ts for the contract every descriptor keeps.
import { bool } from "./bool.js";
import { bytes } from "./bytes.js";
import { f32, f64 } from "./float.js";
import { i16, i32, i8, u16, u32, u8 } from "./int.js";
import { i64, u64 } from "./int64.js";
import { string } from "./string.js";
import { struct } from "./struct.js";

/** Every type gomap can store, by Go-ish short name. */
export const types = Object.freeze({
  bool,
  i8,
  i16,
  i32,
  i64,
  u8,
  u16,
  u32,
  u64,
  f32,
  f64,
  string,
  bytes,
  struct,
});

export type { AnyType, GoType, In, Kind, Out } from "./type.js";
export { isGoType } from "./type.js";
export { BoolType } from "./bool.js";
export { BytesType, MAX_BYTES } from "./bytes.js";
export { Float32Type, Float64Type } from "./float.js";
export { Int8Type, Int16Type, Int32Type, Uint8Type, Uint16Type, Uint32Type } from "./int.js";
export { Word64BigIntType, Word64NumberType } from "./int64.js";
export { StringType } from "./string.js";
export { StructType, isStructType } from "./struct.js";
export type { Slot, StructField, StructIn, StructOut } from "./struct.js";
