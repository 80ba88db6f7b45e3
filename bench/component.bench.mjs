// The core as a component, from JS: ns per call through iolife/component
// (the generated fast binding, build/component/index.js) beside jco's own
// transpiled output (build/component/jco/), the component's core module
// called by hand through its Canonical-ABI exports, and the plain core's
// exports (build/core.wasm), all in the same interleaved rounds. Prints
// PASS/MISS for the goal (< 50 ns per handle operation through the binding
// iolife ships); never fails on a MISS. Flags are passed as jco takes them
// (objects of booleans); rows marked "flags as numbers" pass bitmasks, which
// iolife/component also accepts (jco does not).
//
//   node --expose-gc bench/component.bench.mjs   (npm run bench runs every bench/*.bench.mjs)
//   BENCH_QUICK=1, BENCH_ROUNDS, BENCH_TIME_MS, BENCH_BATCH: see lib/harness.mjs

import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import assert from "node:assert/strict";
import { load } from "iolife/component";
import { BATCH, ROUNDS, TIME_MS, runInterleaved, machine, table, fmt, ratio, verdict } from "./lib/harness.mjs";

const GOAL_NS = 50;
const BUILD = new URL("../build/", import.meta.url);
const QNAME = "iolife:core/handles@0.1.0";

// ---- The four ways in --------------------------------------------------------------
// plain: build/core.wasm's own exports (what iolife/core binds to).
const plainX = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL("core.wasm", BUILD))), {}).exports;
// cabi: the component's core module, its Canonical-ABI exports called by hand
// (rep = handle, results read from the return area): the floor for any binding.
const cabiX = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL("component/iolife-core.core.wasm", BUILD))), {
  [`[export]${QNAME}`]: { "[resource-new]table": (rep) => rep },
}).exports;
cabiX._initialize?.();
// fast: iolife/component. jco: build/component/jco/iolife-core.js, unmodified.
const fast = await load();
// The same with errorStacks: false (refusals throw a ComponentError without a stack).
const lite = await load({ errorStacks: false });
// Flags as numbers, in an instance of their own: the binding's functions are
// per instance, so mixing numbers and objects in one would make both rows
// polymorphic, which no consistent caller sees.
const num = await load();
const jco = (await import(new URL("component/jco/iolife-core.js", BUILD).href)).handles;

const FILE = 1; // core kind
const READ = 1 << 1; // core right
const ALL = (1 << 30) - 1;
const INHERIT = 0xffff_ffff;
const FILE_MASK = 1 << FILE;
const ALL_RIGHTS = Object.fromEntries([
  "datasync", "read", "seek", "setFlags", "sync", "tell", "write", "advise", "allocate", "createDirectory",
  "createFile", "linkSource", "linkTarget", "open", "readdir", "readlink", "renameSource", "renameTarget",
  "pathStat", "pathSetSize", "pathSetTimes", "stat", "setSize", "setTimes", "symlink", "removeDirectory",
  "unlinkFile", "poll", "shutdown", "accept",
].map((r) => [r, true]));
const R_READ = { read: true };
const NO_FLAGS = {};
const ANY = {};
const FILES = { file: true };

const fn = (name) => cabiX[`${QNAME}#${name}`];
const C = {
  ctor: fn("[constructor]table"), insert: fn("[method]table.insert"), close: fn("[method]table.close"),
  check: fn("[method]table.check"), borrow: fn("[method]table.borrow"), release: fn("[method]table.release"),
  dup: fn("[method]table.dup"), getOffset: fn("[method]table.get-offset"), info: fn("[method]table.info"),
};
let u8 = new Uint8Array(cabiX.memory.buffer);
let u32 = new Uint32Array(cabiX.memory.buffer);
const view = () => { if (u8.length === 0) { u8 = new Uint8Array(cabiX.memory.buffer); u32 = new Uint32Array(cabiX.memory.buffer); } };
/** result<u32, error-code> at `p`: the value, or -(case + 1). */
const word = (p) => { view(); return u8[p] === 0 ? u32[(p + 4) >>> 2] : -(u8[p + 4] + 1); };

// ---- One table per way, each with 4 background entries, one live handle for
// borrow/dup/offset/info, LIVE = 8 handles that check cycles through, and one
// closed handle for the refusal row.
const LIVE = 8;
const plainT = plainX.table_new(64, 0, 0);
const cabiT = C.ctor(64);
const fastT = new fast.Table(64);
const jcoT = new jco.Table(64);
const plainInsert = () => plainX.handle_insert(plainT, FILE, 0, ALL, 0, 0, 0, 0);
const cabiInsert = () => word(C.insert(cabiT, 0, 0, ALL, 0, 0, 0, 0, 0));
const fastInsert = () => fastT.insert("file", "regular", ALL_RIGHTS, NO_FLAGS, false, 0, undefined);
const jcoInsert = () => jcoT.insert("file", "regular", ALL_RIGHTS, NO_FLAGS, false, 0, undefined);
const setup = (insert) => {
  for (let i = 0; i < 4; i++) insert();
  const live = insert();
  const fds = Array.from({ length: LIVE }, insert);
  const closed = insert();
  return { live, fds, closed };
};
const P = setup(plainInsert), K = setup(cabiInsert), F = setup(fastInsert), J = setup(jcoInsert);
const numT = new num.Table(64);
const N_ = setup(() => numT.insert("file", "regular", ALL, 0, false, 0, undefined));
const liteT = new lite.Table(4);
const liteClosed = liteT.insert("file", "regular", ALL_RIGHTS, NO_FLAGS, false, 0, undefined);
liteT.close(liteClosed);
plainX.handle_close(plainT, P.closed);
C.close(cabiT, K.closed);
fastT.close(F.closed);
jcoT.close(J.closed);

// ---- Same answers everywhere before timing anything.
{
  const code = (f) => { try { f(); return "ok"; } catch (e) { return e.payload; } };
  for (const s of [P, K, F, J]) assert.deepEqual([s.live, s.closed], [5, 14]);
  assert.equal(plainX.handle_check(plainT, P.fds[0], READ, FILE_MASK), 0);
  assert.equal(word(C.check(cabiT, K.fds[0], READ, FILE_MASK >>> 1)), 0);
  for (const [t, s] of [[fastT, F], [jcoT, J]]) {
    assert.equal(t.check(s.fds[0], R_READ, FILES), 0);
    assert.equal(code(() => t.check(s.closed, R_READ, ANY)), "closed");
    assert.equal(code(() => t.check(s.fds[0], { write: true, read: true }, { directory: true })), "wrong-kind");
    const b = t.borrow(s.live, false, undefined, undefined);
    assert.equal(code(() => t.close(s.live)), "lent");
    t.release(b);
    assert.equal(t.getOffset(s.live), 0n);
    assert.deepEqual(t.info(s.live).rights, t.info(s.fds[1]).rights);
    assert.equal(t.count(), 13);
  }
  assert.equal(plainX.handle_check(plainT, P.closed, READ, 0), -3);
  assert.equal(word(C.check(cabiT, K.closed, READ, 0)), -3);
}

// ---- Tasks: BATCH iterations each, written out so every loop stays monomorphic.
let sink = 0;
const N = BATCH;
const OPS = [
  { op: "check", label: "check (rights)", ops: 1, goal: true },
  { op: "check+kind", label: "check (rights + kind)", ops: 1, goal: true },
  { op: "check#", label: "  … flags as numbers", ops: 1, goal: true },
  { op: "insert+close", label: "insert + close", ops: 2, goal: true },
  { op: "insert#+close", label: "  … flags as numbers", ops: 2, goal: true },
  { op: "borrow+release", label: "borrow + release", ops: 2, goal: true },
  { op: "dup+close", label: "dup + close", ops: 2, goal: true },
  { op: "get-offset", label: "get-offset (u64)", ops: 1, goal: true },
  { op: "info", label: "info (20-field record)", ops: 1, goal: false },
  { op: "refused", label: "check refused (closed)", ops: 1, goal: false },
  { op: "refused-lite", label: "  … errorStacks: false", ops: 1, goal: false },
];
const IMPLS = [
  { key: "plain", label: "plain core" },
  { key: "cabi", label: "CABI by hand" },
  { key: "fast", label: "iolife/component" },
  { key: "jco", label: "jco 1.35" },
];

const fns = {
  "plain:check"() { let s = 0; for (let i = 0; i < N; i++) s += plainX.handle_check(plainT, P.fds[i & 7], READ, 0); sink += s; },
  "cabi:check"() { let s = 0; for (let i = 0; i < N; i++) s += word(C.check(cabiT, K.fds[i & 7], READ, 0)); sink += s; },
  "fast:check"() { let s = 0; for (let i = 0; i < N; i++) s += fastT.check(F.fds[i & 7], R_READ, ANY); sink += s; },
  "jco:check"() { let s = 0; for (let i = 0; i < N; i++) s += jcoT.check(J.fds[i & 7], R_READ, ANY); sink += s; },

  "plain:check+kind"() { let s = 0; for (let i = 0; i < N; i++) s += plainX.handle_check(plainT, P.fds[i & 7], READ, FILE_MASK); sink += s; },
  "cabi:check+kind"() { let s = 0; for (let i = 0; i < N; i++) s += word(C.check(cabiT, K.fds[i & 7], READ, 1)); sink += s; },
  "fast:check+kind"() { let s = 0; for (let i = 0; i < N; i++) s += fastT.check(F.fds[i & 7], R_READ, FILES); sink += s; },
  "jco:check+kind"() { let s = 0; for (let i = 0; i < N; i++) s += jcoT.check(J.fds[i & 7], R_READ, FILES); sink += s; },

  // iolife/component also takes a flags parameter as a number (bit n = member n); jco does not.
  "fast:check#"() { let s = 0; for (let i = 0; i < N; i++) s += numT.check(N_.fds[i & 7], READ, FILE_MASK >>> 1); sink += s; },
  "fast:insert#+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const h = numT.insert("file", "regular", ALL, 0, false, 0, undefined); numT.close(h); s += h; }
    sink += s;
  },

  "plain:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const h = plainX.handle_insert(plainT, FILE, 0, ALL, 0, 0, 0, 0); s += plainX.handle_close(plainT, h) + h; }
    sink += s;
  },
  "cabi:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const h = word(C.insert(cabiT, 0, 0, ALL, 0, 0, 0, 0, 0)); view(); s += u8[C.close(cabiT, h)] + h; }
    sink += s;
  },
  "fast:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const h = fastT.insert("file", "regular", ALL_RIGHTS, NO_FLAGS, false, 0, undefined); fastT.close(h); s += h; }
    sink += s;
  },
  "jco:insert+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const h = jcoT.insert("file", "regular", ALL_RIGHTS, NO_FLAGS, false, 0, undefined); jcoT.close(h); s += h; }
    sink += s;
  },

  "plain:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const b = plainX.handle_borrow(plainT, P.live, 0, INHERIT, 0); s += plainX.handle_release(plainT, b) + b; }
    sink += s;
  },
  "cabi:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const b = word(C.borrow(cabiT, K.live, 0, 0, 0, 0, 0)); view(); s += u8[C.release(cabiT, b)] + b; }
    sink += s;
  },
  "fast:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const b = fastT.borrow(F.live, false, undefined, undefined); fastT.release(b); s += b; }
    sink += s;
  },
  "jco:borrow+release"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const b = jcoT.borrow(J.live, false, undefined, undefined); jcoT.release(b); s += b; }
    sink += s;
  },

  "plain:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const d = plainX.handle_dup(plainT, P.live, INHERIT); s += plainX.handle_close(plainT, d) + d; }
    sink += s;
  },
  "cabi:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const d = word(C.dup(cabiT, K.live, 0, 0)); view(); s += u8[C.close(cabiT, d)] + d; }
    sink += s;
  },
  "fast:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const d = fastT.dup(F.live, undefined); fastT.close(d); s += d; }
    sink += s;
  },
  "jco:dup+close"() {
    let s = 0;
    for (let i = 0; i < N; i++) { const d = jcoT.dup(J.live, undefined); jcoT.close(d); s += d; }
    sink += s;
  },

  "plain:get-offset"() { let s = 0n; for (let i = 0; i < N; i++) s += plainX.desc_get_offset(plainT, P.live); sink += Number(s); },
  "cabi:get-offset"() {
    let s = 0n;
    for (let i = 0; i < N; i++) { const p = C.getOffset(cabiT, K.live); view(); s += u8[p] === 0 ? BigInt(u32[(p + 8) >>> 2]) + (BigInt(u32[(p + 12) >>> 2]) << 32n) : -1n; }
    sink += Number(s);
  },
  "fast:get-offset"() { let s = 0n; for (let i = 0; i < N; i++) s += fastT.getOffset(F.live); sink += Number(s); },
  "jco:get-offset"() { let s = 0n; for (let i = 0; i < N; i++) s += jcoT.getOffset(J.live); sink += Number(s); },

  "plain:info"() { let s = 0; for (let i = 0; i < N; i++) { plainX.handle_info(plainT, P.live); s += plainX.info_ptr(); } sink += s; },
  "cabi:info"() { let s = 0; for (let i = 0; i < N; i++) { const p = C.info(cabiT, K.live); view(); s += u32[(p + 12) >>> 2]; } sink += s; },
  "fast:info"() { let s = 0; for (let i = 0; i < N; i++) s += fastT.info(F.live).lends; sink += s; },
  "jco:info"() { let s = 0; for (let i = 0; i < N; i++) s += jcoT.info(J.live).lends; sink += s; },

  "plain:refused"() { let s = 0; for (let i = 0; i < N; i++) s += plainX.handle_check(plainT, P.closed, READ, 0); sink += s; },
  "cabi:refused"() { let s = 0; for (let i = 0; i < N; i++) s += word(C.check(cabiT, K.closed, READ, 0)); sink += s; },
  "fast:refused"() {
    let s = 0;
    for (let i = 0; i < N; i++) { try { fastT.check(F.closed, R_READ, ANY); } catch (e) { s += e.payload.length; } }
    sink += s;
  },
  "jco:refused"() {
    let s = 0;
    for (let i = 0; i < N; i++) { try { jcoT.check(J.closed, R_READ, ANY); } catch (e) { s += e.payload.length; } }
    sink += s;
  },
  // Only iolife/component has the option; the other columns repeat their refused row.
  "plain:refused-lite"() { let s = 0; for (let i = 0; i < N; i++) s += plainX.handle_check(plainT, P.closed, READ, 0); sink += s; },
  "cabi:refused-lite"() { let s = 0; for (let i = 0; i < N; i++) s += word(C.check(cabiT, K.closed, READ, 0)); sink += s; },
  "fast:refused-lite"() {
    let s = 0;
    for (let i = 0; i < N; i++) { try { liteT.check(liteClosed, R_READ, ANY); } catch (e) { s += e.payload.length; } }
    sink += s;
  },
  "jco:refused-lite"() {
    let s = 0;
    for (let i = 0; i < N; i++) { try { jcoT.check(J.closed, R_READ, ANY); } catch (e) { s += e.payload.length; } }
    sink += s;
  },
};

// ---- Run
console.log(`component.bench: ${machine()}`);
console.log(`  ${ROUNDS} interleaved rounds × ${TIME_MS} ms per task, ${BATCH} iterations per sample; figures are medians of per-round medians`);
const started = performance.now();
const results = runInterleaved(Object.entries(fns).map(([name, f]) => ({ name, fn: f })), {
  onRound: (r, n) => process.stderr.write(`  round ${r}/${n} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`),
});
for (const [t, n] of [[fastT, 13], [jcoT, 13]]) assert.equal(t.count(), n);
assert.equal(plainX.table_count(plainT), 13);
assert.ok(Number.isFinite(sink));

const per = (impl, { op, ops }) => (results.get(`${impl}:${op}`)?.ns ?? NaN) / ops;
const cell = (v) => (Number.isNaN(v) ? "–" : fmt(v));

console.log(`\nns per call (a pair's figure is halved; lower is better)`);
console.log(table(
  ["operation", ...IMPLS.map((i) => i.label), "jco/iolife", "iolife/plain"],
  OPS.map((o) => [
    o.label, ...IMPLS.map((i) => cell(per(i.key, o))),
    ...[ratio(per("jco", o), per("fast", o)), ratio(per("fast", o), per("plain", o))].map((r) => (r.startsWith("NaN") ? "–" : r)),
  ]),
));
console.log(`\nspread: min..max of the ${ROUNDS} per-round medians (ns per iteration)`);
console.log(table(
  ["operation", ...IMPLS.map((i) => i.label)],
  OPS.map(({ op, label }) => [label, ...IMPLS.map((i) => {
    const r = results.get(`${i.key}:${op}`);
    if (!r) return "–";
    return `${fmt(r.min)}..${fmt(r.max)} (±${((50 * (r.max - r.min)) / r.ns).toFixed(0)}%)`;
  })]),
));

console.log(`\ngoal: every handle operation < ${GOAL_NS} ns per call through iolife/component (jco's output beside it)`);
const goalRows = OPS.filter((o) => o.goal).map((o) => [o.label, cell(per("fast", o)), cell(per("jco", o)), verdict(per("fast", o) < GOAL_NS)]);
console.log(table(["operation (per call)", "iolife/component", "jco 1.35", `< ${GOAL_NS} ns`], goalRows));
const other = OPS.filter((o) => !o.goal).map((o) => `${o.label} ${fmt(per("fast", o))} ns`).join(", ");
console.log(`(outside the goal, not handle operations on the hot path: ${other})`);

const size = (rel) => statSync(new URL(rel, BUILD)).size;
const gz = (rel) => gzipSync(readFileSync(new URL(rel, BUILD)), { level: 9 }).length;
console.log(`\nsizes (bytes, gzip -9): component ${size("iolife-core.component.wasm")} (${gz("iolife-core.component.wasm")}), ` +
  `core module ${size("component/iolife-core.core.wasm")} (${gz("component/iolife-core.core.wasm")}), ` +
  `fast binding JS ${size("component/iolife-core.fast.js")} (${gz("component/iolife-core.fast.js")}), ` +
  `jco JS ${size("component/jco/iolife-core.js")} (${gz("component/jco/iolife-core.js")})`);

const miss = goalRows.filter((r) => r[3] === "MISS").length;
console.log(`\nsummary: ${goalRows.length - miss}/${goalRows.length} handle operations under ${GOAL_NS} ns through iolife/component; ${((performance.now() - started) / 1000).toFixed(0)} s; ${machine().split(", ").pop()}`);
