/**
 * openat() emulation for Node on Linux.
 *
 * Node has no `*at()` calls. On Linux, `/proc/self/fd/D` is a "magic link"
 * to the very file description of descriptor D, so the path
 * `/proc/self/fd/${D}/${name}`, with `name` ONE component (no `/`, never
 * `..`), makes the kernel look up `name` in the directory open as D, exactly
 * as `openat(D, name, ...)` would. With `O_NOFOLLOW` (or an operation that
 * does not follow a final symlink: lstat, unlink, rmdir, rename, link,
 * symlink, readlink, mkdir, lutimes) the final component is not followed.
 * That is all we hand to the OS: a directory descriptor we hold and one
 * vetted component.
 */
import fs from 'node:fs';

const C = fs.constants;

/**
 * `O_PATH` (Linux; not exported by Node): a descriptor usable only as a
 * lookup base and for fstat. The walker opens intermediate directories with
 * it, so a directory with search (x) but no read (r) permission is traversed
 * as the kernel would.
 */
export const O_PATH = 0o10000000;

/** Flags of an intermediate directory of a walk. */
export const O_WALK_DIR = O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW;

const PREFIX = '/proc/self/fd/';

/** `/proc/self/fd/${dirFd}/${name}`: the openat(dirFd, name) path. `name` is one vetted component. */
export function at(dirFd: number, name: string): string {
  return PREFIX + dirFd + '/' + name;
}

/** `/proc/self/fd/${fd}`: the path of an open descriptor itself (used to reopen a directory for reading). */
export function self(fd: number): string {
  return PREFIX + fd;
}

let checked = false;

/**
 * Verify once per process that the /proc trick works here (procfs mounted,
 * Linux semantics): open a directory, look a name up through its magic link,
 * and check that O_NOFOLLOW is honoured for the final component. Throws if
 * not: without it this backend cannot sandbox anything.
 */
export function ensureProcFd(): void {
  if (checked) return;
  if (process.platform !== 'linux') {
    throw new Error('iolife: the Node OS backend needs Linux (/proc/self/fd openat emulation)');
  }
  let fd = -1;
  try {
    fd = fs.openSync('/proc/self', C.O_RDONLY | C.O_DIRECTORY);
    // /proc/self/fd/N/exe is a symlink: with O_NOFOLLOW it must fail with ELOOP.
    let refused = false;
    try {
      fs.closeSync(fs.openSync(at(fd, 'exe'), O_PATH | C.O_NOFOLLOW | C.O_DIRECTORY));
    } catch (e) {
      refused = (e as { code?: string }).code === 'ENOTDIR' || (e as { code?: string }).code === 'ELOOP';
    }
    if (!refused) throw new Error('O_NOFOLLOW not honoured through /proc/self/fd');
    fs.fstatSync(fd);
  } catch (e) {
    throw new Error('iolife: /proc/self/fd is unusable, the Node OS backend cannot sandbox paths', { cause: e });
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  checked = true;
}
