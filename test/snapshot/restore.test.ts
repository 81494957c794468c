// Tests of src/snapshot/restore.ts and format.ts: each check of a load, in its order, gives
// its own SnapshotError code and a message saying what was expected and found: not a
// snapshot, another version, cut short, extended, damaged anywhere, other types, another hash.
import assert from "node:assert/strict";
import test from "node:test";
import { SnapshotError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { Hasher, Hmap } from "../../src/runtime/layout.js";
import { FIRST_BLOCK } from "../../src/memory/heap.js";
import { HEADER_BYTES, decodeHeader, encodeHeader, hashFingerprint, sections } from "../../src/snapshot/format.js";
import { MAX_TYPE_CODE } from "../../src/snapshot/typecode.js";
import { typesDigest } from "../../src/snapshot/typecode.js";
import { types as t } from "../../src/types/index.js";
import type { AnyType } from "../../src/types/type.js";
import { codeOf, filled, reseal, specs } from "./helpers.js";
import type { Header } from "../../src/snapshot/format.js";

const sample = filled(specs[1], 200);
const good = sample.toBytes();
const load = (b: Uint8Array, k: AnyType = t.string, v: AnyType = t.string): unknown => GoMap.fromBytes(b, k, v);

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SnapshotError, String(err));
    return err.message;
  }
  assert.fail("expected a SnapshotError");
}

test("restore: not a snapshot is bad-magic, naming the magic", () => {
  assert.equal(codeOf(() => load(new TextEncoder().encode("hello, world, this is not a map at all, no, not at all........"))), "bad-magic");
  assert.equal(codeOf(() => load(new TextEncoder().encode('{"json": true}'))), "bad-magic");
  assert.match(message(() => load(new Uint8Array(100))), /GOMAPSNP/);
});

test("restore: every cut of a snapshot is truncated, saying how long it should be", () => {
  for (let n = 0; n < good.length; n += n < 400 ? 1 : 97) {
    assert.equal(codeOf(() => load(good.subarray(0, n))), "truncated", `cut at ${n}`);
  }
  assert.match(message(() => load(good.subarray(0, good.length - 1))), new RegExp(`header says ${good.length}`));
});

test("restore: bytes after the end are corrupt-header", () => {
  const longer = new Uint8Array(good.length + 16);
  longer.set(good);
  assert.equal(codeOf(() => load(longer)), "corrupt-header");
});

test("restore: another format version is 'version', before the checksum", () => {
  const b = good.slice();
  new DataView(b.buffer).setUint32(8, 2, true);
  assert.match(message(() => load(b)), /version 2, this gomap reads version 1/);
});

test("restore: a byte changed anywhere after the fixed fields is 'checksum'", () => {
  for (let i = 12; i < good.length; i += 13) {
    const b = good.slice();
    b[i] ^= 0x20;
    const code = codeOf(() => load(b));
    // A change to the section lengths makes the file the wrong size for its header.
    if (i >= 16 && i < 32) assert.ok(["truncated", "corrupt-header", "checksum"].includes(code), `byte ${i}: ${code}`);
    else assert.equal(code, "checksum", `byte ${i}`);
  }
});

test("restore: reserved header bytes and padding must be zero (even with a fresh checksum)", () => {
  const b = good.slice();
  b[40] = 1;
  assert.equal(codeOf(() => load(reseal(b))), "corrupt-header");
});

test("restore: a different hash fingerprint is 'hash': this gomap would not find the keys", () => {
  const b = good.slice();
  new DataView(b.buffer).setUint32(12, 0xdeadbeef, true);
  assert.match(message(() => load(reseal(b))), /hash functions differ/);
});

test("restore: type mismatches name the role and the first difference", () => {
  const User = t.struct({ name: t.string, age: t.u8, tags: t.struct({ a: t.bool, b: t.bytes(4) }) });
  const m = GoMap.make(t.u32, User);
  m.set(1, { name: "x", age: 2 });
  const b = m.toBytes();
  assert.match(message(() => GoMap.fromBytes(b, t.u64, User)), /key: the file has uint32, the caller passed uint64/);
  assert.match(message(() => GoMap.fromBytes(b, t.u32, t.struct({ name: t.string, age: t.u16, tags: t.struct({ a: t.bool, b: t.bytes(4) }) }))), /value\.age: the file has uint8, the caller passed uint16/);
  assert.match(message(() => GoMap.fromBytes(b, t.u32, t.struct({ name: t.string, age: t.u8, tags: t.struct({ a: t.bool, b: t.bytes(5) }) }))), /value\.tags\.b: the file has \[4\]byte, the caller passed \[5\]byte/);
  assert.match(message(() => GoMap.fromBytes(b, t.u32, t.struct({ name: t.string, years: t.u8, tags: t.struct({ a: t.bool, b: t.bytes(4) }) }))), /field 1 is "age" in the file, "years" for the caller/);
  assert.match(message(() => GoMap.fromBytes(b, t.u32, t.struct({ name: t.string, age: t.u8 }))), /value: the file has an extra field tags/);
  assert.equal(codeOf(() => GoMap.fromBytes(b, t.u32, t.string)), "type-mismatch");
  // The same types, made again, are the same types.
  assert.equal(GoMap.fromBytes(b, t.u32, t.struct({ name: t.string, age: t.u8, tags: t.struct({ a: t.bool, b: t.bytes(4) }) })).get(1)?.name, "x");
});

test("restore: the header's digest of the map's types must be that of the file's type codes; 0 (older files) is not checked", () => {
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 2);
  const b = m.toBytes();
  const dv = new DataView(b.buffer, b.byteOffset);
  const hd = decodeHeader(b.subarray(0, HEADER_BYTES), b.length);
  const at = sections(hd).heap + Hmap.types;
  assert.equal(dv.getUint32(at, true), typesDigest(t.u32, t.u32), "make() recorded the types' digest");
  dv.setUint32(at, typesDigest(t.u32, t.i32), true);
  assert.equal(codeOf(() => GoMap.fromBytes(reseal(b), t.u32, t.u32)), "corrupt-header");
  assert.match(message(() => GoMap.fromBytes(reseal(b), t.u32, t.u32)), /digest of its types is not that of the file's type codes/);
  dv.setUint32(at, 0, true);
  assert.equal(GoMap.fromBytes(reseal(b), t.u32, t.u32).get(1), 2);
});

test("restore: the checks run in order: magic, version, length, checksum, types", () => {
  const b = good.slice();
  b[good.length - 20] ^= 1; // damaged heap...
  assert.equal(codeOf(() => load(b, t.u32, t.u32)), "checksum"); // ...is found before the wrong types
  new DataView(b.buffer).setUint32(8, 9, true);
  assert.equal(codeOf(() => load(b.subarray(0, 100))), "version");
  b[0] = 0;
  assert.equal(codeOf(() => load(b.subarray(0, 10))), "bad-magic");
  assert.ok(HEADER_BYTES === 64);
});

test("restore: every byte of the magic is checked", () => {
  for (let i = 0; i < 8; i++) {
    const b = good.slice();
    b[i] ^= 0x01;
    assert.equal(codeOf(() => load(reseal(b))), "bad-magic", `byte ${i}`);
  }
});

test("restore: a header whose section lengths no snapshot has is corrupt-header, whatever the file's size", () => {
  const head = (keyCodeBytes: number, valueCodeBytes: number, heapBytes: number): Header => ({ fingerprint: hashFingerprint(), keyCodeBytes, valueCodeBytes, heapBytes });
  const refused = (hd: Header, re: RegExp): void => {
    const bytes = encodeHeader(hd);
    for (const size of [64, sections(hd).total, sections(hd).total + 16]) {
      assert.throws(() => decodeHeader(bytes, size), (e) => e instanceof SnapshotError && e.code === "corrupt-header" && re.test(e.message), `${JSON.stringify(hd)}, ${size} bytes`);
    }
  };
  refused(head(10, 10, FIRST_BLOCK + 4), /heap of \d+ bytes: want 0 or a multiple of 8/);
  refused(head(10, 10, 8), /heap of 8 bytes: want 0 or a multiple of 8 from/);
  refused(head(10, 10, FIRST_BLOCK - 8), /want 0 or a multiple of 8 from/);
  refused(head(10, MAX_TYPE_CODE + 1, FIRST_BLOCK), /at most 65536 each/);
  refused(head(MAX_TYPE_CODE + 1, 10, FIRST_BLOCK), /at most 65536 each/);
  assert.equal(decodeHeader(encodeHeader(head(10, 10, FIRST_BLOCK)), sections(head(10, 10, FIRST_BLOCK)).total).heapBytes, FIRST_BLOCK);
});

test("restore: each reserved header byte, type code padding byte and heap padding byte must be zero", () => {
  for (let i = 32; i < HEADER_BYTES; i++) {
    const b = good.slice();
    b[i] = 0x80;
    assert.match(message(() => load(reseal(b))), new RegExp(`reserved header byte ${i} is 128`));
  }
  const hd = decodeHeader(good.subarray(0, HEADER_BYTES), good.length);
  const codeEnd = HEADER_BYTES + hd.keyCodeBytes + hd.valueCodeBytes;
  assert.ok(codeEnd < sections(hd).heap, "setup: the type codes are padded");
  for (let i = codeEnd; i < sections(hd).heap; i++) {
    const b = good.slice();
    b[i] = 0x20;
    assert.match(message(() => load(reseal(b))), /type code padding is not zero/, `byte ${i}`);
  }
  // A heap of 8 mod 16 bytes is followed by 8 bytes of padding.
  const m = GoMap.make(t.u32, t.u32);
  let bytes = m.toBytes();
  for (let i = 0; decodeHeader(bytes.subarray(0, HEADER_BYTES), bytes.length).heapBytes % 16 !== 8; i++) {
    assert.ok(i < 500, "setup: a heap of 8 mod 16 bytes");
    m.set(i, i);
    bytes = m.toBytes();
  }
  const at = sections(decodeHeader(bytes.subarray(0, HEADER_BYTES), bytes.length));
  for (let i = at.digest - 8; i < at.digest; i++) {
    const b = bytes.slice();
    b[i] = 1;
    assert.match(message(() => load(reseal(b), t.u32, t.u32)), /heap padding is not zero/, `byte ${i}`);
  }
});

test("restore: heap bytes past the heap's own top are refused, not loaded behind it", () => {
  const hd = decodeHeader(good.subarray(0, HEADER_BYTES), good.length);
  const at = sections(hd);
  const end = at.heap + hd.heapBytes;
  // The same heap with 16 more bytes after its top, and the header saying so.
  const b = new Uint8Array(good.length + 16);
  b.set(good.subarray(0, end));
  b.set(good.subarray(end), end + 16);
  b.set(encodeHeader({ ...hd, heapBytes: hd.heapBytes + 16 }).subarray(0, 32));
  assert.equal(codeOf(() => load(reseal(b))), "corrupt-heap");
  assert.match(message(() => load(reseal(b))), new RegExp(`top ${hd.heapBytes}, the file holds ${hd.heapBytes + 16} heap bytes`));
});

test("restore: a change to any byte of the checksum itself is 'checksum'", () => {
  for (let i = good.length - 16; i < good.length; i++) {
    const b = good.slice();
    b[i] ^= 0x80;
    assert.equal(codeOf(() => load(b)), "checksum", `byte ${i}`);
  }
});

test("restore: a map header naming no hasher gomap has, or a hash key its hasher does not take, is corrupt-header", () => {
  const m = GoMap.make(t.u32, t.u32);
  m.set(1, 2);
  const b = m.toBytes();
  const heap = sections(decodeHeader(b.subarray(0, HEADER_BYTES), b.length)).heap;
  const cases: [string, [offset: number, value: number][], RegExp][] = [
    ["an unknown hasher", [[Hmap.hasher, 7]], /names unknown hasher 7/],
    ["a hash key under gomap's own hash", [[Hmap.hashKey + 4, 1]], /names a hash key without hash go1\.19/],
    ["go1.19's hash with an even key", [[Hmap.hasher, Hasher.go119], [Hmap.hashKey, 2]], /names an even go1\.19 hash key/],
  ];
  for (const [what, writes, re] of cases) {
    const c = b.slice();
    const dv = new DataView(c.buffer);
    for (const [off, v] of writes) dv.setUint32(heap + off, v, true);
    const sealed = reseal(c);
    assert.equal(codeOf(() => GoMap.fromBytes(sealed, t.u32, t.u32)), "corrupt-header", what);
    assert.match(message(() => GoMap.fromBytes(sealed, t.u32, t.u32)), re, what);
  }
  // The file as saved loads.
  assert.equal(GoMap.fromBytes(b, t.u32, t.u32).get(1), 2);
});
