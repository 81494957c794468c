// Tests of README.md's code: the examples that stand alone (Use, Sharing a map between
// workers, Snapshots, Inspecting a map) run as they are written, against the built package,
// each in a process of its own and in a fresh directory (the Snapshots example writes a file).
// So a renamed method, a changed default or an example that throws shows here, not in a new
// user's first try. And every relative link in the project's Markdown (README.md, docs/,
// fidelity/README.md) names a file that exists, and a heading that exists in it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import test from "node:test";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const index = new URL("build/src/index.js", root).href;

/** The first ```ts block after the heading, with `from "gomap"` pointing at the build. */
function example(heading: string): string {
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README has no heading ${heading}`);
  const start = readme.indexOf("```ts\n", at);
  const end = readme.indexOf("\n```", start + 6);
  assert.ok(start >= 0 && end > start, `no ts block after ${heading}`);
  const code = readme.slice(start + 6, end);
  assert.match(code, /from "gomap"/);
  return code.replaceAll('from "gomap"', `from ${JSON.stringify(index)}`);
}

/**
 * Runs code as an ES module in a fresh directory, beside the other files given (an ES module
 * package, as a new user's project with `import` in its .js files is); its stdout.
 */
function run(code: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "gomap-readme-"));
  try {
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "example.mjs"), code);
    const r = spawnSync(process.execPath, ["example.mjs"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `the example failed:\n${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("README: Use runs as written, and its loop prints the age the ref view wrote", () => {
  assert.equal(run(example("## Use")), "alice 36\n");
});

test("README: Snapshots runs as written (save, load, toBytes, fromBytes)", () => {
  run(example("## Snapshots"));
});

test("README: Inspecting a map runs as written: its map is mid-growth, so the old bucket exists", () => {
  const code = example("## Inspecting a map");
  const out = run(`${code}\nconsole.log(JSON.stringify({ B: m.inspect().B, growth: m.inspect().growth }));\n`);
  assert.equal(out, '{"B":4,"growth":"doubling"}\n');
});

test("README: Sharing a map between workers runs as written: the main thread reads what the worker set", () => {
  const code = example("## Sharing a map between workers");
  const cut = code.indexOf("// worker.js\n");
  assert.ok(cut > 0, "the example has a worker.js part");
  // The example's main thread starts the worker and stops there; the test reads the map once
  // the worker has exited, under the example's lock.
  const main = `${code.slice(0, cut)}w.on("exit", (code) => { mu.rlock(); console.log(code, m.get(42n)); mu.runlock(); });\n`;
  assert.equal(run(main, { "worker.js": code.slice(cut) }), "0 7\n");
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replaceAll(" ", "-");
}

/** The anchors of a Markdown file's headings (outside code blocks), GitHub's -1, -2 for repeats. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (m === null) continue;
    const base = slug(m[1]);
    let a = base;
    for (let k = 1; out.has(a); k++) a = `${base}-${k}`;
    out.add(a);
  }
  return out;
}

test("Markdown: every relative link names a file that exists, and a heading in it", () => {
  const docs = ["README.md", "fidelity/README.md", ...readdirSync(new URL("docs/", root)).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  assert.ok(docs.includes("docs/performance.md"));
  const rootPath = new URL(".", root).pathname;
  let links = 0;
  for (const doc of docs) {
    const text = readFileSync(join(rootPath, doc), "utf8").replace(/```[\s\S]*?```/g, "");
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split("#");
      const path = file === "" ? join(rootPath, doc) : join(rootPath, dirname(doc), file);
      assert.ok(existsSync(path), `${doc}: the link ${target} names no file`);
      if (anchor !== undefined) assert.ok(anchors(readFileSync(path, "utf8")).has(anchor), `${doc}: the link ${target} names no heading`);
      links++;
    }
  }
  assert.ok(links > 20, `only ${links} links read`);
});
