// Tests of src/index.ts as the package exposes it: `import ... from "gomap"` and
// `require("gomap")` (package.json "exports", reached here by the package's own name) give
// the same module, with every public name; the `gomap` bin is the built CLI.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import test from "node:test";
import * as local from "../src/index.js";

// A variable, so that the compiler does not resolve the name (build/ does not exist before
// the first build); at run time Node resolves it through package.json "exports".
const NAME: string = "gomap";
const PUBLIC = ["GoMap", "GoMapError", "HeapExhaustedError", "Mutex", "OwnerDeadError", "RWMutex", "SnapshotError", "StaleRefError", "SyncMap", "WaitGroup", "inspect", "types", "watchWorker"];

test("package: import from \"gomap\" is src/index.ts, with every public name", async () => {
  const pkg = (await import(NAME)) as typeof local;
  assert.deepEqual(Object.keys(pkg).sort(), [...PUBLIC].sort());
  assert.equal(pkg.GoMap, local.GoMap, "one module, not a second copy");
  const m = pkg.GoMap.make(pkg.types.u32, pkg.types.u32).set(1, 2);
  assert.equal(m.get(1), 2);
});

// Node loads ES modules with require() from 20.19 (process.features.require_module); the
// package's engines allow 20.16, where require("gomap") throws ERR_REQUIRE_ESM instead.
const requireModule = (process.features as { require_module?: boolean }).require_module === true;

test("package: require(\"gomap\") from CommonJS gives the same module (Node's require of ES modules)", { skip: !requireModule && "this Node cannot require ES modules" }, () => {
  const required = createRequire(import.meta.url)(NAME) as typeof local;
  assert.equal(required.GoMap, local.GoMap);
  assert.equal(required.types.u32, local.types.u32);
});

test("package: the gomap bin is the built CLI, with its shebang", () => {
  const root = new URL("../../", import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { bin: Record<string, string> };
  const bin = new URL(pkg.bin.gomap, root);
  assert.ok(existsSync(bin), pkg.bin.gomap);
  assert.match(readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
});
