/**
 * The test component (componentize-js → jco) on iolife/preview2 in Node,
 * on real files: the --map flavour for what a guest can do, the
 * --instantiation flavour (a fresh instance each) for what must trap.
 * Every escape the preview1 sandbox tests refuse is refused here too, and
 * nothing outside the preopen changes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, createContext, ResourceTrap } from "../../build/host/preview2/node/index.js";
import { snapshotOutside } from "../os/sandbox.js";
import { instantiateGuest, thrown, type Guest } from "./guest.js";

let tmp: string;
let ioDir: string;
let box: string;
let outPath: string;
let errPath: string;
let before: string;

/** A temp dir: box/ (preopened) with files, next to outside/, secret, and host-made escaping symlinks in box/. */
function makeTree(): void {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iolife-p2-"));
  box = path.join(tmp, "box");
  fs.mkdirSync(box);
  fs.mkdirSync(path.join(box, "a"));
  fs.writeFileSync(path.join(box, "hello.txt"), "hi\n");
  fs.writeFileSync(path.join(box, "victim.txt"), "victim");
  fs.mkdirSync(path.join(tmp, "outside"));
  fs.writeFileSync(path.join(tmp, "outside", "sentinel"), "do not touch");
  fs.writeFileSync(path.join(tmp, "secret"), "top secret");
  fs.symlinkSync("/etc", path.join(box, "etc"));
  fs.symlinkSync("../outside", path.join(box, "out"));
  fs.symlinkSync("../outside/sentinel", path.join(box, "outfile"));
  fs.symlinkSync("a/../..", path.join(box, "updir"));
  // stdio files live in their own temp dir, not among the things that must stay untouched.
  ioDir = fs.mkdtempSync(path.join(os.tmpdir(), "iolife-p2-io-"));
  outPath = path.join(ioDir, "stdout.txt");
  errPath = path.join(ioDir, "stderr.txt");
  before = snapshotOutside(tmp, box);
}

describe("guest on the default context (jco --map to iolife/preview2/*)", () => {
  let guest: Guest;
  let ctx: ReturnType<typeof configure>;
  let out: number;
  let err: number;

  beforeAll(async () => {
    makeTree();
    out = fs.openSync(outPath, "w+");
    err = fs.openSync(errPath, "w+");
    ctx = configure({
      preopens: { "/data": box }, env: { GREETING: "hello" }, args: ["guest", "--flag"], stdout: out, stderr: err,
    });
    guest = (await import("../../build/preview2/guest/guest.node.js")) as Guest;
  });

  afterAll(() => {
    ctx.dispose();
    fs.closeSync(out);
    fs.closeSync(err);
    expect(snapshotOutside(tmp, box)).toBe(before);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(ioDir, { recursive: true, force: true });
  });

  it("run('env'): sees exactly the configured environment, arguments and preopens", () => {
    expect(JSON.parse(guest.run("env", ""))).toEqual({ env: [["GREETING", "hello"]], args: ["guest", "--flag"], preopens: ["/data"] });
  });

  it("run('write-read'): creates a file, writes it through an output stream and reads it back", () => {
    const r = JSON.parse(guest.run("write-read", "new.txt"));
    expect(r).toMatchObject({ text: "hello from a component\n", size: 23, type: "regular-file", flags: { read: true, write: false } });
    expect(fs.readFileSync(path.join(box, "new.txt"), "utf8")).toBe("hello from a component\n");
  });

  it("run('list'): lists a directory without . and ..", () => {
    fs.writeFileSync(path.join(box, "a", "inner.txt"), "x");
    expect(JSON.parse(guest.run("list", "a"))).toEqual(["inner.txt:regular-file"]);
    expect(JSON.parse(guest.run("list", ""))).toEqual(expect.arrayContaining(["a:directory", "hello.txt:regular-file", "etc:symbolic-link"]));
  });

  it("run('fs-ops'): mkdir, rename, symlink, readlink, link, stat, hashes, pread/pwrite, append, truncate, unlink, rmdir, and their errors", () => {
    expect(guest.run("fs-ops", "").split("\n")).toEqual([
      "renamed:b.txt:regular-file",
      "readlink:b.txt",
      "via-link:abc",
      "stat-at:symbolic-link/regular-file",
      "same:true/false",
      "hash:true",
      "nlink:2",
      "pread:aXY/false",
      "after-append-truncate:aXY+",
      "ro-write:bad-descriptor",
      "ro-stream:bad-descriptor",
      "dir-read:bad-descriptor",
      "file-as-dir:not-directory",
      "rmdir-nonempty:not-empty",
      "gone:no-entry",
      "missing:no-entry",
      "exists:exist",
      "ro-dir-create:not-permitted",
      "ro-dir-open-write:ok",
      'ro-dir-flags:{"read":true,"write":false,"fileIntegritySync":false,"dataIntegritySync":false,"requestedWriteSync":false,"mutateDirectory":false}',
    ]);
    expect(fs.existsSync(path.join(box, "d"))).toBe(false);
  });

  it("run('poll'): polls a timer and a stream, blocks on the timer for its whole duration", () => {
    expect(guest.run("poll", "").split("\n")).toEqual([
      "timer-ready-at-once:false", "poll:1", "waited>=20ms:true", "timer-ready:true", "stdout-ready:true", "resolution>0:true",
    ]);
  });

  it("run('stdout'): writes to the fds the config named as stdout and stderr", () => {
    expect(guest.run("stdout", "to stdout\n")).toBe("ok");
    expect(fs.readFileSync(outPath, "utf8")).toBe("to stdout\n");
    expect(fs.readFileSync(errPath, "utf8")).toBe("err:to stdout\n");
  });

  it("run('random') and run('clocks'): host randomness and clocks", () => {
    expect(JSON.parse(guest.run("random", ""))).toEqual({ len: 32, differ: true, u64: "bigint" });
    const c = JSON.parse(guest.run("clocks", ""));
    expect(Math.abs(c.seconds - Date.now() / 1000)).toBeLessThan(5);
    expect(c.monotonic).toBe(true);
  });

  it("run('drop-order'): children dropped before parents leave nothing behind", () => {
    const live = ctx.table.count;
    expect(guest.run("drop-order", "")).toBe("ok");
    expect(ctx.table.count).toBe(live);
  });

  it("run('escape'): every path out of the preopen is refused, every way (open, create, stat, mkdir, unlink, rename, link, symlink)", () => {
    const paths = ["..", "../outside", "../secret", "/", "/etc", "/etc/passwd", "a/../..", "a/../../secret", "a/../../outside",
      "etc", "etc/passwd", "out", "outfile", "updir", "updir/secret", "out/../secret"];
    const r = JSON.parse(guest.run("escape", JSON.stringify(paths))) as Record<string, Record<string, string>>;
    for (const p of paths) {
      for (const [op, result] of Object.entries(r[p]!)) {
        // not-permitted (escape), or loop / not-directory for a symlink opened without following.
        expect([p, op, result]).not.toContainEqual("ok");
      }
      expect(r[p]!.open, p).toBe("not-permitted");
    }
    expect(r["etc"]!.nofollow).toBe("loop");
    expect(snapshotOutside(tmp, box)).toBe(before);
  });

  it("run('escape-limits'): 40 chained symlinks resolve, 41 are a loop; NUL, a trailing slash after a file and an empty path are refused", () => {
    expect(JSON.parse(guest.run("escape-limits", ""))).toEqual({
      chain40: "ok", chain41: "loop", nul: "invalid", trailingSlash: "not-directory", empty: "no-entry",
    });
    expect(snapshotOutside(tmp, box)).toBe(before);
  });

  it("run('escape-symlinks'): symlinks the guest plants cannot take it out either", () => {
    const r = JSON.parse(guest.run("escape-symlinks", ""));
    expect(r.made).toEqual({ dot: "ok", esc: "ok", abs: "not-permitted", up: "ok", loop: "ok" });
    expect(r.tries).toEqual({
      "dot/hello.txt": "ok",
      esc: "not-permitted",
      "esc/secret": "not-permitted",
      "esc/outside/sentinel": "not-permitted",
      "abs/passwd": "no-entry",
      "up/sentinel": "not-permitted",
      loop: "loop",
      "dot/dot/dot/../secret": "not-permitted",
      "esc/outside/new": "not-permitted",
      "up/ (mkdir)": "not-permitted",
    });
    expect(snapshotOutside(tmp, box)).toBe(before);
  });
});

describe("contract violations (jco --instantiation, a fresh instance each)", () => {
  let fds: number;

  beforeAll(() => {
    makeTree();
    fds = fs.readdirSync("/proc/self/fd").length;
  });

  afterAll(() => {
    expect(snapshotOutside(tmp, box)).toBe(before);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(ioDir, { recursive: true, force: true });
  });

  async function fresh() {
    const out = fs.openSync(outPath, "w");
    const ctx = createContext({ preopens: { "/": box }, stdout: out, stderr: out });
    const guest = await instantiateGuest(ctx.getImportObject());
    return { ctx, guest, close: () => { ctx.dispose(); fs.closeSync(out); } };
  }

  /** Runs `scenario`, which must trap with `code` and a message matching `message`; the instance is then dead. */
  async function traps(scenario: string, code: string, message: RegExp): Promise<void> {
    const { guest, close } = await fresh();
    try {
      const e = thrown(() => guest.run(scenario, ""));
      expect(e).toBeInstanceOf(ResourceTrap);
      expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(thrown(() => guest.run("env", "")).message).toMatch(/cannot enter component instance/);
    } finally {
      close();
    }
  }

  it("[resource-drop]descriptor: refused while its input-stream lives (a resource outliving its parent)", async () => {
    await traps("drop-parent", "has-children",
      /^wasi:filesystem\/types descriptor drop: .*it has 1 live child: drop input-stream \d+ first \(wasmtime traps with "resource has children"\)$/);
  });

  it("[resource-drop]output-stream: refused while its pollable lives", async () => {
    await traps("drop-stream", "has-children", /^wasi:io\/streams output-stream drop: .*drop pollable \d+ first/);
  });

  it("[resource-drop]descriptor: refused while a directory-entry-stream of it lives", async () => {
    await traps("drop-dir", "has-children", /drop directory-entry-stream \d+ first/);
  });

  it("a method on a dropped descriptor traps with a message, not a TypeError", async () => {
    await traps("use-after-drop", "unknown-handle", /^wasi:filesystem\/types descriptor: the guest used a handle it does not hold/);
  });

  it("output-stream.write beyond check-write's permit traps", async () => {
    await traps("over-permit", "permit", /15 bytes exceed the permit of 0 from check-write/);
  });

  it("a borrow kept past its call: the guest's later use traps", async () => {
    const { ctx, guest, close } = await fresh();
    try {
      const [[d]] = ctx.interfaces.filesystem.preopens.getDirectories() as [[unknown, string]];
      ctx.lend(d as never, (b) => guest.keep(b));
      const e = thrown(() => guest.useKept());
      expect(e).toBeInstanceOf(ResourceTrap);
      expect(e.message).toMatch(/does not hold \(dropped already, or a borrow kept past the call that lent it\)/);
    } finally {
      close();
    }
  });

  it("a double drop by the guest is refused (by jco's own handle table, before the host sees it)", async () => {
    const { guest, close } = await fresh();
    try {
      const e = thrown(() => guest.run("double-drop", ""));
      expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
      expect(e.message).toMatch(/unknown handle index/);
    } finally {
      close();
    }
  });

  it("default-deny: a context made from {} grants no directory, environment or argument", async () => {
    const ctx = createContext({});
    try {
      const guest = await instantiateGuest(ctx.getImportObject());
      expect(JSON.parse(guest.run("env", ""))).toEqual({ env: [], args: [], preopens: [] });
    } finally {
      ctx.dispose();
    }
  });

  it("dispose(): every OS descriptor the guests opened is closed", () => {
    expect(fs.readdirSync("/proc/self/fd").length).toBe(fds);
  });
});
