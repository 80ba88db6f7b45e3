// host/core/constants.ts mirrors assembly/layout.ts, assembly/errors.ts and
// the entry states of assembly/memory.ts by hand. This test reads the
// AssemblyScript sources and fails if any constant differs, if one side has a
// constant the other lacks, or if a new constant appears in layout.ts that is
// neither mirrored nor listed below as internal to the core.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as C from "../../host/core/constants.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const source = (path: string) => readFileSync(root + path, "utf8");

/**
 * The `export const NAME: type = expr;` declarations of an AssemblyScript
 * file, evaluated in order as u32/i32 values (each may use the ones before).
 */
function constants(path: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /^export const (\w+): (u32|i32|usize) = ([^;]+);/gm;
  for (const [, name, type, expr] of source(path).matchAll(re)) {
    if (/memory\.data/.test(expr!)) continue;
    const names = [...out.keys()];
    const value = new Function(...names, `return (${expr});`)(...out.values()) as number;
    expect(Number.isInteger(value), `${path}: ${name} = ${expr}`).toBe(true);
    out.set(name!, type === "i32" ? value | 0 : value >>> 0);
  }
  return out;
}

const layout = constants("assembly/layout.ts");
const errors = constants("assembly/errors.ts");
const memory = constants("assembly/memory.ts");

/** The layout constants with `prefix`, keyed by their TS spelling (KIND_CHAR_DEVICE → "char-device"). */
function group(prefix: string, except: string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of layout) {
    if (!name.startsWith(prefix) || except.includes(name)) continue;
    out[name.slice(prefix.length).toLowerCase().replaceAll("_", "-")] = value;
  }
  return out;
}

const orOf = (values: Record<string, number>) => Object.values(values).reduce((a, b) => (a | b) >>> 0, 0);

describe("assembly/layout.ts", () => {
  const checked = new Set<string>();
  const use = (...names: string[]) => names.forEach((n) => checked.add(n));
  const value = (name: string) => {
    expect(layout.has(name), `${name} is missing from assembly/layout.ts`).toBe(true);
    use(name);
    return layout.get(name)!;
  };

  test("the parser found the layout's constants", () => {
    expect(layout.size).toBeGreaterThan(40);
    expect(layout.get("INVALID")).toBe(0xffff_ffff);
  });

  test("handle layout: INDEX_BITS, INDEX_MASK, GEN_BITS, MAX_CAPACITY, DEFAULT_CAPACITY, MAX_SCOPE_DEPTH", () => {
    expect(C.INDEX_BITS).toBe(value("INDEX_BITS"));
    expect(C.INDEX_MASK).toBe(value("INDEX_MASK"));
    expect(C.GEN_BITS).toBe(value("GEN_BITS"));
    expect(C.MAX_CAPACITY).toBe(value("MAX_CAPACITY"));
    expect(C.DEFAULT_CAPACITY).toBe(value("DEFAULT_CAPACITY"));
    expect(C.MAX_SCOPE_DEPTH).toBe(value("MAX_SCOPE_DEPTH"));
    // Internal to the core (the TS side derives or never needs them).
    expect(value("GEN_MASK")).toBe(2 ** C.GEN_BITS - 1);
    expect(value("NONE")).toBe(0);
    expect(value("INVALID")).toBe(0xffff_ffff);
  });

  test("kinds: KIND_* equal KINDS, and KIND_MAX is the largest", () => {
    const kinds = group("KIND_", ["KIND_MAX"]);
    expect(C.KINDS).toEqual(kinds);
    Object.keys(kinds).forEach((k) => use("KIND_" + k.toUpperCase().replaceAll("-", "_")));
    expect(value("KIND_MAX")).toBe(Math.max(...Object.values(C.KINDS)));
  });

  test("roles: ROLE_* equal ROLES, and ROLE_MAX is the largest", () => {
    const roles = group("ROLE_", ["ROLE_MAX"]);
    expect(C.ROLES).toEqual(roles);
    Object.keys(roles).forEach((k) => use("ROLE_" + k.toUpperCase()));
    expect(value("ROLE_MAX")).toBe(Math.max(...Object.values(C.ROLES)));
  });

  test("rights: the RIGHT_* the core names equal RIGHTS; RIGHTS_ALL and RIGHTS_INHERIT agree", () => {
    const names: Record<string, C.Right> = {
      RIGHT_FD_DATASYNC: "datasync",
      RIGHT_FD_READ: "read",
      RIGHT_FD_SEEK: "seek",
      RIGHT_FD_FDSTAT_SET_FLAGS: "set-flags",
      RIGHT_FD_SYNC: "sync",
      RIGHT_FD_TELL: "tell",
      RIGHT_FD_WRITE: "write",
      RIGHT_POLL_FD_READWRITE: "poll",
    };
    expect(Object.keys(group("RIGHT_", ["RIGHTS_ALL", "RIGHTS_INHERIT"])).sort())
      .toEqual(Object.keys(names).map((n) => n.slice("RIGHT_".length).toLowerCase().replaceAll("_", "-")).sort());
    for (const [name, right] of Object.entries(names)) expect(C.RIGHTS[right], name).toBe(value(name));
    expect(C.RIGHTS_ALL).toBe(value("RIGHTS_ALL"));
    expect(C.RIGHTS_INHERIT).toBe(value("RIGHTS_INHERIT"));
    // RIGHTS has one distinct bit per WASI right, and together they are RIGHTS_ALL.
    const bits = Object.values(C.RIGHTS);
    expect(new Set(bits).size).toBe(bits.length);
    for (const b of bits) expect(b & (b - 1)).toBe(0);
    expect(orOf(C.RIGHTS)).toBe(value("RIGHTS_ALL"));
  });

  test("description flags: DFLAG_* equal DESCRIPTION_FLAGS; DFLAGS_ALL is their union", () => {
    const flags = group("DFLAG_");
    expect(C.DESCRIPTION_FLAGS).toEqual(flags);
    Object.keys(flags).forEach((k) => use("DFLAG_" + k.toUpperCase()));
    expect(value("DFLAGS_ALL")).toBe(orOf(C.DESCRIPTION_FLAGS));
  });

  test("handle flags: HFLAG_CLOEXEC; HFLAGS_ALL is its union", () => {
    expect(C.HFLAG_CLOEXEC).toBe(value("HFLAG_CLOEXEC"));
    expect(value("HFLAGS_ALL")).toBe(C.HFLAG_CLOEXEC);
  });

  test("interest: INTEREST_* equal INTEREST; INTEREST_ALL is their union", () => {
    const interest = group("INTEREST_", ["INTEREST_ALL"]);
    expect(C.INTEREST).toEqual(interest);
    Object.keys(interest).forEach((k) => use("INTEREST_" + k.toUpperCase()));
    expect(value("INTEREST_ALL")).toBe(orOf(C.INTEREST));
  });

  test("numbering policies: POLICY_* equal POLICIES", () => {
    expect(C.POLICIES).toEqual({ generational: value("POLICY_GENERATIONAL"), lowest: value("POLICY_LOWEST") });
  });

  test("every constant of assembly/layout.ts was checked above", () => {
    expect([...layout.keys()].filter((n) => !checked.has(n))).toEqual([]);
  });
});

describe("assembly/errors.ts", () => {
  test("ERR_* codes are 1..20 in ERROR_CODES' order", () => {
    const codes = [...errors].filter(([n]) => n.startsWith("ERR_"));
    expect(codes.length).toBe(C.ERROR_CODES.length);
    expect(codes.map(([, v]) => v)).toEqual(C.ERROR_CODES.map((_, i) => i + 1));
    expect(codes.map(([n]) => n.slice(4).toLowerCase().replaceAll("_", "-"))).toEqual([...C.ERROR_CODES]);
  });
});

describe("assembly/memory.ts", () => {
  test("entry states S_* are STATES in order", () => {
    const spelled: Record<string, string> = { shared: "shared-borrow", excl: "exclusive-borrow" };
    const states = [...memory].filter(([n]) => n.startsWith("S_"));
    expect(states.map(([, v]) => v)).toEqual(C.STATES.map((_, i) => i));
    expect(states.map(([n]) => {
      const s = n.slice(2).toLowerCase().replaceAll("_", "-");
      return spelled[s] ?? s;
    })).toEqual([...C.STATES]);
  });
});
