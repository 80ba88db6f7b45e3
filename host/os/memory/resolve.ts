/**
 * Sandboxed path resolution in the simulated file system: the same rules,
 * refusals and errors as the Node backend's walker (host/os/node/resolve.ts),
 * on in-memory directories instead of descriptors.
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
import { DirNode, type Inode, NAME_MAX, SymlinkNode } from './nodes.js';

/** Linux's limit (MAXSYMLINKS) and cap-std's: at most 40 symlinks per resolution. */
export const MAX_SYMLINKS = 40;

const SLASH = 47;

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

export class Walk {
  /** The directory the walk started from. */
  private readonly root: Inode;
  /** Directories entered, innermost last. */
  private readonly stack: DirNode[] = [];
  /** Components still to walk, in reverse order (next = last). */
  private readonly work: string[] = [];
  private symlinks = 0;
  /** The final component must be a directory (a trailing slash, in the path or a final symlink's target). */
  mustBeDir = false;
  /**
   * After {@link toFinal}: the final component, one name with no `/`, never
   * `..` and never empty; `.` means the directory `dir` itself.
   */
  name = '';

  constructor(root: Inode) {
    this.root = root;
  }

  /** The directory the final component is looked up in (the handle's node when nothing was entered). */
  get dir(): Inode {
    const n = this.stack.length;
    return n === 0 ? this.root : this.stack[n - 1]!;
  }

  /**
   * Load the guest's path. Refuses: a NUL byte (`inval`, never truncated),
   * an empty path (`noent`), an absolute path (`notcapable`).
   */
  start(path: string): Errno {
    if (path.length === 0) return Errno.noent;
    if (path.indexOf('\0') !== -1) return Errno.inval;
    if (path.charCodeAt(0) === SLASH) return Errno.notcapable;
    this.push(path, true);
    return Errno.success;
  }

  /** Walk all components but the last; on success `dir`/`name` designate the final one. */
  toFinal(): Errno {
    const work = this.work;
    for (;;) {
      const c = work.pop()!;
      const last = work.length === 0;
      if (c === '.') {
        if (last) {
          this.name = '.';
          return Errno.success;
        }
        continue;
      }
      if (c === '..') {
        if (this.stack.pop() === undefined) return Errno.notcapable;
        if (last) {
          this.name = '.';
          return Errno.success;
        }
        continue;
      }
      if (last) {
        this.name = c;
        return Errno.success;
      }
      const n = lookup(this.dir, c);
      if (n === null) return Errno.noent;
      if (typeof n === 'number') return n;
      if (n instanceof DirNode) {
        this.stack.push(n);
      } else if (n instanceof SymlinkNode) {
        const e = this.expandInner(n.target, false);
        if (e !== Errno.success) return e;
      } else {
        return Errno.notdir;
      }
    }
  }

  /**
   * The final component: its node (`dir` itself for `.`), null when it does
   * not exist, or an errno (`notdir` when `dir` is not a directory).
   */
  final(): Inode | null | Errno {
    if (this.name === '.') return this.dir instanceof DirNode ? this.dir : Errno.notdir;
    return lookup(this.dir, this.name);
  }

  /**
   * The final component is a symlink with contents `target`, and the
   * operation follows it: splice the target in, then call {@link toFinal}
   * again. Refuses an absolute target (`notcapable`), an empty one
   * (`noent`), the 41st symlink (`loop`).
   */
  expand(target: string): Errno {
    return this.expandInner(target, true);
  }

  private expandInner(target: string, final: boolean): Errno {
    if (++this.symlinks > MAX_SYMLINKS) return Errno.loop;
    if (target.length === 0) return Errno.noent;
    if (target.charCodeAt(0) === SLASH) return Errno.notcapable;
    this.push(target, final);
    return Errno.success;
  }

  /** Push the components of `path` in front of the work list. */
  private push(path: string, final: boolean): void {
    const work = this.work;
    let end = path.length;
    if (final && path.charCodeAt(end - 1) === SLASH) this.mustBeDir = true;
    const before = work.length;
    while (end > 0) {
      let start = end;
      while (start > 0 && path.charCodeAt(start - 1) !== SLASH) start--;
      if (start !== end) work.push(start === 0 && end === path.length ? path : path.slice(start, end));
      end = start - 1;
    }
    if (work.length === before) work.push('.');
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
