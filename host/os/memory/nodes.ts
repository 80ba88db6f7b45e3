/**
 * The objects of the simulated OS. An inode is what a name or an open
 * handle refers to; its kind decides which operations apply.
 *
 * Invariants:
 * - `ino` is unique within one simulated OS and never reused.
 * - A directory has exactly one parent (`parent`, null for a root made by
 *   `root()`): directories cannot be hard-linked, so ancestry is a chain.
 * - A directory's `nlink` is 2 + its subdirectories (its name and `.`, plus
 *   each child's `..`), 0 once removed; any other node's `nlink` is the
 *   number of directory entries naming it.
 * - A regular file's bytes at [size, data.length) are zero, so growing a
 *   file (a write past the end, a truncate up) never has to clear anything.
 * - Timestamps are nanoseconds since the Unix epoch on the virtual clock.
 */
import { FileType } from '../types.js';
import { ByteQueue } from './queue.js';

/** Linux's NAME_MAX: the longest name, in UTF-8 bytes, one directory entry can have. */
export const NAME_MAX = 255;
/** Linux's PATH_MAX - 1: the longest symlink target, in UTF-8 bytes. */
export const SYMLINK_MAX = 4095;

export abstract class Inode {
  abstract readonly type: FileType;
  nlink = 1;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;

  constructor(readonly ino: bigint, now: bigint) {
    this.atim = now;
    this.mtim = now;
    this.ctim = now;
  }
}

const EMPTY = new Uint8Array(0);

/** A regular file: `size` bytes, held in `data` whose length is the capacity (grown by doubling). */
export class FileNode extends Inode {
  readonly type = FileType.regularFile;
  data: Uint8Array = EMPTY;
  size = 0;
  /** Open handles on this file (its bytes count against the quota until nlink and opens are 0). */
  opens = 0;
}

/** One name in a directory. `seq` orders entries (insertion order) and makes their readdir cookies. */
export interface Entry {
  node: Inode;
  /** Strictly increasing within a directory: the entry's cookie is seq + 2. */
  seq: number;
}

export class DirNode extends Inode {
  readonly type = FileType.directory;
  override nlink = 2;
  /** Name → entry, in insertion order (a JS Map keeps it, and its iterators are live). */
  readonly entries = new Map<string, Entry>();
  nextSeq = 0;
  /** Removed by rmdir or replaced by rename: nothing can be created in it any more. */
  removed = false;

  constructor(ino: bigint, now: bigint, public parent: DirNode | null) {
    super(ino, now);
  }
}

export class SymlinkNode extends Inode {
  readonly type = FileType.symbolicLink;
  /** UTF-8 length of the target (its size, as lstat reports it). */
  readonly size: number;

  constructor(ino: bigint, now: bigint, readonly target: string, size: number) {
    super(ino, now);
    this.size = size;
  }
}

/**
 * A pipe: a bounded buffer between a read end and a write end. Pipes have
 * no WASI file type of their own: `unknown`, as the Node backend reports a
 * FIFO (and as wasmtime does).
 */
export class PipeNode extends Inode {
  readonly type = FileType.unknown;
  readonly queue: ByteQueue;
  /** Open read ends / write ends. */
  readers = 1;
  writers = 1;

  constructor(ino: bigint, now: bigint, capacity: number) {
    super(ino, now);
    this.queue = new ByteQueue(capacity);
  }
}

/** One end of a loopback TCP connection. Bytes the peer writes land in `inbox`. */
export class SocketNode extends Inode {
  readonly type = FileType.socketStream;
  readonly inbox: ByteQueue;
  peer: SocketNode | null = null;
  /** shutdown(RD) / shutdown(WR) done on this end. */
  rdShut = false;
  wrShut = false;
  /** This end's handle was closed. */
  closed = false;
  /** The connection was reset (its listener closed before accepting it). */
  reset = false;

  constructor(ino: bigint, now: bigint, capacity: number, readonly localPort: number, readonly remotePort: number) {
    super(ino, now);
    this.inbox = new ByteQueue(capacity);
  }
}

/** A listening TCP socket on the loopback network of one simulated OS. */
export class ListenerNode extends Inode {
  readonly type = FileType.socketStream;
  /** Connections made but not yet accepted, oldest first (server ends). */
  readonly pending: SocketNode[] = [];
  /** Closed, or stopped by shutdown(RD): no longer listening. */
  closed = false;

  constructor(ino: bigint, now: bigint, readonly port: number, readonly backlog: number) {
    super(ino, now);
  }
}

/**
 * What a character device does: `read` fills `buf` and returns the byte
 * count (0 at end of input) or a negated errno; `write` consumes `bytes`
 * (a view valid only during the call) and returns how many it took or a
 * negated errno. A missing function makes that direction `badf`.
 */
export interface DeviceIo {
  read?(buf: Uint8Array): number;
  write?(bytes: Uint8Array): number;
}

/** A character device backed by JavaScript functions (the embedder's stdin, stdout, a console). */
export class DeviceNode extends Inode {
  readonly type = FileType.characterDevice;

  constructor(ino: bigint, now: bigint, readonly io: DeviceIo) {
    super(ino, now);
  }
}
