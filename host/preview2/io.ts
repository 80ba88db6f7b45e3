// wasi:io — error, poll, streams — on the ownership core.
//
// An input or output stream is a core entry of kind "stream", a child of
// what it reads or writes (a descriptor, a stdio entry, a socket); a
// pollable is an entry of kind "pollable", a child of the stream or socket
// it waits on (clock pollables have no parent). Streams never own an OS
// handle: they use their parent's, which the parent/child rule keeps open.

import { errnoName, type OsHandle } from "../os/types.js";
import { ContextCore, K_OTHER, K_POLLABLE, K_STREAM, Resource, type State } from "./context.js";
import { ResourceTrap, fsCode, type FsErrorCode } from "./errors.js";

/** What a pollable waits for. */
export interface Waitable<H extends OsHandle = OsHandle> {
  /** Ready now? Must not block. */
  ready(): boolean;
  /** An OS handle to wait on with os.poll (for writing if `write`). */
  os?: H;
  write?: boolean;
  /** A monotonic-clock deadline, in ns. */
  deadline?: bigint;
}

/** Always ready (regular files: reads and writes never wait). */
export const READY: Waitable = { ready: () => true };

/** The source behind an input stream. */
export interface InputSource {
  /**
   * Up to `n` (> 0) bytes. Without `blocking`, an empty array means nothing
   * is available yet. null at the end of the stream; a negative errno on
   * failure.
   */
  read(n: number, blocking: boolean): Uint8Array | null | number;
  waitable(): Waitable;
}

/** The sink behind an output stream. */
export interface OutputSink {
  /** How many bytes may be written now without blocking (0: none yet), or a negative errno. */
  permit(): number;
  /** Writes every byte of `bytes` (blocking if it must): 0 or a negative errno. */
  write(bytes: Uint8Array): number;
  /** 0 or a negative errno. */
  flush(): number;
  waitable(): Waitable;
}

/** The write permit check-write grants at most (wasmtime grants up to 1 MiB to files). */
export const MAX_PERMIT = 1 << 20;
/** The most bytes blocking-write-and-flush and blocking-write-zeroes-and-flush accept (WIT). */
export const MAX_BLOCKING_WRITE = 4096;
/** The most bytes one read returns. */
const MAX_READ = 1 << 20;

// ---------------------------------------------------------------- error

interface ErrorState extends State {
  readonly message: string;
  /** The filesystem error-code this error stands for, if any. */
  readonly code: FsErrorCode | undefined;
  /** The errno, for wasi:sockets' network-error-code. */
  readonly errno: number;
}

/** wasi:io/error `error`: what a failed stream operation reports. */
export class IoError extends Resource {
  protected get _what(): string {
    return "wasi:io/error error";
  }

  toDebugString(): string {
    return this._ctx.use<ErrorState>(this._h, K_OTHER, 0, "wasi:io/error error.to-debug-string").message;
  }

  /** @internal */
  static _state(e: IoError): ErrorState {
    if (!(e instanceof IoError)) throw new ResourceTrap("foreign", "wasi:io/error: not an error resource of iolife");
    return e._ctx.use<ErrorState>(e._h, K_OTHER, 0, "wasi:io/error error");
  }
}

/** A new error resource for a failed operation (errno from the OS layer). */
export function newIoError(ctx: ContextCore, errno: number, what: string): IoError {
  const code = fsCode(errno);
  const state: ErrorState = { wit: "error", message: `${what}: ${code}`, code, errno };
  return new IoError(ctx, ctx.insert("other", state));
}

// ---------------------------------------------------------------- poll

interface PollableState extends State {
  readonly w: Waitable;
}

/** wasi:io/poll `pollable`. */
export class Pollable extends Resource {
  protected get _what(): string {
    return "wasi:io/poll pollable";
  }

  ready(): boolean {
    return this._ctx.use<PollableState>(this._h, K_POLLABLE, 0, "wasi:io/poll pollable.ready").w.ready();
  }

  block(): void {
    pollList([this]);
  }
}

/** A new pollable waiting on `w`, a child of `parent` (0: none). */
export function newPollable(ctx: ContextCore, w: Waitable, parent: number): Pollable {
  return new Pollable(ctx, ctx.insert("pollable", { wit: "pollable", w } as PollableState, parent));
}

/**
 * wasi:io/poll `poll`: the indices of the ready pollables, waiting until at
 * least one is. Traps for an empty list (as wasmtime), a dropped pollable, a
 * pollable of another context, and a wait that nothing could ever end (no
 * deadline and nothing to wait on — a guest polling forever).
 */
export function pollList(list: readonly Pollable[]): Uint32Array {
  if (list.length === 0) throw new ResourceTrap("poll", "wasi:io/poll poll: empty poll list");
  const first = list[0];
  if (!(first instanceof Pollable)) throw new ResourceTrap("foreign", "wasi:io/poll poll: not a pollable of iolife");
  const ctx = first._ctx;
  const ws: Waitable[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (!(p instanceof Pollable) || p._ctx !== ctx) {
      throw new ResourceTrap("foreign", `wasi:io/poll poll: pollable ${i} belongs to another context`);
    }
    ws[i] = ctx.use<PollableState>(p._h, K_POLLABLE, 0, `wasi:io/poll poll (pollable ${i})`).w;
  }
  for (;;) {
    const ready: number[] = [];
    for (let i = 0; i < ws.length; i++) if (ws[i]!.ready()) ready.push(i);
    if (ready.length > 0) return Uint32Array.from(ready);
    wait(ctx, ws);
  }
}

/** Blocks until something in `ws` may have become ready. */
function wait(ctx: ContextCore, ws: readonly Waitable[]): void {
  let deadline: bigint | undefined;
  const hs: OsHandle[] = [];
  const writes: boolean[] = [];
  for (const w of ws) {
    if (w.deadline !== undefined && (deadline === undefined || w.deadline < deadline)) deadline = w.deadline;
    if (w.os !== undefined) {
      hs.push(w.os);
      writes.push(w.write ?? false);
    }
  }
  let timeout = deadline === undefined ? -1n : deadline - ctx.platform.monotonicNs();
  if (timeout < 0n && deadline !== undefined) timeout = 0n;
  if (hs.length > 0 && ctx.os.poll !== undefined) {
    const r = ctx.os.poll(hs, writes, timeout);
    if (typeof r !== "number") return;
    // A simulated OS answers deadlk rather than wait forever; with a deadline, sleep until it.
    if (deadline === undefined) throw blockedForever(`os.poll: ${errnoName(r)}`);
  } else if (deadline === undefined) {
    throw blockedForever("no deadline and no OS handle to wait on");
  }
  if (timeout > 0n) ctx.platform.sleep(timeout);
}

function blockedForever(why: string): ResourceTrap {
  return new ResourceTrap("poll", `wasi:io/poll: nothing the guest waits on can ever become ready; it would block forever (${why})`);
}

// ---------------------------------------------------------------- streams

/** stream-error `closed`, thrown as a value (jco lowers it into the result's err). */
const CLOSED = Object.freeze({ tag: "closed" as const });

interface InputState extends State {
  readonly src: InputSource;
  closed: boolean;
}

interface OutputState extends State {
  readonly sink: OutputSink;
  closed: boolean;
  /** What the last check-write allowed and writes have not used. */
  permit: number;
}

function lengthOf(len: bigint | number, max: number): number {
  return len > BigInt(max) ? max : Number(len);
}

/** wasi:io/streams `input-stream`. */
export class InputStream extends Resource {
  protected get _what(): string {
    return "wasi:io/streams input-stream";
  }

  private state(op: string): InputState {
    const st = this._ctx.use<InputState>(this._h, K_STREAM, 0, `wasi:io/streams input-stream.${op}`);
    if (st.closed) throw CLOSED;
    return st;
  }

  private take(st: InputState, len: bigint, blocking: boolean, op: string): Uint8Array {
    const n = lengthOf(len, MAX_READ);
    if (n === 0) return new Uint8Array(0);
    const r = st.src.read(n, blocking);
    if (r === null) {
      st.closed = true;
      throw CLOSED;
    }
    if (typeof r === "number") {
      st.closed = true;
      throw { tag: "last-operation-failed", val: newIoError(this._ctx, -r, `input-stream.${op}`) };
    }
    return r;
  }

  read(len: bigint): Uint8Array {
    return this.take(this.state("read"), len, false, "read");
  }

  blockingRead(len: bigint): Uint8Array {
    return this.take(this.state("blocking-read"), len, true, "blocking-read");
  }

  skip(len: bigint): bigint {
    return BigInt(this.take(this.state("skip"), len, false, "skip").length);
  }

  blockingSkip(len: bigint): bigint {
    return BigInt(this.take(this.state("blocking-skip"), len, true, "blocking-skip").length);
  }

  subscribe(): Pollable {
    const st = this._ctx.use<InputState>(this._h, K_STREAM, 0, "wasi:io/streams input-stream.subscribe");
    return newPollable(this._ctx, st.closed ? READY : st.src.waitable(), this._h);
  }

  /** @internal */
  static _read(s: InputStream, len: number, blocking: boolean, op: string): Uint8Array {
    if (!(s instanceof InputStream)) throw new ResourceTrap("foreign", `wasi:io/streams ${op}: not an input-stream of iolife`);
    return s.take(s.state(op), BigInt(len), blocking, op);
  }
}

/** A new input stream reading `src`, a child of `parent`. */
export function newInputStream(ctx: ContextCore, src: InputSource, parent: number): InputStream {
  return new InputStream(ctx, ctx.insert("stream", { wit: "input-stream", src, closed: false } as InputState, parent));
}

/** wasi:io/streams `output-stream`. */
export class OutputStream extends Resource {
  protected get _what(): string {
    return "wasi:io/streams output-stream";
  }

  private state(op: string): OutputState {
    const st = this._ctx.use<OutputState>(this._h, K_STREAM, 0, `wasi:io/streams output-stream.${op}`);
    if (st.closed) throw CLOSED;
    return st;
  }

  private failed(st: OutputState, r: number, op: string): never {
    st.closed = true;
    throw { tag: "last-operation-failed", val: newIoError(this._ctx, -r, `output-stream.${op}`) };
  }

  private put(st: OutputState, bytes: Uint8Array, op: string): void {
    const r = st.sink.write(bytes);
    if (r < 0) this.failed(st, r, op);
  }

  checkWrite(): bigint {
    const st = this.state("check-write");
    const p = st.sink.permit();
    if (p < 0) this.failed(st, p, "check-write");
    st.permit = Math.min(p, MAX_PERMIT);
    return BigInt(st.permit);
  }

  write(contents: Uint8Array): void {
    const st = this.state("write");
    this.spend(st, contents.length, "write");
    this.put(st, contents, "write");
  }

  /** Writes count against the last check-write; going beyond it traps (wasmtime: "write exceeded budget"). */
  private spend(st: OutputState, n: number, op: string): void {
    if (n > st.permit) {
      throw new ResourceTrap("permit",
        `wasi:io/streams output-stream.${op}: ${n} bytes exceed the permit of ${st.permit} from check-write`, this._h);
    }
    st.permit -= n;
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    const st = this.state("blocking-write-and-flush");
    this.limit(contents.length, "blocking-write-and-flush");
    this.put(st, contents, "blocking-write-and-flush");
    const r = st.sink.flush();
    if (r < 0) this.failed(st, r, "blocking-write-and-flush");
  }

  private limit(n: number | bigint, op: string): void {
    if (n > MAX_BLOCKING_WRITE) {
      throw new ResourceTrap("permit",
        `wasi:io/streams output-stream.${op}: ${n} bytes exceed the ${MAX_BLOCKING_WRITE} this function accepts`, this._h);
    }
  }

  flush(): void {
    const st = this.state("flush");
    const r = st.sink.flush();
    if (r < 0) this.failed(st, r, "flush");
  }

  blockingFlush(): void {
    this.flush();
  }

  subscribe(): Pollable {
    const st = this._ctx.use<OutputState>(this._h, K_STREAM, 0, "wasi:io/streams output-stream.subscribe");
    return newPollable(this._ctx, st.closed ? READY : st.sink.waitable(), this._h);
  }

  writeZeroes(len: bigint): void {
    const st = this.state("write-zeroes");
    const n = lengthOf(len, MAX_PERMIT + 1);
    this.spend(st, n, "write-zeroes");
    this.put(st, new Uint8Array(n), "write-zeroes");
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    this.limit(len, "blocking-write-zeroes-and-flush");
    this.blockingWriteAndFlush(new Uint8Array(Number(len)));
  }

  splice(src: InputStream, len: bigint): bigint {
    const st = this.state("splice");
    const n = Math.min(lengthOf(len, MAX_PERMIT), st.permit);
    if (n === 0) return 0n;
    const bytes = InputStream._read(src, n, false, "output-stream.splice");
    this.spend(st, bytes.length, "splice");
    this.put(st, bytes, "splice");
    return BigInt(bytes.length);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    const st = this.state("blocking-splice");
    const n = lengthOf(len, MAX_BLOCKING_WRITE);
    if (n === 0) return 0n;
    const bytes = InputStream._read(src, n, true, "output-stream.blocking-splice");
    this.put(st, bytes, "blocking-splice");
    return BigInt(bytes.length);
  }
}

/** A new output stream writing to `sink`, a child of `parent`. */
export function newOutputStream(ctx: ContextCore, sink: OutputSink, parent: number): OutputStream {
  return new OutputStream(ctx, ctx.insert("stream", { wit: "output-stream", sink, closed: false, permit: 0 } as OutputState, parent));
}

// ---------------------------------------------------------------- the interfaces

/** The wasi:io namespaces, as jco imports them (`error`, `poll`, `streams`). */
export function ioInterfaces() {
  return {
    error: { Error: IoError },
    poll: { Pollable, poll: pollList },
    streams: { InputStream, OutputStream },
  };
}
