/**
 * The Node backend's descriptor handle.
 */
import { FileType, type OsHandle } from '../types.js';

/** State of an open directory stream (see readdir.ts). */
export interface DirCursor {
  /** A private open of the directory that getdents64 reads, or -1 before the first read/after a rewind. */
  fd: number;
  /** The last getdents64 batch (allocated on first use), its view, and the unread part [pos, end). */
  buf: Uint8Array | null;
  view: DataView | null;
  pos: number;
  end: number;
  /** Cookie of the entry the next read returns. */
  index: bigint;
  /** The entry at cookie `index - 1n`, kept so it can be asked for again in O(1). */
  last: import('../types.js').DirEntry | null;
}

/**
 * An open OS descriptor, plus what Node cannot ask the kernel for: the file
 * position (Node has no lseek; reads and writes of seekable files are
 * positional, at `pos`) and the directory stream state.
 */
export class NodeHandle implements OsHandle {
  /** The OS descriptor; -1 once closed. */
  fd: number;
  readonly type: FileType;
  /** Writes append (O_APPEND); changed only by setAppend, which changes the OS flag too. */
  append: boolean;
  /** Has a file offset (lseek works): regular files and block devices; not pipes, sockets, character devices, directories. */
  readonly seekable: boolean;
  /**
   * True for a directory the embedder handed to the guest as a preopen
   * (informational: every directory handle confines the paths resolved under it).
   */
  readonly preopen: boolean;
  cursor: DirCursor | null = null;
  /**
   * Block on EAGAIN: the guest sees a blocking descriptor whose open file
   * description is O_NONBLOCK and shared with someone who needs it so (a
   * socket lent by the embedder: libuv keeps using it). read, write, recv
   * and accept then wait with poll(2) and retry, instead of changing a flag
   * the other holder depends on.
   */
  waitOnAgain = false;

  constructor(fd: number, type: FileType, append: boolean, preopen = false) {
    this.fd = fd;
    this.type = type;
    this.append = append;
    this.preopen = preopen;
    this.seekable = type === FileType.regularFile || type === FileType.blockDevice;
  }

  get open(): boolean {
    return this.fd >= 0;
  }
}

/** WASI file type of a Node Stats / Dirent. FIFOs have no WASI type: `unknown`, as wasmtime does. */
export function fileTypeOf(s: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): FileType {
  if (s.isFile()) return FileType.regularFile;
  if (s.isDirectory()) return FileType.directory;
  if (s.isSymbolicLink()) return FileType.symbolicLink;
  if (s.isCharacterDevice()) return FileType.characterDevice;
  if (s.isBlockDevice()) return FileType.blockDevice;
  if (s.isSocket()) return FileType.socketStream;
  return FileType.unknown;
}
