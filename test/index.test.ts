// Tests of src/index.ts as the package exposes it: `import ... from "gomap"` and
// `require("gomap")` (package.json "exports", reached here by the package's own name) give
// the same module, with every public name; the `gomap` bin is the built CLI; the files npm
// would publish (npm pack --dry-run) are whole, and hold nothing a user does not run (of
// build/web, the playground page and what it loads; no file importing a devDependency); and
// a TypeScript user's program (test/typecheck/usage.ts) type-checks against the built
// declarations as the README says. Then the package as a user installs it (npm pack, npm
// install of the tarball in a project outside the repository, once): imported and required
// from the project, its bin and playground, TypeScript projects (nodenext, bundler) with
// skipLibCheck off, a browser bundle, and source-mapped stacks naming installed files.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, posix } from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
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

// The package as a new user gets it: `npm pack`, then `npm install <tarball>` in a project of
// its own outside the repository (offline: gomap has no dependencies), once for the tests
// below. They reach gomap only through the project's node_modules, as its user does.
let project: string | undefined;

/** The directory of a fresh project with the packed package installed (made on first use). */
function installed(): string {
  if (project !== undefined) return project;
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "gomap-installed-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: the build is the one the suite runs on (npm test builds first).
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const tarball = join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", tarball], { cwd: app, stdio: "ignore" });
  return (project = app);
}

/** Runs a file of the installed project with node; its stdout (it must exit 0). */
function runIn(app: string, file: string, text: string, nodeArgs: string[] = []): string {
  writeFileSync(join(app, file), text);
  const r = spawnSync(process.execPath, [...nodeArgs, file], { cwd: app, encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, `${file} failed:\n${r.stderr}`);
  return r.stdout;
}

test("installed: a project that installed the tarball imports \"gomap\" (and requires it from CommonJS) from its node_modules, with every public name", () => {
  const app = installed();
  const esm = runIn(app, "use.mjs", `import * as g from "gomap";
const m = g.GoMap.make(g.types.string, g.types.u32).set("a", 1);
console.log(JSON.stringify({ names: Object.keys(g).sort(), a: m.get("a"), from: import.meta.resolve("gomap") }));
`);
  const got = JSON.parse(esm) as { names: string[]; a: number; from: string };
  assert.deepEqual(got.names, [...PUBLIC].sort());
  assert.equal(got.a, 1);
  assert.equal(fileURLToPath(got.from), join(realpathSync(app), "node_modules", "gomap", "build", "src", "index.js"));
  if (requireModule) {
    const cjs = runIn(app, "use.cjs", `const g = require("gomap"); console.log(Object.keys(g).sort().join(","), g.GoMap.make(g.types.u32, g.types.u32).set(1, 2).get(1));\n`);
    assert.equal(cjs, `${[...PUBLIC].sort().join(",")} 2\n`);
  }
});

test("installed: the project's gomap bin runs, and gomap play serves the playground page and every file it loads from the installed package", async () => {
  const app = installed();
  const bin = join(app, "node_modules", ".bin", "gomap");
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  assert.equal(execFileSync(bin, ["--version"], { cwd: app, encoding: "utf8" }), `gomap ${pkg.version}\n`);
  const child = spawn(bin, ["play", "--port", "0", "--json"], { cwd: app, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => {
        out += s;
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.once("exit", (code) => reject(new Error(`gomap play exited ${code} before printing its URL`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /gomap playground/);
    const refs = [...html.matchAll(/(?:src|href)="([^":]+)"/g)].map((m) => m[1]);
    assert.ok(refs.includes("app.js"), refs.join(" "));
    for (const ref of refs) assert.equal((await fetch(new URL(ref, url))).status, 200, ref);
  } finally {
    child.kill("SIGINT");
  }
});

test("installed: TypeScript programs type-check against the installed declarations, strict, skipLibCheck off, without @types/node (module nodenext; moduleResolution bundler)", () => {
  const app = installed();
  const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
  writeFileSync(join(app, "use.ts"), `import { GoMap, GoMapError, SnapshotError, SyncMap, inspect, types as t } from "gomap";
import type { GoMapHandle, MapStats } from "gomap";
const User = t.struct({ age: t.u8, score: t.f64 });
const users = GoMap.make(t.string, User, { hint: 10 });
users.set("alice", { age: 30, score: 1.5 });
const age: number | undefined = users.get("alice")?.age;
const big = GoMap.make(t.u64, t.u32);
big.set(1n, 2);
const handle: GoMapHandle<bigint, number, bigint | number, number> = GoMap.make(t.u64, t.u32, { shared: true }).share();
const stats: MapStats = inspect.map(users);
const s = SyncMap.make(t.string, t.u32);
s.store("a", 1);
const e: unknown = null;
const ids = GoMap.make(t.u32, t.bytes(4));
ids.set(1, new Uint8Array(4));
const id: Uint8Array | undefined = ids.get(1);
const snapshot: Uint8Array = ids.toBytes();
export const out = [age, handle, stats.B, e instanceof GoMapError, e instanceof SnapshotError, id, snapshot];
`);
  const configs = {
    "tsconfig.nodenext.json": { module: "nodenext", moduleResolution: "nodenext" },
    "tsconfig.bundler.json": { module: "esnext", moduleResolution: "bundler" },
  };
  for (const [file, options] of Object.entries(configs)) {
    const compilerOptions = { ...options, target: "es2022", strict: true, skipLibCheck: false, noEmit: true, types: [] };
    writeFileSync(join(app, file), JSON.stringify({ compilerOptions, files: ["use.ts"] }));
    const r = spawnSync(process.execPath, [tsc, "-p", file], { cwd: app, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `${file}: tsc found errors:\n${r.stdout}${r.stderr}`);
  }
});

test("installed: a browser bundle of a program importing gomap (esbuild, platform browser) builds, pulling in no node: module, and runs where there is no process (nor SharedArrayBuffer: a shared map is refused, saying why)", async () => {
  const app = installed();
  writeFileSync(join(app, "browser.js"), `import { GoMap, inspect, types as t } from "gomap";
const m = GoMap.make(t.string, t.u32);
for (let i = 0; i < 100; i++) m.set("k" + i, i);
const seen = [];
const stop = inspect.onTrace((e) => seen.push(e.type));
m.clear();
stop();
// A page that is not cross-origin isolated has no SharedArrayBuffer (the context below has none).
let shared = "made";
try { GoMap.make(t.u32, t.u32, { shared: true }); } catch (e) { shared = e.name + ": " + e.message; }
report(JSON.stringify([m.size, inspect.map(m).B, seen, shared]));
`);
  // esbuild fails on a node: import when bundling for the browser ("Could not resolve").
  const { build } = await import("esbuild");
  const r = await build({ absWorkingDir: app, entryPoints: ["browser.js"], bundle: true, platform: "browser", format: "iife", write: false, logLevel: "silent" });
  let got = "";
  runInNewContext(`delete globalThis.SharedArrayBuffer;\n${r.outputFiles[0].text}`, { report: (x: string) => (got = x), TextEncoder, TextDecoder, crypto });
  const [size, B, seen, shared] = JSON.parse(got) as [number, number, string[], string];
  assert.deepEqual([size, B, seen], [0, 4, ["clear"]]);
  assert.match(shared, /^GoMapError: gomap: a shared map \(shared: true\) needs SharedArrayBuffer, which this environment does not provide/);
});

test("installed: with --enable-source-maps, a stack from inside gomap names the package's .ts sources, which are installed", () => {
  const app = installed();
  const stack = runIn(app, "throw.mjs", `import { GoMap, types as t } from "gomap";
try { GoMap.make(t.u32, t.u32).set(-1, 1); } catch (e) { console.log(e.stack); }
`, ["--enable-source-maps"]);
  assert.match(stack, /^RangeError: gomap: key -1 out of range for uint32\n/);
  const files = [...stack.matchAll(/\((\/[^()]*node_modules\/gomap\/[^():]+):\d+:\d+\)/g)].map((m) => m[1]);
  assert.ok(files.length >= 3, stack);
  for (const f of files) {
    assert.match(f, /\/node_modules\/gomap\/src\/.*\.ts$/);
    assert.ok(existsSync(f), `the stack names ${f}, which is not installed`);
  }
});
