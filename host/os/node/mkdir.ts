/**
 * mkdirAt: create a directory inside the sandbox.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/**
 * Create directory `path` under `dir` (mode 0o777 less the umask).
 * The parent is resolved in the sandbox; the final component is created with
 * mkdir("/proc/self/fd/D/name"), which never follows a symlink: an existing
 * name, symlink or not, is `exist` (a trailing slash is allowed, as POSIX
 * does). Refuses escapes (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function mkdirAt(dir: NodeHandle, path: string): Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    try {
      fs.mkdirSync(at(w.dir, w.name), 0o777);
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    w.close();
  }
}
