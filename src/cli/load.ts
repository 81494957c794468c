// Where `gomap inspect FILE` gets a map from: a list of loaders, each recognising its own
// files by their first bytes. Two: snapshots (GoMap's save and toBytes: the map as it was
// saved, its types read from the file) and operation scripts (script.ts). The snapshot loader
// comes first: its magic bytes are a surer sign than a script's leading "{" or "#".
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { GoMap } from "../gomap.js";
import { MAGIC } from "../snapshot/format.js";
import { snapshotTypes } from "../snapshot/index.js";
import type { AnyMap } from "./script.js";
import { runScript } from "./script.js";
import { plural } from "./format.js";

export interface Loaded {
  map: AnyMap;
  /** What the file held, in a few words: "operation script: 3 sets, 1 delete, 0 clears". */
  description: string;
  /** Go's spelling of the map's type. */
  type: string;
}

export interface MapLoader {
  /** "script", "snapshot": names the kind in messages and in --json output. */
  readonly kind: string;
  /** Whether the file, whose first bytes are `head`, is this loader's to read. */
  accepts(head: Uint8Array): boolean;
  /** Builds the map; progress(done, total) as it goes. Throws Error with a message naming what's wrong. */
  load(bytes: Uint8Array, progress: (done: number, total: number) => void): Loaded;
}

export const scriptLoader: MapLoader = {
  kind: "script",
  accepts(head) {
    const text = new TextDecoder().decode(head).trimStart();
    return text === "" || text.startsWith("{") || text.startsWith("#");
  },
  load(bytes, progress) {
    const r = runScript(new TextDecoder("utf-8", { fatal: true }).decode(bytes), progress);
    return { map: r.map, type: r.type, description: `operation script: ${plural(r.ops.set, "set")}, ${plural(r.ops.delete, "delete")}, ${plural(r.ops.clear, "clear")}` };
  },
};

export const snapshotLoader: MapLoader = {
  kind: "snapshot",
  accepts(head) {
    // A head shorter than the magic fails too: head[i] past its end is undefined.
    return MAGIC.every((b, i) => head[i] === b);
  },
  load(bytes) {
    // A snapshot's errors (SnapshotError) name what is wrong; they pass through as they are.
    const { keyType, valueType } = snapshotTypes(bytes);
    const map = GoMap.fromBytes(bytes, keyType, valueType) as AnyMap;
    const what = map.isNil ? "a nil map" : plural(map.size, "entry", "entries");
    return { map, type: `map[${keyType.name}]${valueType.name}`, description: `snapshot: ${what}` };
  },
};

export const LOADERS: MapLoader[] = [snapshotLoader, scriptLoader];

/**
 * The bytes of the file at path; Error "not a regular file" for a FIFO, a socket or a device,
 * whose read would wait for a writer or never end (/dev/zero). Opened without blocking, so a
 * FIFO's open does not wait either; a directory fails with the system's EISDIR, as a read does.
 */
async function readRegularFile(path: string): Promise<Uint8Array> {
  const file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await file.stat();
    if (!st.isFile() && !st.isDirectory()) throw new Error("not a regular file");
    return new Uint8Array(await file.readFile());
  } finally {
    await file.close();
  }
}

/** Reads path and builds its map with the first loader that accepts it. */
export async function loadMap(path: string, progress: (done: number, total: number) => void): Promise<Loaded & { kind: string }> {
  const bytes = await readRegularFile(path);
  const head = bytes.subarray(0, 64);
  const loader = LOADERS.find((l) => l.accepts(head));
  if (loader === undefined) throw new Error(`not a file gomap can read (want one of: ${LOADERS.map((l) => l.kind).join(", ")})`);
  return { ...loader.load(bytes, progress), kind: loader.kind };
}
