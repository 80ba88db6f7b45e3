/**
 * openAt: open a path inside the sandbox.
 */
import { Errno, OpenFlags } from '../types.js';
import { addEntry } from './dir.js';
import { resize } from './file.js';
import { live, MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode, FileNode, SymlinkNode } from './nodes.js';
import { Walk } from './resolve.js';

const ALL_FLAGS = Object.values(OpenFlags).reduce((a, b) => a | b, 0);

/**
 * Open `path` under directory handle `dir`, with the Node backend's
 * semantics (which are Linux's openat(2) with O_NOFOLLOW, plus following a
 * final symlink inside the sandbox when asked):
 *
 * - final symlink: followed (in the sandbox) with `follow` or a trailing
 *   slash; otherwise `loop`, or `notdir` with DIRECTORY. CREAT|EXCL on any
 *   existing name, a symlink included, is `exist`; CREAT through a dangling
 *   symlink (followed) creates its target.
 * - existing directory: `isdir` with CREAT or WRITE.
 * - DIRECTORY (or a trailing slash) on a non-directory: `notdir`.
 * - TRUNC empties a regular file (even opened read-only, as Linux does).
 * - a missing name: `noent` without CREAT; CREAT in a removed directory is
 *   `noent` too.
 *
 * Refuses: a closed or foreign `dir` (`badf`); unknown flag bits,
 * CREAT|DIRECTORY, and CREAT with a trailing slash (`inval`, as Linux 6.4+);
 * what {@link Walk} refuses (escapes `notcapable`, NUL `inval`, empty
 * `noent`, 41 symlinks `loop`, long names `nametoolong`).
 */
export function openAt(k: Kernel, dir: MemHandle, path: string, follow: boolean, flags: number): MemHandle | Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  if ((flags & ~ALL_FLAGS) !== 0) return Errno.inval;
  const creat = (flags & OpenFlags.CREAT) !== 0;
  if (creat && (flags & OpenFlags.DIRECTORY)) return Errno.inval;
  const w = new Walk(root);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  const write = (flags & OpenFlags.WRITE) !== 0;
  const read = (flags & OpenFlags.READ) !== 0 || !write;
  const append = (flags & OpenFlags.APPEND) !== 0;
  for (;;) {
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    const wantDir = (flags & OpenFlags.DIRECTORY) !== 0 || w.mustBeDir;
    if (creat && wantDir) return Errno.inval;
    let n = w.final();
    if (typeof n === 'number') return n;
    if (n === null) {
      if (!creat) return Errno.noent;
      const parent = w.dir as DirNode;
      if (parent.removed) return Errno.noent;
      n = new FileNode(k.ino(), k.now());
      addEntry(k, parent, w.name, n);
    } else {
      if (creat && (flags & OpenFlags.EXCL)) return Errno.exist;
      if (n instanceof SymlinkNode) {
        if (!(follow || w.mustBeDir)) return wantDir ? Errno.notdir : Errno.loop;
        const x = w.expand(n.target);
        if (x !== Errno.success) return x;
        continue;
      }
      if (n instanceof DirNode) {
        if (creat || write) return Errno.isdir;
      } else if (wantDir) {
        return Errno.notdir;
      }
      if (n instanceof FileNode && (flags & OpenFlags.TRUNC)) {
        const t = resize(k, n, 0);
        if (t !== Errno.success) return t;
      }
    }
    if (n instanceof FileNode) n.opens++;
    return new MemHandle(k, n, read, write, append);
  }
}
