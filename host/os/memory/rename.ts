/**
 * renameAt: rename within the simulated file system.
 */
import { Errno } from '../types.js';
import { isAncestorOrSelf } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode, FileNode } from './nodes.js';
import { Walk } from './resolve.js';

/**
 * Rename `oldPath` under `oldDir` to `newPath` under `newDir`, each
 * resolved in its own sandbox; final components are never followed (a
 * symlink is renamed as itself, a symlink at the target replaced). The
 * checks are Linux's rename(2), in its order:
 *
 * - a trailing slash on either side requires the source to be a
 *   directory (`notdir`); `.` on either side is `busy`;
 * - a missing source is `noent`;
 * - a directory moved into itself or its own subtree is `inval`; a target
 *   that is an ancestor of the source is `notempty`;
 * - two names of the same file: nothing happens, success;
 * - a directory onto a non-directory is `notdir`, a non-directory onto a
 *   directory `isdir`, a directory onto a non-empty directory `notempty`;
 *   onto an empty one replaces it;
 * - into a removed directory: `noent`.
 *
 * Refuses either path escaping its sandbox (`notcapable`), NUL (`inval`),
 * empty (`noent`); nothing is renamed then.
 */
export function renameAt(k: Kernel, oldDir: MemHandle, oldPath: string, newDir: MemHandle, newPath: string): Errno {
  const r1 = live(k, oldDir);
  const r2 = live(k, newDir);
  if (r1 === null || r2 === null) return Errno.badf;
  const src = new Walk(r1);
  const dst = new Walk(r2);
  let e = src.start(oldPath);
  if (e !== Errno.success) return e;
  e = dst.start(newPath);
  if (e !== Errno.success) return e;
  e = src.toFinal();
  if (e !== Errno.success) return e;
  e = dst.toFinal();
  if (e !== Errno.success) return e;
  if (src.mustBeDir || dst.mustBeDir) {
    const s = src.final();
    if (typeof s === 'number') return s;
    if (s === null) return Errno.noent;
    if (!(s instanceof DirNode)) return Errno.notdir;
  }
  const sDir = src.dir;
  const dDir = dst.dir;
  if (!(sDir instanceof DirNode) || !(dDir instanceof DirNode)) return Errno.notdir;
  if (src.name === '.' || dst.name === '.') return Errno.busy;
  const s = src.final();
  if (typeof s === 'number') return s;
  if (s === null) return Errno.noent;
  if (s instanceof DirNode && isAncestorOrSelf(s, dDir)) return Errno.inval;
  const d = dst.final();
  if (typeof d === 'number') return d;
  if (d instanceof DirNode && isAncestorOrSelf(d, sDir)) return Errno.notempty;
  if (d === s) return Errno.success;
  if (dDir.removed) return Errno.noent;
  if (d !== null) {
    if (s instanceof DirNode && !(d instanceof DirNode)) return Errno.notdir;
    if (!(s instanceof DirNode) && d instanceof DirNode) return Errno.isdir;
    if (d instanceof DirNode && d.entries.size !== 0) return Errno.notempty;
  }
  const now = k.now();
  // Replace the target: its entry keeps its place in the listing.
  const seq = d === null ? dDir.nextSeq++ : dDir.entries.get(dst.name)!.seq;
  if (d instanceof DirNode) {
    // Not removeDir: the entry is overwritten in place below, not deleted.
    d.nlink = 0;
    d.removed = true;
    d.ctim = now;
    dDir.nlink--;
  } else if (d !== null) {
    d.nlink--;
    d.ctim = now;
    if (d instanceof FileNode) k.release(d);
  }
  sDir.entries.delete(src.name);
  dDir.entries.set(dst.name, { node: s, seq });
  if (s instanceof DirNode) {
    sDir.nlink--;
    dDir.nlink++;
    s.parent = dDir;
  }
  s.ctim = now;
  sDir.mtim = now;
  sDir.ctim = now;
  dDir.mtim = now;
  dDir.ctim = now;
  return Errno.success;
}
