/**
 * utimesAt / futimes: set access and modification times.
 *
 * PRECISION: Node takes times as seconds in a double and libuv truncates them
 * to MICROSECONDS before utimensat(2) (a deliberate libuv choice), so the
 * nanoseconds below the microsecond are lost: a time set to
 * 1_700_000_000_123_456_789 ns reads back as 1_700_000_000_123_456_000 ns.
 * We truncate to the microsecond in bigint arithmetic and hand libuv a
 * double that it truncates back to exactly that microsecond (exact for all
 * times before the year 2106; a plain `Number(ns) / 1e9` is not).
 *
 * Node cannot pass UTIME_OMIT nor UTIME_NOW: a time left unchanged is read
 * (lstat/fstat) and written back, so it is truncated to the microsecond
 * too; "now" is the host's realtime clock (microsecond-ish resolution), not
 * the kernel's current_time.
 */
import fs from 'node:fs';
import { Errno, TimeFlags } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';
import { lstatFinal } from './stat.js';

const ALL = TimeFlags.ATIM | TimeFlags.ATIM_NOW | TimeFlags.MTIM | TimeFlags.MTIM_NOW;

/** Nanoseconds → the double that libuv truncates to the same microsecond as `ns / 1000n`. */
export function nsToUvSeconds(ns: bigint): number {
  const us = ns / 1000n;
  const sec = us / 1_000_000n;
  const frac = us % 1_000_000n;
  // +0.5 µs so that libuv's truncation lands on `frac` despite rounding in the double.
  return Number(sec) + (Number(frac) * 1000 + 500) / 1e9;
}

/** Realtime clock, in nanoseconds. */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/** `inval` for unknown bits or a time both set and set-to-now (WASI). */
function checkFlags(fst: number): Errno {
  if ((fst & ~ALL) !== 0) return Errno.inval;
  if ((fst & TimeFlags.ATIM) && (fst & TimeFlags.ATIM_NOW)) return Errno.inval;
  if ((fst & TimeFlags.MTIM) && (fst & TimeFlags.MTIM_NOW)) return Errno.inval;
  return Errno.success;
}

function pick(fst: number, set: number, now: number, given: bigint, current: bigint | undefined, nowValue: bigint): bigint {
  if (fst & set) return given;
  if (fst & now) return nowValue;
  return current!;
}

/** Both times are given (no need to read the current ones). */
function complete(fst: number): boolean {
  return (fst & (TimeFlags.ATIM | TimeFlags.ATIM_NOW)) !== 0 && (fst & (TimeFlags.MTIM | TimeFlags.MTIM_NOW)) !== 0;
}

/**
 * Set the times of `path` under `dir` (`fstFlags` 0: only checks that the
 * path resolves, changes nothing). With `follow`, a final symlink is
 * followed inside the sandbox; without, the symlink's own times are set
 * (lutimes). The final call is lutimes("/proc/self/fd/D/name"), which never
 * follows. See the module comment for precision (microseconds).
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
    let curA: bigint | undefined;
    let curM: bigint | undefined;
    if (follow || w.mustBeDir || !complete(fstFlags)) {
      const s = lstatFinal(w, follow);
      if (typeof s === 'number') return s;
      // Nothing to set: do not rewrite the times (that would truncate them).
      if (fstFlags === 0) return Errno.success;
      curA = s.atimeNs;
      curM = s.mtimeNs;
    } else {
      const e2 = w.toFinal();
      if (e2 !== Errno.success) return e2;
    }
    const now = fstFlags & (TimeFlags.ATIM_NOW | TimeFlags.MTIM_NOW) ? nowNs() : 0n;
    const a = pick(fstFlags, TimeFlags.ATIM, TimeFlags.ATIM_NOW, atimNs, curA, now);
    const m = pick(fstFlags, TimeFlags.MTIM, TimeFlags.MTIM_NOW, mtimNs, curM, now);
    try {
      fs.lutimesSync(at(w.dir, w.name), nsToUvSeconds(a), nsToUvSeconds(m));
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    w.close();
  }
}

/** Set the times of an open handle (futimes). Same flags and precision as {@link utimesAt}. */
export function futimes(h: NodeHandle, atimNs: bigint, mtimNs: bigint, fstFlags: number): Errno {
  if (h.fd < 0) return Errno.badf;
  const fe = checkFlags(fstFlags);
  if (fe !== Errno.success) return fe;
  if (fstFlags === 0) return Errno.success;
  try {
    let curA: bigint | undefined;
    let curM: bigint | undefined;
    if (!complete(fstFlags)) {
      const s = fs.fstatSync(h.fd, { bigint: true });
      curA = s.atimeNs;
      curM = s.mtimeNs;
    }
    const now = fstFlags & (TimeFlags.ATIM_NOW | TimeFlags.MTIM_NOW) ? nowNs() : 0n;
    const a = pick(fstFlags, TimeFlags.ATIM, TimeFlags.ATIM_NOW, atimNs, curA, now);
    const m = pick(fstFlags, TimeFlags.MTIM, TimeFlags.MTIM_NOW, mtimNs, curM, now);
    fs.futimesSync(h.fd, nsToUvSeconds(a), nsToUvSeconds(m));
  } catch (err) {
    return errnoFromError(err);
  }
  return Errno.success;
}
