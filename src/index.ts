// The package's entry point: everything a user imports from "gomap".
export { GoMap } from "./gomap.js";
export type { GoMapHandle, GoMapHandleOf, GoMapOf, MakeOptions, Ref, RefBox } from "./gomap.js";
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
export { GoMapError, HeapExhaustedError, OwnerDeadError, SnapshotError, StaleRefError } from "./errors.js";
export type { SnapshotErrorCode } from "./errors.js";
export type { LoadOptions } from "./snapshot/index.js";
export { Mutex, RWMutex, SyncMap, WaitGroup, watchWorker } from "./sync/index.js";
export type { LockOptions, MutexHandle, RWMutexHandle, RWMutexOptions, SyncMapHandle, SyncMapHandleOf, SyncMapOf, SyncMapOptions, WaitGroupHandle } from "./sync/index.js";
