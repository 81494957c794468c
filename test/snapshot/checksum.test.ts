// Tests of src/snapshot/checksum.ts: any split of the input into pieces (aligned or not)
// gives the same digest; a change to any one word always changes it; so does the length.
import assert from "node:assert/strict";
import test from "node:test";
import fc from "fast-check";
import { Checksum, checksum } from "../../src/snapshot/checksum.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

test("checksum: the digest does not depend on how the input is cut into pieces or aligned", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300, size: "max" }), fc.array(fc.nat({ max: 300 }), { maxLength: 6 }), fc.nat({ max: 3 }), (data, cuts, shift) => {
      const whole = hex(checksum(data));
      // The same bytes at an unaligned offset of a larger buffer.
      const shifted = new Uint8Array(data.length + shift);
      shifted.set(data, shift);
      assert.equal(hex(checksum(shifted.subarray(shift))), whole);
      const sum = new Checksum();
      let at = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) {
        const to = Math.min(c, data.length);
        if (to < at) continue;
        sum.update(data.subarray(at, to));
        at = to;
      }
      sum.update(data.subarray(at));
      assert.equal(hex(sum.digest()), whole);
    }),
    { numRuns: 500, seed: 20261122 },
  );
});

test("checksum: changing any single byte, or the length, changes the digest", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200, size: "max" }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, i, x) => {
      const changed = data.slice();
      changed[i % data.length] ^= x;
      assert.notEqual(hex(checksum(changed)), hex(checksum(data)));
      const longer = new Uint8Array(data.length + 1);
      longer.set(data);
      assert.notEqual(hex(checksum(longer)), hex(checksum(data)), "a trailing zero byte");
    }),
    { numRuns: 1000, seed: 20261122 },
  );
});

test("checksum: the properties above see inputs of several stripes, not only short ones", () => {
  // fast-check's default size draws byte arrays of about 10 bytes at most, whatever maxLength
  // says: the properties then never took a second stripe, a partial one after a whole one, or a
  // cut inside a stripe followed by more (the arbitraries above say size "max").
  const lengths = fc.sample(fc.uint8Array({ maxLength: 300, size: "max" }), { numRuns: 200, seed: 20261122 }).map((a) => a.length);
  assert.ok(lengths.filter((n) => n > 32 && n % 16 !== 0).length > 50, String(lengths));
  // A partial last stripe, after one that went through the tail: padded with zeros, not with
  // what the tail held before.
  const data = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
  const cut = new Checksum().update(data.subarray(0, 10)).update(data.subarray(10)).digest();
  assert.equal(hex(cut), hex(checksum(data)));
  const shifted = new Uint8Array(21);
  shifted.set(data, 1);
  assert.equal(hex(checksum(shifted.subarray(1))), hex(checksum(data)));
});

test("checksum: 16 bytes, and the empty input has a digest", () => {
  assert.equal(checksum(new Uint8Array(0)).length, 16);
  assert.notEqual(hex(checksum(new Uint8Array(0))), hex(checksum(new Uint8Array(16))));
});
