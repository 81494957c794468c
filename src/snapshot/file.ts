// Snapshot files: an atomic save and a chunked load, through a small fs-like interface so
// that tests can make any call fail (a full disk, a failed fsync, a failed rename).
//
// save: writes `path.tmp-<random>` (created exclusively), in chunks, fsyncs it, closes it,
// renames it over `path`, then fsyncs the directory so the rename itself survives a crash.
// The new file takes the permission bits and the group of the file it replaces (0o644 when
// there is none), less the umask; where the group can't be given (a process not in it), the
// group's bits are taken away instead: a save never lets more users read a map than could before. A symlink at
// `path` is replaced by the file, not written through.
// On any error before the rename the temporary file is removed and `path` is untouched: a
// reader of `path` sees the old snapshot or the new one, never a part of one. (A crash, as
// opposed to an error, can leave a `.tmp-` file behind; it is never read.) An error of the
// directory's opening or fsync is thrown with the new file already in place, unless the
// platform cannot open or fsync a directory at all (EISDIR, EINVAL, EPERM) or this process
// may not read it (EACCES). Where a call fails and the cleanup
// after it fails too (a close, a removal), the first error is the one thrown.
//
// load: opens the file without blocking and refuses a FIFO, a socket or a device (a FIFO's
// open would wait for a writer for ever, a device's reads might never end), then reads it; a
// directory fails with the system's EISDIR, as any read of one does.
//
// Chunks: Node's single read or write call stops short of 2 GiB, and a heap may be up to 4
// GiB, so every transfer is a loop of calls of at most `chunkBytes` (64 MiB by default) that
// also copes with short reads and writes.
//
// A file system error is rethrown naming the path the caller gave (withPath), with the
// system's code kept: the temporary name, or no name at all, would otherwise show.
//
// Both are synchronous: a save or load is one long copy with nothing to interleave, and the
// event loop is blocked for its duration (about a second a GiB, see README).
import { nodeModule } from "../platform.js";
import { GoMapError, SnapshotError } from "../errors.js";
import type { Source } from "./restore.js";

/** The calls save and load make; node:fs has them all. */
export interface SnapshotFs {
  openSync(path: string, flags: string | number, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number; mode: number; uid: number; gid: number; isFile(): boolean; isDirectory(): boolean };
  statSync(path: string): { mode: number; gid: number };
  fchownSync(fd: number, uid: number, gid: number): void;
  fchmodSync(fd: number, mode: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

/** node:fs (fetched when first needed, so this module also loads in a browser). */
export function defaultFs(): SnapshotFs {
  return nodeModule<SnapshotFs>("node:fs", "saving and loading snapshot files");
}

/** A random suffix for the temporary file. */
function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("");
}
/** The largest single read or write. */
export const DEFAULT_CHUNK = 64 << 20;

export interface FileOptions {
  fs?: SnapshotFs;
  chunkBytes?: number;
}

/** Writes `parts` to `path` atomically (see the header comment). */
export function writeAtomic(path: string, parts: readonly Uint8Array[], opts: FileOptions = {}): void {
  try {
    writeVia(opts.fs ?? defaultFs(), path, parts, opts.chunkBytes ?? DEFAULT_CHUNK);
  } catch (err) {
    throw withPath(err, "save a snapshot to", path, "its directory does not exist");
  }
}

function writeVia(io: SnapshotFs, path: string, parts: readonly Uint8Array[], chunk: number): void {
  const tmp = `${path}.tmp-${randomHex()}`;
  const old = replaced(io, path);
  const fd = io.openSync(tmp, "wx", old?.mode ?? 0o644);
  try {
    if (old !== null) keepGroup(io, fd, old.gid);
    let pos = 0;
    for (const p of parts) pos += writeAll(io, fd, p, pos, chunk, path);
    io.fsyncSync(fd);
  } catch (err) {
    closeQuietly(io, fd);
    removeQuietly(io, tmp);
    throw err;
  }
  try {
    io.closeSync(fd);
    io.renameSync(tmp, path);
  } catch (err) {
    removeQuietly(io, tmp);
    throw err;
  }
  syncDirectory(io, nodeModule<{ dirname(path: string): string }>("node:path", "saving snapshot files").dirname(path));
}

/** The permission bits and group of the file a save replaces (its target, for a symlink); null when there is none. */
function replaced(io: SnapshotFs, path: string): { mode: number; gid: number } | null {
  try {
    const st = io.statSync(path);
    return { mode: st.mode & 0o777, gid: st.gid };
  } catch {
    return null;
  }
}

/**
 * Gives the new file (fd) the group `gid` of the file it replaces; where the process may not
 * (it is not in that group), takes the group's permission bits away instead, so that the
 * process's own group does not gain what the old group had.
 */
function keepGroup(io: SnapshotFs, fd: number, gid: number): void {
  const st = io.fstatSync(fd);
  if (st.gid === gid) return;
  try {
    io.fchownSync(fd, st.uid, gid);
  } catch {
    io.fchmodSync(fd, st.mode & 0o707);
  }
}

/** What the system's error codes likeliest for a snapshot file mean, in the caller's terms. */
const REASONS: Record<string, string> = {
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
};

/**
 * What a system error (one with a code such as ENOENT) means, in the caller's terms and with
 * the code: "it is a directory (EISDIR)". `missing` says what ENOENT means where it happened.
 * Undefined for anything that is not a system error.
 */
export function fsReason(err: unknown, missing: string): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== "object" || typeof e.code !== "string" || !/^E[A-Z0-9]+$/.test(e.code)) return undefined;
  const reason = e.code === "ENOENT" ? missing : REASONS[e.code];
  return reason !== undefined ? `${reason} (${e.code})` : String(e.message);
}

/**
 * A file system error of a save or load, told with the path the caller gave: a failed save
 * would otherwise name the temporary `path.tmp-<random>` (or nothing, as a read of a directory
 * does). The system error's code, errno and syscall are kept, and the error itself is the
 * cause. Anything else (a SnapshotError, gomap's own errors) passes as it is.
 */
function withPath(err: unknown, action: string, path: string, missing: string): unknown {
  const why = fsReason(err, missing);
  if (why === undefined) return err;
  const e = err as { code: string; errno?: unknown; syscall?: unknown };
  return Object.assign(new Error(`gomap: cannot ${action} "${path}": ${why}`, { cause: err }), {
    code: e.code,
    errno: e.errno,
    syscall: e.syscall,
    path,
  });
}

/** Writes all of p at `pos`, in chunks; returns p's length. A write that moves nothing is an error naming `path`. */
function writeAll(io: SnapshotFs, fd: number, p: Uint8Array, pos: number, chunk: number, path: string): number {
  let done = 0;
  while (done < p.length) {
    const n = io.writeSync(fd, p, done, Math.min(chunk, p.length - done), pos + done);
    if (!(n > 0)) throw new Error(`gomap: cannot save a snapshot to "${path}": a write made no progress at byte ${pos + done}`);
    done += n;
  }
  return p.length;
}

/**
 * Makes a rename durable. A directory this process can't open (EISDIR, EPERM: platforms that
 * don't open directories; EACCES: one it may write but not read) or platforms that cannot
 * fsync one (EISDIR, EINVAL, EPERM) are let be; any other error (EMFILE, EIO) is thrown.
 */
function syncDirectory(io: SnapshotFs, dir: string): void {
  let fd: number;
  try {
    fd = io.openSync(dir, "r");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "EISDIR" || code === "EPERM" || code === "EACCES") return;
    throw err;
  }
  try {
    io.fsyncSync(fd);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM") {
      closeQuietly(io, fd); // the fsync's error is the one to report
      throw err;
    }
  }
  io.closeSync(fd);
}

function closeQuietly(io: SnapshotFs, fd: number): void {
  try {
    io.closeSync(fd);
  } catch {
    // the write or the load already failed; that error is the one to report
  }
}

function removeQuietly(io: SnapshotFs, path: string): void {
  try {
    io.unlinkSync(path);
  } catch {
    // nothing more can be done; the name is never read
  }
}

/** Runs fn with a Source over the file at path, read in chunks. */
export function withFileSource<R>(path: string, fn: (src: Source) => R, opts: FileOptions = {}): R {
  const io = opts.fs ?? defaultFs();
  const chunk = opts.chunkBytes ?? DEFAULT_CHUNK;
  const fd = loadCall(path, () => io.openSync(path, readFlags()));
  let result: R;
  try {
    const st = loadCall(path, () => io.fstatSync(fd));
    if (!st.isFile() && !st.isDirectory()) throw new GoMapError(`gomap: cannot load a snapshot from "${path}": it is not a regular file`);
    result = fn({
      size: st.size,
      read: (into, position) => loadCall(path, () => readAll(io, fd, into, position, chunk)),
    });
  } catch (err) {
    closeQuietly(io, fd); // the load's error is the one to report
    throw err;
  }
  loadCall(path, () => io.closeSync(fd));
  return result;
}

/** Read-only, and non-blocking so that opening a FIFO returns at once (where the platform has the flag). */
function readFlags(): number {
  const { constants } = nodeModule<{ constants: { O_RDONLY: number; O_NONBLOCK?: number } }>("node:fs", "loading snapshot files");
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
}

/** f(), a file system call of a load, whose error names path (withPath). */
function loadCall<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw withPath(err, "load a snapshot from", path, "no such file");
  }
}

/** Fills `into` from the file's bytes at `position`, in chunks; a file that ends first is truncated. */
function readAll(io: SnapshotFs, fd: number, into: Uint8Array, position: number, chunk: number): void {
  let done = 0;
  while (done < into.length) {
    const n = io.readSync(fd, into, done, Math.min(chunk, into.length - done), position + done);
    if (!(n > 0)) throw new SnapshotError("truncated", `the file ends at byte ${position + done}, ${into.length - done} bytes short`);
    done += n;
  }
}
