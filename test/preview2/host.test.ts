/**
 * The preview2 host's resource rules, called from JS the way jco's glue
 * calls it (methods on the resource objects, [Symbol.dispose] for drops),
 * on the simulated OS. Runs in Node and Chromium.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext, ResourceTrap, type MemoryContext } from "./memory.js";
import { thrown } from "./guest.js";

let ctx: MemoryContext;
type Io = MemoryContext["interfaces"];
let fs: Io["filesystem"];
let io: Io["io"];
let cli: Io["cli"];
let clocks: Io["clocks"];

beforeEach(() => {
  ctx = createContext({ preopens: { "/": { "hello.txt": "hello", "sub/x": "x" } }, stdin: "line\n", seed: 1 });
  ({ filesystem: fs, io, cli, clocks } = ctx.interfaces);
});
afterEach(() => ctx.dispose());

const drop = (r: { [Symbol.dispose](): void }) => r[Symbol.dispose]();
const RW = { read: true, write: true };

function root() {
  const [[d, path]] = fs.preopens.getDirectories() as [[InstanceType<typeof fs.types.Descriptor>, string]];
  expect(path).toBe("/");
  return d;
}

/** The error-code a call throws as a value (jco lowers it into the result's err). */
function errCode(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof Error) throw e;
    return e;
  }
  return "ok";
}

describe("ownership: drops", () => {
  it("[Symbol.dispose](): a double drop traps with double-close, naming the resource", () => {
    const d = root();
    drop(d);
    const e = thrown(() => drop(d));
    expect(e).toBeInstanceOf(ResourceTrap);
    expect(e.code).toBe("double-close");
    expect(e.message).toMatch(/^wasi:filesystem\/types descriptor drop: close: handle \d+ was already closed \(double drop\)$/);
  });

  it("[Symbol.dispose](): a descriptor with a live stream is refused (has-children), and drops once the stream is gone", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const s = f.readViaStream(0n);
    const p = s.subscribe();
    const e = thrown(() => drop(f));
    expect(e.code).toBe("has-children");
    expect(e.message).toMatch(/drop input-stream \d+ first/);
    expect(thrown(() => drop(s)).message).toMatch(/drop pollable \d+ first/);
    drop(p);
    drop(s);
    drop(f);
    drop(d);
  });

  it("a refused drop changes nothing: the parent and the child still work", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const s = f.readViaStream(0n);
    thrown(() => drop(f));
    expect(new TextDecoder().decode(s.blockingRead(100n))).toBe("hello");
    expect(f.stat().size).toBe(5n);
    drop(s);
    drop(f);
  });

  it("a method on a dropped resource traps with use after close", () => {
    const d = root();
    drop(d);
    const e = thrown(() => d.stat());
    expect(e).toBeInstanceOf(ResourceTrap);
    expect(e.code).toBe("closed");
    expect(e.message).toMatch(/^wasi:filesystem\/types descriptor\.stat: use: handle \d+ was closed: use after close/);
  });

  it("a stale handle (its slot reused by a newer resource) is told apart from the new one", () => {
    const d = root();
    drop(d);
    const again = root();
    const e = thrown(() => d.stat());
    expect(e.code).toBe("stale-handle");
    expect(again.stat().type).toBe("directory");
    drop(again);
  });

  it("get-directories hands out a new descriptor each call: dropping one leaves the other usable", () => {
    const a = root();
    const b = root();
    expect(a).not.toBe(b);
    drop(a);
    expect(b.stat().type).toBe("directory");
    drop(b);
    expect(root().getType()).toBe("directory");
  });

  it("get-stdout hands out a new stream each call", () => {
    const a = cli.stdout.getStdout();
    const b = cli.stdout.getStdout();
    expect(a).not.toBe(b);
    drop(a);
    b.blockingWriteAndFlush(new TextEncoder().encode("still open"));
    drop(b);
    expect(ctx.stdout()).toBe("still open");
  });

  it("dispose(): closes every OS handle, and the resources trap afterwards", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const os = (ctx.table.info((f as unknown as { _h: number })._h).resource as { os: { open: boolean } }).os;
    expect(os.open).toBe(true);
    ctx.dispose();
    expect(os.open).toBe(false);
    expect(thrown(() => f.stat()).code).toBe("table-closed");
  });
});

describe("ownership: borrows", () => {
  it("lend(): the borrowed view works during the call, traps after it", () => {
    const d = root();
    let kept: typeof d | undefined;
    const type = ctx.lend(d, (b) => {
      kept = b;
      return b.getType();
    });
    expect(type).toBe("directory");
    const e = thrown(() => kept!.stat());
    expect(e).toBeInstanceOf(ResourceTrap);
    expect(e.message).toMatch(/was released: use after close; \d+ cannot be used any more \(a borrow is valid only during the call that lent it\)/);
    expect(d.getType()).toBe("directory");
  });

  it("lend(): the lender cannot be dropped while lent", () => {
    const d = root();
    ctx.lend(d, () => {
      const e = thrown(() => drop(d));
      expect(e.code).toBe("lent");
      expect(e.message).toMatch(/while it is lent to 1 borrow/);
    });
    drop(d);
  });

  it("lend(): a stream opened through the borrowed view is a child of the lender and outlives the call", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const s = ctx.lend(f, (b) => b.readViaStream(0n));
    expect(new TextDecoder().decode(s.blockingRead(5n))).toBe("hello");
    expect(thrown(() => drop(f)).code).toBe("has-children");
    drop(s);
    drop(f);
  });

  it("lend(): the view cannot be dropped (only the owner can)", () => {
    const d = root();
    ctx.lend(d, (b) => expect(thrown(() => drop(b)).code).toBe("not-owner"));
  });
});

describe("descriptor rights (descriptor-flags)", () => {
  it("read-only files refuse writes (bad-descriptor); write-only files refuse reads", () => {
    const d = root();
    const ro = d.openAt({}, "hello.txt", {}, { read: true });
    expect(errCode(() => ro.write(new Uint8Array(1), 0n))).toBe("bad-descriptor");
    expect(errCode(() => ro.writeViaStream(0n))).toBe("bad-descriptor");
    expect(errCode(() => ro.setSize(0n))).toBe("not-permitted");
    const wo = d.openAt({}, "hello.txt", {}, { write: true });
    expect(errCode(() => wo.read(1n, 0n))).toBe("bad-descriptor");
    expect(wo.getFlags()).toMatchObject({ read: false, write: true });
  });

  it("a directory opened without mutate-directory cannot create, remove, rename, or hand mutate-directory down", () => {
    const d = root();
    const sub = d.openAt({}, "sub", { directory: true }, { read: true });
    expect(errCode(() => sub.createDirectoryAt("n"))).toBe("not-permitted");
    expect(errCode(() => sub.unlinkFileAt("x"))).toBe("not-permitted");
    expect(errCode(() => sub.openAt({}, "y", { create: true }, RW))).toBe("not-permitted");
    expect(errCode(() => sub.openAt({}, ".", { directory: true }, { read: true, mutateDirectory: true }))).toBe("not-permitted");
    expect(errCode(() => sub.renameAt("x", d, "moved"))).toBe("not-permitted");
    expect(sub.getFlags().mutateDirectory).toBe(false);
    expect(d.getFlags()).toMatchObject({ read: true, mutateDirectory: true });
  });

  it("a directory operation on a file is not-directory; a file operation on a directory is bad-descriptor", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, RW);
    expect(errCode(() => f.openAt({}, "x", {}, {}))).toBe("not-directory");
    expect(errCode(() => f.readDirectory())).toBe("not-directory");
    expect(errCode(() => d.readViaStream(0n))).toBe("bad-descriptor");
    expect(errCode(() => d.read(1n, 0n))).toBe("bad-descriptor");
  });
});

describe("streams and poll", () => {
  it("input-stream.read: bytes, then closed at end of file", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const s = f.readViaStream(1n);
    expect(new TextDecoder().decode(s.read(100n))).toBe("ello");
    expect(errCode(() => s.read(1n))).toEqual({ tag: "closed" });
    expect(errCode(() => s.read(1n))).toEqual({ tag: "closed" });
  });

  it("output-stream: check-write grants a permit; write beyond it traps; blocking-write-and-flush takes at most 4096 bytes", () => {
    const out = cli.stdout.getStdout();
    expect(out.checkWrite()).toBeGreaterThan(0n);
    out.write(new Uint8Array(10));
    expect(thrown(() => out.write(new Uint8Array(1 << 21))).code).toBe("permit");
    expect(thrown(() => out.blockingWriteAndFlush(new Uint8Array(4097))).message).toMatch(/4097 bytes exceed the 4096/);
    out.blockingWriteAndFlush(new Uint8Array(4096));
  });

  it("stdin: reads what the config gave, then closed", () => {
    const s = cli.stdin.getStdin();
    expect(new TextDecoder().decode(s.blockingRead(100n))).toBe("line\n");
    expect(errCode(() => s.blockingRead(1n))).toEqual({ tag: "closed" });
  });

  it("poll: returns the ready ones; a timer on the virtual clock fires without waiting in real time", () => {
    const far = clocks.monotonicClock.subscribeDuration(3_600_000_000_000n);
    const near = clocks.monotonicClock.subscribeDuration(1_000_000n);
    const t0 = clocks.monotonicClock.now();
    expect(Array.from(io.poll.poll([far, near]))).toEqual([1]);
    expect(clocks.monotonicClock.now() - t0).toBeGreaterThanOrEqual(1_000_000n);
    far.block();
    expect(far.ready()).toBe(true);
  });

  it("poll: an empty list traps; a dropped pollable traps", () => {
    expect(thrown(() => io.poll.poll([])).message).toMatch(/empty poll list/);
    const p = clocks.monotonicClock.subscribeDuration(0n);
    drop(p);
    expect(thrown(() => io.poll.poll([p])).code).toBe("closed");
  });

  it("a stream error carries an io error whose filesystem-error-code is the cause", () => {
    const d = root();
    const f = d.openAt({}, "hello.txt", {}, { read: true });
    const s = f.readViaStream(0n);
    ctx.system.faults.fail("pread", 29 /* io */);
    const e = errCode(() => s.read(10n)) as { tag: string; val: InstanceType<typeof io.error.Error> };
    expect(e.tag).toBe("last-operation-failed");
    expect(fs.types.filesystemErrorCode(e.val)).toBe("io");
    expect(e.val.toDebugString()).toMatch(/input-stream.read: io/);
    expect(errCode(() => s.read(10n))).toEqual({ tag: "closed" });
    drop(e.val);
  });
});

describe("cli, clocks, random", () => {
  it("default-deny: a context from {} has no preopens, no environment, no arguments", () => {
    const bare = createContext({});
    expect(bare.interfaces.filesystem.preopens.getDirectories()).toEqual([]);
    expect(bare.interfaces.cli.environment.getEnvironment()).toEqual([]);
    expect(bare.interfaces.cli.environment.getArguments()).toEqual([]);
    expect(bare.interfaces.cli.environment.initialCwd()).toBeUndefined();
    expect(bare.interfaces.cli.terminalStdout.getTerminalStdout()).toBeUndefined();
    bare.dispose();
  });

  it("exit: unwinds with ProcExit (0 for ok, 1 for err, or the code)", () => {
    expect(thrown(() => cli.exit.exit({ tag: "err" }))).toMatchObject({ name: "ProcExit", code: 1 });
    expect(thrown(() => cli.exit.exitWithCode(3))).toMatchObject({ code: 3 });
  });

  it("random: seeded contexts give the same bytes", () => {
    const a = createContext({ seed: 42 });
    const b = createContext({ seed: 42 });
    expect(a.interfaces.random.random.getRandomBytes(16n)).toEqual(b.interfaces.random.random.getRandomBytes(16n));
    expect(a.interfaces.random.insecureSeed.insecureSeed()).toEqual(b.interfaces.random.insecureSeed.insecureSeed());
    a.dispose();
    b.dispose();
  });

  it("wall-clock: one reading split into seconds and nanoseconds", () => {
    const c = createContext({ epochNs: 1_700_000_000_123_456_789n, tickNs: 0n });
    expect(c.interfaces.clocks.wallClock.now()).toEqual({ seconds: 1_700_000_000n, nanoseconds: 123_456_789 });
    c.dispose();
  });
});
