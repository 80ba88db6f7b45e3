/**
 * rmdirAt: remove an empty directory inside the sandbox.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/**
 * Remove the empty directory at `path` under `dir`. A final symlink is not
 * followed (`notdir`), a non-empty directory is `notempty`, `.` is `inval`
 * (Linux). A trailing slash is accepted. Refuses escapes (`notcapable`, so a
 * path like `a/..` that names the sandbox root can at most be `.`), NUL
 * (`inval`), empty (`noent`).
 */
export function rmdirAt(dir: NodeHandle, path: string): Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    try {
      fs.rmdirSync(at(w.dir, w.name));
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    w.close();
  }
}
