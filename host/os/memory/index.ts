/**
 * The memory OS backend: a simulated OS with the same {@link Os} surface and
 * semantics as the Node backend — in-memory files, directories, symlinks
 * and hard links resolved with the same sandbox rules, pipes, loopback TCP,
 * a virtual clock, seeded randomness, and fault injection. No Node import
 * anywhere: it runs unchanged in a browser.
 *
 * State is per instance: {@link createMemoryOs} makes one simulated OS;
 * handles of one are `badf` to any other.
 *
 *     const sim = createMemoryOs({ seed: 1, epochNs: 0n });
 *     const root = sim.root({ 'hello.txt': 'hi', 'sub/': null });
 *     const h = sim.os.openAt(root, 'hello.txt', true, OpenFlags.READ);
 *     ...
 *     sim.snapshot(root); // { 'hello.txt': 'hi', 'sub/': null }
 */
import { Errno, type Os } from '../types.js';
import { makeDevice } from './device.js';
import { close, fdatasync, fsync, ftruncate, pread, pwrite, read, seek, setAppend, write } from './fd.js';
import { type Faults, shorten } from './faults.js';
import { MemHandle } from './handle.js';
import { Kernel, type KernelOptions } from './kernel.js';
import { linkAt } from './link.js';
import { mkdirAt } from './mkdir.js';
import { DirNode, type DeviceIo } from './nodes.js';
import { openAt } from './open.js';
import { makePipe } from './pipe.js';
import type { MemoryPlatform } from './platform.js';
import { poll } from './poll.js';
import { readdir } from './readdir.js';
import { readlinkAt } from './readlink.js';
import { renameAt } from './rename.js';
import { rmdirAt } from './rmdir.js';
import { accept, boundPort, connect, listen, recv, shutdown } from './socket.js';
import { fstat, statAt } from './stat.js';
import { symlinkAt } from './symlink.js';
import { buildTree, snapshotTree, type SnapshotOptions, type Tree, type TreeValue } from './tree.js';
import { unlinkAt } from './unlink.js';
import { futimes, utimesAt } from './utimes.js';

export { MemHandle } from './handle.js';
export { MAX_SYMLINKS } from './resolve.js';
export { PIPE_BUF } from './kernel.js';
export { Faults, type FaultOp, type ShortOp } from './faults.js';
export { memoryPlatform, Xoshiro128, type MemoryPlatform, type MemoryPlatformOptions } from './platform.js';
export { ListenError, isLoopback } from './socket.js';
export type { DeviceIo } from './nodes.js';
export type { Tree, TreeValue, SnapshotOptions } from './tree.js';

/** Options of {@link createMemoryOs}: the clock and randomness (see platform.ts) and the limits (see kernel.ts). */
export type MemoryOsOptions = KernelOptions;

/** One simulated OS. */
export interface MemoryOs {
  /** The operations, as the WASI layer calls them. */
  readonly os: Os<MemHandle>;
  /** Its clock and randomness (give it to the WASI layer: file times and guest clocks then agree). */
  readonly platform: MemoryPlatform;
  /** Fault injection for the next operations (see faults.ts). */
  readonly faults: Faults;
  /** A new, empty root directory (not inside any other) filled from `tree`: a handle to preopen. */
  root(tree?: Tree): MemHandle;
  /** Add `tree` to the directory `dir` (throws TypeError for a malformed tree or a handle that is not an open directory of this OS). */
  populate(dir: MemHandle, tree: Tree): void;
  /** The contents of directory `dir` as a tree (throws TypeError if `dir` is not an open directory of this OS). */
  snapshot(dir: MemHandle, options?: SnapshotOptions): Record<string, TreeValue>;
  /** A new handle on the directory `dir` refers to (so that closing one leaves the other open). */
  reopen(dir: MemHandle): MemHandle;
  /** A new pipe: [read end, write end], each closed on its own. */
  pipe(): [MemHandle, MemHandle];
  /** A character device calling `io` (stdin, stdout, a console). */
  device(io: DeviceIo): MemHandle;
  /** A listening loopback TCP socket (port 0: a free one). Throws ListenError for a bad host or a taken port. */
  listen(host: string, port: number): MemHandle;
  /** Connect to a listener of this OS: the client end, or `connrefused` / `netunreach` / a fault. */
  connect(host: string, port: number): MemHandle | Errno;
  /** The port of a listener or of the local end of a connection (-1 for other handles). */
  boundPort(h: MemHandle): number;
  /** Bytes held by files (what `maxBytes` limits). */
  readonly usedBytes: number;
}

/** A new simulated OS. */
export function createMemoryOs(options: MemoryOsOptions = {}): MemoryOs {
  const k = new Kernel(options);
  const f = k.faults;
  const dirOf = (h: MemHandle, what: string): DirNode => {
    if (h.kernel !== k || !(h.node instanceof DirNode)) throw new TypeError(`${what}: not an open directory handle of this simulated OS`);
    return h.node;
  };
  const os: Os<MemHandle> = {
    openAt: (dir, path, follow, flags) => (f.armed && fail('openAt')) || openAt(k, dir, path, follow, flags),
    statAt: (dir, path, follow) => (f.armed && fail('statAt')) || statAt(k, dir, path, follow),
    mkdirAt: (dir, path) => (f.armed && fail('mkdirAt')) || mkdirAt(k, dir, path),
    unlinkAt: (dir, path) => (f.armed && fail('unlinkAt')) || unlinkAt(k, dir, path),
    rmdirAt: (dir, path) => (f.armed && fail('rmdirAt')) || rmdirAt(k, dir, path),
    renameAt: (od, op, nd, np) => (f.armed && fail('renameAt')) || renameAt(k, od, op, nd, np),
    linkAt: (od, op, follow, nd, np) => (f.armed && fail('linkAt')) || linkAt(k, od, op, follow, nd, np),
    symlinkAt: (target, dir, path) => (f.armed && fail('symlinkAt')) || symlinkAt(k, target, dir, path),
    readlinkAt: (dir, path) => (f.armed && fail('readlinkAt')) || readlinkAt(k, dir, path),
    utimesAt: (dir, path, follow, a, m, fst) => (f.armed && fail('utimesAt')) || utimesAt(k, dir, path, follow, a, m, fst),
    readdir: (dir, cookie) => (f.armed && fail('readdir')) || readdir(k, dir, cookie),
    read: (h, bufs) => (f.armed ? io('read', bufs, (b) => read(k, h, b)) : read(k, h, bufs)),
    pread: (h, bufs, off) => (f.armed ? io('pread', bufs, (b) => pread(k, h, b, off)) : pread(k, h, bufs, off)),
    write: (h, bufs) => (f.armed ? io('write', bufs, (b) => write(k, h, b)) : write(k, h, bufs)),
    pwrite: (h, bufs, off) => (f.armed ? io('pwrite', bufs, (b) => pwrite(k, h, b, off)) : pwrite(k, h, bufs, off)),
    seek: (h, off, whence) => (f.armed && fail('seek')) || seek(k, h, off, whence),
    fstat: (h) => (f.armed && fail('fstat')) || fstat(k, h),
    ftruncate: (h, size) => (f.armed && fail('ftruncate')) || ftruncate(k, h, size),
    fsync: (h) => (f.armed && fail('fsync')) || fsync(k, h),
    fdatasync: (h) => (f.armed && fail('fdatasync')) || fdatasync(k, h),
    futimes: (h, a, m, fst) => (f.armed && fail('futimes')) || futimes(k, h, a, m, fst),
    close: (h) => {
      const injected = f.armed ? f.take('close') : 0;
      const r = close(k, h);
      return r === Errno.success && injected !== 0 ? (injected as Errno) : r;
    },
    setAppend: (h, on) => (f.armed && fail('setAppend')) || setAppend(k, h, on),
    accept: (h, nonblock) => (f.armed && fail('accept')) || accept(k, h, nonblock),
    shutdown: (h, how) => (f.armed && fail('shutdown')) || shutdown(k, h, how),
    recv: (h, buf, riflags) => {
      if (f.armed) {
        const e = f.take('recv');
        if (e !== 0) return -e;
        const max = f.takeShort('recv');
        if (max >= 0 && max < buf.length) buf = buf.subarray(0, max);
      }
      return recv(k, h, buf, riflags);
    },
    poll: (hs, wr, timeout) => (f.armed && fail('poll')) || poll(k, hs, wr, timeout),
  };

  /** The injected errno for `op`, or 0 (falsy: the operation runs). */
  function fail(op: string): Errno | 0 {
    return f.take(op) as Errno | 0;
  }

  function io(op: string, bufs: readonly Uint8Array[], run: (b: readonly Uint8Array[]) => number): number {
    const e = f.take(op);
    if (e !== 0) return -e;
    const max = f.takeShort(op);
    return run(max >= 0 ? shorten(bufs, max) : bufs);
  }

  return {
    os,
    platform: k.platform,
    faults: f,
    root(tree) {
      const h = new MemHandle(k, k.newRoot(), true, false);
      if (tree !== undefined) buildTree(k, h.node as DirNode, tree);
      return h;
    },
    populate(dir, tree) {
      buildTree(k, dirOf(dir, 'populate'), tree);
    },
    snapshot(dir, opts) {
      return snapshotTree(dirOf(dir, 'snapshot'), opts);
    },
    reopen(dir) {
      return new MemHandle(k, dirOf(dir, 'reopen'), true, false);
    },
    pipe: () => makePipe(k),
    device: (ioFns) => makeDevice(k, ioFns),
    listen: (host, port) => listen(k, host, port),
    connect: (host, port) => (f.armed && fail('connect')) || connect(k, host, port),
    boundPort,
    get usedBytes() {
      return k.used;
    },
  };
}
