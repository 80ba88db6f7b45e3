// `import { WASI } from "iolife"` in a browser, or `from "iolife/memory"`
// anywhere: WASI preview1 on the simulated OS (host/os/memory). Nothing here
// or below imports a Node module. The guest's directories are in-memory
// trees, its stdout and stderr are captured, its clock is virtual and its
// randomness can be seeded, so a run can be exactly reproduced.
//
// (host/wasi/memory.ts is the guest's linear memory, hence this name: this
// file is to the memory OS what node.ts is to the Node one.)

import {
  MemHandle, type MemoryOs, type SnapshotOptions, type TreeValue,
} from "../os/memory/index.js";
import { ProcExit, WasiBase, type WasiOptions } from "./wasi.js";
import { guestSetup, type Capture, type GuestSetupOptions } from "../os/memory/guest.js";

export { ProcExit } from "./wasi.js";
export type { WasiOptions } from "./wasi.js";
// The errno vocabulary, for fault injection and for reading results.
export { Errno, errnoName } from "../os/types.js";
export {
  createMemoryOs, memoryPlatform, MemHandle, Faults, ListenError, MAX_SYMLINKS, PIPE_BUF,
} from "../os/memory/index.js";
export type {
  MemoryOs, MemoryOsOptions, MemoryPlatform, MemoryPlatformOptions, Tree, TreeValue, SnapshotOptions,
  DeviceIo, FaultOp, ShortOp,
} from "../os/memory/index.js";

/** Options of the memory WASI: node:wasi's, with in-memory preopens and captured stdio. */
export interface MemoryWasiOptions extends Omit<WasiOptions, "preopens">, GuestSetupOptions {}


/**
 * WASI preview1 on the simulated OS, with node:wasi's methods
 * (getImportObject, start, initialize, wasiImport). Every descriptor is an
 * entry of the ownership core; paths never leave the preopens.
 *
 * `returnOnExit: false` cannot end a browser's process: start() then throws
 * the {@link ProcExit} instead of returning the code.
 */
export class WASI extends WasiBase<MemHandle> {
  /** The simulated OS the guest runs on (its clock, faults, network, pipes). */
  readonly system: MemoryOs;
  private readonly out: Capture;
  private readonly err: Capture;
  private readonly dirs: ReadonlyMap<string, MemHandle>;

  constructor(options: MemoryWasiOptions = {}) {
    const { system, dirs, stdio, out, err } = guestSetup(options);
    const { preopens: _trees, ...rest } = options;
    super({ ...rest, preopens: Object.fromEntries([...dirs.keys()].map((g) => [g, g])) }, {
      os: system.os,
      platform: system.platform,
      stdio: () => stdio,
      // The guest gets its own handle: its close (at exit) leaves ours open.
      preopen: (guest) => system.reopen(dirs.get(guest)!),
      exit: (code) => {
        throw new ProcExit(code);
      },
      listen: (host, port) => system.listen(host, port),
    });
    this.system = system;
    this.out = out;
    this.err = err;
    this.dirs = dirs;
  }

  /** What the guest wrote to stdout so far, as text (invalid UTF-8 replaced). */
  stdout(): string {
    return this.out.text();
  }

  /** What the guest wrote to stderr so far, as text. */
  stderr(): string {
    return this.err.text();
  }

  /** What the guest wrote to stdout so far, as bytes (a copy). */
  stdoutBytes(): Uint8Array {
    return this.out.bytes();
  }

  /** What the guest wrote to stderr so far, as bytes (a copy). */
  stderrBytes(): Uint8Array {
    return this.err.bytes();
  }

  /** The directory preopened at `guestPath` (open after the run too). Throws for an unknown path. */
  dir(guestPath: string): MemHandle {
    const h = this.dirs.get(guestPath);
    if (h === undefined) throw new TypeError(`WASI: no preopen at ${JSON.stringify(guestPath)}`);
    return h;
  }

  /** The contents of the directory preopened at `guestPath`, as a tree: what the guest left there. */
  snapshot(guestPath: string, options?: SnapshotOptions): Record<string, TreeValue> {
    return this.system.snapshot(this.dir(guestPath), options);
  }

  /** The ports the preopened listening sockets are bound to (useful with port 0). */
  listenPorts(): number[] {
    return this.listeners.map((h) => this.system.boundPort(h));
  }
}
