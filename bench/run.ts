// `npm run bench`: the benchmark table (GoMap beside Map), printed as its rows come in.
// `--quick` stops at 1e6 entries; `--huge-pages` runs the children with glibc's huge-page
// tunable (src/bench/table.ts). The workloads and the measuring live in src/bench/, which
// `gomap bench` runs too; see src/bench/measure.ts for what each column means.
import { FULL_SIZES, QUICK_SIZES, formatRow, header, hugePagesReport, runTable } from "../src/bench/table.js";
import { flags } from "./flags.js";

const opts = flags("bench", { quick: "boolean", "huge-pages": "boolean" });
const sizes = opts.quick === true ? QUICK_SIZES : FULL_SIZES;
const hugePages = opts["huge-pages"] === true;
console.log(header(hugePages));
const results = await runTable({ sizes, hugePages, onResult: (r) => console.log(formatRow(r)) });
if (hugePages) console.log(hugePagesReport(results));
