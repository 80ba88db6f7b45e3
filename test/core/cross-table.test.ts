// Lending across tables (the Canonical ABI's caller → callee borrow): the
// owner stays in its table, the borrow lives in another table of the same
// core, and each rule of a same-table borrow holds across the boundary.
import { describe, expect, test } from "vitest";
import { HandleTable, IolifeError, type ErrorCode } from "../../host/core/index.js";

function refuses(code: ErrorCode, op: () => unknown): IolifeError {
  try {
    op();
  } catch (e) {
    expect(e).toBeInstanceOf(IolifeError);
    expect((e as IolifeError).code).toBe(code);
    return e as IolifeError;
  }
  throw new Error(`expected ${code}`);
}

async function pair() {
  const released: unknown[] = [];
  const caller = await HandleTable.create({ onRelease: (r) => released.push(r) });
  const callee = caller.core.createTable();
  const fd = caller.insert({ kind: "socket", rights: ["read", "write"], resource: "sock" });
  return { caller, callee, fd, released };
}

describe("borrow({ into }): lending to another table", () => {
  test("borrow(): makes the borrow in the other table and counts a lend on the owner", async () => {
    const { caller, callee, fd } = await pair();
    const b = caller.borrowHandle(fd, { into: callee, rights: ["read"] });
    expect(callee.handles()).toEqual([b]);
    expect(caller.handles()).toEqual([fd]);
    const info = callee.info(b);
    expect(info.state).toBe("shared-borrow");
    expect(info.lender).toBe(fd);
    expect(info.foreignLender).toBe(true);
    expect(info.rights).toBe(2);
    expect(caller.info(fd).lends).toBe(1);
    expect(callee.check(b, ["read"])).toBe("sock");
    refuses("rights", () => callee.check(b, ["write"]));
  });

  test("close(): the owner refuses while lent across tables, and the callee cannot close the borrow", async () => {
    const { caller, callee, fd, released } = await pair();
    const b = caller.borrowHandle(fd, { into: callee });
    refuses("lent", () => caller.close(fd));
    refuses("not-owner", () => callee.close(b));
    refuses("not-owner", () => callee.dup(b));
    callee.release(b);
    expect(caller.info(fd).lends).toBe(0);
    refuses("double-close", () => callee.release(b));
    caller.close(fd);
    expect(released).toEqual(["sock"]);
  });

  test("borrow({ exclusive }): the owner is unusable until the callee releases", async () => {
    const { caller, callee, fd } = await pair();
    const b = caller.borrowHandle(fd, { into: callee, exclusive: true });
    refuses("lent", () => caller.check(fd));
    refuses("lent", () => caller.borrowHandle(fd));
    callee.release(b);
    expect(caller.check(fd)).toBe("sock");
  });

  test("drop(): the callee's drop revokes its borrows and returns the lends; nothing is released", async () => {
    const { caller, callee, fd, released } = await pair();
    caller.borrowHandle(fd, { into: callee });
    const b2 = callee.borrowHandle(caller.borrowHandle(fd, { into: callee })); // a reborrow inside the callee
    expect(callee.count).toBe(3);
    callee.drop();
    expect(caller.info(fd).lends).toBe(0);
    expect(released).toEqual([]);
    expect(b2).toBeGreaterThan(0);
    caller.close(fd);
    expect(released).toEqual(["sock"]);
  });

  test("drop(): the lender's last drop revokes what other tables borrowed from it, then releases once", async () => {
    const { caller, callee, fd, released } = await pair();
    const b = caller.borrowHandle(fd, { into: callee });
    const rb = callee.borrowHandle(b); // reborrowed inside the callee
    caller.drop();
    expect(released).toEqual(["sock"]);
    expect(callee.count).toBe(0);
    refuses("scope-ended", () => callee.check(b));
    refuses("scope-ended", () => callee.check(rb));
    expect(caller.core.descriptions).toBe(0);
  });

  test("exec(): closing a CLOEXEC owner revokes its borrows in other tables; other lends survive", async () => {
    const { caller, callee, released } = await pair();
    const keep = caller.insert({ kind: "file", resource: "keep" });
    const gone = caller.insert({ kind: "file", resource: "gone", cloexec: true });
    const bk = caller.borrowHandle(keep, { into: callee });
    const bg = caller.borrowHandle(gone, { into: callee });
    caller.exec();
    expect(released).toEqual(["gone"]);
    refuses("scope-ended", () => callee.check(bg));
    expect(callee.check(bk)).toBe("keep");
  });

  test("scope: a cross-table borrow dies with the callee's scope; a scoped lender cannot lend across", async () => {
    const { caller, callee, fd } = await pair();
    const s = callee.beginScope();
    const b = caller.borrowHandle(fd, { into: callee, scope: s });
    expect(callee.info(b).scope).toBe(s);
    refuses("scope-has-borrows", () => callee.endScope(s));
    expect(caller.info(fd).lends).toBe(0);
    refuses("scope-ended", () => callee.check(b));
    const cs = caller.beginScope();
    const scoped = caller.borrowHandle(fd, { scope: cs });
    refuses("scope-invalid", () => caller.borrowHandle(scoped, { into: callee }));
    expect(caller.info(scoped).lends).toBe(0);
  });

  test("fork(): a forked callee does not inherit the borrow; a forked caller's copy is not lent", async () => {
    const { caller, callee, fd } = await pair();
    const b = caller.borrowHandle(fd, { into: callee });
    const calleeCopy = callee.fork();
    refuses("closed", () => calleeCopy.check(b));
    const callerCopy = caller.fork();
    expect(callerCopy.info(fd).lends).toBe(0);
    callerCopy.close(fd);
    expect(caller.info(fd).lends).toBe(1);
  });

  test("borrow(): refuses a dropped destination table and a full one, changing nothing", async () => {
    const { caller, fd } = await pair();
    const small = caller.core.createTable({ capacity: 1 });
    small.insert({ kind: "file" });
    refuses("full", () => caller.borrowHandle(fd, { into: small }));
    const gone = caller.core.createTable();
    gone.drop();
    refuses("table-closed", () => caller.borrowHandle(fd, { into: gone }));
    expect(caller.info(fd).lends).toBe(0);
  });

  test("drop(): a chain of loans across three tables unwinds from either end without hanging", async () => {
    for (const dropFirst of ["owner", "middle"] as const) {
      const { caller: t0, callee: t1, fd, released } = await pair();
      const t2 = t0.core.createTable();
      const b1 = t0.borrowHandle(fd, { into: t1 });
      const b2 = t1.borrowHandle(b1, { into: t2 }); // t1 passes its borrow on to t2
      expect(t2.info(b2).foreignLender).toBe(true);
      refuses("lent", () => t1.release(b1));
      if (dropFirst === "owner") {
        t0.drop();
        expect(released).toEqual(["sock"]);
        refuses("scope-ended", () => t1.check(b1));
      } else {
        t1.drop();
        expect(t0.info(fd).lends).toBe(0);
        expect(released).toEqual([]);
      }
      refuses("scope-ended", () => t2.check(b2));
      expect(t2.count).toBe(0);
    }
  });
});
