/**
 * What a guest on the simulated OS is handed, built from one options object:
 * the system, its preopened directories (trees built, or handles shared),
 * stdin as a device that reads from bytes, and stdout/stderr captured.
 * Shared by the preview1 (host/wasi/browser.ts) and preview2
 * (host/preview2/browser/default.ts) hosts.
 */
import type { MemHandle } from './handle.js';
import { createMemoryOs, MemHandle as Handle, type MemoryOs } from './index.js';
import type { Tree } from './tree.js';

/** Captured output, grown by doubling (never copied whole per write). */
export class Capture {
  private buf = new Uint8Array(256);
  length = 0;

  constructor(private readonly listener: ((chunk: Uint8Array) => void) | undefined) {}

  /** The device's write: keeps the bytes (a view valid only during the call), hands the listener a copy. */
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

  /** A copy of everything written so far. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Everything written so far as text (invalid UTF-8 replaced). */
  text(): string {
    return new TextDecoder().decode(this.buf.subarray(0, this.length));
  }
}

/** The simulated-OS options both WASI versions share (host/wasi/browser.ts, host/preview2/browser). */
export interface GuestSetupOptions {
  /**
   * Guest path → a tree to build (see tree.ts) or a directory handle of
   * `system` to share. Each is kept open after the run, to be read back.
   */
  preopens?: Readonly<Record<string, Tree | MemHandle>>;
  /** What the guest reads from stdin (then end of file). Default: nothing. */
  stdin?: Uint8Array | string;
  /** Called with a copy of each chunk the guest writes to stdout (also kept). */
  onStdout?: (chunk: Uint8Array) => void;
  /** Called with a copy of each chunk the guest writes to stderr (also kept). */
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

export interface GuestSetup {
  system: MemoryOs;
  /** The preopened directories, by guest path (the embedder's handles: the guest gets its own). */
  dirs: ReadonlyMap<string, MemHandle>;
  /** stdin, stdout, stderr devices. */
  stdio: MemHandle[];
  out: Capture;
  err: Capture;
}

/** Builds what a guest on the simulated OS is given (see the module comment). */
export function guestSetup(options: GuestSetupOptions): GuestSetup {
  const system = options.system ?? createMemoryOs({ seed: options.seed, epochNs: options.epochNs, tickNs: options.tickNs });
  const dirs = new Map<string, MemHandle>();
  for (const [guest, value] of Object.entries(options.preopens ?? {})) {
    dirs.set(guest, value instanceof Handle ? value : system.root(value));
  }
  const input = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : options.stdin ?? new Uint8Array(0);
  let at = 0;
  const out = new Capture(options.onStdout);
  const err = new Capture(options.onStderr);
  const stdio = [
    system.device({
      read(buf) {
        const n = Math.min(buf.length, input.length - at);
        buf.set(input.subarray(at, at + n));
        at += n;
        return n;
      },
    }),
    system.device({ write: out.write }),
    system.device({ write: err.write }),
  ];
  return { system, dirs, stdio, out, err };
}
