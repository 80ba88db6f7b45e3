// The WASI object, shaped like node:wasi's, generic over the OS backend.
// Default-deny: no preopens, no environment, no arguments unless given.

import { HandleTable, type Numbering } from "../core/index.js";
import { RIGHTS } from "../core/constants.js";
import { errnoName, type Os, type OsHandle } from "../os/types.js";
import { RIGHTS_INHERITING, RIGHTS_LISTENER, rightsForType } from "./abi.js";
import { GuestMemory } from "./memory.js";
import { FdObject, ProcExit, kindOfType, preview1, type Platform } from "./preview1.js";

export { ProcExit, FdObject };
export type { Platform };

/** Options shared by every backend; node:wasi's names where node:wasi has them. */
export interface WasiOptions {
  /** Only "preview1" (node:wasi requires the field; here it may be omitted). */
  version?: "preview1";
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** guest path → host directory (node:wasi's shape). */
  preopens?: Readonly<Record<string, string>>;
  /** true (default): proc_exit returns from start(); false: the process exits with the code. */
  returnOnExit?: boolean;
  /** "generational" (default; a stale fd is EBADF) or "lowest" (POSIX numbering). */
  fdNumbering?: Numbering;
  /** Most fds at once (default 1024). */
  capacity?: number;
  /** Called with one line per WASI call: name, arguments, result. */
  trace?: (line: string) => void;
  /** Listening TCP sockets to preopen (after the directories), like wasmtime's --tcplisten. Port 0 picks one. */
  listen?: readonly { host: string; port: number }[];
}

/** What a backend supplies to the generic WASI object. */
export interface Backend<H extends OsHandle> {
  os: Os<H>;
  platform: Platform;
  /** The stdio handles (fd 0, 1, 2), kept by the embedder (never closed by the guest's close). */
  stdio(): readonly H[];
  /** Opens a host directory as a sandbox root. */
  preopen(hostPath: string): H;
  /** Ends the process (returnOnExit: false). */
  exit(code: number): never;
  /** Opens a listening TCP socket, if the backend has a network. */
  listen?(host: string, port: number): H;
}

const ERRNO_OK = 0;

/**
 * A WASI preview1 instance environment. One per guest instance; its fd table
 * lives in the ownership core. Every OS descriptor it opens is closed when
 * the guest's last fd on it closes, or at the latest when the program exits,
 * traps, or the object is disposed.
 */
export class WasiBase<H extends OsHandle> {
  readonly wasiImport: Record<string, (...args: never[]) => number>;
  /** The guest's fd table (fd = handle - 1). */
  readonly table: HandleTable;
  private readonly memory = new GuestMemory();
  private readonly returnOnExit: boolean;
  private readonly backend: Backend<H>;
  /** The listening sockets preopened from options.listen, in order. */
  readonly listeners: H[] = [];
  private started = false;
  private disposed = false;

  constructor(options: WasiOptions, backend: Backend<H>) {
    if (options.version !== undefined && options.version !== "preview1") {
      throw new TypeError(`unsupported WASI version ${JSON.stringify(options.version)}: only "preview1"`);
    }
    this.backend = backend;
    this.returnOnExit = options.returnOnExit ?? true;
    const os = backend.os;
    this.table = HandleTable.createSync({
      capacity: options.capacity,
      numbering: options.fdNumbering,
      onRelease: (res) => {
        if (!(res instanceof FdObject)) return;
        if (res.owned) os.close(res.os);
        res.onClose?.();
      },
    });
    const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const stdio = backend.stdio();
    const roles = ["stdin", "stdout", "stderr"] as const;
    stdio.forEach((h, i) => {
      this.table.insert({
        kind: kindOfType(h.type), role: roles[i], rights: rightsForType(h.type) & ~RIGHTS.seek & ~RIGHTS.tell,
        resource: new FdObject(h, h.type, 0, null, false),
      });
    });
    try {
      for (const [guest, host] of Object.entries(options.preopens ?? {})) {
        const h = backend.preopen(host);
        this.table.insert({
          kind: "directory", rights: rightsForType(h.type),
          resource: new FdObject(h, h.type, RIGHTS_INHERITING, guest, true),
        });
      }
      for (const { host, port } of options.listen ?? []) {
        if (backend.listen === undefined) throw new Error("WASI: this backend has no network to listen on");
        const h = backend.listen(host, port);
        this.listeners.push(h);
        this.table.insert({ kind: "listener", rights: RIGHTS_LISTENER, resource: new FdObject(h, h.type, 0, null, true) });
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    const fns = preview1({ os, table: this.table, platform: backend.platform, args: options.args ?? [], env }, this.memory);
    this.wasiImport = options.trace ? traced(fns, options.trace) : fns;
  }

  /** { wasi_snapshot_preview1: wasiImport }, as node:wasi's getImportObject(). */
  getImportObject(): { wasi_snapshot_preview1: Record<string, (...args: never[]) => number> } {
    return { wasi_snapshot_preview1: this.wasiImport };
  }

  private bind(instance: WebAssembly.Instance, entry: "_start" | "_initialize"): (() => unknown) | undefined {
    if (this.started) throw new Error("WASI: start() or initialize() has already been called");
    if (this.disposed) throw new Error("WASI: this object has been disposed");
    const ex = instance.exports;
    if (!(ex.memory instanceof WebAssembly.Memory)) throw new TypeError("WASI: the instance must export its memory as \"memory\"");
    const fn = ex[entry];
    if (fn !== undefined && typeof fn !== "function") throw new TypeError(`WASI: export ${entry} is not a function`);
    const other = entry === "_start" ? "_initialize" : "_start";
    if (typeof ex[other] === "function") throw new TypeError(`WASI: the instance exports ${other}; use ${entry === "_start" ? "initialize" : "start"}()`);
    if (entry === "_start" && fn === undefined) throw new TypeError("WASI: the instance does not export _start");
    this.started = true;
    this.memory.bind(ex.memory);
    return fn as (() => unknown) | undefined;
  }

  /**
   * Runs a command (its _start) and returns its exit code. A trap propagates
   * as the WebAssembly.RuntimeError it is. Either way, every OS descriptor
   * the program opened is closed when start() ends.
   */
  start(instance: WebAssembly.Instance): number {
    const fn = this.bind(instance, "_start")!;
    let code = 0;
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ProcExit)) throw e;
      code = e.code;
    } finally {
      this.dispose();
    }
    if (!this.returnOnExit) this.backend.exit(code);
    return code;
  }

  /** Initializes a reactor (its _initialize, if any); the fds stay open until dispose(). */
  initialize(instance: WebAssembly.Instance): void {
    const fn = this.bind(instance, "_initialize");
    try {
      fn?.();
    } catch (e) {
      this.dispose();
      if (e instanceof ProcExit) {
        if (!this.returnOnExit) this.backend.exit(e.code);
        return;
      }
      throw e;
    }
  }

  /** Closes every fd (each OS descriptor once). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.table.drop();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Wraps each import to report `name(args) = result (errno)` after it returns. */
function traced(fns: Record<string, (...args: never[]) => number>, out: (line: string) => void) {
  const wrapped: Record<string, (...args: never[]) => number> = {};
  for (const [name, fn] of Object.entries(fns)) {
    wrapped[name] = (...args: never[]) => {
      let r: number;
      try {
        r = fn(...args);
      } catch (e) {
        out(`${name}(${args.map(String).join(", ")}) -> ${e instanceof ProcExit ? `exit ${e.code}` : `threw ${String(e)}`}`);
        throw e;
      }
      out(`${name}(${args.map(String).join(", ")}) = ${r}${r === ERRNO_OK ? "" : ` (${ERRNO_NAMES[r] ?? "?"})`}`);
      return r;
    };
  }
  return wrapped;
}

const ERRNO_NAMES: string[] = Array.from({ length: 77 }, (_, i) => errnoName(i));
