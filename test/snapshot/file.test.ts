// Tests of src/snapshot/file.ts: the atomic save under injected faults (a full disk mid-write,
// a failed fsync, close or rename): the error reaches the caller, the old file is intact and
// no temporary file is left; the directory's fsync (unsupported, or failing); writes and
// reads that make no progress; cleanup that fails after a failure, which must not replace its
// error; short reads and writes; and chunked transfers, proved with a small chunk size (a
// real file over 2 GiB is in test/big/snapshot.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import test from "node:test";
import { SnapshotError } from "../../src/errors.js";
import { GoMap } from "../../src/gomap.js";
import { load, save } from "../../src/snapshot/index.js";
import type { SnapshotFs } from "../../src/snapshot/index.js";
import { checkInvariants as checkHMap } from "../../src/runtime/debug.js";
import type { HMap } from "../../src/runtime/hmap.js";
import { hmapOf } from "../../src/testing/hooks.js";
import { assertSameMap, canon, codeOf, filled, specs } from "./helpers.js";
import type { AnyMap } from "./helpers.js";

interface Faults {
  /** Fail the write call with this index (0-based), after writing half of it, as a full disk does. */
  writeFailsAt?: number;
  fsyncFails?: boolean;
  closeFails?: boolean;
  renameFails?: boolean;
  /** Refuse to give the new file a group, as for a process not in it. */
  chownFails?: boolean;
  /** Most bytes one write or read call moves. */
  maxIo?: number;
  /** Fail the opening of a directory with this code. */
  dirOpenFails?: string;
  /** Fail the fsync of a directory with this code. */
  dirFsyncFails?: string;
  /** Fail the close of a directory (after closing it) with EBADF. */
  dirCloseFails?: boolean;
  /** Fail every unlink with EACCES (the file stays). */
  unlinkFails?: boolean;
  /** Every write call returns this many bytes, writing nothing. */
  writeReturns?: number;
  /** Reads at or past this file position return 0, as at the end of a file. */
  readEndsAt?: number;
}

/** node:fs with faults injected, counting calls and the largest transfer. */
function faultyFs(f: Faults): SnapshotFs & { writes: number; reads: number; largest: number } {
  const errno = (code: string): Error => Object.assign(new Error(`${code}: injected`), { code });
  let zeroReads = 0;
  const io = {
    writes: 0,
    reads: 0,
    largest: 0,
    openSync(p: string, flags: string, mode?: number): number {
      if (f.dirOpenFails !== undefined && fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true) throw errno(f.dirOpenFails);
      return fs.openSync(p, flags, mode);
    },
    writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
      const n = Math.min(len, f.maxIo ?? len);
      io.largest = Math.max(io.largest, len);
      if (f.writeReturns !== undefined) {
        // A save that kept calling would loop for ever: fail it here instead, so the test does.
        if (io.writes++ > 1000) throw new Error("the save kept writing after no progress");
        return f.writeReturns;
      }
      if (io.writes++ === f.writeFailsAt) {
        fs.writeSync(fd, buf, off, n >>> 1, pos);
        throw errno("ENOSPC");
      }
      return fs.writeSync(fd, buf, off, n, pos);
    },
    readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number {
      io.reads++;
      io.largest = Math.max(io.largest, len);
      if (f.readEndsAt !== undefined) len = Math.max(0, Math.min(len, f.readEndsAt - pos));
      if (len === 0) {
        if (++zeroReads > 1000) throw new Error("the load kept reading at the file's end");
        return 0;
      }
      return fs.readSync(fd, buf, off, Math.min(len, f.maxIo ?? len), pos);
    },
    fsyncSync(fd: number): void {
      const file = fs.fstatSync(fd).isFile();
      if (f.fsyncFails && file) throw errno("EIO");
      if (f.dirFsyncFails !== undefined && !file) throw errno(f.dirFsyncFails);
      fs.fsyncSync(fd);
    },
    closeSync(fd: number): void {
      const file = fs.fstatSync(fd).isFile();
      fs.closeSync(fd);
      if (f.closeFails && file) throw errno("EIO");
      if (f.dirCloseFails && !file) throw errno("EBADF");
    },
    fstatSync: (fd: number) => fs.fstatSync(fd),
    statSync: (p: string) => fs.statSync(p),
    fchownSync(fd: number, uid: number, gid: number): void {
      if (f.chownFails) throw errno("EPERM");
      fs.fchownSync(fd, uid, gid);
    },
    fchmodSync: (fd: number, mode: number) => fs.fchmodSync(fd, mode),
    renameSync(a: string, b: string): void {
      if (f.renameFails) throw errno("EXDEV");
      fs.renameSync(a, b);
    },
    unlinkSync(p: string): void {
      if (f.unlinkFails) throw errno("EACCES");
      fs.unlinkSync(p);
    },
  };
  return io;
}

/** The code faultyFs throws for these faults. */
function injectedCode(f: Faults): string {
  if (f.writeFailsAt !== undefined) return "ENOSPC";
  return f.renameFails ? "EXDEV" : "EIO";
}

function inTempDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(join(tmpdir(), "gomap-file-"));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const spec = specs[1];
const before = filled(spec, 300);
const after = filled(spec, 900);

function saveWith(m: AnyMap, path: string, f: Faults, chunkBytes?: number): ReturnType<typeof faultyFs> {
  const io = faultyFs(f);
  save(path, hmapOf(m), m.keyType, m.valueType, { fs: io, chunkBytes });
  return io;
}

for (const [name, faults] of [
  ["a full disk on the first write", { writeFailsAt: 0 }],
  ["a full disk halfway", { writeFailsAt: 5 }],
  ["a failed fsync", { fsyncFails: true }],
  ["a failed close", { closeFails: true }],
  ["a failed rename", { renameFails: true }],
] as [string, Faults][]) {
  test(`file: save with ${name}: the error reaches the caller, the old file is intact, no temporary file is left`, () => {
    inTempDir((dir) => {
      const path = join(dir, "m.gomap");
      before.save(path);
      const old = fs.readFileSync(path);
      assert.throws(
        () => saveWith(after, path, faults, 1024),
        (e: unknown) => {
          // The caller's path in the message, the system's code kept, the injected error as the cause.
          const err = e as NodeJS.ErrnoException;
          return err.message.includes(`"${path}"`) && err.code === injectedCode(faults) && /injected/.test(String(err.cause));
        },
      );
      assert.deepEqual(fs.readFileSync(path), old);
      assert.deepEqual(fs.readdirSync(dir), ["m.gomap"]);
      assertSameMap(before, GoMap.load(path, spec.keyType, spec.valueType) as AnyMap);
      // A save with no fault then replaces it.
      saveWith(after, path, {}, 1024);
      assertSameMap(after, GoMap.load(path, spec.keyType, spec.valueType) as AnyMap);
    });
  });
}

test("file: a failed first save leaves no file at all under the name", () => {
  inTempDir((dir) => {
    const path = join(dir, "new.gomap");
    assert.throws(() => saveWith(after, path, { writeFailsAt: 2 }, 512));
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

test("file: transfers are chunked: no call moves more than chunkBytes, and short reads and writes are resumed", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    const size = after.toBytes().length;
    const w = saveWith(after, path, {}, 100);
    assert.ok(w.largest <= 100 && w.writes >= size / 100, `${w.writes} writes, largest ${w.largest}`);
    const r = faultyFs({});
    const h = load(path, spec.keyType, spec.valueType, {}, { fs: r, chunkBytes: 64 });
    assert.ok(r.largest <= 64 && r.reads >= size / 64, `${r.reads} reads, largest ${r.largest}`);
    assertHolds(after, h);
    // A disk that moves 7 bytes a call.
    saveWith(after, path, { maxIo: 7 });
    assert.deepEqual(new Uint8Array(fs.readFileSync(path)), after.toBytes());
    const slow = faultyFs({ maxIo: 5 });
    assertHolds(after, load(path, spec.keyType, spec.valueType, {}, { fs: slow }));
    assert.ok(slow.reads > size / 5);
  });
});

test("file: a file cut short on disk is 'truncated'; a missing file is the system's error", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    after.save(path);
    fs.truncateSync(path, fs.statSync(path).size - 100);
    assert.equal(codeOf(() => GoMap.load(path, spec.keyType, spec.valueType)), "truncated");
    assert.throws(() => GoMap.load(join(dir, "none"), spec.keyType, spec.valueType), (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT");
  });
});

test("file: file system errors name the path the caller gave, keep the system's code, and leave nothing behind", () => {
  inTempDir((dir) => {
    const named = (path: string, code: string) => (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      return err.code === code && err.path === path && err.message.startsWith(`gomap: `) && err.message.includes(`"${path}"`) && !/\.tmp-/.test(err.message);
    };
    // A directory that does not exist: the temporary file's name is not what the caller asked for.
    const deep = join(dir, "no-such-dir", "m.gomap");
    assert.throws(() => after.save(deep), named(deep, "ENOENT"));
    // A path that is a directory: the rename fails, and the temporary file beside it is removed.
    const sub = join(dir, "sub");
    fs.mkdirSync(sub);
    assert.throws(() => after.save(sub), named(sub, "EISDIR"));
    assert.deepEqual(fs.readdirSync(dir), ["sub"]);
    assert.throws(() => GoMap.load(sub, spec.keyType, spec.valueType), named(sub, "EISDIR"));
    const none = join(dir, "none.gomap");
    assert.throws(() => GoMap.load(none, spec.keyType, spec.valueType), named(none, "ENOENT"));
    // gomap's own errors pass as they are.
    const file = join(dir, "m.gomap");
    after.save(file);
    fs.truncateSync(file, 10);
    assert.equal(codeOf(() => GoMap.load(file, spec.keyType, spec.valueType)), "truncated");
  });
});

test("file: a path may be a file: URL, as node:fs takes it; anything else is a TypeError", () => {
  inTempDir((dir) => {
    const url = pathToFileURL(join(dir, "m.gomap"));
    after.save(url);
    assertSameMap(after, GoMap.load(url, spec.keyType, spec.valueType) as AnyMap);
    assert.deepEqual(fs.readdirSync(dir), ["m.gomap"]);
    for (const bad of [new URL("https://example.invalid/m.gomap"), "", 7, undefined]) {
      assert.throws(
        () => after.save(bad as string),
        (e: unknown) => e instanceof TypeError && /a snapshot path must be a non-empty string or a file: URL, got/.test(e.message),
      );
      assert.throws(() => GoMap.load(bad as string, spec.keyType, spec.valueType), TypeError);
    }
    assert.deepEqual(fs.readdirSync(dir), ["m.gomap"]);
  });
});

/** The runtime handle h (from load) holds exactly m's entries. */
function assertHolds(m: AnyMap, h: HMap | null): void {
  assert.ok(h !== null);
  checkHMap(h);
  assert.equal(h.count, m.size);
  for (const [k, v] of m) {
    const b = h.rt.mapaccess(h, k);
    assert.ok(b !== 0, `key ${String(k)} missing`);
    assert.equal(canon(h.t.elem.read(h.heap, h.elemAt(b, h.slot))), canon(v));
  }
}

test("file: a load whose file fails to close reports the load's own error if it had one, else the close's, naming the path", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    after.save(path);
    fs.truncateSync(path, fs.statSync(path).size - 100);
    // The load failed first: that error is the one to see, not the close's EIO after it.
    assert.equal(codeOf(() => load(path, spec.keyType, spec.valueType, {}, { fs: faultyFs({ closeFails: true }) })), "truncated");
    // The load itself went well: the close's error, with the caller's path in it.
    after.save(path);
    assert.throws(
      () => load(path, spec.keyType, spec.valueType, {}, { fs: faultyFs({ closeFails: true }) }),
      (e: unknown) => (e as NodeJS.ErrnoException).code === "EIO" && (e as Error).message.includes(`"${path}"`),
    );
  });
});

/** An error of a save: the system's code, the caller's path in the message, the injected error as the cause. */
function savedWith(path: string, code: string) {
  return (e: unknown): boolean => {
    const err = e as NodeJS.ErrnoException;
    return err.code === code && err.path === path && err.message.includes(`"${path}"`) && /injected/.test(String(err.cause));
  };
}

test("file: after the rename, a directory that can't be opened (EISDIR, EPERM, EACCES) or fsynced (EISDIR, EINVAL, EPERM) is let be; any other error of either is reported", () => {
  const cases: { fault: "dirOpenFails" | "dirFsyncFails"; letBe: string[]; reported: string[] }[] = [
    { fault: "dirOpenFails", letBe: ["EISDIR", "EPERM", "EACCES"], reported: ["EMFILE", "EIO"] },
    { fault: "dirFsyncFails", letBe: ["EISDIR", "EINVAL", "EPERM"], reported: ["EIO", "ENOSPC", "EROFS"] },
  ];
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    for (const { fault, letBe, reported } of cases) {
      for (const code of [...letBe, ...reported]) {
        before.save(path);
        if (letBe.includes(code)) saveWith(after, path, { [fault]: code });
        else assert.throws(() => saveWith(after, path, { [fault]: code }), savedWith(path, code), `${fault} ${code}`);
        // The rename came first: the new file is in place, only its durability is in doubt.
        assertSameMap(after, GoMap.load(path, spec.keyType, spec.valueType) as AnyMap);
      }
    }
    assert.deepEqual(fs.readdirSync(dir), ["m.gomap"]);
  });
});

test("file: a directory fsync that fails and a close of the directory that fails too: the fsync's error is the one reported", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    assert.throws(() => saveWith(after, path, { dirFsyncFails: "EIO", dirCloseFails: true }), savedWith(path, "EIO"));
    // The fsync went well: the close's error is reported.
    assert.throws(() => saveWith(after, path, { dirCloseFails: true }), savedWith(path, "EBADF"));
  });
});

test("file: a write that makes no progress is an error, not an endless loop; the old file is intact, no temporary file left", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    before.save(path);
    const old = fs.readFileSync(path);
    for (const n of [0, -1, Number.NaN]) {
      let io: ReturnType<typeof faultyFs> | undefined;
      assert.throws(
        () => {
          io = faultyFs({ writeReturns: n });
          save(path, hmapOf(after), after.keyType, after.valueType, { fs: io, chunkBytes: 1024 });
        },
        // Named with the caller's path, as a system error of the save is.
        (e: unknown) => e instanceof Error && e.message === `gomap: cannot save a snapshot to "${path}": a write made no progress at byte 0`,
        String(n),
      );
      assert.equal(io?.writes, 1, "one call, then the error");
      assert.deepEqual(fs.readFileSync(path), old);
      assert.deepEqual(fs.readdirSync(dir), ["m.gomap"]);
    }
  });
});

test("file: a read that returns 0 bytes before the file's end is 'truncated', saying where and how much is missing", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    after.save(path);
    const size = fs.statSync(path).size;
    // fstat says the whole size (a file cut while it is read): only the read loop can tell.
    for (const end of [0, 64, size - 1]) {
      const at = end;
      assert.throws(
        () => load(path, spec.keyType, spec.valueType, {}, { fs: faultyFs({ readEndsAt: end }), chunkBytes: 1 << 20 }),
        (e: unknown) => e instanceof SnapshotError && e.code === "truncated" && / the file ends at byte \d+, \d+ bytes short$/.test(e.message) && e.detail.startsWith(`the file ends at byte ${at},`),
        String(end),
      );
    }
  });
});

test("file: after a failed write, close and remove failing too do not replace the write's error", () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    before.save(path);
    const old = fs.readFileSync(path);
    // The write fails (ENOSPC), then the close (EIO) and the unlink (EACCES) of the temporary file.
    assert.throws(() => saveWith(after, path, { writeFailsAt: 1, closeFails: true, unlinkFails: true }, 1024), savedWith(path, "ENOSPC"));
    // The close fails (EIO), then the unlink.
    assert.throws(() => saveWith(after, path, { closeFails: true, unlinkFails: true }, 1024), savedWith(path, "EIO"));
    // The rename fails (EXDEV), then the unlink.
    assert.throws(() => saveWith(after, path, { renameFails: true, unlinkFails: true }, 1024), savedWith(path, "EXDEV"));
    assert.deepEqual(fs.readFileSync(path), old);
    // The temporary files stay (their removal failed), under names a load never reads.
    const left = fs.readdirSync(dir).filter((n) => n !== "m.gomap");
    assert.equal(left.length, 3);
    for (const n of left) assert.match(n, /^m\.gomap\.tmp-[0-9a-f]{12}$/);
  });
});

test("file: a save over a file keeps its permission bits and group (or drops the group's bits), so it never widens who may read it; a symlink at the path is replaced, its target untouched", { skip: process.platform === "win32" }, () => {
  inTempDir((dir) => {
    const path = join(dir, "m.gomap");
    const umask = process.umask();
    save(path, hmapOf(before), before.keyType, before.valueType);
    assert.equal(fs.statSync(path).mode & 0o777, 0o644 & ~umask, "a new file");
    for (const mode of [0o600, 0o640, 0o400]) {
      fs.chmodSync(path, mode);
      save(path, hmapOf(after), after.keyType, after.valueType);
      assert.equal(fs.statSync(path).mode & 0o777, mode & ~umask, `over a file of mode ${mode.toString(8)}`);
      assertSameMap(GoMap.load(path, after.keyType, after.valueType), after);
    }
    // Another group: root may give it to the new file; a process that may not loses the group's bits.
    const other = fs.statSync(path).gid === 65534 ? 0 : 65534;
    if (process.getuid?.() === 0) {
      fs.chownSync(path, -1, other);
      fs.chmodSync(path, 0o640);
      save(path, hmapOf(after), after.keyType, after.valueType);
      assert.equal(fs.statSync(path).gid, other, "the replaced file's group");
      assert.equal(fs.statSync(path).mode & 0o777, 0o640 & ~umask);
      fs.chownSync(path, -1, other);
      fs.chmodSync(path, 0o644);
      save(path, hmapOf(after), after.keyType, after.valueType, { fs: faultyFs({ chownFails: true }) });
      assert.notEqual(fs.statSync(path).gid, other);
      assert.equal(fs.statSync(path).mode & 0o777, 0o604 & ~umask, "no group bits for a group the file was not in");
      assertSameMap(GoMap.load(path, after.keyType, after.valueType), after);
    }
    const target = join(dir, "target.txt");
    fs.writeFileSync(target, "not a snapshot");
    const link = join(dir, "link.gomap");
    fs.symlinkSync(target, link);
    save(link, hmapOf(after), after.keyType, after.valueType);
    assert.equal(fs.readFileSync(target, "utf8"), "not a snapshot");
    assert.ok(fs.lstatSync(link).isFile());
    assertSameMap(GoMap.load(link, after.keyType, after.valueType), after);
  });
});

test("file: loading a FIFO, a socket's or a device's path is refused as not a regular file, naming it: a FIFO's open would wait for a writer for ever", { skip: process.platform === "win32" }, () => {
  inTempDir((dir) => {
    const fifo = join(dir, "pipe.gomap");
    const made = spawnSync("mkfifo", [fifo]);
    assert.equal(made.status, 0, "mkfifo");
    // In a child process with a time limit: a load that waits for a writer would hang this one.
    const index = new URL("../../src/index.js", import.meta.url).href;
    for (const path of [fifo, "/dev/zero"]) {
      const script = `import { GoMap, types as t } from ${JSON.stringify(index)};
        try { GoMap.load(${JSON.stringify(path)}, t.u32, t.u32); console.log("loaded"); } catch (e) { console.log(e.message); }`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.signal, null, `loading ${path} did not finish`);
      assert.equal(r.stdout.trim(), `gomap: cannot load a snapshot from "${path}": it is not a regular file`);
    }
  });
});
