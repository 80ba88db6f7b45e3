/**
 * linkAt: create a hard link within the simulated file system.
 */
import { Errno } from '../types.js';
import { addEntry } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode, type Inode } from './nodes.js';
import { lstatFinal, Walk } from './resolve.js';

/**
 * Make `newPath` under `newDir` a hard link to `oldPath` under `oldDir`,
 * each resolved in its own sandbox. With `follow`, a final symlink of
 * `oldPath` is followed (inside the sandbox) and its target linked;
 * without, the symlink itself is linked. The new name is never followed:
 * an existing name (or `.`) is `exist`; a removed target directory
 * `noent`.
 *
 * Trailing slash: on `oldPath` → `perm` for a directory, `notdir`
 * otherwise; on `newPath` → `exist` if the name exists, else `noent`
 * (as linkat(2) answers).
 * Directories cannot be hard-linked (`perm`).
 * Refuses either path escaping (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function linkAt(k: Kernel, oldDir: MemHandle, oldPath: string, follow: boolean, newDir: MemHandle, newPath: string): Errno {
  const r1 = live(k, oldDir);
  const r2 = live(k, newDir);
  if (r1 === null || r2 === null) return Errno.badf;
  const src = new Walk(r1);
  const dst = new Walk(r2);
  let e = src.start(oldPath);
  if (e !== Errno.success) return e;
  e = dst.start(newPath);
  if (e !== Errno.success) return e;
  const srcSlash = src.mustBeDir;
  let s: Inode | null | Errno;
  if (follow || srcSlash || dst.mustBeDir) {
    s = lstatFinal(src, follow);
    if (typeof s === 'number') return s;
    if (s instanceof DirNode) return Errno.perm;
    if (srcSlash) return Errno.notdir;
  } else {
    e = src.toFinal();
    if (e !== Errno.success) return e;
    s = src.final(); // an errno here is reported after the target's walk, as link(2) would
  }
  e = dst.toFinal();
  if (e !== Errno.success) return e;
  // A new name with a trailing slash: link(2) says exist if the name is there, noent if not.
  if (dst.mustBeDir) {
    if (dst.name === '.') return Errno.exist;
    const d = dst.final();
    if (typeof d === 'number') return d;
    return d === null ? Errno.noent : Errno.exist;
  }
  if (typeof s === 'number') return s;
  if (s === null) return Errno.noent;
  if (dst.name === '.') return dst.dir instanceof DirNode ? Errno.exist : Errno.notdir;
  const d = dst.final();
  if (typeof d === 'number') return d;
  if (d !== null) return Errno.exist;
  const parent = dst.dir as DirNode;
  if (parent.removed) return Errno.noent;
  if (s instanceof DirNode) return Errno.perm;
  addEntry(k, parent, dst.name, s);
  s.nlink++;
  s.ctim = k.now();
  return Errno.success;
}
