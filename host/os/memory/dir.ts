/**
 * Directory entry bookkeeping shared by the path operations: adding and
 * removing names with their link counts, parents and timestamps.
 */
import type { Kernel } from './kernel.js';
import { DirNode, type Inode } from './nodes.js';

/** Add `name` → `node` to `dir` (a new entry, at the end of the listing); updates link counts and times. */
export function addEntry(k: Kernel, dir: DirNode, name: string, node: Inode): void {
  dir.entries.set(name, { node, seq: dir.nextSeq++ });
  if (node instanceof DirNode) {
    node.parent = dir;
    dir.nlink++;
  }
  const now = k.now();
  dir.mtim = now;
  dir.ctim = now;
}

/** Remove entry `name` (naming `node`) from `dir`; the caller adjusts `node`'s own link count. */
export function dropEntry(k: Kernel, dir: DirNode, name: string, node: Inode): void {
  dir.entries.delete(name);
  if (node instanceof DirNode) dir.nlink--;
  const now = k.now();
  dir.mtim = now;
  dir.ctim = now;
}

/** True when `a` is `b` or one of `b`'s ancestors. */
export function isAncestorOrSelf(a: DirNode, b: DirNode): boolean {
  for (let d: DirNode | null = b; d !== null; d = d.parent) if (d === a) return true;
  return false;
}
