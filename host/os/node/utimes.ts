/**
 * utimesAt / futimes: set access and modification times, to the nanosecond.
 *
 * Node's utimes/futimes take seconds as doubles and libuv truncates them to
 * microseconds, and they cannot leave one time unchanged nor ask for the
 * kernel's "now"; so these call utimensat(2) / futimens(2) through sys.ts,
 * with UTIME_OMIT for a time left as it is and UTIME_NOW for "now" (the
 * kernel's current time, as wasmtime does).
 */
import { Errno, TimeFlags } from '../types.js';
import { errnoFromNumber } from './errors.js';
import type { NodeHandle } from './handle.js';
import { Walk } from './resolve.js';
import { lstatFinal } from './stat.js';
import { futimens, utimensat } from './sys.js';

const ALL = TimeFlags.ATIM | TimeFlags.ATIM_NOW | TimeFlags.MTIM | TimeFlags.MTIM_NOW;

/** `inval` for unknown bits or a time both set and set-to-now (WASI). */
function checkFlags(fst: number): Errno {
  if ((fst & ~ALL) !== 0) return Errno.inval;
  if ((fst & TimeFlags.ATIM) && (fst & TimeFlags.ATIM_NOW)) return Errno.inval;
  if ((fst & TimeFlags.MTIM) && (fst & TimeFlags.MTIM_NOW)) return Errno.inval;
  return Errno.success;
}

/** The time to pass for one of atime/mtime: the given ns, -1n for now, -2n to leave it unchanged. */
function time(fst: number, set: number, now: number, given: bigint): bigint {
  if (fst & set) return given;
  if (fst & now) return -1n;
  return -2n;
}

/**
 * Set the times of `path` under `dir` (`fstFlags` 0: only checks that the
 * path resolves, changes nothing). With `follow`, a final symlink is
 * followed inside the sandbox; without, the symlink's own times are set
 * (the final call is utimensat(D, name, AT_SYMLINK_NOFOLLOW), which never
 * follows). Nanosecond precision (see the module comment).
 * Refuses invalid `fstFlags` (`inval`), escapes (`notcapable`), NUL
 * (`inval`), empty (`noent`).
 */
export function utimesAt(
  dir: NodeHandle,
  path: string,
  follow: boolean,
  atimNs: bigint,
  mtimNs: bigint,
  fstFlags: number,
): Errno {
  if (dir.fd < 0) return Errno.badf;
  const fe = checkFlags(fstFlags);
  if (fe !== Errno.success) return fe;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    if (follow || w.mustBeDir) {
      const s = lstatFinal(w, follow);
      if (typeof s === 'number') return s;
    } else {
      const e2 = w.toFinal();
      if (e2 !== Errno.success) return e2;
    }
    // Nothing to set: the path had to resolve, and that is all.
    if (fstFlags === 0) return Errno.success;
    const r = utimensat(w.dir, w.name, time(fstFlags, TimeFlags.ATIM, TimeFlags.ATIM_NOW, atimNs),
      time(fstFlags, TimeFlags.MTIM, TimeFlags.MTIM_NOW, mtimNs));
    return r < 0 ? errnoFromNumber(-r) : Errno.success;
  } finally {
    w.close();
  }
}

/** Set the times of an open handle (futimens). Same flags and precision as {@link utimesAt}. */
export function futimes(h: NodeHandle, atimNs: bigint, mtimNs: bigint, fstFlags: number): Errno {
  if (h.fd < 0) return Errno.badf;
  const fe = checkFlags(fstFlags);
  if (fe !== Errno.success) return fe;
  if (fstFlags === 0) return Errno.success;
  const r = futimens(h.fd, time(fstFlags, TimeFlags.ATIM, TimeFlags.ATIM_NOW, atimNs),
    time(fstFlags, TimeFlags.MTIM, TimeFlags.MTIM_NOW, mtimNs));
  if (r < 0) return errnoFromNumber(-r);
  return Errno.success;
}
