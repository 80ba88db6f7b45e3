/**
 * iolife/preview2's modules have preview2-shim's shape (so that
 * `jco transpile --map 'wasi:<pkg>/*=iolife/preview2/<pkg>#*'` works where
 * '...=@bytecodealliance/preview2-shim/<pkg>#*' did), and one configuration
 * object serves both WASI versions.
 */
import { describe, expect, it } from "vitest";
import * as mine from "../../build/host/preview2/node/index.js";
import * as browser from "../../build/host/preview2/browser/index.js";
import { WASI } from "../../build/host/wasi/node.js";

const PACKAGES = ["cli", "clocks", "filesystem", "io", "random", "sockets"] as const;

/** namespace → member names, leaving out preview2-shim's `_set…` helpers and stream factories. */
function shape(mod: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, ns] of Object.entries(mod)) {
    if (name.startsWith("_") || typeof ns !== "object" || ns === null) continue;
    out[name] = Object.keys(ns).filter((k) => !k.startsWith("_")).sort();
  }
  return out;
}

describe("module shapes", () => {
  for (const pkg of PACKAGES) {
    it(`iolife/preview2/${pkg} exports every namespace and member @bytecodealliance/preview2-shim/${pkg} does`, async () => {
      const shim = shape(await import(`@bytecodealliance/preview2-shim/${pkg}`));
      const ours = shape(mine[pkg] as Record<string, unknown>);
      for (const [ns, members] of Object.entries(shim)) {
        // preview2-shim's poll is { Pollable, poll } (Node) / + pollList, pollOne (browser, older WIT).
        expect(ours[ns], `${pkg}.${ns}`).toEqual(expect.arrayContaining(members));
      }
      expect(Object.keys(shape(browser[pkg] as Record<string, unknown>))).toEqual(Object.keys(ours));
    });
  }

  it("resource classes are shared by the Node and browser flavours (one class per WIT resource)", () => {
    expect(browser.filesystem.types.Descriptor).toBe(mine.filesystem.types.Descriptor);
    expect(browser.io.streams.InputStream).toBe(mine.io.streams.InputStream);
  });

  it("getImportObject() has preview2-shim's WASIShim keys, versioned on request", () => {
    const ctx = mine.createContext();
    const keys = Object.keys(ctx.getImportObject());
    expect(keys).toContain("wasi:filesystem/types");
    expect(keys).toContain("wasi:io/poll");
    expect(Object.keys(ctx.getImportObject({ asVersion: "0.2.10" }))).toContain("wasi:cli/stdout@0.2.10");
    ctx.dispose();
  });
});

describe("one configuration for both WASI versions", () => {
  it("the same object configures the preview1 WASI class and a preview2 context", () => {
    const config = { args: ["prog", "a"], env: { K: "v" }, preopens: { "/tmp": "/tmp" }, stdout: 1, stderr: 2 };
    const p1 = new WASI(config);
    const p2 = mine.createContext(config);
    expect(p2.interfaces.cli.environment.getArguments()).toEqual(["prog", "a"]);
    expect(p2.interfaces.cli.environment.getEnvironment()).toEqual([["K", "v"]]);
    const dirs = p2.interfaces.filesystem.preopens.getDirectories();
    expect(dirs.map(([, p]) => p)).toEqual(["/tmp"]);
    // preview1 preopens the same directory as fd 3, after stdio.
    expect(p1.table.list().map((i) => i.kind).slice(3)).toEqual(["directory"]);
    for (const [d] of dirs) d[Symbol.dispose]();
    p1.dispose();
    p2.dispose();
  });
});
