/**
 * readdir: directory entries by cookie, O(1) per entry when read in order.
 */
import { type DirEntry, Errno, FileType } from '../types.js';
import { type DirCursor, live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DirNode } from './nodes.js';

/**
 * The entry at `cookie` of directory handle `dir`, or `null` past the end.
 *
 * Cookies: 0 is `.`, 1 is `..` (both reported with the directory's own
 * inode, as the Node backend does), then each entry's cookie is its
 * insertion number + 2. A cookie means "the first entry at or after this
 * one", so cookies stay valid however the directory changes: removing an
 * entry never shifts the others, and entries added while reading come at
 * the end (a live Map iterator sees them).
 *
 * Asking for the `next` of the last entry returned, or for that entry
 * again (the WASI layer does when it did not fit in the guest's buffer),
 * costs O(1); any other cookie rewinds, O(entries).
 *
 * Refuses: a closed or foreign handle (`badf`), a handle that is not a
 * directory (`notdir`), a negative cookie (`inval`).
 */
export function readdir(k: Kernel, dir: MemHandle, cookie: bigint): DirEntry | null | Errno {
  const n = live(k, dir);
  if (n === null) return Errno.badf;
  if (!(n instanceof DirNode)) return Errno.notdir;
  if (cookie < 0n) return Errno.inval;
  let c = dir.cursor;
  if (c === null) c = dir.cursor = { iter: null, lastCookie: -1n, last: null };
  if (cookie === c.lastCookie && c.last !== null) return c.last;
  if (cookie < 2n) {
    c.iter = null;
    const entry: DirEntry = { name: cookie === 0n ? '.' : '..', type: FileType.directory, ino: n.ino, next: cookie + 1n };
    return remember(c, cookie, entry);
  }
  const rel = cookie - 2n;
  const want = rel > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(rel);
  // In order: the cursor's iterator is positioned just after the entry returned last.
  // Otherwise restart, skipping the entries before `want` (O(entries)).
  if (c.iter === null || c.last === null || cookie !== c.last.next) c.iter = n.entries.entries();
  for (;;) {
    const r = c.iter.next();
    if (r.done) {
      c.iter = null;
      c.last = null;
      c.lastCookie = -1n;
      return null;
    }
    const [name, e] = r.value;
    if (e.seq < want) continue;
    return remember(c, BigInt(e.seq + 2), { name, type: e.node.type, ino: e.node.ino, next: BigInt(e.seq + 3) });
  }
}

function remember(c: DirCursor, cookie: bigint, entry: DirEntry): DirEntry {
  c.lastCookie = cookie;
  c.last = entry;
  return entry;
}
