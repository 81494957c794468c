#!/usr/bin/env node
// The `gomap` command: `gomap <command> [options]`, one module a command (demo, inspect,
// bench, play), each with its own --help. `gomap help` (or no command) lists them.
//
// Exit codes (command.ts): 0 done, 1 the command could not do its job, 2 a wrong command
// line; a usage error prints the command's usage on stderr, nothing on stdout.
import { readFileSync } from "node:fs";
import { bench } from "./bench.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, parse } from "./command.js";
import type { Command } from "./command.js";
import { demo } from "./demo.js";
import { inspectCommand } from "./inspect.js";
import { play } from "./play.js";

const COMMANDS: Command[] = [demo, inspectCommand, bench, play];

const USAGE = `usage: gomap <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join("\n")}
  help    show this text; \`gomap <command> --help\` shows a command's own
  version print gomap's version (also --version, -v)

exit codes: 0 done, 1 the command failed (a bad file, a port in use), 2 a wrong command line
`;

async function main(argv: string[]): Promise<number> {
  const name = argv[0] ?? "help";
  if (name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (name === "version" || name === "--version" || name === "-v") {
    process.stdout.write(`gomap ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd === undefined) {
    process.stderr.write(`gomap: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const { values, positionals } = parse(cmd, argv.slice(1));
    if (values.help === true) {
      process.stdout.write(cmd.usage);
      return EXIT_OK;
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gomap ${cmd.name}: ${err.message}\n\n${cmd.usage}`);
      return EXIT_USAGE;
    }
    process.stderr.write(`gomap ${cmd.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

/** The version in the package's package.json (three folders above build/src/cli/main.js). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

// A reader that stops early (`gomap inspect FILE --bucket all | head`) closes the pipe: the
// rest of the output has nowhere to go, which is no failure of the command. Any other error
// writing stdout is one line on stderr, not a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") process.stderr.write(`gomap: writing the output: ${err.message}\n`);
  process.exit(err.code === "EPIPE" ? EXIT_OK : EXIT_FAILURE);
});

process.exitCode = await main(process.argv.slice(2));
