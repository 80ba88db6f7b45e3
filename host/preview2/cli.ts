// wasi:cli — environment, exit, stdio, terminals — on the ownership core.
//
// Each get-stdin / get-stdout / get-stderr call returns a NEW stream (as
// wasmtime does), a child of the context's stdio entry: a guest may drop
// them in any order, and a double drop of one is caught by the core
// instead of closing a shared object twice.

import { Errno, FileType, errnoName, type OsHandle } from "../os/types.js";
import { ResourceTrap } from "./errors.js";
import { ProcExit } from "../wasi/preview1.js";
import { ContextCore, Resource, type State } from "./context.js";
import { MAX_PERMIT, READY, newInputStream, newOutputStream, type InputSource, type InputStream, type OutputSink, type OutputStream, type Waitable } from "./io.js";

export { ProcExit };

interface StdioState extends State {
  readonly os: OsHandle;
}

/** Is `h` readable (or writable) now? Files are always; others are asked with os.poll (if the backend has it). */
function readyNow(ctx: ContextCore, h: OsHandle, write: boolean): boolean {
  if (h.type === FileType.regularFile || ctx.os.poll === undefined) return true;
  const r = ctx.os.poll([h], [write], 0n);
  return typeof r === "number" || r[0] !== 0;
}

/** Blocks until `h` is ready; a wait that can never end (a simulated OS answers deadlk) traps. */
function waitFor(ctx: ContextCore, h: OsHandle, write: boolean): void {
  const r = ctx.os.poll?.([h], [write], -1n);
  if (r === undefined || typeof r === "number") {
    throw new ResourceTrap("blocking", `wasi:io/streams: a blocking ${write ? "write" : "read"} would wait forever (${r === undefined ? "no poll" : errnoName(r)})`);
  }
}

/** A waitable for an OS handle: ready when os.poll says so. */
export function osWaitable(ctx: ContextCore, h: OsHandle, write: boolean): Waitable {
  if (h.type === FileType.regularFile || ctx.os.poll === undefined) return READY;
  return { ready: () => readyNow(ctx, h, write), os: h, write };
}

/** Reads an OS handle at its own position (stdin, a pipe, a connected socket). */
export class OsInput implements InputSource {
  constructor(private readonly ctx: ContextCore, private readonly h: OsHandle) {}

  read(n: number, blocking: boolean): Uint8Array | null | number {
    if (!blocking && !readyNow(this.ctx, this.h, false)) return new Uint8Array(0);
    const buf = this.ctx.scratch(n);
    let r = this.ctx.os.read(this.h, [buf]);
    // A non-blocking handle (or a simulated OS, which never blocks): wait, then read again.
    while (r === -Errno.again) {
      if (!blocking) return new Uint8Array(0);
      waitFor(this.ctx, this.h, false);
      r = this.ctx.os.read(this.h, [buf]);
    }
    if (r < 0) return r;
    if (r === 0) return null;
    return buf.slice(0, r);
  }

  waitable(): Waitable {
    return osWaitable(this.ctx, this.h, false);
  }
}

/** Writes an OS handle at its own position (stdout, stderr, a pipe, a connected socket). */
export class OsOutput implements OutputSink {
  constructor(private readonly ctx: ContextCore, private readonly h: OsHandle) {}

  permit(): number {
    return MAX_PERMIT;
  }

  write(bytes: Uint8Array): number {
    let done = 0;
    while (done < bytes.length) {
      const r = this.ctx.os.write(this.h, [done === 0 ? bytes : bytes.subarray(done)]);
      if (r === -Errno.again) {
        waitFor(this.ctx, this.h, true);
        continue;
      }
      if (r < 0) return r;
      done += r;
    }
    return 0;
  }

  flush(): number {
    return 0;
  }

  waitable(): Waitable {
    return osWaitable(this.ctx, this.h, true);
  }
}

/** wasi:cli/terminal-input `terminal-input` (never handed out: stdio is not reported as a terminal). */
export class TerminalInput extends Resource {
  protected get _what(): string {
    return "wasi:cli/terminal-input terminal-input";
  }
}

/** wasi:cli/terminal-output `terminal-output` (never handed out). */
export class TerminalOutput extends Resource {
  protected get _what(): string {
    return "wasi:cli/terminal-output terminal-output";
  }
}

function stdioEntry(ctx: ContextCore, fd: 0 | 1 | 2, what: string): [number, OsHandle] {
  const h = ctx.stdio[fd];
  if (h === undefined) throw new Error(`iolife/preview2 ${what}: this context has no stdio ${fd}`);
  return [h, ctx.use<StdioState>(h, 0, 0, what).os];
}

/** The wasi:cli namespaces for `ctx`, as jco imports them. */
export function cliInterfaces(ctx: () => ContextCore) {
  const out = (fd: 1 | 2, what: string): OutputStream => {
    const c = ctx();
    const [parent, h] = stdioEntry(c, fd, what);
    return newOutputStream(c, new OsOutput(c, h), parent);
  };
  return {
    environment: {
      getEnvironment: (): [string, string][] => ctx().env.map(([k, v]) => [k, v]),
      getArguments: (): string[] => [...ctx().args],
      initialCwd: (): string | undefined => undefined,
    },
    exit: {
      /** Unwinds the guest with ProcExit (code 0 for ok, 1 for err); the embedder catches it. */
      exit(status: { tag: "ok" | "err" }): never {
        throw new ProcExit(status.tag === "err" ? 1 : 0);
      },
      exitWithCode(code: number): never {
        throw new ProcExit(code);
      },
    },
    stdin: {
      getStdin(): InputStream {
        const c = ctx();
        const [parent, h] = stdioEntry(c, 0, "wasi:cli/stdin get-stdin");
        return newInputStream(c, new OsInput(c, h), parent);
      },
    },
    stdout: { getStdout: () => out(1, "wasi:cli/stdout get-stdout") },
    stderr: { getStderr: () => out(2, "wasi:cli/stderr get-stderr") },
    terminalInput: { TerminalInput },
    terminalOutput: { TerminalOutput },
    terminalStdin: { getTerminalStdin: (): TerminalInput | undefined => undefined },
    terminalStdout: { getTerminalStdout: (): TerminalOutput | undefined => undefined },
    terminalStderr: { getTerminalStderr: (): TerminalOutput | undefined => undefined },
  };
}
