/**
 * statAt: metadata of a path inside the sandbox; fstat of a handle.
 */
import fs from 'node:fs';
import { Errno, FileType, type FileStat } from '../types.js';
import { errnoFromError, errnoFromNumber } from './errors.js';
import { fileTypeOf, type NodeHandle } from './handle.js';
import * as libc from './libc.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/** Node's bigint Stats → WASI filestat (nanosecond timestamps kept). */
export function toFileStat(s: fs.BigIntStats): FileStat {
  return {
    dev: s.dev,
    ino: s.ino,
    type: fileTypeOf(s),
    nlink: s.nlink,
    size: s.size,
    atimNs: s.atimeNs,
    mtimNs: s.mtimeNs,
    ctimNs: s.ctimeNs,
  };
}

/**
 * Walk `w` (already started) to its final component and lstat it. When the
 * final component is a symlink and `follow` is set (or the path ends with a
 * slash), its target is walked in the sandbox and the process repeats.
 *
 * Returns the stats of what `w.dir`/`w.name` now designate (never a symlink
 * when following), or an errno (`noent` if it does not exist, `notdir` if a
 * trailing slash names a non-directory). The caller closes `w`.
 */
export function lstatFinal(w: Walk, follow: boolean): fs.BigIntStats | Errno {
  for (;;) {
    const e = w.toFinal();
    if (e !== Errno.success) return e;
    let s: fs.BigIntStats | undefined;
    try {
      s = fs.lstatSync(at(w.dir, w.name), { bigint: true, throwIfNoEntry: false });
    } catch (err) {
      return errnoFromError(err);
    }
    if (s === undefined) return Errno.noent;
    if (s.isSymbolicLink() && (follow || w.mustBeDir)) {
      const target = w.readFinal();
      if (typeof target === 'number') return target;
      if (target === null) {
        // Replaced by a non-symlink since the lstat: look again (bounded).
        const r = w.retryFinal();
        if (r !== Errno.success) return r;
        continue;
      }
      const x = w.expand(target);
      if (x !== Errno.success) return x;
      continue;
    }
    if (w.mustBeDir && !s.isDirectory()) return Errno.notdir;
    return s;
  }
}

/**
 * Walks `path` under `dir` and statx'es what it names (following a final
 * symlink when `follow` or a trailing slash says so, inside the sandbox),
 * leaving the result in libc.ts's shared buffer: success or an errno. The
 * final component is looked at with statx(D, name, AT_SYMLINK_NOFOLLOW), as
 * lstatFinal does through /proc.
 */
function statFinal(dir: NodeHandle, path: string, follow: boolean): Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    for (;;) {
      const e2 = w.toFinal();
      if (e2 !== Errno.success) return e2;
      const type = libc.lstatAt(w.dir, w.name);
      if (type < 0) return errnoFromNumber(-type);
      if (type === FileType.symbolicLink && (follow || w.mustBeDir)) {
        const target = w.readFinal();
        if (typeof target === 'number') return target;
        // Replaced by a non-symlink since the statx: look again (bounded).
        const x = target === null ? w.retryFinal() : w.expand(target);
        if (x !== Errno.success) return x;
        continue;
      }
      if (w.mustBeDir && type !== FileType.directory) return Errno.notdir;
      return Errno.success;
    }
  } finally {
    w.close();
  }
}

/**
 * Metadata of `path` under directory `dir`. `follow` follows a final
 * symlink (within the sandbox; an escaping target is `notcapable`).
 * Refuses what {@link Walk.start} refuses; `notdir` when `dir` is not a
 * directory, `badf` when it is closed.
 */
export function statAt(dir: NodeHandle, path: string, follow: boolean): FileStat | Errno {
  const e = statFinal(dir, path, follow);
  return e === Errno.success ? libc.lastFileStat() : e;
}

/** {@link statAt}, written as WASI's 64-byte filestat at `out[to]` (only on success). */
export function statAtInto(dir: NodeHandle, path: string, follow: boolean, out: DataView, to: number): Errno {
  const e = statFinal(dir, path, follow);
  if (e === Errno.success) libc.putLastFilestat(out, to);
  return e;
}

/** Metadata of an open handle (`badf` once closed). */
export function fstat(h: NodeHandle): FileStat | Errno {
  if (h.fd < 0) return Errno.badf;
  const s = libc.fstat(h.fd);
  return typeof s === 'number' ? errnoFromNumber(-s) : s;
}

/** {@link fstat}, written as WASI's 64-byte filestat at `out[to]` (only on success). */
export function fstatInto(h: NodeHandle, out: DataView, to: number): Errno {
  if (h.fd < 0) return Errno.badf;
  const r = libc.fstatInto(h.fd, out, to);
  return r < 0 ? errnoFromNumber(-r) : Errno.success;
}
