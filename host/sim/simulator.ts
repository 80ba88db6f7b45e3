/**
 * Deterministic simulation of process histories on one ownership core and
 * one simulated OS (host/os/memory).
 *
 * "Processes" are handle tables of ONE core: fork is table.fork(), a thread
 * is table.share(), exec is table.exec(), exit is table.drop(). Their
 * handles stand for memory-OS objects (files, pipe ends, loopback sockets
 * and listeners) or for the host's own objects (pollers, streams that are
 * children of a descriptor). A seeded generator drives them through opens,
 * pipes between processes, reads and writes, dup/renumber/transfer/close,
 * borrows in scopes and their releases, poll registrations and polls, with
 * faults injected through the memory OS (EMFILE on open/connect/accept,
 * ENOSPC/EIO/EINTR on writes, EIO/EINTR on reads and close, short reads and
 * writes) and a small table capacity (the core's "full", which a host
 * reports as EMFILE).
 *
 * The simulator plays the host: before each OS call it asks the core
 * (check with rights and kinds), it inserts what the OS opened and closes
 * the OS object itself if the core refuses it, and its onRelease closes the
 * OS object of a description whose last owner closed.
 *
 * Beside the real core and OS it keeps a shadow (shadow.ts, world.ts) and,
 * after every step, checks:
 *  (a) the core's live descriptions are the shadow's;
 *  (b) onRelease ran exactly once per description, in the step and in the
 *      order the shadow says its last owner closed;
 *  (c) every live handle of every live table matches the shadow (info():
 *      state, kind, rights, resource, description refs, lender, lends,
 *      exclusive borrow, parent, children, poller, token, interest,
 *      registrations, scope) as do count, high-water mark, sharers, scope
 *      depth; every handle the core issues has the value the shadow
 *      predicts (free-list or lowest-free numbering);
 *  (d) handles issued earlier and no longer live are refused (closed,
 *      stale, unknown, scope-ended) unless their number was legitimately
 *      reused;
 *  (e) every byte written into a pipe or a connection is read exactly
 *      once and in order, or dropped because its reader closed; reads,
 *      writes and polls answer what the shadow OS predicts;
 *  (f) a memory-OS object is open exactly while its description lives;
 *      at the end, after every process exits: no description, no open
 *      object, every stream's bytes accounted for.
 *
 * Each step adds one line to the trace; the trace hash lets Node and a
 * browser compare whole histories. No Node import: this runs in browsers.
 */
import {
  HandleTable, IolifeError, RIGHTS, RIGHTS_ALL, coreModule, formatHandle, kindMaskOf,
  type Core, type Kind, type Numbering,
} from "../core/index.js";
import { createMemoryOs, type MemHandle, type MemoryOs } from "../os/memory/index.js";
import { Errno, errnoName, OpenFlags, Whence, type Os } from "../os/types.js";
import { Rng } from "./rng.js";
import { INHERIT, ShadowTable, type Desc, type Entry, type Outcome, handleOf } from "./shadow.js";
import { reproCommand, Trace } from "./trace.js";
import { World, type Count, type Res } from "./world.js";

/**
 * Host bugs the simulator can be told to commit, to show that its checks
 * catch them (test/sim/sim.test.ts).
 * - forget-release: onRelease does not close the OS object;
 * - leak-refused-insert: the OS object is not closed when the core refuses to insert it;
 * - close-on-every-close: the OS object is closed when any of its handles closes.
 */
export type Sabotage = "forget-release" | "leak-refused-insert" | "close-on-every-close";

export interface SimOptions {
  seed: number;
  /** Steps of the history before every process exits (default 200). */
  steps?: number;
  /** The core module (default: the bundled one). */
  module?: WebAssembly.Module;
  /** Keep every trace line in the result (otherwise only the last ones, for a failure). */
  keepTrace?: boolean;
  /** Called with each trace line as it is made. */
  onLine?: (line: string) => void;
  sabotage?: Sabotage;
}

export interface SimFailureReport {
  /** The step that failed (steps past the history's are the exits at the end). */
  step: number;
  message: string;
  /** The one-line command that replays it. */
  command: string;
  /** The last trace lines, the failing one last. */
  tail: string[];
}

export interface SimResult {
  seed: number;
  steps: number;
  /** FNV-1a of the trace (8 hex digits). */
  hash: string;
  lines: number;
  trace: string[] | null;
  failure: SimFailureReport | null;
  stats: SimStats;
}

export interface SimStats {
  /** Operations run, by name. */
  ops: Record<string, number>;
  /** Core refusals seen (each predicted by the shadow). */
  refusals: number;
  /** Faults injected into the memory OS. */
  faults: number;
  /** Descriptions released. */
  released: number;
  /** Bytes that went through pipes and connections. */
  streamed: number;
  /** Most processes alive at once. */
  maxProcs: number;
}

/** Runs one history: the same seed and steps give the same trace on every engine. */
export async function simulate(options: SimOptions): Promise<SimResult> {
  const module = options.module ?? (await coreModule());
  const sim = new Simulator(options);
  const table = await HandleTable.create({
    module,
    capacity: sim.config.capacity,
    numbering: sim.config.numbering,
    neverReuse: sim.config.neverReuse,
    onRelease: (resource) => sim.onRelease(resource as Res),
  });
  return sim.run(table);
}

class SimFailure extends Error {}

interface Proc {
  readonly pid: number;
  readonly table: HandleTable;
  readonly st: ShadowTable;
  alive: boolean;
}

const MAX_PROCS = 6;
const FILE_NAMES = ["a", "b", "c", "d"];
const WRITE_KINDS: Kind[] = ["file", "pipe", "socket", "listener"];
const READ_KINDS: Kind[] = ["file", "pipe", "socket", "directory"];
const STREAM_PARENTS: Kind[] = ["file", "pipe", "socket"];
const W = RIGHTS.write;
const R = RIGHTS.read;
const POLL = RIGHTS.poll;
/** Narrowed rights a dup or borrow asks for. */
const NARROWED = [RIGHTS_ALL & ~W, RIGHTS_ALL & ~R, RIGHTS_ALL & ~POLL, R | POLL, W | POLL, R | W];

class Simulator {
  readonly config: { numbering: Numbering; capacity: number; neverReuse: boolean };
  private readonly seed: number;
  private readonly steps: number;
  private readonly rng: Rng;
  private readonly trace: Trace;
  private readonly sabotage: Sabotage | undefined;
  private readonly mos: MemoryOs;
  private readonly os: Os<MemHandle>;
  private readonly world: World;
  private core!: Core;
  private readonly procs: Proc[] = [];
  private nextPid = 1;
  /** Every resource made, by id. */
  private readonly res: Res[] = [];
  /** The description each inserted resource got. */
  private readonly descOf = new Map<Res, Desc>();
  /** Live descriptions, as the shadow sees them. */
  private readonly live = new Set<Desc>();
  /** What onRelease received since the last core call was settled. */
  private releasedNow: Res[] = [];
  private callbackErrors: string[] = [];
  /** Handles issued by (or inherited into) each table, for picking dead ones. */
  private readonly issued = new Map<ShadowTable, number[]>();
  private parts: string[] = [];
  private step = 0;
  private readonly stats: SimStats = { ops: {}, refusals: 0, faults: 0, released: 0, streamed: 0, maxProcs: 1 };

  constructor(options: SimOptions) {
    this.seed = options.seed;
    this.steps = options.steps ?? 200;
    this.sabotage = options.sabotage;
    this.rng = new Rng(options.seed);
    this.trace = new Trace(options.keepTrace === true, 40, options.onLine);
    // The configuration comes first from the dice, so it does not depend on the number of steps.
    const neverReuse = this.rng.chance(10);
    this.config = {
      numbering: this.rng.chance(30) ? "lowest" : "generational",
      capacity: neverReuse ? this.rng.range(64, 400) : this.rng.chance(25) ? 1024 : this.rng.range(6, 40),
      neverReuse,
    };
    const pipeCapacity = this.rng.pick([512, 8192]);
    const socketBuffer = this.rng.pick([256, 2048]);
    const maxBytes = this.rng.range(2000, 20000);
    this.mos = createMemoryOs({ seed: options.seed, epochNs: 0n, pipeCapacity, socketBuffer, maxBytes, backlog: 4 });
    this.os = this.mos.os;
    this.world = new World(pipeCapacity, socketBuffer, maxBytes, 4);
    this.trace.add(`seed ${this.seed} steps ${this.steps} numbering ${this.config.numbering} capacity ${this.config.capacity}` +
      `${neverReuse ? " never-reuse" : ""} pipe ${pipeCapacity} socket ${socketBuffer} quota ${maxBytes}`);
  }

  // ---- the run ------------------------------------------------------------------

  run(table: HandleTable): SimResult {
    this.core = table.core;
    const st = new ShadowTable(table.id, this.config.numbering, this.config.capacity, this.config.neverReuse);
    this.issued.set(st, []);
    const init: Proc = { pid: this.nextPid++, table, st, alive: true };
    this.procs.push(init);
    let failure: SimFailureReport | null = null;
    try {
      this.step = 0;
      this.parts = [];
      this.say("p1 init");
      const dir = this.newRes("directory", this.mos.root(), true, false, {});
      this.insert(init, dir, "directory", RIGHTS_ALL, false, 0);
      this.endStep();
      for (this.step = 1; this.step <= this.steps; this.step++) {
        this.parts = [];
        this.oneStep();
        this.endStep();
      }
      this.finish();
    } catch (e) {
      if (!(e instanceof SimFailure)) throw e;
      // The step's line is already in the trace when the checks after it failed.
      this.parts.push(`!! ${e.message}`);
      this.trace.add(`${this.step} ${this.parts.join(" ")}`);
      failure = {
        step: this.step,
        message: e.message,
        command: reproCommand(this.seed, Math.min(this.step, this.steps)),
        tail: this.trace.last(),
      };
    }
    this.stats.faults = this.mos.faults.injected;
    return {
      seed: this.seed, steps: this.steps, hash: this.trace.hash, lines: this.trace.lines,
      trace: this.trace.all, failure, stats: this.stats,
    };
  }

  private endStep(): void {
    this.trace.add(`${this.step} ${this.parts.join(" ")}`);
    this.parts = [];
    this.verify();
  }

  /** Every process exits, in an order the dice choose; then nothing may be left. */
  private finish(): void {
    this.step = this.steps;
    for (;;) {
      const alive = this.procs.filter((p) => p.alive);
      if (alive.length === 0) break;
      this.step++;
      this.parts = [];
      this.exit(this.rng.pick(alive), true);
      this.endStep();
    }
    this.step++;
    this.parts = ["end"];
    const left = this.core.descriptions;
    if (left !== 0 || this.live.size !== 0) this.fail(`${left} descriptions left after every process exited (shadow: ${this.live.size})`);
    for (const r of this.res) {
      if (r.mem?.open) this.fail(`resource #${r.id} (${r.kind}): its memory-OS object is still open`);
      const inserted = this.descOf.has(r);
      if (r.released !== (inserted ? 1 : 0)) this.fail(`resource #${r.id} (${r.kind}) was released ${r.released} times`);
    }
    let streamed = 0;
    for (const s of this.world.streams()) {
      if (s.written !== s.read + s.discarded) this.fail(`stream ${s.id}: ${s.written} bytes written, ${s.read} read, ${s.discarded} discarded`);
      streamed += s.read;
    }
    this.stats.streamed = streamed;
    this.say(`descriptions 0, objects closed, ${streamed} bytes streamed`);
    this.trace.add(`${this.step} ${this.parts.join(" ")}`);
  }

  private oneStep(): void {
    const ops: [string, number, (p: Proc) => void][] = [
      ["open", 7, (p) => this.open(p)],
      ["pipe", 4, (p) => this.pipe(p)],
      ["spawn", 3, (p) => this.spawn(p)],
      ["listen", 1, (p) => this.listen(p)],
      ["connect", 3, (p) => this.connect(p)],
      ["accept", 3, (p) => this.accept(p)],
      ["write", 18, (p) => this.write(p)],
      ["read", 18, (p) => this.read(p)],
      ["rewind", 2, (p) => this.rewind(p)],
      ["dup", 7, (p) => this.dup(p)],
      ["renumber", 3, (p) => this.renumber(p)],
      ["transfer", 3, (p) => this.transfer(p)],
      ["close", 10, (p) => this.close(p)],
      ["borrow", 7, (p) => this.borrow(p)],
      ["lend", 4, (p) => this.lend(p)],
      ["release", 6, (p) => this.release(p)],
      ["scope-begin", 3, (p) => this.scopeBegin(p)],
      ["scope-end", 3, (p) => this.scopeEnd(p)],
      ["poller", 2, (p) => this.poller(p)],
      ["register", 6, (p) => this.register(p)],
      ["reregister", 2, (p) => this.reregister(p)],
      ["deregister", 2, (p) => this.deregister(p)],
      ["poll", 4, (p) => this.poll(p)],
      ["stream", 2, (p) => this.stream(p)],
      ["cloexec", 2, (p) => this.cloexec(p)],
      ["fork", 3, (p) => this.fork(p)],
      ["thread", 2, (p) => this.thread(p)],
      ["exec", 2, (p) => this.exec(p)],
      ["exit", 3, (p) => this.exit(p, false)],
      ["stale", 2, (p) => this.stale(p)],
      ["zombie", 1, (p) => this.zombie(p)],
    ];
    const [name, , run] = ops[this.rng.weighted(ops.map((o) => o[1]))]!;
    const p = this.rng.pick(this.procs.filter((x) => x.alive));
    this.stats.ops[name] = (this.stats.ops[name] ?? 0) + 1;
    this.say(`p${p.pid} ${name}`);
    run(p);
  }

  // ---- plumbing ---------------------------------------------------------------------

  private say(piece: string): void {
    this.parts.push(piece);
  }

  private fail(message: string): never {
    throw new SimFailure(message);
  }

  onRelease(r: Res): void {
    r.released++;
    if (r.released > 1) this.callbackErrors.push(`onRelease ran ${r.released} times for resource #${r.id} (${r.kind})`);
    this.releasedNow.push(r);
    if (r.mem !== null && this.sabotage !== "forget-release") {
      const e = this.os.close(r.mem);
      if (e !== Errno.success) this.say(`(close #${r.id}: ${errnoName(e)})`);
    }
  }

  private newRes(kind: Kind, mem: MemHandle | null, readable: boolean, writable: boolean, what: Partial<Res>): Res {
    const r: Res = {
      id: this.res.length, kind, mem, readable, writable, released: 0, pos: 0, append: false, osClosed: false, ...what,
    };
    this.res.push(r);
    return r;
  }

  /**
   * Runs a core operation whose outcome the shadow predicted (and already
   * applied): the error codes must agree, and onRelease must have run for
   * exactly the predicted descriptions, in order. Returns the value, or
   * null when refused.
   */
  private expectCore(what: string, predicted: Outcome<unknown>, run: () => unknown): { value: unknown } | null {
    let code: string | null = null;
    let value: unknown;
    try {
      value = run();
    } catch (e) {
      if (!(e instanceof IolifeError)) this.fail(`${what}: threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      code = e.code;
    }
    const expected = predicted.code ?? null;
    if (code !== expected) this.fail(`${what}: the core answered ${code ?? "ok"}, the shadow expected ${expected ?? "ok"}`);
    this.settle(what, predicted.code === undefined ? predicted.released : []);
    if (code !== null) {
      this.stats.refusals++;
      this.say(`-> ${code}`);
      return null;
    }
    return { value };
  }

  /** Checks what onRelease received against the shadow's releases, and applies them to the shadow OS. */
  private settle(what: string, released: readonly Desc[]): void {
    const got = this.releasedNow;
    this.releasedNow = [];
    if (this.callbackErrors.length) this.fail(this.callbackErrors.join("; "));
    const ids = (rs: readonly { id: number }[]) => `[${rs.map((r) => `#${r.id}`).join(" ")}]`;
    const want = released.map((d) => d.res as Res);
    if (got.length !== want.length || got.some((r, i) => r !== want[i])) {
      this.fail(`${what}: onRelease ran for ${ids(got)}, the shadow released ${ids(want)}`);
    }
    for (const d of released) {
      this.live.delete(d);
      this.world.closed(d.res as Res);
    }
    this.stats.released += released.length;
    if (want.length) this.say(`released ${ids(want)}`);
  }

  /** A new handle from the core must be the one the shadow predicted. */
  private sameHandle(what: string, got: unknown, want: number): number {
    if (got !== want) this.fail(`${what}: the core issued ${fmt(got as number)}, the shadow predicted ${fmt(want)}`);
    return want;
  }

  private remember(st: ShadowTable, h: number): void {
    const list = this.issued.get(st)!;
    list.push(h);
    if (list.length > 96) list.shift();
  }

  /** Inserts `r`; when refused, the host closes the OS object (unless told to forget). */
  private insert(p: Proc, r: Res, kind: Kind, rights: number, cloexec: boolean, parent: number): number | null {
    const predicted = p.st.insert(kind, rights, cloexec, parent, r);
    this.say(`insert ${kind} #${r.id}${cloexec ? " cloexec" : ""}${parent ? ` parent ${fmt(parent)}` : ""}`);
    const got = this.expectCore(`insert ${kind}`, predicted, () =>
      p.table.insert({ kind, rights, cloexec, resource: r, parent: parent || undefined }));
    if (got === null) {
      if (predicted.code === "full") this.say("(EMFILE)");
      if (this.sabotage !== "leak-refused-insert") this.hostClose(r);
      return null;
    }
    const h = this.sameHandle("insert", got.value, (predicted as { value: number }).value);
    const d = p.st.entry(h)!.desc;
    this.descOf.set(r, d);
    this.live.add(d);
    this.remember(p.st, h);
    this.say(`= ${fmt(h)}`);
    return h;
  }

  /** The host closes an OS object the core never took. */
  private hostClose(r: Res): void {
    if (r.mem === null) return;
    const e = this.os.close(r.mem);
    if (e !== Errno.success) this.fail(`close of #${r.id} (never inserted): ${errnoName(e)}`);
    this.world.closed(r);
  }

  /** The check a host makes before each OS call: the resource behind `h`, or null when refused. */
  private hostCheck(p: Proc, h: number, rights: number, kinds: Kind[]): Res | null {
    const predicted = p.st.check(h, rights, kinds);
    const got = this.expectCore(`check ${fmt(h)}`, predicted, () => p.table.check(h, rights, kinds.length ? kindMaskOf(kinds) : undefined));
    if (got === null) return null;
    const want = (predicted as { value: Desc }).value.res as Res;
    if (got.value !== want) this.fail(`check ${fmt(h)}: the core gave resource #${(got.value as Res)?.id}, the shadow expected #${want.id}`);
    return want;
  }

  /**
   * A handle to operate on: mostly a live one that `want` likes, sometimes
   * any live one, one that is no longer live, or a number that never was.
   */
  private pick(p: Proc, want: (e: Entry) => boolean): number {
    const st = p.st;
    const roll = this.rng.int(100);
    if (roll < 82) {
      const c = st.handles().filter((h) => want(st.entry(h)!));
      if (c.length) return this.rng.pick(c);
    }
    if (roll < 92) {
      const all = st.handles();
      if (all.length) return this.rng.pick(all);
    }
    if (roll < 98) {
      const dead = this.issued.get(st)!.filter((h) => st.entry(h) === null);
      if (dead.length) return this.rng.pick(dead);
    }
    return this.rng.pick([0, 0xffff_ffff, handleOf(st.slots.length + this.rng.int(3), 0), this.rng.u32() & 0x7fff_ffff]);
  }

  private owner = (e: Entry) => e.state === "owned";

  /** A handle the host can do `right` with on the OS object behind it (not lent exclusively). */
  private usable(kinds: readonly Kind[], right: number, direction: "readable" | "writable") {
    return (e: Entry) => kinds.includes(e.kind) && (e.rights & right) !== 0 && !e.excl && (e.desc.res as Res)[direction];
  }

  private rights(): number {
    return this.rng.chance(80) ? INHERIT : this.rng.pick(NARROWED);
  }

  // ---- operations: OS objects -------------------------------------------------------

  private open(p: Proc): void {
    const h = this.pick(p, (e) => e.kind === "directory");
    this.say(fmt(h));
    const dir = this.hostCheck(p, h, RIGHTS.open, ["directory"]);
    if (dir === null) return;
    const name = this.rng.pick(FILE_NAMES);
    const mode = this.rng.weighted([60, 15, 15, 10]);
    const { READ, WRITE, CREAT, APPEND, TRUNC } = OpenFlags;
    const flags = [READ | WRITE | CREAT, READ, WRITE | CREAT | APPEND, READ | WRITE | CREAT | TRUNC][mode]!;
    const fault = this.rng.chance(8);
    this.say(`${name} ${["rw", "r", "wa", "rwt"][mode]}`);
    let predicted: Errno | null = null;
    let file;
    if (fault) {
      this.mos.faults.fail("openAt", Errno.mfile);
      this.say("[fault mfile]");
      predicted = Errno.mfile;
    } else {
      const f = this.world.open(name, (flags & CREAT) !== 0, (flags & TRUNC) !== 0);
      if (typeof f === "number") predicted = f;
      else file = f;
    }
    const mem = this.os.openAt(dir.mem!, name, false, flags);
    if (typeof mem === "number" || predicted !== null) {
      if (mem !== predicted) this.fail(`openAt ${name}: the OS answered ${errnoOrHandle(mem)}, the shadow expected ${errnoOrHandle(predicted)}`);
      this.say(`-> ${errnoName(predicted!)}`);
      return;
    }
    const readable = (flags & READ) !== 0 || (flags & WRITE) === 0;
    const r = this.newRes("file", mem, readable, (flags & WRITE) !== 0, { file, append: (flags & APPEND) !== 0 });
    this.insert(p, r, "file", RIGHTS_ALL, this.rng.chance(25), 0);
  }

  /** A pipe's two ends in `p`: [read, write] handles, or null (both closed again) when the core refuses. */
  private pipe(p: Proc): [number, number] | null {
    const [rm, wm] = this.mos.pipe();
    const sp = this.world.newPipe();
    const rr = this.newRes("pipe", rm, true, false, { pipe: sp });
    const wr = this.newRes("pipe", wm, false, true, { pipe: sp });
    const hr = this.insert(p, rr, "pipe", this.rng.chance(50) ? RIGHTS_ALL : RIGHTS_ALL & ~W, this.rng.chance(20), 0);
    if (hr === null) {
      if (this.sabotage !== "leak-refused-insert") this.hostClose(wr);
      return null;
    }
    const hw = this.insert(p, wr, "pipe", this.rng.chance(50) ? RIGHTS_ALL : RIGHTS_ALL & ~R, this.rng.chance(20), 0);
    if (hw === null) {
      this.closeHandle(p, hr);
      return null;
    }
    return [hr, hw];
  }

  /** The shell's pipeline: a pipe, a fork, the child keeps the write end and the parent the read end. */
  private spawn(p: Proc): void {
    const ends = this.pipe(p);
    if (ends === null) return;
    const child = this.fork(p);
    if (child === null) return;
    this.say(`; p${child.pid}`);
    this.closeHandle(child, ends[0]);
    this.say(`; p${p.pid}`);
    this.closeHandle(p, ends[1]);
  }

  private listen(p: Proc): void {
    const mem = this.mos.listen("127.0.0.1", 0);
    const port = this.mos.boundPort(mem);
    const r = this.newRes("listener", mem, true, true, { listener: this.world.newListener(port) });
    this.say(`port ${port}`);
    this.insert(p, r, "listener", RIGHTS_ALL, this.rng.chance(20), 0);
  }

  private connect(p: Proc): void {
    const ports = this.world.listeners.map((l) => l.port);
    const port = ports.length ? this.rng.pick(ports) : 49152;
    this.say(`port ${port}`);
    let predicted;
    if (this.rng.chance(5)) {
      this.mos.faults.fail("connect", Errno.mfile);
      this.say("[fault mfile]");
      predicted = Errno.mfile;
    } else {
      predicted = this.world.connect(port);
    }
    const mem = this.mos.connect("127.0.0.1", port);
    if (typeof mem === "number" || typeof predicted === "number") {
      if (mem !== predicted) this.fail(`connect ${port}: the OS answered ${errnoOrHandle(mem)}, the shadow expected ${errnoOrHandle(predicted)}`);
      this.say(`-> ${errnoName(mem as Errno)}`);
      return;
    }
    this.insert(p, this.newRes("socket", mem, true, true, { sock: predicted }), "socket", RIGHTS_ALL, this.rng.chance(20), 0);
  }

  private accept(p: Proc): void {
    const h = this.pick(p, (e) => e.kind === "listener");
    this.say(fmt(h));
    const l = this.hostCheck(p, h, RIGHTS.accept, ["listener"]);
    if (l === null) return;
    let predicted;
    if (this.rng.chance(5)) {
      this.mos.faults.fail("accept", Errno.mfile);
      this.say("[fault mfile]");
      predicted = Errno.mfile;
    } else {
      predicted = this.world.accept(l.listener!);
    }
    const mem = this.os.accept!(l.mem!, true);
    if (typeof mem === "number" || typeof predicted === "number") {
      if (mem !== predicted) this.fail(`accept: the OS answered ${errnoOrHandle(mem)}, the shadow expected ${errnoOrHandle(predicted)}`);
      this.say(`-> ${errnoName(mem as Errno)}`);
      return;
    }
    this.insert(p, this.newRes("socket", mem, true, true, { sock: predicted }), "socket", RIGHTS_ALL, this.rng.chance(20), 0);
  }

  private size(): number {
    return [this.rng.range(1, 64), this.rng.range(65, 1024), this.rng.range(1025, 3000), this.rng.range(4000, 9000)][
      this.rng.weighted([65, 22, 9, 4])
    ]!;
  }

  private write(p: Proc): void {
    const h = this.pick(p, this.usable(STREAM_PARENTS, W, "writable"));
    this.say(fmt(h));
    const r = this.hostCheck(p, h, W, WRITE_KINDS);
    if (r === null) return;
    const n = this.size();
    const bytes = this.world.payload(r, n, (b) => this.rng.fill(b));
    const fault = this.rng.weighted([82, 4, 3, 3, 8]);
    let predicted: Count;
    if (fault === 0 || (fault === 4 && n < 2)) {
      predicted = this.world.write(r, bytes);
    } else if (fault < 4) {
      const errno = [Errno.nospc, Errno.io, Errno.intr][fault - 1]!;
      this.mos.faults.fail("write", errno);
      this.say(`[fault ${errnoName(errno)}]`);
      predicted = -errno;
    } else {
      const max = this.rng.range(1, n - 1);
      this.mos.faults.short("write", max);
      this.say(`[short ${max}]`);
      predicted = this.world.write(r, bytes.subarray(0, max));
    }
    const got = this.os.write(r.mem!, [bytes]);
    this.say(`n=${n} -> ${count(got)}`);
    if (got !== predicted) this.fail(`write ${n} bytes to #${r.id} (${r.kind}): the OS answered ${count(got)}, the shadow expected ${count(predicted)}`);
  }

  private read(p: Proc): void {
    const h = this.pick(p, this.usable(STREAM_PARENTS, R, "readable"));
    this.say(fmt(h));
    const r = this.hostCheck(p, h, R, READ_KINDS);
    if (r === null) return;
    const n = this.rng.chance(70) ? this.rng.range(1, 256) : this.rng.range(257, 9000);
    const fault = this.rng.weighted([84, 4, 4, 8]);
    let predicted: { count: Count; expect: Uint8Array };
    if (fault === 0 || (fault === 3 && n < 2)) {
      predicted = this.world.read(r, n);
    } else if (fault < 3) {
      const errno = [Errno.io, Errno.intr][fault - 1]!;
      this.mos.faults.fail("read", errno);
      this.say(`[fault ${errnoName(errno)}]`);
      predicted = { count: -errno, expect: new Uint8Array(0) };
    } else {
      const max = this.rng.range(1, n - 1);
      this.mos.faults.short("read", max);
      this.say(`[short ${max}]`);
      predicted = this.world.read(r, max);
    }
    const buf = new Uint8Array(n);
    const got = this.os.read(r.mem!, [buf]);
    this.say(`n=${n} -> ${count(got)}`);
    if (got !== predicted.count) {
      this.fail(`read ${n} bytes from #${r.id} (${r.kind}): the OS answered ${count(got)}, the shadow expected ${count(predicted.count)}`);
    }
    for (let i = 0; i < predicted.expect.length; i++) {
      if (buf[i] !== predicted.expect[i]) {
        this.fail(`read from #${r.id} (${r.kind}): byte ${i} of ${got} is ${buf[i]}, expected ${predicted.expect[i]} (a byte lost, duplicated or reordered)`);
      }
    }
  }

  private rewind(p: Proc): void {
    const h = this.pick(p, (e) => e.kind === "file");
    this.say(fmt(h));
    const r = this.hostCheck(p, h, RIGHTS.seek, ["file"]);
    if (r === null) return;
    const got = this.os.seek(r.mem!, 0n, Whence.set);
    if (got !== 0n) this.fail(`seek #${r.id}: the OS answered ${String(got)}`);
    r.pos = 0;
    this.say("-> 0");
  }

  private poll(p: Proc): void {
    const h = this.pickPoller(p);
    this.say(fmt(h));
    if (this.hostCheck(p, h, 0, ["poller"]) === null) return;
    const rs: Res[] = [];
    const writes: boolean[] = [];
    for (const x of p.st.handles()) {
      const e = p.st.entry(x)!;
      const r = e.desc.res as Res;
      if (e.poller !== h || r.mem === null) continue;
      rs.push(r);
      writes.push((e.interest & 3) === 2);
    }
    if (rs.length === 0) {
      this.say("(nothing registered)");
      return;
    }
    let predicted: number[] | Errno;
    if (this.rng.chance(5)) {
      this.mos.faults.fail("poll", Errno.intr);
      this.say("[fault intr]");
      predicted = Errno.intr;
    } else {
      predicted = rs.map((r, i) => this.world.readiness(r, writes[i]!));
    }
    const got = this.os.poll!(rs.map((r) => r.mem!), writes, 0n);
    const show = (x: number[] | Errno) => (typeof x === "number" ? errnoName(x) : x.join(""));
    this.say(`${rs.map((r) => `#${r.id}`).join(",")} -> ${show(got)}`);
    if (show(got) !== show(predicted)) this.fail(`poll: the OS answered ${show(got)}, the shadow expected ${show(predicted)}`);
  }

  // ---- operations: the core ---------------------------------------------------------

  private dup(p: Proc): void {
    const h = this.pick(p, this.owner);
    const rights = this.rights();
    this.say(`${fmt(h)}${rights === INHERIT ? "" : ` rights ${hex(rights)}`}`);
    const predicted = p.st.dup(h, rights);
    const got = this.expectCore("dup", predicted, () => p.table.dup(h, rights === INHERIT ? {} : { rights }));
    if (got === null) return;
    const n = this.sameHandle("dup", got.value, (predicted as { value: number }).value);
    this.remember(p.st, n);
    this.say(`= ${fmt(n)}`);
  }

  private renumber(p: Proc): void {
    const from = this.pick(p, this.owner);
    const to = this.pick(p, this.owner);
    this.say(`${fmt(from)} ${fmt(to)}`);
    this.expectCore("renumber", p.st.renumber(from, to), () => p.table.renumber(from, to));
  }

  private transfer(p: Proc): void {
    const h = this.pick(p, this.owner);
    const q = this.rng.pick(this.procs.filter((x) => x.alive));
    this.say(`${fmt(h)} to p${q.pid}`);
    const predicted = p.st.transfer(h, q.st);
    const got = this.expectCore("transfer", predicted, () => p.table.transfer(h, q.table));
    if (got === null) return;
    const n = this.sameHandle("transfer", got.value, (predicted as { value: number }).value);
    this.remember(q.st, n);
    this.say(`= ${fmt(n)}`);
  }

  private close(p: Proc): void {
    // The directory (the only way to open files) is closed only by mistake.
    this.closeHandle(p, this.pick(p, (e) => e.state === "owned" && e.kind !== "directory" && !e.children));
  }

  private closeHandle(p: Proc, h: number): void {
    this.say(`close ${fmt(h)}`);
    const r = (p.st.entry(h)?.desc.res ?? null) as Res | null;
    const predicted = p.st.close(h);
    this.closeFault(predicted);
    const got = this.expectCore("close", predicted, () => p.table.close(h));
    if (got !== null && this.sabotage === "close-on-every-close" && r?.mem?.open) this.os.close(r.mem);
  }

  /** Sometimes, when the shadow expects a release, the OS's close is made to report EIO (it closes all the same). */
  private closeFault(predicted: Outcome<unknown>): void {
    if (predicted.code !== undefined || !predicted.released.some((d) => (d.res as Res).mem !== null)) return;
    if (!this.rng.chance(10)) return;
    this.mos.faults.fail("close", Errno.io);
    this.say("[fault close io]");
  }

  private borrow(p: Proc): void {
    const h = this.pick(p, () => true);
    const exclusive = this.rng.chance(30);
    const rights = this.rights();
    const scopes = p.st.scopes;
    let scope = 0;
    const roll = this.rng.int(100);
    if (scopes.length && roll < 55) scope = scopes[scopes.length - 1]!.serial;
    else if (scopes.length && roll < 80) scope = 0;
    else if (scopes.length && roll < 95) scope = this.rng.pick(scopes).serial;
    else if (roll >= 85) scope = p.st.serial + 1 + this.rng.int(3);
    this.say(`${fmt(h)}${exclusive ? " exclusive" : ""}${rights === INHERIT ? "" : ` rights ${hex(rights)}`}${scope ? ` scope ${scope}` : ""}`);
    const predicted = p.st.borrow(h, exclusive, rights, scope);
    const got = this.expectCore("borrow", predicted, () =>
      p.table.borrowHandle(h, { exclusive, rights: rights === INHERIT ? undefined : rights, scope: scope || undefined }));
    if (got === null) return;
    const b = this.sameHandle("borrow", got.value, (predicted as { value: number }).value);
    this.remember(p.st, b);
    this.say(`= ${fmt(b)}`);
  }

  /**
   * Lending across processes (a caller lending to a callee): a borrow of a
   * handle of `p` made in another process's table, perhaps in one of its
   * scopes. The callee uses and releases it; the callee's scope end, exec
   * or exit revokes it, as do the lender's exec and exit.
   */
  private lend(p: Proc): void {
    const h = this.pick(p, (e) => !e.excl);
    const others = this.procs.filter((x) => x.alive && x.st !== p.st);
    const q = others.length ? this.rng.pick(others) : p;
    const exclusive = this.rng.chance(25);
    const rights = this.rights();
    const scopes = q.st.scopes;
    const roll = this.rng.int(100);
    const scope = scopes.length && roll < 40 ? scopes[scopes.length - 1]!.serial : scopes.length && roll < 50 ? this.rng.pick(scopes).serial : 0;
    this.say(`${fmt(h)} to p${q.pid}${exclusive ? " exclusive" : ""}${rights === INHERIT ? "" : ` rights ${hex(rights)}`}${scope ? ` scope ${scope}` : ""}`);
    const predicted = p.st.borrow(h, exclusive, rights, scope, q.st);
    const got = this.expectCore("lend", predicted, () =>
      p.table.borrowHandle(h, { exclusive, rights: rights === INHERIT ? undefined : rights, scope: scope || undefined, into: q.table }));
    if (got === null) return;
    const b = this.sameHandle("lend", got.value, (predicted as { value: number }).value);
    this.remember(q.st, b);
    this.say(`= ${fmt(b)}`);
  }

  /** The core's live tables in registry order, one item per table id (see ShadowTable.exec). */
  private registry(dropping?: Proc): ShadowTable[] {
    const ids = new Map<number, ShadowTable>();
    for (const p of this.procs) if (p.alive || p === dropping) ids.set(p.table.id, p.st);
    return [...ids].sort((a, b) => (a[0] & 0xffff) - (b[0] & 0xffff)).map(([, st]) => st);
  }

  private release(p: Proc): void {
    const borrows = (e: Entry) => e.state !== "owned" && !e.lends && !e.excl;
    if (!p.st.handles().some((h) => borrows(p.st.entry(h)!)) && this.rng.chance(70)) {
      this.say("(no borrow: borrow)");
      this.borrow(p);
      return;
    }
    const b = this.pick(p, borrows);
    this.say(fmt(b));
    this.expectCore("release", p.st.release(b), () => p.table.release(b));
  }

  private scopeBegin(p: Proc): void {
    const predicted = p.st.beginScope();
    const got = this.expectCore("scope-begin", predicted, () => p.table.beginScope());
    if (got === null) return;
    if (got.value !== (predicted as { value: number }).value) this.fail(`scope-begin: the core gave scope ${String(got.value)}, the shadow ${(predicted as { value: number }).value}`);
    this.say(`= ${String(got.value)}`);
  }

  private scopeEnd(p: Proc): void {
    const scopes = p.st.scopes;
    const top = scopes[scopes.length - 1];
    if (top === undefined && this.rng.chance(70)) {
      this.say("(no scope: begin)");
      this.scopeBegin(p);
      return;
    }
    const serial = top !== undefined && this.rng.chance(85) ? top.serial : scopes.length && this.rng.chance(50) ? this.rng.pick(scopes).serial : this.rng.range(1, p.st.serial + 2);
    this.say(String(serial));
    this.expectCore("scope-end", p.st.endScope(serial), () => p.table.endScope(serial));
  }

  private poller(p: Proc): void {
    this.insert(p, this.newRes("poller", null, false, false, {}), "poller", RIGHTS_ALL, this.rng.chance(20), 0);
  }

  /** A stream: the host's child object of a descriptor (it cannot close while the stream lives). */
  private stream(p: Proc): void {
    const parent = this.pick(p, (e) => e.state === "owned" && STREAM_PARENTS.includes(e.kind));
    this.insert(p, this.newRes("stream", null, false, false, {}), "stream", RIGHTS_ALL, this.rng.chance(20), parent);
  }

  /** A poller of `p` (an event loop makes one the first time it needs it). */
  private pickPoller(p: Proc): number {
    const isPoller = (e: Entry) => e.kind === "poller" && e.state === "owned";
    if (!p.st.handles().some((h) => isPoller(p.st.entry(h)!)) && this.rng.chance(80)) {
      this.poller(p);
      this.say(";");
    }
    return this.pick(p, isPoller);
  }

  private interest(): number {
    return this.rng.pick([1, 1, 2, 2, 3, 3, 3, 5, 0, 8]);
  }

  private register(p: Proc): void {
    const poller = this.pickPoller(p);
    const h = this.pick(p, (e) => !e.poller && e.kind !== "poller" && e.desc.res !== p.st.entry(poller)?.desc.res);
    const token = this.rng.u32();
    const interest = this.interest();
    this.say(`${fmt(h)} with ${fmt(poller)} interest ${interest}`);
    this.expectCore("register", p.st.register(h, poller, token, interest, POLL), () => p.table.register(h, poller, token, interest));
  }

  private registeredPair(p: Proc): [number, number] | null {
    if (!p.st.handles().some((x) => p.st.entry(x)!.poller !== 0) && this.rng.chance(70)) {
      this.say("(none registered: register)");
      this.register(p);
      return null;
    }
    const h = this.pick(p, (e) => e.poller !== 0);
    const e = p.st.entry(h);
    const poller = e !== null && e.poller && this.rng.chance(85) ? e.poller : this.pickPoller(p);
    return [h, poller];
  }

  private reregister(p: Proc): void {
    const pair = this.registeredPair(p);
    if (pair === null) return;
    const [h, poller] = pair;
    const token = this.rng.u32();
    const interest = this.interest();
    this.say(`${fmt(h)} with ${fmt(poller)} interest ${interest}`);
    this.expectCore("reregister", p.st.reregister(h, poller, token, interest, POLL), () => p.table.reregister(h, poller, token, interest));
  }

  private deregister(p: Proc): void {
    const pair = this.registeredPair(p);
    if (pair === null) return;
    const [h, poller] = pair;
    this.say(`${fmt(h)} from ${fmt(poller)}`);
    this.expectCore("deregister", p.st.deregisterOp(h, poller), () => p.table.deregister(h, poller));
  }

  private cloexec(p: Proc): void {
    const h = this.pick(p, this.owner);
    const on = this.rng.chance(60);
    this.say(`${fmt(h)} ${on ? "on" : "off"}`);
    this.expectCore("set-cloexec", p.st.setCloexec(h, on), () => p.table.setCloexec(h, on));
  }

  // ---- operations: processes --------------------------------------------------------

  private fork(p: Proc): Proc | null {
    if (this.procs.filter((x) => x.alive).length >= MAX_PROCS) {
      this.say("(too many processes)");
      return null;
    }
    let table: HandleTable;
    try {
      table = p.table.fork();
    } catch (e) {
      this.fail(`fork: ${e instanceof Error ? e.message : String(e)}`);
    }
    const st = p.st.fork(table.id);
    this.issued.set(st, [...this.issued.get(p.st)!]);
    const child: Proc = { pid: this.nextPid++, table, st, alive: true };
    this.procs.push(child);
    this.settle("fork", []);
    this.say(`= p${child.pid}`);
    this.countProcs();
    return child;
  }

  private thread(p: Proc): void {
    if (this.procs.filter((x) => x.alive).length >= MAX_PROCS) {
      this.say("(too many processes)");
      return;
    }
    const table = p.table.share();
    p.st.sharers++;
    const t: Proc = { pid: this.nextPid++, table, st: p.st, alive: true };
    this.procs.push(t);
    this.say(`= p${t.pid}`);
    this.countProcs();
  }

  private countProcs(): void {
    this.stats.maxProcs = Math.max(this.stats.maxProcs, this.procs.filter((x) => x.alive).length);
  }

  private exec(p: Proc): void {
    const released = p.st.exec(this.registry());
    const predicted: Outcome = { value: undefined, released };
    this.closeFault(predicted);
    this.expectCore("exec", predicted, () => p.table.exec());
  }

  private exit(p: Proc, atEnd: boolean): void {
    if (!atEnd && this.procs.filter((x) => x.alive).length < 2) {
      this.say("(last process)");
      return;
    }
    if (atEnd) this.say(`p${p.pid} exit`);
    const released = p.st.drop(this.registry(p));
    const predicted: Outcome = { value: undefined, released };
    this.closeFault(predicted);
    p.alive = false;
    this.expectCore("exit", predicted, () => p.table.drop());
  }

  /** A handle that is no longer live, asked for by the check every host call makes. */
  private stale(p: Proc): void {
    const dead = this.issued.get(p.st)!.filter((h) => p.st.entry(h) === null);
    const h = dead.length ? this.rng.pick(dead) : this.pick(p, () => false);
    this.say(fmt(h));
    if (this.hostCheck(p, h, 0, []) !== null) this.say("-> live (its number was reused)");
  }

  /** A process that exited with its table: every call on the table is refused. */
  private zombie(p: Proc): void {
    const gone = this.procs.filter((x) => !x.alive && x.st.dead);
    if (gone.length === 0) {
      this.say("(none)");
      return;
    }
    const z = this.rng.pick(gone);
    const h = this.rng.pick(this.issued.get(z.st)!.concat([1]));
    this.say(`p${z.pid} check ${fmt(h)}`);
    this.expectCore("check on an exited table", { code: "table-closed" }, () => z.table.check(h));
    // And moving a handle into it.
    const own = p.st.handles().filter((x) => p.st.entry(x)!.state === "owned");
    if (own.length === 0) return;
    const x = this.rng.pick(own);
    this.say(`; transfer ${fmt(x)} to p${z.pid}`);
    this.expectCore("transfer to an exited table", p.st.transfer(x, z.st), () => p.table.transfer(x, z.table));
  }

  // ---- the checks after every step ------------------------------------------------------

  private verify(): void {
    if (this.releasedNow.length) this.fail(`onRelease ran outside any core call for ${this.releasedNow.map((r) => `#${r.id}`).join(" ")}`);
    // (a) descriptions.
    const n = this.core.descriptions;
    if (n !== this.live.size) this.fail(`the core holds ${n} descriptions, the shadow ${this.live.size}`);
    // (c) every live table, handle by handle.
    const refs = new Map<Desc, number>();
    const seen = new Set<ShadowTable>();
    for (const p of this.procs) {
      if (!p.alive || seen.has(p.st)) continue;
      seen.add(p.st);
      this.compareTable(p, refs);
    }
    for (const d of this.live) {
      if ((refs.get(d) ?? 0) !== d.refs) this.fail(`shadow: description of #${d.res.id} has ${d.refs} refs but ${refs.get(d) ?? 0} owners`);
    }
    // (f) an OS object is open exactly while its description lives.
    for (const r of this.res) {
      if (r.mem === null) continue;
      const d = this.descOf.get(r);
      const want = d !== undefined && this.live.has(d);
      if (r.mem.open !== want) {
        this.fail(`resource #${r.id} (${r.kind}): its memory-OS object is ${r.mem.open ? "open" : "closed"} but its description is ${d === undefined ? "not in the core" : want ? "live" : "released"}`);
      }
    }
    if (this.mos.faults.pending !== 0) this.fail(`${this.mos.faults.pending} injected fault(s) were not consumed by the operation they were meant for`);
    this.mos.faults.clear();
    if (this.mos.usedBytes !== this.world.used) this.fail(`files hold ${this.mos.usedBytes} bytes, the shadow ${this.world.used}`);
    // (d) handles that are no longer live stay refused (or were legitimately reused).
    const alive = this.procs.filter((x) => x.alive);
    if (alive.length) {
      const p = this.rng.pick(alive);
      const dead = this.issued.get(p.st)!.filter((h) => p.st.entry(h) === null);
      // One per step (each refusal costs an Error); the operations use dead handles too.
      if (dead.length) {
        const h = this.rng.pick(dead);
        const predicted = p.st.check(h, 0, []);
        let code: string | null = null;
        try {
          p.table.check(h);
        } catch (e) {
          code = e instanceof IolifeError ? e.code : String(e);
        }
        if (code !== (predicted.code ?? null)) this.fail(`dead handle ${fmt(h)}: check answered ${code ?? "ok"}, the shadow expected ${predicted.code ?? "ok"}`);
      }
    }
  }

  private compareTable(p: Proc, refs: Map<Desc, number>): void {
    const st = p.st;
    const list = p.table.list();
    const want = st.handles();
    if (list.length !== want.length || list.some((x, i) => x.handle !== want[i])) {
      this.fail(`p${p.pid}: the core lists [${list.map((x) => fmt(x.handle)).join(" ")}], the shadow [${want.map(fmt).join(" ")}]`);
    }
    for (const info of list) {
      const e = st.entry(info.handle)!;
      if (e.state === "owned") refs.set(e.desc, (refs.get(e.desc) ?? 0) + 1);
      const pairs: [string, unknown, unknown][] = [
        ["state", info.state, e.state], ["kind", info.kind, e.kind], ["cloexec", info.cloexec, e.cloexec],
        ["rights", info.rights, e.rights], ["resource", (info.resource as Res | undefined)?.id, e.desc.res.id],
        ["foreignLender", info.foreignLender, e.ltable !== null],
        ["descriptionRefs", info.descriptionRefs, e.desc.refs], ["lender", info.lender, e.lender],
        ["lends", info.lends, e.lends], ["exclusiveBorrow", info.exclusiveBorrow, e.excl],
        ["parent", info.parent, e.parent], ["children", info.children, e.children], ["poller", info.poller, e.poller],
        ["token", info.token, e.token], ["interest", info.interest, e.interest], ["registrations", info.registrations, e.regs],
        ["scope", info.scope, e.scope],
      ];
      for (const [field, got, exp] of pairs) {
        if (got !== exp) this.fail(`p${p.pid} handle ${fmt(info.handle)}: ${field} is ${String(got)} in the core, ${String(exp)} in the shadow`);
      }
    }
    const s = p.table.stats();
    const figures: [string, number, number][] = [
      ["count", s.count, want.length], ["highWater", s.highWater, st.slots.length],
      ["sharers", s.sharers, st.sharers], ["scopeDepth", s.scopeDepth, st.scopes.length],
    ];
    for (const [field, got, exp] of figures) {
      if (got !== exp) this.fail(`p${p.pid}: ${field} is ${got} in the core, ${exp} in the shadow`);
    }
  }
}

function fmt(h: number): string {
  return formatHandle(h >>> 0);
}

function hex(n: number): string {
  return "0x" + (n >>> 0).toString(16);
}

function count(n: number): string {
  return n < 0 ? errnoName(-n) : String(n);
}

function errnoOrHandle(x: unknown): string {
  return typeof x === "number" ? errnoName(x) : "a handle";
}
