// The library shared between Web Workers in a real browser: test/sync/browser-app.ts bundled by
// esbuild (platform browser: no node: module, no process), served from a node:http server on
// 127.0.0.1 and opened in Debian's Chromium through playwright-core. Under /isolated/ every
// response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp, so the page is cross-origin isolated and has SharedArrayBuffer; under /plain/
// none does. Checked: a shared GoMap made on the page and attached in two workers, written
// under a Mutex, ends with exactly the expected entries; a SyncMap used by two workers at once
// ends with exactly the expected entries; and a page that is not isolated gets, for every
// shared part, the GoMapError saying SharedArrayBuffer is missing (not a ReferenceError).
//
// Without /usr/bin/chromium the tests skip and say so, unless GOMAP_REQUIRE_CHROMIUM=1 (set by
// .ci/run, which installs Chromium): then a missing Chromium fails the run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { CHROMIUM, launchChromium } from "../web/chromium.js";
import { GOMAP_COUNTERS, ROUNDS, SHARED_BASE, SHARED_KEYS, SYNC_COUNTERS, ownKey, ownValue } from "./browser-app.js";

const required = process.env.GOMAP_REQUIRE_CHROMIUM === "1";
const missing = !existsSync(CHROMIUM);
const skip = missing && !required ? `${CHROMIUM} is missing (apt-get install chromium; GOMAP_REQUIRE_CHROMIUM=1 makes this a failure)` : false;
/** The app's TypeScript source, which esbuild bundles with the library's own source. */
const APP = fileURLToPath(new URL("../../../test/sync/browser-app.ts", import.meta.url));

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>gomap workers</title></head><body><script src="app.js"></script></body></html>`;
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  if (skip !== false) return;
  assert.ok(!missing, `GOMAP_REQUIRE_CHROMIUM=1, but ${CHROMIUM} is missing (apt-get install chromium)`);
  const { build } = await import("esbuild");
  const out = await build({ entryPoints: [APP], bundle: true, platform: "browser", format: "iife", target: "es2022", write: false, logLevel: "silent" });
  const app = out.outputFiles[0].text;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, where, file] = url.pathname.split("/");
    const headers = where === "isolated" ? ISOLATION : where === "plain" ? {} : null;
    if (headers === null || (file !== "" && file !== "app.js")) {
      res.writeHead(404).end();
      return;
    }
    const body = file === "app.js" ? app : HTML;
    res.writeHead(200, { ...headers, "Content-Type": file === "app.js" ? "text/javascript" : "text/html", "Cache-Control": "no-store" });
    res.end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (server !== undefined) {
    server.close();
    server.closeAllConnections();
  }
});

interface PageResult {
  ok: boolean;
  isolated?: boolean;
  error?: string;
  result?: unknown;
}

/**
 * Opens `path` and waits for the page to leave its result in globalThis.__gomap. The workers'
 * work takes under a second even on a busy machine, so 12 s of it is a hang (a lost wake-up).
 * The tests have no timeout of their own: a new page and its load, seconds on a slow machine
 * (7 s of a 15 s limit seen under load), are not what they test; goto has Playwright's own.
 */
async function open(path: string): Promise<PageResult> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(`${base}${path}`);
    await page.waitForFunction("globalThis.__gomap !== undefined", null, { timeout: 12_000 });
    const r = (await page.evaluate("globalThis.__gomap")) as PageResult;
    assert.deepEqual(errors, [], "no uncaught error on the page");
    return r;
  } finally {
    await page.close();
  }
}

test("browser: a shared GoMap made on an isolated page, attached in two Web Workers and written under a Mutex, ends with exactly the expected entries", { skip }, async () => {
  const r = await open("/isolated/?run=gomap");
  assert.equal(r.error, undefined);
  assert.equal(r.isolated, true, "the COOP and COEP headers make the page cross-origin isolated");
  const got = r.result as { workers: { isolated: boolean }[]; size: number; entries: [number, string][]; grewFrom: number; capacity: number };
  assert.deepEqual(got.workers, [{ isolated: true }, { isolated: true }]);
  const want = new Map<number, string>();
  for (let w = 0; w < 2; w++) for (let i = 0; i < ROUNDS; i++) want.set(ownKey(w, i), ownValue(w, i));
  for (let c = 0; c < GOMAP_COUNTERS; c++) want.set(c, String(2 * Math.ceil((ROUNDS - c) / GOMAP_COUNTERS)));
  assert.equal(got.size, want.size);
  assert.equal(got.entries.length, want.size, "iteration on the page visits every entry once");
  assert.deepEqual(new Map(got.entries), want);
  assert.ok(got.capacity > got.grewFrom, "the workers grew the shared heap in place");
});

test("browser: a SyncMap used by two Web Workers at once ends with exactly the expected entries", { skip }, async () => {
  const r = await open("/isolated/?run=syncmap");
  assert.equal(r.error, undefined);
  const got = r.result as { workers: { loaded: number }[]; entries: [number, number][] };
  const want = new Map<number, number>();
  for (let w = 0; w < 2; w++) {
    for (let i = 0; i < ROUNDS; i++) if (!(i % 10 === 0 && i + 9 < ROUNDS)) want.set(ownKey(w, i), i);
  }
  for (let c = 0; c < SYNC_COUNTERS; c++) want.set(c, 2 * Math.ceil((ROUNDS - c) / SYNC_COUNTERS));
  const entries = new Map(got.entries);
  assert.equal(got.entries.length, entries.size, "range visits each key once");
  // Each contended key holds the id of the worker whose loadOrStore came first, and of the
  // 2 * ROUNDS calls on them exactly SHARED_KEYS stored.
  for (let k = 0; k < SHARED_KEYS; k++) {
    const v = entries.get(SHARED_BASE + k);
    assert.ok(v === 0 || v === 1, `shared key ${k}: ${v}`);
    want.set(SHARED_BASE + k, v as number);
  }
  assert.equal(got.workers[0].loaded + got.workers[1].loaded, 2 * ROUNDS - SHARED_KEYS);
  assert.deepEqual(entries, want);
});

test("browser: a lock() or WaitGroup.wait() that would have to wait on the page's main thread, where Atomics.wait is not allowed, throws a GoMapError saying so and changes nothing; tryLock and wait(0) work there", { skip }, async () => {
  const r = await open("/isolated/?run=mainlock");
  assert.equal(r.error, undefined);
  const got = r.result as { lock: string; tryWhileHeld: boolean; tryAfter: boolean; wait: string; poll: boolean; waitAfter: boolean };
  assert.match(got.lock, /^GoMapError: gomap: Mutex "page" can't wait on this thread: Atomics\.wait is not allowed here \(a browser page's main thread\)/);
  assert.equal(got.tryWhileHeld, false);
  assert.equal(got.tryAfter, true, "the failed lock() left the Mutex as it was");
  assert.match(got.wait, /^GoMapError: gomap: WaitGroup\.wait can't wait on this thread: Atomics\.wait is not allowed here \(a browser page's main thread\)/);
  assert.equal(got.poll, false);
  assert.equal(got.waitAfter, true);
});

test("browser: a page served without COOP/COEP gets the GoMapError saying SharedArrayBuffer is missing for every shared part, and unshared maps work", { skip }, async () => {
  const r = await open("/plain/");
  assert.equal(r.error, undefined);
  const got = r.result as Record<string, unknown>;
  assert.equal(got.isolated, false);
  assert.equal(got.sharedArrayBuffer, "undefined");
  const refusal = (what: string): RegExp =>
    new RegExp(`^GoMapError: gomap: ${what} needs SharedArrayBuffer, which this environment does not provide \\(a browser provides it only to a cross-origin isolated page\\)$`);
  assert.match(got.gomap as string, refusal("a shared map \\(shared: true\\)"));
  assert.match(got.mutex as string, refusal("Mutex"));
  assert.match(got.syncmap as string, refusal("SyncMap"));
  assert.equal(got.unshared, "made");
});
