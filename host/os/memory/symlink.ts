/**
 * symlinkAt: create a symbolic link inside the sandbox.
 */
import { Errno } from '../types.js';
import { addEntry } from './dir.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { type DirNode, SYMLINK_MAX, SymlinkNode } from './nodes.js';
import { utf8Length, Walk } from './resolve.js';

/**
 * Create a symlink at `path` under `dir` whose contents are `target`.
 *
 * The target is data, stored as given, and checked only when a walk
 * follows it: a relative target such as `../../etc` may be created, but
 * every resolution through it is confined (`notcapable`). An ABSOLUTE
 * target is refused at creation (`notcapable`), as the Node backend does;
 * a target with NUL is `inval`, an empty one `noent`, one longer than
 * 4095 UTF-8 bytes `nametoolong` (Linux). The link's own final component
 * is never followed: an existing name (or `.`) is `exist`; a trailing slash
 * on it is `exist` if the name exists, `noent` otherwise.
 */
export function symlinkAt(k: Kernel, target: string, dir: MemHandle, path: string): Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  if (target.indexOf('\0') !== -1) return Errno.inval;
  if (target.length === 0) return Errno.noent;
  if (target.charCodeAt(0) === 47) return Errno.notcapable;
  const w = new Walk(root);
  let e = w.start(path);
  if (e !== Errno.success) return e;
  e = w.toFinal();
  if (e !== Errno.success) return e;
  const size = utf8Length(target);
  if (!w.mustBeDir && size > SYMLINK_MAX) return Errno.nametoolong;
  const n = w.final();
  if (typeof n === 'number') return n;
  if (w.mustBeDir) return n === null ? Errno.noent : Errno.exist;
  if (n !== null) return Errno.exist;
  const parent = w.dir as DirNode;
  if (parent.removed) return Errno.noent;
  addEntry(k, parent, w.name, new SymlinkNode(k.ino(), k.now(), target, size));
  return Errno.success;
}
