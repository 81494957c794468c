// bytes(n): Go's [n]byte, a fixed-size byte array stored inline in the slot (UUIDs, digests,
// packed IDs). Size n, alignment 1, no heap memory of its own.
//
// Invariants:
// - One descriptor per n (bytes(16) === bytes(16)), so identity comparison of types works.
// - Accepts a Uint8Array (a Buffer is one, and so is one from another realm) of exactly n
//   bytes: TypeError for anything else, other typed arrays included; RangeError for the wrong
//   length. Kind and length are the array's own ([[TypedArrayName]] and [[ArrayLength]], read
//   through %TypedArray%.prototype's getters), not what the object answers: hash, equal and
//   write read v[0..n) by index, which on a real Uint8Array gives its bytes whatever its
//   prototype says, so a Proxy (whose traps may answer each read differently), a `length`
//   that lies, or an Int8Array given Uint8Array's prototype would store a key under a hash
//   of other bytes.
// - hash(v) is hashBytes over v's n bytes, hashAt is hashBytes over the n stored bytes: the
//   same words, so they agree. equal is bytewise.
// - read() returns a fresh Uint8Array (never a view of the heap, which would change under it,
//   and never shared-memory backed): typed OwnBytes (Uint8Array<ArrayBuffer> in TypeScript
//   5.7+), so a read passes where TypeScript wants an ArrayBuffer-backed array
//   (crypto.subtle.digest, new Blob([...])).
import { hashBytes } from "../hash/hash.js";
import type { Heap } from "../memory/heap.js";
import { describe, wrongKind } from "./reject.js";
import type { GoType } from "./type.js";

// %TypedArray%.prototype's own getters: they read the internal slots, and a Proxy or an object
// that is not a typed array has none (the tag is then undefined; the length getter throws).
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)!.get as (this: unknown) => string | undefined;
const typedArrayLength = Object.getOwnPropertyDescriptor(typedArrayProto, "length")!.get as (this: unknown) => number;

/** The largest n bytes(n) accepts. */
export const MAX_BYTES = 2 ** 31;

/**
 * A Uint8Array on an ArrayBuffer of its own, as slice() returns: Uint8Array<ArrayBuffer> with
 * TypeScript 5.7 and later, where Uint8Array alone means any backing buffer (and may not be
 * passed where an ArrayBuffer-backed array is wanted); plain Uint8Array before 5.7, whose
 * Uint8Array is not generic, so the declarations type-check with either.
 */
export type OwnBytes = ReturnType<Uint8Array["slice"]>;

export class BytesType implements GoType<OwnBytes, Uint8Array> {
  readonly kind = "bytes";
  readonly name: string;
  readonly size: number;
  readonly align = 1;
  readonly reflexive = true;
  readonly needKeyUpdate = false;
  readonly ownsMemory = false;
  readonly heapViews = 0;
  private zeroBuf: Uint8Array | null;

  constructor(n: number) {
    this.name = `[${n}]byte`;
    this.size = n;
    this.zeroBuf = null;
  }

  /**
   * @internal A shared zero value (made on first use), for struct fields a value leaves out.
   * Only ever read (hashed, compared, copied from), never handed out.
   */
  zeroInput(): Uint8Array {
    let z = this.zeroBuf;
    if (z === null) z = this.zeroBuf = new Uint8Array(this.size);
    return z;
  }

  check(v: unknown, what?: string): asserts v is Uint8Array {
    // Two builtin getters where `instanceof` and `.length` were: 2-3 ns more a check in a
    // quick loop, for a key that cannot lie about its bytes (see the header).
    if (typedArrayTag.call(v) !== "Uint8Array") throw this.notBytes(v, what);
    const n = typedArrayLength.call(v);
    if (n !== this.size) {
      throw new RangeError(`gomap: ${what === undefined ? "" : what + " "}Uint8Array of ${n} bytes, want ${this.name}`);
    }
  }

  /** check()'s TypeError; names what a Uint8Array look-alike really is. */
  private notBytes(v: unknown, what: string | undefined): TypeError {
    if (!(v instanceof Uint8Array)) return wrongKind(v, this.name, what);
    const tag = typedArrayTag.call(v);
    const is = tag === undefined ? "an object that is not a Uint8Array but has its prototype (a Proxy?)" : `${tag} with Uint8Array's prototype`;
    return new TypeError(`gomap: cannot use ${is} as ${this.name}${what === undefined ? "" : " " + what}`);
  }

  hash(v: Uint8Array, seed: number): number {
    return hashBytes(v, 0, this.size, seed);
  }

  hashAt(heap: Heap, off: number, seed: number): number {
    return hashBytes(heap.u8, off, this.size, seed);
  }

  equal(heap: Heap, off: number, v: Uint8Array): boolean {
    const u8 = heap.u8;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      if (u8[off + i] !== v[i]) return false;
    }
    return true;
  }

  equalAt(heap: Heap, a: number, b: number): boolean {
    const u8 = heap.u8;
    const n = this.size;
    for (let i = 0; i < n; i++) {
      if (u8[a + i] !== u8[b + i]) return false;
    }
    return true;
  }

  write(heap: Heap, off: number, v: Uint8Array): void {
    const u8 = heap.u8;
    const n = this.size;
    if (n <= 32) {
      for (let i = 0; i < n; i++) u8[off + i] = v[i];
    } else {
      u8.set(v, off);
    }
  }

  read(heap: Heap, off: number): OwnBytes {
    return heap.u8.slice(off, off + this.size);
  }

  release(heap: Heap, off: number): void {
    heap.zero(off, this.size);
  }

  zero(): OwnBytes {
    return new Uint8Array(this.size);
  }
}

const cache = new Map<number, BytesType>();

/** Go's [n]byte; one descriptor per n. n is an integer in 0..2^31. */
export function bytes(n: number): BytesType {
  if (typeof n !== "number") throw new TypeError(`gomap: bytes(n) wants a number of bytes, got ${describe(n)}`);
  if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) {
    throw new RangeError(`gomap: bytes(${n}): the length must be an integer in 0..${MAX_BYTES}`);
  }
  let t = cache.get(n);
  if (t === undefined) {
    t = new BytesType(n);
    cache.set(n, t);
  }
  return t;
}
