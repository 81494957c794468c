// Debian's Chromium driven through playwright-core, started as every browser test starts it
// (headless, no sandbox, no GPU, nothing fetched in the background), and `gomap play` serving
// the built playground (build/web) on a free port, for the tests that open the page. No tests here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The built playground: what `gomap play` serves. */
export const webDir = join(repo, "build", "web");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface PlayServer {
  /** The page's address, as `gomap play` printed it. */
  readonly url: string;
  readonly process: ChildProcess;
  /** Ends the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `gomap play --port 0` serving build/web, and waits for the URL it prints. */
export async function startPlay(): Promise<PlayServer> {
  assert.ok(existsSync(join(webDir, "app.js")), "build/web/app.js is missing: run npm run build");
  const cli = join(repo, "build", "src", "cli", "main.js");
  const child = spawn(process.execPath, [cli, "play", "--port", "0", "--json", "--dir", webDir], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes("\n")) break;
  }
  const { url } = JSON.parse(out) as { url: string };
  return {
    url,
    process: child,
    async stop() {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
