/**
 * Descriptor operations: read, write, pread, pwrite, seek, truncate, sync,
 * close, and the APPEND flag.
 *
 * A handle is an open file description: its offset and APPEND flag are
 * shared by every fd the ownership core dups from it. Reads update the
 * access time the way Linux's default `relatime` does (only when it is not
 * newer than the modification or change time, or is a day old), so a
 * guest sees what it would see on a Linux file system.
 */
import { Errno, Whence } from '../types.js';
import { deviceRead, deviceWrite } from './device.js';
import { readAt, resize, writeAt } from './file.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DeviceNode, DirNode, FileNode, type Inode, ListenerNode, PipeNode, SocketNode } from './nodes.js';
import { pipeClose, pipeRead, pipeWrite } from './pipe.js';
import { sockClose, sockRead, sockWrite } from './socket.js';

const MAX_POS = Number.MAX_SAFE_INTEGER;
const MAX_POS_BIG = BigInt(MAX_POS);
const DAY_NS = 86_400_000_000_000n;

/** relatime: the access time moves only if it is older than the last change, or a day old. */
function accessed(k: Kernel, n: Inode): void {
  // Stamped (which ticks the clock) only when it changes.
  if (n.atim <= n.mtim || n.atim <= n.ctim || k.platform.nowNs() - n.atim >= DAY_NS) n.atim = k.now();
}

/**
 * Read into `bufs` (scatter) at the handle's offset, advancing it: bytes
 * read (0 at end of file) or a negated errno: `badf` (closed, or not open
 * for reading), `isdir` (a directory), `again` (a stream with nothing to
 * read yet, see pipe.ts and socket.ts), `notconn` (a listening socket).
 */
export function read(k: Kernel, h: MemHandle, bufs: readonly Uint8Array[]): number {
  const n = live(k, h);
  if (n === null) return -Errno.badf;
  if (n instanceof FileNode) {
    if (!h.readable) return -Errno.badf;
    const got = readAt(n, bufs, h.pos);
    h.pos += got;
    accessed(k, n);
    return got;
  }
  if (n instanceof DirNode) return -Errno.isdir;
  if (!h.readable) return -Errno.badf;
  if (n instanceof PipeNode) return pipeRead(k, n, bufs);
  if (n instanceof SocketNode) return sockRead(k, n, bufs, false);
  if (n instanceof DeviceNode) return deviceRead(n, bufs);
  if (n instanceof ListenerNode) return -Errno.notconn;
  return -Errno.badf;
}

/** Read at `offset`, the position unchanged: bytes or negated errno (`spipe` for streams, `isdir`). */
export function pread(k: Kernel, h: MemHandle, bufs: readonly Uint8Array[], offset: bigint): number {
  const n = live(k, h);
  if (n === null) return -Errno.badf;
  if (offset < 0n) return -Errno.inval;
  if (offset > MAX_POS_BIG) return -Errno.overflow;
  if (!(n instanceof FileNode)) return n instanceof DirNode ? -Errno.isdir : -Errno.spipe;
  if (!h.readable) return -Errno.badf;
  const got = readAt(n, bufs, Number(offset));
  accessed(k, n);
  return got;
}

/**
 * Write `bufs` (gather) at the handle's offset — at the end of the file
 * for an APPEND handle — advancing it: bytes written or a negated errno:
 * `badf` (closed, not open for writing, a directory), `fbig`, `nospc`
 * (see file.ts), `pipe` / `again` (streams, see pipe.ts and socket.ts).
 */
export function write(k: Kernel, h: MemHandle, bufs: readonly Uint8Array[]): number {
  const n = live(k, h);
  if (n === null) return -Errno.badf;
  if (!h.writable) return -Errno.badf;
  if (n instanceof FileNode) {
    const at = h.append ? n.size : h.pos;
    const put = writeAt(k, n, bufs, at);
    if (put >= 0) h.pos = at + put;
    return put;
  }
  if (n instanceof PipeNode) return pipeWrite(k, n, bufs);
  if (n instanceof SocketNode) return sockWrite(k, n, bufs);
  if (n instanceof DeviceNode) return deviceWrite(n, bufs);
  if (n instanceof ListenerNode) return -Errno.pipe;
  return -Errno.badf;
}

/**
 * Write at `offset`, the position unchanged. On an APPEND handle the bytes
 * go to the end whatever the offset, as Linux's pwrite(2) does.
 */
export function pwrite(k: Kernel, h: MemHandle, bufs: readonly Uint8Array[], offset: bigint): number {
  const n = live(k, h);
  if (n === null) return -Errno.badf;
  if (offset < 0n) return -Errno.inval;
  if (offset > MAX_POS_BIG) return -Errno.overflow;
  if (!(n instanceof FileNode)) return n instanceof DirNode ? -Errno.isdir : -Errno.spipe;
  if (!h.writable) return -Errno.badf;
  return writeAt(k, n, bufs, h.append ? n.size : Number(offset));
}

/**
 * Move the offset; returns the new one. Only regular files have one:
 * anything else is `spipe` (directories too, as in the Node backend). A
 * negative result, an unknown `whence`, or a position past 2^53 - 1 is
 * `inval`.
 */
export function seek(k: Kernel, h: MemHandle, offset: bigint, whence: Whence): bigint | Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  if (!(n instanceof FileNode)) return Errno.spipe;
  let base: number;
  if (whence === Whence.set) base = 0;
  else if (whence === Whence.cur) base = h.pos;
  else if (whence === Whence.end) base = n.size;
  else return Errno.inval;
  const to = BigInt(base) + offset;
  if (to < 0n || to > MAX_POS_BIG) return Errno.inval;
  h.pos = Number(to);
  return to;
}

/** Set the file's size (position unchanged): `inval` for a negative size, a stream, or a handle not open for writing. */
export function ftruncate(k: Kernel, h: MemHandle, size: bigint): Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  if (size < 0n) return Errno.inval;
  if (size > MAX_POS_BIG) return Errno.fbig;
  if (!(n instanceof FileNode) || !h.writable) return Errno.inval;
  return resize(k, n, Number(size));
}

/** Nothing to flush in memory: success for files and directories, `inval` for streams (as fsync(2) on a pipe). */
export function fsync(k: Kernel, h: MemHandle): Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  return n instanceof FileNode || n instanceof DirNode ? Errno.success : Errno.inval;
}

export function fdatasync(k: Kernel, h: MemHandle): Errno {
  return fsync(k, h);
}

/** Turn APPEND on or off for the description behind `h`. */
export function setAppend(k: Kernel, h: MemHandle, on: boolean): Errno {
  if (live(k, h) === null) return Errno.badf;
  h.append = on;
  return Errno.success;
}

/**
 * Release the handle. The handle is dead afterwards (every call on it is
 * `badf`, a second close too). Closing the last handle of a file with no
 * name frees its bytes; closing a pipe end or a socket is seen by the
 * other end (end of file, `pipe`, a reset for unaccepted connections).
 */
export function close(k: Kernel, h: MemHandle): Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  h.node = null;
  h.cursor = null;
  if (n instanceof FileNode) {
    n.opens--;
    k.release(n);
  } else if (n instanceof PipeNode) {
    pipeClose(h, n);
  } else if (n instanceof SocketNode || n instanceof ListenerNode) {
    sockClose(k, n);
  }
  return Errno.success;
}
