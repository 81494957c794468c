// Tests of src/index.ts as the package exposes it: `import ... from "gomap"` and
// `require("gomap")` (package.json "exports", reached here by the package's own name) give
// the same module, with every public name; the `gomap` bin is the built CLI; the files npm
// would publish (npm pack --dry-run) are whole, and hold nothing a user does not run (of
// build/web, the playground page and what it loads; no file importing a devDependency); and
// a TypeScript user's program
// (test/typecheck/usage.ts) type-checks against the built declarations as the README says.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, posix } from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";
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

test("package: package.json is as npm publishes it (npm pkg fix, which applies the corrections npm publish makes and warns about, changes nothing)", () => {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  const dir = mkdtempSync(join(tmpdir(), "gomap-pkgfix-"));
  try {
    writeFileSync(join(dir, "package.json"), text);
    execFileSync("npm", ["pkg", "fix"], { cwd: dir, stdio: "ignore" });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")), JSON.parse(text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("package: the gomap bin is the built CLI, with its shebang", () => {
  const root = new URL("../../", import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { bin: Record<string, string> };
  const bin = new URL(pkg.bin.gomap, root);
  assert.ok(existsSync(bin), pkg.bin.gomap);
  assert.match(readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
});

test("package: what npm publishes: the build, its types, the sources its source maps name, README and LICENSE, the playground page; no tests, no test builds, nothing importing a devDependency", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
  for (const f of ["LICENSE", "README.md", "package.json", "build/src/index.js", "build/src/index.d.ts", "build/src/cli/main.js"]) {
    assert.ok(files.has(f), f);
  }
  let maps = 0;
  for (const f of files) {
    assert.ok(!/^(test|build\/test|node_modules)\//.test(f), `published: ${f}`);
    if (!f.endsWith(".js.map")) continue;
    maps++;
    const map = JSON.parse(readFileSync(join(root, f), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
    map.sources.forEach((s, i) => {
      // A map that carries a source's text (the playground's bundle does) needs no file for it.
      if (typeof map.sourcesContent?.[i] === "string") return;
      const src = posix.normalize(posix.join(posix.dirname(f), s));
      assert.ok(files.has(src), `${f} names ${src}, which is not published`);
    });
  }
  assert.ok(maps > 0, "the build has source maps");
  // The playground as `gomap play` serves it: the page, what the page loads, and their maps.
  // (build/web also holds web/'s modules as the tests compile them: nothing a user runs.)
  const html = readFileSync(join(root, "build/web/index.html"), "utf8");
  const page = new Set(["build/web/index.html"]);
  for (const [, ref] of html.matchAll(/(?:src|href)="([^":]+)"/g)) page.add(posix.join("build/web", ref));
  for (const f of page) assert.ok(files.has(f), `the playground loads ${f}, which is not published`);
  for (const f of files) {
    if (!f.startsWith("build/web/")) continue;
    assert.ok(page.has(f) || page.has(f.replace(/\.map$/, "")), `published, but not part of the playground page: ${f}`);
  }
  // Nothing published imports a devDependency, which a user's install does not have.
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  for (const f of files) {
    if (!/\.(m?js|ts)$/.test(f) || f.endsWith(".d.ts")) continue;
    const text = readFileSync(join(root, f), "utf8");
    for (const dep of Object.keys(pkg.devDependencies)) {
      if (dep.startsWith("@types/")) continue;
      const imported = new RegExp(`(?:from|import\\(|require\\()\\s*["']${dep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:/[^"']*)?["']`);
      assert.ok(!imported.test(text), `${f} imports the devDependency ${dep}`);
    }
  }
});

test("package: a TypeScript program using every part of the API type-checks against the built declarations, and each misuse in it is an error (test/typecheck/usage.ts)", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  // The file alone on the command line: the project's tsconfig (which leaves it out) is not
  // read, and "gomap" resolves as a user's import does, through package.json to build/.
  const args = [tsc, "--noEmit", "--strict", "--target", "ES2022", "--lib", "ES2024", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--types", "node", "test/typecheck/usage.ts"];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
});
