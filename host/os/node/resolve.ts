/**
 * Sandboxed path resolution, after cap-std's `open_manually`. The walk's
 * state machine is shared with the simulated OS (host/os/walk.ts); this file
 * supplies how a component is entered on descriptors.
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
import { PathWalk } from '../walk.js';
import { errnoFromError, errnoFromNumber } from './errors.js';
import * as libc from './libc.js';
import { at, O_WALK_DIR } from './proc.js';

export { MAX_SYMLINKS } from '../walk.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The walk on descriptors: entering a component is
 * `openat(D, name, O_PATH|O_DIRECTORY|O_NOFOLLOW)` (libc.ts); ENOTDIR/ELOOP
 * mean a symlink or not a directory, told apart by readlink. Every
 * descriptor the walk opens is closed by {@link close}, which every
 * operation calls in a `finally` (also after an error).
 */
export class Walk extends PathWalk<number> {
  protected enter(cur: number, c: string): Errno {
    const fd = libc.openat(cur, c, O_WALK_DIR, 0);
    if (fd >= 0) {
      this.stack.push(fd);
      return Errno.success;
    }
    if (fd !== -libc.ENOTDIR && fd !== -libc.ELOOP) return errnoFromNumber(-fd);
    // A symlink, or not a directory: ask which.
    const target = readTarget(cur, c);
    if (typeof target === 'number') return target;
    if (target === null) return Errno.notdir;
    return this.expandInner(target, false);
  }

  protected override leave(fd: number): void {
    libc.close(fd);
  }

  /**
   * Read the final component as a symlink: its target, `null` if it is not a
   * symlink (or does not exist), or an errno.
   */
  readFinal(): string | null | Errno {
    return readTarget(this.dir, this.name);
  }

  /** Close every descriptor the walk opened. Idempotent. */
  close(): void {
    const stack = this.stack;
    while (stack.length !== 0) libc.close(stack.pop()!);
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
