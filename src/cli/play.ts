// `gomap play`: serves the playground (web/, bundled into PLAYGROUND_BUILD_DIR by its build)
// on 127.0.0.1 and prints its URL, until interrupted.
//
// A static file server and nothing more: GET and HEAD of regular files under the directory,
// "/" and directories as their index.html; every other method is 405; a path that leaves the
// directory (../, an encoded slash, a symlink to elsewhere), a malformed one, a missing file or
// one that is not a regular file (a FIFO would never finish reading) is 404. Bound to
// 127.0.0.1 only: the playground is for the person at this machine. A request whose Host is
// not 127.0.0.1 or localhost with the server's port (or without it, on port 80) is 421: a
// page on another site, its name rebound to 127.0.0.1 (DNS rebinding), would otherwise read
// what the server serves.
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT_FAILURE, EXIT_OK, intOption } from "./command.js";
import type { Command } from "./command.js";
import { json } from "./format.js";

/** Where the playground's build puts its files, from the package's root. */
export const PLAYGROUND_BUILD_DIR = "build/web";
/** That directory for this installed copy (this file is build/src/cli/play.js). */
export const PLAYGROUND_DIR = fileURLToPath(new URL("../../web/", import.meta.url));
export const DEFAULT_PORT = 8119;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

const USAGE = `usage: gomap play [--port N] [--dir DIR] [--json]

Serves the playground on http://127.0.0.1:PORT/ and prints its URL; stops on Ctrl-C. The
playground runs gomap itself in the browser and draws a map's buckets as Go statements run.

options:
  --port N    the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --dir DIR   serve the playground from DIR instead of this package's ${PLAYGROUND_BUILD_DIR}/
  --json      print {"url": ...} as one line of JSON instead of the sentence
  -h, --help  show this text
`;

/** The file under root a request path names, or null when it leaves root or can't be decoded. */
export function fileFor(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(new URL(urlPath, "http://localhost").pathname);
  } catch {
    return null;
  }
  if (path.includes("\0") || path.includes("\\")) return null;
  const base = resolve(root);
  const file = resolve(join(base, path));
  return within(base, file) ? file : null;
}

/** Whether the absolute path `file` is `base` or under it. */
function within(base: string, file: string): boolean {
  // The file system's root ends in the separator already ("/"); any other folder doesn't.
  return file === base || file.startsWith(base.endsWith(sep) ? base : base + sep);
}

/**
 * The regular file a request path serves (symlinks resolved: itself, or a directory's
 * index.html) and its bytes; null when that file is outside `root` (a real path) or is not a
 * regular file. Throws when it is missing or unreadable.
 */
async function served(root: string, urlPath: string): Promise<{ file: string; body: Buffer } | null> {
  const asked = fileFor(root, urlPath);
  if (asked === null) return null;
  let file = await realpath(asked);
  if ((await stat(file)).isDirectory()) file = await realpath(join(file, "index.html"));
  if (!within(root, file) || !(await stat(file)).isFile()) return null;
  return { file, body: await readFile(file) };
}

/**
 * Whether a request's Host header names this server: 127.0.0.1 or localhost, with its port,
 * which a client leaves out when it is HTTP's default (80).
 */
export function ownHost(host: string | undefined, port: number): boolean {
  const h = host?.toLowerCase();
  if (port === 80 && (h === "127.0.0.1" || h === "localhost")) return true;
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

async function respond(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "no-store");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed\n");
    return;
  }
  if (!ownHost(req.headers.host, req.socket.localPort!)) {
    res.writeHead(421, { "Content-Type": "text/plain" }).end("unknown host\n");
    return;
  }
  const found = await served(root, req.url ?? "/").catch(() => null);
  if (found === null) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    return;
  }
  const { file, body } = found;
  res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Length": body.length });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Listens on 127.0.0.1:port; resolves with the server once it listens. */
function listen(root: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    respond(root, req, res).catch(() => res.destroy());
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

async function run(values: Record<string, unknown>): Promise<number> {
  const port = values.port === undefined ? DEFAULT_PORT : intOption("port", values.port as string, 0, 65535);
  let root = resolve((values.dir as string | undefined) ?? PLAYGROUND_DIR);
  try {
    await stat(join(root, "index.html"));
    root = await realpath(root);
  } catch {
    process.stderr.write(
      `gomap play: no playground in ${root} (index.html is missing); build it first (README, "Playground"), or give --dir\n`,
    );
    return EXIT_FAILURE;
  }
  let server: Server;
  try {
    server = await listen(root, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? `port ${port} is in use; give another with --port (0 picks a free one)` : (err as Error).message;
    process.stderr.write(`gomap play: ${why}\n`);
    return EXIT_FAILURE;
  }
  // Ready to stop before anyone is told where to connect.
  const stopped = new Promise<void>((done) => {
    const stop = (): void => {
      server.close(() => done());
      server.closeAllConnections();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const grow = `${url}?lesson=grow&play`;
  process.stdout.write(
    values.json === true
      ? json({ url, lesson: grow }) + "\n"
      : `gomap playground: ${url}\nwatch a map grow from B=0 to B=3, evacuation step by step: ${grow}\n(Ctrl-C to stop)\n`,
  );
  await stopped;
  return EXIT_OK;
}

export const play: Command = {
  name: "play",
  summary: "serve the playground on 127.0.0.1 and print its URL",
  usage: USAGE,
  options: { port: { type: "string" }, dir: { type: "string" }, json: { type: "boolean" } },
  run,
};
