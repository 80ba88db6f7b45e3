/**
 * readlinkAt: read a symbolic link inside the sandbox.
 */
import { Errno } from '../types.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { SymlinkNode } from './nodes.js';
import { lstatFinal, Walk } from './resolve.js';

/**
 * The contents of the symlink at `path` under `dir`, as stored (reading a
 * link is not following it, so an escaping target is returned). Not a
 * symlink → `inval`. A trailing slash follows the link (POSIX), so the
 * result is then `inval` for a directory, `notdir` otherwise. Refuses
 * escapes (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function readlinkAt(k: Kernel, dir: MemHandle, path: string): string | Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const w = new Walk(root);
  let e = w.start(path);
  if (e !== Errno.success) return e;
  if (w.mustBeDir) {
    const s = lstatFinal(w, true);
    return typeof s === 'number' ? s : Errno.inval;
  }
  e = w.toFinal();
  if (e !== Errno.success) return e;
  const n = w.final();
  if (typeof n === 'number') return n;
  if (n === null) return Errno.noent;
  if (!(n instanceof SymlinkNode)) return Errno.inval;
  return n.target;
}
