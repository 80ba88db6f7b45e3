// `import { WASI } from "iolife"` in a browser, or `from "iolife/memory"`
// anywhere: WASI preview1 on the simulated OS (host/os/memory). Nothing here
// or below imports a Node module. The guest's directories are in-memory
// trees, its stdout and stderr are captured, its clock is virtual and its
// randomness can be seeded, so a run can be exactly reproduced.
//
// (host/wasi/memory.ts is the guest's linear memory, hence this name: this
// file is to the memory OS what node.ts is to the Node one.)

import {
  createMemoryOs, MemHandle, type MemoryOs, type SnapshotOptions, type Tree, type TreeValue,
} from "../os/memory/index.js";
import { ProcExit, WasiBase, type WasiOptions } from "./wasi.js";

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
export interface MemoryWasiOptions extends Omit<WasiOptions, "preopens"> {
  /**
   * Guest path → a tree to build (see host/os/memory/tree.ts) or a directory
   * handle of `system` to share. Each is kept open after the run: read it
   * back with {@link WASI.snapshot} or {@link WASI.dir}.
   */
  preopens?: Readonly<Record<string, Tree | MemHandle>>;
  /** What the guest reads on fd 0 (then end of file). Default: nothing. */
  stdin?: Uint8Array | string;
  /** Called with a copy of each chunk the guest writes to fd 1 (also kept: see {@link WASI.stdout}). */
  onStdout?: (chunk: Uint8Array) => void;
  /** Called with a copy of each chunk the guest writes to fd 2 (also kept: see {@link WASI.stderr}). */
  onStderr?: (chunk: Uint8Array) => void;
  /** Seed of the guest's randomness (reproducible, not secure). Default: crypto.getRandomValues. */
  seed?: number | bigint;
  /** The guest's realtime clock at the start, ns since the epoch. Default: the host's time now. */
  epochNs?: bigint;
  /** How far the virtual clock moves per clock reading (default 1000n). */
  tickNs?: bigint;
  /** Run on this simulated OS (to share files, pipes or a network with the embedder or other guests). Default: a new one. */
  system?: MemoryOs;
}

/** An append-only byte buffer with amortized growth. */
class Collector {
  private buf = new Uint8Array(256);
  length = 0;

  constructor(private readonly listener: ((chunk: Uint8Array) => void) | undefined) {}

  /** The device's write: keeps the bytes (a view valid only during the call). */
  write = (bytes: Uint8Array): number => {
    const need = this.length + bytes.length;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bytes, this.length);
    this.length = need;
    this.listener?.(bytes.slice());
    return bytes.length;
  };

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const decoder = new TextDecoder();

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
  private readonly out: Collector;
  private readonly err: Collector;
  private readonly dirs: ReadonlyMap<string, MemHandle>;

  constructor(options: MemoryWasiOptions = {}) {
    const system = options.system ?? createMemoryOs({ seed: options.seed, epochNs: options.epochNs, tickNs: options.tickNs });
    const dirs = new Map<string, MemHandle>();
    for (const [guest, value] of Object.entries(options.preopens ?? {})) {
      dirs.set(guest, value instanceof MemHandle ? value : system.root(value));
    }
    const input = typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin ?? new Uint8Array(0);
    let inputAt = 0;
    const out = new Collector(options.onStdout);
    const err = new Collector(options.onStderr);
    const stdio = [
      system.device({
        read(buf) {
          const n = Math.min(buf.length, input.length - inputAt);
          buf.set(input.subarray(inputAt, inputAt + n));
          inputAt += n;
          return n;
        },
      }),
      system.device({ write: out.write }),
      system.device({ write: err.write }),
    ];
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
    return decoder.decode(this.out.bytes());
  }

  /** What the guest wrote to stderr so far, as text. */
  stderr(): string {
    return decoder.decode(this.err.bytes());
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
