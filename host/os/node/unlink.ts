/**
 * unlinkAt: remove a non-directory inside the sandbox.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/**
 * Remove the file, symlink (the link itself, never its target), or other
 * non-directory at `path` under `dir`. A directory is `isdir` (Linux); a
 * trailing slash is `notdir` for a non-directory and `isdir` for a
 * directory (a non-directory cannot be named with a slash, and a directory
 * cannot be unlinked). Refuses escapes (`notcapable`), NUL (`inval`), empty
 * (`noent`).
 */
export function unlinkAt(dir: NodeHandle, path: string): Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    const p = at(w.dir, w.name);
    try {
      if (w.mustBeDir) {
        const s = fs.lstatSync(p, { throwIfNoEntry: false });
        if (s === undefined) return Errno.noent;
        return s.isDirectory() ? Errno.isdir : Errno.notdir;
      }
      fs.unlinkSync(p);
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    w.close();
  }
}
