// Operation scripts: the text format `gomap inspect FILE` reads to build a map, one JSON
// object a line (JSON Lines). Blank lines and lines starting with # are skipped.
//
//   {"op": "make", "key": "string", "value": "int", "hint": 100}   first, exactly once
//   {"op": "set", "key": "alice", "value": 35}
//   {"op": "delete", "key": "alice"}
//   {"op": "clear"}
//
// Types are Go's names: bool, int8..int64, uint8..uint64, int and uint (64-bit), byte (uint8),
// rune (int32), float32, float64, string, [N]byte (a JSON array of N numbers, N in 0..2^20), and
// {"struct": {"field": type, ...}} (a JSON object). 64-bit integers are JSON numbers (safe
// integers). "hint" is optional. Every error names the file's line: "ops.jsonl:3: ...".
//
// A script may come from anyone, and costs what its budget allows, whatever it says
// (scriptBudget: 64 MiB plus 16 bytes a character): its map's heap may grow to the budget,
// and its set and delete lines may hash and store that many bytes of keys and values in all.
// A line spells out what it stores but for two things that cost bytes it does not show: a
// hint, and a struct's fields left out (zero), so a line of 30 bytes could store or hash a
// struct of 2 GiB. Building a struct type costs too (a zero value for each length of [N]byte
// it names), so make's types are held to the budget as well.
import { GoMap, types as t } from "../index.js";
import { isStructType } from "../types/struct.js";
import type { AnyType } from "../types/type.js";

export type AnyMap = GoMap<unknown, unknown, unknown, unknown>;

/** A line of a script that can't be run: its 1-based line number and why. */
export class ScriptError extends Error {
  override readonly name = "ScriptError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`${line}: ${message}`);
  }
}

export interface ScriptResult {
  map: AnyMap;
  /** Go's spelling of the map's type: map[string]int. */
  type: string;
  ops: { set: number; delete: number; clear: number };
}

const NAMED: Record<string, AnyType> = {
  bool: t.bool,
  int8: t.i8,
  int16: t.i16,
  int32: t.i32,
  rune: t.i32,
  int64: t.i64.asNumber,
  int: t.i64.asNumber,
  uint8: t.u8,
  byte: t.u8,
  uint16: t.u16,
  uint32: t.u32,
  uint64: t.u64.asNumber,
  uint: t.u64.asNumber,
  float32: t.f32,
  float64: t.f64,
  string: t.string,
};

/** The longest [N]byte a script may name. */
const MAX_SCRIPT_BYTES = 1 << 20;

/** What scriptBudget allows any script, and what it adds for each character of its text. */
export const SCRIPT_BUDGET_BASE = 64 << 20;
export const SCRIPT_BUDGET_PER_CHAR = 16;

/** The bytes a script of this text may use (see the header): its heap's ceiling, and its lines' keys and values in all. */
export function scriptBudget(text: string): number {
  return SCRIPT_BUDGET_BASE + SCRIPT_BUDGET_PER_CHAR * text.length;
}

/** A [N]byte type's name, N captured. */
const ARRAY_NAME = /^\[(\d+)\]byte$/;

/** The type a script names, or an Error saying what is wrong with the name. */
export function typeOf(spec: unknown): AnyType {
  if (typeof spec === "string") {
    const named = NAMED[spec];
    if (named !== undefined) return named;
    const arr = ARRAY_NAME.exec(spec);
    if (arr !== null) {
      // [0]byte is Go's (and t.bytes(0)); the bound keeps a script's arrays to what JSON can sensibly spell out.
      if (Number(arr[1]) > MAX_SCRIPT_BYTES) throw new Error(`${spec} is too long for a script: N may be at most ${MAX_SCRIPT_BYTES}`);
      return t.bytes(Number(arr[1]));
    }
    throw new Error(`unknown type ${JSON.stringify(spec)} (want bool, intN, uintN, int, uint, float32, float64, string, [N]byte or {"struct": {...}})`);
  }
  if (typeof spec === "object" && spec !== null && !Array.isArray(spec)) {
    const fields = (spec as { struct?: unknown }).struct;
    if (Object.keys(spec).length === 1 && typeof fields === "object" && fields !== null && !Array.isArray(fields)) {
      const out: Record<string, AnyType> = {};
      for (const [name, f] of Object.entries(fields)) out[name] = typeOf(f);
      return t.struct(out);
    }
  }
  throw new Error(`a type is a name or {"struct": {"field": type, ...}}, got ${JSON.stringify(spec)}`);
}

/**
 * The bytes of the zero values building these types makes: struct() makes one for each of its
 * [N]byte fields' types, and t.bytes(n) is one type a length, so each N named counts once. What
 * typeOf would refuse counts as nothing.
 */
function arrayBytes(specs: unknown[]): number {
  const lengths = new Set<number>();
  const walk = (spec: unknown): void => {
    const arr = typeof spec === "string" ? ARRAY_NAME.exec(spec) : null;
    if (arr !== null) lengths.add(Number(arr[1]));
    const fields = typeof spec === "object" && spec !== null ? (spec as { struct?: unknown }).struct : undefined;
    if (typeof fields === "object" && fields !== null) Object.values(fields).forEach(walk);
  };
  specs.forEach(walk);
  return [...lengths].reduce((sum, n) => sum + n, 0);
}

/**
 * A JSON value as the type takes it: [N]byte arrays become Uint8Arrays, struct fields too. A
 * 64-bit integer past 2^53 - 1 is refused here, naming why: JSON.parse may have rounded it
 * (2^53 + 1 reads as 2^53), and the type's own message would suggest a bigint, which a JSON
 * script cannot hold.
 */
function fromJSON(type: AnyType, v: unknown): unknown {
  if ((type.kind === "i64" || type.kind === "u64") && typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) {
    throw new RangeError(`${v} (the JSON number as read) is not a safe integer: a script's 64-bit integers are JSON numbers, exact only up to 2^53 - 1`);
  }
  if (type.kind === "bytes" && Array.isArray(v)) {
    if (!v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) throw new RangeError(`${JSON.stringify(v)} is not an array of bytes`);
    return Uint8Array.from(v as number[]);
  }
  if (isStructType(type) && typeof v === "object" && v !== null && !Array.isArray(v)) {
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const f of type.fields) if (Object.hasOwn(out, f.name)) out[f.name] = fromJSON(f.type, out[f.name]);
    return out;
  }
  return v;
}

type Op = { op: "make"; key: unknown; value: unknown; hint?: unknown } | { op: "set"; key: unknown; value: unknown } | { op: "delete"; key: unknown } | { op: "clear" };

const FIELDS: Record<string, string[]> = { make: ["key", "value"], set: ["key", "value"], delete: ["key"], clear: [] };
const OPTIONAL: Record<string, string[]> = { make: ["hint"], set: [], delete: [], clear: [] };

function parseLine(text: string): Op {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`each line is a JSON object, got ${text.length > 40 ? text.slice(0, 40) + "..." : text}`);
  const op = (v as { op?: unknown }).op;
  if (typeof op !== "string" || !Object.hasOwn(FIELDS, op)) throw new Error(`"op" must be one of make, set, delete, clear; got ${JSON.stringify(op)}`);
  for (const f of FIELDS[op]) if (!(f in v)) throw new Error(`${op} needs "${f}"`);
  for (const f of Object.keys(v)) {
    if (f !== "op" && !FIELDS[op].includes(f) && !OPTIONAL[op].includes(f)) throw new Error(`${op} takes no "${f}"`);
  }
  return v as Op;
}

/**
 * Runs a script's text; calls progress(linesDone, linesTotal) now and then. Throws
 * ScriptError naming the first line that can't be run.
 */
export function runScript(text: string, progress: (done: number, total: number) => void = () => {}): ScriptResult {
  const lines = text.split("\n");
  let m: AnyMap | null = null;
  let kt: AnyType | null = null;
  let vt: AnyType | null = null;
  const ops = { set: 0, delete: 0, clear: 0 };
  const budget = scriptBudget(text);
  let handled = 0;
  for (let i = 0; i < lines.length; i++) {
    if ((i & 0x3fff) === 0) progress(i, lines.length);
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    try {
      const op = parseLine(line);
      if (op.op === "make") {
        if (m !== null) throw new Error("make may come only once, first");
        const arrays = arrayBytes([op.key, op.value]);
        if (arrays > budget) throw new Error(`the key and value types name [N]byte arrays of ${arrays} bytes, more than the script's budget of ${budget} bytes`);
        kt = typeOf(op.key);
        vt = typeOf(op.value);
        if (op.hint !== undefined && (typeof op.hint !== "number" || !Number.isInteger(op.hint) || op.hint < 0)) {
          throw new Error(`hint must be a whole number, got ${JSON.stringify(op.hint)}`);
        }
        m = GoMap.make(kt, vt, { hint: op.hint as number | undefined, maxBytes: budget }) as AnyMap;
        continue;
      }
      if (m === null || kt === null || vt === null) throw new Error(`the script must start with {"op": "make", ...} before "${op.op}"`);
      if (op.op !== "clear") handled += kt.size + (op.op === "set" ? vt.size : 0);
      if (handled > budget) throw new Error(`the script's keys and values come to more than its budget of ${budget} bytes (${SCRIPT_BUDGET_BASE} and ${SCRIPT_BUDGET_PER_CHAR} a character of the script)`);
      if (op.op === "set") m.set(fromJSON(kt, op.key), fromJSON(vt, op.value));
      else if (op.op === "delete") m.delete(fromJSON(kt, op.key));
      else m.clear();
      ops[op.op]++;
    } catch (err) {
      throw new ScriptError(i + 1, (err as Error).message.replace(/^gomap: /, ""));
    }
  }
  if (m === null || kt === null || vt === null) {
    // The file's last line: a final newline ends that line, it starts no new one.
    const last = lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
    throw new ScriptError(last, `no {"op": "make", ...} line: nothing to inspect`);
  }
  progress(lines.length, lines.length);
  return { map: m, type: `map[${kt.name}]${vt.name}`, ops };
}
