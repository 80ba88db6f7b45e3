/**
 * readdir: directory entries by cookie, O(1) per entry when read in order.
 */
import fs from 'node:fs';
import { type DirEntry, Errno, FileType } from '../types.js';
import { errnoFromError, errnoFromNumber } from './errors.js';
import type { DirCursor, NodeHandle } from './handle.js';
import * as libc from './libc.js';
import { self } from './proc.js';

/** Bytes per getdents64 batch: some 500-1000 entries of short names per syscall. */
const BATCH_BYTES = 16 * 1024;

/** Names as Node's Dirent decodes them: UTF-8, lossy for names that are not. */
const names = new TextDecoder('utf-8');

/**
 * The entry at `cookie` of directory handle `dir`, or `null` past the end.
 *
 * Cookies: 0 is `.`, 1 is `..`, then the directory's entries in kernel
 * order. The handle keeps a cursor: a private open of the same directory
 * (through `/proc/self/fd/D`, so its offset is not the handle's) read with
 * getdents64 (libc.ts) in batches of {@link BATCH_BYTES}: asking for the
 * cookie after the last one returned, or for the last one again (the WASI
 * layer does when an entry did not fit in the guest's buffer), costs O(1)
 * per entry and one syscall per batch. Any other cookie rewinds: the stream
 * is reopened and skipped forward, O(cookie).
 *
 * The inode number and type of each entry are the kernel's (d_ino, d_type,
 * as wasmtime reports them); only where the file system reports no type
 * (DT_UNKNOWN) does an entry cost a statx, and an entry removed in between
 * is then of type `unknown`. `..` is reported with the inode of the
 * directory itself, as wasmtime does: the parent is never looked at (it may
 * lie outside the sandbox). Names are decoded as UTF-8 (lossy for names
 * that are not UTF-8).
 *
 * Refuses: a closed handle (`badf`), a handle that is not a directory
 * (`notdir`), a negative cookie (`inval`).
 */
export function readdir(dir: NodeHandle, cookie: bigint): DirEntry | null | Errno {
  if (dir.fd < 0) return Errno.badf;
  if (dir.type !== FileType.directory) return Errno.notdir;
  if (cookie < 0n) return Errno.inval;
  let c = dir.cursor;
  if (c === null) c = dir.cursor = { fd: -1, buf: null, view: null, pos: 0, end: 0, index: 0n, last: null };
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

/** Release the cursor's stream (on close). Never throws: the descriptor is ours and Linux releases it whatever close says. */
export function closeCursor(c: DirCursor): void {
  if (c.fd >= 0) {
    libc.close(c.fd);
    c.fd = -1;
  }
  c.pos = c.end = 0;
}

function rewind(c: DirCursor): void {
  closeCursor(c);
  c.index = 0n;
  c.last = null;
}

/** What step() returns for an entry it only skipped over. */
const SKIPPED: DirEntry = Object.freeze({ name: '', type: FileType.unknown, ino: 0n, next: 0n });

/** The WASI type of a d_type (FIFOs have none: `unknown`, as handle.ts's fileTypeOf); -1 for DT_UNKNOWN. */
function typeOfDtype(t: number): FileType | -1 {
  switch (t) {
    case 8: return FileType.regularFile;
    case 4: return FileType.directory;
    case 10: return FileType.symbolicLink;
    case 2: return FileType.characterDevice;
    case 6: return FileType.blockDevice;
    case 12: return FileType.socketStream;
    case 0: return -1;
    default: return FileType.unknown;
  }
}

/**
 * Produce the entry at `c.index` and advance. `full` = build it (false while
 * skipping). OS errors are returned as errnos, except the reopen's, thrown.
 */
function step(dir: NodeHandle, c: DirCursor, full: boolean): DirEntry | null | Errno {
  const index = c.index;
  let entry: DirEntry;
  if (index < 2n) {
    let ino = 0n;
    if (full) {
      const s = libc.fstat(dir.fd);
      if (typeof s === 'number') return errnoFromNumber(-s);
      ino = s.ino;
    }
    entry = { name: index === 0n ? '.' : '..', type: FileType.directory, ino, next: index + 1n };
  } else {
    // The next record of the batch, refilling it when spent; the kernel's . and .. are skipped.
    let buf: Uint8Array, p: number, nameEnd: number;
    for (;;) {
      if (c.pos >= c.end) {
        if (c.fd < 0) c.fd = fs.openSync(self(dir.fd), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
        if (c.buf === null) {
          c.buf = new Uint8Array(BATCH_BYTES);
          c.view = new DataView(c.buf.buffer);
        }
        const n = libc.getdents(c.fd, c.buf);
        // A directory removed while open reads as ENOENT: its end, as glibc's readdir(3) says.
        if (n === 0 || n === -libc.ENOENT) return null;
        if (n < 0) return errnoFromNumber(-n);
        c.pos = 0;
        c.end = n;
      }
      buf = c.buf!;
      p = c.pos;
      c.pos = p + c.view!.getUint16(p + 16, true);
      nameEnd = buf.indexOf(0, p + 19);
      const len = nameEnd - (p + 19);
      if (buf[p + 19] === 46 && (len === 1 || (len === 2 && buf[p + 20] === 46))) continue;
      break;
    }
    if (full) {
      const name = names.decode(buf.subarray(p + 19, nameEnd));
      let type = typeOfDtype(buf[p + 18]!);
      if (type === -1) {
        const t = libc.ltypeAt(dir.fd, name);
        type = t < 0 ? FileType.unknown : (t as FileType);
      }
      entry = { name, type, ino: c.view!.getBigUint64(p, true), next: index + 1n };
    } else {
      entry = SKIPPED;
    }
  }
  c.index = index + 1n;
  c.last = full ? entry : null;
  return entry;
}
