// The benchmark entry points' command lines (`npm run bench* -- FLAGS`): each names the flags
// it takes, and anything else (a misspelt `--quik`, `--sizes` given to a script that has no
// such flag, a stray argument) exits 2 naming it and the flags there are, before anything is
// built or measured, instead of being ignored and running the full benchmark for minutes.
import { parseArgs } from "node:util";

export type FlagKinds = Record<string, "boolean" | "string">;

/** The flags given to `script` (npm's name for it, for messages), checked against `known`. */
export function flags(script: string, known: FlagKinds): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(Object.entries(known).map(([name, type]) => [name, { type }]));
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const msg = (err as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(msg);
    const missing = /^Option '(\S+)(?: <value>)?' argument missing/.exec(msg);
    const positional = /^Unexpected argument '([^']*)'/.exec(msg);
    const why = unknown !== null ? `unknown option ${unknown[1]}`
      : missing !== null ? `${missing[1]} needs a value`
      : positional !== null ? `unexpected argument ${JSON.stringify(positional[1])}`
      : msg;
    const list = Object.entries(known).map(([name, type]) => `--${name}${type === "string" ? " VALUE" : ""}`).join(", ");
    const takes = list === "" ? "no flags" : `${list} (after \`--\`: npm run ${script} -- --${Object.keys(known)[0]})`;
    process.stderr.write(`npm run ${script}: ${why}\n${script} takes ${takes}\n`);
    process.exit(2);
  }
}
