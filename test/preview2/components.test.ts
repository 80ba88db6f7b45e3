/**
 * The test component on iolife/preview2's browser flavour: the simulated OS
 * (host/os/memory) behind the same preview2 host. Runs in Node and in
 * Chromium. The --map flavour (guest.browser.js → build/host/preview2/browser/*)
 * for what a guest can do; the --instantiation flavour for what must trap.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, createContext, createMemoryOs, OpenFlags, ResourceTrap, type MemoryContext } from "./memory.js";
import { instantiateGuest, thrown, type Guest } from "./guest.js";

/** A simulated tree: box/ (preopened) beside outside/ and secret, with host-made escaping symlinks in box/. */
function makeSystem() {
  const system = createMemoryOs({ seed: 7 });
  const top = system.root({
    "box/hello.txt": "hi\n",
    "box/victim.txt": "victim",
    "box/a/": null,
    "box/etc": { symlink: "/etc" },
    "box/out": { symlink: "../outside" },
    "box/outfile": { symlink: "../outside/sentinel" },
    "box/updir": { symlink: "a/../.." },
    "outside/sentinel": "do not touch",
    secret: "top secret",
  });
  const box = system.os.openAt(top, "box", false, OpenFlags.READ | OpenFlags.DIRECTORY);
  if (typeof box === "number") throw new Error(`open box: ${box}`);
  const outside = () => Object.fromEntries(Object.entries(system.snapshot(top, { allDirs: true })).filter(([k]) => !k.startsWith("box/")));
  return { system, box, outside };
}

describe("guest on the default context (jco --map to iolife/preview2/browser/*)", () => {
  let guest: Guest;
  let ctx: MemoryContext;
  let sim: ReturnType<typeof makeSystem>;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    sim = makeSystem();
    before = sim.outside();
    ctx = configure({ system: sim.system, preopens: { "/data": sim.box }, env: { GREETING: "hello" }, args: ["guest", "--flag"] });
    guest = (await import("../../build/preview2/guest/guest.browser.js")) as Guest;
  });

  afterAll(() => {
    ctx.dispose();
    expect(sim.outside()).toEqual(before);
  });

  it("run('env'): sees exactly the configured environment, arguments and preopens", () => {
    expect(JSON.parse(guest.run("env", ""))).toEqual({ env: [["GREETING", "hello"]], args: ["guest", "--flag"], preopens: ["/data"] });
  });

  it("run('write-read'): creates a file, writes it through an output stream and reads it back", () => {
    const r = JSON.parse(guest.run("write-read", "new.txt"));
    expect(r).toMatchObject({ text: "hello from a component\n", size: 23, type: "regular-file", flags: { read: true, write: false } });
    expect(ctx.snapshot("/data")["new.txt"]).toBe("hello from a component\n");
  });

  it("run('list'): lists directories", () => {
    expect(JSON.parse(guest.run("list", "a"))).toEqual([]);
    expect(JSON.parse(guest.run("list", ""))).toEqual(expect.arrayContaining(["a:directory", "hello.txt:regular-file", "etc:symbolic-link"]));
  });

  it("run('fs-ops'): every descriptor operation and its errors, as on real files", () => {
    const log = guest.run("fs-ops", "").split("\n");
    expect(log).toContain("after-append-truncate:aXY+");
    expect(log).toContain("same:true/false");
    expect(log).toContain("ro-dir-create:not-permitted");
    expect(log.filter((l) => l.startsWith("ro-") || l.includes("missing") || l.includes("exists") || l.includes("gone"))).toEqual([
      "ro-write:bad-descriptor", "ro-stream:bad-descriptor", "gone:no-entry", "missing:no-entry", "exists:exist",
      "ro-dir-create:not-permitted", "ro-dir-open-write:ok",
      'ro-dir-flags:{"read":true,"write":false,"fileIntegritySync":false,"dataIntegritySync":false,"requestedWriteSync":false,"mutateDirectory":false}',
    ]);
  });

  it("run('poll'): a 20 ms timer on the virtual clock: blocking moves the clock instead of waiting", () => {
    const t = performance.now();
    expect(guest.run("poll", "").split("\n")).toEqual([
      "timer-ready-at-once:false", "poll:1", "waited>=20ms:true", "timer-ready:true", "stdout-ready:true", "resolution>0:true",
    ]);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it("run('stdout'): the guest's stdout and stderr are captured", () => {
    expect(guest.run("stdout", "to stdout\n")).toBe("ok");
    expect(ctx.stdout()).toContain("to stdout\n");
    expect(ctx.stderr()).toContain("err:to stdout\n");
  });

  it("run('escape-limits'): the same symlink limit and path refusals as the Node backend", () => {
    expect(JSON.parse(guest.run("escape-limits", ""))).toEqual({
      chain40: "ok", chain41: "loop", nul: "invalid", trailingSlash: "not-directory", empty: "no-entry",
    });
  });

  it("run('escape') and run('escape-symlinks'): no way out of the preopen", () => {
    const paths = ["..", "../outside", "../secret", "/", "/etc/passwd", "a/../../secret", "etc", "etc/passwd", "out", "outfile", "updir", "updir/secret"];
    const r = JSON.parse(guest.run("escape", JSON.stringify(paths))) as Record<string, Record<string, string>>;
    for (const p of paths) {
      for (const [op, result] of Object.entries(r[p]!)) expect([p, op, result]).not.toContainEqual("ok");
      expect(r[p]!.open, p).toBe("not-permitted");
    }
    const s = JSON.parse(guest.run("escape-symlinks", ""));
    expect(Object.entries(s.tries).filter(([, v]) => v === "ok")).toEqual([["dot/hello.txt", "ok"]]);
    expect(sim.outside()).toEqual(before);
  });
});

describe("contract violations (a fresh instance each)", () => {
  async function fresh() {
    const sim = makeSystem();
    const ctx = createContext({ system: sim.system, preopens: { "/": sim.box } });
    return { ctx, guest: await instantiateGuest(ctx.getImportObject()) };
  }

  const cases: [string, string, RegExp][] = [
    ["drop-parent", "has-children", /descriptor drop: .*drop input-stream \d+ first \(wasmtime traps with "resource has children"\)/],
    ["drop-stream", "has-children", /output-stream drop: .*drop pollable \d+ first/],
    ["drop-dir", "has-children", /drop directory-entry-stream \d+ first/],
    ["use-after-drop", "unknown-handle", /descriptor: the guest used a handle it does not hold/],
    ["over-permit", "permit", /exceed the permit of 0 from check-write/],
  ];
  for (const [scenario, code, message] of cases) {
    it(`run('${scenario}'): traps with ${code}, and the instance cannot be entered again`, async () => {
      const { ctx, guest } = await fresh();
      const e = thrown(() => guest.run(scenario, ""));
      expect(e).toBeInstanceOf(ResourceTrap);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(thrown(() => guest.run("env", "")).message).toMatch(/cannot enter component instance/);
      ctx.dispose();
    });
  }

  it("a borrow kept past its call traps when the guest uses it later", async () => {
    const { ctx, guest } = await fresh();
    const [[d]] = ctx.interfaces.filesystem.preopens.getDirectories();
    ctx.lend(d!, (b) => guest.keep(b));
    expect(thrown(() => guest.useKept()).message).toMatch(/a borrow kept past the call that lent it/);
    ctx.dispose();
  });

  it("a double drop by the guest is refused", async () => {
    const { ctx, guest } = await fresh();
    expect(thrown(() => guest.run("double-drop", "")).message).toMatch(/unknown handle index/);
    ctx.dispose();
  });

  it("run('drop-order'): the right order leaves only the context's own entries", async () => {
    const { ctx, guest } = await fresh();
    const live = ctx.table.count;
    expect(guest.run("drop-order", "")).toBe("ok");
    expect(ctx.table.count).toBe(live);
    ctx.dispose();
  });
});
