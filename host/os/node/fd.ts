/**
 * Descriptor operations: read, write, seek, truncate, sync, close.
 *
 * read/write use the kernel's file offset (readv/writev with a null
 * position) and seek is lseek(2) through sys.ts, so an open file description
 * shared with another process (a redirected stdout, a fork) or with a dup'ed
 * fd keeps one offset, as POSIX says. O_APPEND writes go to the end by the
 * kernel's doing. pread/pwrite are positional and leave the offset alone.
 *
 * Beware: Node's `readvSync`/`writevSync` silently treat a bigint position
 * as null (kernel offset); positions are passed as numbers here (offsets past
 * 2^53 are refused with `overflow`).
 */
import fs from 'node:fs';
import { Errno, FileType, Whence } from '../types.js';
import { errnoFromError, errnoFromNumber } from './errors.js';
import type { NodeHandle } from './handle.js';
import * as libc from './libc.js';
import { closeCursor } from './readdir.js';
import { lseek, poll, POLLIN, POLLOUT } from './sys.js';

const MAX_POS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Read into `bufs` (scatter) at the file offset, advancing it.
 * Returns the byte count (0 at end of file) or a negated errno (`-badf`
 * when closed, `-isdir` for a directory...).
 */
export function read(h: NodeHandle, bufs: readonly Uint8Array[]): number {
  if (h.fd < 0) return -Errno.badf;
  for (;;) {
    try {
      return fs.readvSync(h.fd, bufs as Uint8Array[]);
    } catch (err) {
      const e = errnoFromError(err);
      if (e === Errno.again && h.waitOnAgain && waitReady(h.fd, false)) continue;
      return -e;
    }
  }
}

/** Read at `offset` without moving the position. Non-seekable files: `-spipe`. Bytes or negated errno. */
export function pread(h: NodeHandle, bufs: readonly Uint8Array[], offset: bigint): number {
  if (h.fd < 0) return -Errno.badf;
  if (offset < 0n) return -Errno.inval;
  if (offset > MAX_POS) return -Errno.overflow;
  if (!h.seekable) return h.type === FileType.directory ? -Errno.isdir : -Errno.spipe;
  try {
    return fs.readvSync(h.fd, bufs as Uint8Array[], Number(offset));
  } catch (err) {
    return -errnoFromError(err);
  }
}

/**
 * Write `bufs` (gather) at the file offset — at the end for an APPEND
 * handle — advancing it. Bytes written or negated errno.
 */
export function write(h: NodeHandle, bufs: readonly Uint8Array[]): number {
  if (h.fd < 0) return -Errno.badf;
  for (;;) {
    try {
      return fs.writevSync(h.fd, bufs as Uint8Array[]);
    } catch (err) {
      const e = errnoFromError(err);
      if (e === Errno.again && h.waitOnAgain && waitReady(h.fd, true)) continue;
      return -e;
    }
  }
}

/**
 * Waits until `fd` is readable (or writable), for a handle that emulates
 * blocking on a nonblocking description (NodeHandle.waitOnAgain). True to
 * retry; false if poll itself failed (the caller reports its EAGAIN).
 */
export function waitReady(fd: number, write: boolean): boolean {
  const revents = [0];
  for (;;) {
    const r = poll([fd], [write ? POLLOUT : POLLIN], revents, -1);
    if (r === -4 /* EINTR */) continue;
    return r > 0;
  }
}

/**
 * Write at `offset` without moving the position. Non-seekable files:
 * `-spipe`. On an APPEND handle Linux appends whatever the offset (as
 * pwrite(2) does). Bytes or negated errno.
 */
export function pwrite(h: NodeHandle, bufs: readonly Uint8Array[], offset: bigint): number {
  if (h.fd < 0) return -Errno.badf;
  if (offset < 0n) return -Errno.inval;
  if (offset > MAX_POS) return -Errno.overflow;
  if (!h.seekable) return h.type === FileType.directory ? -Errno.isdir : -Errno.spipe;
  try {
    return fs.writevSync(h.fd, bufs as Uint8Array[], Number(offset));
  } catch (err) {
    return -errnoFromError(err);
  }
}

/**
 * Move the position: returns the new one. `end` costs one fstat. A
 * resulting negative position is `inval`; a non-seekable handle (pipe,
 * socket, character device, directory) is `spipe`.
 */
export function seek(h: NodeHandle, offset: bigint, whence: Whence): bigint | Errno {
  if (h.fd < 0) return Errno.badf;
  if (!h.seekable) return Errno.spipe;
  if (whence !== Whence.set && whence !== Whence.cur && whence !== Whence.end) return Errno.inval;
  if (offset < -0x8000_0000_0000_0000n || offset > 0x7fff_ffff_ffff_ffffn) return Errno.inval;
  const r = lseek(h.fd, offset, whence);
  return r < 0n ? errnoFromNumber(Number(-r)) : r;
}

/** Set the file's size (position unchanged). `inval` for a negative size. */
export function ftruncate(h: NodeHandle, size: bigint): Errno {
  if (h.fd < 0) return Errno.badf;
  if (size < 0n) return Errno.inval;
  if (size > MAX_POS) return Errno.fbig;
  try {
    fs.ftruncateSync(h.fd, Number(size));
  } catch (err) {
    return errnoFromError(err);
  }
  return Errno.success;
}

/** fsync(2). */
export function fsync(h: NodeHandle): Errno {
  if (h.fd < 0) return Errno.badf;
  try {
    fs.fsyncSync(h.fd);
  } catch (err) {
    return errnoFromError(err);
  }
  return Errno.success;
}

/** fdatasync(2). */
export function fdatasync(h: NodeHandle): Errno {
  if (h.fd < 0) return Errno.badf;
  try {
    fs.fdatasyncSync(h.fd);
  } catch (err) {
    return errnoFromError(err);
  }
  return Errno.success;
}

/**
 * Close the handle and its directory stream, if any. The handle is dead
 * afterwards (every call on it is `badf`, a second close too), even if the
 * OS reported an error on close (the descriptor is released by Linux then).
 */
export function close(h: NodeHandle): Errno {
  const fd = h.fd;
  if (fd < 0) return Errno.badf;
  h.fd = -1;
  let result: Errno = Errno.success;
  if (h.cursor !== null) {
    try {
      closeCursor(h.cursor);
    } catch (err) {
      result = errnoFromError(err);
    }
    h.cursor = null;
  }
  const r = libc.close(fd);
  return r < 0 ? errnoFromNumber(-r) : result;
}

/**
 * {@link read} into one buffer: read(2) straight through libc.ts, without
 * node:fs's array handling. A failed read(2) consumed nothing, so on any
 * error the call is made again by {@link read}, which owns the error
 * semantics (mapping, waiting, retrying).
 */
export function read1(h: NodeHandle, buf: Uint8Array): number {
  if (h.fd < 0) return -Errno.badf;
  const r = libc.read(h.fd, buf);
  return r >= 0 ? r : read(h, [buf]);
}

/** {@link write} of one buffer, as {@link read1}: a failed write(2) wrote nothing, so errors go to {@link write}. */
export function write1(h: NodeHandle, buf: Uint8Array): number {
  if (h.fd < 0) return -Errno.badf;
  const r = libc.write(h.fd, buf);
  return r >= 0 ? r : write(h, [buf]);
}
