// How util.inspect and console.log show gomap's maps: as they show a Map, a head and the
// entries, `GoMap(2) [map[uint32]uint32] { 1 => 2, 3 => 4 }`, on one line when it fits in
// breakLength, else one entry a line. Node finds the method under a registered symbol, so
// nothing here imports node:util and the maps still load in a browser.

/** Node's key for a custom util.inspect. */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/** The util.inspect options read here (Node passes them all). */
export interface InspectStyle {
  depth?: number | null;
  maxArrayLength?: number | null;
  breakLength?: number;
}

/** Node's inspect, as it passes it to a custom inspect. */
export type InspectFn = (v: unknown, options: InspectStyle) => string;

/** The escape codes of util.inspect's colours. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** How many entries to show: options.maxArrayLength, 100 by default. */
export function entriesToShow(options: InspectStyle): number {
  return options.maxArrayLength ?? 100;
}

/**
 * `head { k => v, ... }`: the entries shown one nesting level down, then `more` (a count of
 * the entries left out, or a phrase), nothing when it is 0. `depth` is the levels left, as
 * Node passes it to a custom inspect (options.depth is the caller's whole depth, which a map
 * nested in other objects would show too deep).
 */
export function showEntries(
  head: string,
  entries: [unknown, unknown][],
  more: number | string,
  depth: number,
  options: InspectStyle,
  inspect: InspectFn,
): string {
  if (entries.length === 0 && more === 0) return `${head} {}`;
  const inner = { ...options, depth: options.depth === null || options.depth === undefined ? options.depth : depth - 1 };
  const parts = entries.map(([k, v]) => `${inspect(k, inner)} => ${inspect(v, inner)}`);
  if (typeof more === "string") parts.push(more);
  else if (more > 0) parts.push(`... ${more} more item${more === 1 ? "" : "s"}`);
  const oneLine = `${head} { ${parts.join(", ")} }`;
  // Measured without colours: in a terminal, inspect wraps each key and value in escape codes.
  if (oneLine.replace(ANSI, "").length <= (options.breakLength ?? 80) && !oneLine.includes("\n")) return oneLine;
  return `${head} {\n${parts.map((p) => "  " + p.replaceAll("\n", "\n  ")).join(",\n")}\n}`;
}
