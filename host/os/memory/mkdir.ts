/**
 * mkdirAt: create a directory inside the sandbox.
 */
import { Errno } from '../types.js';
import { addEntry } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode } from './nodes.js';
import { Walk } from './resolve.js';

/**
 * Create directory `path` under `dir`. The final component is never
 * followed: an existing name, symlink or not, is `exist` (`.` too); a
 * trailing slash is allowed. In a removed directory: `noent`. Refuses
 * escapes (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function mkdirAt(k: Kernel, dir: MemHandle, path: string): Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const w = new Walk(root);
  let e = w.start(path);
  if (e !== Errno.success) return e;
  e = w.toFinal();
  if (e !== Errno.success) return e;
  const n = w.final();
  if (typeof n === 'number') return n;
  if (n !== null) return Errno.exist;
  const parent = w.dir as DirNode;
  if (parent.removed) return Errno.noent;
  addEntry(k, parent, w.name, new DirNode(k.ino(), k.now(), parent));
  return Errno.success;
}
