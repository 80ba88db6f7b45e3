/**
 * The simulator's shadow of the simulated OS: what each pipe, connection and
 * file should hold, and what each read, write and poll should answer
 * (host/os/memory's documented semantics: pipe.ts, socket.ts, file.ts,
 * poll.ts, faults.ts).
 *
 * Streams carry sequence-numbered bytes: byte number n of a stream is
 * {@link streamByte}(stream, n), so a lost, duplicated or reordered byte
 * shows up in the very read that returns it. Every byte written is, at the
 * end, either read (in order, once) or discarded because the reading end
 * closed with it still queued: `written === read + discarded`.
 *
 * No Node import: this runs in browsers too.
 */
import { Errno } from "../os/types.js";
import type { MemHandle } from "../os/memory/index.js";
import type { Kind } from "../core/index.js";

/** Linux's PIPE_BUF (host/os/memory/kernel.ts): pipe writes up to this size are all or nothing. */
export const PIPE_BUF = 4096;

/** One direction of a byte stream (a pipe, or what one end of a connection receives). */
export class Stream {
  /** Bytes accepted by writes / returned by reads / dropped when the reader closed. */
  written = 0;
  read = 0;
  discarded = 0;

  constructor(readonly id: number, readonly capacity: number) {}

  get queued(): number {
    return this.written - this.read - this.discarded;
  }

  get space(): number {
    return this.capacity - this.queued;
  }

  /** The reader went away: what is queued will never be read. */
  discard(): void {
    this.discarded += this.queued;
  }
}

/** Byte number `n` of stream `id`: a mix, so that a shifted or repeated run of bytes does not match. */
export function streamByte(id: number, n: number): number {
  let x = Math.imul(n ^ (n >>> 15), 0x2c1b3c6d) ^ Math.imul(id + 1, 0x297a2d39);
  x ^= x >>> 12;
  x = Math.imul(x, 0x5bd1e995);
  return (x ^ (x >>> 15)) & 0xff;
}

export interface ShadowPipe {
  readonly stream: Stream;
  readers: number;
  writers: number;
}

/** One end of a loopback connection; `inbox` is what its peer writes to it. */
export interface SockEnd {
  readonly inbox: Stream;
  peer: SockEnd | null;
  closed: boolean;
  reset: boolean;
}

export interface ShadowListener {
  readonly port: number;
  closed: boolean;
  /** Server ends not yet accepted, oldest first. */
  readonly pending: SockEnd[];
}

export interface ShadowFile {
  readonly name: string;
  data: Uint8Array;
  size: number;
}

/**
 * What the host put behind one description: the resource handed to the
 * core, and to onRelease when the description's last owner closes.
 */
export interface Res {
  readonly id: number;
  readonly kind: Kind;
  /** The memory OS handle (none for pollers and streams, which are the host's own). */
  readonly mem: MemHandle | null;
  readonly readable: boolean;
  readonly writable: boolean;
  /** Times onRelease ran for it. */
  released: number;
  /** What it is in the shadow OS. */
  pipe?: ShadowPipe;
  sock?: SockEnd;
  listener?: ShadowListener;
  file?: ShadowFile;
  /** Files: the description's offset and APPEND flag. */
  pos: number;
  append: boolean;
  /** Set when the shadow has applied the close of `mem`. */
  osClosed: boolean;
}

/** A predicted OS answer: a byte count (>= 0) or a negated errno. */
export type Count = number;

/** The shadow OS. */
export class World {
  readonly files = new Map<string, ShadowFile>();
  readonly pipes: ShadowPipe[] = [];
  readonly ends: SockEnd[] = [];
  readonly listeners: ShadowListener[] = [];
  /** Bytes all files hold (the memory OS's `usedBytes`). */
  used = 0;
  private nextStream = 0;

  constructor(
    readonly pipeCapacity: number,
    readonly socketBuffer: number,
    readonly maxBytes: number,
    readonly backlog: number,
  ) {}

  newPipe(): ShadowPipe {
    const p = { stream: new Stream(this.nextStream++, this.pipeCapacity), readers: 1, writers: 1 };
    this.pipes.push(p);
    return p;
  }

  newListener(port: number): ShadowListener {
    const l = { port, closed: false, pending: [] };
    this.listeners.push(l);
    return l;
  }

  private newEnd(): SockEnd {
    const s = { inbox: new Stream(this.nextStream++, this.socketBuffer), peer: null, closed: false, reset: false };
    this.ends.push(s);
    return s;
  }

  /** connect to `port`: the client end, or an errno. */
  connect(port: number): SockEnd | Errno {
    const l = this.listeners.find((x) => x.port === port && !x.closed);
    if (l === undefined || l.pending.length >= this.backlog) return Errno.connrefused;
    const client = this.newEnd();
    const server = this.newEnd();
    client.peer = server;
    server.peer = client;
    l.pending.push(server);
    return client;
  }

  accept(l: ShadowListener): SockEnd | Errno {
    return l.pending.shift() ?? Errno.again;
  }

  /** A file opened with `trunc`: its bytes go back to the quota. */
  open(name: string, creat: boolean, trunc: boolean): ShadowFile | Errno {
    let f = this.files.get(name);
    if (f === undefined) {
      if (!creat) return Errno.noent;
      f = { name, data: new Uint8Array(64), size: 0 };
      this.files.set(name, f);
    } else if (trunc) {
      this.used -= f.size;
      f.data.fill(0);
      f.size = 0;
    }
    return f;
  }

  /**
   * write of `n` bytes (already shortened by a fault): the count or -errno,
   * applied to the shadow. `bytes` are the bytes the host writes (files).
   */
  write(r: Res, bytes: Uint8Array): Count {
    const n = bytes.length;
    if (!r.writable) return -Errno.badf;
    if (r.pipe !== undefined) {
      const p = r.pipe;
      if (p.readers === 0) return -Errno.pipe;
      if (n === 0) return 0;
      const space = p.stream.space;
      if (space === 0 || (n <= PIPE_BUF && space < n)) return -Errno.again;
      const put = Math.min(n, space);
      p.stream.written += put;
      return put;
    }
    if (r.sock !== undefined) {
      const s = r.sock;
      if (s.reset) return -Errno.connreset;
      const p = s.peer;
      if (p === null || p.closed) return -Errno.pipe;
      if (n === 0) return 0;
      if (p.inbox.space === 0) return -Errno.again;
      const put = Math.min(n, p.inbox.space);
      p.inbox.written += put;
      return put;
    }
    if (r.listener !== undefined) return -Errno.pipe;
    if (r.file !== undefined) {
      const f = r.file;
      if (n === 0) return 0;
      const at = r.append ? f.size : r.pos;
      let end = at + n;
      if (end > f.size && this.used + (end - f.size) > this.maxBytes) {
        end = f.size + Math.max(0, this.maxBytes - this.used);
        if (end <= at) return -Errno.nospc;
      }
      if (end > f.size) {
        this.used += end - f.size;
        if (end > f.data.length) {
          const grown = new Uint8Array(Math.max(end, f.data.length * 2));
          grown.set(f.data);
          f.data = grown;
        }
        f.size = end;
      }
      f.data.set(bytes.subarray(0, end - at), at);
      r.pos = end;
      return end - at;
    }
    return -Errno.badf;
  }

  /**
   * read of at most `n` bytes: the count or -errno, applied to the shadow;
   * `expect` receives the bytes the read must return (files: their
   * contents; streams: the next sequence numbers).
   */
  read(r: Res, n: number): { count: Count; expect: Uint8Array } {
    const none = new Uint8Array(0);
    if (r.kind === "directory") return { count: -Errno.isdir, expect: none };
    if (!r.readable) return { count: -Errno.badf, expect: none };
    let st: Stream | null = null;
    if (r.pipe !== undefined) {
      const p = r.pipe;
      if (p.stream.queued === 0) return { count: p.writers === 0 ? 0 : -Errno.again, expect: none };
      st = p.stream;
    } else if (r.sock !== undefined) {
      const s = r.sock;
      if (s.reset) return { count: -Errno.connreset, expect: none };
      if (s.inbox.queued === 0) return { count: s.peer === null || s.peer.closed ? 0 : -Errno.again, expect: none };
      st = s.inbox;
    } else if (r.listener !== undefined) {
      return { count: -Errno.notconn, expect: none };
    } else if (r.file !== undefined) {
      const f = r.file;
      const got = r.pos >= f.size ? 0 : Math.min(n, f.size - r.pos);
      const expect = f.data.slice(r.pos, r.pos + got);
      r.pos += got;
      return { count: got, expect };
    }
    if (st === null) return { count: -Errno.badf, expect: none };
    const got = Math.min(n, st.queued);
    const expect = new Uint8Array(got);
    const from = st.read + st.discarded;
    for (let i = 0; i < got; i++) expect[i] = streamByte(st.id, from + i);
    st.read += got;
    return { count: got, expect };
  }

  /** The next `n` bytes a write to `r` carries (streams: sequence numbers after what is queued). */
  payload(r: Res, n: number, random: (buf: Uint8Array) => void): Uint8Array {
    const out = new Uint8Array(n);
    const st = r.pipe?.stream ?? r.sock?.peer?.inbox;
    if (st === undefined) {
      random(out);
    } else {
      for (let i = 0; i < n; i++) out[i] = streamByte(st.id, st.written + i);
    }
    return out;
  }

  /** host/os/memory/poll.ts readiness: 0 not ready, 1 ready, 2 hung up or in error. */
  readiness(r: Res, write: boolean): number {
    if (r.osClosed) return 2;
    if (r.pipe !== undefined) {
      const p = r.pipe;
      if (r.readable) {
        if (p.writers === 0) return 2;
        return !write && p.stream.queued > 0 ? 1 : 0;
      }
      if (p.readers === 0) return 2;
      return write && p.stream.space > 0 ? 1 : 0;
    }
    if (r.sock !== undefined) {
      const s = r.sock;
      const p = s.peer;
      const peerDone = p === null || p.closed;
      if (s.reset) return 2;
      if (write) return p === null || p.closed || p.inbox.space > 0 ? 1 : 0;
      return s.inbox.queued > 0 || peerDone ? 1 : 0;
    }
    if (r.listener !== undefined) return r.listener.closed ? 2 : !write && r.listener.pending.length > 0 ? 1 : 0;
    return 1;
  }

  /** The host closed `r.mem` (its description was released): what the other ends now see. */
  closed(r: Res): void {
    r.osClosed = true;
    if (r.pipe !== undefined) {
      const p = r.pipe;
      if (r.readable) p.readers--;
      if (r.writable) p.writers--;
      if (p.readers === 0) p.stream.discard();
    } else if (r.sock !== undefined) {
      r.sock.closed = true;
      r.sock.inbox.discard();
    } else if (r.listener !== undefined) {
      const l = r.listener;
      l.closed = true;
      for (const s of l.pending) {
        s.closed = true;
        s.inbox.discard();
        if (s.peer !== null) s.peer.reset = true;
      }
      l.pending.length = 0;
    }
  }

  /** Every stream's bytes accounted for: read in order, or discarded when its reader closed. */
  *streams(): Iterable<Stream> {
    for (const p of this.pipes) yield p.stream;
    for (const s of this.ends) yield s.inbox;
  }
}
