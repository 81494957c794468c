// Where a key sits in a map's drawing: which array, bucket, overflow bucket and slot. Found
// by reading the buckets through the inspector (inspect.bucket), so the answer is what the
// bytes say, and reading never changes the map (or draws on its random source).
import { inspect } from "../src/index.js";
import { isStructType } from "../src/types/index.js";
import type { AnyType } from "../src/types/index.js";
import type { AnyMap } from "./lang/values.js";

export interface Location {
  /** In the old array of a growth in progress. */
  old: boolean;
  bucket: number;
  /** 0 for the bucket itself, 1 for its first overflow bucket, ... */
  chain: number;
  slot: number;
  tophash: number;
}

/** The slot holding key (as gomap stores it), or null when the key is not in the map. */
export function locate(m: AnyMap, key: unknown): Location | null {
  const st = inspect.map(m);
  for (let i = 0; i < st.buckets; i++) {
    const loc = inBucket(m, key, i, false);
    if (loc !== null) return loc;
  }
  for (let i = 0; i < st.oldBuckets; i++) {
    const loc = inBucket(m, key, i, true);
    if (loc !== null) return loc;
  }
  return null;
}

function inBucket(m: AnyMap, key: unknown, i: number, old: boolean): Location | null {
  const view = inspect.bucket(m, i, { old });
  for (let c = 0; c < view.chain.length; c++) {
    const b = view.chain[c];
    for (let s = 0; s < 8; s++) {
      if (b.keys[s] !== undefined && sameKey(b.keys[s], key, m.keyType)) return { old, bucket: i, chain: c, slot: s, tophash: b.tophash[s] };
    }
  }
  return null;
}

/**
 * Go's == between a stored key and a key of type t as written (scalars, structs of them): a
 * float32 is compared as the map stores it, rounded to float32 (0.1 is stored as
 * 0.10000000149011612).
 */
function sameKey(stored: unknown, key: unknown, t: AnyType): boolean {
  if (isStructType(t)) {
    const x = stored as Record<string, unknown>;
    const y = key as Record<string, unknown>;
    return t.fields.every((f) => sameKey(x[f.name], y[f.name], f.type));
  }
  return t.kind === "f32" && typeof key === "number" ? stored === Math.fround(key) : stored === key;
}
