// Go 1.19's portable hash (runtime/hash64.go, alg.go), bit for bit: the wyhash-style
// fallback Go uses wherever it has no AES hash (wasm, most non-x86 machines, and amd64 with
// GODEBUG=cpu.aes=off). gomap uses it only when a map asks for `hash: "go1.19"`; its own
// default hash (hash.ts) is cheaper. With the same hash key and seed, a map hashed this way
// puts every key in the same bucket and slot, with the same tophash, as Go 1.19 does.
//
// Go's arithmetic is on 64-bit words. Here a word is two u32 halves (hi, lo) and the 64x64 ->
// 128-bit multiply is built from 32x32 -> 64-bit products, themselves built from 16-bit
// pieces so that every intermediate is an exact double. Functions return lo (int32) and leave
// hi in hashOut.hi (hash.ts), the convention every gomap hash follows.
//
// Spec: Go 1.19's runtime/hash64.go (memhashFallback) and alg.go (f32hash, f64hash); test
// vectors dumped from real Go are in fidelity/golden/vectors.json.
import { hashOut } from "./hash.js";
import { fastrand } from "./rand.js";

// Go's constants, as (hi, lo) halves.
const M1_HI = 0xa0761d64, M1_LO = 0x78bd642f;
const M2_HI = 0xe7037ed1, M2_LO = 0xa0b428db;
const M3_HI = 0x8ebc6af0, M3_LO = 0x9c88c6e3;
const M4_HI = 0x589965cc, M4_LO = 0x75374cc3;
const M5_HI = 0x1d8e4e27, M5_LO = 0xc47d124f;
/** alg.go's c0 = 33054211828000289 and c1 = 23344194077549503, the float-zero hash's constants. */
const C0_HI = 0x00756ea1, C0_LO = 0x6a56a621;
const C1_HI = 0x0052ef6b, C1_LO = 0xbb8f63bf;

/** High half of the last mul32 (unsigned). */
let mulHi = 0;

/** x * y for u32 x, y: returns the low 32 bits (unsigned), leaves the high 32 in mulHi. */
function mul32(x: number, y: number): number {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const ll = xl * yl;
  const t = xh * yl + (ll >>> 16);
  const u = xl * yh + (t & 0xffff);
  mulHi = (xh * yh + Math.floor(t / 65536) + Math.floor(u / 65536)) >>> 0;
  return Math.imul(x, y) >>> 0;
}

/** High half of the last mix (unsigned). */
let mixHi = 0;

/** Go's mix(a, b): the 128-bit product a*b folded as hi64 ^ lo64. Returns lo, hi in mixHi. */
function mix(aHi: number, aLo: number, bHi: number, bLo: number): number {
  aHi >>>= 0; aLo >>>= 0; bHi >>>= 0; bLo >>>= 0;
  const w0 = mul32(aLo, bLo);
  const p0Hi = mulHi;
  const p1Lo = mul32(aLo, bHi);
  const p1Hi = mulHi;
  const p2Lo = mul32(aHi, bLo);
  const p2Hi = mulHi;
  const p3Lo = mul32(aHi, bHi);
  const p3Hi = mulHi;
  const t1 = p0Hi + p1Lo + p2Lo;
  const w1 = t1 >>> 0;
  const t2 = p1Hi + p2Hi + p3Lo + Math.floor(t1 / 4294967296);
  const w2 = t2 >>> 0;
  const w3 = (p3Hi + Math.floor(t2 / 4294967296)) >>> 0;
  mixHi = (w3 ^ w1) >>> 0;
  return (w2 ^ w0) >>> 0;
}

/** Little-endian u32 at p. */
function r4(u8: Uint8Array, p: number): number {
  return (u8[p] | (u8[p + 1] << 8) | (u8[p + 2] << 16) | (u8[p + 3] << 24)) >>> 0;
}

/** A Go 1.19 fallback hasher for one hash key (Go's runtime.hashkey[0], forced odd). */
export class Go119Hash {
  /** hashkey[0] ^ m1, the constant every hash starts from. */
  private readonly kHi: number;
  private readonly kLo: number;
  /** The key, as Go stores it (forced odd). */
  readonly hashKey: bigint;

  constructor(hashKey: bigint) {
    const k = BigInt.asUintN(64, hashKey) | 1n;
    this.hashKey = k;
    this.kHi = (Number(k >> 32n) ^ M1_HI) >>> 0;
    this.kLo = (Number(k & 0xffffffffn) ^ M1_LO) >>> 0;
  }

  /**
   * memhashFallback(p, seed, s): the hash of u8[p .. p+s) for the 64-bit seed (seedHi,
   * seedLo). Returns lo; hi in hashOut.hi.
   */
  memhash(u8: Uint8Array, p: number, s: number, seedHi: number, seedLo: number): number {
    let sHi = (seedHi ^ this.kHi) >>> 0;
    let sLo = (seedLo ^ this.kLo) >>> 0;
    if (s === 0) return this.out(sHi, sLo);
    let aHi = 0, aLo: number, bHi = 0, bLo: number;
    if (s < 4) {
      aLo = (u8[p] | (u8[p + (s >>> 1)] << 8) | (u8[p + s - 1] << 16)) >>> 0;
      bLo = 0;
    } else if (s <= 8) {
      aLo = r4(u8, p);
      bLo = r4(u8, p + s - 4);
      if (s === 8) {
        aHi = bLo;
        bHi = bLo;
        bLo = aLo;
      }
    } else if (s <= 16) {
      aLo = r4(u8, p); aHi = r4(u8, p + 4);
      bLo = r4(u8, p + s - 8); bHi = r4(u8, p + s - 4);
    } else {
      let l = s;
      if (l > 48) {
        let s1Hi = sHi, s1Lo = sLo, s2Hi = sHi, s2Lo = sLo;
        while (l > 48) {
          sLo = mix(r4(u8, p + 4) ^ M2_HI, r4(u8, p) ^ M2_LO, r4(u8, p + 12) ^ sHi, r4(u8, p + 8) ^ sLo);
          sHi = mixHi;
          s1Lo = mix(r4(u8, p + 20) ^ M3_HI, r4(u8, p + 16) ^ M3_LO, r4(u8, p + 28) ^ s1Hi, r4(u8, p + 24) ^ s1Lo);
          s1Hi = mixHi;
          s2Lo = mix(r4(u8, p + 36) ^ M4_HI, r4(u8, p + 32) ^ M4_LO, r4(u8, p + 44) ^ s2Hi, r4(u8, p + 40) ^ s2Lo);
          s2Hi = mixHi;
          p += 48;
          l -= 48;
        }
        sHi = (sHi ^ s1Hi ^ s2Hi) >>> 0;
        sLo = (sLo ^ s1Lo ^ s2Lo) >>> 0;
      }
      while (l > 16) {
        sLo = mix(r4(u8, p + 4) ^ M2_HI, r4(u8, p) ^ M2_LO, r4(u8, p + 12) ^ sHi, r4(u8, p + 8) ^ sLo);
        sHi = mixHi;
        p += 16;
        l -= 16;
      }
      aLo = r4(u8, p + l - 16); aHi = r4(u8, p + l - 12);
      bLo = r4(u8, p + l - 8); bHi = r4(u8, p + l - 4);
    }
    return this.finish(aHi, aLo, bHi, bLo, sHi, sLo, s);
  }

  /** Go's last step: mix(m5 ^ s, mix(a ^ m2, b ^ seed)). */
  private finish(aHi: number, aLo: number, bHi: number, bLo: number, sHi: number, sLo: number, s: number): number {
    const lo = mix(aHi ^ M2_HI, aLo ^ M2_LO, bHi ^ sHi, bLo ^ sLo);
    // s < 2^32 (a slot or string gomap can hold), so m5 ^ s changes only the low half.
    const outLo = mix(M5_HI, M5_LO ^ s, mixHi, lo);
    return this.out(mixHi, outLo);
  }

  private out(hi: number, lo: number): number {
    hashOut.hi = hi | 0;
    return lo | 0;
  }

  /** f64hash: ±0 hash alike, a NaN hashes at random, any other float as its 8 bytes. */
  f64hash(u8: Uint8Array, p: number, seedHi: number, seedLo: number): number {
    const f = floatAt64(u8, p);
    if (f === 0) return this.zeroHash(seedHi, seedLo);
    if (f !== f) return this.zeroHash(seedHi, seedLo ^ fastrand());
    return this.memhash(u8, p, 8, seedHi, seedLo);
  }

  /** f32hash: as f64hash, over 4 bytes. */
  f32hash(u8: Uint8Array, p: number, seedHi: number, seedLo: number): number {
    const f = floatAt32(u8, p);
    if (f === 0) return this.zeroHash(seedHi, seedLo);
    if (f !== f) return this.zeroHash(seedHi, seedLo ^ fastrand());
    return this.memhash(u8, p, 4, seedHi, seedLo);
  }

  /** c1 * (c0 ^ seed), mod 2^64. */
  private zeroHash(seedHi: number, seedLo: number): number {
    const xHi = (C0_HI ^ seedHi) >>> 0;
    const xLo = (C0_LO ^ seedLo) >>> 0;
    const lo = mul32(C1_LO, xLo);
    const hi = (mulHi + Math.imul(C1_LO, xHi) + Math.imul(C1_HI, xLo)) >>> 0;
    return this.out(hi, lo);
  }
}

const f64 = new Float64Array(1);
const f64u8 = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32u8 = new Uint8Array(f32.buffer);

function floatAt64(u8: Uint8Array, p: number): number {
  for (let i = 0; i < 8; i++) f64u8[i] = u8[p + i];
  return f64[0];
}

function floatAt32(u8: Uint8Array, p: number): number {
  for (let i = 0; i < 4; i++) f32u8[i] = u8[p + i];
  return f32[0];
}
