/**
 * symlinkAt: create a symbolic link inside the sandbox.
 */
import fs from 'node:fs';
import { Errno } from '../types.js';
import { errnoFromError } from './errors.js';
import type { NodeHandle } from './handle.js';
import { at } from './proc.js';
import { Walk } from './resolve.js';

/**
 * Create a symlink at `path` under `dir` whose contents are `target`.
 *
 * The target is data, stored as given, and is checked only when a later
 * walk follows it: a relative target such as `../../etc` may be created,
 * but every resolution through it is confined (`notcapable`). An ABSOLUTE
 * target is refused at creation (`notcapable`): it could never be
 * followed inside a sandbox. A target with NUL is `inval`, an empty one
 * `noent` (Linux). The link's own path is resolved in the sandbox and its
 * final component never followed: an existing name is `exist`; a trailing
 * slash on it is `exist` if the name exists, `noent` otherwise.
 */
export function symlinkAt(target: string, dir: NodeHandle, path: string): Errno {
  if (dir.fd < 0) return Errno.badf;
  if (target.indexOf('\0') !== -1) return Errno.inval;
  if (target.length === 0) return Errno.noent;
  if (target.charCodeAt(0) === 47) return Errno.notcapable;
  const w = new Walk(dir.fd);
  const e = w.start(path);
  if (e !== Errno.success) return e;
  try {
    const e2 = w.toFinal();
    if (e2 !== Errno.success) return e2;
    const p = at(w.dir, w.name);
    try {
      if (w.mustBeDir) return fs.lstatSync(p, { throwIfNoEntry: false }) === undefined ? Errno.noent : Errno.exist;
      fs.symlinkSync(target, p);
    } catch (err) {
      return errnoFromError(err);
    }
    return Errno.success;
  } finally {
    w.close();
  }
}
