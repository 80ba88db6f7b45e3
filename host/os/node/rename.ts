/**
 * renameAt: rename within the sandbox(es).
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/**
 * Rename `oldPath` under `oldDir` to `newPath` under `newDir`. Each path is
 * resolved in the sandbox of its own directory handle; final components are
 * never followed (a symlink is renamed as itself, a symlink at the target is
 * replaced). Then one rename(2) between two `/proc/self/fd/D/name` paths.
 *
 * A trailing slash on either side requires the source to be a directory
 * (`notdir` otherwise). Other failures are Linux's: `notempty`, `isdir`,
 * `notdir`, `xdev`, `inval` (a directory into itself), `busy`...
 * Refuses either path escaping its sandbox (`notcapable`), NUL (`inval`),
 * empty (`noent`); nothing is renamed then.
 */
export function renameAt(oldDir: NodeHandle, oldPath: string, newDir: NodeHandle, newPath: string): Errno {
  if (oldDir.fd < 0 || newDir.fd < 0) return Errno.badf;
  const src = new Walk(oldDir.fd);
  const dst = new Walk(newDir.fd);
  let e = src.start(oldPath);
  if (e !== Errno.success) return e;
  e = dst.start(newPath);
  if (e !== Errno.success) return e;
  try {
    e = src.toFinal();
    if (e !== Errno.success) return e;
    e = dst.toFinal();
    if (e !== Errno.success) return e;
    const from = at(src.dir, src.name);
    try {
      if (src.mustBeDir || dst.mustBeDir) {
        const s = fs.lstatSync(from, { throwIfNoEntry: false });
        if (s === undefined) return Errno.noent;
        if (!s.isDirectory()) return Errno.notdir;
      }
      fs.renameSync(from, at(dst.dir, dst.name));
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    src.close();
    dst.close();
  }
}
