// npm run bench: runs every bench/*.bench.mjs, one at a time, each in its own
// Node process (so one benchmark's JIT and heap state cannot skew another's),
// with --expose-gc. `npm run bench -- core` runs only files whose name
// contains "core". Benchmarks print their goals as PASS/MISS and never fail
// on a MISS; this exits non-zero only if a benchmark crashes.

import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();

if (files.length === 0) {
  console.error(`bench: no bench/*.bench.mjs matches ${filters.join(" ")}`);
  process.exit(1);
}

let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, ["--expose-gc", `${dir}${f}`], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${f}: exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
