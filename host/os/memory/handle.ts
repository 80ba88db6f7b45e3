/**
 * The memory backend's descriptor handle: one open file description (the
 * ownership core above shares it between dup'ed fds, so the offset and the
 * APPEND flag here are per description, as POSIX has them).
 */
import type { FileType, OsHandle } from '../types.js';
import type { Kernel } from './kernel.js';
import type { Inode } from './nodes.js';

/** State of a directory read (see readdir.ts). */
export interface DirCursor {
  /** A live iterator over the directory's entries (insertion order), or null before the first entry. */
  iter: Iterator<[string, import('./nodes.js').Entry]> | null;
  /** Cookie of the entry returned last, or -1n. */
  lastCookie: bigint;
  /** That entry, kept so it can be asked for again in O(1). */
  last: import('../types.js').DirEntry | null;
}

export class MemHandle implements OsHandle {
  /** What the handle refers to; null once closed. */
  node: Inode | null;
  readonly type: FileType;
  /** The simulated OS that made the handle: any other one answers `badf`. */
  readonly kernel: Kernel;
  readonly readable: boolean;
  readonly writable: boolean;
  /** Writes go to the end (O_APPEND); set at open, changed by setAppend. */
  append: boolean;
  /** The file offset (regular files). */
  pos = 0;
  cursor: DirCursor | null = null;

  constructor(kernel: Kernel, node: Inode, readable: boolean, writable: boolean, append = false) {
    this.kernel = kernel;
    this.node = node;
    this.type = node.type;
    this.readable = readable;
    this.writable = writable;
    this.append = append;
  }

  get open(): boolean {
    return this.node !== null;
  }
}

/** The node behind `h` if `h` is open and belongs to `k`, else null (the caller answers `badf`). */
export function live(k: Kernel, h: MemHandle): Inode | null {
  return h.kernel === k ? h.node : null;
}

