// Runs the Go side of the harness (go/main.go) with Debian's Go 1.19: finds the toolchain,
// builds the program once per process into a temporary folder, and runs scripts through it
// with GODEBUG=cpu.aes=off (Go's portable hash, keyed by the script's hashkey).
//
// The toolchain is $GOMAP_GO, else /usr/lib/go-1.19/bin/go (Debian's golang-1.19-go), else
// `go` on PATH if it is a 1.19; findGo() returns null when there is none, and the live tests
// then say so and compare against the committed golden runs only.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseRecords } from "./script.js";
import type { RunRecord, Script } from "./script.js";

/** fidelity/go in the source tree (this file runs from build/fidelity). */
export const GO_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), "../../fidelity/go");

export function findGo(): string | null {
  const candidates = [process.env.GOMAP_GO, "/usr/lib/go-1.19/bin/go", "go"].filter((c): c is string => !!c);
  for (const go of candidates) {
    try {
      const v = execFileSync(go, ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      if (/\bgo1\.19(\.|\s)/.test(v)) return go;
    } catch {
      // not there: try the next
    }
  }
  return null;
}

/**
 * Environment for the go tool and the programs it builds: a writable cache even where HOME is
 * not set, and (portableHash) GODEBUG=cpu.aes=off for Go's fallback hash.
 */
function goEnv(portableHash = true): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), "gomap-gocache"),
    GOPATH: process.env.GOPATH ?? join(tmpdir(), "gomap-gopath"),
    GOFLAGS: "-mod=mod",
    GODEBUG: portableHash ? "cpu.aes=off" : (process.env.GODEBUG ?? ""),
  };
}

let built: string | null = null;

/** Builds the Go program in `dir` (go/main.go by default; once per process); returns the binary's path. */
export function buildGoProgram(go: string, name = "fidelity", dir = GO_SOURCE): string {
  if (built !== null && name === "fidelity") return built;
  const out = join(mkdtempSync(join(tmpdir(), "gomap-go-")), name);
  execFileSync(go, ["build", "-o", out, "."], { cwd: dir, env: goEnv(), stdio: ["ignore", "inherit", "inherit"] });
  if (name === "fidelity") built = out;
  return out;
}

/** Runs a Go-built binary with the harness's environment (Go's AES hash left on when !portableHash); returns its stdout. */
export function runGoBinary(bin: string, args: string[], portableHash = true): string {
  const r = spawnSync(bin, args, { env: goEnv(portableHash), encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Runs a script on a real Go 1.19 map. */
export function runOnGo(bin: string, script: Script): RunRecord[] {
  const file = join(mkdtempSync(join(tmpdir(), "gomap-script-")), "script.json");
  writeFileSync(file, JSON.stringify(script));
  return parseRecords(runGoBinary(bin, [file]));
}

