/**
 * Descriptor operations: read, write (positional or at the tracked
 * position), seek, truncate, sync, close.
 *
 * Node has no lseek(2), so the position of a seekable file (regular file or
 * block device) lives in the handle (`pos`) and every read/write of it is
 * positional (preadv/pwritev at `pos`), then `pos` advances. The kernel's own
 * offset is never used for those files. Exceptions:
 *
 * - APPEND handles write with the kernel's offset (`writev`, which O_APPEND
 *   sends to the end; pwrite on an O_APPEND descriptor also appends on Linux,
 *   so nothing else would be correct) and the position becomes "at end",
 *   resolved by one fstat when next needed.
 * - Non-seekable files (pipes, sockets, character devices, FIFOs) use the
 *   kernel's stream (`readv`/`writev` with a null position), and `seek`
 *   is `spipe`.
 *
 * Beware: Node's `readvSync`/`writevSync` silently treat a bigint position
 * as null (kernel offset); positions are passed as numbers here (files past
 * 2^53 bytes are refused with `overflow`).
 */
import fs from 'node:fs';
import { Errno, FileType, Whence } from '../types.js';
import { errnoFromError } from './errors.js';
import { POS_AT_END, type NodeHandle } from './handle.js';
import { closeCursor } from './readdir.js';

const MAX_POS = BigInt(Number.MAX_SAFE_INTEGER);

/** The handle's position, fetching the size if it is "at end". Throws OS errors. */
function position(h: NodeHandle): bigint {
  if (h.pos === POS_AT_END) h.pos = fs.fstatSync(h.fd, { bigint: true }).size;
  return h.pos;
}

/**
 * Read into `bufs` (scatter) at the handle's position, advancing it.
 * Returns the byte count (0 at end of file) or a negated errno (`-badf`
 * when closed, `-isdir` for a directory...).
 */
export function read(h: NodeHandle, bufs: readonly Uint8Array[]): number {
  if (h.fd < 0) return -Errno.badf;
  try {
    if (!h.seekable) return fs.readvSync(h.fd, bufs as Uint8Array[]);
    const pos = position(h);
    if (pos > MAX_POS) return -Errno.overflow;
    const n = fs.readvSync(h.fd, bufs as Uint8Array[], Number(pos));
    h.pos = pos + BigInt(n);
    return n;
  } catch (err) {
    return -errnoFromError(err);
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
 * Write `bufs` (gather) at the handle's position — at the end for an APPEND
 * handle — advancing it. Bytes written or negated errno.
 */
export function write(h: NodeHandle, bufs: readonly Uint8Array[]): number {
  if (h.fd < 0) return -Errno.badf;
  try {
    if (!h.seekable) return fs.writevSync(h.fd, bufs as Uint8Array[]);
    if (h.append) {
      const n = fs.writevSync(h.fd, bufs as Uint8Array[]);
      h.pos = POS_AT_END;
      return n;
    }
    const pos = h.pos;
    if (pos > MAX_POS) return -Errno.overflow;
    const n = fs.writevSync(h.fd, bufs as Uint8Array[], Number(pos));
    h.pos = pos + BigInt(n);
    return n;
  } catch (err) {
    return -errnoFromError(err);
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
  let base: bigint;
  try {
    switch (whence) {
      case Whence.set: base = 0n; break;
      case Whence.cur: base = position(h); break;
      case Whence.end: base = fs.fstatSync(h.fd, { bigint: true }).size; break;
      default: return Errno.inval;
    }
  } catch (err) {
    return errnoFromError(err);
  }
  const next = base + offset;
  if (next < 0n) return Errno.inval;
  if (next > 0xffff_ffff_ffff_ffffn) return Errno.overflow;
  h.pos = next;
  return next;
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
  try {
    fs.closeSync(fd);
  } catch (err) {
    return errnoFromError(err);
  }
  return result;
}
