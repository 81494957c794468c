// The snapshot checksum: 128 bits, four independent 32-bit lanes in the style of xxHash32,
// over the file's bytes read as little-endian u32 words, four words (one 16-byte stripe) at a
// time, word j of a stripe into lane j.
//
//   round(acc, w) = rotl(acc + w * P2, 13) * P1        (mod 2^32, P1 and P2 odd)
//   lane j of the result = fmix32(acc_j ^ length mix)
//
// Why it sees every change to a single word: for a fixed acc, round is a bijection of w (a
// multiply by an odd number, an add, a rotate and another odd multiply), and for a fixed w it
// is a bijection of acc; so a different word leaves a different acc, every later round keeps
// the accs different, and fmix32 is a bijection too. A change spread over several words is
// missed only if it cancels in every lane it touches: about 1 chance in 2^32 for a change
// within one lane, 2^-64 across two, for damage that is not crafted. (CRC32C would add
// certain detection of bursts up to 32 bits, at several times the cost in JS.) The byte
// length is mixed into every lane, so a cut or extended input differs too.
//
// Input is taken in pieces of any length; a tail shorter than a stripe waits for the next
// piece, and the last one is padded with zeros (the length tells it from real zeros).
// Aligned pieces are read through a Uint32Array view, the fast path; others byte by byte.

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;

/** Bytes of a digest. */
export const DIGEST_BYTES = 16;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Checksum {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Bytes taken so far. */
  private length: number;
  /** A partial stripe waiting for more bytes. */
  private readonly tail: Uint8Array;
  private readonly tailWords: Uint32Array;
  private tailLen: number;

  constructor() {
    this.a = (P1 + P2) | 0;
    this.b = P2 | 0;
    this.c = 0;
    this.d = -P1 | 0;
    this.length = 0;
    this.tail = new Uint8Array(16);
    this.tailWords = new Uint32Array(this.tail.buffer);
    this.tailLen = 0;
  }

  /** Takes the next piece of input. */
  update(bytes: Uint8Array): this {
    this.length += bytes.length;
    let i = 0;
    if (this.tailLen > 0) {
      while (this.tailLen < 16 && i < bytes.length) this.tail[this.tailLen++] = bytes[i++];
      if (this.tailLen < 16) return this;
      this.stripes(this.tailWords, 1);
      this.tailLen = 0;
    }
    const n = (bytes.length - i) >>> 4;
    if (n > 0) {
      const start = bytes.byteOffset + i;
      if ((start & 3) === 0) {
        this.stripes(new Uint32Array(bytes.buffer, start, n * 4), n);
      } else {
        for (let s = 0; s < n; s++) {
          this.tail.set(bytes.subarray(i + s * 16, i + s * 16 + 16));
          this.stripes(this.tailWords, 1);
        }
      }
      i += n * 16;
    }
    while (i < bytes.length) this.tail[this.tailLen++] = bytes[i++];
    return this;
  }

  /** The 16-byte digest of everything taken. The checksum can't take more afterwards. */
  digest(): Uint8Array {
    if (this.tailLen > 0) {
      this.tail.fill(0, this.tailLen);
      this.stripes(this.tailWords, 1);
      this.tailLen = 0;
    }
    const lo = this.length >>> 0;
    const hi = Math.floor(this.length / 2 ** 32);
    const mix = Math.imul(lo, P3) ^ hi;
    const out = new Uint8Array(DIGEST_BYTES);
    const w = new Uint32Array(out.buffer);
    w[0] = fmix32(this.a ^ mix);
    w[1] = fmix32(this.b ^ (mix + 1));
    w[2] = fmix32(this.c ^ (mix + 2));
    w[3] = fmix32(this.d ^ (mix + 3));
    return out;
  }

  /** The first n stripes of words. The four lanes are kept in locals for the loop. */
  private stripes(words: Uint32Array, n: number): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    for (let s = 0, j = 0; s < n; s++, j += 4) {
      a = (a + Math.imul(words[j], P2)) | 0;
      a = Math.imul((a << 13) | (a >>> 19), P1);
      b = (b + Math.imul(words[j + 1], P2)) | 0;
      b = Math.imul((b << 13) | (b >>> 19), P1);
      c = (c + Math.imul(words[j + 2], P2)) | 0;
      c = Math.imul((c << 13) | (c >>> 19), P1);
      d = (d + Math.imul(words[j + 3], P2)) | 0;
      d = Math.imul((d << 13) | (d >>> 19), P1);
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}

/** The digest of one piece of input. */
export function checksum(bytes: Uint8Array): Uint8Array {
  return new Checksum().update(bytes).digest();
}
