// The preview2 host on the simulated OS (host/os/memory): what
// `iolife/preview2` resolves to in a browser (and anywhere under the
// "browser" condition). No Node module is imported here or below.
//
// The configuration is the memory WASI's (host/wasi/browser.ts
// MemoryWasiOptions): the same object configures both WASI versions. The
// guest's directories are in-memory trees, its stdout and stderr are
// captured, its clock is virtual (a poll that would wait moves it instead)
// and its randomness can be seeded.

import { MemHandle, type MemoryOs, type SnapshotOptions, type TreeValue } from "../../os/memory/index.js";
import type { WasiConfig } from "../config.js";
import type { ContextOptions } from "../context.js";
import { Context, DefaultContext } from "../wasi.js";
import type { MemoryWasiOptions } from "../../wasi/browser.js";
import { guestSetup, type Capture, type GuestSetupOptions } from "../../os/memory/guest.js";

/** Compile-time check: the memory WASI's options (preview1) are a MemoryConfig (one object configures both). */
export type MemoryWasiOptionsAreAMemoryConfig = Assignable<MemoryWasiOptions, MemoryConfig>;
type Assignable<T extends U, U> = T;

/** WasiConfig for the simulated OS: trees for preopens, bytes for stdin, callbacks for stdout/stderr. */
export interface MemoryConfig
  extends Omit<WasiConfig, "preopens" | "stdin" | "stdout" | "stderr">, ContextOptions, GuestSetupOptions {}

/** A preview2 context on a simulated OS, with its captured stdio and its directories. */
export class MemoryContext extends Context<MemHandle> {
  /** The simulated OS the guest runs on (its clock, faults, network). */
  readonly system: MemoryOs;
  private readonly out: Capture;
  private readonly err: Capture;
  private readonly dirs: ReadonlyMap<string, MemHandle>;

  constructor(config: MemoryConfig = {}) {
    const { system, dirs, stdio, out, err } = guestSetup(config);
    const { preopens: _trees, stdin: _in, ...rest } = config;
    super({ ...rest, preopens: Object.fromEntries([...dirs.keys()].map((g) => [g, g])) }, {
      os: system.os,
      platform: system.platform,
      stdio: () => stdio,
      // The context gets its own handle: closing it leaves the embedder's open.
      preopen: (guest) => system.reopen(dirs.get(guest)!),
      listen: (host, port) => system.listen(host, port),
      localPort: (h) => system.boundPort(h),
    });
    this.system = system;
    this.out = out;
    this.err = err;
    this.dirs = dirs;
  }

  /** What the guest wrote to stdout so far (invalid UTF-8 replaced). */
  stdout(): string {
    return this.out.text();
  }

  stderr(): string {
    return this.err.text();
  }

  /** The directory preopened at `guestPath` (still open after dispose). */
  dir(guestPath: string): MemHandle {
    const h = this.dirs.get(guestPath);
    if (h === undefined) throw new TypeError(`no preopen at ${JSON.stringify(guestPath)}`);
    return h;
  }

  /** The contents of the directory preopened at `guestPath`, as a tree. */
  snapshot(guestPath: string, options?: SnapshotOptions): Record<string, TreeValue> {
    return this.system.snapshot(this.dir(guestPath), options);
  }
}

/**
 * A preview2 context on a new simulated OS (or `config.system`).
 * Default-deny: no preopens, no environment, no arguments, no network;
 * stdin empty, stdout and stderr captured.
 */
export function createContext(config: MemoryConfig = {}): MemoryContext {
  return new MemoryContext(config);
}

/** The context the module singletons use. */
export const defaults = new DefaultContext<MemHandle, MemoryConfig>((c) => new MemoryContext(c));

/** Configures the context behind `iolife/preview2/<package>` (the old one is disposed). */
export function configure(config: MemoryConfig): MemoryContext {
  return defaults.configure(config) as MemoryContext;
}

/** The current default context (created default-deny on first use). */
export function defaultContext(): MemoryContext {
  return defaults.get() as MemoryContext;
}
