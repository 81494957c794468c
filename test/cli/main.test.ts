// Tests of src/cli/main.ts, run as the `gomap` command is run (node on the built file): the
// command list, --help on every command, and exit code 2 with the usage on stderr (nothing
// on stdout) for an unknown command or option; the version.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { gomap, gomapAfter } from "./run.js";

const COMMANDS = ["demo", "inspect", "bench", "play"];

test("cli: help, -h, --help and no command exit 0 and list every command on stdout", () => {
  for (const args of [["help"], ["-h"], ["--help"], [], ["help", "--help"]]) {
    const r = gomap(...args);
    assert.equal(r.status, 0, `${args}`);
    assert.match(r.stdout, /^usage: gomap <command> \[options\]\n/);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`\\n  ${c} +\\S`), c);
    assert.match(r.stdout, /exit codes: 0 done, 1 the command failed .*, 2 a wrong command line/);
    assert.equal(r.stderr, "");
  }
});

test("cli: every command's --help (and -h) exits 0 with its own usage on stdout, running nothing", () => {
  for (const c of COMMANDS) {
    for (const flag of ["--help", "-h"]) {
      const r = gomap(c, flag);
      assert.equal(r.status, 0, `${c} ${flag}`);
      assert.match(r.stdout, new RegExp(`^usage: gomap ${c}`));
      assert.match(r.stdout, /-h, --help +show this text/);
      assert.equal(r.stderr, "");
    }
  }
});

test("cli: an unknown command exits 2 with the usage on stderr and nothing on stdout", () => {
  const r = gomap("bogus");
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^gomap: unknown command "bogus"\n\nusage: gomap <command>/);
});

test("cli: an unknown option exits 2 naming it, with the command's usage on stderr", () => {
  for (const c of COMMANDS) {
    const r = gomap(c, "--bogus");
    assert.equal(r.status, 2, `${c}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`^gomap ${c}: unknown option --bogus\\n\\nusage: gomap ${c}`));
  }
});

test("cli: an option missing its value, or an argument to a command that takes none, exits 2 with the usage", () => {
  const cases: [string[], string][] = [
    [["bench", "--sizes"], "gomap bench: --sizes needs a value"],
    [["play", "--port"], "gomap play: --port needs a value"],
    [["demo", "extra"], 'gomap demo: unexpected argument "extra" (demo takes none)'],
    [["bench", "1e5", "1e6"], 'gomap bench: unexpected arguments "1e5" "1e6" (bench takes none)'],
  ];
  for (const [args, first] of cases) {
    const r = gomap(...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.split("\n")[0], first);
    assert.match(r.stderr, new RegExp(`\\n\\nusage: gomap ${args[0]}`));
  }
});

test("cli: version, --version and -v print the package's version on stdout and exit 0", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  for (const arg of ["version", "--version", "-v"]) {
    const r = gomap(arg);
    assert.equal(r.status, 0, arg);
    assert.equal(r.stdout, `gomap ${pkg.version}\n`);
    assert.equal(r.stderr, "");
  }
});

test("cli: help COMMAND (and -h COMMAND) prints that command's own usage, as --help after it does", () => {
  for (const c of COMMANDS) {
    for (const h of ["help", "-h", "--help"]) {
      const r = gomap(h, c);
      assert.equal(r.status, 0, `${h} ${c}`);
      assert.equal(r.stdout, gomap(c, "--help").stdout, `${h} ${c}`);
      assert.equal(r.stderr, "");
    }
  }
  const r = gomap("help", "bogus");
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^gomap: unknown command "bogus"\n\nusage: gomap <command>/);
});

test("cli: help and version refuse what they do not take (exit 2, usage on stderr); version --json prints JSON", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  for (const args of [["help", "--bogus"], ["help", "demo", "inspect"], ["version", "extra"], ["--version", "--bogus"]]) {
    const r = gomap(...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, /\n\nusage: gomap/, args.join(" "));
  }
  for (const arg of ["version", "--version", "-v"]) {
    const r = gomap(arg, "--json");
    assert.equal(r.status, 0, arg);
    assert.deepEqual(JSON.parse(r.stdout), { version: pkg.version });
    assert.equal(r.stderr, "");
  }
  const h = gomap("version", "--help");
  assert.equal(h.status, 0);
  assert.match(h.stdout, /^usage: gomap version \[--json\]\n/);
});

test("cli: an error a command did not expect exits 1 naming the command, without the usage (not 2, a wrong command line)", () => {
  const dir = mkdtempSync(join(tmpdir(), "gomap-main-"));
  try {
    // 9 entries: 2 buckets. Formatting the number 2 throws, which only the stats lines do.
    const file = join(dir, "ops.jsonl");
    const sets = Array.from({ length: 9 }, (_, i) => JSON.stringify({ op: "set", key: i, value: i }));
    writeFileSync(file, [JSON.stringify({ op: "make", key: "uint32", value: "uint32" }), ...sets].join("\n") + "\n");
    const preload = `const f = Number.prototype.toLocaleString;
Number.prototype.toLocaleString = function (...a) { if (Number(this) === 2) throw new Error("boom"); return f.apply(this, a); };`;
    const r = gomapAfter(preload, "inspect", file);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^gomap inspect: Error: boom\n/);
    assert.doesNotMatch(r.stderr, /usage:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
