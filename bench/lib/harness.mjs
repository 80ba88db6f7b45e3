// Shared benchmark harness: tinybench for the timing, run in interleaved
// rounds so that every variant sees the same machine conditions.
//
// Why this shape: tinybench times each call of a task function with
// process.hrtime.bigint (about 30-40 ns a read here), which is as long as the
// operations we measure. So each task function runs a batch of BATCH
// iterations (one timer pair per batch, < 0.1 ns per iteration), and a run is
// cut into ROUNDS rounds; each round runs every task once (warmup, then
// `time` ms of samples) in a rotated order. A task's figure is the median over
// rounds of its per-round median; the spread is the min..max of the per-round
// medians. On a 2-core shared machine this is what keeps ns figures stable:
// noise from a neighbour hits one round of every task rather than every
// sample of one task. tinybench rather than mitata: it is already a
// devDependency, and batched like this it gives ±1-4 % per-round spreads on
// the core's rows here, so mitata's own batching would add a dependency for
// nothing.

import os from "node:os";
import { readFileSync } from "node:fs";
import { Bench } from "tinybench";

const env = (name, dflt) => {
  const v = process.env[name];
  return v === undefined || v === "" ? dflt : Number(v);
};

export const QUICK = process.env.BENCH_QUICK === "1";
export const ROUNDS = env("BENCH_ROUNDS", QUICK ? 3 : 7);
export const TIME_MS = env("BENCH_TIME_MS", QUICK ? 40 : 150);
export const WARMUP_MS = env("BENCH_WARMUP_MS", QUICK ? 20 : 40);
export const BATCH = env("BENCH_BATCH", 1000);

const gc = globalThis.gc ?? (() => {});

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `tasks` ({ name, fn }) for ROUNDS interleaved rounds. Each fn runs
 * BATCH iterations per call. Returns Map name → { ns, min, max, rounds[] }
 * in ns per iteration (median of the per-round medians).
 */
export function runInterleaved(tasks, { rounds = ROUNDS, time = TIME_MS, warmupTime = WARMUP_MS, batch = BATCH, onRound } = {}) {
  const perRound = new Map(tasks.map((t) => [t.name, []]));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({
      name: `round ${r + 1}`,
      time,
      iterations: 32,
      warmup: true,
      warmupTime,
      warmupIterations: 8,
      timestampProvider: "hrtimeNow",
      throws: true,
    });
    // Rotate the order each round, so no task always runs after the same one.
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[(i + r) % tasks.length];
      bench.add(t.name, t.fn, { beforeAll: () => gc() });
    }
    for (const task of bench.runSync()) {
      const res = task.result;
      if (res.state !== "completed") throw new Error(`${task.name}: ${res.state} ${res.error ?? ""}`);
      perRound.get(task.name).push((res.latency.p50 * 1e6) / batch);
    }
    onRound?.(r + 1, rounds);
  }
  const out = new Map();
  for (const [name, values] of perRound) {
    out.set(name, { ns: median(values), min: Math.min(...values), max: Math.max(...values), rounds: values });
  }
  return out;
}

export function machine() {
  const cpus = os.cpus();
  let tinybench = "?";
  try {
    tinybench = JSON.parse(readFileSync(new URL("../../node_modules/tinybench/package.json", import.meta.url), "utf8")).version;
  } catch {}
  return `node ${process.version}, tinybench ${tinybench}, ${cpus[0]?.model?.trim() ?? "?"} × ${cpus.length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

/** Formats rows (arrays of cells) as an aligned text table; first column left-aligned. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? "").length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? String(cell ?? "").padEnd(widths[c]) : String(cell ?? "").padStart(widths[c]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const fmt = (ns) => (ns >= 100 ? ns.toFixed(0) : ns.toFixed(1));
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
export const verdict = (ok) => (ok ? "PASS" : "MISS");
