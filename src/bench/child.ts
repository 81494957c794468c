// The child process of one benchmark measurement (see table.ts): runs
// measure(workload, impl, n) from its arguments and writes the result as one line of JSON.
// Started as `node --expose-gc child.js <workload> <impl> <n>`.
import { IMPLS, WORKLOADS, measure } from "./measure.js";
import type { Impl, Workload } from "./measure.js";

const [workload, impl, n] = process.argv.slice(2);
if (!WORKLOADS.includes(workload as Workload) || !IMPLS.includes(impl as Impl) || !(Number(n) > 0)) {
  process.stderr.write(`bench child: bad arguments ${JSON.stringify(process.argv.slice(2))}\n`);
  process.exitCode = 2;
} else {
  process.stdout.write(JSON.stringify(measure(workload as Workload, impl as Impl, Number(n))) + "\n");
}
