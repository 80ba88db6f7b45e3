/**
 * The OS interface of iolife: what a WASI preview1 host needs from an
 * operating system, one method per operation.
 *
 * Two backends implement it: `host/os/node/` (real descriptors on Linux,
 * sandboxed after cap-std) and, later, an in-memory one. Both speak the same
 * error vocabulary: the WASI preview1 errno values below.
 *
 * Conventions shared by every backend:
 *
 * - Expected OS failures are RETURNED, never thrown. An error the backend does
 *   not recognise is a host bug and IS thrown (it is never disguised as a
 *   guest errno).
 * - A method returning only a status returns an {@link Errno}
 *   (`Errno.success` = 0 on success).
 * - A method returning an object or a bigint returns either that value or an
 *   {@link Errno} (a `number`): test with `typeof r === "number"`.
 * - A method returning a byte count (`read`, `write`, ...) returns the count
 *   (>= 0) or a NEGATED errno (< 0): `n < 0 ? -n as Errno : n`.
 * - Paths are the guest's, as strings (the WASI layer decodes UTF-8 and
 *   reports invalid UTF-8 as `ilseq`). They are always relative to a
 *   directory handle: an absolute path is refused (`notcapable`), and no path
 *   may resolve outside that directory (`notcapable`), whatever its `..`
 *   components or symbolic links do.
 */

/** WASI preview1 errno values (witx `errno`, u16). */
export const Errno = {
  success: 0,
  '2big': 1,
  acces: 2,
  addrinuse: 3,
  addrnotavail: 4,
  afnosupport: 5,
  again: 6,
  already: 7,
  badf: 8,
  badmsg: 9,
  busy: 10,
  canceled: 11,
  child: 12,
  connaborted: 13,
  connrefused: 14,
  connreset: 15,
  deadlk: 16,
  destaddrreq: 17,
  dom: 18,
  dquot: 19,
  exist: 20,
  fault: 21,
  fbig: 22,
  hostunreach: 23,
  idrm: 24,
  ilseq: 25,
  inprogress: 26,
  intr: 27,
  inval: 28,
  io: 29,
  isconn: 30,
  isdir: 31,
  loop: 32,
  mfile: 33,
  mlink: 34,
  msgsize: 35,
  multihop: 36,
  nametoolong: 37,
  netdown: 38,
  netreset: 39,
  netunreach: 40,
  nfile: 41,
  nobufs: 42,
  nodev: 43,
  noent: 44,
  noexec: 45,
  nolck: 46,
  nolink: 47,
  nomem: 48,
  nomsg: 49,
  noprotoopt: 50,
  nospc: 51,
  nosys: 52,
  notconn: 53,
  notdir: 54,
  notempty: 55,
  notrecoverable: 56,
  notsock: 57,
  notsup: 58,
  notty: 59,
  nxio: 60,
  overflow: 61,
  ownerdead: 62,
  perm: 63,
  pipe: 64,
  proto: 65,
  protonosupport: 66,
  prototype: 67,
  range: 68,
  rofs: 69,
  spipe: 70,
  srch: 71,
  stale: 72,
  timedout: 73,
  txtbsy: 74,
  xdev: 75,
  notcapable: 76,
} as const;
export type Errno = (typeof Errno)[keyof typeof Errno];

const ERRNO_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(Errno)) names[value] = name;
  return names;
})();

/** The WASI name of an errno value (`44` → `"noent"`), for messages and tests. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno(${errno})`;
}

/** WASI preview1 `filetype` values. */
export const FileType = {
  unknown: 0,
  blockDevice: 1,
  characterDevice: 2,
  directory: 3,
  regularFile: 4,
  socketDgram: 5,
  socketStream: 6,
  symbolicLink: 7,
} as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

/** WASI preview1 `filestat`, timestamps in nanoseconds since the Unix epoch. */
export interface FileStat {
  dev: bigint;
  ino: bigint;
  type: FileType;
  nlink: bigint;
  size: bigint;
  atimNs: bigint;
  mtimNs: bigint;
  ctimNs: bigint;
}

/**
 * Flags of {@link Os.openAt}, one bit set combining WASI `oflags`, the
 * access wanted (the WASI layer derives READ/WRITE from the rights) and
 * `fdflags`.
 */
export const OpenFlags = {
  /** Open for reading. Without READ nor WRITE a file is opened read-only. */
  READ: 1 << 0,
  /** Open for writing. */
  WRITE: 1 << 1,
  /** Create the file if it does not exist (WASI `oflags.creat`). */
  CREAT: 1 << 2,
  /** Fail with `notdir` unless the path names a directory (`oflags.directory`). */
  DIRECTORY: 1 << 3,
  /** With CREAT: fail with `exist` if the path exists, even as a symlink (`oflags.excl`). */
  EXCL: 1 << 4,
  /** Truncate to length 0 (`oflags.trunc`). */
  TRUNC: 1 << 5,
  /** Every write appends (`fdflags.append`). */
  APPEND: 1 << 6,
  /** `fdflags.dsync`. */
  DSYNC: 1 << 7,
  /** `fdflags.nonblock`. */
  NONBLOCK: 1 << 8,
  /** `fdflags.rsync`. */
  RSYNC: 1 << 9,
  /** `fdflags.sync`. */
  SYNC: 1 << 10,
} as const;

/** WASI preview1 `whence` values for {@link Os.seek}. */
export const Whence = { set: 0, cur: 1, end: 2 } as const;
export type Whence = (typeof Whence)[keyof typeof Whence];

/** WASI preview1 `fstflags` bits for {@link Os.utimesAt} and {@link Os.futimes}. */
export const TimeFlags = {
  /** Set atime to the given value. */
  ATIM: 1 << 0,
  /** Set atime to now. */
  ATIM_NOW: 1 << 1,
  /** Set mtime to the given value. */
  MTIM: 1 << 2,
  /** Set mtime to now. */
  MTIM_NOW: 1 << 3,
} as const;

/** One directory entry, as WASI `fd_readdir` reports it. */
export interface DirEntry {
  /** The entry's name (`.` and `..` included). */
  name: string;
  type: FileType;
  /** Inode number, `0n` when the entry vanished before it could be asked. */
  ino: bigint;
  /** The cookie of the entry after this one (WASI `dirent.d_next`). */
  next: bigint;
}

/** What every backend's descriptor handle exposes. */
export interface OsHandle {
  /** The type of the open file, known from the moment it is opened. */
  readonly type: FileType;
  /** False once closed. */
  readonly open: boolean;
}

/**
 * The operations. `H` is the backend's handle type; a handle is only valid
 * with the backend that made it. Handles that name directories are the only
 * way into a file system: there is no method taking an absolute path.
 */
export interface Os<H extends OsHandle> {
  // ---- path operations (all relative to a directory handle) -------------

  /**
   * Open `path` under `dir`. `follow` follows a symlink in the final
   * component (intermediate symlinks are always followed, inside the
   * sandbox only). `flags` is an {@link OpenFlags} set; `mode` the creation
   * mode (default 0o666, umask applies).
   */
  openAt(dir: H, path: string, follow: boolean, flags: number, mode?: number): H | Errno;
  /** Metadata of `path` under `dir`; `follow` = stat, otherwise lstat. */
  statAt(dir: H, path: string, follow: boolean): FileStat | Errno;
  /** Create a directory (mode 0o777, umask applies). */
  mkdirAt(dir: H, path: string): Errno;
  /** Remove a non-directory (never follows a final symlink: removes the link). */
  unlinkAt(dir: H, path: string): Errno;
  /** Remove an empty directory. */
  rmdirAt(dir: H, path: string): Errno;
  /** Rename; each path resolved under its own directory handle. */
  renameAt(oldDir: H, oldPath: string, newDir: H, newPath: string): Errno;
  /** Hard link `newPath` to `oldPath`; `follow` follows a final symlink of `oldPath`. */
  linkAt(oldDir: H, oldPath: string, follow: boolean, newDir: H, newPath: string): Errno;
  /** Create a symlink at `path` whose contents are `target`. */
  symlinkAt(target: string, dir: H, path: string): Errno;
  /** The contents of the symlink at `path`. */
  readlinkAt(dir: H, path: string): string | Errno;
  /**
   * Set the times of `path` ({@link TimeFlags} in `fstFlags`; a time whose
   * bits are both clear is left as it is).
   */
  utimesAt(dir: H, path: string, follow: boolean, atimNs: bigint, mtimNs: bigint, fstFlags: number): Errno;

  // ---- directory reading -------------------------------------------------

  /**
   * The entry at `cookie` of directory `dir` (`0n` = the first; `.` and `..`
   * are the first two), or `null` past the end. Reading the cookies in
   * order, or asking again for the last one returned, is O(1) per entry;
   * any other cookie costs a rewind.
   */
  readdir(dir: H, cookie: bigint): DirEntry | null | Errno;

  // ---- descriptor operations --------------------------------------------

  /** Read at the handle's position, advancing it: bytes read or -errno. */
  read(h: H, bufs: readonly Uint8Array[]): number;
  /** Read at `offset`, position unchanged: bytes read or -errno. */
  pread(h: H, bufs: readonly Uint8Array[], offset: bigint): number;
  /** Write at the handle's position (at the end if APPEND), advancing it: bytes written or -errno. */
  write(h: H, bufs: readonly Uint8Array[]): number;
  /** Write at `offset`, position unchanged: bytes written or -errno. */
  pwrite(h: H, bufs: readonly Uint8Array[], offset: bigint): number;
  /** Move the position; returns the new position. */
  seek(h: H, offset: bigint, whence: Whence): bigint | Errno;
  fstat(h: H): FileStat | Errno;
  ftruncate(h: H, size: bigint): Errno;
  fsync(h: H): Errno;
  fdatasync(h: H): Errno;
  futimes(h: H, atimNs: bigint, mtimNs: bigint, fstFlags: number): Errno;
  /** Release the handle. A second close returns `badf`. */
  close(h: H): Errno;

  // ---- optional: backends that can (see each backend's docs) -------------

  /**
   * {@link statAt} / {@link fstat} written straight into `out` at byte `at`
   * as WASI preview1's 64-byte `filestat` (dev, ino, filetype, nlink, size,
   * atim, mtim, ctim; little-endian), only on success: the same figures
   * without building bigints. A hot-path shortcut the WASI layer takes when
   * a backend has it.
   */
  statAtInto?(dir: H, path: string, follow: boolean, out: DataView, at: number): Errno;
  fstatInto?(h: H, out: DataView, at: number): Errno;
  /** {@link read} / {@link write} of ONE buffer (the common single-iovec call), without an array. */
  read1?(h: H, buf: Uint8Array): number;
  write1?(h: H, buf: Uint8Array): number;
  /** Turn O_APPEND on or off for the open description behind `h`. */
  setAppend?(h: H, on: boolean): Errno;
  /** Accept a connection on a listening socket: a new connected socket handle. */
  accept?(h: H, nonblock: boolean): H | Errno;
  /** Shut down reading (1), writing (2) or both (3) of a connected socket. */
  shutdown?(h: H, how: number): Errno;
  /** Receive into one buffer with WASI `riflags` (1 peek, 2 waitall): bytes or -errno. */
  recv?(h: H, buf: Uint8Array, riflags: number): number;
  /**
   * Readiness of non-file handles for reading (or writing where write[i]),
   * waiting up to timeoutNs (-1n: no limit): per handle 0 not ready, 1 ready,
   * 2 hung up or in error.
   */
  poll?(hs: readonly H[], write: readonly boolean[], timeoutNs: bigint): number[] | Errno;
}
