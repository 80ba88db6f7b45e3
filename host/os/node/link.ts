/**
 * linkAt: create a hard link within the sandbox(es).
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';
import { lstatFinal } from './stat.js';

/**
 * Make `newPath` under `newDir` a hard link to `oldPath` under `oldDir`.
 * Both are resolved in their own sandbox. With `follow`, a final symlink of
 * `oldPath` is followed (inside the sandbox) and its target linked; without,
 * the symlink itself is linked (Linux link(2) semantics). The new name is
 * never followed: an existing name is `exist`.
 *
 * Trailing slash: on `oldPath` → `perm` for a directory, `notdir`
 * otherwise; on `newPath` → `exist` if the name exists, else `noent`
 * (as linkat(2) answers).
 * Directories cannot be hard-linked (`perm`).
 * Refuses either path escaping (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function linkAt(oldDir: NodeHandle, oldPath: string, follow: boolean, newDir: NodeHandle, newPath: string): Errno {
  if (oldDir.fd < 0 || newDir.fd < 0) return Errno.badf;
  const src = new Walk(oldDir.fd);
  const dst = new Walk(newDir.fd);
  let e = src.start(oldPath);
  if (e !== Errno.success) return e;
  e = dst.start(newPath);
  if (e !== Errno.success) return e;
  try {
    const srcSlash = src.mustBeDir;
    if (follow || srcSlash || dst.mustBeDir) {
      const s = lstatFinal(src, follow);
      if (typeof s === 'number') return s;
      if (s.isDirectory()) return Errno.perm;
      if (srcSlash) return Errno.notdir;
    } else {
      e = src.toFinal();
      if (e !== Errno.success) return e;
    }
    e = dst.toFinal();
    if (e !== Errno.success) return e;
    // A new name with a trailing slash: link(2) says exist if the name is there, noent if not.
    if (dst.mustBeDir) {
      try {
        fs.lstatSync(at(dst.dir, dst.name));
        return Errno.exist;
      } catch (err) {
        return errnoFromError(err);
      }
    }
    try {
      fs.linkSync(at(src.dir, src.name), at(dst.dir, dst.name));
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    src.close();
    dst.close();
  }
}
