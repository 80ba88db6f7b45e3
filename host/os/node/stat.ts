/**
 * statAt: metadata of a path inside the sandbox; fstat of a handle.
 */
import fs from 'node:fs';
import { Errno, type FileStat } from '../types.js';
import { errnoFromError } from './errors.js';
import { fileTypeOf, type NodeHandle } from './handle.js';
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
 * Metadata of `path` under directory `dir`. `follow` follows a final
 * symlink (within the sandbox; an escaping target is `notcapable`).
 * Refuses what {@link Walk.start} refuses; `notdir` when `dir` is not a
 * directory, `badf` when it is closed.
 */
export function statAt(dir: NodeHandle, path: string, follow: boolean): FileStat | Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    const s = lstatFinal(w, follow);
    return typeof s === 'number' ? s : toFileStat(s);
  } finally {
    w.close();
  }
}

/** Metadata of an open handle (`badf` once closed). */
export function fstat(h: NodeHandle): FileStat | Errno {
  if (h.fd < 0) return Errno.badf;
  try {
    return toFileStat(fs.fstatSync(h.fd, { bigint: true }));
  } catch (err) {
    return errnoFromError(err);
  }
}
