// The core as a component, imported from JS: the scenarios of the core's own
// tests (test/core/semantics.test.ts, errors.test.ts) run through the WIT
// interface iolife:core/handles, in two bindings of the same component:
//
//   - iolife/component (build/component/index.js): iolife's generated fast
//     binding, which calls the component's core module directly;
//   - jco's own transpiled output (build/component/jco/iolife-core.js).
//
// Both must behave identically. Every refusal comes back as a WIT error: a
// thrown error whose `payload` is the `error-code` case, after which every
// table is exactly as before. Every one of the 20 cases is seen here, in
// Node and in Chromium (this file runs in both).
//
// Handle values follow the layout (assembly/layout.ts): a fresh generational
// table issues 1, 2, 3, …; a reused slot's handle is (gen << 20) | (index + 1).

import { afterAll, describe, expect, test } from "vitest";
import { ERROR_CODES } from "../../host/core/constants.js";
import type { HandlesApi } from "../../build/component/index.js";
import type {
  DescriptionFlags, ErrorCode, Handle, Interest, Kind, KindSet, Rights, Table,
} from "../../build/component/jco/interfaces/iolife-core-handles.js";

/** The handle of slot `index` at generation `gen`. */
const H = (index: number, gen = 0): number => ((gen << 20) | (index + 1)) >>> 0;

const ALL: Rights = {
  datasync: true, read: true, seek: true, setFlags: true, sync: true, tell: true, write: true,
  advise: true, allocate: true, createDirectory: true, createFile: true, linkSource: true,
  linkTarget: true, open: true, readdir: true, readlink: true, renameSource: true, renameTarget: true,
  pathStat: true, pathSetSize: true, pathSetTimes: true, stat: true, setSize: true, setTimes: true,
  symlink: true, removeDirectory: true, unlinkFile: true, poll: true, shutdown: true, accept: true,
};
const NO_FLAGS: DescriptionFlags = {};
const ANY_KIND: KindSet = {};
const READABLE: Interest = { readable: true };

/** A flags value as jco lifts it: every member present, true or false. */
function flagsOf<T extends object>(all: T, on: Partial<Record<keyof T, boolean>>): Record<keyof T, boolean> {
  return Object.fromEntries(Object.keys(all).map((k) => [k, on[k as keyof T] === true])) as Record<keyof T, boolean>;
}
const rights = (on: Rights) => flagsOf(ALL, on);
const dflags = (on: DescriptionFlags) =>
  flagsOf({ append: true, dsync: true, nonblock: true, rsync: true, sync: true }, on);
const interest = (on: Interest) => flagsOf({ readable: true, writable: true, priority: true }, on);

const BINDINGS: [string, () => Promise<HandlesApi>][] = [
  ["iolife/component (fast binding)", async () => (await import("../../build/component/index.js")).load()],
  ["jco transpile", async () => (await import("../../build/component/jco/iolife-core.js")).handles as HandlesApi],
];

const seen = new Map<string, Set<ErrorCode>>();

/** What `op` did: "ok" with its value, or the WIT error-code it was refused with. */
function outcome(op: () => unknown): ErrorCode | "ok" {
  try {
    op();
    return "ok";
  } catch (e) {
    const payload = (e as { payload?: unknown }).payload;
    if (typeof payload !== "string") throw e;
    return payload as ErrorCode;
  }
}

for (const [name, loadApi] of BINDINGS) {
  describe(name, () => {
    const codes = new Set<ErrorCode>();
    seen.set(name, codes);

    /** A fresh table (and the api), with released descriptions drained from earlier tests. */
    async function world(capacity = 16) {
      const api = await loadApi();
      api.takeReleased();
      const t = new api.Table(capacity);
      const tables: Table[] = [t];
      /** Every table's complete state, and the instance's description count. */
      const snapshot = () => ({
        descriptions: api.descriptionCount(),
        tables: tables.map((x) => {
          const r = outcome(() => x.count());
          if (r !== "ok") return r;
          const hs = [...x.handles()];
          return { handles: hs, info: hs.map((h) => x.info(h)), stats: x.stats() };
        }),
      });
      /** Runs `op`, which must be refused with `code` and change nothing. */
      const refuses = (code: ErrorCode, op: () => unknown) => {
        const before = snapshot();
        let caught: unknown;
        let returned = false;
        try {
          op();
          returned = true;
        } catch (e) {
          caught = e;
        }
        expect(returned, `expected ${code}`).toBe(false);
        expect(caught).toBeInstanceOf(Error);
        expect((caught as { payload: unknown }).payload).toBe(code);
        expect((caught as Error).message).toBe(code);
        codes.add(code);
        expect(snapshot()).toEqual(before);
      };
      const watch = (...more: Table[]) => { tables.push(...more); };
      return { api, t, refuses, watch, snapshot };
    }

    const file = (t: Table, host = 0, extra: { rights?: Rights; parent?: Handle; cloexec?: boolean; kind?: Kind; flags?: DescriptionFlags } = {}) =>
      t.insert(extra.kind ?? "file", "regular", extra.rights ?? ALL, extra.flags ?? NO_FLAGS, extra.cloexec ?? false, host, extra.parent);
    const poller = (t: Table, host = 0) => t.insert("poller", "regular", ALL, NO_FLAGS, false, host, undefined);

    // ---- One scenario per error code -------------------------------------------

    test("unknown-handle: check() refuses 0, 0xffffffff and a handle never issued; insert() a some(0) parent", async () => {
      const { t, refuses } = await world();
      expect(file(t)).toBe(1);
      refuses("unknown-handle", () => t.check(0, {}, ANY_KIND));
      refuses("unknown-handle", () => t.check(0xffff_ffff, {}, ANY_KIND));
      refuses("unknown-handle", () => t.close(H(5)));
      refuses("unknown-handle", () => file(t, 0, { parent: 0 }));
    });

    test("stale-handle: check() and close() refuse handle 1 once its slot was reused (ABA)", async () => {
      const { t, refuses } = await world();
      expect(file(t, 1)).toBe(1);
      expect(t.close(1)).toBe(1);
      expect(file(t, 2)).toBe(H(0, 1));
      refuses("stale-handle", () => t.check(1, {}, ANY_KIND));
      refuses("stale-handle", () => t.close(1));
      expect(t.check(H(0, 1), {}, ANY_KIND)).toBe(2);
    });

    test("closed: check() refuses a closed handle whose slot is not reused yet (use after close)", async () => {
      const { t, refuses } = await world();
      const f = file(t, 5);
      expect(t.close(f)).toBe(5);
      refuses("closed", () => t.check(f, {}, ANY_KIND));
      refuses("closed", () => t.getOffset(f));
      refuses("closed", () => t.dup(f, undefined));
    });

    test("double-close: close() and release() refuse a second time", async () => {
      const { t, refuses } = await world();
      const f = file(t);
      const g = file(t);
      const b = t.borrow(g, false, undefined, undefined);
      t.close(f);
      refuses("double-close", () => t.close(f));
      t.release(b);
      refuses("double-close", () => t.release(b));
    });

    test("wrong-kind: check() refuses a directory operation on a socket; register() a non-poller as poller", async () => {
      const { t, refuses } = await world();
      const s = file(t, 3, { kind: "socket" });
      refuses("wrong-kind", () => t.check(s, {}, { directory: true }));
      expect(t.check(s, {}, { directory: true, socket: true })).toBe(3);
      const f = file(t);
      refuses("wrong-kind", () => t.register(f, s, 7, READABLE));
    });

    test("lent: close() refuses a lent handle; an exclusive borrow locks its lender", async () => {
      const { t, refuses } = await world();
      const f = file(t);
      const b = t.borrow(f, false, undefined, undefined);
      refuses("lent", () => t.close(f));
      refuses("lent", () => t.borrow(f, true, undefined, undefined));
      t.release(b);
      const x = t.borrow(f, true, undefined, undefined);
      refuses("lent", () => t.check(f, {}, ANY_KIND));
      refuses("lent", () => t.borrow(f, false, undefined, undefined));
      expect(t.check(x, {}, ANY_KIND)).toBe(0);
      t.release(x);
      t.close(f);
    });

    test("not-owner: close(), dup() and transfer() refuse a borrow", async () => {
      const { api, t, refuses, watch } = await world();
      const u = new api.Table(4);
      watch(u);
      const f = file(t);
      const b = t.borrow(f, false, undefined, undefined);
      refuses("not-owner", () => t.close(b));
      refuses("not-owner", () => t.dup(b, undefined));
      refuses("not-owner", () => t.transfer(b, u));
      refuses("not-owner", () => t.borrow(b, true, undefined, undefined));
      u[Symbol.dispose]();
    });

    test("not-borrow: release() refuses an owner", async () => {
      const { t, refuses } = await world();
      const f = file(t);
      refuses("not-borrow", () => t.release(f));
    });

    test("scope-has-borrows, scope-ended: end-scope() revokes a live borrow; using it afterwards is refused", async () => {
      const { t, refuses, snapshot } = await world();
      const f = file(t);
      const s = t.beginScope();
      const b = t.borrow(f, false, undefined, s);
      expect(t.info(b).scope).toBe(s);
      // The one error after which the operation has taken effect: the scope ended.
      expect(outcome(() => t.endScope(s))).toBe("scope-has-borrows");
      codes.add("scope-has-borrows");
      expect(t.stats().scopeDepth).toBe(0);
      expect([...t.handles()]).toEqual([f]);
      expect(t.info(f).lends).toBe(0);
      refuses("scope-ended", () => t.check(b, {}, ANY_KIND));
      refuses("scope-ended", () => t.release(b));
      expect(snapshot().tables[0]).toMatchObject({ handles: [f] });
    });

    test("scope-invalid: end-scope() refuses a scope that is not the innermost; borrow() one not live", async () => {
      const { t, refuses } = await world();
      const f = file(t);
      const outer = t.beginScope();
      const inner = t.beginScope();
      refuses("scope-invalid", () => t.endScope(outer));
      refuses("scope-invalid", () => t.endScope(12345));
      refuses("scope-invalid", () => t.borrow(f, false, undefined, 999));
      refuses("scope-invalid", () => t.borrow(f, false, undefined, 0));
      const b = t.borrow(f, false, undefined, inner);
      refuses("scope-invalid", () => t.borrow(b, false, undefined, outer));
      refuses("scope-invalid", () => t.borrow(b, false, undefined, undefined));
      t.release(b);
      t.endScope(inner);
      t.endScope(outer);
    });

    test("rights: check() refuses a missing right; narrow(), dup() and borrow() refuse to widen", async () => {
      const { t, refuses } = await world();
      const f = file(t, 0, { rights: { read: true, seek: true } });
      refuses("rights", () => t.check(f, { write: true }, ANY_KIND));
      refuses("rights", () => t.narrow(f, { read: true, write: true }));
      refuses("rights", () => t.dup(f, { write: true }));
      refuses("rights", () => t.borrow(f, false, { write: true }, undefined));
      refuses("rights", () => t.getOffset(f)); // needs tell
      t.narrow(f, { read: true });
      expect(t.info(f).rights).toEqual(rights({ read: true }));
      refuses("rights", () => t.setOffset(f, 1n)); // needs seek
    });

    test("has-children: close() refuses a parent with a live child", async () => {
      const { t, refuses } = await world();
      const p = file(t, 1);
      const c = file(t, 2, { kind: "stream", parent: p });
      expect(t.info(p).children).toBe(1);
      expect(t.info(c).parent).toBe(p);
      refuses("has-children", () => t.close(p));
      expect(t.close(c)).toBe(2);
      expect(t.close(p)).toBe(1);
    });

    test("has-parent: transfer() refuses to move a child away from its parent", async () => {
      const { api, t, refuses, watch } = await world();
      const u = new api.Table(4);
      watch(u);
      const p = file(t);
      const c = file(t, 0, { kind: "stream", parent: p });
      refuses("has-parent", () => t.transfer(c, u));
      u[Symbol.dispose]();
    });

    test("already-registered, not-registered, wrong-poller: poll registration", async () => {
      const { t, refuses } = await world();
      const p = poller(t);
      const q = poller(t);
      const f = file(t);
      refuses("not-registered", () => t.deregister(f, p));
      t.register(f, p, 7, READABLE);
      refuses("already-registered", () => t.register(f, p, 8, READABLE));
      refuses("already-registered", () => t.register(f, q, 8, READABLE));
      refuses("wrong-poller", () => t.deregister(f, q));
      refuses("wrong-poller", () => t.reregister(f, q, 9, READABLE));
      t.deregister(f, p);
      refuses("not-registered", () => t.deregister(f, p));
    });

    test("full: insert(), dup() and borrow() refuse in a full table; begin-scope() the 257th scope", async () => {
      const { api, t, refuses } = await world(2);
      const f = file(t);
      file(t);
      refuses("full", () => file(t));
      refuses("full", () => t.dup(f, undefined));
      refuses("full", () => t.borrow(f, false, undefined, undefined));
      const u = new api.Table(1);
      for (let i = 0; i < 256; i++) u.beginScope();
      expect(outcome(() => u.beginScope())).toBe("full");
      u[Symbol.dispose]();
    });

    test("invalid-argument: open() capacity 0, an empty interest, a poller with itself, offset 2^63, host bit 31", async () => {
      const { api, t, refuses } = await world();
      expect(outcome(() => api.Table.open(0, "generational", false))).toBe("invalid-argument");
      expect(outcome(() => api.Table.open(2 ** 20, "lowest", false))).toBe("invalid-argument");
      const p = poller(t);
      const f = file(t);
      refuses("invalid-argument", () => t.register(f, p, 1, {}));
      refuses("invalid-argument", () => t.register(p, p, 1, READABLE));
      refuses("invalid-argument", () => t.setOffset(f, 2n ** 63n));
      refuses("invalid-argument", () => file(t, 0x8000_0000));
    });

    test("table-closed: after close-all every method, and transfer into that table, is refused", async () => {
      const { api, t, refuses, watch } = await world();
      const u = new api.Table(4);
      watch(u);
      const f = file(t, 4);
      expect([...u.closeAll()]).toEqual([]);
      refuses("table-closed", () => u.count());
      refuses("table-closed", () => u.closeAll());
      refuses("table-closed", () => t.transfer(f, u));
      refuses("table-closed", () => u.insert("file", "regular", ALL, NO_FLAGS, false, 0, undefined));
      u[Symbol.dispose](); // lets go of nothing more
      expect(t.check(f, {}, ANY_KIND)).toBe(4);
    });

    // ---- The positive rules ------------------------------------------------------

    test("insert()/info(): every field of an owner and of its borrow", async () => {
      const { t } = await world();
      const f = t.insert("file", "stdout", { read: true, write: true }, { append: true }, true, 42, undefined);
      expect(f).toBe(1);
      const owner = {
        handle: 1, state: "owned", kind: "file", role: "stdout", cloexec: true,
        rights: rights({ read: true, write: true }), descriptionFlags: dflags({ append: true }),
        host: 42, description: t.info(f).description, descriptionRefs: 1, lender: undefined, lends: 0,
        exclusiveBorrow: undefined, parent: undefined, children: 0, poller: undefined, token: 0,
        interest: interest({}), registrations: 0, scope: undefined,
      };
      expect(t.info(f)).toEqual(owner);
      const b = t.borrow(f, true, { read: true }, undefined);
      expect(t.info(f)).toEqual({ ...owner, exclusiveBorrow: b });
      expect(t.info(b)).toEqual({
        ...owner, handle: b, state: "exclusive-borrow", cloexec: false, rights: rights({ read: true }), lender: f,
      });
      expect(t.check(b, { read: true }, { file: true })).toBe(42);
    });

    test("dup(): shares the offset and description flags; CLOEXEC belongs to each handle", async () => {
      const { t } = await world();
      const a = file(t, 1, { cloexec: true });
      const b = t.dup(a, undefined);
      expect(b).toBe(2);
      expect(t.info(b).cloexec).toBe(false);
      expect(t.info(b).descriptionRefs).toBe(2);
      t.setOffset(a, 10n);
      expect(t.getOffset(b)).toBe(10n);
      t.setOffset(b, 2n ** 40n);
      expect(t.getOffset(a)).toBe(2n ** 40n);
      t.setDescriptionFlags(b, { append: true, nonblock: true });
      expect(t.getDescriptionFlags(a)).toEqual(dflags({ append: true, nonblock: true }));
      const c = t.dup(a, { read: true });
      expect(t.info(c).rights).toEqual(rights({ read: true }));
      expect(t.info(a).rights).toEqual(ALL);
    });

    test("close(): returns the host id only when the description's last owner closes", async () => {
      const { api, t } = await world();
      const before = api.descriptionCount();
      const a = file(t, 7);
      const b = t.dup(a, undefined);
      expect(api.descriptionCount()).toBe(before + 1);
      expect(t.close(a)).toBeUndefined();
      expect(t.close(b)).toBe(7);
      expect(api.descriptionCount()).toBe(before);
    });

    test("borrow(): shared borrows count as lends; reborrows lend from the borrow", async () => {
      const { t } = await world();
      const f = file(t);
      const b1 = t.borrow(f, false, undefined, undefined);
      const b2 = t.borrow(f, false, undefined, undefined);
      expect(t.info(f).lends).toBe(2);
      const r = t.borrow(b1, false, undefined, undefined);
      expect([t.info(f).lends, t.info(b1).lends, t.info(r).lender]).toEqual([2, 1, b1]);
      expect(t.info(b2).state).toBe("shared-borrow");
      expect(outcome(() => t.release(b1))).toBe("lent");
      t.release(r);
      t.release(b1);
      t.release(b2);
      expect(t.info(f).lends).toBe(0);
      expect(t.close(f)).toBe(0);
    });

    test("begin-scope()/end-scope(): a borrow in an outer scope outlives the inner one", async () => {
      const { t } = await world();
      const f = file(t);
      const outer = t.beginScope();
      const inner = t.beginScope();
      const b = t.borrow(f, false, undefined, outer);
      const c = t.borrow(f, false, undefined, inner);
      expect(outcome(() => t.endScope(inner))).toBe("scope-has-borrows");
      expect(t.check(b, {}, ANY_KIND)).toBe(0);
      expect(outcome(() => t.check(c, {}, ANY_KIND))).toBe("scope-ended");
      t.release(b);
      t.endScope(outer);
      expect(t.stats().scopeDepth).toBe(0);
    });

    test("share(): sharers see one table; only the last sharer's close-all closes the handles", async () => {
      const { api, t } = await world();
      const before = api.descriptionCount();
      const s = t.share();
      expect(t.stats().sharers).toBe(2);
      const f = file(s, 11);
      expect([...t.handles()]).toEqual([f]);
      expect([...t.closeAll()]).toEqual([]);
      expect(outcome(() => t.count())).toBe("table-closed");
      expect(s.stats().sharers).toBe(1);
      expect(s.check(f, {}, ANY_KIND)).toBe(11);
      expect([...s.closeAll()]).toEqual([11]);
      expect(api.descriptionCount()).toBe(before);
      t[Symbol.dispose]();
      s[Symbol.dispose]();
      expect([...api.takeReleased()]).toEqual([]);
    });

    test("fork(): the same handles on the same descriptions; borrows and registrations are not inherited", async () => {
      const { t } = await world();
      const p = poller(t, 1);
      const f = file(t, 2, { cloexec: true });
      const b = t.borrow(f, false, undefined, undefined);
      t.register(f, p, 5, READABLE);
      t.setOffset(f, 3n);
      const k = t.fork();
      expect([...k.handles()]).toEqual([p, f]);
      expect(k.info(f)).toMatchObject({ host: 2, cloexec: true, descriptionRefs: 2, poller: undefined, lends: 0 });
      expect(outcome(() => k.check(b, {}, ANY_KIND))).toBe("closed");
      k.setOffset(f, 9n);
      expect(t.getOffset(f)).toBe(9n);
      k[Symbol.dispose]();
      expect(t.info(f).descriptionRefs).toBe(1);
    });

    test("exec(): closes CLOEXEC handles and their children, revokes borrows, returns the released host ids", async () => {
      const { t } = await world();
      const keep = file(t, 1);
      const gone = file(t, 2, { cloexec: true });
      const child = file(t, 3, { kind: "stream", parent: gone });
      const b = t.borrow(keep, false, undefined, undefined);
      expect([...t.exec()].sort()).toEqual([2, 3]);
      expect([...t.handles()]).toEqual([keep]);
      expect(outcome(() => t.check(child, {}, ANY_KIND))).toBe("closed");
      expect(outcome(() => t.check(b, {}, ANY_KIND))).toBe("scope-ended");
      expect([...t.exec()]).toEqual([]);
    });

    test("transfer(): moves ownership into another table; the old handle is retired", async () => {
      const { api, t } = await world();
      const u = new api.Table(4);
      file(u, 0);
      const f = file(t, 8, { rights: { read: true } });
      const g = t.transfer(f, u);
      expect(g).toBe(2);
      expect(u.info(g)).toMatchObject({ host: 8, rights: rights({ read: true }), descriptionRefs: 1 });
      expect(outcome(() => t.check(f, {}, ANY_KIND))).toBe("closed");
      expect(t.transfer(t.dup(file(t, 9), undefined), t)).toBe(3);
      u[Symbol.dispose]();
      expect([...api.takeReleased()].sort()).toEqual([0, 8]);
    });

    test("renumber(): the source moves onto the target's number; the target's description is released", async () => {
      const { t } = await world();
      const a = file(t, 1);
      const b = file(t, 2);
      expect(t.renumber(a, b)).toBe(2);
      expect([...t.handles()]).toEqual([b]);
      expect(t.check(b, {}, ANY_KIND)).toBe(1);
      expect(t.renumber(b, b)).toBeUndefined();
    });

    test("register()/reregister()/deregister(): info() reports the registration on both sides", async () => {
      const { t } = await world();
      const p = poller(t);
      const f = file(t);
      t.register(f, p, 7, READABLE);
      expect(t.info(f)).toMatchObject({ poller: p, token: 7, interest: interest({ readable: true }) });
      expect(t.info(p).registrations).toBe(1);
      t.reregister(f, p, 8, { writable: true, priority: true });
      expect(t.info(f)).toMatchObject({ token: 8, interest: interest({ writable: true, priority: true }) });
      t.close(p);
      expect(t.info(f).poller).toBeUndefined();
    });

    test("open(): lowest-free numbering reissues a closed number; never-reuse never does", async () => {
      const { api } = await world();
      const low = api.Table.open(8, "lowest", false);
      expect([file(low), file(low), file(low)]).toEqual([1, 2, 3]);
      low.close(2);
      expect(file(low)).toBe(2);
      expect(low.stats()).toEqual({
        capacity: 8, numbering: "lowest", neverReuse: false, count: 3, highWater: 3, sharers: 1, scopeDepth: 0,
      });
      const once = api.Table.open(8, "generational", true);
      once.close(file(once));
      expect(file(once)).toBe(2);
      expect(once.stats().neverReuse).toBe(true);
      low[Symbol.dispose]();
      once[Symbol.dispose]();
    });

    test("handles(): the live handles in slot order, borrows included, freed ones left out", async () => {
      const { t } = await world();
      const a = file(t);
      const b = file(t);
      const c = t.borrow(a, false, undefined, undefined);
      t.close(b);
      const list = t.handles();
      expect(list).toBeInstanceOf(Uint32Array);
      expect([...list]).toEqual([a, c]);
      expect(t.count()).toBe(2);
    });

    test("[Symbol.dispose](): dropping a table closes its handles; take-released returns their host ids once", async () => {
      const { api } = await world();
      const before = api.descriptionCount();
      const u = new api.Table(8);
      file(u, 21);
      file(u, 22);
      expect(api.descriptionCount()).toBe(before + 2);
      u[Symbol.dispose]();
      expect(api.descriptionCount()).toBe(before);
      expect([...api.takeReleased()].sort()).toEqual([21, 22]);
      expect([...api.takeReleased()]).toEqual([]);
    });

    // Last: with jco the instance is a module singleton, and a trap poisons it.
    test("constructor: traps on capacity 0 (a contract violation, not a WIT error), which poisons the instance", async () => {
      const { api } = await world();
      let caught: unknown;
      try {
        new api.Table(0);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(WebAssembly.RuntimeError);
      expect((caught as { payload?: unknown }).payload).toBeUndefined();
      // As the Component Model requires: after a trap the instance refuses every call.
      expect(() => api.descriptionCount()).toThrow("cannot enter component instance");
      expect(() => new api.Table(4)).toThrow("cannot enter component instance");
    });
  });
}

describe("iolife/component only", () => {
  test("flags parameters also take a number, bit n = member n, masked to the members", async () => {
    const { load } = await import("../../build/component/index.js");
    const api = await load();
    const t = new api.Table(8);
    const h = t.insert("file", "regular", 0b110, 0b1, false, 3, undefined); // read, seek; append
    expect(t.info(h).rights).toEqual(rights({ read: true, seek: true }));
    expect(t.getDescriptionFlags(h)).toEqual(dflags({ append: true }));
    expect(t.check(h, 0b10, 0b1)).toBe(3); // read; kind-set {file}
    expect(outcome(() => t.check(h, 1 << 6, 0))).toBe("rights"); // write
    expect(outcome(() => t.check(h, 0, 0b10))).toBe("wrong-kind"); // {directory}
    t.narrow(h, 0xc000_0002); // bits 30 and 31 are no members: read is what is left
    expect(t.info(h).rights).toEqual(rights({ read: true }));
    const g = t.insert("pipe", "regular", 1 << 27, 0, false, 4, undefined); // poll
    t.register(g, t.insert("poller", "regular", 0, 0, false, 0, undefined), 1, 0b11);
    expect(t.info(g).interest).toEqual(interest({ readable: true, writable: true }));
  });

  test("load({ errorStacks: false }): refusals are ComponentErrors without a stack", async () => {
    const { load, ComponentError } = await import("../../build/component/index.js");
    const api = await load({ errorStacks: false });
    const t = new api.Table(8);
    let caught: unknown;
    try {
      t.close(1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ComponentError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({ name: "ComponentError", message: "unknown-handle", payload: "unknown-handle" });
    expect((caught as Error).stack).toBeUndefined();
  });
});

afterAll(() => {
  // Only meaningful when the whole file ran; a filtered run skips the check.
  for (const [name, codes] of seen) {
    if (codes.size > 1) expect([...codes].sort(), name).toEqual([...ERROR_CODES].sort());
  }
});
