// The core as a component, imported from Wasm: a second component, written
// in AssemblyScript (test/component/guest/), imports iolife:core/handles and
// keeps its descriptors in the core's tables. jco transpiles the guest in
// instantiation mode, which lets this test hand it the core component's
// exports as its imports: once the core as jco transpiled it, once the core
// through iolife's fast binding. Either way a guest-side misuse (use after
// close, double close, a stale handle after slot reuse, closing a lent
// handle) is refused by the core and the guest sees the WIT error.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compileCore } from "../../scripts/component/asc-core.mjs";
import { componentize, extractWit, transpile } from "../../scripts/component/componentize.mjs";
import type { HandlesApi } from "../../build/component/index.js";

const ROOT = new URL("../../", import.meta.url);
const GUEST_DIR = new URL("test/component/guest/", ROOT);
const CORE_WIT = readFileSync(new URL("wit/core.wit", ROOT), "utf8");
const QNAME = "iolife:core/handles@0.1.0";

/** wit/core.wit as a nested package, so one WIT text holds the guest's world and its dependency. */
function nested(wit: string): string {
  const head = "package iolife:core@0.1.0;";
  expect(wit.startsWith(head)).toBe(true);
  return `package iolife:core@0.1.0 {${wit.slice(head.length)}}\n`;
}

interface Guest {
  useBeforeClose(): number;
  useAfterClose(): number;
  doubleClose(): void;
  useAfterReuse(): number;
  closeWhileLent(): void;
}

let out: string;
let guestComponent: Uint8Array;
let instantiateGuest: (core: HandlesApi) => Guest;

beforeAll(async () => {
  const witText = `${readFileSync(new URL("guest.wit", GUEST_DIR), "utf8")}\n${nested(CORE_WIT)}`;
  const names = ["use-before-close", "use-after-close", "double-close", "use-after-reuse", "close-while-lent"];
  const core = await compileCore({
    entry: new URL("guest.ts", GUEST_DIR).pathname,
    mapping: { exports: Object.fromEntries(names.map((n) => [n.replace(/-/g, "_"), n])) },
    args: ["-O3", "--runtime", "stub"],
  });
  guestComponent = await componentize({ coreWasm: core, witText, world: "guest" });
  out = mkdtempSync(join(tmpdir(), "iolife-guest-"));
  await transpile(guestComponent, out, "guest", { instantiation: "sync" });
  const mod = await import(pathToFileURL(join(out, "guest.js")).href);
  const getCoreModule = (path: string) => new WebAssembly.Module(readFileSync(join(out, path)));
  // jco keys an import object by the unversioned interface name.
  instantiateGuest = (handles) => mod.instantiate(getCoreModule, { "iolife:core/handles": handles }) as Guest;
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** The WIT error-code the guest's call came back with, or "ok". */
function outcome(op: () => unknown): string {
  try {
    op();
    return "ok";
  } catch (e) {
    const payload = (e as { payload?: unknown }).payload;
    if (typeof payload !== "string") throw e;
    return payload;
  }
}

test("the guest component imports iolife:core/handles and nothing else", async () => {
  const wit = await extractWit(guestComponent);
  expect(wit).toContain(`import ${QNAME};`);
  expect(wit.match(/^\s*import /gm)).toHaveLength(1);
});

const PROVIDERS: [string, () => Promise<HandlesApi>][] = [
  ["the core as jco transpiled it", async () => (await import("../../build/component/jco/iolife-core.js")).handles as HandlesApi],
  ["the core through iolife/component (fast binding)", async () => (await import("../../build/component/index.js")).load()],
];

describe.each(PROVIDERS)("the guest against %s", (_name, provide) => {
  test("use-before-close(): the guest's own handle works while it is open", async () => {
    const core = await provide();
    core.takeReleased();
    const guest = instantiateGuest(core);
    const before = core.descriptionCount();
    expect(guest.useBeforeClose()).toBe(7);
    // The guest dropped its table ([resource-drop]): the core's destructor closed the file.
    expect(core.descriptionCount()).toBe(before);
    expect([...core.takeReleased()]).toEqual([7]);
  });

  test("use-after-close(): a guest-side use after close is refused by the core with `closed`", async () => {
    const core = await provide();
    core.takeReleased();
    const guest = instantiateGuest(core);
    const before = core.descriptionCount();
    expect(outcome(() => guest.useAfterClose())).toBe("closed");
    expect(core.descriptionCount()).toBe(before);
    expect([...core.takeReleased()]).toEqual([]); // the close released it, not the drop
  });

  test("double-close(): a second close is refused with `double-close`", async () => {
    const core = await provide();
    const guest = instantiateGuest(core);
    expect(outcome(() => guest.doubleClose())).toBe("double-close");
  });

  test("use-after-reuse(): a stale handle does not reach the slot's new file (`stale-handle`)", async () => {
    const core = await provide();
    core.takeReleased();
    const guest = instantiateGuest(core);
    expect(outcome(() => guest.useAfterReuse())).toBe("stale-handle");
    expect([...core.takeReleased()]).toEqual([8]); // the second file, closed by the table's drop
  });

  test("close-while-lent(): closing an owner while the guest's borrow lives is refused with `lent`", async () => {
    const core = await provide();
    core.takeReleased();
    const guest = instantiateGuest(core);
    const before = core.descriptionCount();
    expect(outcome(() => guest.closeWhileLent())).toBe("lent");
    expect(core.descriptionCount()).toBe(before);
    expect([...core.takeReleased()]).toEqual([7]);
  });
});
