/**
 * The sandbox's path walk, after cap-std's `open_manually`: one state
 * machine for both backends, each supplying only how to enter one component
 * (host/os/node/resolve.ts: openat with O_NOFOLLOW on a descriptor;
 * host/os/memory/resolve.ts: a lookup in an in-memory directory).
 *
 * A walk starts at a directory the caller holds (the sandbox root for this
 * call) and moves ONE component at a time:
 *
 * - `.` stays where it is;
 * - `..` pops the stack of directories the walk entered; popping an empty
 *   stack would leave the root: refused with `notcapable` (the parent is
 *   never looked at);
 * - a name is entered by the backend ({@link PathWalk.enter}): a directory
 *   is pushed, a symlink's target replaces it in the work list (an absolute
 *   target is `notcapable`, an empty one `noent`, the 41st symlink `loop`);
 * - the walk stops before the FINAL component (`dir`, `name`), which the
 *   operation applies itself without following; if it must follow a
 *   symlink there, {@link PathWalk.expand} splices the target in.
 *
 * So no string joined from guest input ever reaches the OS: only a directory
 * the walk holds plus one component.
 */
import { Errno } from './types.js';

/** Linux's limit (MAXSYMLINKS) and cap-std's: at most 40 symlinks per resolution. */
export const MAX_SYMLINKS = 40;

const SLASH = 47;

export abstract class PathWalk<D> {
  /** The directory the walk started from (the caller's: never released here). */
  protected readonly root: D;
  /** Directories entered by the walk, innermost last. */
  protected readonly stack: D[] = [];
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

  constructor(root: D) {
    this.root = root;
  }

  /**
   * Enter component `name` (not `.`, `..` nor empty) of directory `dir`: push
   * the directory it names onto {@link stack}, or splice a symlink's target
   * in with {@link expandInner}; otherwise an errno (`notdir` for anything
   * that is neither, `noent` for nothing).
   */
  protected abstract enter(dir: D, name: string): Errno;

  /** A directory popped by `..` (the Node backend closes its descriptor). */
  protected leave(_dir: D): void {}

  /** The directory the final component is looked up in (the root when nothing was entered). */
  get dir(): D {
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
        const top = this.stack.pop();
        if (top === undefined) return Errno.notcapable;
        this.leave(top);
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
      const e = this.enter(this.dir, c);
      if (e !== Errno.success) return e;
    }
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

  /** Splice a symlink's target in (final: it was the final component, so a trailing slash counts). */
  protected expandInner(target: string, final: boolean): Errno {
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
