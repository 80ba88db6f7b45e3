/**
 * statAt: metadata of a path inside the sandbox; fstat of a handle.
 */
import { Errno, type FileStat } from '../types.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode, FileNode, type Inode, SymlinkNode } from './nodes.js';
import { lstatFinal, Walk } from './resolve.js';

/** What a directory reports as its size (one block, as ext4 does; a guest cannot rely on it). */
const DIR_SIZE = 4096n;

/** The WASI filestat of `n`. */
export function toFileStat(k: Kernel, n: Inode): FileStat {
  let size = 0n;
  if (n instanceof FileNode) size = BigInt(n.size);
  else if (n instanceof SymlinkNode) size = BigInt(n.size);
  else if (n instanceof DirNode) size = DIR_SIZE;
  return {
    dev: k.dev,
    ino: n.ino,
    type: n.type,
    nlink: BigInt(n.nlink),
    size,
    atimNs: n.atim,
    mtimNs: n.mtim,
    ctimNs: n.ctim,
  };
}

/**
 * Metadata of `path` under directory `dir`. `follow` follows a final
 * symlink (inside the sandbox; an escaping target is `notcapable`).
 * Refuses what {@link Walk} refuses; `notdir` when `dir` is not a
 * directory or a trailing slash names a non-directory; `badf` when `dir`
 * is closed or foreign.
 */
export function statAt(k: Kernel, dir: MemHandle, path: string, follow: boolean): FileStat | Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const w = new Walk(root);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  const n = lstatFinal(w, follow);
  return typeof n === 'number' ? n : toFileStat(k, n);
}

/** Metadata of an open handle (`badf` once closed). */
export function fstat(k: Kernel, h: MemHandle): FileStat | Errno {
  const n = live(k, h);
  return n === null ? Errno.badf : toFileStat(k, n);
}
