/**
 * The hot path operations as real `*at` syscalls through koffi (libc FFI):
 * openat, close, statx, getdents64.
 *
 * Node has no `*at()` calls, so the backend's first design looked names up
 * through `/proc/self/fd/D/name` (proc.ts). That path makes the kernel walk
 * procfs (`/proc`, `self`, `fd`, the magic link `D`) before the one component
 * that matters, and makes Node build an exception for every failure: an
 * open + close costs 3-4x what openat + close does from here, an lstat 4x.
 * The calls below take the same two things the /proc path carries — a
 * directory descriptor we hold and ONE vetted component (never `/`, never
 * `..`) — so the sandbox argument of resolve.ts is unchanged; the rarer
 * operations (mkdir, unlink, rename, ...) still go through proc.ts.
 *
 * Each function returns its result or a NEGATED Linux errno number (map it
 * with errors.ts's errnoFromNumber); nothing here throws for an OS error.
 */
import koffi from 'koffi';
import { FileType, type FileStat } from '../types.js';

const libc = koffi.load('libc.so.6');

const c = {
  // openat is variadic in C; the mode is always passed (as sys.ts passes fcntl's argument).
  openat: libc.func('int openat(int dirfd, const char *path, int flags, uint32_t mode)'),
  close: libc.func('int close(int fd)'),
  statx: libc.func('int statx(int dirfd, const char *path, int flags, uint32_t mask, void *buf)'),
};

/** Linux's O_CLOEXEC (libuv adds it to every open; so do we). */
const O_CLOEXEC = 0o2000000;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
/** STATX_BASIC_STATS: type, mode, nlink, uid, gid, times, ino, size, blocks. */
const STATX_BASIC = 0x7ff;
const STATX_TYPE = 0x1;

export const ENOENT = 2;
export const ENOTDIR = 20;
export const ELOOP = 40;

/** openat(dirFd, name, flags | O_CLOEXEC, mode): the new fd, or -errno. `name` is one vetted component. */
export function openat(dirFd: number, name: string, flags: number, mode: number): number {
  const fd = c.openat(dirFd, name, flags | O_CLOEXEC, mode) as number;
  return fd < 0 ? -koffi.errno() : fd;
}

/** close(2): 0 or -errno. The descriptor is released either way (Linux). */
export function close(fd: number): number {
  return (c.close(fd) as number) < 0 ? -koffi.errno() : 0;
}

// One struct statx buffer (256 bytes), reused by every call: the process is
// single-threaded here and nothing keeps a reference across calls.
const sx = new Uint8Array(256);
const sxv = new DataView(sx.buffer);

/** statx(dirFd, name, AT_SYMLINK_NOFOLLOW) into the shared buffer: 0 or -errno. */
function statxAt(dirFd: number, name: string, mask: number): number {
  return (c.statx(dirFd, name, AT_SYMLINK_NOFOLLOW, mask, sx) as number) < 0 ? -koffi.errno() : 0;
}

/** statx of the descriptor itself (AT_EMPTY_PATH) into the shared buffer: 0 or -errno. */
function statxFd(fd: number, mask: number): number {
  return (c.statx(fd, '', AT_EMPTY_PATH, mask, sx) as number) < 0 ? -koffi.errno() : 0;
}

/** WASI file type of a st_mode. FIFOs have no WASI type: `unknown`, as handle.ts's fileTypeOf. */
export function typeOfMode(mode: number): FileType {
  switch (mode & 0o170000) {
    case 0o100000: return FileType.regularFile;
    case 0o040000: return FileType.directory;
    case 0o120000: return FileType.symbolicLink;
    case 0o020000: return FileType.characterDevice;
    case 0o060000: return FileType.blockDevice;
    case 0o140000: return FileType.socketStream;
    default: return FileType.unknown;
  }
}

// struct statx offsets (linux/stat.h)
const STX_NLINK = 0x10;
const STX_MODE = 0x1c;
const STX_INO = 0x20;
const STX_SIZE = 0x28;
const STX_ATIME = 0x40;
const STX_CTIME = 0x60;
const STX_MTIME = 0x70;
const STX_DEV_MAJOR = 0x88;
const STX_DEV_MINOR = 0x8c;

function stxTime(at: number): bigint {
  return sxv.getBigInt64(at, true) * 1_000_000_000n + BigInt(sxv.getUint32(at + 8, true));
}

/** The shared buffer as a FileStat; st_dev as glibc's makedev (what Node's stat reports). */
function fileStat(): FileStat {
  const major = sxv.getUint32(STX_DEV_MAJOR, true);
  const minor = sxv.getUint32(STX_DEV_MINOR, true);
  const lo = (((major & 0xfff) << 8) | ((minor & 0xfff00) << 12) | (minor & 0xff)) >>> 0;
  const hi = ((major & 0xfffff000) | (minor >>> 20)) >>> 0;
  return {
    dev: (BigInt(hi) << 32n) | BigInt(lo),
    ino: sxv.getBigUint64(STX_INO, true),
    type: typeOfMode(sxv.getUint16(STX_MODE, true)),
    nlink: BigInt(sxv.getUint32(STX_NLINK, true)),
    size: sxv.getBigUint64(STX_SIZE, true),
    atimNs: stxTime(STX_ATIME),
    mtimNs: stxTime(STX_MTIME),
    ctimNs: stxTime(STX_CTIME),
  };
}

/** lstat of `name` in `dirFd` (one vetted component): its FileStat, or -errno. */
export function lstatAt(dirFd: number, name: string): FileStat | number {
  const r = statxAt(dirFd, name, STATX_BASIC);
  return r < 0 ? r : fileStat();
}

/** fstat of an open descriptor: its FileStat, or -errno. */
export function fstat(fd: number): FileStat | number {
  const r = statxFd(fd, STATX_BASIC);
  return r < 0 ? r : fileStat();
}

/** The file type of an open descriptor (statx asking for the type only), or -errno. */
export function typeOf(fd: number): FileType | number {
  const r = statxFd(fd, STATX_TYPE);
  return r < 0 ? r : typeOfMode(sxv.getUint16(STX_MODE, true));
}

/** The WASI file type of `name` in `dirFd` without following it, or -errno. */
export function ltypeAt(dirFd: number, name: string): FileType | number {
  const r = statxAt(dirFd, name, STATX_TYPE);
  return r < 0 ? r : typeOfMode(sxv.getUint16(STX_MODE, true));
}
