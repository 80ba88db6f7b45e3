// npm run sim -- [options]: seeded process histories on the ownership core and
// the simulated OS (host/sim, run from build/host/sim), checked after every step.
//
//   --seeds N          run seeds 1..N (default 200)
//   --first S          start at seed S instead of 1 (with --seeds)
//   --seed S           run seed S only
//   --steps K          steps per history (default 200)
//   --trace            print every trace line (with --seed)
//   --update-golden    recompute test/sim/golden.json (its seeds and steps)
//
// A failing history prints its last trace lines and the one-line command that
// replays it; the exit code is then 1. build/host is recompiled (tsc) first
// when a source under host/ is newer than build/host/sim/index.js.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);
const GOLDEN = "test/sim/golden.json";
const ENTRY = "build/host/sim/index.js";

function usage(message) {
  console.error(`sim: ${message}\nusage: npm run sim -- [--seeds N [--first S] | --seed S] [--steps K] [--trace] [--update-golden]`);
  process.exit(2);
}

function parse(argv) {
  const o = { seeds: 200, first: 1, seed: undefined, steps: 200, trace: false, updateGolden: false };
  const int = (name, v) => {
    if (v === undefined || !/^\d+$/.test(v)) usage(`${name} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--seeds") o.seeds = int(a, argv[++i]);
    else if (a === "--first") o.first = int(a, argv[++i]);
    else if (a === "--seed") o.seed = int(a, argv[++i]);
    else if (a === "--steps") o.steps = int(a, argv[++i]);
    else if (a === "--trace") o.trace = true;
    else if (a === "--update-golden") o.updateGolden = true;
    else usage(`unknown option ${a}`);
  }
  return o;
}

/** The newest modification time of the .ts files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt() {
  if (!existsSync("build/core-wasm.js")) usage("build/core-wasm.js is missing: run `npm run build` first");
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newest("host")) return;
  console.error("sim: build/host is older than host/: compiling (tsc)");
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
}

const o = parse(process.argv.slice(2));
ensureBuilt();
const { simulate } = await import(pathToFileURL(join(root, ENTRY)).href);

function report(r) {
  const f = r.failure;
  console.log(`seed ${r.seed}: FAILED at step ${f.step}: ${f.message}`);
  for (const line of f.tail) console.log(`  | ${line}`);
  console.log(`  reproduce: ${f.command}`);
}

if (o.updateGolden) {
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8"));
  const hashes = {};
  for (const seed of Object.keys(golden.hashes)) {
    const r = await simulate({ seed: Number(seed), steps: golden.steps });
    if (r.failure) {
      report(r);
      console.log("sim: golden file NOT updated (a history fails its checks)");
      process.exit(1);
    }
    hashes[seed] = r.hash;
    console.log(`seed ${seed}: ${r.hash}${golden.hashes[seed] === r.hash ? "" : ` (was ${golden.hashes[seed]})`}`);
  }
  writeFileSync(GOLDEN, JSON.stringify({ ...golden, hashes }, null, 2) + "\n");
  console.log(`sim: wrote ${GOLDEN}`);
  process.exit(0);
}

if (o.seed !== undefined) {
  const r = await simulate({ seed: o.seed, steps: o.steps, onLine: o.trace ? (line) => console.log(line) : undefined });
  if (r.failure) {
    if (!o.trace) report(r);
    else console.log(`reproduce: ${r.failure.command}`);
    process.exit(1);
  }
  const s = r.stats;
  console.log(`seed ${r.seed}: ok, ${r.lines} trace lines, hash ${r.hash}; ${s.refusals} refusals, ${s.faults} faults, ` +
    `${s.released} releases, ${s.streamed} bytes streamed, up to ${s.maxProcs} processes`);
  process.exit(0);
}

const t0 = performance.now();
const total = { refusals: 0, faults: 0, released: 0, streamed: 0, ops: {} };
let failed = 0;
for (let seed = o.first; seed < o.first + o.seeds; seed++) {
  const r = await simulate({ seed, steps: o.steps });
  if (r.failure) {
    failed++;
    report(r);
    continue;
  }
  for (const k of ["refusals", "faults", "released", "streamed"]) total[k] += r.stats[k];
  for (const [k, v] of Object.entries(r.stats.ops)) total.ops[k] = (total.ops[k] ?? 0) + v;
}
const ms = Math.round(performance.now() - t0);
const ops = Object.values(total.ops).reduce((a, b) => a + b, 0);
console.log(`sim: seeds ${o.first}..${o.first + o.seeds - 1} x ${o.steps} steps in ${ms} ms: ` +
  (failed ? `${failed} FAILED` : "every invariant held") +
  `; ${ops} operations, ${total.refusals} refusals (each predicted), ${total.faults} injected faults, ` +
  `${total.released} releases, ${total.streamed} bytes through pipes and sockets`);
process.exit(failed ? 1 : 0);
