// Go's hashWriting flag: a write sets it on entry and clears it on exit; a write, read or
// iteration step that finds it set refuses to run ("concurrent map writes", "concurrent map
// read and map write", "concurrent map iteration and map write"). Go toggles the flag with
// XOR so that two racing writers are likelier to notice each other; the exit check catches a
// writer that cleared the flag under another. Here it catches re-entrant writes (a write from
// inside update's callback, or from a hasher), and a later release shares it between threads.
import { GoMapError } from "../errors.js";
import type { HMap } from "./hmap.js";
import { Flag, Hmap } from "./layout.js";

/** Marks a write as started; throws if one is in progress. */
export function beginWrite(h: HMap): void {
  const u8 = h.heap.u8;
  if ((u8[Hmap.flags] & Flag.hashWriting) !== 0) throw new GoMapError("concurrent map writes");
  u8[Hmap.flags] ^= Flag.hashWriting;
}

/** Marks the write as finished; throws if someone else cleared the flag meanwhile. */
export function endWrite(h: HMap): void {
  const u8 = h.heap.u8;
  if ((u8[Hmap.flags] & Flag.hashWriting) === 0) throw new GoMapError("concurrent map writes");
  u8[Hmap.flags] &= ~Flag.hashWriting;
}

/** Clears the flag after a write that threw (it changed nothing, or undid what it did). */
export function abandonWrite(h: HMap): void {
  h.heap.u8[Hmap.flags] &= ~Flag.hashWriting;
}
