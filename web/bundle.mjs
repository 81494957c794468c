// Bundles the playground: web/main.ts and the library's own source (esbuild) into
// build/web/app.js, beside copies of index.html and style.css. `npm run build` runs it after
// tsc has checked the types (web/tsconfig.json), so this step only bundles. The page loads
// nothing from the network.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, "..", "build", "web");

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(web, "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
await Promise.all(["index.html", "style.css"].map((f) => copyFile(join(web, f), join(out, f))));
