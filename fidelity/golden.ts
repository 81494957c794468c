// Writes the golden runs: each hand-written script (rules.ts) and a few small random ones
// (gen.ts), run on real Go 1.19, saved as golden/NAME.script.json and golden/NAME.go.jsonl,
// plus golden/vectors.json (hash test vectors). The tests compare gomap against these files
// whether or not Go is installed. Run: npm run fidelity:golden (needs Go 1.19).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GO_SOURCE, buildGoProgram, findGo, runGoBinary, runOnGo } from "./go.js";
import { GOLDEN_RANDOM } from "./goldenset.js";
import { RULE_SCRIPTS } from "./rules.js";

const GOLDEN = join(GO_SOURCE, "../golden");

function main(): void {
  const go = findGo();
  if (go === null) throw new Error("Go 1.19 not found: install golang-1.19-go or set GOMAP_GO");
  const bin = buildGoProgram(go);
  mkdirSync(GOLDEN, { recursive: true });
  for (const f of readdirSync(GOLDEN)) rmSync(join(GOLDEN, f));
  for (const s of [...RULE_SCRIPTS, ...GOLDEN_RANDOM]) {
    const records = runOnGo(bin, s);
    writeFileSync(join(GOLDEN, `${s.name}.script.json`), JSON.stringify(s) + "\n");
    writeFileSync(join(GOLDEN, `${s.name}.go.jsonl`), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  }
  writeFileSync(join(GOLDEN, "vectors.json"), runGoBinary(bin, ["-vectors"]));
  console.log(`wrote ${RULE_SCRIPTS.length + GOLDEN_RANDOM.length} golden runs and vectors.json to fidelity/golden`);
}

main();
