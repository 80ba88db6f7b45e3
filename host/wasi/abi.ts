// WASI preview1 ABI facts: struct layouts, flag bits, and the rights each
// file type can carry. Values from the witx of wasi_snapshot_preview1.

import { RIGHTS } from "../core/constants.js";
import { FileType } from "../os/types.js";

/** `oflags` */
export const OFLAGS = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
/** `fdflags` */
export const FDFLAGS = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
/** `lookupflags` */
export const LOOKUP_SYMLINK_FOLLOW = 1;
/** `clockid` */
export const CLOCK = { realtime: 0, monotonic: 1, processCputime: 2, threadCputime: 3 } as const;
/** `eventtype` */
export const EVENTTYPE = { clock: 0, fdRead: 1, fdWrite: 2 } as const;
/** `subclockflags` */
export const SUBCLOCK_ABSTIME = 1;
/** `eventrwflags` */
export const EVENT_FD_READWRITE_HANGUP = 1;
/** `riflags` / `roflags` / `sdflags` */
export const RIFLAGS = { peek: 1, waitall: 2 } as const;
export const SDFLAGS = { rd: 1, wr: 2 } as const;
/** `advice` values 0..5 (normal, sequential, random, willneed, dontneed, noreuse). */
export const ADVICE_MAX = 5;

export const SIZE_IOVEC = 8;
export const SIZE_FILESTAT = 64;
export const SIZE_FDSTAT = 24;
export const SIZE_DIRENT = 24;
export const SIZE_SUBSCRIPTION = 48;
export const SIZE_EVENT = 32;

const R = RIGHTS;
/** Rights a regular file can use. */
export const RIGHTS_FILE = R.datasync | R.read | R.seek | R["set-flags"] | R.sync | R.tell | R.write |
  R.advise | R.allocate | R.stat | R["set-size"] | R["set-times"] | R.poll;
/** Rights a directory can use itself (beyond what it hands to files opened under it). */
export const RIGHTS_DIRECTORY = R["set-flags"] | R.sync | R.datasync | R.advise |
  R["create-directory"] | R["create-file"] | R["link-source"] | R["link-target"] | R.open |
  R.readdir | R.readlink | R["rename-source"] | R["rename-target"] | R["path-stat"] |
  R["path-set-size"] | R["path-set-times"] | R.stat | R["set-times"] | R.symlink |
  R["remove-directory"] | R["unlink-file"];
/** Rights a stream (stdio, pipe, character device) can use. */
export const RIGHTS_STREAM = R.read | R.write | R["set-flags"] | R.stat | R.poll | R.datasync | R.sync;
/** Rights a connected socket can use. */
export const RIGHTS_SOCKET = R.read | R.write | R["set-flags"] | R.stat | R.poll | R.shutdown;
/** Rights a listening socket can use. */
export const RIGHTS_LISTENER = R["set-flags"] | R.stat | R.poll | R.accept;
/** What files opened under a preopen may inherit. */
export const RIGHTS_INHERITING = RIGHTS_FILE | RIGHTS_DIRECTORY;

/** The rights that make sense for an open file of type `type`. */
export function rightsForType(type: FileType): number {
  switch (type) {
    case FileType.regularFile:
    case FileType.blockDevice:
      return RIGHTS_FILE;
    case FileType.directory:
      return RIGHTS_DIRECTORY;
    case FileType.socketStream:
    case FileType.socketDgram:
      return RIGHTS_SOCKET;
    default:
      return RIGHTS_STREAM;
  }
}
