// What every `gomap` command shares: its description (name, one-line summary, --help text),
// option parsing on node:util's parseArgs, and the exit codes.
//
// Exit codes: 0 the command did its job; 1 it could not (a file that is missing or wrong, a
// port in use, a benchmark that failed); 2 the command line was wrong (unknown command or
// option, a missing or malformed argument). A usage error prints the command's usage on
// stderr; every other failure a command expects prints one line, "gomap <command>: <what went
// wrong>"; an error no command expected (a bug) prints its stack after "gomap <command>: ", to
// be reported as it is, and exits 1.
import { parseArgs } from "node:util";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: exit code 2, with the command's usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An option of a command: a flag, or an option that takes a value. */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  multiple?: boolean;
}

export interface Command {
  name: string;
  /** One line for `gomap help`. */
  summary: string;
  /** The whole --help text. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** What its positional arguments are ("FILE"), when it takes any; it checks them itself. */
  operands?: string;
  /** Runs the command; resolves to its exit code. Throws UsageError for a wrong command line. */
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/**
 * Parses argv against the command's options (plus --help); UsageError for an unknown option, an
 * option missing its value, or an argument given to a command that takes none.
 */
export function parse(cmd: Command, argv: string[]): { values: Record<string, unknown>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...cmd.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(parseArgsMessage(err as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  if (cmd.operands === undefined && positionals.length > 0 && values.help !== true) {
    const what = positionals.length === 1 ? "argument" : "arguments";
    throw new UsageError(`unexpected ${what} ${positionals.map((p) => JSON.stringify(p)).join(" ")} (${cmd.name} takes none)`);
  }
  return { values, positionals };
}

/**
 * parseArgs' message, in this CLI's words where it has its own: an unknown option's message
 * goes on about positionals that start with '-', which is rarely what was meant.
 */
function parseArgsMessage(err: Error & { code?: string }): string {
  const unknown = err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /^Unknown option '([^']+)'/.exec(err.message) : null;
  if (unknown !== null) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(\S+)(?: <value>)?' argument missing/.exec(err.message);
  if (missing !== null) return `${missing[1]} needs a value`;
  // `--bucket -1`, or `--port --json`: parseArgs won't take a value that starts with '-' from
  // the next argument, and says so in three sentences of its own.
  const ambiguous = /^Option '(\S+)' argument is ambiguous/.exec(err.message);
  if (ambiguous !== null) return `${ambiguous[1]} needs a value (one that starts with "-" goes as ${ambiguous[1]}=VALUE)`;
  return err.message;
}

/** A whole, positive-or-zero integer option in [min, max], or UsageError naming the option. */
export function intOption(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}
