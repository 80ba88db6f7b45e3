/**
 * The Node OS backend: real descriptors on Linux, every path confined to the
 * directory handle it is relative to (cap-std style, see resolve.ts).
 *
 * Default-deny: nothing is reachable except through a handle the embedder
 * creates with {@link preopenDir} or {@link adoptFd}.
 */
import type { Os } from '../types.js';
import type { NodeHandle } from './handle.js';
import { close, fdatasync, fsync, ftruncate, pread, pwrite, read, read1, seek, write, write1 } from './fd.js';
import { linkAt } from './link.js';
import { mkdirAt } from './mkdir.js';
import { adoptFd, openAt, preopenDir } from './open.js';
import { readdir } from './readdir.js';
import { readlinkAt } from './readlink.js';
import { renameAt } from './rename.js';
import { rmdirAt } from './rmdir.js';
import { fstat, fstatInto, statAt, statAtInto } from './stat.js';
import { symlinkAt } from './symlink.js';
import { unlinkAt } from './unlink.js';
import { futimes, utimesAt } from './utimes.js';
import { accept, boundPort, listenTcp, poll, recv, setAppend, shutdown } from './socket.js';

export { NodeHandle } from './handle.js';
export { errnoFromCode, errnoFromError } from './errors.js';
export { MAX_SYMLINKS } from './resolve.js';
export { adoptFd, preopenDir, listenTcp, boundPort };

/** The Node backend as an {@link Os} object. */
export const nodeOs: Os<NodeHandle> = {
  openAt,
  statAt,
  statAtInto,
  mkdirAt,
  unlinkAt,
  rmdirAt,
  renameAt,
  linkAt,
  symlinkAt,
  readlinkAt,
  utimesAt,
  readdir,
  read,
  read1,
  pread,
  write,
  write1,
  pwrite,
  seek,
  fstat,
  fstatInto,
  ftruncate,
  fsync,
  fdatasync,
  futimes,
  close,
  setAppend,
  accept,
  shutdown,
  recv,
  poll,
};
