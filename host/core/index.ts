// iolife/core: the ownership core (build/core.wasm) behind a TypeScript API.
// Every rule is enforced inside the Wasm core; this module converts names to
// bits, turns negative results into IolifeError, and keeps the host's
// resources (the objects behind descriptions) so it can hand each one to
// onRelease exactly once. No Node imports: it runs unchanged in a browser.

import { coreWasmBase64 } from "#core-wasm";
import { decodeBase64 } from "./base64.js";
import {
  DEFAULT_CAPACITY, DESCRIPTION_FLAGS, MAX_CAPACITY, HFLAG_CLOEXEC, INTEREST, KINDS, POLICIES,
  RIGHTS, RIGHTS_ALL, RIGHTS_INHERIT, ROLES, STATES,
  type DescriptionFlag, type Interest, type Kind, type Numbering, type Right, type Role, type State,
} from "./constants.js";
import { coreError, type ErrorDetails } from "./errors.js";

export * from "./constants.js";
export { IolifeError, formatHandle } from "./errors.js";
import { IolifeError } from "./errors.js";

/** The raw exports of build/core.wasm (see assembly/index.ts). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  table_new(capacity: number, policy: number, noReuse: number): number;
  table_share(t: number): number;
  table_fork(t: number): number;
  table_drop(t: number): number;
  table_exec(t: number): number;
  table_info(t: number): number;
  table_count(t: number): number;
  table_next(t: number, prev: number): number;
  handle_insert(t: number, kind: number, role: number, rights: number, dflags: number,
    hflags: number, host: number, parent: number): number;
  handle_close(t: number, h: number): number;
  handle_dup(t: number, h: number, rights: number): number;
  handle_transfer(t: number, h: number, to: number): number;
  handle_renumber(t: number, from: number, to: number): number;
  handle_borrow(t: number, h: number, exclusive: number, rights: number, scope: number): number;
  handle_borrow_into(t: number, h: number, exclusive: number, rights: number, scope: number, into: number): number;
  handle_release(t: number, b: number): number;
  handle_check(t: number, h: number, rights: number, kindMask: number): number;
  handle_narrow(t: number, h: number, rights: number): number;
  handle_set_cloexec(t: number, h: number, on: number): number;
  handle_info(t: number, h: number): number;
  desc_get_flags(t: number, h: number): number;
  desc_set_flags(t: number, h: number, flags: number): number;
  desc_get_offset(t: number, h: number): bigint;
  desc_set_offset(t: number, h: number, offset: bigint): number;
  scope_begin(t: number): number;
  scope_end(t: number, s: number): number;
  poll_register(t: number, h: number, poller: number, token: number, interest: number): number;
  poll_reregister(t: number, h: number, poller: number, token: number, interest: number): number;
  poll_deregister(t: number, h: number, poller: number): number;
  released_ptr(): number;
  released_count(): number;
  description_count(): number;
  err_ptr(): number;
  info_ptr(): number;
}

/** Rights as a bitset or a list of names. */
export type Rights = number | readonly Right[];
/** Description flags as a bitset or a list of names. */
export type Flags = number | readonly DescriptionFlag[];

/** Called once per open description, when its last owner handle closes. */
export type ReleaseCallback = (resource: unknown, info: { kind: Kind; role: Role }) => void;

export interface TableOptions {
  /** Most live handles (owners and borrows); default 1024, at most 2^20 - 1. */
  capacity?: number;
  /** "generational" (default): stale handles are detected. "lowest": POSIX numbering. */
  numbering?: Numbering;
  /** Debug switch: never reuse a slot, so any use after close fails for certain. */
  neverReuse?: boolean;
  /** Runs exactly once for each description when its last owner closes. */
  onRelease?: ReleaseCallback;
  /** The core module to use instead of the bundled build/core.wasm. */
  module?: WebAssembly.Module;
}

export interface InsertSpec {
  kind: Kind;
  role?: Role;
  /** Default: every right. */
  rights?: Rights;
  flags?: Flags;
  cloexec?: boolean;
  /** The host object behind the new description; handed to onRelease. */
  resource?: unknown;
  /** A live owner this entry is a child of (it cannot close while this lives). */
  parent?: number;
}

export interface BorrowOptions {
  exclusive?: boolean;
  /** Narrowed rights (default: the lender's). */
  rights?: Rights;
  /** The scope the borrow dies with (default: none; it lives until released). A scope of `into` when given. */
  scope?: Scope | number;
  /**
   * Make the borrow in this other table of the same core (lending across
   * tables, as a caller lends to a callee): the borrow's handle belongs to
   * `into`, where it is released; the owner stays here and cannot close
   * while lent.
   */
  into?: HandleTable;
}

/** What info() reports about a live handle. */
export interface HandleInfo {
  handle: number;
  state: State;
  kind: Kind;
  role: Role;
  cloexec: boolean;
  rights: number;
  flags: number;
  resource: unknown;
  description: number;
  descriptionRefs: number;
  /** For a borrow: the handle it was lent from. */
  lender: number;
  lends: number;
  exclusiveBorrow: number;
  parent: number;
  children: number;
  poller: number;
  token: number;
  interest: number;
  registrations: number;
  scope: number;
  /** A borrow lent from another table (see BorrowOptions.into). */
  foreignLender: boolean;
}

const KIND_NAMES = Object.keys(KINDS) as Kind[];
const ROLE_NAMES = Object.keys(ROLES) as Role[];
const RELEASE_INFO: { kind: Kind; role: Role }[] = [];
/** The (shared, frozen) info object onRelease receives for a kind | role << 8. */
function releaseInfo(kr: number): { kind: Kind; role: Role } {
  return (RELEASE_INFO[kr] ??= Object.freeze({ kind: KIND_NAMES[(kr & 0xff) - 1]!, role: ROLE_NAMES[kr >>> 8]! }));
}

/** The kind mask check() takes, from kind names (compute it once for a hot path). */
export function kindMaskOf(kinds: readonly Kind[]): number {
  let mask = 0;
  for (const k of kinds) mask |= 1 << (KINDS[k] ?? 31);
  return mask;
}

function bits<K extends string>(value: number | readonly K[] | undefined, names: Record<K, number>, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value === "number") return value >>> 0;
  let out = 0;
  for (const name of value) {
    const bit = names[name];
    // An unknown name becomes a bit the core does not know, so the core refuses it.
    out |= bit === undefined ? 0x8000_0000 : bit;
  }
  return out >>> 0;
}

/** Rights bitset from names (unknown names yield a bit the core refuses). */
export function rightsOf(rights: Rights): number {
  return bits(rights, RIGHTS, RIGHTS_ALL);
}

/** The names of the rights in a bitset. */
export function rightNames(rights: number): Right[] {
  return (Object.keys(RIGHTS) as Right[]).filter((r) => (rights & RIGHTS[r]) !== 0);
}

/** Description flags bitset from names. */
export function flagsOf(flags: Flags): number {
  return bits(flags, DESCRIPTION_FLAGS, 0);
}

/**
 * Refuses a JS number that is neither a u32 nor an i32 spelling of one
 * (-1 for 0xFFFFFFFF) before it reaches the core, where Wasm's ToInt32 would
 * wrap it: 2 ** 32 + 1 would become handle 1.
 */
function u32(value: number, op: string, what = "handle"): void {
  if (value >>> 0 === value || (value | 0) === value) return;
  throw new IolifeError(what === "handle" ? "unknown-handle" : "invalid-argument",
    `${op}: ${String(value)} is not a ${what} (a 32-bit integer)`, 0, op);
}

let bundled: Promise<WebAssembly.Module> | undefined;
let bundledSync: WebAssembly.Module | undefined;

/** The bundled core module, compiled once per JS realm. */
export function coreModule(): Promise<WebAssembly.Module> {
  bundled ??= WebAssembly.compile(decodeBase64(coreWasmBase64));
  return bundled;
}

/**
 * The bundled core module compiled synchronously: for Node and workers (a
 * browser's main thread refuses synchronous compilation of modules this size).
 */
export function coreModuleSync(): WebAssembly.Module {
  bundledSync ??= new WebAssembly.Module(decodeBase64(coreWasmBase64));
  return bundledSync;
}

/**
 * One instance of the core: the open descriptions (shared by all its tables,
 * their forks and shares) and the host resources behind them.
 */
export class Core {
  readonly exports: CoreExports;
  private u32: Uint32Array;
  private readonly resources: unknown[] = [];
  private readonly kinds: number[] = [];
  private freeHost: number[] = [];
  private readonly onRelease: ReleaseCallback | undefined;

  constructor(instance: WebAssembly.Instance, onRelease?: ReleaseCallback) {
    this.exports = instance.exports as unknown as CoreExports;
    this.u32 = new Uint32Array(this.exports.memory.buffer);
    this.onRelease = onRelease;
  }

  /** A view of core memory, renewed when memory has grown (the old view is then detached, length 0). */
  view(): Uint32Array {
    if (this.u32.length === 0) this.u32 = new Uint32Array(this.exports.memory.buffer);
    return this.u32;
  }

  /** Open descriptions alive in this core. */
  get descriptions(): number {
    return this.exports.description_count();
  }

  /** A new, empty table in this core (sharing its descriptions; e.g. a callee's table to lend into). */
  createTable(options: Omit<TableOptions, "onRelease" | "module"> = {}): HandleTable {
    return HandleTable.inCore(this, options);
  }

  /** @internal Keeps `resource` and returns its host id. */
  adopt(resource: unknown, kindRole: number): number {
    const id = this.freeHost.length ? this.freeHost.pop()! : this.resources.length;
    this.resources[id] = resource;
    this.kinds[id] = kindRole;
    return id;
  }

  /** @internal Gives back a host id that the core did not take (insert refused). */
  disown(id: number): void {
    this.resources[id] = undefined;
    this.freeHost.push(id);
  }

  /** @internal The resource behind a host id. */
  resource(id: number): unknown {
    return this.resources[id];
  }

  /** @internal Hands every description the last operation released to onRelease, once. */
  drainReleased(count: number): void {
    const v = this.view();
    const base = this.exports.released_ptr() >>> 2;
    // close/renumber release at most one: its id is read before onRelease can call into the core.
    if (count === 1) {
      this.releaseHost(v[base]!);
      return;
    }
    // exec/drop: copy first, since onRelease may call into the core, which reuses the queue.
    const ids: number[] = new Array(count);
    for (let i = 0; i < count; i++) ids[i] = v[base + i]!;
    let failure: unknown;
    for (let i = 0; i < count; i++) {
      try {
        this.releaseHost(ids[i]!);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private releaseHost(id: number): void {
    const resource = this.resources[id];
    const kr = this.kinds[id]!;
    this.resources[id] = undefined;
    this.freeHost.push(id);
    this.onRelease?.(resource, releaseInfo(kr));
  }

  /** @internal The error for a negative core result. */
  error(result: number, op: string): Error {
    const v = this.view();
    const p = this.exports.err_ptr() >>> 2;
    const d: ErrorDetails = { handle: v[p]!, slot: v[p + 1]! | 0, count: v[p + 2]!, other: v[p + 3]!, reason: v[p + 4]! };
    return coreError(-result, d, op);
  }
}

/**
 * A scope that borrows die with. Ending it (dispose) with borrows still live
 * revokes them and throws a "scope-has-borrows" error.
 */
export class Scope {
  constructor(readonly table: HandleTable, readonly id: number) {}
  /** A borrow that dies with this scope. */
  borrow(h: number, options: Omit<BorrowOptions, "scope"> = {}): number {
    return this.table.borrowHandle(h, { ...options, scope: this.id });
  }
  end(): void {
    this.table.endScope(this.id);
  }
  [Symbol.dispose](): void {
    this.end();
  }
}

/** A borrowed handle that is released when disposed (`using b = table.borrow(fd)`). */
export class Borrow {
  constructor(readonly table: HandleTable, readonly handle: number) {}
  release(): void {
    this.table.release(this.handle);
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * A handle table in the ownership core. Handles are numbers: owned handles
 * from insert/dup/transfer, borrowed ones from borrow. Every refusal throws
 * IolifeError with a `code` from ERROR_CODES and changes nothing.
 */
export class HandleTable {
  readonly core: Core;
  readonly id: number;
  private readonly x: CoreExports;

  private constructor(core: Core, id: number) {
    this.core = core;
    this.id = id;
    this.x = core.exports;
  }

  /** A table in a new core instance. */
  static async create(options: TableOptions = {}): Promise<HandleTable> {
    const module = options.module ?? (await coreModule());
    const instance = await WebAssembly.instantiate(module, {});
    return HandleTable.open(new Core(instance, options.onRelease), options);
  }

  /** create() without awaiting: compiles and instantiates synchronously (Node, workers). */
  static createSync(options: TableOptions = {}): HandleTable {
    const instance = new WebAssembly.Instance(options.module ?? coreModuleSync(), {});
    return HandleTable.open(new Core(instance, options.onRelease), options);
  }

  /** @internal A new table in an existing core (see Core.createTable). */
  static inCore(core: Core, options: Omit<TableOptions, "onRelease" | "module">): HandleTable {
    return HandleTable.open(core, options);
  }

  private static open(core: Core, options: Omit<TableOptions, "onRelease" | "module">): HandleTable {
    const policy = POLICIES[options.numbering ?? "generational"] ?? 0xff;
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    // A capacity that is not a u32 would wrap in Wasm (2 ** 32 + 1 would become 1).
    if (capacity >>> 0 !== capacity) {
      throw new IolifeError("invalid-argument", `create: capacity ${String(capacity)} is outside 1..${MAX_CAPACITY}`, 0, "create");
    }
    const id = core.exports.table_new(capacity, policy, options.neverReuse ? 1 : 0);
    if (id < 0) throw core.error(id, "create");
    return new HandleTable(core, id);
  }

  private fail(r: number, op: string): never {
    throw this.core.error(r, op);
  }

  /** A new owned handle on a new description. */
  insert(spec: InsertSpec): number {
    if (spec.parent !== undefined) u32(spec.parent, "insert");
    const kind = KINDS[spec.kind] ?? 0;
    const role = ROLES[spec.role ?? "regular"] ?? 0xff;
    const host = this.core.adopt(spec.resource, kind | (role << 8));
    const r = this.x.handle_insert(this.id, kind, role, spec.rights === undefined ? RIGHTS_ALL : rightsOf(spec.rights),
      spec.flags === undefined ? 0 : flagsOf(spec.flags), spec.cloexec ? HFLAG_CLOEXEC : 0, host, spec.parent ?? 0);
    if (r < 0) {
      this.core.disown(host);
      this.fail(r, "insert");
    }
    return r;
  }

  /** Closes an owned handle; the description's resource is released if this was its last owner. */
  close(h: number): void {
    u32(h, "close");
    const r = this.x.handle_close(this.id, h);
    if (r > 0) this.core.drainReleased(r);
    else if (r < 0) this.fail(r, "close");
  }

  /** A borrow that is released when disposed (in `options.into` when given). */
  borrow(h: number, options?: BorrowOptions): Borrow {
    return new Borrow(options?.into ?? this, this.borrowHandle(h, options));
  }

  /** A borrow as a bare handle; end it with release(). */
  borrowHandle(h: number, options?: BorrowOptions): number {
    u32(h, "borrow");
    let r: number;
    if (options === undefined) {
      r = this.x.handle_borrow(this.id, h, 0, RIGHTS_INHERIT, 0);
    } else {
      const scope = options.scope === undefined ? 0 : typeof options.scope === "number" ? options.scope : options.scope.id;
      u32(scope, "borrow", "scope");
      const exclusive = options.exclusive ? 1 : 0;
      const rights = options.rights === undefined ? RIGHTS_INHERIT : rightsOf(options.rights);
      const into = options.into;
      if (into === undefined || into === this) {
        r = this.x.handle_borrow(this.id, h, exclusive, rights, scope);
      } else {
        if (into.core !== this.core) throw new Error("borrow: the tables belong to different core instances");
        r = this.x.handle_borrow_into(this.id, h, exclusive, rights, scope, into.id);
      }
    }
    if (r < 0) this.fail(r, "borrow");
    return r;
  }

  /** Ends a borrow. */
  release(b: number): void {
    u32(b, "release");
    const r = this.x.handle_release(this.id, b);
    if (r < 0) this.fail(r, "release");
  }

  /** A new owned handle on the same description (CLOEXEC cleared, rights optionally narrowed). */
  dup(h: number, options: { rights?: Rights } = {}): number {
    u32(h, "dup");
    const r = this.x.handle_dup(this.id, h, options.rights === undefined ? RIGHTS_INHERIT : rightsOf(options.rights));
    if (r < 0) this.fail(r, "dup");
    return r;
  }

  /** Moves ownership of `h` into `to` (a table of the same core); returns its handle there. */
  transfer(h: number, to: HandleTable): number {
    u32(h, "transfer");
    if (to.core !== this.core) throw new Error("transfer: the tables belong to different core instances");
    const r = this.x.handle_transfer(this.id, h, to.id);
    if (r < 0) this.fail(r, "transfer");
    return r;
  }

  /** fd_renumber: closes `to` and moves `from` onto its number. */
  renumber(from: number, to: number): void {
    u32(from, "renumber");
    u32(to, "renumber");
    const r = this.x.handle_renumber(this.id, from, to);
    if (r > 0) this.core.drainReleased(r);
    else if (r < 0) this.fail(r, "renumber");
  }

  /** Narrows the rights of `h` (never widens). */
  narrow(h: number, rights: Rights): void {
    u32(h, "narrow");
    const r = this.x.handle_narrow(this.id, h, rightsOf(rights));
    if (r < 0) this.fail(r, "narrow");
  }

  /**
   * The resource behind `h`, if `h` is live, usable, of one of `kinds` (any if
   * omitted; a list or a kindMaskOf() mask) and holds `rights`. The check a host makes before each OS call.
   */
  check(h: number, rights: Rights = 0, kinds?: readonly Kind[] | number): unknown {
    u32(h, "check");
    const mask = kinds === undefined ? 0 : typeof kinds === "number" ? kinds : kindMaskOf(kinds);
    const r = this.x.handle_check(this.id, h, typeof rights === "number" ? rights : rightsOf(rights), mask);
    if (r < 0) this.fail(r, "check");
    return this.core.resource(r);
  }

  /** Sets or clears the handle's CLOEXEC flag. */
  setCloexec(h: number, on: boolean): void {
    u32(h, "set-cloexec");
    const r = this.x.handle_set_cloexec(this.id, h, on ? 1 : 0);
    if (r < 0) this.fail(r, "set-cloexec");
  }

  /** The description's flags, shared by every dup of it. */
  flags(h: number): number {
    u32(h, "get-flags");
    const r = this.x.desc_get_flags(this.id, h);
    if (r < 0) this.fail(r, "get-flags");
    return r;
  }

  setFlags(h: number, flags: Flags): void {
    u32(h, "set-flags");
    const r = this.x.desc_set_flags(this.id, h, flagsOf(flags));
    if (r < 0) this.fail(r, "set-flags");
  }

  /** The description's offset, shared by every dup of it. */
  offset(h: number): bigint {
    u32(h, "get-offset");
    const r = this.x.desc_get_offset(this.id, h);
    if (r < 0n) this.fail(Number(r), "get-offset");
    return r;
  }

  setOffset(h: number, offset: bigint | number): void {
    u32(h, "set-offset");
    const value = BigInt(offset);
    // BigInt → i64 wraps (2n ** 64n + 5n would set 5): refuse what an i64 cannot hold; the core refuses negatives.
    if (value < -0x8000_0000_0000_0000n || value > 0x7fff_ffff_ffff_ffffn) {
      throw new IolifeError("invalid-argument", `set-offset: offset ${value} is outside 0..2^63 - 1`, h >>> 0, "set-offset");
    }
    const r = this.x.desc_set_offset(this.id, h, value);
    if (r < 0) this.fail(r, "set-offset");
  }

  /** Opens a scope nested in the current ones (`using s = table.scope()`). */
  scope(): Scope {
    return new Scope(this, this.beginScope());
  }

  beginScope(): number {
    const r = this.x.scope_begin(this.id);
    if (r < 0) this.fail(r, "begin-scope");
    return r;
  }

  /** Ends the innermost scope; its live borrows are revoked and reported as an error. */
  endScope(scope: number): void {
    u32(scope, "end-scope", "scope");
    const r = this.x.scope_end(this.id, scope);
    if (r < 0) this.fail(r, "end-scope");
  }

  /** Registers `h` with `poller` (a handle of kind "poller"). */
  register(h: number, poller: number, token: number, interest: readonly Interest[] | number): void {
    u32(h, "register");
    u32(poller, "register");
    u32(token, "register", "token");
    const r = this.x.poll_register(this.id, h, poller, token >>> 0, bits(interest, INTEREST, 0));
    if (r < 0) this.fail(r, "register");
  }

  reregister(h: number, poller: number, token: number, interest: readonly Interest[] | number): void {
    u32(h, "reregister");
    u32(poller, "reregister");
    u32(token, "reregister", "token");
    const r = this.x.poll_reregister(this.id, h, poller, token >>> 0, bits(interest, INTEREST, 0));
    if (r < 0) this.fail(r, "reregister");
  }

  deregister(h: number, poller: number): void {
    u32(h, "deregister");
    u32(poller, "deregister");
    const r = this.x.poll_deregister(this.id, h, poller);
    if (r < 0) this.fail(r, "deregister");
  }

  /** Everything the core knows about a live handle (allowed while it is lent). */
  info(h: number): HandleInfo {
    u32(h, "info");
    const r = this.x.handle_info(this.id, h);
    if (r < 0) this.fail(r, "info");
    const v = this.core.view();
    const p = this.x.info_ptr() >>> 2;
    return {
      handle: v[p]!,
      state: STATES[v[p + 1]!]!,
      kind: KIND_NAMES[v[p + 2]! - 1]!,
      role: ROLE_NAMES[v[p + 3]!]!,
      cloexec: (v[p + 4]! & HFLAG_CLOEXEC) !== 0,
      rights: v[p + 5]!,
      flags: v[p + 6]!,
      resource: this.core.resource(v[p + 7]!),
      description: v[p + 8]!,
      descriptionRefs: v[p + 9]!,
      lender: v[p + 10]!,
      lends: v[p + 11]!,
      exclusiveBorrow: v[p + 12]!,
      parent: v[p + 13]!,
      children: v[p + 14]!,
      poller: v[p + 15]!,
      token: v[p + 16]!,
      interest: v[p + 17]!,
      registrations: v[p + 18]!,
      scope: v[p + 19]!,
      foreignLender: v[p + 20] === 1,
    };
  }

  /** Live handles in slot order. */
  handles(): number[] {
    const out: number[] = [];
    for (let h = this.x.table_next(this.id, 0); h !== 0; h = this.x.table_next(this.id, h)) {
      if (h < 0) this.fail(h, "handles");
      out.push(h);
    }
    return out;
  }

  /** info() of every live handle. */
  list(): HandleInfo[] {
    return this.handles().map((h) => this.info(h));
  }

  /** Live handles (owners and borrows). */
  get count(): number {
    const r = this.x.table_count(this.id);
    if (r < 0) this.fail(r, "count");
    return r;
  }

  /** Capacity, numbering, sharers and scope depth. */
  stats(): { capacity: number; numbering: Numbering; neverReuse: boolean; count: number; highWater: number; sharers: number; scopeDepth: number } {
    const r = this.x.table_info(this.id);
    if (r < 0) this.fail(r, "stats");
    const v = this.core.view();
    const p = this.x.info_ptr() >>> 2;
    return {
      capacity: v[p]!, numbering: v[p + 1] === 1 ? "lowest" : "generational", neverReuse: v[p + 2] === 1,
      count: v[p + 3]!, highWater: v[p + 4]!, sharers: v[p + 5]!, scopeDepth: v[p + 6]!,
    };
  }

  /** Another sharer of this same table (threads, CLONE_FILES). */
  share(): HandleTable {
    const r = this.x.table_share(this.id);
    if (r < 0) this.fail(r, "share");
    return new HandleTable(this.core, r);
  }

  /** A deep copy, as fork makes: the same handles on the same descriptions. */
  fork(): HandleTable {
    const r = this.x.table_fork(this.id);
    if (r < 0) this.fail(r, "fork");
    return new HandleTable(this.core, r);
  }

  /** exec: revokes every borrow, closes CLOEXEC handles (and their children). */
  exec(): void {
    const r = this.x.table_exec(this.id);
    if (r > 0) this.core.drainReleased(r);
    else if (r < 0) this.fail(r, "exec");
  }

  /** This sharer lets go; the last one closes every handle (each description released once). */
  drop(): void {
    const r = this.x.table_drop(this.id);
    if (r > 0) this.core.drainReleased(r);
    else if (r < 0) this.fail(r, "drop");
  }

  [Symbol.dispose](): void {
    this.drop();
  }
}
