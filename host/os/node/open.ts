/**
 * openAt: open a path inside the sandbox. preopenDir / adoptFd: the only
 * ways the embedder hands descriptors in.
 */
import fs from 'node:fs';
import { Errno, FileType, OpenFlags } from '../types.js';
import { errnoFromNumber } from './errors.js';
import { fileTypeOf, NodeHandle } from './handle.js';
import * as libc from './libc.js';
import { ensureProcFd } from './proc.js';
import { Walk } from './resolve.js';

const C = fs.constants;

/** OpenFlags → Linux open(2) flags. O_NOFOLLOW is always added by openAt. */
function osFlags(flags: number): number {
  const rw = flags & (OpenFlags.READ | OpenFlags.WRITE);
  let f = rw === (OpenFlags.READ | OpenFlags.WRITE) ? C.O_RDWR : rw === OpenFlags.WRITE ? C.O_WRONLY : C.O_RDONLY;
  if (flags & OpenFlags.CREAT) f |= C.O_CREAT;
  if (flags & OpenFlags.DIRECTORY) f |= C.O_DIRECTORY;
  if (flags & OpenFlags.EXCL) f |= C.O_EXCL;
  if (flags & OpenFlags.TRUNC) f |= C.O_TRUNC;
  if (flags & OpenFlags.APPEND) f |= C.O_APPEND;
  if (flags & OpenFlags.DSYNC) f |= C.O_DSYNC;
  if (flags & OpenFlags.NONBLOCK) f |= C.O_NONBLOCK;
  if (flags & (OpenFlags.RSYNC | OpenFlags.SYNC)) f |= C.O_SYNC;
  return f | C.O_NOFOLLOW;
}

const ALL_FLAGS = Object.values(OpenFlags).reduce((a, b) => a | b, 0);

/**
 * Open `path` under directory handle `dir`.
 *
 * Promises: every component is resolved inside the sandbox (see
 * resolve.ts); the final open is `openat(D, name, flags | O_NOFOLLOW)`
 * (libc.ts), so a symlink swapped in at the last moment is never followed
 * by the kernel. For a plain one-component path the cost is one openat(2),
 * plus one statx(2) asking only for the file type unless DIRECTORY was
 * asked (then the type is known).
 *
 * Final symlinks: with `follow` (or a trailing slash) the target is walked
 * in the sandbox; without, opening a symlink fails as Linux (and wasmtime on
 * Linux) does: `loop`, or `notdir` when DIRECTORY is set. CREAT|EXCL on an
 * existing symlink is `exist`. CREAT on a dangling symlink with `follow`
 * creates its target, inside the sandbox only.
 *
 * Refuses: what {@link Walk.start} refuses; unknown flag bits and
 * CREAT|DIRECTORY (`inval`); escaping paths or symlinks (`notcapable`); a
 * trailing slash on a non-directory (`notdir`); a closed `dir` (`badf`).
 *
 * Known limit: opening a FIFO for reading blocks (Node's calls are
 * synchronous) unless NONBLOCK is given.
 */
export function openAt(dir: NodeHandle, path: string, follow: boolean, flags: number, mode = 0o666): NodeHandle | Errno {
  if (dir.fd < 0) return Errno.badf;
  if ((flags & ~ALL_FLAGS) !== 0) return Errno.inval;
  if ((flags & OpenFlags.CREAT) && (flags & OpenFlags.DIRECTORY)) return Errno.inval;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    for (;;) {
      const e2 = w.toFinal();
      if (e2 !== Errno.success) return e2;
      const wantDir = (flags & OpenFlags.DIRECTORY) !== 0 || w.mustBeDir;
      let f = osFlags(flags);
      if (wantDir) f |= C.O_DIRECTORY;
      const fd = libc.openat(w.dir, w.name, f, mode);
      if (fd < 0) {
        // ELOOP: a symlink refused by O_NOFOLLOW. ENOTDIR with O_DIRECTORY: a
        // symlink, or a non-directory. Follow it when asked.
        if ((follow || w.mustBeDir) && (fd === -libc.ELOOP || (fd === -libc.ENOTDIR && wantDir))) {
          const target = w.readFinal();
          if (typeof target === 'number') return target;
          if (target === null) return errnoFromNumber(-fd);
          const x = w.expand(target);
          if (x !== Errno.success) return x;
          continue;
        }
        return errnoFromNumber(-fd);
      }
      return wrapOpened(fd, wantDir ? FileType.directory : -1, (flags & OpenFlags.APPEND) !== 0);
    }
  } finally {
    w.close();
  }
}

/** Wrap a fresh descriptor, learning its type with one statx unless known. Closes it on failure. */
function wrapOpened(fd: number, knownType: FileType | -1, append: boolean): NodeHandle | Errno {
  let type: number = knownType;
  if (type === -1) {
    type = libc.typeOf(fd);
    if (type < 0) {
      libc.close(fd);
      return errnoFromNumber(-type);
    }
  }
  return new NodeHandle(fd, type as FileType, append);
}

/**
 * Open a HOST directory as a sandbox root (a WASI preopen). The host path is
 * trusted embedder configuration: it is opened as given (symlinks in it
 * followed). Everything the guest reaches afterwards goes through the
 * returned handle. Throws if the path is not an openable directory (a host
 * configuration error, not a guest error), or if /proc/self/fd is unusable.
 */
export function preopenDir(hostPath: string): NodeHandle {
  ensureProcFd();
  const fd = fs.openSync(hostPath, C.O_RDONLY | C.O_DIRECTORY);
  return new NodeHandle(fd, FileType.directory, false, true);
}

/**
 * Wrap a descriptor the embedder already owns (stdio, a socket, a host file
 * or directory). The handle takes ownership: closing it closes `fd`. Its
 * type comes from fstat; O_APPEND and the current offset (the starting
 * position of a seekable file) from /proc/self/fdinfo, since Node has
 * neither fcntl nor lseek. `preopen` marks a directory as handed to the
 * guest as a preopen (informational: every directory handle confines the
 * paths resolved under it). Throws on a bad descriptor.
 */
export function adoptFd(fd: number, preopen = false): NodeHandle {
  ensureProcFd();
  const type = fileTypeOf(fs.fstatSync(fd));
  const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
  const flags = /^flags:\s*([0-7]+)$/m.exec(info);
  const append = flags !== null && (parseInt(flags[1]!, 8) & C.O_APPEND) !== 0;
  return new NodeHandle(fd, type, append, preopen && type === FileType.directory);
}
