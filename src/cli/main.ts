#!/usr/bin/env node
// The `gomap` command: `gomap <command> [options]`, one module a command (demo, inspect,
// bench, play, version), each with its own --help. `gomap help` (or no command) lists them;
// `gomap help <command>` shows one's --help.
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

/** `gomap version`: a command like the others, so it takes --json and --help and refuses the rest. */
const version: Command = {
  name: "version",
  summary: "print gomap's version (also --version, -v)",
  usage: `usage: gomap version [--json]

Prints gomap's version (the package's): "gomap 0.1.0".

options:
  --json      print {"version": ...} as one line of JSON instead
  -h, --help  show this text
`,
  options: { json: { type: "boolean" } },
  async run(values) {
    const v = packageVersion();
    process.stdout.write(values.json === true ? `${JSON.stringify({ version: v })}\n` : `gomap ${v}\n`);
    return EXIT_OK;
  },
};

const COMMANDS: Command[] = [demo, inspectCommand, bench, play, version];

const USAGE = `usage: gomap <command> [options]

commands:
${COMMANDS.filter((c) => c !== version).map((c) => `  ${c.name.padEnd(8)}${c.summary}`).join("\n")}
  help    show this text; \`gomap help <command>\` shows a command's own --help
  version ${version.summary}

exit codes: 0 done, 1 the command failed (a bad file, a port in use), 2 a wrong command line
`;

async function main(argv: string[]): Promise<number> {
  const name = argv[0] ?? "help";
  if (name === "help" || name === "--help" || name === "-h") {
    // `gomap help` lists the commands; `gomap help <command>` shows that command's --help.
    const rest = argv.slice(1);
    if (rest.length === 0 || (rest.length === 1 && (rest[0] === "--help" || rest[0] === "-h"))) {
      process.stdout.write(USAGE);
      return EXIT_OK;
    }
    const about = COMMANDS.find((c) => c.name === rest[0]);
    if (rest.length > 1 || about === undefined) {
      const why = rest[0].startsWith("-") ? `help takes no option, got ${rest[0]}`
        : about === undefined ? `unknown command ${JSON.stringify(rest[0])}`
        : `help takes one command, got ${rest.length}`;
      process.stderr.write(`gomap: ${why}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    process.stdout.write(about.usage);
    return EXIT_OK;
  }
  const cmd = name === "--version" || name === "-v" ? version : COMMANDS.find((c) => c.name === name);
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
