// Tests of src/cli/command.ts in this process: parse() against a command's options (what it
// returns, and the UsageError for each kind of wrong command line, in the CLI's own words),
// and intOption's bounds. test/cli/main.test.ts runs the same through the real `gomap`.
import assert from "node:assert/strict";
import test from "node:test";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, intOption, parse } from "../../src/cli/command.js";
import type { Command } from "../../src/cli/command.js";

function command(operands?: string): Command {
  return {
    name: "probe",
    summary: "a command for tests",
    usage: "usage: gomap probe\n",
    options: { json: { type: "boolean" }, port: { type: "string" } },
    ...(operands === undefined ? {} : { operands }),
    run: async () => EXIT_OK,
  };
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    return err.message;
  }
  assert.fail("no UsageError");
}

test("command: exit codes are 0, 1 and 2", () => {
  assert.deepEqual([EXIT_OK, EXIT_FAILURE, EXIT_USAGE], [0, 1, 2]);
});

test("command: parse gives the options and operands; --help and -h are every command's", () => {
  // parseArgs gives values as an object with no prototype: compared as plain copies.
  const parsed = (c: Command, argv: string[]) => {
    const { values, positionals } = parse(c, argv);
    return { values: { ...values }, positionals };
  };
  assert.deepEqual(parsed(command(), ["--json", "--port", "80"]), { values: { json: true, port: "80" }, positionals: [] });
  assert.deepEqual(parsed(command(), ["--port=0"]).values, { port: "0" });
  assert.deepEqual(parsed(command("FILE"), ["a.gomap", "--json"]), { values: { json: true }, positionals: ["a.gomap"] });
  assert.equal(parse(command(), ["-h"]).values.help, true);
  // --help wins over arguments a command would refuse, so it still prints the usage.
  assert.equal(parse(command(), ["--help", "extra"]).values.help, true);
});

test("command: a wrong command line is a UsageError in the CLI's words", () => {
  assert.equal(usageMessage(() => parse(command(), ["--bogus"])), "unknown option --bogus");
  assert.equal(usageMessage(() => parse(command(), ["-x"])), "unknown option -x");
  assert.equal(usageMessage(() => parse(command(), ["--port"])), "--port needs a value");
  assert.equal(usageMessage(() => parse(command(), ["extra"])), 'unexpected argument "extra" (probe takes none)');
  assert.equal(usageMessage(() => parse(command(), ["a", "b c"])), 'unexpected arguments "a" "b c" (probe takes none)');
  // parseArgs' own message where the CLI has none of its own.
  assert.match(usageMessage(() => parse(command(), ["--json=yes"])), /'--json' does not take an argument/);
});

test("command: a value that starts with '-' is not taken for another option: the message says how to pass it", () => {
  // `gomap inspect FILE --bucket -1` printed parseArgs' own "Option '--bucket' argument is
  // ambiguous. Did you forget to specify the option argument for '--bucket'? To specify an
  // option argument starting with a dash use '--bucket=-XYZ'.", three sentences in
  // another voice, where every other wrong command line gets one line in the CLI's words.
  assert.equal(usageMessage(() => parse(command(), ["--port", "-1"])), '--port needs a value (one that starts with "-" goes as --port=VALUE)');
  assert.equal(usageMessage(() => parse(command(), ["--port", "--json"])), '--port needs a value (one that starts with "-" goes as --port=VALUE)');
});

test("command: intOption takes whole numbers in [min, max] and names the option otherwise", () => {
  assert.equal(intOption("port", "0", 0, 65535), 0);
  assert.equal(intOption("port", "65535", 0, 65535), 65535);
  assert.equal(intOption("bucket", "1e3", 0, 2 ** 31), 1000);
  for (const raw of ["", " ", "-1", "65536", "1.5", "abc", "NaN", "Infinity"]) {
    assert.equal(usageMessage(() => intOption("port", raw, 0, 65535)), `--port must be an integer from 0 to 65535, got "${raw}"`);
  }
});
