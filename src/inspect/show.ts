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

/** How many entries to show: options.maxArrayLength, 100 by default. */
export function entriesToShow(options: InspectStyle): number {
  return options.maxArrayLength ?? 100;
}

/**
 * `head { k => v, ... }`: the entries shown one nesting level down, then `more` (a count of
 * the entries left out, or a phrase), nothing when it is 0.
 */
export function showEntries(head: string, entries: [unknown, unknown][], more: number | string, options: InspectStyle, inspect: InspectFn): string {
  if (entries.length === 0 && more === 0) return `${head} {}`;
  const depth = options.depth;
  const inner = { ...options, depth: depth === null || depth === undefined ? depth : depth - 1 };
  const parts = entries.map(([k, v]) => `${inspect(k, inner)} => ${inspect(v, inner)}`);
  if (typeof more === "string") parts.push(more);
  else if (more > 0) parts.push(`... ${more} more item${more === 1 ? "" : "s"}`);
  const oneLine = `${head} { ${parts.join(", ")} }`;
  if (oneLine.length <= (options.breakLength ?? 80) && !oneLine.includes("\n")) return oneLine;
  return `${head} {\n${parts.map((p) => "  " + p.replaceAll("\n", "\n  ")).join(",\n")}\n}`;
}
