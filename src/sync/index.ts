// sync/: sharing across worker threads. Locks on Atomics (Mutex, RWMutex, WaitGroup), Go's
// sync.Map (SyncMap), the liveness registry that lets waiters notice a dead lock owner, and
// the handle format share()/attach() use. A shared GoMap itself lives in gomap.ts.
export { Mutex } from "./mutex.js";
export type { LockOptions, MutexHandle } from "./mutex.js";
export { RWMutex } from "./rwmutex.js";
export type { RWMutexHandle, RWMutexOptions } from "./rwmutex.js";
export { WaitGroup } from "./waitgroup.js";
export type { WaitGroupHandle } from "./waitgroup.js";
export { SyncMap } from "./syncmap.js";
export type { SyncMapHandle, SyncMapHandleOf, SyncMapOf, SyncMapOptions } from "./syncmap.js";
export { watchWorker } from "./liveness.js";
