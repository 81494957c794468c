// `npm run bench`: the benchmark table (GoMap beside Map), printed as its rows come in.
// `--quick` stops at 1e6 entries. The workloads and the measuring live in src/bench/, which
// `gomap bench` runs too; see src/bench/measure.ts for what each column means.
import { FULL_SIZES, QUICK_SIZES, formatRow, header, runTable } from "../src/bench/table.js";

const sizes = process.argv.includes("--quick") ? QUICK_SIZES : FULL_SIZES;
console.log(header());
await runTable({ sizes, onResult: (r) => console.log(formatRow(r)) });
