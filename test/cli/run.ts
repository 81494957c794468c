// Runs the built `gomap` command as a user would: node on build/src/cli/main.js, in a child
// process; for the CLI tests. (This file is build/test/cli/run.js once built.)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** gomap with these arguments, to the end; its exit status and output. */
export function gomap(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** gomap's stdout parsed as JSON, once it exited 0 (else an error with its stderr). */
export function gomapJSON(...args: string[]): any {
  const r = gomap(...args);
  if (r.status !== 0) throw new Error(`gomap ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * gomap with these arguments, in a node that first runs `preload` (JavaScript source, given
 * to --import as a data: URL): a way to make a command meet a failure it has no flag for.
 */
export function gomapAfter(preload: string, ...args: string[]): Ran {
  const r = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
