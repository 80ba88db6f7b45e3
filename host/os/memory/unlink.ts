/**
 * unlinkAt: remove a non-directory inside the sandbox.
 */
import { Errno } from '../types.js';
import { dropEntry } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode, FileNode } from './nodes.js';
import { Walk } from './resolve.js';

/**
 * Remove the file or symlink (the link itself, never its target) at `path`
 * under `dir`. A directory is `isdir` (Linux), `.` too; a trailing slash is
 * `notdir` for a non-directory and `isdir` for a directory. A file still
 * open keeps its bytes until its last handle closes. Refuses escapes
 * (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function unlinkAt(k: Kernel, dir: MemHandle, path: string): Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const w = new Walk(root);
  let e = w.start(path);
  if (e !== Errno.success) return e;
  e = w.toFinal();
  if (e !== Errno.success) return e;
  const n = w.final();
  if (typeof n === 'number') return n;
  if (n === null) return Errno.noent;
  if (n instanceof DirNode) return Errno.isdir;
  if (w.mustBeDir) return Errno.notdir;
  dropEntry(k, w.dir as DirNode, w.name, n);
  n.nlink--;
  n.ctim = k.now();
  if (n instanceof FileNode) k.release(n);
  return Errno.success;
}
