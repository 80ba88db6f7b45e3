// The state every preview2 interface shares: one ownership-core table per
// context, in which every resource a guest holds (descriptor, stream,
// pollable, directory-entry stream, socket, error, network) is an entry.
//
// Invariants (each enforced by the core, not by this file):
// - A stream is a child of its descriptor (or of the stdio/socket entry it
//   reads or writes), a pollable a child of what it polls: a parent cannot
//   close while a child lives, so a child never outlives the OS handle it
//   uses.
// - A resource object names its entry by handle; once dropped, every method
//   and a second drop are refused (the handle's generation tells a stale
//   value from a reused slot).
// - Each OS handle is closed exactly once: by onRelease, when the last entry
//   on its description closes, or when the context is disposed.

import {
  HandleTable, IolifeError, KINDS, RIGHTS_ALL, formatHandle,
  type CoreExports, type Kind,
} from "../core/index.js";
import type { Os, OsHandle } from "../os/types.js";
import type { Platform } from "../wasi/preview1.js";
import type { WasiConfig } from "./config.js";
import { ResourceTrap, coreTrap } from "./errors.js";

/** What a context needs from an OS backend (the same as the preview1 host's backend). */
export interface Backend<H extends OsHandle> {
  os: Os<H>;
  platform: Platform;
  /** The stdio handles (0, 1, 2) from the config's stdin/stdout/stderr; kept by the embedder. */
  stdio(): readonly H[];
  /** Opens a host directory as a sandbox root. */
  preopen(hostPath: string): H;
  /** Opens a listening TCP socket, if the backend has a network. */
  listen?(host: string, port: number): H;
  /** The port a socket handle is bound to. */
  localPort?(h: H): number;
}

/** The object behind a core entry. `release` runs once, when the entry's description closes. */
export interface State {
  /** The WIT name of the resource, for messages: "descriptor", "input-stream", ... */
  readonly wit: string;
  release?(): void;
}

/** A kind mask for handle_check (see iolife/core kindMaskOf). */
export function maskOf(...kinds: Kind[]): number {
  let m = 0;
  for (const k of kinds) m |= 1 << KINDS[k];
  return m;
}

export const K_DESCRIPTOR = maskOf("file", "directory", "char-device", "pipe", "socket");
export const K_DIRECTORY = maskOf("directory");
export const K_STREAM = maskOf("stream");
export const K_POLLABLE = maskOf("pollable");
export const K_DIR_STREAM = maskOf("dir-stream");
export const K_SOCKET = maskOf("socket", "listener");
export const K_OTHER = maskOf("other");

// Core error codes (1-based, see host/core/constants.ts ERROR_CODES).
const E_WRONG_KIND = 5;
const E_RIGHTS = 12;

/** A preopened directory: its master entry (kept by the context) and the guest path. */
export interface Preopen {
  handle: number;
  path: string;
}

/** A listening socket granted by the config, waiting for a guest to bind to its address. */
export interface Listener<H> {
  host: string;
  /** The port the config asked for (0: any). */
  requested: number;
  /** The port it is bound to. */
  port: number;
  os: H;
  /** Taken by a guest socket (each listener can be bound once). */
  taken: boolean;
}

/**
 * The shared state of one set of preview2 interfaces: the configuration, the
 * OS backend and the core table. The interface modules reach it through the
 * resource objects they create.
 */
export class ContextCore<H extends OsHandle = OsHandle> {
  readonly table: HandleTable;
  readonly os: Os<H>;
  readonly platform: Platform;
  readonly backend: Backend<H>;
  readonly args: readonly string[];
  readonly env: readonly [string, string][];
  /** Master entries of stdin, stdout, stderr (0 when the backend has none). */
  readonly stdio: readonly number[];
  readonly preopens: readonly Preopen[];
  readonly listeners: Listener<H>[] = [];
  /** Seed of metadata-hash, so hashes do not reveal inode numbers. */
  readonly hashKey: bigint;
  /** insecure-seed's answer, fixed for the context's life. */
  readonly insecureSeed: [bigint, bigint];
  private readonly x: CoreExports;
  private readonly t: number;
  private disposed = false;

  constructor(config: WasiConfig & ContextOptions, backend: Backend<H>) {
    this.backend = backend;
    this.os = backend.os;
    this.platform = backend.platform;
    this.args = [...(config.args ?? [])];
    this.env = Object.entries(config.env ?? {});
    this.table = HandleTable.createSync({
      capacity: config.capacity,
      neverReuse: config.neverReuse,
      onRelease: (res) => (res as State | undefined)?.release?.(),
    });
    this.x = this.table.core.exports;
    this.t = this.table.id;
    const seed = new BigUint64Array(3);
    this.platform.random(new Uint8Array(seed.buffer));
    this.hashKey = seed[0]!;
    this.insecureSeed = [seed[1]!, seed[2]!];
    const stdio: number[] = [];
    const preopens: Preopen[] = [];
    this.stdio = stdio;
    this.preopens = preopens;
    try {
      const os = this.os;
      for (const h of backend.stdio()) {
        // The embedder keeps its stdio: the entry never closes the OS handle.
        stdio.push(this.insert("other", { wit: "stdio", os: h } as State));
      }
      for (const [guest, host] of Object.entries(config.preopens ?? {})) {
        const h = backend.preopen(host);
        preopens.push({
          handle: this.insert("directory", { wit: "descriptor", os: h, release: () => void os.close(h) } as State),
          path: guest,
        });
      }
      for (const { host, port } of config.listen ?? []) {
        if (backend.listen === undefined) throw new Error("iolife/preview2: this backend has no network to listen on");
        const h = backend.listen(host, port);
        this.listeners.push({ host, requested: port, port: backend.localPort?.(h) ?? port, os: h, taken: false });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Adds a preopen (the embedder's give(dir, { name }): host/preview2/embed.ts); `handle` is a directory entry the context keeps. */
  addPreopen(handle: number, path: string): void {
    (this.preopens as Preopen[]).push({ handle, path });
  }

  /** A new owned entry; `parent` (a live owner) cannot close while it lives. */
  insert(kind: Kind, state: State, parent = 0, rights = RIGHTS_ALL): number {
    try {
      return this.table.insert({ kind, rights, resource: state, parent });
    } catch (e) {
      if (!(e instanceof IolifeError)) throw e;
      // A child of a lent view (see lend): the owner is the parent.
      if (e.code === "not-owner" && parent !== 0) return this.insert(kind, state, this.table.info(parent).lender, rights);
      throw coreTrap(`${state.wit}: cannot make a new resource`, e);
    }
  }

  /**
   * The state behind `h` if it is live, of a kind in `mask` and holds
   * `rights`. A dead handle (dropped, stale, a borrow past its call) traps;
   * a wrong kind or a missing right throws `denied` (an error-code the
   * caller's WIT function returns), or traps if `denied` is undefined.
   */
  use<T extends State>(h: number, mask: number, rights: number, what: string, denied?: string, wrongKind?: string): T {
    const r = this.x.handle_check(this.t, h, rights, mask);
    if (r >= 0) return this.table.core.resource(r) as T;
    if (-r === E_WRONG_KIND && (wrongKind ?? denied) !== undefined) throw wrongKind ?? denied;
    if (-r === E_RIGHTS && denied !== undefined) throw denied;
    throw this.trapFor(r, h, what);
  }

  private scratchBuf = new Uint8Array(4096);

  /**
   * A reusable buffer of `n` bytes to read into (copy out what was read with
   * slice): reading into warm memory, then copying, costs a fifth of reading
   * 64 KiB into a new array (whose fresh pages the kernel faults in).
   */
  scratch(n: number): Uint8Array {
    if (this.scratchBuf.length < n) this.scratchBuf = new Uint8Array(Math.max(n, this.scratchBuf.length * 2));
    return this.scratchBuf.subarray(0, n);
  }

  /** Does `h` (live) hold every right in `rights`? */
  has(h: number, rights: number): boolean {
    return this.x.handle_check(this.t, h, rights, 0) >= 0;
  }

  /** The trap for a negative core result about `h`. */
  trapFor(r: number, h: number, what: string): ResourceTrap {
    const e = this.table.core.error(r, "use") as IolifeError;
    const ended = e.code === "closed" || e.code === "stale-handle" || e.code === "scope-ended";
    return coreTrap(what, e, ended ? `; ${formatHandle(h)} cannot be used any more (a borrow is valid only during the call that lent it)` : "");
  }

  /** Drops an owned entry: refused (a trap) while it has live children or borrows, or if already dropped. */
  drop(h: number, what: string): void {
    try {
      this.table.close(h);
    } catch (e) {
      if (!(e instanceof IolifeError)) throw e;
      if (e.code === "has-children") throw coreTrap(what, e, `: ${this.describeChildren(h)} (wasmtime traps with "resource has children")`);
      if (e.code === "double-close") throw coreTrap(what, e, " (double drop)");
      throw coreTrap(what, e);
    }
  }

  /** "input-stream 0x00100005, pollable 7": the live children of `h` (only for messages). */
  private describeChildren(h: number): string {
    const names: string[] = [];
    for (const info of this.table.list()) {
      if (info.parent === h) names.push(`${(info.resource as State | undefined)?.wit ?? info.kind} ${formatHandle(info.handle)}`);
    }
    return names.length ? `drop ${names.join(", ")} first` : "drop its children first";
  }

  /**
   * Lends `r` for the duration of `fn` (e.g. to a guest export taking
   * `borrow<descriptor>`): `fn` gets a view of `r` on a borrow of its core
   * entry, which ends when `fn` returns. Using the view afterwards (a guest
   * that kept the borrow) traps; `r` cannot be dropped while it is lent.
   */
  lend<T extends Resource, U>(r: T, fn: (borrowed: T) => U): U {
    if (!(r instanceof Resource) || r._ctx !== this) throw new TypeError("lend: not a resource of this context");
    const b = this.table.borrowHandle(r._h);
    const view = Object.create(Object.getPrototypeOf(r) as object) as T;
    Object.defineProperty(view, "_ctx", { value: this });
    Object.defineProperty(view, "_h", { value: b });
    try {
      return fn(view);
    } finally {
      this.table.release(b);
    }
  }

  /** True once dispose() has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Closes every entry (each OS handle once) and every granted listener.
   * Idempotent. Resources of this context trap when used afterwards.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      this.table.drop();
    } finally {
      for (const l of this.listeners) if (!l.taken) this.os.close(l.os);
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Options of a context beyond the shared WasiConfig. */
export interface ContextOptions {
  /** Most live resources at once (default 1024). */
  capacity?: number;
  /** Debug switch: never reuse a table slot, so any use after drop fails for certain. */
  neverReuse?: boolean;
}

/**
 * The base of every resource class: a handle in its context's table.
 * `[Symbol.dispose]` is the WIT resource drop (jco calls it when the guest
 * drops its own handle).
 */
export abstract class Resource {
  /** @internal */
  readonly _ctx: ContextCore<any>;
  /** @internal The core handle. */
  readonly _h: number;

  /** @internal Resources are made by the host, never by the guest. */
  constructor(ctx: ContextCore<any>, h: number) {
    this._ctx = ctx;
    this._h = h;
  }

  /** The WIT interface and resource, for messages. */
  protected abstract get _what(): string;

  [Symbol.dispose](): void {
    this._ctx.drop(this._h, `${this._what} drop`);
  }
}

// jco makes an object of a resource class itself (Object.create(X.prototype),
// no constructor) when the guest passes a handle whose resource it cannot
// find: one the guest dropped, or a borrow it kept past the call that lent
// it. Such an object has no own _ctx/_h, so it reaches these getters, and
// every method traps with a message instead of a TypeError.
for (const key of ["_ctx", "_h"] as const) {
  Object.defineProperty(Resource.prototype, key, {
    configurable: true,
    get(this: Resource): never {
      throw new ResourceTrap("unknown-handle",
        `${this._what}: the guest used a handle it does not hold (dropped already, or a borrow kept past the call that lent it)`);
    },
  });
}
