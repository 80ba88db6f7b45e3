// Sharers (threads, CLONE_FILES): each share() is a capability of its own.
// Dropping retires that id only; the table closes with its last sharer.
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

describe("share() / drop()", () => {
  test("share(): gives each sharer its own id on the same table", async () => {
    const a = await HandleTable.create();
    const fd = a.insert({ kind: "file", resource: "f" });
    const b = a.share();
    expect(b.id).not.toBe(a.id);
    expect(b.check(fd)).toBe("f");
    const g = b.insert({ kind: "file", resource: "g" });
    expect(a.handles()).toEqual([fd, g]);
    expect(a.stats().sharers).toBe(2);
  });

  test("drop(): a sharer that let go can neither use the table nor drop it again under the others", async () => {
    const released: unknown[] = [];
    const a = await HandleTable.create({ onRelease: (r) => released.push(r) });
    const fd = a.insert({ kind: "file", resource: "f" });
    const b = a.share();
    b.drop();
    refuses("table-closed", () => b.check(fd));
    refuses("table-closed", () => b.drop());
    expect(a.check(fd)).toBe("f");
    expect(a.stats().sharers).toBe(1);
    expect(released).toEqual([]);
    a.drop();
    expect(released).toEqual(["f"]);
    refuses("table-closed", () => a.count);
  });
});

describe("register(): a poller lent exclusively", () => {
  test("register() / reregister() / deregister(): refuse a poller that is lent exclusively, changing nothing", async () => {
    const t = await HandleTable.create();
    const poller = t.insert({ kind: "poller" });
    const a = t.insert({ kind: "socket" });
    const b = t.insert({ kind: "socket" });
    t.register(a, poller, 1, ["readable"]);
    const ex = t.borrowHandle(poller, { exclusive: true });
    refuses("lent", () => t.register(b, poller, 2, ["readable"]));
    refuses("lent", () => t.reregister(a, poller, 3, ["writable"]));
    refuses("lent", () => t.deregister(a, poller));
    expect(t.info(a).token).toBe(1);
    expect(t.info(b).poller).toBe(0);
    t.release(ex);
    t.register(b, poller, 2, ["readable"]);
    expect(t.info(poller).registrations).toBe(2);
  });
});
