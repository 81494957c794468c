// The package's entry point: everything a user imports from "gomap".
export { GoMap } from "./gomap.js";
export type { MakeOptions, Ref } from "./gomap.js";
export { inspect } from "./inspect/index.js";
export type {
  Bmap,
  BucketOptions,
  BucketView,
  ClearEvent,
  EvacuateEvent,
  GrowEvent,
  Histograms,
  InspectOptions,
  MapBytes,
  MapStats,
  OverflowBuckets,
  OverflowEvent,
  TraceEvent,
  TraceListener,
} from "./inspect/index.js";
export { types } from "./types/index.js";
export type { GoType, Kind, In, Out } from "./types/type.js";
export { GoMapError, HeapExhaustedError, StaleRefError } from "./errors.js";
