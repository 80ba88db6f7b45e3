/**
 * readlinkAt: read a symbolic link inside the sandbox.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';
import { lstatFinal } from './stat.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The contents of the symlink at `path` under `dir` (not followed; the
 * contents are returned as stored, even when they point outside: reading a
 * link is not following it). Not a symlink → `inval`; contents that are not
 * UTF-8 → `ilseq`. A trailing slash follows the link (POSIX), so the result
 * is then `inval` for a directory, `notdir` otherwise. Refuses escapes
 * (`notcapable`), NUL (`inval`), empty (`noent`).
 */
export function readlinkAt(dir: NodeHandle, path: string): string | Errno {
  if (dir.fd < 0) return Errno.badf;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    if (w.mustBeDir) {
      const s = lstatFinal(w, true);
      return typeof s === 'number' ? s : Errno.inval;
    }
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    let raw: Buffer;
    try {
      raw = fs.readlinkSync(at(w.dir, w.name), { encoding: 'buffer' });
    } catch (err) {
      return errnoFromError(err);
    }
    try {
      return utf8.decode(raw);
    } catch {
      return Errno.ilseq;
    }
  } finally {
    w.close();
  }
}
