// The component's interface is the one written in wit/: the types that
// build/iolife-core.component.wasm exports must equal those of wit/core.wit
// (jco's wasm-tools decode both, see scripts/component/componentize.mjs
// sameExportedTypes), and the WIT must mirror the core's own constants.
// A test below proves the comparison notices drift, on edited copies.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  extractWit, inspectComponent, sameExportedTypes,
} from "../../scripts/component/componentize.mjs";
import { coreMapping } from "../../scripts/component/iolife-core.mjs";
import { findInterface, parseWit } from "../../scripts/component/wit-lite.mjs";
import {
  DESCRIPTION_FLAGS, ERROR_CODES, INTEREST, KINDS, POLICIES, RIGHTS, ROLES, STATES,
} from "../../host/core/constants.js";

const ROOT = new URL("../../", import.meta.url);
const WIT = readFileSync(new URL("wit/core.wit", ROOT), "utf8");
const COMPONENT = readFileSync(new URL("build/iolife-core.component.wasm", ROOT));
const QNAME = "iolife:core/handles@0.1.0";

/** WIT text with `from` replaced by `to` (which must occur exactly once). */
function edit(from: string, to: string): string {
  expect(WIT.split(from).length - 1, `'${from}' occurs once in wit/core.wit`).toBe(1);
  return WIT.replace(from, to);
}

describe("the built component against wit/", () => {
  test("sameExportedTypes(): the component exports exactly the types of wit/core.wit", async () => {
    expect(await sameExportedTypes(COMPONENT, WIT, "core")).toBe(true);
  });

  // Each edit is valid WIT describing a slightly different interface; the
  // check must tell every one of them apart from the built component.
  const DRIFTS: [string, string, string][] = [
    ["an error-code case added", "    table-closed,\n  }", "    table-closed,\n    out-of-memory,\n  }"],
    ["two error-code cases swapped", "    unknown-handle,\n    /// The handle's slot", "    stale-handle,\n    /// The handle's slot"],
    ["a method renamed", "    narrow: func(", "    attenuate: func("],
    ["a method removed", "    count: func() -> result<u32, error-code>;\n", ""],
    ["a parameter's type changed", "set-offset: func(h: handle, offset: u64)", "set-offset: func(h: handle, offset: s64)"],
    ["a result's type changed", "check: func(h: handle, rights: rights, kinds: kind-set) -> result<u32, error-code>",
      "check: func(h: handle, rights: rights, kinds: kind-set) -> result<u64, error-code>"],
    ["a record field removed", "    /// Scopes currently open.\n    scope-depth: u32,\n", ""],
    ["a flags member added", "    /// Priority data.\n    priority,\n", "    /// Priority data.\n    priority,\n    /// Hang-up.\n    hangup,\n"],
    ["the handle type widened", "type handle = u32;", "type handle = u64;"],
  ];

  test.each(DRIFTS)("sameExportedTypes(): fails when wit/ drifts from the component: %s", async (_what, from, to) => {
    const drifted = from === "    unknown-handle,\n    /// The handle's slot"
      ? edit("    stale-handle,\n    /// The handle was closed", "    unknown-handle,\n    /// The handle was closed").replace(from, to)
      : edit(from, to);
    expect(drifted).not.toBe(WIT);
    expect(await sameExportedTypes(COMPONENT, drifted, "core")).toBe(false);
  });

  test("extractWit(): the world exports iolife:core/handles and imports nothing", async () => {
    const wit = await extractWit(COMPONENT);
    expect(wit).toContain(`export ${QNAME};`);
    expect(wit).not.toMatch(/^\s*import /m);
  });

  test("inspectComponent(): the table has its destructor, every list result a post-return, the core imports only [resource-new]", async () => {
    const info = await inspectComponent(COMPONENT);
    expect(info.resources).toEqual({ table: { dtor: true } });
    const posts = Object.values(coreMapping(WIT).exports).filter((n) => n.startsWith("cabi_post_"));
    expect(posts.map((n) => n.slice(n.indexOf("#") + 1)).sort()).toEqual(
      ["[method]table.close-all", "[method]table.exec", "[method]table.handles", "take-released"]);
    for (const n of posts) expect(info.lifts[n.slice(n.indexOf("#") + 1)]?.postReturn).toBeTruthy();
    expect(info.coreImports).toEqual([[`[export]${QNAME}`, "[resource-new]table"]]);
    // The core module exports the Canonical-ABI names, and nothing of the plain core (assembly/index.ts).
    expect(info.coreExports.filter((n) => !n.startsWith(`${QNAME}#`) && !n.startsWith(`cabi_post_${QNAME}#`)).sort())
      .toEqual(["_initialize", "memory"]);
    // Every function of the interface is lifted (and nothing else).
    const iface = findInterface(parseWit(WIT), "handles");
    const table = iface.types.get("table") as { ctor: { name: string }; statics: { name: string }[]; methods: { name: string }[] };
    const names = [table.ctor, ...table.statics, ...table.methods, ...iface.funcs].map((f: { name: string }) => f.name);
    expect(Object.keys(info.lifts).sort()).toEqual(names.sort());
    expect(names).toHaveLength(31);
  });
});

describe("wit/core.wit mirrors the core's constants", () => {
  const iface = findInterface(parseWit(WIT), "handles");
  const cases = (name: string): string[] => {
    const t = iface.types.get(name) as { cases?: string[]; flags?: string[] };
    return t.cases ?? t.flags ?? [];
  };
  /** The names of a bit-set record, by ascending bit. */
  const byBit = (bits: Record<string, number>) => Object.entries(bits).sort(([, a], [, b]) => a - b).map(([n]) => n);
  const byValue = byBit;

  test("error-code: case n is core code n + 1 (ERROR_CODES)", () => {
    expect(cases("error-code")).toEqual([...ERROR_CODES]);
  });
  test("kind and kind-set: case n is core kind n + 1 (KINDS)", () => {
    expect(Object.values(KINDS)).toEqual(byValue(KINDS).map((_, i) => i + 1));
    expect(cases("kind")).toEqual(byValue(KINDS));
    expect(cases("kind-set")).toEqual(byValue(KINDS));
  });
  test("role and numbering: case n is core value n (ROLES, POLICIES)", () => {
    expect(cases("role")).toEqual(byValue(ROLES));
    expect(Object.values(ROLES)).toEqual(cases("role").map((_, i) => i));
    expect(cases("numbering")).toEqual(byValue(POLICIES));
  });
  test("rights, description-flags, interest: member n is bit n (RIGHTS, DESCRIPTION_FLAGS, INTEREST)", () => {
    for (const [name, bits] of [["rights", RIGHTS], ["description-flags", DESCRIPTION_FLAGS], ["interest", INTEREST]] as const) {
      expect(Object.values(bits)).toEqual(byBit(bits).map((_, i) => 2 ** i));
      expect(cases(name)).toEqual(byBit(bits));
    }
  });
  test("state: the live states of STATES, in order", () => {
    expect(cases("state")).toEqual(STATES.slice(1, 4));
  });
});

describe("wit/core.wit is documented", () => {
  test("every item (interface, world, type, case, field, function) has a /// doc comment", () => {
    const lines = WIT.split("\n");
    const undocumented: string[] = [];
    lines.forEach((line, i) => {
      const s = line.trim();
      if (s === "" || s.startsWith("//") || s === "}" || s.startsWith("package ")) return;
      let j = i - 1;
      while (j >= 0 && lines[j]!.trim() === "") j--;
      if (j < 0 || !lines[j]!.trim().startsWith("///")) undocumented.push(`${i + 1}: ${s}`);
    });
    expect(undocumented).toEqual([]);
  });
});
