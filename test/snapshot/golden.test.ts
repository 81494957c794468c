// The snapshot format pinned by committed files (test/snapshot/fixtures, written once by
// golden-files.ts, regenerated only with a format version bump): each file loads with today's
// code, with full validation, to exactly the entries and shape its JSON states; saving the
// loaded map again gives the file's bytes back (the format is deterministic for a given map:
// the heap is saved as it is up to its top, with highWater and the iterator flags made
// canonical, and nothing else in the file depends on the process that writes it); a file
// whose version field says another version is refused with "version"; and the files load
// through the documented file API (GoMap.load, a path or a file: URL) from a read-only copy.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import test from "node:test";
import { GoMap, SnapshotError } from "../../src/index.js";
import { load, snapshotTypes } from "../../src/snapshot/index.js";
import type { SnapshotFs } from "../../src/snapshot/index.js";
import { HEADER_BYTES, MAGIC, VERSION } from "../../src/snapshot/format.js";
import { encodeTypeCode } from "../../src/snapshot/typecode.js";
import { checkInvariants } from "../../src/testing/hooks.js";
import { CASES, FIXTURES, encodeEntries, shapeOf } from "./golden-files.js";
import type { GoldenCase, GoldenJSON } from "./golden-files.js";
import { reseal } from "./helpers.js";

type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

function fileOf(c: GoldenCase): string {
  return fileURLToPath(new URL(`${c.name}.gomap`, FIXTURES));
}

/** The file's bytes, in an array on an ArrayBuffer of their own. */
function bytesOf(c: GoldenCase): Uint8Array<ArrayBuffer> {
  const file = fs.readFileSync(fileOf(c));
  const bytes = new Uint8Array(new ArrayBuffer(file.length));
  bytes.set(file);
  return bytes;
}

function jsonOf(c: GoldenCase): GoldenJSON {
  return JSON.parse(fs.readFileSync(new URL(`${c.name}.json`, FIXTURES), "utf8")) as GoldenJSON;
}

/** That m holds exactly what the JSON says, in the shape it says, and passes the runtime's checks. */
function assertGolden(m: AnyMap, want: GoldenJSON, what: string): void {
  assert.deepEqual(encodeEntries(m.entries()), want.entries, `${what}: entries`);
  assert.equal(m.size, want.entries.length, `${what}: size`);
  assert.deepEqual(shapeOf(m), want.shape, `${what}: shape`);
  checkInvariants(m);
}

test("golden: the fixtures folder holds exactly the files golden-files.ts describes", () => {
  const names = fs.readdirSync(FIXTURES).sort();
  assert.deepEqual(names, CASES.flatMap((c) => [`${c.name}.gomap`, `${c.name}.json`]).sort());
});

for (const c of CASES) {
  test(`golden ${c.name}: loads with full validation to exactly the entries and shape of its JSON, and saves back to the same bytes`, () => {
    const bytes = bytesOf(c);
    const want = jsonOf(c);
    // The header as format.ts documents it: magic, version 1, section lengths, total size.
    assert.deepEqual(bytes.subarray(0, 8), MAGIC);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    assert.equal(dv.getUint32(8, true), 1);
    assert.equal(VERSION, 1, "a format version bump: keep reading (or plainly refuse) version 1 files, and add new golden files");
    // The type codes the file carries are the case's types, as the JSON spells them.
    const code = (tt: unknown): string => new TextDecoder().decode(encodeTypeCode(tt as Parameters<typeof encodeTypeCode>[0]));
    assert.equal(code(c.keyType), want.key);
    assert.equal(code(c.valueType), want.value);
    const types = snapshotTypes(bytes);
    assert.equal(code(types.keyType), want.key);
    assert.equal(code(types.valueType), want.value);
    assert.equal(dv.getUint32(16, true), want.key.length);
    assert.equal(dv.getUint32(20, true), want.value.length);

    const m = GoMap.fromBytes(bytes, c.keyType, c.valueType) as AnyMap;
    assert.equal(m.isNil, want.shape === null);
    assertGolden(m, want, c.name);
    assert.deepEqual(m.toBytes(), bytes, "saving the loaded map gives the file's bytes back");

    const quick = GoMap.fromBytes(bytes.buffer, c.keyType, c.valueType, { verify: "checksum" }) as AnyMap;
    assertGolden(quick, want, `${c.name} (verify: checksum, from an ArrayBuffer)`);
  });
}

test("golden: every key of every file is found by lookup, and a map loaded mid-growth finishes its growth on later writes", () => {
  for (const c of CASES) {
    const m = GoMap.fromBytes(bytesOf(c), c.keyType, c.valueType) as AnyMap;
    for (const [k, v] of m.entries()) {
      if (typeof k === "number" && Number.isNaN(k)) continue; // a NaN key never finds itself
      assert.deepEqual(m.lookup(k), [v, true], `${c.name}: lookup`);
    }
  }
  const c = CASES.find((x) => x.name === "u32-u32-growing")!;
  const m = GoMap.fromBytes(bytesOf(c), c.keyType, c.valueType) as GoMap<number, number>;
  const before = m.inspect();
  assert.equal(before.growth, "doubling");
  assert.ok(before.oldBucketsLeft > 0, "saved with old buckets left to evacuate");
  const want = new Map(m.entries());
  for (let i = 0; i < 8; i++) {
    m.set(1_000_000 + i, i);
    want.set(1_000_000 + i, i);
  }
  assert.equal(m.inspect().growth, null, "the growth finished");
  assert.deepEqual(new Map(m.entries()), want);
  checkInvariants(m as AnyMap);
});

test("golden: a file whose version field says another version is refused with \"version\", resealed or not", () => {
  for (const c of CASES) {
    for (const version of [0, 2, 0xffffffff]) {
      for (const sealed of [false, true]) {
        const bytes = bytesOf(c);
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, version, true);
        if (sealed) reseal(bytes);
        assert.throws(
          () => GoMap.fromBytes(bytes, c.keyType, c.valueType),
          (e: unknown) => e instanceof SnapshotError && e.code === "version" && e.message.includes(`format version ${version}, this gomap reads version 1`),
          `${c.name}, version ${version}${sealed ? ", resealed" : ""}`,
        );
        assert.throws(() => snapshotTypes(bytes), (e: unknown) => e instanceof SnapshotError && e.code === "version");
      }
    }
  }
});

test("golden: a changed byte anywhere past the version field is refused (the checksum covers the whole file)", () => {
  const c = CASES.find((x) => x.name === "string-struct")!;
  const size = bytesOf(c).length;
  for (const at of [12, 16, 40, HEADER_BYTES, HEADER_BYTES + 3, size >>> 1, size - 17, size - 1]) {
    const bytes = bytesOf(c);
    bytes[at] ^= 0x20;
    assert.throws(() => GoMap.fromBytes(bytes, c.keyType, c.valueType), SnapshotError, `byte ${at}`);
  }
});

/** node:fs that lets a file be opened for reading only: what a read-only copy allows, even to root. */
/** Whether open flags (a string such as "r", or O_ bits) ask for nothing but reading. */
function readOnly(flags: string | number): boolean {
  const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
  return typeof flags === "number" ? (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) === 0 : flags === "r";
}

function readOnlyFs(): SnapshotFs & { opens: (string | number)[] } {
  const refuse = (call: string): never => {
    throw Object.assign(new Error(`EROFS: read-only file system, ${call}`), { code: "EROFS" });
  };
  const io = {
    opens: [] as (string | number)[],
    openSync(p: string, flags: string | number, mode?: number): number {
      io.opens.push(flags);
      if (!readOnly(flags)) refuse(`open '${p}' with ${flags}`);
      return fs.openSync(p, flags, mode);
    },
    writeSync: () => refuse("write"),
    readSync: (fd: number, buf: Uint8Array, off: number, len: number, pos: number) => fs.readSync(fd, buf, off, len, pos),
    fsyncSync: () => refuse("fsync"),
    closeSync: (fd: number) => fs.closeSync(fd),
    fstatSync: (fd: number) => fs.fstatSync(fd),
    statSync: (p: string) => fs.statSync(p),
    fchownSync: () => refuse("fchown"),
    fchmodSync: () => refuse("fchmod"),
    renameSync: () => refuse("rename"),
    unlinkSync: () => refuse("unlink"),
  };
  return io;
}

test("golden: the files load through the file API from a read-only copy, which they leave as it was", () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "gomap-golden-"));
  try {
    for (const c of CASES) {
      fs.copyFileSync(fileOf(c), join(dir, `${c.name}.gomap`));
      fs.chmodSync(join(dir, `${c.name}.gomap`), 0o444);
    }
    fs.chmodSync(dir, 0o555);
    const before = fs.readdirSync(dir).map((f) => [f, fs.statSync(join(dir, f)).mtimeMs, fs.readFileSync(join(dir, f)).toString("hex")]);
    for (const c of CASES) {
      const path = join(dir, `${c.name}.gomap`);
      const want = jsonOf(c);
      assertGolden(GoMap.load(path, c.keyType, c.valueType) as AnyMap, want, `${c.name} by path`);
      assertGolden(GoMap.load(pathToFileURL(path), c.keyType, c.valueType) as AnyMap, want, `${c.name} by file: URL`);
      // Root reads and writes whatever the mode bits say: a file system that refuses every
      // write proves that loading never asks for one.
      const io = readOnlyFs();
      const h = load(path, c.keyType, c.valueType, {}, { fs: io });
      assert.equal(io.opens.length, 1);
      assert.ok(readOnly(io.opens[0]), `opened with ${io.opens[0]}`);
      assert.equal(h === null, want.shape === null);
      const again = GoMap.load(path, c.keyType, c.valueType, { verify: "checksum" }) as AnyMap;
      assert.deepEqual(again.toBytes(), bytesOf(c));
    }
    const after = fs.readdirSync(dir).map((f) => [f, fs.statSync(join(dir, f)).mtimeMs, fs.readFileSync(join(dir, f)).toString("hex")]);
    assert.deepEqual(after, before, "no file in the folder was changed, added or removed");
  } finally {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("golden: the committed files load in place, by a file: URL as the README shows", () => {
  for (const c of CASES) {
    const m = GoMap.load(new URL(`${c.name}.gomap`, FIXTURES), c.keyType, c.valueType) as AnyMap;
    assertGolden(m, jsonOf(c), c.name);
  }
});
