// Every refusal of the ownership core, one error code at a time.
//
// Each test performs the operation that must fail and checks, in this order:
// the IolifeError's code, its full message (which names the handle and the
// reason), and that the state afterwards is exactly the state before — every
// table's list()/count/stats() and offsets, core.descriptions, and that no
// onRelease fired. Refusals change nothing; the one documented exception,
// scope-has-borrows, is checked for exactly what it does change.
//
// Handle values are derived from the layout (assembly/layout.ts): a fresh
// generational table issues 1, 2, 3, … (slot index + 1, generation 0); a
// slot's next occupant gets generation + 1, i.e. (gen << 20) | (index + 1).
// Handles print in decimal at generation 0, else as 8 hex digits.

import { afterAll, describe, expect, test } from "vitest";
import {
  DEFAULT_CAPACITY, ERROR_CODES, HandleTable, IolifeError, MAX_CAPACITY, MAX_SCOPE_DEPTH,
  type ErrorCode, type Kind, type Numbering, type TableOptions,
} from "../../host/core/index.js";

/** The handle of slot `index` at generation `gen` (assembly/layout.ts). */
const H = (index: number, gen = 0): number => ((gen << 20) | (index + 1)) >>> 0;

const seen = new Set<ErrorCode>();

/** A table in a fresh core, with every onRelease call recorded. */
class World {
  readonly released: unknown[] = [];
  readonly tables: HandleTable[] = [];
  t!: HandleTable;

  static async create(options: Omit<TableOptions, "onRelease"> = {}): Promise<World> {
    const w = new World();
    w.t = await HandleTable.create({ ...options, onRelease: (r) => w.released.push(r) });
    w.tables.push(w.t);
    return w;
  }

  /** Another table in the same core (an empty fork), watched by refuses(). */
  empty(): HandleTable {
    const fresh = this.t.fork();
    for (const h of fresh.handles()) if (fresh.info(h).state === "owned") fresh.close(h);
    this.tables.push(fresh);
    return fresh;
  }

  /** Adds tables whose state refuses() must also find unchanged. */
  watch(...tables: HandleTable[]): void {
    this.tables.push(...tables);
  }

  snapshot(): unknown {
    return {
      descriptions: this.t.core.descriptions,
      released: [...this.released],
      tables: this.tables.map((t) => {
        try {
          return {
            list: t.list(),
            count: t.count,
            stats: t.stats(),
            offsets: t.handles().map((h) => {
              try { return t.offset(h); } catch (e) { return (e as IolifeError).code; }
            }),
          };
        } catch (e) {
          return { gone: (e as IolifeError).code };
        }
      }),
    };
  }

  /** Runs `op`, which must throw IolifeError `code` with `message` and change nothing. */
  refuses(code: ErrorCode, message: string, op: () => unknown): IolifeError {
    const before = this.snapshot();
    const err = thrown(op);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(this.snapshot()).toEqual(before);
    return err;
  }
}

/** The IolifeError `op` throws (fails the test if it returns or throws anything else). */
function thrown(op: () => unknown): IolifeError {
  let caught: unknown = undefined;
  let returned = false;
  try {
    op();
    returned = true;
  } catch (e) {
    caught = e;
  }
  expect(returned, "the operation must be refused").toBe(false);
  expect(caught).toBeInstanceOf(IolifeError);
  const err = caught as IolifeError;
  seen.add(err.code);
  return err;
}

const file = (t: HandleTable, extra: Partial<Parameters<HandleTable["insert"]>[0]> = {}) =>
  t.insert({ kind: "file", resource: { name: "file" }, ...extra });

/** Every operation that takes a handle, as [name in messages, call]. */
type Op = [string, (t: HandleTable, h: number, other: HandleTable) => unknown];
const HANDLE_OPS: Op[] = [
  ["close", (t, h) => t.close(h)],
  ["dup", (t, h) => t.dup(h)],
  ["borrow", (t, h) => t.borrowHandle(h)],
  ["release", (t, h) => t.release(h)],
  ["transfer", (t, h, o) => t.transfer(h, o)],
  ["renumber", (t, h) => t.renumber(h, 1)],
  ["narrow", (t, h) => t.narrow(h, [])],
  ["check", (t, h) => t.check(h)],
  ["set-cloexec", (t, h) => t.setCloexec(h, true)],
  ["get-flags", (t, h) => t.flags(h)],
  ["set-flags", (t, h) => t.setFlags(h, ["append"])],
  ["get-offset", (t, h) => t.offset(h)],
  ["set-offset", (t, h) => t.setOffset(h, 5)],
  ["register", (t, h) => t.register(h, 1, 0, ["readable"])],
  ["reregister", (t, h) => t.reregister(h, 1, 0, ["readable"])],
  ["deregister", (t, h) => t.deregister(h, 1)],
  ["info", (t, h) => t.info(h)],
];
// release/close report double-close rather than closed for a closed handle.
const USE_OPS = HANDLE_OPS.filter(([name]) => name !== "close" && name !== "release");

/** A table whose handle 1 is a live poller (the target HANDLE_OPS register with). */
async function withPoller(options: Omit<TableOptions, "onRelease"> = {}) {
  const w = await World.create(options);
  const p = w.t.insert({ kind: "poller", resource: { name: "poller" } });
  expect(p).toBe(1);
  return { w, t: w.t, p };
}

afterAll(() => {
  // Only meaningful when the whole file ran; a filtered run skips the check.
  if (seen.size > 1) expect([...seen].sort()).toEqual([...ERROR_CODES].sort());
});

describe("unknown-handle", () => {
  test("check(): refuses 0, the 'none' niche, when handle 1 is live", async () => {
    const w = await World.create();
    expect(file(w.t)).toBe(1);
    const err = w.refuses("unknown-handle", "check: 0 is the 'none' niche, never a handle", () => w.t.check(0));
    expect(err.handle).toBe(0);
    expect(err.operation).toBe("check");
  });

  test("check(): refuses 0xFFFFFFFF, the invalid sentinel, also when spelled -1", async () => {
    const w = await World.create();
    file(w.t);
    for (const raw of [0xffff_ffff, -1]) {
      const err = w.refuses("unknown-handle", "check: 0xffffffff is the invalid sentinel, never a handle", () => w.t.check(raw));
      expect(err.handle).toBe(0xffff_ffff);
    }
  });

  test("close(): refuses values with bit 31 set even when their low bits name live handle 1", async () => {
    const w = await World.create();
    expect(file(w.t)).toBe(1);
    for (const raw of [0x8000_0001, 0x8000_0000, 0x8010_0001, 0xfff0_0001]) {
      const err = w.refuses("unknown-handle", `close: handle 0x${raw.toString(16)} was never issued by this table`, () => w.t.close(raw));
      expect(err.handle).toBe(raw);
    }
    expect(w.t.handles()).toEqual([1]);
  });

  test("dup(): refuses a handle beyond the high-water mark, a zero slot field, and a slot beyond capacity", async () => {
    const w = await World.create({ capacity: 4 });
    file(w.t);
    file(w.t);
    w.refuses("unknown-handle", "dup: handle 3 was never issued by this table", () => w.t.dup(H(2)));
    w.refuses("unknown-handle", "dup: handle 0x00100000 was never issued by this table", () => w.t.dup(0x0010_0000));
    w.refuses("unknown-handle", `dup: handle ${MAX_CAPACITY} was never issued by this table`, () => w.t.dup(H(MAX_CAPACITY - 1)));
  });

  test("borrow(): refuses a handle with a generation in a lowest-free table (it only issues generation 0)", async () => {
    const w = await World.create({ numbering: "lowest" });
    expect(file(w.t)).toBe(1);
    w.refuses("unknown-handle", "borrow: handle 0x00100001 was never issued by this table", () => w.t.borrowHandle(H(0, 1)));
  });

  test("check() / close() / borrow(): refuse JS numbers that Wasm would wrap onto a live handle", async () => {
    const w = await World.create();
    expect(file(w.t)).toBe(1);
    for (const raw of [2 ** 32 + 1, 2 ** 33 + 1, 1.5, -(2 ** 32) + 1, Number.NaN]) {
      w.refuses("unknown-handle", `check: ${String(raw)} is not a handle (a 32-bit integer)`, () => w.t.check(raw));
      w.refuses("unknown-handle", `close: ${String(raw)} is not a handle (a 32-bit integer)`, () => w.t.close(raw));
      w.refuses("unknown-handle", `borrow: ${String(raw)} is not a handle (a 32-bit integer)`, () => w.t.borrowHandle(raw));
    }
    expect(w.t.handles()).toEqual([1]);
    expect(w.t.info(1).lends).toBe(0);
  });

  test("register(): refuses an unknown poller, naming the poller", async () => {
    const w = await World.create();
    const f = file(w.t);
    const err = w.refuses("unknown-handle", "register: handle 5 was never issued by this table", () => w.t.register(f, 5, 1, ["readable"]));
    expect(err.handle).toBe(5);
  });

  test("insert(): refuses an unknown parent and creates no description", async () => {
    const w = await World.create();
    file(w.t);
    w.refuses("unknown-handle", "insert: handle 9 was never issued by this table",
      () => w.t.insert({ kind: "stream", parent: 9, resource: "orphan" }));
  });
});

describe("stale-handle", () => {
  test("check(): refuses handle 1 once slot 0 was reused, naming the slot and its generation", async () => {
    const w = await World.create();
    const a = file(w.t);
    w.t.close(a);
    expect(file(w.t)).toBe(H(0, 1));
    w.refuses("stale-handle", "check: handle 1 is stale (slot 0 was reused; it is at generation 1 now)", () => w.t.check(a));
  });

  test("close(): refuses a stale handle rather than closing the slot's new occupant (ABA)", async () => {
    const w = await World.create();
    w.t.close(file(w.t));
    const b = file(w.t);
    expect(b).toBe(0x0010_0001);
    w.t.close(b);
    const c = file(w.t, { resource: "the new occupant" });
    expect(c).toBe(0x0020_0001);
    const releasedBefore = w.released.length;
    w.refuses("stale-handle", "close: handle 0x00100001 is stale (slot 0 was reused; it is at generation 2 now)", () => w.t.close(b));
    expect(w.t.check(c)).toBe("the new occupant");
    expect(w.released.length).toBe(releasedBefore);
  });

  test.each(HANDLE_OPS)("%s(): refuses a stale handle", async (name, op) => {
    const { w, t } = await withPoller();
    const other = w.empty();
    const a = file(t);
    expect(a).toBe(2);
    t.close(a);
    expect(file(t)).toBe(H(1, 1));
    w.refuses("stale-handle", `${name}: handle 2 is stale (slot 1 was reused; it is at generation 1 now)`, () => op(t, a, other));
  });
});

describe("closed", () => {
  test("check(): refuses a closed handle whose slot is not reused yet (use after close)", async () => {
    const w = await World.create();
    const a = file(w.t);
    file(w.t);
    w.t.close(a);
    const err = w.refuses("closed", "check: handle 1 was closed: use after close", () => w.t.check(a));
    expect(err.handle).toBe(1);
  });

  test.each(USE_OPS)("%s(): refuses a closed handle", async (name, op) => {
    const { w, t } = await withPoller();
    const other = w.empty();
    const a = file(t);
    t.close(a);
    w.refuses("closed", `${name}: handle 2 was closed: use after close`, () => op(t, a, other));
  });

  test("check(): refuses a released borrow, saying it was released", async () => {
    const w = await World.create();
    const f = file(w.t);
    const b = w.t.borrowHandle(f);
    expect(b).toBe(2);
    w.t.release(b);
    w.refuses("closed", "check: handle 2 was released: use after close", () => w.t.check(b));
  });

  test("check(): refuses a handle transferred away, saying so", async () => {
    const w = await World.create();
    const u = w.empty();
    const a = file(w.t);
    expect(w.t.transfer(a, u)).toBe(1);
    w.refuses("closed", "check: handle 1 was transferred to another table: use after close", () => w.t.check(a));
  });

  test("check(): refuses the source of a renumber, saying so", async () => {
    const w = await World.create();
    const a = file(w.t);
    const b = file(w.t);
    w.t.renumber(a, b);
    w.refuses("closed", "check: handle 1 was renumbered onto another handle: use after close", () => w.t.check(a));
  });

  test("check(): refuses, in a fork, the handle of a borrow (borrows are not inherited)", async () => {
    const w = await World.create();
    const f = file(w.t);
    const b = w.t.borrowHandle(f);
    const child = w.t.fork();
    w.watch(child);
    w.refuses("closed", "check: handle 2 was a borrow, and borrows are not inherited by fork: use after close", () => child.check(b));
  });
});

describe("double-close", () => {
  test("close(): refuses to close handle 1 twice; onRelease ran once", async () => {
    const w = await World.create();
    const a = file(w.t, { resource: "A" });
    w.t.close(a);
    expect(w.released).toEqual(["A"]);
    w.refuses("double-close", "close: handle 1 was already closed", () => w.t.close(a));
    expect(w.released).toEqual(["A"]);
  });

  test("release(): refuses to release a borrow twice", async () => {
    const w = await World.create();
    const f = file(w.t);
    const b = w.t.borrowHandle(f);
    w.t.release(b);
    w.refuses("double-close", "release: handle 2 was already released", () => w.t.release(b));
    expect(w.t.info(f).lends).toBe(0);
  });

  test("close(): refuses to close a handle already transferred away", async () => {
    const w = await World.create();
    const u = w.empty();
    const a = file(w.t);
    w.t.transfer(a, u);
    w.refuses("double-close", "close: handle 1 was already transferred to another table", () => w.t.close(a));
  });
});

describe("wrong-kind", () => {
  test("check(): refuses a directory operation on a socket", async () => {
    const w = await World.create();
    const s = w.t.insert({ kind: "socket" });
    w.refuses("wrong-kind", "check: handle 1 is of kind socket; check accepts only directory", () => w.t.check(s, 0, ["directory"]));
  });

  test("check(): accepts any listed kind and refuses a handle of none of them", async () => {
    const w = await World.create();
    const f = file(w.t, { resource: "F" });
    expect(w.t.check(f, 0, ["directory", "file"])).toBe("F");
    w.refuses("wrong-kind", "check: handle 1 is of kind file; check accepts only pipe or socket", () => w.t.check(f, 0, ["pipe", "socket"]));
  });

  test("register(): refuses a non-poller as the poller", async () => {
    const w = await World.create();
    const f = file(w.t);
    const g = file(w.t);
    w.refuses("wrong-kind", "register: handle 1 is of kind file, not a poller", () => w.t.register(g, f, 7, ["readable"]));
  });

  test("reregister()/deregister(): refuse a non-poller as the poller", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    const g = file(t);
    t.register(f, p, 7, ["readable"]);
    w.refuses("wrong-kind", "reregister: handle 3 is of kind file, not a poller", () => t.reregister(f, g, 8, ["writable"]));
    w.refuses("wrong-kind", "deregister: handle 3 is of kind file, not a poller", () => t.deregister(f, g));
  });
});

describe("lent", () => {
  test("close(): refuses handle 1 while it is lent to 2 borrows", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.borrowHandle(f);
    w.t.borrowHandle(f);
    const err = w.refuses("lent", "close: cannot close handle 1 while it is lent to 2 borrows", () => w.t.close(f));
    expect(err.handle).toBe(1);
  });

  test("close(): refuses handle 1 while it is lent exclusively", async () => {
    const w = await World.create();
    const f = file(w.t);
    expect(w.t.borrowHandle(f, { exclusive: true })).toBe(2);
    w.refuses("lent", "close: cannot close handle 1 while it is lent exclusively to borrow 2", () => w.t.close(f));
  });

  test("transfer(): refuses a lent handle and leaves the target table alone", async () => {
    const w = await World.create();
    const u = w.empty();
    const f = file(w.t);
    w.t.borrowHandle(f);
    w.refuses("lent", "transfer: cannot transfer handle 1 while it is lent to 1 borrow", () => w.t.transfer(f, u));
  });

  test("renumber(): refuses when the source or the target is lent", async () => {
    const w = await World.create();
    const a = file(w.t);
    const b = file(w.t);
    w.t.borrowHandle(a);
    w.refuses("lent", "renumber: cannot renumber handle 1 while it is lent to 1 borrow", () => w.t.renumber(a, b));
    w.refuses("lent", "renumber: cannot renumber handle 1 while it is lent to 1 borrow", () => w.t.renumber(b, a));
  });

  test("borrow(): refuses an exclusive borrow of a handle lent to a shared borrow", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.borrowHandle(f);
    w.refuses("lent", "borrow: cannot borrow handle 1 while it is lent to 1 borrow", () => w.t.borrowHandle(f, { exclusive: true }));
  });

  test("borrow(): refuses any borrow of a handle lent exclusively", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.borrowHandle(f, { exclusive: true });
    const msg = "borrow: cannot borrow handle 1 while it is lent exclusively to borrow 2";
    w.refuses("lent", msg, () => w.t.borrowHandle(f));
    w.refuses("lent", msg, () => w.t.borrowHandle(f, { exclusive: true }));
  });

  const USES: Op[] = [
    ["check", (t, h) => t.check(h)],
    ["get-flags", (t, h) => t.flags(h)],
    ["set-flags", (t, h) => t.setFlags(h, ["append"])],
    ["get-offset", (t, h) => t.offset(h)],
    ["set-offset", (t, h) => t.setOffset(h, 1)],
    ["narrow", (t, h) => t.narrow(h, ["read"])],
    ["dup", (t, h) => t.dup(h)],
    ["set-cloexec", (t, h) => t.setCloexec(h, true)],
    ["register", (t, h) => t.register(h, 1, 0, ["readable"])],
  ];
  test.each(USES)("%s(): refuses to use an owner lent exclusively", async (name, op) => {
    const { w, t } = await withPoller();
    const f = file(t);
    expect(t.borrowHandle(f, { exclusive: true })).toBe(3);
    w.refuses("lent", `${name}: cannot ${name} handle 2 while it is lent exclusively to borrow 3`, () => op(t, f, t));
  });

  test("release(): refuses a borrow that still has reborrows (shared, then exclusive)", async () => {
    const w = await World.create();
    const f = file(w.t);
    const b = w.t.borrowHandle(f);
    w.t.borrowHandle(b);
    w.refuses("lent", "release: cannot release handle 2 while it is lent to 1 borrow", () => w.t.release(b));
    const g = file(w.t);
    const x = w.t.borrowHandle(g, { exclusive: true });
    const x2 = w.t.borrowHandle(x, { exclusive: true });
    w.refuses("lent", `release: cannot release handle ${x} while it is lent exclusively to borrow ${x2}`, () => w.t.release(x));
  });

  test("insert(): refuses a parent lent exclusively", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.borrowHandle(f, { exclusive: true });
    w.refuses("lent", "insert: cannot make a child of handle 1 while it is lent exclusively to borrow 2",
      () => w.t.insert({ kind: "stream", parent: f }));
  });
});

describe("not-owner", () => {
  test("transfer(): refuses to give ownership away from a borrow", async () => {
    const w = await World.create();
    const u = w.empty();
    const f = file(w.t);
    const b = w.t.borrowHandle(f);
    const err = w.refuses("not-owner", "transfer: handle 2 is a borrow; only its owner can transfer it", () => w.t.transfer(b, u));
    expect(err.handle).toBe(b);
  });

  test("dup(): refuses to mint an owner from a borrow", async () => {
    const w = await World.create();
    const b = w.t.borrowHandle(file(w.t));
    w.refuses("not-owner", "dup: handle 2 is a borrow; only its owner can dup it", () => w.t.dup(b));
  });

  test("close(): refuses to close a borrow (it must be released)", async () => {
    const w = await World.create();
    const b = w.t.borrowHandle(file(w.t), { exclusive: true });
    w.refuses("not-owner", "close: handle 2 is a borrow; only its owner can close it", () => w.t.close(b));
  });

  test("renumber(): refuses a borrow as source or target", async () => {
    const w = await World.create();
    const a = file(w.t);
    const b = w.t.borrowHandle(file(w.t));
    expect(b).toBe(3);
    w.refuses("not-owner", "renumber: handle 3 is a borrow; only its owner can renumber it", () => w.t.renumber(b, a));
    w.refuses("not-owner", "renumber: handle 3 is a borrow; only its owner can renumber it", () => w.t.renumber(a, b));
  });

  test("borrow(): refuses an exclusive borrow from a shared borrow", async () => {
    const w = await World.create();
    const b = w.t.borrowHandle(file(w.t));
    w.refuses("not-owner", "borrow: handle 2 is a shared borrow; only an owner or an exclusive borrow can lend exclusively",
      () => w.t.borrowHandle(b, { exclusive: true }));
  });

  test("setCloexec(): refuses a borrow (CLOEXEC belongs to an owner's handle)", async () => {
    const w = await World.create();
    const b = w.t.borrowHandle(file(w.t));
    w.refuses("not-owner", "set-cloexec: handle 2 is a borrow; only its owner can set-cloexec it", () => w.t.setCloexec(b, true));
  });

  test("insert(): refuses a borrow as parent", async () => {
    const w = await World.create();
    const b = w.t.borrowHandle(file(w.t));
    w.refuses("not-owner", "insert: handle 2 is a borrow; only an owner can be a parent", () => w.t.insert({ kind: "stream", parent: b }));
  });

  test("register(): refuses a borrow of a poller as the poller", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    const bp = t.borrowHandle(p);
    expect(bp).toBe(3);
    w.refuses("not-owner", "register: handle 3 is a borrow; only an owner can be a poller", () => t.register(f, bp, 0, ["readable"]));
  });
});

describe("not-borrow", () => {
  test("release(): refuses to release an owner", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.refuses("not-borrow", "release: handle 1 is an owner, not a borrow: close it rather than release it", () => w.t.release(f));
  });
});

describe("scope-ended", () => {
  /** f = 1 and borrow 2 of it, revoked when its scope ended. */
  async function revoked() {
    const w = await World.create();
    const f = file(w.t);
    const s = w.t.beginScope();
    const b = w.t.borrowHandle(f, { scope: s });
    expect(b).toBe(2);
    expect(thrown(() => w.t.endScope(s)).code).toBe("scope-has-borrows");
    return { w, f, b };
  }

  test("check(): refuses a borrow used after its scope ended", async () => {
    const { w, b } = await revoked();
    const err = w.refuses("scope-ended", "check: borrow 2 was used after its scope ended", () => w.t.check(b));
    expect(err.handle).toBe(2);
  });

  test.each([
    ["release", (t: HandleTable, b: number) => t.release(b)],
    ["borrow", (t: HandleTable, b: number) => t.borrowHandle(b)],
    ["get-offset", (t: HandleTable, b: number) => t.offset(b)],
    ["info", (t: HandleTable, b: number) => t.info(b)],
  ] as const)("%s(): refuses a revoked borrow", async (name, op) => {
    const { w, b } = await revoked();
    w.refuses("scope-ended", `${name}: borrow 2 was used after its scope ended`, () => op(w.t, b));
  });
});

describe("scope-has-borrows", () => {
  test("endScope(): ends the scope, revokes exactly its 2 live borrows, and reports them", async () => {
    const w = await World.create();
    const f = file(w.t, { resource: "F" });
    const g = file(w.t, { resource: "G" });
    const outer = w.t.beginScope();
    const inner = w.t.beginScope();
    expect([outer, inner]).toEqual([1, 2]);
    const kept = w.t.borrowHandle(f, { scope: outer });
    const unscoped = w.t.borrowHandle(f);
    const b1 = w.t.borrowHandle(f, { scope: inner });
    const b2 = w.t.borrowHandle(g, { scope: inner, exclusive: true });
    expect([kept, unscoped, b1, b2]).toEqual([3, 4, 5, 6]);
    const descriptions = w.t.core.descriptions;

    const err = thrown(() => w.t.endScope(inner));
    expect(err.code).toBe("scope-has-borrows");
    expect(err.message).toBe("end-scope: scope 2 ended with 2 live borrows; they have been revoked");

    // Exactly this changed: the scope is gone, its borrows are revoked and their lends returned.
    expect(w.t.stats().scopeDepth).toBe(1);
    expect(w.t.handles()).toEqual([f, g, kept, unscoped]);
    expect(w.t.count).toBe(4);
    expect(w.t.info(f).lends).toBe(2);
    expect(w.t.info(g).exclusiveBorrow).toBe(0);
    expect(w.t.check(g)).toBe("G");
    expect(thrown(() => w.t.check(b1)).code).toBe("scope-ended");
    expect(thrown(() => w.t.check(b2)).code).toBe("scope-ended");
    // Nothing else: the outer scope and its borrow live on, no description was released.
    expect(w.t.info(kept).scope).toBe(outer);
    w.t.release(kept);
    w.t.endScope(outer);
    expect(w.t.core.descriptions).toBe(descriptions);
    expect(w.released).toEqual([]);
  });

  test("Scope[Symbol.dispose](): a `using` block that leaves a borrow live throws at its end, and the borrow is revoked", async () => {
    const w = await World.create();
    const f = file(w.t);
    let b = 0;
    const err = thrown(() => {
      using s = w.t.scope();
      b = s.borrow(f);
    });
    expect(err.code).toBe("scope-has-borrows");
    expect(err.message).toBe("end-scope: scope 1 ended with 1 live borrow; they have been revoked");
    expect(w.t.stats().scopeDepth).toBe(0);
    expect(w.t.info(f).lends).toBe(0);
    expect(thrown(() => w.t.check(b)).code).toBe("scope-ended");
  });
});

describe("scope-invalid", () => {
  test("endScope(): refuses to end a scope that is not the innermost", async () => {
    const w = await World.create();
    const f = file(w.t);
    const outer = w.t.beginScope();
    const inner = w.t.beginScope();
    w.t.borrowHandle(f, { scope: inner });
    const err = w.refuses("scope-invalid", "end-scope: scope 1 is not the innermost live scope", () => w.t.endScope(outer));
    expect(err.handle).toBe(0);
    expect(w.t.stats().scopeDepth).toBe(2);
  });

  test("endScope(): refuses a scope that already ended, and any scope when none is open", async () => {
    const w = await World.create();
    file(w.t);
    w.refuses("scope-invalid", "end-scope: scope 5 is not the innermost live scope", () => w.t.endScope(5));
    const s = w.t.beginScope();
    w.t.endScope(s);
    w.refuses("scope-invalid", "end-scope: scope 1 is not the innermost live scope", () => w.t.endScope(s));
    const s2 = w.t.beginScope();
    expect(s2).toBe(2);
    w.refuses("scope-invalid", "end-scope: scope 1 is not the innermost live scope", () => w.t.endScope(s));
  });

  test("borrow(): refuses a scope that is not live", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.refuses("scope-invalid", "borrow: scope 7 is not a live scope (borrow of handle 1)", () => w.t.borrowHandle(f, { scope: 7 }));
  });

  test("borrow(): refuses a reborrow into an outer scope (it would outlive its lender's scope)", async () => {
    const w = await World.create();
    const f = file(w.t);
    const outer = w.t.beginScope();
    const inner = w.t.beginScope();
    const b = w.t.borrowHandle(f, { scope: inner });
    expect(b).toBe(2);
    w.refuses("scope-invalid", "borrow: a borrow of handle 2 in that scope would outlive its lender's scope",
      () => w.t.borrowHandle(b, { scope: outer }));
  });

  test("borrow(): refuses an unscoped reborrow of a scoped borrow", async () => {
    const w = await World.create();
    const f = file(w.t);
    const s = w.t.beginScope();
    const b = w.t.borrowHandle(f, { scope: s });
    w.refuses("scope-invalid", "borrow: a borrow of handle 2 in that scope would outlive its lender's scope",
      () => w.t.borrowHandle(b));
  });
});

describe("rights", () => {
  test("check(): refuses a handle that lacks a right, naming the missing rights", async () => {
    const w = await World.create();
    const f = file(w.t, { rights: ["read"] });
    const err = w.refuses("rights", "check: handle 1 lacks the right write for check", () => w.t.check(f, ["write"]));
    expect(err.handle).toBe(1);
    w.refuses("rights", "check: handle 1 lacks the rights seek, write for check", () => w.t.check(f, ["read", "write", "seek"]));
  });

  test.each([
    ["set-flags", "set-flags", (t: HandleTable, h: number) => t.setFlags(h, ["nonblock"])],
    ["get-offset", "tell", (t: HandleTable, h: number) => t.offset(h)],
    ["set-offset", "seek", (t: HandleTable, h: number) => t.setOffset(h, 9)],
    ["register", "poll", (t: HandleTable, h: number) => t.register(h, 1, 0, ["readable"])],
  ] as const)("%s(): refuses a handle without the %s right", async (name, right, op) => {
    const { w, t } = await withPoller();
    const f = file(t, { rights: ["read", "write"] });
    w.refuses("rights", `${name}: handle 2 lacks the right ${right} for ${name}`, () => op(t, f));
  });

  test("borrow(): refuses to widen the lender's rights", async () => {
    const w = await World.create();
    const f = file(w.t, { rights: ["read"] });
    w.refuses("rights", "borrow: cannot widen the rights of handle 1 (would add write)",
      () => w.t.borrowHandle(f, { rights: ["read", "write"] }));
  });

  test("borrow(): refuses to reborrow wider than a narrowed borrow", async () => {
    const w = await World.create();
    const f = file(w.t);
    const b = w.t.borrowHandle(f, { rights: ["read"] });
    w.refuses("rights", "borrow: cannot widen the rights of handle 2 (would add write)", () => w.t.borrowHandle(b, { rights: ["write"] }));
  });

  test("dup(): refuses to widen rights", async () => {
    const w = await World.create();
    const f = file(w.t, { rights: ["read", "seek"] });
    w.refuses("rights", "dup: cannot widen the rights of handle 1 (would add sync, write)",
      () => w.t.dup(f, { rights: ["read", "write", "sync"] }));
  });

  test("narrow(): refuses to widen rights (rights only shrink)", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.narrow(f, ["read"]);
    w.refuses("rights", "narrow: cannot widen the rights of handle 1 (would add write)", () => w.t.narrow(f, ["read", "write"]));
  });
});

describe("has-children", () => {
  test("close(): refuses a parent with 2 live children", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.insert({ kind: "stream", parent: f });
    w.t.insert({ kind: "stream", parent: f });
    const err = w.refuses("has-children", "close: cannot close handle 1: it has 2 live children", () => w.t.close(f));
    expect(err.handle).toBe(1);
  });

  test("transfer(): refuses a parent", async () => {
    const w = await World.create();
    const u = w.empty();
    const f = file(w.t);
    w.t.insert({ kind: "stream", parent: f });
    w.refuses("has-children", "transfer: cannot transfer handle 1: it has 1 live child or poll registration", () => w.t.transfer(f, u));
  });

  test("renumber(): refuses a parent as source or target", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.t.insert({ kind: "stream", parent: f });
    const g = file(w.t);
    w.refuses("has-children", "renumber: cannot renumber handle 1: it has 1 live child or poll registration", () => w.t.renumber(f, g));
    w.refuses("has-children", "renumber: cannot renumber handle 1: it has 1 live child or poll registration", () => w.t.renumber(g, f));
  });

  test("transfer(): refuses a poller with live registrations (they cannot follow it)", async () => {
    const { w, t, p } = await withPoller();
    const u = w.empty();
    const f = file(t);
    t.register(f, p, 1, ["readable"]);
    w.refuses("has-children", "transfer: cannot transfer handle 1: it has 1 live child or poll registration", () => t.transfer(p, u));
  });

  test("renumber(): refuses to move a poller with live registrations", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    const g = file(t);
    t.register(f, p, 1, ["readable"]);
    t.register(g, p, 2, ["writable"]);
    const h = file(t);
    w.refuses("has-children", "renumber: cannot renumber handle 1: it has 2 live children or poll registrations", () => t.renumber(p, h));
  });
});

describe("has-parent", () => {
  test("transfer(): refuses to move a child away from its parent", async () => {
    const w = await World.create();
    const u = w.empty();
    const f = file(w.t);
    const s = w.t.insert({ kind: "stream", parent: f });
    const err = w.refuses("has-parent", "transfer: cannot transfer handle 2: it is a child of handle 1", () => w.t.transfer(s, u));
    expect(err.handle).toBe(2);
  });
});

describe("already-registered", () => {
  test("register(): refuses a second poller", async () => {
    const { w, t, p } = await withPoller();
    const q = t.insert({ kind: "poller" });
    const f = file(t);
    t.register(f, p, 1, ["readable"]);
    const err = w.refuses("already-registered", "register: handle 3 is already registered with poller 1",
      () => t.register(f, q, 2, ["writable"]));
    expect(err.handle).toBe(3);
  });

  test("register(): refuses registering twice with the same poller", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    t.register(f, p, 1, ["readable"]);
    w.refuses("already-registered", "register: handle 2 is already registered with poller 1", () => t.register(f, p, 1, ["readable"]));
  });
});

describe("not-registered", () => {
  test("deregister()/reregister(): refuse a handle that is not registered", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    w.refuses("not-registered", "deregister: handle 2 is not registered with any poller", () => t.deregister(f, p));
    w.refuses("not-registered", "reregister: handle 2 is not registered with any poller", () => t.reregister(f, p, 1, ["readable"]));
  });

  test("deregister(): refuses a second deregistration", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    t.register(f, p, 1, ["readable"]);
    t.deregister(f, p);
    w.refuses("not-registered", "deregister: handle 2 is not registered with any poller", () => t.deregister(f, p));
  });
});

describe("wrong-poller", () => {
  test("deregister()/reregister(): refuse a poller other than the registration's", async () => {
    const { w, t, p } = await withPoller();
    const q = t.insert({ kind: "poller" });
    const f = file(t);
    t.register(f, p, 1, ["readable"]);
    const err = w.refuses("wrong-poller", "deregister: handle 3 is registered with poller 1, not 2", () => t.deregister(f, q));
    expect(err.handle).toBe(3);
    w.refuses("wrong-poller", "reregister: handle 3 is registered with poller 1, not 2", () => t.reregister(f, q, 5, ["writable"]));
    expect(t.info(f)).toMatchObject({ poller: p, token: 1, interest: 1 });
  });
});

describe("full", () => {
  test("insert()/dup()/borrow(): refuse in a table of capacity 3 with 3 live entries", async () => {
    const w = await World.create({ capacity: 3 });
    const f = file(w.t);
    w.t.dup(f);
    w.t.borrowHandle(f);
    const msg = (op: string) => `${op}: table full: all 3 slots are in use`;
    w.refuses("full", msg("insert"), () => file(w.t, { resource: "no room" }));
    w.refuses("full", msg("dup"), () => w.t.dup(f));
    w.refuses("full", msg("borrow"), () => w.t.borrowHandle(f));
  });

  test("insert(): the default capacity is 1024", async () => {
    const w = await World.create();
    expect(w.t.stats().capacity).toBe(DEFAULT_CAPACITY);
    expect(DEFAULT_CAPACITY).toBe(1024);
    for (let i = 1; i <= 1024; i++) expect(file(w.t)).toBe(i);
    w.refuses("full", "insert: table full: all 1024 slots are in use", () => file(w.t));
  });

  test("transfer(): refuses when the target table is full, and the handle stays", async () => {
    const w = await World.create({ capacity: 2 });
    const u = w.empty();
    file(u);
    file(u);
    const a = file(w.t);
    w.refuses("full", "transfer: table full: all 2 slots are in use", () => w.t.transfer(a, u));
  });

  test("beginScope(): refuses the 257th nested scope", async () => {
    const w = await World.create();
    file(w.t);
    for (let i = 0; i < MAX_SCOPE_DEPTH; i++) w.t.beginScope();
    expect(w.t.stats().scopeDepth).toBe(256);
    w.refuses("full", "begin-scope: too many nested scopes (at most 256)", () => w.t.beginScope());
  });
});

describe("invalid-argument", () => {
  async function created(options: TableOptions): Promise<IolifeError> {
    let caught: unknown;
    try {
      await HandleTable.create(options);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IolifeError);
    seen.add((caught as IolifeError).code);
    return caught as IolifeError;
  }

  test("create(): refuses capacity 0, 2^20, 2^32 - 1 and 2^32 + 1 (which Wasm would wrap to 1)", async () => {
    for (const capacity of [0, MAX_CAPACITY + 1, 2 ** 32 - 1, 2 ** 32 + 1]) {
      const err = await created({ capacity });
      expect(err.code).toBe("invalid-argument");
      expect(err.message).toBe(`create: capacity ${capacity} is outside 1..${MAX_CAPACITY}`);
    }
  });

  test("create(): refuses an unknown numbering policy", async () => {
    const err = await created({ numbering: "fifo" as Numbering });
    expect(err.code).toBe("invalid-argument");
    expect(err.message).toBe("create: unknown numbering policy 255");
  });

  test("insert(): refuses an unknown kind name or role and keeps nothing", async () => {
    const w = await World.create();
    file(w.t);
    w.refuses("invalid-argument", "insert: unknown kind (0)", () => w.t.insert({ kind: "nope" as Kind, resource: "lost" }));
    w.refuses("invalid-argument", "insert: unknown role (255)", () => w.t.insert({ kind: "file", role: "boss" as "stdin" }));
    w.refuses("invalid-argument", "insert: rights, flags or host id out of range",
      () => w.t.insert({ kind: "file", rights: ["read", "fly" as "read"] }));
  });

  test("register()/reregister(): refuse an empty interest or unknown interest bits", async () => {
    const { w, t, p } = await withPoller();
    const f = file(t);
    w.refuses("invalid-argument", "register: empty interest for handle 2", () => t.register(f, p, 1, []));
    w.refuses("invalid-argument", "register: unknown interest bits 0x8 for handle 2", () => t.register(f, p, 1, 0b1001));
    t.register(f, p, 1, ["readable"]);
    w.refuses("invalid-argument", "reregister: empty interest for handle 2", () => t.reregister(f, p, 1, []));
  });

  test("register(): refuses to register a poller with itself", async () => {
    const { w, t, p } = await withPoller();
    w.refuses("invalid-argument", "register: poller 1 cannot be registered with itself", () => t.register(p, p, 1, ["readable"]));
  });

  test("setFlags()/setOffset(): refuse unknown description flags and a negative offset", async () => {
    const w = await World.create();
    const f = file(w.t);
    w.refuses("invalid-argument", "set-flags: unknown description flags 0x20 for handle 1", () => w.t.setFlags(f, 0x21));
    w.refuses("invalid-argument", "set-offset: negative offset for handle 1", () => w.t.setOffset(f, -1));
    // An i64 would wrap 2^64 + 5 to 5: refused before it reaches the core.
    w.refuses("invalid-argument", `set-offset: offset ${2n ** 64n + 5n} is outside 0..2^63 - 1`, () => w.t.setOffset(f, 2n ** 64n + 5n));
    expect(w.t.offset(f)).toBe(0n);
  });
});

describe("table-closed", () => {
  /** Table t (dropped) holding handle 1 = file, whose description a fork u keeps alive. */
  async function dropped() {
    const w = await World.create();
    const f = file(w.t);
    const u = w.t.fork();
    w.t.drop();
    w.tables.length = 0;
    w.watch(u);
    expect(w.released).toEqual([]);
    return { w, t: w.t, u, f };
  }

  const TABLE_OPS: [string, (t: HandleTable, h: number, u: HandleTable) => unknown][] = [
    ["insert", (t) => file(t)],
    ...HANDLE_OPS,
    ["begin-scope", (t) => t.beginScope()],
    ["end-scope", (t) => t.endScope(1)],
    ["handles", (t) => t.handles()],
    ["count", (t) => t.count],
    ["stats", (t) => t.stats()],
    ["share", (t) => t.share()],
    ["fork", (t) => t.fork()],
    ["exec", (t) => t.exec()],
    ["drop", (t) => t.drop()],
  ];
  test.each(TABLE_OPS)("%s(): refuses a dropped table", async (name, op) => {
    const { w, t, u, f } = await dropped();
    w.refuses("table-closed", `${name}: table ${t.id} is closed (its last sharer let it go)`, () => op(t, f, u));
  });

  test("transfer(): refuses a dropped target table and the handle stays where it was", async () => {
    const w = await World.create();
    const gone = w.t.fork();
    gone.drop();
    const f = file(w.t);
    w.refuses("table-closed", `transfer: table ${gone.id} is closed (its last sharer let it go)`, () => w.t.transfer(f, gone));
  });

  test("insert(): refuses a dropped table's id after its registry slot was reused", async () => {
    const w = await World.create();
    file(w.t);
    const gone = w.t.fork();
    gone.drop();
    const reused = w.t.fork();
    w.watch(reused);
    expect(reused.id & 0xffff).toBe(gone.id & 0xffff);
    expect(reused.id).not.toBe(gone.id);
    w.refuses("table-closed", `insert: table ${gone.id} is closed (its last sharer let it go)`, () => file(gone));
  });
});
