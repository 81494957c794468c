// The random scripts whose Go runs are committed (golden/), beside the hand-written ones:
// small, so the files stay small, one per key type.
import { randomScript } from "./gen.js";
import type { Script } from "./script.js";

export const GOLDEN_RANDOM: Script[] = [
  randomScript(1, { key: "u32", size: 200, dumpEvery: 200 }),
  randomScript(2, { key: "u64", size: 120, dumpEvery: 200 }),
  randomScript(3, { key: "string", size: 120, dumpEvery: 200 }),
  randomScript(4, { key: "struct", size: 100, dumpEvery: 200 }),
];
