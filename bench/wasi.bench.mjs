// Syscall-heavy C guests (bench/guests/*.c, wasi-libc) under iolife's WASI
// and under node:wasi, in the same process, interleaved: every round runs
// every row once under each host (alternating which goes first), after one
// warm-up round that is not counted. A row's figure is the median over
// rounds. Each guest times its own loop with clock_time_get(MONOTONIC) and
// prints it (so instantiation and set-up are not counted); wall time (new
// WASI → instantiate → start returns) is shown beside it. Two steadier
// figures for a shared machine stand next to the ratio of medians: "paired"
// (the median of each round's own iolife/node:wasi ratio) and "cpu ratio"
// (from the main thread's CPU time around start(), which leaves out the time
// spent waiting for a CPU). A large gap between the loop ratio and the cpu
// ratio means time off the CPU, not work.
//
// The 64 KiB rows also run under a third host, "bare FFI": iolife's WASI with
// fd_read/fd_write of one iovec replaced by a bare koffi read(2)/write(2) on
// the OS descriptor behind the guest's fd (no checks, no core lookup, the
// same FFI). Its ratio to node:wasi is the floor of the JS host path: what
// iolife's own code adds is iolife / bare FFI.
//
// Goals (printed as PASS/MISS, never failing the run): iolife no slower than
// node:wasi on bulk I/O (64 KiB reads and writes, readdir: ratio ≤ 1.0) and
// within 1.5× on tiny-call loops (16 B writes, open+close, stat, fstat,
// clock, random). Verdicts are on the in-guest loop times.
//
// Files live in a fresh directory under /dev/shm when it exists (tmpfs),
// else os.tmpdir(); BENCH_TMPDIR overrides. Removed at the end.
//
//   node --expose-gc bench/wasi.bench.mjs       (npm run bench runs it after the build)
//   BENCH_QUICK=1            smaller sizes (read 64 MiB, 50k writes, ...), 5 rounds
//   BENCH_WASI_ROUNDS=n      counted rounds (default 7; quick 5)
//   BENCH_ONLY=read64k,open  only these rows (keys in ROWS below)
//   BENCH_IMPL=iolife        run one host only (for profiling: node --cpu-prof ...)
//   BENCH_DUMP=1             also print every round's ns per call
//   BENCH_FLOOR=0            leave out the "bare FFI" host of the 64 KiB rows (below)
//   BENCH_BASELINE=path      also run the WASI class exported by another iolife
//                            build (e.g. a copy of build/host/wasi/node.js from
//                            before a change, with its package.json and
//                            build/core-wasm.js beside it) as "iolife@base", in
//                            the same rounds: an A/B on a noisy machine
//
// The guests are compiled into build/bench-guests/ by this file when a .wasm
// is missing or older than its .c or bench/guests/bench.h (clang
// --target=wasm32-wasi, Debian's clang + wasi-libc). Without that toolchain
// the bench prints SKIP and exits 0.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import { WASI as IolifeWASI } from "iolife";
import { QUICK, machine, median, table, verdict } from "./lib/harness.mjs";

// node:wasi announces itself as experimental on first use; that line is noise here.
const emitWarning = process.emitWarning;
process.emitWarning = (w, ...rest) => {
  if (String(w?.message ?? w).includes("WASI")) return;
  emitWarning.call(process, w, ...rest);
};
const { WASI: NodeWASI } = await import("node:wasi");

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SRC = path.join(ROOT, "bench/guests");
const OUT = path.join(ROOT, "build/bench-guests");
const CLANG = process.env.CLANG ?? "clang";
const CFLAGS = ["--target=wasm32-wasi", "-O2", "-Wall", "-Werror"];

const envNum = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const ROUNDS = envNum("BENCH_WASI_ROUNDS", QUICK ? 5 : 7);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : null;
const IMPL = process.env.BENCH_IMPL ?? "both";

const MiB = 1024 * 1024;
const READ_BYTES = (QUICK ? 64 : 256) * MiB;
const WRITE_BYTES = (QUICK ? 32 : 128) * MiB;
const CHUNK = 64 * 1024;
const DIR_ENTRIES = 10_000;
const SMALL_SIZE = 100;

// ---- Compile the guests if stale.
function buildGuests() {
  fs.mkdirSync(OUT, { recursive: true });
  const mtime = (p) => { try { return fs.statSync(p).mtimeMs; } catch { return -1; } };
  const header = mtime(path.join(SRC, "bench.h"));
  const built = [];
  for (const f of fs.readdirSync(SRC).filter((f) => f.endsWith(".c")).sort()) {
    const src = path.join(SRC, f);
    const wasm = path.join(OUT, f.replace(/\.c$/, ".wasm"));
    if (mtime(wasm) > Math.max(mtime(src), header)) continue;
    execFileSync(CLANG, [...CFLAGS, src, "-o", wasm], { stdio: ["ignore", "inherit", "inherit"] });
    built.push(f);
  }
  return built;
}

try {
  const built = buildGuests();
  if (built.length) console.error(`wasi.bench: compiled ${built.join(" ")} into build/bench-guests/`);
} catch (e) {
  console.log(`wasi.bench: SKIP: cannot compile bench/guests with ${CLANG} --target=wasm32-wasi (${e.message.split("\n")[0]})`);
  console.log("  On Debian/Ubuntu: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32");
  process.exit(0);
}

// ---- The rows. `args` are the guest's argv after its name; `calls` and
// `check` are what its result line must say.
const k = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1000}k`);
const ROWS = [
  { key: "write16", bulk: false, guest: "write_small", n: QUICK ? 50_000 : 200_000, size: 16,
    label: (r) => `write 16 B × ${k(r.n)}` },
  { key: "read64k", bulk: true, floor: true, guest: "read_large", label: () => `read 64 KiB, ${READ_BYTES / MiB} MiB` },
  { key: "write64k", bulk: true, floor: true, guest: "write_large", label: () => `write 64 KiB, ${WRITE_BYTES / MiB} MiB` },
  { key: "open", bulk: false, guest: "open_close", n: QUICK ? 10_000 : 50_000, label: (r) => `open + close × ${k(r.n)}` },
  { key: "stat", bulk: false, guest: "stat_path", n: QUICK ? 20_000 : 100_000, label: (r) => `path_filestat_get × ${k(r.n)}` },
  { key: "fstat", bulk: false, guest: "stat_fd", n: QUICK ? 20_000 : 100_000, label: (r) => `fd_filestat_get × ${k(r.n)}` },
  { key: "readdir", bulk: true, guest: "readdir", passes: QUICK ? 1 : 3,
    label: (r) => `readdir ${k(DIR_ENTRIES)} entries × ${r.passes}` },
  { key: "clock", bulk: false, guest: "clock", n: QUICK ? 200_000 : 1_000_000, label: (r) => `clock_time_get × ${k(r.n)}` },
  { key: "random", bulk: false, guest: "random", n: QUICK ? 50_000 : 200_000, size: 16,
    label: (r) => `random_get 16 B × ${k(r.n)}` },
].filter((r) => ONLY === null || ONLY.includes(r.key));
for (const r of ROWS) r.label = r.label(r);

// ---- The files, in a tmpfs directory.
function tempBase() {
  if (process.env.BENCH_TMPDIR) return process.env.BENCH_TMPDIR;
  try {
    fs.accessSync("/dev/shm", fs.constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}
const base = tempBase();
const dir = fs.mkdtempSync(path.join(base, "iolife-wasi-bench-"));
const fsType = (() => {
  try {
    const t = fs.statfsSync(dir).type;
    return t === 0x01021994 ? "tmpfs" : `not tmpfs (f_type 0x${t.toString(16)})`;
  } catch { return "?"; }
})();
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

const G = "/bench"; // the guest's name for `dir`
const started = performance.now();
{
  const chunk = Buffer.alloc(MiB);
  randomFillSync(chunk);
  const fd = fs.openSync(path.join(dir, "big.bin"), "w");
  for (let at = 0; at < READ_BYTES; at += MiB) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, "small.txt"), "x".repeat(SMALL_SIZE));
  fs.mkdirSync(path.join(dir, "many"));
  for (let i = 0; i < DIR_ENTRIES; i++) fs.writeFileSync(path.join(dir, "many", `f${String(i).padStart(5, "0")}`), "");
}

for (const r of ROWS) {
  switch (r.guest) {
    case "write_small":
      r.args = [`${G}/w16.bin`, String(r.n), String(r.size)]; r.calls = r.n; r.check = r.n * r.size; break;
    case "write_large":
      r.args = [`${G}/w64k.bin`, String(WRITE_BYTES), String(CHUNK)]; r.calls = WRITE_BYTES / CHUNK; r.check = WRITE_BYTES; break;
    case "read_large":
      r.args = [`${G}/big.bin`, String(CHUNK)]; r.calls = READ_BYTES / CHUNK + 1; r.check = READ_BYTES; break;
    case "open_close":
      r.args = [`${G}/small.txt`, String(r.n)]; r.calls = r.n; r.check = r.n; break;
    case "stat_path":
    case "stat_fd":
      r.args = [`${G}/small.txt`, String(r.n)]; r.calls = r.n; r.check = SMALL_SIZE; break;
    case "readdir":
      // node:wasi lists no . and .. entries; iolife does (as wasmtime). Either count is right.
      r.args = [`${G}/many`, String(r.passes)]; r.calls = (DIR_ENTRIES + 2) * r.passes; r.check = DIR_ENTRIES + 2;
      r.alt = { calls: DIR_ENTRIES * r.passes, check: DIR_ENTRIES }; break;
    case "clock":
      r.args = [String(r.n)]; r.calls = r.n; r.check = 1; break;
    case "random":
      r.args = [String(r.n), String(r.size)]; r.calls = r.n; r.check = r.n * r.size; break;
  }
  r.module = new WebAssembly.Module(fs.readFileSync(path.join(OUT, `${r.guest}.wasm`)));
}

// ---- One run of one guest under one host: { loopNs, wallNs }.
const HOSTS = {
  iolife: (opts) => new IolifeWASI(opts),
  "node:wasi": (opts) => new NodeWASI(opts),
};
const BASE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;
if (BASE !== null) {
  const { WASI: BaseWASI } = await import(BASE);
  HOSTS["iolife@base"] = (opts) => new BaseWASI(opts);
}
const IMPLS = IMPL === "both" ? ["iolife", "node:wasi", ...(BASE ? ["iolife@base"] : [])] : [IMPL === "node" ? "node:wasi" : IMPL];

// The "bare FFI" host (see the header): only for rows marked `floor`.
const FLOOR = IMPL === "both" && process.env.BENCH_FLOOR !== "0";
HOSTS["bare FFI"] = (opts) => {
  const w = new IolifeWASI(opts);
  const libc = koffi.load("libc.so.6");
  const bare = {
    read: libc.func("long read(int fd, void *buf, unsigned long count)"),
    write: libc.func("long write(int fd, void *buf, unsigned long count)"),
  };
  let memory = null, u8 = new Uint8Array(0), dv = null, view = u8, lastBuf = -1, lastFd = -1, osFd = -1;
  const io = (call, general) => (fd, iovs, n, out) => {
    if (n !== 1) return general(fd, iovs, n, out);
    if (u8.byteLength === 0) {
      u8 = new Uint8Array(memory.buffer);
      dv = new DataView(memory.buffer);
    }
    if (fd !== lastFd) {
      osFd = w.table.check(fd + 1).os.fd;
      lastFd = fd;
    }
    const buf = dv.getUint32(iovs, true), len = dv.getUint32(iovs + 4, true);
    if (buf !== lastBuf || len !== view.byteLength) {
      view = u8.subarray(buf, buf + len);
      lastBuf = buf;
    }
    const r = call(osFd, view, len);
    if (r < 0) return general(fd, iovs, n, out); // nothing was read or written: the errno from iolife's
    dv.setUint32(out, r, true);
    return 0;
  };
  const imports = { ...w.wasiImport, fd_read: io(bare.read, w.wasiImport.fd_read), fd_write: io(bare.write, w.wasiImport.fd_write) };
  return {
    getImportObject: () => ({ wasi_snapshot_preview1: imports }),
    start(instance) {
      memory = instance.exports.memory;
      return w.start(instance);
    },
  };
};
const implsOf = (row) => (FLOOR && row.floor ? [...IMPLS, "bare FFI"] : IMPLS);
const stdoutPath = path.join(dir, "guest-stdout");

// CPU time of this (main) thread, through koffi: clock_gettime(CLOCK_THREAD_CPUTIME_ID). Around
// start() it counts the guest's run on the CPU (user + system) and not the time the thread
// waited for a CPU, so it is steadier than wall time on a shared machine. Unlike the in-guest
// loop time it includes the guest's start-up and exit (tens of µs), and it leaves out V8's
// background threads.
const threadCpuNs = (() => {
  try {
    const libc = koffi.load("libc.so.6");
    const clock_gettime = libc.func("int clock_gettime(int clk, void *ts)");
    const ts = new BigInt64Array(2);
    return () => (clock_gettime(3, ts) === 0 ? Number(ts[0]) * 1e9 + Number(ts[1]) : NaN);
  } catch {
    return () => NaN;
  }
})();

function run(row, impl) {
  globalThis.gc?.();
  const out = fs.openSync(stdoutPath, "w+");
  let code, cpu0, cpuNs;
  const t0 = process.hrtime.bigint();
  try {
    const wasi = HOSTS[impl]({
      version: "preview1", args: [row.guest, ...row.args], env: {}, preopens: { [G]: dir },
      stdin: 0, stdout: out, stderr: 2, returnOnExit: true,
    });
    const instance = new WebAssembly.Instance(row.module, wasi.getImportObject());
    cpu0 = threadCpuNs();
    code = wasi.start(instance);
    cpuNs = threadCpuNs() - cpu0;
  } finally {
    fs.closeSync(out);
  }
  const wallNs = Number(process.hrtime.bigint() - t0);
  const text = fs.readFileSync(stdoutPath, "utf8").trim();
  const [loopNs, calls, check] = text.split(/\s+/).map(Number);
  const expected = (calls === row.calls && check === row.check) || (calls === row.alt?.calls && check === row.alt?.check);
  if (code !== 0 || !expected) {
    throw new Error(`${row.key} under ${impl}: exit ${code}, printed ${JSON.stringify(text)}; expected calls ${row.calls}, check ${row.check}`);
  }
  return { loopNs, wallNs, cpuNs, calls };
}

// ---- Rounds: one warm-up, then ROUNDS counted, alternating host order.
console.log(`wasi.bench: ${machine()}`);
console.log(`  files in ${dir} (${fsType}); ${ROUNDS} interleaved rounds after 1 warm-up round; figures are medians over rounds${QUICK ? "; BENCH_QUICK sizes" : ""}`);
const results = new Map(ROWS.map((r) => [r.key, Object.fromEntries(implsOf(r).map((i) => [i, { loop: [], wall: [], cpu: [] }]))]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const row of ROWS) {
    // Rotate which host goes first (with two hosts: alternate).
    const impls = implsOf(row);
    const order = impls.map((_, i) => impls[(i + round) % impls.length]);
    for (const impl of order) {
      const { loopNs, wallNs, cpuNs, calls } = run(row, impl);
      if (round === 0) continue;
      results.get(row.key)[impl].calls = calls;
      results.get(row.key)[impl].cpu.push(cpuNs);
      results.get(row.key)[impl].loop.push(loopNs);
      results.get(row.key)[impl].wall.push(wallNs);
    }
  }
  process.stderr.write(`  ${round === 0 ? "warm-up round" : `round ${round}/${ROUNDS}`} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}

// ---- Report.
if (process.env.BENCH_DUMP) {
  for (const r of ROWS) for (const impl of implsOf(r)) {
    const v = results.get(r.key)[impl];
    console.log(`${r.key} ${impl}: loop ${v.loop.map((ns) => (ns / v.calls).toFixed(0)).join(" ")}`);
    console.log(`${r.key} ${impl}: cpu  ${v.cpu.map((ns) => (ns / v.calls).toFixed(0)).join(" ")}`);
  }
}
const ms = (ns) => (ns / 1e6).toFixed(ns >= 1e9 ? 0 : 1);
const perCall = (ns) => (ns >= 10_000 ? (ns / 1000).toFixed(1) + " µs" : ns >= 100 ? ns.toFixed(0) + " ns" : ns.toFixed(1) + " ns");
const spread = (v) => `±${((50 * (Math.max(...v) - Math.min(...v))) / median(v)).toFixed(0)}%`;

if (IMPLS.length === 1) {
  const impl = IMPLS[0];
  console.log(`\n${impl} only (in-guest loop time, medians)`);
  console.log(table(["row", "calls", "loop ms", "per call", "spread", "wall ms", "cpu /call"], ROWS.map((r) => {
    const v = results.get(r.key)[impl];
    return [r.label, v.calls, ms(median(v.loop)), perCall(median(v.loop) / v.calls), spread(v.loop), ms(median(v.wall)), perCall(median(v.cpu) / v.calls)];
  })));
  process.exit(0);
}

// The median over rounds of each round's own ratio (its two runs are adjacent in time, so a
// change in the machine's load between rounds cancels out): a steadier figure than the ratio
// of the medians on a busy machine. Verdicts stay on the ratio of the medians.
// Main-thread CPU time per call, iolife / node:wasi (see threadCpuNs).
const cpuRatio = (a, b) => (Number.isNaN(a.cpu[0]) ? "?" : `${(median(a.cpu) / a.calls / (median(b.cpu) / b.calls)).toFixed(2)}×`);
const paired = (a, b) => median(a.loop.map((ns, i) => ns / a.calls / (b.loop[i] / b.calls)));

const rows = ROWS.map((r) => {
  const a = results.get(r.key).iolife, b = results.get(r.key)["node:wasi"];
  const la = median(a.loop), lb = median(b.loop);
  // Per call (per entry for readdir, where node:wasi lists no . and ..).
  const q = la / a.calls / (lb / b.calls);
  const goal = r.bulk ? 1.0 : 1.5;
  return {
    r, q, goal, ok: q <= goal,
    cells: [
      r.label, a.calls, ms(la), ms(lb), perCall(la / a.calls), perCall(lb / b.calls), `${q.toFixed(2)}×`,
      `${paired(a, b).toFixed(2)}×`, `≤ ${goal.toFixed(1)}×`, verdict(q <= goal),
      `${ms(median(a.wall))} / ${ms(median(b.wall))}`, `${cpuRatio(a, b)}`, `${spread(a.loop)} / ${spread(b.loop)}`,
    ],
  };
});
console.log(`\nin-guest loop time, medians (iolife vs node:wasi; ratio = iolife / node:wasi per call, lower is better;`);
console.log(`paired = median of the per-round ratios; cpu ratio = the same from the main thread's CPU time around start())`);
console.log(table(
  ["row", "calls", "iolife ms", "node:wasi ms", "iolife /call", "node:wasi /call", "ratio", "paired", "goal", "verdict", "wall ms (iolife / node)", "cpu ratio", "spread (iolife / node)"],
  rows.map((x) => x.cells),
));
if (BASE !== null) {
  console.log(`\nA/B: iolife (this build) vs iolife@base (${BASE}), in-guest loop medians`);
  console.log(table(["row", "iolife /call", "iolife@base /call", "node:wasi /call", "iolife / base", "paired", "cpu ratio", "base / node:wasi"], ROWS.map((r) => {
    const a = results.get(r.key).iolife, b = results.get(r.key)["iolife@base"], n = results.get(r.key)["node:wasi"];
    const pa = median(a.loop) / a.calls, pb = median(b.loop) / b.calls, pn = median(n.loop) / n.calls;
    return [r.label, perCall(pa), perCall(pb), perCall(pn), `${(pa / pb).toFixed(2)}×`, `${paired(a, b).toFixed(2)}×`, cpuRatio(a, b), `${(pb / pn).toFixed(2)}×`];
  })));
}
const floored = ROWS.filter((r) => implsOf(r).includes("bare FFI"));
if (floored.length) {
  console.log(`\nthe JS host path's floor: "bare FFI" = iolife's WASI with one-iovec fd_read/fd_write replaced by a bare koffi`);
  console.log(`read(2)/write(2) (no checks); iolife / bare FFI is what iolife's own code adds, bare FFI / node:wasi what the FFI path costs`);
  console.log(table(["row", "iolife /call", "bare FFI /call", "node:wasi /call", "iolife / bare FFI", "paired", "bare FFI / node:wasi", "paired"], floored.map((r) => {
    const a = results.get(r.key).iolife, f = results.get(r.key)["bare FFI"], n = results.get(r.key)["node:wasi"];
    const pa = median(a.loop) / a.calls, pf = median(f.loop) / f.calls, pn = median(n.loop) / n.calls;
    return [r.label, perCall(pa), perCall(pf), perCall(pn), `${(pa / pf).toFixed(2)}×`, `${paired(a, f).toFixed(2)}×`, `${(pf / pn).toFixed(2)}×`, `${paired(f, n).toFixed(2)}×`];
  })));
}
const bulk = rows.filter((x) => x.r.bulk), tiny = rows.filter((x) => !x.r.bulk);
const count = (xs) => `${xs.filter((x) => x.ok).length}/${xs.length}`;
console.log(`\ngoal: bulk I/O ratio ≤ 1.0: ${count(bulk)} PASS; tiny-call loops ratio ≤ 1.5: ${count(tiny)} PASS`);
console.log(`summary: ${rows.filter((x) => x.ok).length}/${rows.length} rows PASS; ${((performance.now() - started) / 1000).toFixed(0)} s; ${machine().split(", ").pop()}`);
