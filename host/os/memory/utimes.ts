/**
 * utimesAt / futimes: set access and modification times.
 *
 * Times are kept to the nanosecond (the Node backend truncates them to the
 * microsecond: Node hands libuv a double). "Now" is the virtual clock.
 * Setting any time sets the change time to now, as utimensat(2) does.
 */
import { Errno, TimeFlags } from '../types.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import type { Inode } from './nodes.js';
import { lstatFinal, Walk } from './resolve.js';

const ALL = TimeFlags.ATIM | TimeFlags.ATIM_NOW | TimeFlags.MTIM | TimeFlags.MTIM_NOW;

/** `inval` for unknown bits or a time both set and set-to-now (WASI). */
function checkFlags(fst: number): Errno {
  if ((fst & ~ALL) !== 0) return Errno.inval;
  if ((fst & TimeFlags.ATIM) && (fst & TimeFlags.ATIM_NOW)) return Errno.inval;
  if ((fst & TimeFlags.MTIM) && (fst & TimeFlags.MTIM_NOW)) return Errno.inval;
  return Errno.success;
}

function apply(k: Kernel, n: Inode, atimNs: bigint, mtimNs: bigint, fst: number): void {
  if (fst === 0) return;
  const now = k.now();
  if (fst & TimeFlags.ATIM) n.atim = atimNs;
  else if (fst & TimeFlags.ATIM_NOW) n.atim = now;
  if (fst & TimeFlags.MTIM) n.mtim = mtimNs;
  else if (fst & TimeFlags.MTIM_NOW) n.mtim = now;
  n.ctim = now;
}

/**
 * Set the times of `path` under `dir` (`fstFlags` 0: only checks that the
 * path resolves, changes nothing). With `follow`, a final symlink is
 * followed inside the sandbox; without, the symlink's own times are set.
 * Refuses invalid `fstFlags` (`inval`), escapes (`notcapable`), NUL
 * (`inval`), empty (`noent`).
 */
export function utimesAt(
  k: Kernel,
  dir: MemHandle,
  path: string,
  follow: boolean,
  atimNs: bigint,
  mtimNs: bigint,
  fstFlags: number,
): Errno {
  const root = live(k, dir);
  if (root === null) return Errno.badf;
  const fe = checkFlags(fstFlags);
  if (fe !== Errno.success) return fe;
  const w = new Walk(root);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  const n = lstatFinal(w, follow);
  if (typeof n === 'number') return n;
  apply(k, n, atimNs, mtimNs, fstFlags);
  return Errno.success;
}

/** Set the times of an open handle. Same flags as {@link utimesAt}. */
export function futimes(k: Kernel, h: MemHandle, atimNs: bigint, mtimNs: bigint, fstFlags: number): Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  const fe = checkFlags(fstFlags);
  if (fe !== Errno.success) return fe;
  apply(k, n, atimNs, mtimNs, fstFlags);
  return Errno.success;
}
