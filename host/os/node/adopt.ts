/**
 * Node resources in and out of the backend: what an embedder hands a guest
 * (a numeric fd, an fs.promises FileHandle, a directory path, a net.Socket,
 * a net.Server, a child process's stdio stream, process.stdin/stdout/stderr)
 * becomes a NodeHandle on a descriptor WE own; what it takes back becomes a
 * Node resource again. Used by both WASI versions' embedding API
 * (host/wasi/embed.ts, host/preview2).
 *
 * Ownership, io-lifetimes style:
 * - Every handle made here is on our own descriptor: a dup (F_DUPFD_CLOEXEC)
 *   of the object's fd, or, for a numeric fd that is given, the fd itself
 *   (ownership moves as is). Closing it never closes anything the host still
 *   holds.
 * - Giving is two-phase: adoptResource() inspects, refuses and dups without
 *   touching the Node object; commit() then ends the host's use of it
 *   (destroy, close), once the guest's table has accepted the descriptor;
 *   abort() undoes the first phase instead. Lending never touches the object.
 * - The process's own stdio (fds 0, 1, 2, and process.stdin/stdout/stderr or
 *   any other stream on them) is always dup'ed and never closed.
 *
 * Refuses (TypeError, before any change): a closed or destroyed object, a
 * socket still connecting, a socket with bytes Node has already read and
 * buffered (the guest would never see them) or with writes Node has not yet
 * flushed (they would be lost, or reach the peer after the guest's), a server
 * that is not listening, a path that is not a directory, a flag that cannot
 * be set on a descriptor the host keeps using.
 */
import fs from 'node:fs';
import net from 'node:net';
import { FileType } from '../types.js';
import { close } from './fd.js';
import { fileTypeOf, NodeHandle } from './handle.js';
import { preopenDir } from './open.js';
import * as sys from './sys.js';

/** What a descriptor is, as the ownership core records it. */
export type AdoptedKind = 'file' | 'directory' | 'pipe' | 'char-device' | 'socket' | 'listener';

export interface AdoptOptions {
  /** "give": ownership moves to us (commit() ends the host's use); "lend": a dup, the object is untouched. */
  mode: 'give' | 'lend';
  /** O_APPEND as the guest should see it (default: as the descriptor has it). */
  append?: boolean;
  /** O_NONBLOCK as the guest should see it (default: blocking). */
  nonblock?: boolean;
}

/** A resource turned into our own descriptor, not yet committed. */
export interface Adopted {
  readonly handle: NodeHandle;
  readonly kind: AdoptedKind;
  /** A terminal (isatty). */
  readonly terminal: boolean;
  /** The description flags the guest sees. */
  readonly append: boolean;
  readonly nonblock: boolean;
  /** "net.Socket", "fd 7", "directory /srv/data", ...: for messages. */
  readonly what: string;
  /**
   * For a given Unix-domain server: removes its socket path, if the path
   * still names the same socket. Run once the last handle on it closes.
   */
  readonly removePath: (() => void) | null;
  /** Ends the host's use of the resource (give); nothing for a lend. Once. */
  commit(): void;
  /** Undoes adoptResource(): closes our dup, puts back a moved socket path. Once; not after commit(). */
  abort(): void;
}

/** What can be given or lent. */
export type NodeResource = number | string | fs.promises.FileHandle | net.Socket | net.Server | NodeJS.ReadableStream | NodeJS.WritableStream;

/** A libuv stream handle as Node keeps it (`stream._handle`): its fd is -1 when there is none. */
interface StreamHandle {
  fd?: number;
}

interface NodeStream {
  _handle?: StreamHandle | null;
  /** fs streams (and process.stdout/stderr on a file) keep their fd here. */
  fd?: number | null;
  destroyed?: boolean;
  connecting?: boolean;
  readableLength?: number;
  writableLength?: number;
  destroy(): void;
}

function isFileHandle(r: object): r is fs.promises.FileHandle {
  return r.constructor?.name === 'FileHandle' && typeof (r as { fd?: unknown }).fd === 'number' &&
    typeof (r as { close?: unknown }).close === 'function';
}

function isStream(r: object): r is NodeStream {
  return ('_handle' in r || 'fd' in r) && typeof (r as { destroy?: unknown }).destroy === 'function';
}

/** The fd of a stream: its libuv handle's, or an fs stream's own. */
function streamFd(r: NodeStream): number | undefined {
  const fd = r._handle?.fd ?? r.fd;
  return typeof fd === 'number' ? fd : undefined;
}

let renames = 0;

/**
 * Turns `resource` into a handle on our own descriptor (see the module
 * comment). Throws TypeError for what it refuses, and for anything that is
 * not a resource it knows; nothing has changed then.
 */
export function adoptResource(resource: unknown, opts: AdoptOptions): Adopted {
  const give = opts.mode === 'give';
  if (typeof resource === 'string') return adoptDirectory(resource, opts);
  let fd: number;
  let what: string;
  /** The description stays in use by someone else (the host, the process): its flags are not ours to change. */
  let shared: boolean;
  let dup = true;
  let end = (): void => {};
  let unix: { path: string; moved: string; ino: bigint; dev: bigint } | null = null;

  if (typeof resource === 'number') {
    if (!Number.isInteger(resource) || resource < 0) throw new TypeError(`${String(resource)} is not a file descriptor`);
    what = `fd ${resource}`;
    fstatOf(resource, what);
    // The process's stdio is never given away; any other fd moves as is.
    dup = !give || resource <= 2;
    shared = dup;
    fd = resource;
  } else if (typeof resource === 'object' && resource !== null && isFileHandle(resource)) {
    what = 'FileHandle';
    fd = resource.fd;
    if (fd < 0) throw new TypeError(`${what}: it is closed`);
    shared = !give;
    end = () => {
      // The FileHandle is unusable from here on (its fd reads -1); the close itself completes later.
      void resource.close();
    };
  } else if (resource instanceof net.Server) {
    what = 'net.Server';
    const h = (resource as unknown as { _handle?: StreamHandle | null })._handle;
    if (!resource.listening || h?.fd === undefined || h.fd < 0) throw new TypeError(`${what}: it is not listening`);
    fd = h.fd;
    shared = !give;
    const address = resource.address();
    // (An abstract-namespace address, "\0name", has no path.)
    if (give && typeof address === 'string' && !address.startsWith('\0')) {
      // libuv unlinks a Unix server's path when the server closes; the guest
      // still listens on it. Move the path aside while Node closes, then back.
      const st = fs.lstatSync(address, { bigint: true });
      unix = { path: address, moved: `${address}.iolife-${process.pid}-${++renames}`, ino: st.ino, dev: st.dev };
    }
    end = () => {
      resource.close();
    };
  } else if (typeof resource === 'object' && resource !== null && isStream(resource) && (streamFd(resource) ?? -1) >= 0 &&
    streamFd(resource)! <= 2) {
    // process.stdin/stdout/stderr (or another stream on the process's stdio), found by fd: asking
    // `resource === process.stdin` would create process.stdin as a side effect.
    fd = streamFd(resource)!;
    what = ['process.stdin', 'process.stdout', 'process.stderr'][fd]!;
    shared = true;
  } else if (typeof resource === 'object' && resource !== null && isStream(resource)) {
    what = resource instanceof net.Socket ? 'net.Socket' : (resource.constructor?.name ?? 'stream');
    if (resource.destroyed) throw new TypeError(`${what}: it is destroyed`);
    if (resource.connecting) throw new TypeError(`${what}: it is still connecting`);
    const fdOf = streamFd(resource);
    if (fdOf === undefined || fdOf < 0) throw new TypeError(`${what}: it has no file descriptor`);
    if ((resource.readableLength ?? 0) > 0) {
      throw new TypeError(`${what}: Node has already read ${resource.readableLength} bytes from it that the guest would never see ` +
        '(create the server with pauseOnConnect: true, or hand it over before reading)');
    }
    if ((resource.writableLength ?? 0) > 0) {
      throw new TypeError(`${what}: ${resource.writableLength} bytes written by the host are not flushed yet`);
    }
    fd = fdOf;
    shared = !give;
    end = () => {
      resource.destroy();
    };
  } else {
    throw new TypeError('not a resource iolife can hand to a guest: expected a file descriptor, an fs.promises FileHandle, ' +
      'a directory path, a net.Socket, a net.Server, a child process\'s stdio stream or process.stdin/stdout/stderr');
  }

  const type = fileTypeOf(fstatOf(fd, what));
  const flags = sys.getFlags(fd);
  if (flags < 0) throw new TypeError(`${what}: fcntl(F_GETFL) failed: errno ${-flags}`);
  const osAppend = (flags & sys.O_APPEND) !== 0;
  const osNonblock = (flags & sys.O_NONBLOCK) !== 0;
  const append = opts.append ?? osAppend;
  const nonblock = opts.nonblock ?? false;
  if (shared && append !== osAppend) {
    throw new TypeError(`${what}: cannot ${append ? 'set' : 'clear'} O_APPEND on a descriptor the host keeps using (its open file description is shared)`);
  }
  if (shared && nonblock && !osNonblock) {
    throw new TypeError(`${what}: cannot make a descriptor the host keeps using nonblocking (its open file description is shared)`);
  }

  let own = fd;
  if (dup) {
    own = sys.dup(fd);
    if (own < 0) throw new Error(`${what}: dup failed: errno ${-own}`);
  }
  const handle = new NodeHandle(own, type, append, false);
  // A shared nonblocking description the guest sees as blocking: wait on EAGAIN.
  if (shared && osNonblock && !nonblock) handle.waitOnAgain = true;
  const terminal = type === FileType.characterDevice && sys.isTerminal(own);
  const kind: AdoptedKind = type === FileType.directory ? 'directory'
    : type === FileType.regularFile ? 'file'
    : type === FileType.characterDevice || type === FileType.blockDevice ? 'char-device'
    : type === FileType.socketStream || type === FileType.socketDgram ? (sys.isListening(own) ? 'listener' : 'socket')
    : 'pipe';

  if (unix !== null) fs.renameSync(unix.path, unix.moved);
  const moved = unix;
  let done = false;
  return {
    handle, kind, terminal, append, nonblock, what,
    removePath: moved === null ? null : () => removeSocketPath(moved),
    commit() {
      if (done) throw new Error('adopt: commit() or abort() has already run');
      done = true;
      if (!give) return;
      end();
      if (moved !== null) fs.renameSync(moved.moved, moved.path);
      // Ours alone now: the OS flags follow what the guest sees.
      if (!shared) {
        setFlag(own, sys.O_APPEND, append, osAppend, what);
        setFlag(own, sys.O_NONBLOCK, nonblock, osNonblock, what);
      }
    },
    abort() {
      if (done) throw new Error('adopt: commit() or abort() has already run');
      done = true;
      if (moved !== null) fs.renameSync(moved.moved, moved.path);
      // A handle someone already closed (the core's release) reads fd -1: close() is then a no-op.
      if (dup) close(handle);
    },
  };
}

function setFlag(fd: number, flag: number, on: boolean, was: boolean, what: string): void {
  if (on === was) return;
  const r = sys.setFlag(fd, flag, on);
  if (r < 0) throw new Error(`${what}: fcntl(F_SETFL) failed: errno ${-r}`);
}

function fstatOf(fd: number, what: string): fs.Stats {
  try {
    return fs.fstatSync(fd);
  } catch (e) {
    throw new TypeError(`${what}: not an open file descriptor (${(e as Error).message})`);
  }
}

/** A host directory, opened as a sandbox root (as a preopen is). */
function adoptDirectory(path: string, opts: AdoptOptions): Adopted {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    throw new TypeError(`directory ${path}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) throw new TypeError(`${path}: only a directory can be handed over by path`);
  if (opts.append || opts.nonblock) throw new TypeError(`directory ${path}: append and nonblock do not apply to a directory`);
  const handle = preopenDir(path);
  let done = false;
  return {
    handle, kind: 'directory', terminal: false, append: false, nonblock: false, what: `directory ${path}`, removePath: null,
    commit() {
      if (done) throw new Error('adopt: commit() or abort() has already run');
      done = true;
    },
    abort() {
      if (done) throw new Error('adopt: commit() or abort() has already run');
      done = true;
      close(handle);
    },
  };
}

/** Unlinks a Unix socket's path if it still names that socket (not a file someone put there since). */
function removeSocketPath(p: { path: string; ino: bigint; dev: bigint }): void {
  let st: fs.BigIntStats;
  try {
    st = fs.lstatSync(p.path, { bigint: true });
  } catch {
    return; // gone already
  }
  if (st.isSocket() && st.ino === p.ino && st.dev === p.dev) fs.unlinkSync(p.path);
}

/** A new descriptor of ours on the same open file description as `h` (for take). Throws if the OS refuses. */
export function dupHandle(h: NodeHandle): NodeHandle {
  if (h.fd < 0) throw new Error('dup: the handle is closed');
  const fd = sys.dup(h.fd);
  if (fd < 0) throw new Error(`dup failed: errno ${-fd}`);
  const copy = new NodeHandle(fd, h.type, h.append, false);
  return copy;
}

/** What take() gives the host: an fd for files, directories, pipes and devices; Node objects for sockets. */
export type TakenResource = number | net.Socket | net.Server;

/**
 * Hands our descriptor `h` to the host as a Node resource of its kind: a
 * number (files, directories, pipes, character devices: the host closes it
 * with fs.closeSync), a net.Socket (connected sockets), or a net.Server
 * listening on it (listeners; `removePath` runs when that server closes).
 * `h` must not be used afterwards.
 */
export function toNodeResource(h: NodeHandle, kind: AdoptedKind, removePath: (() => void) | null): TakenResource {
  const fd = h.fd;
  h.fd = -1;
  switch (kind) {
    case 'socket':
      return new net.Socket({ fd, readable: true, writable: true });
    case 'listener': {
      const server = net.createServer();
      server.listen({ fd });
      if (removePath !== null) server.once('close', removePath);
      return server;
    }
    case 'file':
    case 'directory':
    case 'pipe':
    case 'char-device':
      return fd;
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}
