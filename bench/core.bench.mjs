// The ownership core from JS: ns per operation through the public API
// (iolife/core's HandleTable) and through the raw core exports, beside two
// plain JS tables doing the same work (bench/lib/map-table.mjs,
// bench/lib/array-table.mjs), all measured in the same interleaved rounds;
// plus the size of build/core.wasm. Prints PASS/MISS against the goals; it
// never fails on a MISS (benchmarks print, they don't fail the build).
//
//   node --expose-gc bench/core.bench.mjs      (npm run bench runs it after the build)
//   BENCH_QUICK=1, BENCH_ROUNDS, BENCH_TIME_MS, BENCH_BATCH: see lib/harness.mjs

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import assert from "node:assert/strict";
import { HandleTable, KINDS, RIGHTS, RIGHTS_ALL, RIGHTS_INHERIT } from "iolife/core";
import { MapTable } from "./lib/map-table.mjs";
import { ArrayTable } from "./lib/array-table.mjs";
import { BATCH, ROUNDS, TIME_MS, runInterleaved, machine, table, fmt, ratio, verdict } from "./lib/harness.mjs";

const GOAL_NS = 15;
const GOAL_WASM_BYTES = 16 * 1024;
const WASM = new URL("../build/core.wasm", import.meta.url);

const FILE = KINDS.file;
const FILE_MASK = 1 << KINDS.file;
const FILE_KINDS = ["file"];
const READ = RIGHTS.read;
const ALL = RIGHTS_ALL;
const INHERIT = RIGHTS_INHERIT;
const RES = { name: "resource" };

// ---- The four tables, each with a few long-lived entries (stdio-like), one
// live handle that borrow / dup work on, and LIVE file handles that check
// cycles through (as a host serving syscalls on several fds does; a constant
// handle would also let the JIT treat the JS tables' loads as loop-invariant).
const api = await HandleTable.create();
const rawTable = await HandleTable.create();
const x = rawTable.core.exports;
const T = rawTable.id;
const map = new MapTable();
const arr = new ArrayTable();

const BACKGROUND = 4;
for (let i = 0; i < BACKGROUND; i++) {
  api.insert({ kind: "char-device", rights: ALL, resource: RES });
  rawTable.insert({ kind: "char-device", rights: ALL, resource: RES });
  map.insert(KINDS["char-device"], ALL, RES);
  arr.insert(KINDS["char-device"], ALL, RES);
}
const apiLive = api.insert({ kind: "file", rights: ALL, resource: RES });
const rawLive = x.handle_insert(T, FILE, 0, ALL, 0, 0, 0, 0);
const mapLive = map.insert(FILE, ALL, RES);
const arrLive = arr.insert(FILE, ALL, RES);
const LIVE = 8; // check uses fds[i & 7]
const apiFds = [], rawFds = [], mapFds = [], arrFds = [];
for (let i = 0; i < LIVE; i++) {
  apiFds.push(api.insert({ kind: "file", rights: ALL, resource: RES }));
  rawFds.push(x.handle_insert(T, FILE, 0, ALL, 0, 0, 0, 0));
  mapFds.push(map.insert(FILE, ALL, RES));
  arrFds.push(arr.insert(FILE, ALL, RES));
}
const baseline = { api: api.count, raw: rawTable.count, map: map.count, arr: arr.count };

// ---- Same semantics: each table refuses what the core refuses in this cycle.
function selfCheck() {
  const code = (fn) => { try { fn(); return "ok"; } catch (e) { return e.code; } };
  // core, public API
  {
    const h = api.insert({ kind: "file", rights: ALL, resource: RES });
    const b = api.borrowHandle(h);
    assert.equal(code(() => api.close(h)), "lent");
    assert.equal(code(() => api.close(b)), "not-owner");
    assert.equal(api.check(b, READ), RES);
    api.release(b);
    assert.equal(code(() => api.release(h)), "not-borrow");
    const d = api.dup(h);
    api.close(d);
    api.close(h);
    assert.equal(code(() => api.check(h, READ)), "closed");
  }
  // core, raw exports: negative results
  {
    const h = x.handle_insert(T, FILE, 0, ALL, 0, 0, 0, 0);
    const b = x.handle_borrow(T, h, 0, INHERIT, 0);
    assert.ok(h > 0 && b > 0);
    assert.ok(x.handle_close(T, h) < 0);
    assert.equal(x.handle_release(T, b), 0);
    assert.equal(x.handle_close(T, h), 1); // released its description
    assert.ok(x.handle_check(T, h, READ, 0) < 0);
  }
  // the JS tables
  for (const t of [new MapTable(), new ArrayTable()]) {
    const h = t.insert(FILE, READ, RES);
    const b = t.borrow(h);
    assert.ok(h > 0 && b > 0 && b !== h);
    assert.ok(t.close(h) < 0, "close while lent");
    assert.ok(t.close(b) < 0, "close a borrow");
    assert.equal(t.check(b, READ, FILE_MASK), RES);
    assert.ok(t.check(h, RIGHTS.write, 0) < 0, "missing right");
    assert.ok(t.check(h, READ, 1 << KINDS.pipe) < 0, "wrong kind");
    assert.equal(t.release(b), 0);
    assert.ok(t.release(h) < 0, "release an owner");
    assert.ok(t.release(b) < 0, "double release");
    const d = t.dup(h);
    assert.equal(t.close(d), 0);
    assert.equal(t.close(h), 1);
    assert.ok(t.check(h, 0, 0) < 0, "use after close");
    assert.ok(t.close(h) < 0, "double close");
    const h2 = t.insert(FILE, READ, RES); // reuses the slot in ArrayTable
    assert.ok(t.check(h, 0, 0) < 0, "stale handle after reuse");
    assert.equal(t.close(h2), 1);
    assert.equal(t.count, 0);
  }
}
selfCheck();

// ---- Tasks: each runs BATCH iterations; written out one by one so that every
// loop stays monomorphic. `sink` keeps results observable.
let sink = 0;
const N = BATCH;

const OPS = [
  { op: "cycle", label: "insert→borrow→release→close", ops: 4 },
  { op: "insert+close", label: "insert + close", ops: 2 },
  { op: "check", label: "check (rights)", ops: 1 },
  { op: "check+kind", label: "check (rights + kind)", ops: 1 },
  { op: "borrow+release", label: "borrow + release", ops: 2 },
  { op: "dup+close", label: "dup + close", ops: 2 },
];
const IMPLS = [
  { key: "api", label: "public API" },
  { key: "raw", label: "raw exports" },
  { key: "map", label: "Map table" },
  { key: "arr", label: "array table" },
];

const fns = {
  // insert → borrow → release → close
  "api:cycle"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = api.insert({ kind: "file", rights: ALL, resource: RES });
      const b = api.borrowHandle(h);
      api.release(b);
      api.close(h);
      s += b - h;
    }
    sink += s;
  },
  "raw:cycle"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = x.handle_insert(T, FILE, 0, ALL, 0, 0, 0, 0);
      const b = x.handle_borrow(T, h, 0, INHERIT, 0);
      s += x.handle_release(T, b) + x.handle_close(T, h) + b - h;
    }
    sink += s;
  },
  "map:cycle"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = map.insert(FILE, ALL, RES);
      const b = map.borrow(h);
      s += map.release(b) + map.close(h) + b - h;
    }
    sink += s;
  },
  "arr:cycle"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = arr.insert(FILE, ALL, RES);
      const b = arr.borrow(h);
      s += arr.release(b) + arr.close(h) + b - h;
    }
    sink += s;
  },

  // insert + close
  "api:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = api.insert({ kind: "file", rights: ALL, resource: RES });
      api.close(h);
      s += h;
    }
    sink += s;
  },
  "raw:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = x.handle_insert(T, FILE, 0, ALL, 0, 0, 0, 0);
      s += x.handle_close(T, h) + h;
    }
    sink += s;
  },
  "map:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = map.insert(FILE, ALL, RES);
      s += map.close(h) + h;
    }
    sink += s;
  },
  "arr:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const h = arr.insert(FILE, ALL, RES);
      s += arr.close(h) + h;
    }
    sink += s;
  },

  // check: the per-syscall hot path (over LIVE = 8 handles)
  "api:check"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (api.check(apiFds[i & 7], READ) === RES) s++;
    sink += s;
  },
  "raw:check"() {
    let s = 0;
    for (let i = 0; i < N; i++) s += x.handle_check(T, rawFds[i & 7], READ, 0);
    sink += s;
  },
  "map:check"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (map.check(mapFds[i & 7], READ, 0) === RES) s++;
    sink += s;
  },
  "arr:check"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (arr.check(arrFds[i & 7], READ, 0) === RES) s++;
    sink += s;
  },

  // check with a kind filter
  "api:check+kind"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (api.check(apiFds[i & 7], READ, FILE_KINDS) === RES) s++;
    sink += s;
  },
  "raw:check+kind"() {
    let s = 0;
    for (let i = 0; i < N; i++) s += x.handle_check(T, rawFds[i & 7], READ, FILE_MASK);
    sink += s;
  },
  "map:check+kind"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (map.check(mapFds[i & 7], READ, FILE_MASK) === RES) s++;
    sink += s;
  },
  "arr:check+kind"() {
    let s = 0;
    for (let i = 0; i < N; i++) if (arr.check(arrFds[i & 7], READ, FILE_MASK) === RES) s++;
    sink += s;
  },

  // borrow + release
  "api:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const b = api.borrowHandle(apiLive);
      api.release(b);
      s += b;
    }
    sink += s;
  },
  "raw:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const b = x.handle_borrow(T, rawLive, 0, INHERIT, 0);
      s += x.handle_release(T, b) + b;
    }
    sink += s;
  },
  "map:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const b = map.borrow(mapLive);
      s += map.release(b) + b;
    }
    sink += s;
  },
  "arr:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const b = arr.borrow(arrLive);
      s += arr.release(b) + b;
    }
    sink += s;
  },

  // the floor: a call into a core export that does nothing (returns a global)
  "floor:empty-call"() {
    let s = 0;
    for (let i = 0; i < N; i++) s += x.released_count();
    sink += s;
  },

  // dup + close (the close does not release: the live handle still owns the description)
  "api:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const d = api.dup(apiLive);
      api.close(d);
      s += d;
    }
    sink += s;
  },
  "raw:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const d = x.handle_dup(T, rawLive, INHERIT);
      s += x.handle_close(T, d) + d;
    }
    sink += s;
  },
  "map:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const d = map.dup(mapLive);
      s += map.close(d) + d;
    }
    sink += s;
  },
  "arr:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const d = arr.dup(arrLive);
      s += arr.close(d) + d;
    }
    sink += s;
  },
};

// ---- Run
console.log(`core.bench: ${machine()}`);
console.log(`  ${ROUNDS} interleaved rounds × ${TIME_MS} ms per task, ${BATCH} iterations per sample; figures are medians of per-round medians`);
const started = performance.now();
const tasks = Object.entries(fns).map(([name, fn]) => ({ name, fn }));
const results = runInterleaved(tasks, {
  onRound: (r, n) => process.stderr.write(`  round ${r}/${n} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`),
});

// Every table is back where it started, and the sink is a number.
assert.deepEqual({ api: api.count, raw: rawTable.count, map: map.count, arr: arr.count }, baseline);
assert.ok(Number.isFinite(sink));

const ns = (impl, op) => results.get(`${impl}:${op}`).ns;

// ---- ns per iteration, and ratios
console.log(`\nns per iteration (a cycle or pair; lower is better)`);
console.log(table(
  ["operation", "ops", ...IMPLS.map((i) => i.label), "API/Map", "raw/Map", "API/array", "raw/array"],
  OPS.map(({ op, label, ops }) => [
    label, ops,
    ...IMPLS.map((i) => fmt(ns(i.key, op))),
    ratio(ns("api", op), ns("map", op)), ratio(ns("raw", op), ns("map", op)),
    ratio(ns("api", op), ns("arr", op)), ratio(ns("raw", op), ns("arr", op)),
  ]),
));

console.log(`(floor: a JS→Wasm call to an empty core export, released_count(), costs ${fmt(results.get("floor:empty-call").ns)} ns)`);

console.log(`\nspread: min..max of the ${ROUNDS} per-round medians (ns per iteration)`);
console.log(table(
  ["operation", ...IMPLS.map((i) => i.label)],
  OPS.map(({ op, label }) => [label, ...IMPLS.map((i) => {
    const r = results.get(`${i.key}:${op}`);
    return `${fmt(r.min)}..${fmt(r.max)} (±${((50 * (r.max - r.min)) / r.ns).toFixed(0)}%)`;
  })]),
));

// ---- Goals: each core operation under 15 ns from JS, and faster than the Map table
console.log(`\ngoal: each core operation < ${GOAL_NS} ns from JS and faster than the Map table (ns per op = per iteration ÷ ops)`);
const goalRows = [];
for (const { op, label, ops } of OPS) {
  const per = (impl) => ns(impl, op) / ops;
  for (const impl of ["api", "raw"]) {
    const v = per(impl);
    goalRows.push([
      `${label}, ${impl === "api" ? "public API" : "raw exports"}`, fmt(v), fmt(per("map")), fmt(per("arr")),
      verdict(v < GOAL_NS), verdict(v < per("map")),
    ]);
  }
}
console.log(table(["operation (per op)", "core", "Map", "array", `< ${GOAL_NS} ns`, "< Map"], goalRows));

// ---- Size of the release core
const wasm = readFileSync(WASM);
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`\nbuild/core.wasm: ${wasm.length} bytes = ${(wasm.length / 1024).toFixed(2)} KiB (gzip -9: ${gz} bytes = ${(gz / 1024).toFixed(2)} KiB)`);
console.log(`goal: release core.wasm < 16 KiB: ${verdict(wasm.length < GOAL_WASM_BYTES)}`);

const miss = goalRows.filter((r) => r[4] === "MISS" || r[5] === "MISS").length;
console.log(`\nsummary: ${goalRows.length - miss}/${goalRows.length} per-op rows meet both goals; wasm size ${verdict(wasm.length < GOAL_WASM_BYTES)}; ${((performance.now() - started) / 1000).toFixed(0)} s; ${machine().split(", ").pop()}`);
