// The positive rules of the ownership core, each checked step by step: what
// every operation does to the table, the descriptions and onRelease.
// Handle values follow the layout (assembly/layout.ts): a fresh generational
// table issues 1, 2, 3, …; a reused slot's handle is (gen << 20) | (index + 1).
//
// `using` declarations: Node 20 has Symbol.dispose but cannot parse `using`;
// vitest's transform lowers it to try/finally calls of [Symbol.dispose]()
// (Chromium 134+ would also run it natively), so the blocks below run in both
// projects. Tests also call [Symbol.dispose]() by hand, so the API is covered
// without the syntax too.

import { describe, expect, test } from "vitest";
import {
  DESCRIPTION_FLAGS, HandleTable, IolifeError, INTEREST, RIGHTS, RIGHTS_ALL,
  rightNames, rightsOf, type ErrorCode, type Kind, type Right, type Role, type TableOptions,
} from "../../host/core/index.js";

/** The handle of slot `index` at generation `gen` (assembly/layout.ts). */
const H = (index: number, gen = 0): number => ((gen << 20) | (index + 1)) >>> 0;

interface Released { resource: unknown; kind: Kind; role: Role }

async function world(options: Omit<TableOptions, "onRelease"> = {}) {
  const released: Released[] = [];
  const t = await HandleTable.create({ ...options, onRelease: (resource, { kind, role }) => released.push({ resource, kind, role }) });
  /** The resources released so far, in order. */
  const gone = () => released.map((r) => r.resource);
  return { t, released, gone };
}

/** The IolifeError code `op` throws, or "ok". */
function outcome(op: () => unknown): ErrorCode | "ok" {
  try {
    op();
    return "ok";
  } catch (e) {
    if (e instanceof IolifeError) return e.code;
    throw e;
  }
}

const file = (t: HandleTable, resource: unknown, extra: Partial<Parameters<HandleTable["insert"]>[0]> = {}) =>
  t.insert({ kind: "file", resource, ...extra });

const bitsOf = (names: readonly Right[]) => names.reduce((acc, r) => acc | RIGHTS[r], 0);

describe("dup()", () => {
  test("dup(): shares the offset in both directions, and only with its own description", async () => {
    const { t } = await world();
    const a = file(t, "A");
    const b = t.dup(a);
    expect(b).toBe(2);
    expect([t.offset(a), t.offset(b)]).toEqual([0n, 0n]);
    t.setOffset(a, 10);
    expect(t.offset(b)).toBe(10n);
    t.setOffset(b, 25);
    expect(t.offset(a)).toBe(25n);
    const c = file(t, "C");
    expect(t.offset(c)).toBe(0n);
    t.setOffset(c, 7);
    expect([t.offset(a), t.offset(b), t.offset(c)]).toEqual([25n, 25n, 7n]);
  });

  test("dup(): shares APPEND, NONBLOCK and SYNC, the description's flags, seen from both handles", async () => {
    const { t } = await world();
    const a = file(t, "A", { flags: ["append"] });
    const b = t.dup(a);
    expect(t.flags(b)).toBe(DESCRIPTION_FLAGS.append);
    t.setFlags(a, ["append", "nonblock", "sync"]);
    const all3 = DESCRIPTION_FLAGS.append | DESCRIPTION_FLAGS.nonblock | DESCRIPTION_FLAGS.sync;
    expect(t.flags(b)).toBe(all3);
    expect(t.info(b).flags).toBe(all3);
    t.setFlags(b, ["dsync"]);
    expect(t.flags(a)).toBe(DESCRIPTION_FLAGS.dsync);
    const c = file(t, "C");
    expect(t.flags(c)).toBe(0);
  });

  test("dup(): CLOEXEC belongs to each handle, and dup clears it", async () => {
    const { t } = await world();
    const a = file(t, "A", { cloexec: true });
    expect(t.info(a).cloexec).toBe(true);
    const b = t.dup(a);
    expect(t.info(b).cloexec).toBe(false);
    expect(t.info(a).cloexec).toBe(true);
    t.setCloexec(b, true);
    t.setCloexec(a, false);
    expect([t.info(a).cloexec, t.info(b).cloexec]).toEqual([false, true]);
    // CLOEXEC is not a description flag.
    expect(t.flags(a)).toBe(0);
    expect(t.dup(b)).toBe(3);
    expect(t.info(3).cloexec).toBe(false);
  });

  test("dup(): a new owner on the same description, with the kind, role, rights and parent of the source", async () => {
    const { t } = await world();
    const p = file(t, "P");
    const a = t.insert({ kind: "stream", role: "stdout", rights: ["write", "tell"], parent: p, resource: "S" });
    expect(t.core.descriptions).toBe(2);
    const b = t.dup(a);
    const ia = t.info(a);
    expect(t.info(b)).toEqual({ ...ia, handle: b, cloexec: false });
    expect(ia).toMatchObject({ state: "owned", kind: "stream", role: "stdout", rights: bitsOf(["write", "tell"]), parent: p, resource: "S", descriptionRefs: 2 });
    expect(t.core.descriptions).toBe(2);
    expect(t.info(p).children).toBe(2);
    const narrowed = t.dup(a, { rights: ["write"] });
    expect(t.info(narrowed).rights).toBe(RIGHTS.write);
    expect(t.info(a).rights).toBe(bitsOf(["write", "tell"]));
    expect(t.info(a).descriptionRefs).toBe(3);
  });
});

describe("onRelease", () => {
  test("close(): onRelease runs once, when the last handle on the description closes", async () => {
    const { t, released } = await world();
    const a = t.insert({ kind: "pipe", role: "stdin", resource: "A" });
    const b = t.dup(a);
    const c = t.dup(b);
    t.close(a);
    t.close(c);
    expect(released).toEqual([]);
    expect(t.core.descriptions).toBe(1);
    t.close(b);
    expect(released).toEqual([{ resource: "A", kind: "pipe", role: "stdin" }]);
    expect(t.core.descriptions).toBe(0);
    expect(t.count).toBe(0);
  });

  test("release(): ending a borrow never releases the description", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    t.release(t.borrowHandle(a));
    t.release(t.borrowHandle(a, { exclusive: true }));
    expect(gone()).toEqual([]);
    t.close(a);
    expect(gone()).toEqual(["A"]);
  });

  test("fork(): a description shared by parent and child is released once, after both close it", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    const c = t.fork();
    expect(t.info(a).descriptionRefs).toBe(2);
    c.close(a);
    expect(gone()).toEqual([]);
    expect(t.info(a).descriptionRefs).toBe(1);
    t.close(a);
    expect(gone()).toEqual(["A"]);
    c.drop();
    t.drop();
    expect(gone()).toEqual(["A"]);
  });

  test("renumber(): releases the target's description once and keeps the source's", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    const b = file(t, "B");
    t.renumber(a, b);
    expect(gone()).toEqual(["B"]);
    expect(t.check(b)).toBe("A");
    t.close(b);
    expect(gone()).toEqual(["B", "A"]);
  });

  test("renumber(): onto a dup of the same description releases nothing", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    const b = t.dup(a);
    t.renumber(a, b);
    expect(gone()).toEqual([]);
    expect(t.info(b).descriptionRefs).toBe(1);
    t.close(b);
    expect(gone()).toEqual(["A"]);
  });

  test("exec(): releases a CLOEXEC handle's description only when no other handle refers to it", async () => {
    const { t, gone } = await world();
    const a = file(t, "A", { cloexec: true });
    t.dup(a);
    file(t, "B", { cloexec: true });
    t.exec();
    expect(gone()).toEqual(["B"]);
  });

  test("drop(): the last sharer's drop releases each description once, however many handles it has", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    t.dup(a);
    t.dup(a);
    const b = file(t, "B");
    t.borrowHandle(b);
    t.insert({ kind: "stream", parent: b, resource: "S" });
    const s = t.share();
    t.drop();
    expect(gone()).toEqual([]);
    s.drop();
    expect([...gone()].sort()).toEqual(["A", "B", "S"]);
    expect(s.core.descriptions).toBe(0);
  });
});

describe("borrow()", () => {
  test("borrow(): shared borrows count as lends and reach the lender's resource, rights and description", async () => {
    const { t } = await world();
    const f = file(t, "F", { rights: ["read", "tell", "seek"] });
    const b1 = t.borrowHandle(f);
    const b2 = t.borrowHandle(f);
    expect([b1, b2]).toEqual([2, 3]);
    expect(t.info(f).lends).toBe(2);
    expect(t.info(b1)).toMatchObject({
      state: "shared-borrow", lender: f, rights: bitsOf(["read", "tell", "seek"]), resource: "F",
      description: t.info(f).description, descriptionRefs: 1, kind: "file", lends: 0,
    });
    expect(t.check(b1, ["read"])).toBe("F");
    t.setOffset(b2, 4);
    expect(t.offset(f)).toBe(4n);
    expect(t.core.descriptions).toBe(1);
    expect(t.count).toBe(3);
    t.release(b1);
    expect(t.info(f).lends).toBe(1);
    t.release(b2);
    expect(t.info(f).lends).toBe(0);
    expect(outcome(() => t.close(f))).toBe("ok");
  });

  test("borrow(): an exclusive borrow locks its lender until released; info() still reads the lender", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const x = t.borrowHandle(f, { exclusive: true });
    expect(t.info(f)).toMatchObject({ exclusiveBorrow: x, lends: 0 });
    expect(t.info(x)).toMatchObject({ state: "exclusive-borrow", lender: f });
    expect(t.check(x)).toBe("F");
    expect(outcome(() => t.check(f))).toBe("lent");
    t.release(x);
    expect(t.info(f).exclusiveBorrow).toBe(0);
    expect(t.check(f)).toBe("F");
  });

  test("borrow(): exclusive excludes shared and shared excludes exclusive, until released", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const s = t.borrowHandle(f);
    expect(outcome(() => t.borrowHandle(f, { exclusive: true }))).toBe("lent");
    t.release(s);
    const x = t.borrowHandle(f, { exclusive: true });
    expect(outcome(() => t.borrowHandle(f))).toBe("lent");
    t.release(x);
    expect(outcome(() => t.release(t.borrowHandle(f)))).toBe("ok");
  });

  test("borrow(): a shared reborrow counts as a lend of the borrow it came from, not of the owner", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const b = t.borrowHandle(f);
    const r = t.borrowHandle(b);
    expect(t.info(f).lends).toBe(1);
    expect(t.info(b).lends).toBe(1);
    expect(t.info(r)).toMatchObject({ lender: b, state: "shared-borrow", resource: "F" });
    expect(outcome(() => t.release(b))).toBe("lent");
    t.release(r);
    t.release(b);
    expect(t.info(f).lends).toBe(0);
  });

  test("borrow(): an exclusive borrow may lend exclusively again; each level locks the one below", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const x1 = t.borrowHandle(f, { exclusive: true });
    const x2 = t.borrowHandle(x1, { exclusive: true });
    expect(t.info(x1).exclusiveBorrow).toBe(x2);
    expect([outcome(() => t.check(f)), outcome(() => t.check(x1)), outcome(() => t.check(x2))]).toEqual(["lent", "lent", "ok"]);
    t.release(x2);
    expect([outcome(() => t.check(f)), outcome(() => t.check(x1))]).toEqual(["lent", "ok"]);
    t.release(x1);
    expect(outcome(() => t.check(f))).toBe("ok");
  });

  test("borrow(): a shared reborrow of an exclusive borrow leaves that borrow usable", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const x = t.borrowHandle(f, { exclusive: true });
    const s = t.borrowHandle(x);
    expect(t.info(x).lends).toBe(1);
    expect([outcome(() => t.check(x)), outcome(() => t.check(s)), outcome(() => t.check(f))]).toEqual(["ok", "ok", "lent"]);
  });

  test("borrow(): a borrow takes a slot: it counts toward count and capacity", async () => {
    const { t } = await world({ capacity: 2 });
    const f = file(t, "F");
    const b = t.borrowHandle(f);
    expect(t.count).toBe(2);
    expect(outcome(() => file(t, "G"))).toBe("full");
    t.release(b);
    expect(t.count).toBe(1);
    expect(outcome(() => file(t, "G"))).toBe("ok");
  });

  test("borrow(): `using` releases a Borrow at the end of its block", async () => {
    const { t } = await world();
    const f = file(t, "F");
    {
      using b = t.borrow(f);
      expect(t.info(f).lends).toBe(1);
      expect(t.check(b.handle)).toBe("F");
    }
    expect(t.info(f).lends).toBe(0);
    const explicit = t.borrow(f, { exclusive: true });
    explicit[Symbol.dispose]();
    expect(t.info(f).exclusiveBorrow).toBe(0);
    expect(outcome(() => t.check(explicit.handle))).toBe("closed");
  });
});

describe("scopes", () => {
  test("endScope(): a scope whose borrows were all released ends quietly", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const s = t.beginScope();
    expect(t.stats().scopeDepth).toBe(1);
    const b = t.borrowHandle(f, { scope: s });
    expect(t.info(b).scope).toBe(s);
    t.release(b);
    t.endScope(s);
    expect(t.stats().scopeDepth).toBe(0);
    expect(t.info(f).lends).toBe(0);
  });

  test("borrow(): a borrow placed in an outer scope outlives the inner scope and dies with the outer one", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const outer = t.beginScope();
    const inner = t.beginScope();
    const b = t.borrowHandle(f, { scope: outer });
    t.endScope(inner);
    expect(t.check(b)).toBe("F");
    expect(outcome(() => t.endScope(outer))).toBe("scope-has-borrows");
    expect(outcome(() => t.check(b))).toBe("scope-ended");
    expect(t.info(f).lends).toBe(0);
  });

  test("borrow(): reborrows in the same or an inner scope are allowed and end with their scope", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const outer = t.beginScope();
    const b = t.borrowHandle(f, { scope: outer });
    const inner = t.beginScope();
    const r = t.borrowHandle(b, { scope: inner });
    expect(t.info(b).lends).toBe(1);
    expect(outcome(() => t.endScope(inner))).toBe("scope-has-borrows");
    expect(outcome(() => t.check(r))).toBe("scope-ended");
    expect(t.info(b).lends).toBe(0);
    const r2 = t.borrowHandle(b, { scope: outer, exclusive: false });
    expect(t.info(r2).lender).toBe(b);
    let err: unknown;
    try { t.endScope(outer); } catch (e) { err = e; }
    expect((err as IolifeError).message).toBe(`end-scope: scope ${outer} ended with 2 live borrows; they have been revoked`);
    expect(t.info(f).lends).toBe(0);
    expect(t.handles()).toEqual([f]);
  });

  test("scope(): `using` ends a Scope at the end of its block; Scope.borrow() puts borrows in it", async () => {
    const { t } = await world();
    const f = file(t, "F");
    {
      using s = t.scope();
      expect(t.stats().scopeDepth).toBe(1);
      {
        using inner = t.scope();
        const b = inner.borrow(f, { exclusive: true });
        expect(t.info(b).scope).toBe(inner.id);
        t.release(b);
      }
      expect(t.stats().scopeDepth).toBe(1);
      const b = s.borrow(f);
      expect(t.info(b).scope).toBe(s.id);
      t.release(b);
    }
    expect(t.stats().scopeDepth).toBe(0);
    const explicit = t.scope();
    explicit[Symbol.dispose]();
    expect(t.stats().scopeDepth).toBe(0);
  });
});

describe("share()", () => {
  test("share(): sharers see one table; close-all happens only when the last sharer drops", async () => {
    const { t, gone } = await world();
    const f = file(t, "F");
    const s = t.share();
    expect(s.handles()).toEqual([f]);
    const g = file(s, "G");
    expect(t.handles()).toEqual([f, g]);
    expect(t.stats().sharers).toBe(2);
    const b = s.borrowHandle(f);
    expect(t.info(f).lends).toBe(1);
    expect(outcome(() => t.close(f))).toBe("lent");
    s.release(b);
    t.close(f);
    expect(outcome(() => s.check(f))).toBe("closed");
    expect(gone()).toEqual(["F"]);
    const third = s.share();
    expect(third.stats().sharers).toBe(3);
    t.drop();
    s.drop();
    expect(gone()).toEqual(["F"]);
    expect(third.check(g)).toBe("G");
    expect(third.stats().sharers).toBe(1);
    third.drop();
    expect(gone()).toEqual(["F", "G"]);
  });
});

describe("fork()", () => {
  test("fork(): a deep copy with the same handle values, kinds, roles, rights, flags, CLOEXEC, parents and children", async () => {
    const { t } = await world();
    const f = file(t, "F", { cloexec: true, rights: ["read", "tell"], flags: ["append"] });
    const s = t.insert({ kind: "stream", role: "stdout", parent: f, resource: "S" });
    file(t, "X");
    t.close(3);
    const before = t.list();
    const c = t.fork();
    expect(c.handles()).toEqual([f, s]);
    const bumped = before.map((i) => ({ ...i, descriptionRefs: i.descriptionRefs + 1 }));
    expect(t.list()).toEqual(bumped);
    expect(c.list()).toEqual(bumped);
    expect(t.core.descriptions).toBe(2);
    expect(c.count).toBe(2);
    expect(c.stats()).toMatchObject({ capacity: t.stats().capacity, numbering: "generational", sharers: 1, scopeDepth: 0 });
  });

  test("fork(): parent and child share open descriptions (offset, flags) but not CLOEXEC", async () => {
    const { t } = await world();
    const f = file(t, "F", { cloexec: true });
    const c = t.fork();
    c.setOffset(f, 100);
    expect(t.offset(f)).toBe(100n);
    t.setFlags(f, ["nonblock"]);
    expect(c.flags(f)).toBe(DESCRIPTION_FLAGS.nonblock);
    c.setCloexec(f, false);
    expect(t.info(f).cloexec).toBe(true);
  });

  test("fork(): borrows, scopes and poll registrations are not inherited", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const p = t.insert({ kind: "poller" });
    const b = t.borrowHandle(f);
    const s = t.beginScope();
    const sb = t.borrowHandle(f, { scope: s });
    t.register(f, p, 9, ["readable"]);
    const c = t.fork();
    expect(c.handles()).toEqual([f, p]);
    expect(c.info(f)).toMatchObject({ lends: 0, poller: 0, token: 0, interest: 0 });
    expect(c.info(p).registrations).toBe(0);
    expect(c.stats().scopeDepth).toBe(0);
    expect(outcome(() => c.check(b))).toBe("closed");
    expect(outcome(() => c.check(sb))).toBe("closed");
    // The parent is untouched.
    expect(t.info(f)).toMatchObject({ lends: 2, poller: p, token: 9 });
    expect(t.info(p).registrations).toBe(1);
    expect(t.stats().scopeDepth).toBe(1);
    // In the copy, f is free to close.
    expect(outcome(() => c.close(f))).toBe("ok");
  });

  test("fork(): the copy is independent; its free slots are reused lowest first", async () => {
    const { t, gone } = await world();
    for (let i = 0; i < 4; i++) file(t, `R${i}`);
    t.close(2);
    t.close(4);
    const c = t.fork();
    // The parent pops its free list (most recently freed first); the copy rebuilt its own.
    expect(file(t, "T")).toBe(H(3, 1));
    expect(file(c, "C1")).toBe(H(1, 1));
    expect(file(c, "C2")).toBe(H(3, 1));
    expect(c.check(H(3, 1))).toBe("C2");
    expect(t.check(H(3, 1))).toBe("T");
    c.close(1);
    expect(t.check(1)).toBe("R0");
    expect(gone()).toEqual(["R1", "R3"]);
  });
});

describe("exec()", () => {
  test("exec(): closes CLOEXEC handles and their children, keeps the rest", async () => {
    const { t, gone } = await world();
    const a = file(t, "A", { cloexec: true });
    const a2 = t.dup(a);
    const b = file(t, "B", { cloexec: true });
    const bs = t.insert({ kind: "stream", parent: b, resource: "BS" });
    t.insert({ kind: "pollable", parent: bs, resource: "BSP" });
    const k = file(t, "K");
    t.insert({ kind: "stream", parent: k, cloexec: true, resource: "KC" });
    expect([a, a2, b, bs, k]).toEqual([1, 2, 3, 4, 6]);
    t.exec();
    expect(t.handles()).toEqual([a2, k]);
    expect(t.count).toBe(2);
    expect([...gone()].sort()).toEqual(["B", "BS", "BSP", "KC"]);
    expect(t.check(a2)).toBe("A");
    expect(t.info(k).children).toBe(0);
    expect(outcome(() => t.check(a))).toBe("closed");
    expect(t.core.descriptions).toBe(2);
  });

  test("exec(): revokes every borrow, scoped or not, and ends every scope", async () => {
    const { t, gone } = await world();
    const f = file(t, "F");
    const g = file(t, "G");
    const b = t.borrowHandle(f);
    const r = t.borrowHandle(b);
    const s = t.beginScope();
    const sb = t.borrowHandle(f, { scope: s });
    const x = t.borrowHandle(g, { exclusive: true });
    t.exec();
    for (const h of [b, r, sb, x]) expect(outcome(() => t.check(h))).toBe("scope-ended");
    expect(t.info(f).lends).toBe(0);
    expect(t.info(g).exclusiveBorrow).toBe(0);
    expect(t.check(g)).toBe("G");
    expect(t.stats().scopeDepth).toBe(0);
    expect(outcome(() => t.endScope(s))).toBe("scope-invalid");
    expect(t.handles()).toEqual([f, g]);
    expect(gone()).toEqual([]);
  });

  test("exec(): closing a CLOEXEC poller drops its registrations", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller", cloexec: true });
    const f = file(t, "F");
    t.register(f, p, 1, ["readable"]);
    t.exec();
    expect(t.info(f).poller).toBe(0);
    const q = t.insert({ kind: "poller" });
    t.register(f, q, 2, ["writable"]);
    expect(t.info(q).registrations).toBe(1);
  });
});

describe("parent/child", () => {
  test("insert(): a child counts on its parent until it closes; then the parent may close", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const s = t.insert({ kind: "stream", parent: f });
    const pl = t.insert({ kind: "pollable", parent: s });
    expect(t.info(f).children).toBe(1);
    expect(t.info(s)).toMatchObject({ parent: f, children: 1 });
    expect(t.info(pl)).toMatchObject({ parent: s, children: 0 });
    expect(outcome(() => t.close(s))).toBe("has-children");
    t.close(pl);
    expect(t.info(s).children).toBe(0);
    t.close(s);
    expect(t.info(f).children).toBe(0);
    expect(outcome(() => t.close(f))).toBe("ok");
  });

  test("dup(): a dup of a child is another child of the same parent", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const s = t.insert({ kind: "stream", parent: f });
    const d = t.dup(s);
    expect(t.info(d).parent).toBe(f);
    expect(t.info(f).children).toBe(2);
    t.close(s);
    expect(outcome(() => t.close(f))).toBe("has-children");
    t.close(d);
    expect(outcome(() => t.close(f))).toBe("ok");
  });

  test("insert(): a parent lent shared may get children; its borrows are not children", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const b = t.borrowHandle(f);
    const s = t.insert({ kind: "stream", parent: f });
    expect(t.info(f)).toMatchObject({ lends: 1, children: 1 });
    expect(t.info(b).parent).toBe(0);
    expect(t.info(s).parent).toBe(f);
  });
});

describe("poll", () => {
  test("register()/reregister()/deregister(): a registration holds poller, token and interest, counted on the poller", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller" });
    const f = file(t, "F");
    t.register(f, p, 0xffff_ffff, ["readable"]);
    expect(t.info(f)).toMatchObject({ poller: p, token: 0xffff_ffff, interest: INTEREST.readable });
    expect(t.info(p).registrations).toBe(1);
    t.reregister(f, p, 43, ["readable", "writable", "priority"]);
    expect(t.info(f)).toMatchObject({ poller: p, token: 43, interest: INTEREST.readable | INTEREST.writable | INTEREST.priority });
    expect(t.info(p).registrations).toBe(1);
    t.deregister(f, p);
    expect(t.info(f)).toMatchObject({ poller: 0, token: 0, interest: 0 });
    expect(t.info(p).registrations).toBe(0);
    const q = t.insert({ kind: "poller" });
    t.register(f, q, 1, ["writable"]);
    expect(t.info(q).registrations).toBe(1);
  });

  test("close(): closing a registered handle deregisters it", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller" });
    const f = file(t, "F");
    const g = file(t, "G");
    t.register(f, p, 1, ["readable"]);
    t.register(g, p, 2, ["readable"]);
    t.close(f);
    expect(t.info(p).registrations).toBe(1);
    expect(t.info(g).poller).toBe(p);
  });

  test("close(): closing a poller drops its registrations", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller" });
    const f = file(t, "F");
    const g = file(t, "G");
    t.register(f, p, 1, ["readable"]);
    t.register(g, p, 2, ["readable"]);
    t.close(p);
    expect(t.info(f)).toMatchObject({ poller: 0, token: 0, interest: 0 });
    expect(t.info(g).poller).toBe(0);
    const q = t.insert({ kind: "poller" });
    t.register(f, q, 3, ["writable"]);
    expect(t.info(q).registrations).toBe(1);
  });

  test("release(): a registered borrow is deregistered when it ends", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller" });
    const f = file(t, "F");
    const b = t.borrowHandle(f);
    t.register(b, p, 1, ["readable"]);
    expect(t.info(p).registrations).toBe(1);
    t.release(b);
    expect(t.info(p).registrations).toBe(0);
  });

  test("transfer(): a registered handle leaves its registration behind", async () => {
    const { t } = await world();
    const u = t.fork();
    const p = t.insert({ kind: "poller" });
    const f = file(t, "F");
    t.register(f, p, 1, ["readable"]);
    const g = t.transfer(f, u);
    expect(t.info(p).registrations).toBe(0);
    expect(u.info(g).poller).toBe(0);
  });

  test("renumber(): the moved handle keeps its registration; the target's is dropped", async () => {
    const { t } = await world();
    const p = t.insert({ kind: "poller" });
    const q = t.insert({ kind: "poller" });
    const f = file(t, "F");
    const g = file(t, "G");
    t.register(f, p, 7, ["writable"]);
    t.register(g, q, 8, ["readable"]);
    t.renumber(f, g);
    expect(t.info(g)).toMatchObject({ poller: p, token: 7, interest: INTEREST.writable, resource: "F" });
    expect(t.info(p).registrations).toBe(1);
    expect(t.info(q).registrations).toBe(0);
    t.deregister(g, p);
    expect(t.info(p).registrations).toBe(0);
  });
});

describe("numbering", () => {
  test("insert(): lowest-free numbering takes the lowest free slot, handle = index + 1 (POSIX)", async () => {
    const { t } = await world({ numbering: "lowest" });
    for (let i = 0; i < 6; i++) expect(file(t, i)).toBe(i + 1);
    t.close(H(3));
    expect(file(t, "again 3")).toBe(H(3));
    // Freed 1 then 3: the lowest comes back first, not the most recent.
    t.close(H(1));
    t.close(H(3));
    expect(file(t, "x")).toBe(H(1));
    expect(file(t, "y")).toBe(H(3));
    expect(file(t, "z")).toBe(H(6));
  });

  test("insert(): lowest-free numbering finds the lowest free slot across bitmap words", async () => {
    const { t } = await world({ numbering: "lowest" });
    for (let i = 0; i < 70; i++) file(t, i);
    t.close(H(40));
    t.close(H(65));
    t.close(H(33));
    expect(file(t, "a")).toBe(H(33));
    expect(file(t, "b")).toBe(H(40));
    expect(file(t, "c")).toBe(H(65));
    expect(file(t, "d")).toBe(H(70));
    t.close(H(0));
    expect(file(t, "e")).toBe(H(0));
  });

  test("insert(): lowest-free numbering reissues a closed number, so an old fd reaches the new file (the POSIX trade-off)", async () => {
    const { t } = await world({ numbering: "lowest" });
    const a = file(t, "old");
    t.close(a);
    expect(outcome(() => t.check(a))).toBe("closed");
    expect(file(t, "new")).toBe(a);
    expect(t.check(a)).toBe("new");
  });

  test("insert(): generational numbering reuses the most recently freed slot at the next generation", async () => {
    const { t } = await world();
    for (let i = 0; i < 6; i++) file(t, i);
    t.close(H(1));
    t.close(H(3));
    expect(file(t, "x")).toBe(H(3, 1));
    expect(file(t, "y")).toBe(H(1, 1));
    expect(file(t, "z")).toBe(H(6));
    expect(outcome(() => t.check(H(1)))).toBe("stale-handle");
  });

  test.each(["generational", "lowest"] as const)("neverReuse (%s): a closed handle is never reissued; its use is always 'closed'", async (numbering) => {
    const { t } = await world({ numbering, neverReuse: true, capacity: 64 });
    expect(t.stats().neverReuse).toBe(true);
    const closed: number[] = [];
    for (let i = 0; i < 64; i++) {
      const h = file(t, i);
      expect(h).toBe(H(i));
      t.close(h);
      closed.push(h);
      for (const old of closed) expect(outcome(() => t.check(old))).toBe("closed");
    }
    expect(t.count).toBe(0);
    expect(t.stats().highWater).toBe(64);
    // Every slot has been issued once: the table is full for good.
    expect(outcome(() => file(t, "more"))).toBe("full");
  });

  test("neverReuse: borrows and dups never take a freed slot either", async () => {
    const { t } = await world({ neverReuse: true });
    const f = file(t, "F");
    const b = t.borrowHandle(f);
    t.release(b);
    const d = t.dup(f);
    expect(d).toBe(H(2));
    expect(outcome(() => t.check(b))).toBe("closed");
  });
});

describe("transfer()", () => {
  test("transfer(): moves the entry into another table of the same core, description and all", async () => {
    const { t, gone } = await world();
    const u = t.fork();
    const f = t.insert({ kind: "socket", role: "ipc", cloexec: true, rights: ["read", "write"], flags: ["nonblock"], resource: "S" });
    const before = t.info(f);
    expect(u.insert({ kind: "file", resource: "U" })).toBe(1);
    const g = t.transfer(f, u);
    expect(g).toBe(2);
    expect(u.info(g)).toEqual({ ...before, handle: g });
    expect(outcome(() => t.check(f))).toBe("closed");
    expect(t.count).toBe(0);
    expect(u.count).toBe(2);
    expect(t.core.descriptions).toBe(2);
    expect(gone()).toEqual([]);
    u.close(g);
    expect(gone()).toEqual(["S"]);
  });

  test("transfer(): into the same table issues a new handle and retires the old one", async () => {
    const { t } = await world();
    const f = file(t, "F");
    const g = t.transfer(f, t);
    expect(g).toBe(2);
    expect(t.handles()).toEqual([g]);
    expect(outcome(() => t.check(f))).toBe("closed");
    expect(t.check(g)).toBe("F");
  });

  test("transfer(): to a table of another core is a host error, not an IolifeError", async () => {
    const { t } = await world();
    const other = await HandleTable.create();
    const f = file(t, "F");
    expect(() => t.transfer(f, other)).toThrow(/different core instances/);
    expect(outcome(() => t.check(f))).toBe("ok");
  });
});

describe("renumber()", () => {
  test("renumber(): the source's entry moves onto the target's number; the target's entry closes", async () => {
    const { t, gone } = await world();
    const a = file(t, "A", { cloexec: true, rights: ["read"], flags: ["append"] });
    const b = file(t, "B");
    const infoA = t.info(a);
    t.renumber(a, b);
    expect(t.handles()).toEqual([b]);
    expect(t.count).toBe(1);
    expect(t.stats().count).toBe(1);
    expect(t.info(b)).toEqual({ ...infoA, handle: b });
    expect(outcome(() => t.check(a))).toBe("closed");
    expect(gone()).toEqual(["B"]);
    t.close(b);
    expect(t.count).toBe(0);
    expect(gone()).toEqual(["B", "A"]);
  });

  test("renumber(): a handle onto itself changes nothing", async () => {
    const { t, gone } = await world();
    const a = file(t, "A");
    const before = t.list();
    t.renumber(a, a);
    expect(t.list()).toEqual(before);
    expect(t.count).toBe(1);
    expect(gone()).toEqual([]);
  });

  test("renumber(): in a lowest-free table the source's number is the next one issued", async () => {
    const { t } = await world({ numbering: "lowest" });
    for (let i = 0; i < 3; i++) file(t, i);
    t.renumber(H(0), H(2));
    expect(t.count).toBe(2);
    expect(file(t, "new")).toBe(H(0));
    expect(t.count).toBe(3);
  });
});

describe("info() and handles()", () => {
  test("info(): reports every field of an owner", async () => {
    const { t } = await world();
    const resource = { path: "/tmp" };
    const d = t.insert({ kind: "directory", cloexec: true, rights: ["readdir", "open"], flags: ["nonblock"], resource });
    expect(t.info(d)).toEqual({
      handle: 1, state: "owned", kind: "directory", role: "regular", cloexec: true,
      rights: RIGHTS.readdir | RIGHTS.open, flags: DESCRIPTION_FLAGS.nonblock, resource,
      description: 0, descriptionRefs: 1, lender: 0, lends: 0, exclusiveBorrow: 0,
      parent: 0, children: 0, poller: 0, token: 0, interest: 0, registrations: 0, scope: 0, foreignLender: false,
    });
  });

  test("handles()/list(): the live handles in slot order, borrows included, freed ones left out", async () => {
    const { t } = await world();
    const a = file(t, "A");
    const b = file(t, "B");
    const c = file(t, "C");
    const x = t.borrowHandle(b);
    t.close(a);
    expect(t.handles()).toEqual([b, c, x]);
    expect(t.list()).toEqual([t.info(b), t.info(c), t.info(x)]);
    expect(t.list().map((i) => i.state)).toEqual(["owned", "owned", "shared-borrow"]);
    const again = file(t, "A2");
    expect(again).toBe(H(0, 1));
    expect(t.handles()).toEqual([again, b, c, x]);
    expect(t.stats()).toMatchObject({ count: 4, highWater: 4 });
    expect(t.count).toBe(4);
  });
});

describe("rights", () => {
  test("insert(): every right by default; narrow() only shrinks them", async () => {
    const { t } = await world();
    const f = file(t, "F");
    expect(t.info(f).rights).toBe(RIGHTS_ALL);
    t.narrow(f, ["read", "write"]);
    expect(t.info(f).rights).toBe(RIGHTS.read | RIGHTS.write);
    expect(outcome(() => t.check(f, ["write"]))).toBe("ok");
    t.narrow(f, ["read"]);
    expect(outcome(() => t.check(f, ["write"]))).toBe("rights");
    expect(outcome(() => t.check(f, ["read"]))).toBe("ok");
    t.narrow(f, []);
    expect(t.info(f).rights).toBe(0);
    expect(outcome(() => t.check(f, ["read"]))).toBe("rights");
    expect(outcome(() => t.check(f))).toBe("ok");
    expect(outcome(() => t.narrow(f, ["read"]))).toBe("rights");
  });

  test("borrow()/dup(): attenuate rights without touching the source's", async () => {
    const { t } = await world();
    const f = file(t, "F", { rights: ["read", "write", "seek", "tell"] });
    const all4 = bitsOf(["read", "write", "seek", "tell"]);
    const b = t.borrowHandle(f, { rights: ["read"] });
    expect(t.info(b).rights).toBe(RIGHTS.read);
    const inherit = t.borrowHandle(f);
    expect(t.info(inherit).rights).toBe(all4);
    t.narrow(inherit, ["seek"]);
    expect(t.info(inherit).rights).toBe(RIGHTS.seek);
    expect(t.info(f).rights).toBe(all4);
    const d = t.dup(f, { rights: ["write", "tell"] });
    expect(t.info(d).rights).toBe(RIGHTS.write | RIGHTS.tell);
    expect(t.info(f).rights).toBe(all4);
    // A borrow without set-flags may read the description's flags but not change them.
    expect(t.flags(b)).toBe(0);
    expect(outcome(() => t.setFlags(b, ["append"]))).toBe("rights");
  });

  test("rightsOf()/rightNames(): each name is one WASI bit, and all of them make RIGHTS_ALL", () => {
    const names = Object.keys(RIGHTS) as Right[];
    expect(names).toHaveLength(30);
    for (const r of names) {
      expect(rightNames(rightsOf([r]))).toEqual([r]);
      expect(rightsOf([r])).toBe(RIGHTS[r]);
    }
    expect(rightsOf(names)).toBe(RIGHTS_ALL);
    expect(rightNames(RIGHTS_ALL)).toEqual(names);
  });
});
