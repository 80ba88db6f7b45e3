/**
 * rmdirAt: remove an empty directory inside the sandbox.
 */
import { Errno } from '../types.js';
import { dropEntry } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode } from './nodes.js';
import { Walk } from './resolve.js';

/**
 * Remove the empty directory at `path` under `dir`. A final symlink is not
 * followed (`notdir`), a non-empty directory is `notempty`, `.` is `inval`
 * (Linux). A trailing slash is accepted. Handles still open on the removed
 * directory see it empty, and nothing can be created in it (`noent`).
 * Refuses escapes (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function rmdirAt(k: Kernel, dir: MemHandle, path: string): Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const w = new Walk(root);
  let e = w.start(path);
  if (e !== Errno.success) return e;
  e = w.toFinal();
  if (e !== Errno.success) return e;
  if (w.name === '.') return w.dir instanceof DirNode ? Errno.inval : Errno.notdir;
  const n = w.final();
  if (typeof n === 'number') return n;
  if (n === null) return Errno.noent;
  if (!(n instanceof DirNode)) return Errno.notdir;
  if (n.entries.size !== 0) return Errno.notempty;
  removeDir(k, w.dir as DirNode, w.name, n);
  return Errno.success;
}

/** Unlink empty directory `n` (entry `name` of `parent`) and mark it removed. */
export function removeDir(k: Kernel, parent: DirNode, name: string, n: DirNode): void {
  dropEntry(k, parent, name, n);
  n.nlink = 0;
  n.removed = true;
  n.ctim = k.now();
}
