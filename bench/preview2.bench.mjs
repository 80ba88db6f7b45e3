// iolife/preview2 vs @bytecodealliance/preview2-shim (Node), host side: the
// cost of one WASI 0.2 call as jco's glue makes it (a method on a resource
// object), measured in the same interleaved rounds; then what each lets a
// guest do with a symlink pointing out of its preopen.
//
//   node --expose-gc bench/preview2.bench.mjs     (npm run bench -- preview2)

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createContext } from "iolife/preview2";
import { nodeOs, preopenDir } from "../build/host/os/node/index.js";
import { OpenFlags } from "../build/host/os/types.js";
import * as shimFs from "@bytecodealliance/preview2-shim/filesystem";
import * as shimIo from "@bytecodealliance/preview2-shim/io";
import { ROUNDS, runInterleaved, machine, table, fmt, ratio } from "./lib/harness.mjs";

const BATCH = 100;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iolife-p2-bench-"));
const box = path.join(tmp, "box");
fs.mkdirSync(box);
fs.writeFileSync(path.join(box, "f"), Buffer.alloc(65536, 1));
fs.mkdirSync(path.join(tmp, "outside"));
fs.writeFileSync(path.join(tmp, "outside", "sentinel"), "outside the preopen");
fs.symlinkSync("../outside", path.join(box, "out"));

const ctx = createContext({ preopens: { "/": box } });
const io = ctx.interfaces;
shimFs._setPreopens({ "/": box });

const drop = (r) => r[Symbol.dispose]();
function side(name, filesystem, poll) {
  const [[root]] = filesystem.preopens.getDirectories();
  const file = root.openAt({}, "f", {}, { read: true, write: true });
  const out = file.writeViaStream(0n);
  const ready = file.readViaStream(0n).subscribe();
  const bytes = new Uint8Array(16);
  return { name, root, file, out, ready, bytes, poll };
}
const ours = side("iolife", io.filesystem, io.io.poll.poll);
const shim = side("preview2-shim", shimFs, shimIo.poll.poll);

const OPS = {
  "descriptor.stat() (a file)": (s) => s.file.stat(),
  "stat-at (a path)": (s) => s.root.statAt({}, "f"),
  "open-at + drop": (s) => drop(s.root.openAt({}, "f", {}, { read: true })),
  "check-write + write 16 B (stream)": (s) => {
    s.out.checkWrite();
    s.out.write(s.bytes);
  },
  "descriptor.read 64 KiB": (s) => s.file.read(65536n, 0n),
  "poll([ready])": (s) => s.poll([s.ready]),
  "get-directories + drop": (s) => {
    for (const [d] of (s === ours ? io.filesystem : shimFs).preopens.getDirectories()) if (s === ours) drop(d);
  },
};

// The same work on the Node OS backend alone (no WASI layer, no core): what iolife/preview2 adds is the difference.
const osRoot = preopenDir(box);
const osFile = nodeOs.openAt(osRoot, "f", false, OpenFlags.READ | OpenFlags.WRITE);
const buf64 = new Uint8Array(65536);
let pos = 0n;
const BARE = {
  "descriptor.stat() (a file)": () => nodeOs.fstat(osFile),
  "stat-at (a path)": () => nodeOs.statAt(osRoot, "f", false),
  "open-at + drop": () => nodeOs.close(nodeOs.openAt(osRoot, "f", false, OpenFlags.READ)),
  "check-write + write 16 B (stream)": () => { nodeOs.pwrite(osFile, [buf64.subarray(0, 16)], pos); pos += 16n; },
  "descriptor.read 64 KiB": () => nodeOs.pread(osFile, [buf64], 0n),
};

const tasks = [];
for (const [op, f] of Object.entries(BARE)) tasks.push({ name: `${op}|os`, fn: () => { for (let i = 0; i < BATCH; i++) f(); } });
for (const [op, f] of Object.entries(OPS)) {
  for (const s of [ours, shim]) {
    tasks.push({ name: `${op}|${s.name}`, fn: () => { for (let i = 0; i < BATCH; i++) f(s); } });
  }
}
const res = runInterleaved(tasks, { batch: BATCH });

console.log(`iolife/preview2 vs preview2-shim ${JSON.parse(fs.readFileSync("node_modules/@bytecodealliance/preview2-shim/package.json", "utf8")).version}, ns per call (median of ${ROUNDS} rounds); ${machine()}`);
console.log(table(["operation", "Node backend alone", "iolife", "preview2-shim", "shim / iolife"], Object.keys(OPS).map((op) => {
  const a = res.get(`${op}|iolife`).ns;
  const b = res.get(`${op}|preview2-shim`).ns;
  const o = res.get(`${op}|os`)?.ns;
  return [op, o === undefined ? "" : fmt(o), fmt(a), fmt(b), ratio(b, a)];
})));
console.log("(preview2-shim's getDirectories returns the same objects each call, so nothing is dropped on its side.)");

// ---- What a guest reaches through box/out -> ../outside.
const tries = {
  "open-at out/sentinel (follow)": (root) => { const f = root.openAt({ symlinkFollow: true }, "out/sentinel", {}, { read: true }); const [b] = f.read(100n, 0n); return `read "${new TextDecoder().decode(b)}"`; },
  "stat-at out/sentinel": (root) => `size ${root.statAt({ symlinkFollow: true }, "out/sentinel").size}`,
  "create out/planted": (root) => { root.openAt({ symlinkFollow: true }, "out/planted", { create: true }, { write: true }); return "created"; },
  "open-at out/../outside/sentinel": (root) => { root.openAt({}, "out/../outside/sentinel", {}, { read: true }); return "opened"; },
};
const outcome = (f, root) => { try { return f(root); } catch (e) { return typeof e === "string" ? `refused: ${e}` : `threw ${e}`; } };
console.log("\nbox/out -> ../outside, preopen box/ as /:");
console.log(table(["guest call", "iolife", "preview2-shim"], Object.entries(tries).map(([name, f]) => [name, outcome(f, ours.root), outcome(f, shim.root)])));
console.log(`planted outside by preview2-shim: ${fs.existsSync(path.join(tmp, "outside", "planted"))}`);

// ---- The resource rules, on each side.
const rules = {
  "drop a descriptor while its stream lives": (fsys) => {
    const [[root]] = fsys.preopens.getDirectories();
    const f = root.openAt({}, "f", {}, { read: true });
    f.readViaStream(0n);
    drop(f);
    return "allowed";
  },
  "drop a stream while its pollable lives": (fsys) => {
    const [[root]] = fsys.preopens.getDirectories();
    const s = root.openAt({}, "f", {}, { read: true }).readViaStream(0n);
    s.subscribe();
    drop(s);
    return "allowed";
  },
  "drop a descriptor twice": (fsys) => {
    const [[root]] = fsys.preopens.getDirectories();
    const f = root.openAt({}, "f", {}, { read: true });
    drop(f);
    drop(f);
    return "allowed";
  },
  "stat a dropped descriptor": (fsys) => {
    const [[root]] = fsys.preopens.getDirectories();
    const f = root.openAt({}, "f", {}, { read: true });
    drop(f);
    return `answered (size ${f.stat().size})`;
  },
  "get-directories twice: same object?": (fsys) => String(fsys.preopens.getDirectories()[0][0] === fsys.preopens.getDirectories()[0][0]),
};
const rule = (f, fsys) => { try { return f(fsys); } catch (e) { return `refused: ${typeof e === "string" ? e : `${e.name} ${e.code ?? ""}`.trim()}`; } };
console.log("\nresource rules (each on a fresh context for iolife):");
console.log(table(["guest does", "iolife", "preview2-shim"], Object.entries(rules).map(([name, f]) => {
  const c = createContext({ preopens: { "/": box } });
  const r = [name, rule(f, c.interfaces.filesystem), rule(f, shimFs)];
  try { c.dispose(); } catch {}
  return r;
})));

ctx.dispose();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(0);
