/**
 * Sandboxed path resolution, after cap-std's `open_manually`.
 *
 * A {@link Walk} starts at a directory descriptor the caller holds (the
 * sandbox root for this call) and moves ONE component at a time:
 *
 * - `.` stays where it is;
 * - `..` closes and pops the top of a stack of directories the walk opened;
 *   popping an empty stack would leave the root: refused with `notcapable`
 *   (the parent is never looked at);
 * - a name is opened relative to the current directory with
 *   `openat(D, name, O_PATH|O_DIRECTORY|O_NOFOLLOW)` (libc.ts), and pushed;
 * - a name that is a symlink is read (readlink, no follow) and its target's
 *   components replace it in the work list; an absolute target is refused
 *   with `notcapable`; more than {@link MAX_SYMLINKS} symlinks in one walk is
 *   `loop`.
 *
 * The walk stops before the FINAL component, which the operation applies
 * itself with a no-follow call (`w.dir`, `w.name`). If the operation finds
 * the final component to be a symlink it must follow, it hands the target
 * back with {@link Walk.expand} and walks on. So no string joined from guest
 * input ever reaches the OS: only a descriptor we hold plus one component.
 *
 * Every descriptor a walk opens is closed by {@link Walk.close}, which every
 * operation calls in a `finally`.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError, errnoFromNumber } from './errors.js';
import * as libc from './libc.js';
import { at, O_WALK_DIR } from './proc.js';

/** Linux's limit (MAXSYMLINKS) and cap-std's: at most 40 symlinks per resolution. */
export const MAX_SYMLINKS = 40;

const SLASH = 47;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class Walk {
  /** The directory the walk started from (not owned: never closed here). */
  private readonly root: number;
  /** Directories opened by the walk, innermost last. Owned. */
  private readonly stack: number[] = [];
  /** Components still to walk, in reverse order (next = last). */
  private readonly work: string[] = [];
  private symlinks = 0;
  /** The final component must be a directory (trailing slash, in the path or a final symlink's target). */
  mustBeDir = false;
  /**
   * After {@link toFinal}: the final component, one name with no `/`, never
   * `..` and never empty; `.` means the directory `dir` itself.
   */
  name = '';

  constructor(root: number) {
    this.root = root;
  }

  /** The directory the final component is looked up in. */
  get dir(): number {
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

  /**
   * Walk all components but the last. On success `name`/`dir` designate the
   * final component. On error the caller still must {@link close}.
   */
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
        const top = this.stack.pop();
        if (top === undefined) return Errno.notcapable;
        libc.close(top);
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
      const cur = this.dir;
      const fd = libc.openat(cur, c, O_WALK_DIR, 0);
      if (fd < 0) {
        if (fd !== -libc.ENOTDIR && fd !== -libc.ELOOP) return errnoFromNumber(-fd);
        // A symlink, or not a directory: ask which.
        const target = readTarget(cur, c);
        if (typeof target === 'number') return target;
        if (target === null) return Errno.notdir;
        const err = this.expandInner(target, false);
        if (err !== Errno.success) return err;
        continue;
      }
      this.stack.push(fd);
    }
  }

  /**
   * The final component turned out to be a symlink with contents `target`,
   * and the operation follows it: splice the target in. Call
   * {@link toFinal} again afterwards. Refuses an absolute target
   * (`notcapable`), an empty one (`noent`), the 41st symlink (`loop`).
   */
  expand(target: string): Errno {
    return this.expandInner(target, true);
  }

  /**
   * Read the final component as a symlink: its target, `null` if it is not a
   * symlink (or does not exist), or an errno.
   */
  readFinal(): string | null | Errno {
    return readTarget(this.dir, this.name);
  }

  /**
   * Put the final component back to be walked again, because it changed
   * type under us (a symlink that is no longer one). Counted against the
   * symlink budget so that a racing attacker cannot make a walk spin
   * forever: `loop` once spent.
   */
  retryFinal(): Errno {
    if (++this.symlinks > MAX_SYMLINKS) return Errno.loop;
    this.work.push(this.name);
    return Errno.success;
  }

  /** Close every descriptor the walk opened. Idempotent. */
  close(): void {
    const stack = this.stack;
    while (stack.length !== 0) libc.close(stack.pop()!);
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
    // Scan right to left so the next component ends up last.
    while (end > 0) {
      let start = end;
      while (start > 0 && path.charCodeAt(start - 1) !== SLASH) start--;
      if (start !== end) work.push(start === 0 && end === path.length ? path : path.slice(start, end));
      end = start - 1;
    }
    // A path made only of slashes cannot reach here (absolute: refused), but
    // keep the invariant "work is never empty in toFinal".
    if (work.length === before) work.push('.');
  }
}

/**
 * readlink(dirFd, name) without following: the target, `null` when `name` is
 * not a symlink or does not exist, or an errno. A target that is not UTF-8
 * cannot be walked: `ilseq`.
 */
export function readTarget(dirFd: number, name: string): string | null | Errno {
  let raw: Buffer;
  try {
    raw = fs.readlinkSync(at(dirFd, name), { encoding: 'buffer' });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EINVAL' || code === 'ENOENT') return null;
    return errnoFromError(e);
  }
  try {
    return utf8.decode(raw);
  } catch {
    return Errno.ilseq;
  }
}
