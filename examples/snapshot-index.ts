// Build an index once, save it, and load it at start-up: the saved file is the map's own
// bytes (with a header and a checksum), so loading copies and checks them instead of
// inserting every entry again. openIndex() is what a service would run at start-up: load the
// file if it is there, else build the index and save it for next time. Here it runs twice,
// the first time building, the second loading, and the two maps are compared.
//
//   node build/examples/snapshot-index.js [entries] [file]
//   (default 200000 entries, in a temporary directory removed at the end; a file given is
//   kept, so a second run loads it)
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { GoMap, SnapshotError, types as t, type GoMapOf } from "gomap";

const n = Number(process.argv[2] ?? 200_000);
const dir = process.argv[3] === undefined ? mkdtempSync(join(tmpdir(), "gomap-example-")) : undefined;
const file = process.argv[3] ?? join(dir!, "products.gomap");

// map[string]Product: SKU -> price in cents and stock.
const Product = t.struct({ cents: t.u32, stock: t.u16 });
// The map's type, to name it in signatures, as GoMap.make(t.string, Product) gives it.
type ProductIndex = GoMapOf<typeof t.string, typeof Product>;

function build(): ProductIndex {
  const index = GoMap.make(t.string, Product, { hint: n });
  for (let i = 0; i < n; i++) index.set(`sku-${i.toString(36)}`, { cents: 100 + (i % 9_900), stock: i % 500 });
  return index;
}

function openIndex(path: string): { index: ProductIndex; how: string } {
  if (existsSync(path)) {
    try {
      // Checks the checksum, the types and the whole structure before it gives the map.
      return { index: GoMap.load(path, t.string, Product), how: "loaded" };
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      console.log(`${path}: ${e.code}: ${e.message}; building it again`); // e.g. type-mismatch
    }
  }
  const index = build();
  index.save(path); // atomic: a temporary file renamed over the old one
  return { index, how: "built and saved" };
}

try {
  for (let run = 1; run <= 2; run++) {
    const t0 = performance.now();
    const { index, how } = openIndex(file);
    const ms = performance.now() - t0;
    const probe = `sku-${Math.floor(n / 3).toString(36)}`;
    console.log(`start-up ${run}: ${how} ${index.size} entries in ${ms.toFixed(1)} ms; ${probe} ->`, index.get(probe));
  }
  console.log(`file: ${statSync(file).size} bytes`);

  // A file this program wrote itself may skip the structural walk (which hashes every key):
  // the checksum alone still refuses a file changed by one bit.
  const t0 = performance.now();
  const quick = GoMap.load(file, t.string, Product, { verify: "checksum" });
  console.log(`load with verify "checksum": ${quick.size} entries in ${(performance.now() - t0).toFixed(1)} ms`);

  // The loaded map is the saved one: same entries, same seed, same buckets.
  const built = build(), loaded = GoMap.load(file, t.string, Product);
  let same = built.size === loaded.size;
  for (const [k, v] of built) {
    const w = loaded.get(k);
    if (w?.cents !== v.cents || w.stock !== v.stock) same = false;
  }
  console.log(`every entry of a fresh build is in the loaded map with its value: ${same}`);
} finally {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
