/**
 * The state of one simulated OS: its clock, inode numbers, storage quota,
 * loopback ports and fault rules. Every handle and inode belongs to exactly
 * one kernel; nothing is global, so two simulations never share anything.
 */
import { Errno } from '../types.js';
import { Faults } from './faults.js';
import { DirNode, type FileNode } from './nodes.js';
import type { ListenerNode } from './nodes.js';
import { memoryPlatform, type MemoryPlatform, type MemoryPlatformOptions } from './platform.js';

export interface KernelOptions extends MemoryPlatformOptions {
  /** Use this platform (clock and randomness) instead of making one from seed/epochNs/tickNs. */
  platform?: MemoryPlatform;
  /** Largest size of one file, in bytes (default 1 GiB): writes and truncates beyond it are `fbig`. */
  maxFileSize?: number;
  /** Total bytes all files may hold (default: no limit): beyond it writes are short, then `nospc`. */
  maxBytes?: number;
  /** Capacity of a pipe's buffer (default 65536, Linux's default). */
  pipeCapacity?: number;
  /** Capacity of each direction of a loopback connection (default 65536). */
  socketBuffer?: number;
  /** Connections a listener holds before accept (default 128, Linux's SOMAXCONN); more are `connrefused`. */
  backlog?: number;
}

/** Linux's PIPE_BUF: a pipe write of at most this many bytes is all or nothing. */
export const PIPE_BUF = 4096;

/** The first port `listen(host, 0)` and `connect` hand out (the IANA dynamic range). */
const EPHEMERAL_FIRST = 49152;

export class Kernel {
  readonly platform: MemoryPlatform;
  readonly faults = new Faults();
  /** Device number reported by stat (one file system per simulated OS). */
  readonly dev = 1n;
  readonly maxFileSize: number;
  readonly maxBytes: number;
  readonly pipeCapacity: number;
  readonly socketBuffer: number;
  readonly backlog: number;
  /** Bytes held by files (their sizes), against maxBytes. */
  used = 0;
  /** Listening sockets by port. */
  readonly ports = new Map<number, ListenerNode>();
  private nextPort = EPHEMERAL_FIRST;
  private nextIno = 1n;

  constructor(options: KernelOptions = {}) {
    this.platform = options.platform ?? memoryPlatform(options);
    this.maxFileSize = positive(options.maxFileSize ?? 2 ** 30, 'maxFileSize');
    this.maxBytes = positive(options.maxBytes ?? Number.MAX_SAFE_INTEGER, 'maxBytes');
    this.pipeCapacity = positive(options.pipeCapacity ?? 65536, 'pipeCapacity');
    this.socketBuffer = positive(options.socketBuffer ?? 65536, 'socketBuffer');
    this.backlog = positive(options.backlog ?? 128, 'backlog');
  }

  /**
   * A timestamp for a file: realtime on the virtual clock, which then ticks
   * (so that later changes get later times, as on a real file system).
   */
  now(): bigint {
    return this.platform.realtimeNs();
  }

  /** A fresh inode number. */
  ino(): bigint {
    return this.nextIno++;
  }

  /** A new directory with no name (the root of a tree). */
  newRoot(): DirNode {
    return new DirNode(this.ino(), this.now(), null);
  }

  /**
   * Account for file `f` changing size from `from` to `to` bytes: `nospc`
   * when the quota cannot take it (nothing is charged then).
   */
  charge(from: number, to: number): Errno {
    const delta = to - from;
    if (delta > 0 && this.used + delta > this.maxBytes) return Errno.nospc;
    this.used += delta;
    return Errno.success;
  }

  /** Bytes the quota still allows. */
  get free(): number {
    return this.maxBytes - this.used;
  }

  /** A file lost a name or a handle: once it has neither, its bytes are freed. */
  release(f: FileNode): void {
    if (f.nlink === 0 && f.opens === 0 && f.size !== 0) {
      this.used -= f.size;
      f.size = 0;
      f.data = new Uint8Array(0);
    }
  }

  /** An unused port for a listener or the local end of a connection, or -1 when all are taken. */
  ephemeralPort(): number {
    for (let i = 0; i < 65536 - EPHEMERAL_FIRST; i++) {
      const p = this.nextPort;
      this.nextPort = p === 65535 ? EPHEMERAL_FIRST : p + 1;
      if (!this.ports.has(p)) return p;
    }
    return -1;
  }
}


function positive(n: number, name: string): number {
  if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`createMemoryOs: ${name} must be a positive integer`);
  return n;
}
