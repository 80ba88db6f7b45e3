/**
 * readdir: directory entries by cookie, O(1) per entry when read in order.
 */
import fs from 'node:fs';
import { type DirEntry, Errno, FileType } from '../types.js';
import { errnoFromError } from './errors.js';
import { type DirCursor, fileTypeOf, type NodeHandle } from './handle.js';
import { at, self } from './proc.js';

/** Entries fetched from the kernel per getdents batch by Node's fs.Dir. */
const BATCH = 128;

/**
 * The entry at `cookie` of directory handle `dir`, or `null` past the end.
 *
 * Cookies: 0 is `.`, 1 is `..`, then the directory's entries in kernel
 * order. The handle keeps a cursor (a Node `fs.Dir` stream over a fresh
 * open of the same directory, through `/proc/self/fd/D`, reading entries in
 * batches): asking for the cookie after the last one returned, or for the
 * last one again (the WASI layer does when an entry did not fit in the
 * guest's buffer), costs O(1) per entry. Any other cookie rewinds: the
 * stream is reopened and skipped forward, O(cookie).
 *
 * Each returned entry costs one lstat (the inode number, which Node's
 * Dirent lacks, and the type when the file system reports none). An entry
 * removed in between is returned with `ino` 0n. `..` is reported with the
 * inode of the directory itself, as wasmtime does: the parent is never
 * looked at (it may lie outside the sandbox).
 * Names are decoded as UTF-8 by Node (lossy for names that are not UTF-8).
 *
 * Refuses: a closed handle (`badf`), a handle that is not a directory
 * (`notdir`), a negative cookie (`inval`).
 */
export function readdir(dir: NodeHandle, cookie: bigint): DirEntry | null | Errno {
  if (dir.fd < 0) return Errno.badf;
  if (dir.type !== FileType.directory) return Errno.notdir;
  if (cookie < 0n) return Errno.inval;
  let c = dir.cursor;
  if (c === null) c = dir.cursor = { stream: null, index: 0n, last: null };
  if (c.last !== null && cookie === c.index - 1n) return c.last;
  try {
    if (cookie < c.index) rewind(c);
    while (c.index < cookie) {
      const r = step(dir, c, false);
      if (r === null || typeof r === 'number') return r;
    }
    return step(dir, c, true);
  } catch (err) {
    return errnoFromError(err);
  }
}

/** Release the cursor's stream (on close). */
export function closeCursor(c: DirCursor): void {
  if (c.stream !== null) {
    c.stream.closeSync();
    c.stream = null;
  }
}

function rewind(c: DirCursor): void {
  closeCursor(c);
  c.index = 0n;
  c.last = null;
}

/** Produce the entry at `c.index` and advance. `full` = compute ino/type (false while skipping). Throws OS errors. */
function step(dir: NodeHandle, c: DirCursor, full: boolean): DirEntry | null | Errno {
  const index = c.index;
  let entry: DirEntry;
  if (index < 2n) {
    const name = index === 0n ? '.' : '..';
    const ino = full ? fs.fstatSync(dir.fd, { bigint: true }).ino : 0n;
    entry = { name, type: FileType.directory, ino, next: index + 1n };
  } else {
    let stream = c.stream;
    if (stream === null) stream = c.stream = fs.opendirSync(self(dir.fd), { bufferSize: BATCH });
    const d = stream.readSync();
    if (d === null) return null;
    let type = fileTypeOf(d);
    let ino = 0n;
    if (full) {
      const s = fs.lstatSync(at(dir.fd, d.name), { bigint: true, throwIfNoEntry: false });
      if (s !== undefined) {
        ino = s.ino;
        if (type === FileType.unknown) type = fileTypeOf(s);
      }
    }
    entry = { name: d.name, type, ino, next: index + 1n };
  }
  c.index = index + 1n;
  c.last = full ? entry : null;
  return entry;
}
