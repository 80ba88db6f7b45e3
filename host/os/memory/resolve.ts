/**
 * Sandboxed path resolution in the simulated file system: the same walk as
 * the Node backend's (one state machine, host/os/walk.ts), entering
 * in-memory directories instead of descriptors.
 *
 * A {@link Walk} starts at the directory of a handle (the sandbox root for
 * this call) and moves ONE component at a time:
 *
 * - `.` stays where it is;
 * - `..` pops a stack of the directories the walk entered; popping an empty
 *   stack would leave the root: refused with `notcapable` (the parent is
 *   never looked at, even when the root has one);
 * - a name is looked up in the current directory: a directory is pushed, a
 *   symlink's target replaces it in the work list (an absolute target is
 *   `notcapable`, an empty one `noent`, the 41st symlink `loop`), anything
 *   else is `notdir`, nothing is `noent`;
 * - a name longer than NAME_MAX (255 UTF-8 bytes) is `nametoolong`.
 *
 * The walk stops before the FINAL component (`w.dir`, `w.name`), which each
 * operation applies itself, following it only if it must (then
 * {@link Walk.expand} splices the target in and the walk goes on).
 */
import { Errno } from '../types.js';
import { PathWalk } from '../walk.js';
import { DirNode, type Inode, NAME_MAX, SymlinkNode } from './nodes.js';

export { MAX_SYMLINKS } from '../walk.js';

/** UTF-8 length of `s` (lone surrogates count 3, as TextEncoder writes U+FFFD for them). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** True when `name` cannot be a directory entry (longer than NAME_MAX bytes). */
export function tooLong(name: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no counting.
  return name.length > NAME_MAX / 3 && utf8Length(name) > NAME_MAX;
}

/**
 * The node named `name` in `dir`: the node, null when there is none, or
 * `notdir` (dir is not a directory) / `nametoolong`. `name` is one
 * component, never `.`, `..` nor empty.
 */
export function lookup(dir: Inode, name: string): Inode | null | Errno {
  if (!(dir instanceof DirNode)) return Errno.notdir;
  if (tooLong(name)) return Errno.nametoolong;
  const e = dir.entries.get(name);
  return e === undefined ? null : e.node;
}

/** The walk on in-memory directories: entering a component is a lookup. */
export class Walk extends PathWalk<Inode> {
  protected enter(dir: Inode, c: string): Errno {
    const n = lookup(dir, c);
    if (n === null) return Errno.noent;
    if (typeof n === 'number') return n;
    if (n instanceof DirNode) {
      this.stack.push(n);
      return Errno.success;
    }
    if (n instanceof SymlinkNode) return this.expandInner(n.target, false);
    return Errno.notdir;
  }

  /**
   * The final component: its node (`dir` itself for `.`), null when it does
   * not exist, or an errno (`notdir` when `dir` is not a directory).
   */
  final(): Inode | null | Errno {
    if (this.name === '.') return this.dir instanceof DirNode ? this.dir : Errno.notdir;
    return lookup(this.dir, this.name);
  }
}

/**
 * Walk `w` (started) to its final component, following it while it is a
 * symlink and `follow` is set or the path ends with a slash. Returns the
 * node (`w.dir`/`w.name` designate it), or an errno: `noent` when it does
 * not exist, `notdir` when a trailing slash names a non-directory.
 */
export function lstatFinal(w: Walk, follow: boolean): Inode | Errno {
  for (;;) {
    const e = w.toFinal();
    if (e !== Errno.success) return e;
    const n = w.final();
    if (n === null) return Errno.noent;
    if (typeof n === 'number') return n;
    if (n instanceof SymlinkNode && (follow || w.mustBeDir)) {
      const x = w.expand(n.target);
      if (x !== Errno.success) return x;
      continue;
    }
    if (w.mustBeDir && !(n instanceof DirNode)) return Errno.notdir;
    return n;
  }
}
