// wasi_snapshot_preview1 on the ownership core. Guest fds are core handles
// (fd = handle - 1, so the first handles are fds 0, 1, 2 and preopens start
// at 3); the description's resource is an FdObject holding the OS handle.
// Every function validates guest pointers before touching memory and answers
// with an errno; nothing here throws into the guest except ProcExit, the
// deliberate unwinding of proc_exit. An exception from the OS layer that is
// not an expected errno is a host bug and propagates to the embedder.

import type { CoreExports, HandleTable } from "../core/index.js";
import { KINDS, RIGHTS, RIGHTS_INHERIT } from "../core/constants.js";
import { Errno, FileType, OpenFlags, type FileStat, type Os, type OsHandle, type Whence } from "../os/types.js";
import {
  ADVICE_MAX, CLOCK, EVENTTYPE, EVENT_FD_READWRITE_HANGUP, FDFLAGS, LOOKUP_SYMLINK_FOLLOW, OFLAGS,
  RIFLAGS, SDFLAGS, SIZE_DIRENT, SIZE_EVENT, SIZE_FDSTAT, SIZE_FILESTAT, SIZE_IOVEC, SIZE_SUBSCRIPTION,
  SUBCLOCK_ABSTIME, rightsForType,
} from "./abi.js";
import { fastClock } from "./clock.js";
import { GuestMemory, decodeUtf8, encodeUtf8 } from "./memory.js";

/** What a description's resource is: an OS handle and what WASI keeps beside it. */
export class FdObject<H extends OsHandle> {
  constructor(
    readonly os: H,
    readonly type: FileType,
    /** Rights files opened under this directory may have. */
    readonly inheriting: number,
    /** The guest path of a preopen (fd_prestat_*), else null. */
    readonly preopen: string | null,
    /** Close the OS handle when the last fd on it closes (false for stdio the embedder keeps). */
    readonly owned: boolean,
  ) {}
  /**
   * Lent by the embedder (host/wasi/embed.ts): the guest's fd is a borrow
   * whose lease the host ends. Each call that uses it reborrows it until the
   * call returns, so the lease cannot end under an OS call.
   */
  lent = false;
  /** Runs once, after the OS handle is closed (a given Unix socket's path is removed then). */
  onClose: (() => void) | null = null;
}

/** Clocks, randomness and sleeping: what differs between Node, a browser and a simulation. */
export interface Platform {
  realtimeNs(): bigint;
  /** Called without a receiver (host/wasi/clock.ts imports it into Wasm as it is). */
  monotonicNs: () => bigint;
  cputimeNs(): bigint;
  /** Resolution of the clocks, in ns. */
  resolutionNs: bigint;
  /** Fills `buf` with cryptographically secure random bytes. */
  random(buf: Uint8Array): void;
  /** Blocks the calling thread for `ns` nanoseconds. */
  sleep(ns: bigint): void;
}

/** proc_exit unwinds the guest with this; start() catches it. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
    this.name = "ProcExit";
  }
}

export interface Preview1Config<H extends OsHandle> {
  os: Os<H>;
  table: HandleTable;
  platform: Platform;
  args: readonly string[];
  env: readonly string[];
}

/** The kind a WASI file type is recorded as in the core. */
export function kindOfType(type: FileType): keyof typeof KINDS {
  switch (type) {
    case FileType.directory: return "directory";
    case FileType.regularFile: return "file";
    case FileType.blockDevice:
    case FileType.characterDevice: return "char-device";
    case FileType.socketStream:
    case FileType.socketDgram: return "socket";
    default: return "pipe";
  }
}

const K_DIR = 1 << KINDS.directory;
const K_SOCKET = (1 << KINDS.socket) | (1 << KINDS.listener);
const R = RIGHTS;

/** The errno for a core error code, given what a wrong kind means to this call. */
function errnoOfCore(code: number, wrongKind: Errno): Errno {
  switch (code) {
    case 5: return wrongKind;
    case 6: case 13: return Errno.busy;          // lent, has-children
    case 7: case 12: return Errno.notcapable;   // not-owner (a lent fd), rights
    case 18: return Errno.mfile;                 // full
    case 19: return Errno.inval;                 // invalid-argument
    default: return Errno.badf;                  // unknown, stale, closed, scope-ended, …
  }
}

/** Handle for a guest fd: fd + 1 as u32; -1 and anything past 2^31 - 2 cannot be a handle. */
function handleOf(fd: number): number {
  return ((fd >>> 0) + 1) >>> 0;
}

type Fn = (...args: never[]) => number;

/**
 * Builds the wasi_snapshot_preview1 import object. `memory` is bound by the
 * caller once the instance exists.
 */
export function preview1<H extends OsHandle>(cfg: Preview1Config<H>, mem: GuestMemory): Record<string, Fn> {
  const { os, table, platform } = cfg;
  const x: CoreExports = table.core.exports;
  const t = table.id;
  const core = table.core;
  const argsBytes = cfg.args.map((a) => encodeUtf8(a + "\0"));
  const envBytes = cfg.env.map((e) => encodeUtf8(e + "\0"));

  // The last lookup's errno, when it returned null.
  let err: Errno = Errno.success;
  // Reborrows of lent fds made by the current call (see FdObject.lent), released when it returns.
  const held: number[] = [];

  /** The FdObject behind `fd`, if it holds `rights` and is of a kind in `kinds` (0 = any); else null and err. */
  function lookup(fd: number, rights: number, kinds: number, wrongKind: Errno = Errno.badf): FdObject<H> | null {
    const r = x.handle_check(t, handleOf(fd), rights, kinds);
    if (r < 0) {
      err = errnoOfCore(-r, wrongKind);
      return null;
    }
    const f = core.resource(r) as FdObject<H>;
    return f.lent ? hold(f, fd) : f;
  }

  /** Reborrows a lent fd for the rest of the call: its lease's release is refused ("lent") meanwhile. */
  function hold(f: FdObject<H>, fd: number): FdObject<H> | null {
    const b = x.handle_borrow(t, handleOf(fd), 0, RIGHTS_INHERIT, 0);
    if (b < 0) {
      err = errnoOfCore(-b, Errno.badf);
      return null;
    }
    held.push(b);
    return f;
  }

  function releaseHeld(): void {
    // A release fails only if the table was dropped under the call (the embedder disposed the
    // WASI object from inside it), which revoked the reborrows already.
    for (const b of held) x.handle_release(t, b);
    held.length = 0;
  }

  function path(ptr: number, len: number): string | null {
    if (!mem.ok(ptr, len)) {
      err = Errno.fault;
      return null;
    }
    const p = decodeUtf8(mem.bytes(ptr, len));
    if (p === null) err = Errno.ilseq;
    return p;
  }

  /**
   * fd_read / fd_write of ONE iovec (what wasi-libc's read and write pass):
   * the general path's checks in its order (the fd and its right, the iovec,
   * the buffer, the result pointer) inlined, no iovec array. Lean on purpose:
   * under perf, the kernel's own copy of a 64 KiB read took longer the more
   * host code ran between two reads, beyond that code's own time.
   */
  function io1(fd: number, iovs: number, out: number, write: boolean): Errno {
    mem.refresh();
    const f = lookup(fd, write ? R.write : R.read, 0);
    if (f === null) return err;
    const u8 = mem.u8;
    const dv = mem.dv;
    const size = u8.byteLength;
    const p = iovs >>> 0;
    if (p + SIZE_IOVEC > size) return Errno.fault;
    const buf = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    if (buf + len > size || (out >>> 0) + 4 > size) return Errno.fault;
    let r = 0;
    if (len !== 0) {
      // A loop over one buffer passes the same iovec every time: its view is reused (no
      // allocation, so no young-generation GC in the loop). A view of memory that has grown
      // since is detached, its length 0, and is never reused. (A raw address instead of the
      // view was measured and dropped: see read() in host/os/node/libc.ts.)
      let view = lastView;
      if (buf !== lastBuf || len !== view.byteLength) {
        view = lastView = u8.subarray(buf, buf + len);
        lastBuf = buf;
      }
      r = write ? os.write1!(f.os, view) : os.read1!(f.os, view);
      if (r < 0) return -r as Errno;
    }
    dv.setUint32(out >>> 0, r, true);
    return Errno.success;
  }
  let lastView: Uint8Array = new Uint8Array(0);
  let lastBuf = -1;

  /** The iovecs at [ptr, ptr + 8n) as views into guest memory, or null (fault). */
  function iovecs(ptr: number, n: number): Uint8Array[] | null {
    if (n >>> 0 > 1024 || !mem.ok(ptr, (n >>> 0) * SIZE_IOVEC)) {
      err = (n >>> 0) > 1024 ? Errno.inval : Errno.fault;
      return null;
    }
    const dv = mem.dv;
    const out: Uint8Array[] = [];
    for (let i = 0; i < n >>> 0; i++) {
      const buf = dv.getUint32((ptr >>> 0) + i * 8, true);
      const len = dv.getUint32((ptr >>> 0) + i * 8 + 4, true);
      if (!mem.ok(buf, len)) {
        err = Errno.fault;
        return null;
      }
      if (len) out.push(mem.bytes(buf, len));
    }
    return out;
  }

  function writeFilestat(ptr: number, s: FileStat): void {
    const dv = mem.dv;
    const p = ptr >>> 0;
    dv.setBigUint64(p, s.dev, true);
    dv.setBigUint64(p + 8, s.ino, true);
    dv.setUint8(p + 16, s.type);
    for (let i = 17; i < 24; i++) dv.setUint8(p + i, 0);
    dv.setBigUint64(p + 24, s.nlink, true);
    dv.setBigUint64(p + 32, s.size, true);
    dv.setBigUint64(p + 40, s.atimNs, true);
    dv.setBigUint64(p + 48, s.mtimNs, true);
    dv.setBigUint64(p + 56, s.ctimNs, true);
  }

  /** Reports an OS result that is a count or a negated errno, writing the count to `outPtr`. */
  function count(n: number, outPtr: number): Errno {
    if (n < 0) return -n as Errno;
    mem.dv.setUint32(outPtr >>> 0, n, true);
    return Errno.success;
  }

  function listSizes(list: Uint8Array[], countPtr: number, sizePtr: number): Errno {
    mem.refresh();
    if (!mem.ok(countPtr, 4) || !mem.ok(sizePtr, 4)) return Errno.fault;
    let size = 0;
    for (const b of list) size += b.length;
    mem.dv.setUint32(countPtr >>> 0, list.length, true);
    mem.dv.setUint32(sizePtr >>> 0, size, true);
    return Errno.success;
  }

  function listGet(list: Uint8Array[], ptrsPtr: number, bufPtr: number): Errno {
    mem.refresh();
    let size = 0;
    for (const b of list) size += b.length;
    if (!mem.ok(ptrsPtr, list.length * 4) || !mem.ok(bufPtr, size)) return Errno.fault;
    let at = bufPtr >>> 0;
    for (let i = 0; i < list.length; i++) {
      mem.dv.setUint32((ptrsPtr >>> 0) + i * 4, at, true);
      mem.u8.set(list[i]!, at);
      at += list[i]!.length;
    }
    return Errno.success;
  }

  /** Inserts a newly opened OS handle as a new fd (or -errno, closing it again, if the table refuses). */
  function insertFd(h: H, type: FileType, rights: number, inheriting: number, fdflags: number): number {
    const kind = KINDS[kindOfType(type)];
    const obj = new FdObject(h, type, inheriting, null, true);
    const host = core.adopt(obj, kind);
    const r = x.handle_insert(t, kind, 0, rights, fdflags & 0x1f, 0, host, 0);
    if (r < 0) {
      core.disown(host);
      os.close(h);
      return -errnoOfCore(-r, Errno.inval);
    }
    return r - 1;
  }

  function clockNow(id: number): bigint | null {
    switch (id) {
      case CLOCK.realtime: return platform.realtimeNs();
      case CLOCK.monotonic: return platform.monotonicNs();
      case CLOCK.processCputime:
      case CLOCK.threadCputime: return platform.cputimeNs();
      default: return null;
    }
  }

  const rng = new Uint8Array(4096);
  let rngAt = rng.length;

  const fns = {
    args_sizes_get: (countPtr: number, sizePtr: number) => listSizes(argsBytes, countPtr, sizePtr),
    args_get: (ptrs: number, buf: number) => listGet(argsBytes, ptrs, buf),
    environ_sizes_get: (countPtr: number, sizePtr: number) => listSizes(envBytes, countPtr, sizePtr),
    environ_get: (ptrs: number, buf: number) => listGet(envBytes, ptrs, buf),

    clock_res_get(id: number, out: number): Errno {
      mem.refresh();
      if (clockNow(id) === null) return Errno.inval;
      if (!mem.ok(out, 8)) return Errno.fault;
      mem.dv.setBigUint64(out >>> 0, platform.resolutionNs, true);
      return Errno.success;
    },

    // MONOTONIC, what programs time themselves with, is answered in Wasm once memory is bound
    // (clock.ts, wat/clock-fast.wat, which makes these checks in this order).
    clock_time_get(id: number, _precision: bigint, out: number): Errno {
      mem.refresh();
      const now = clockNow(id);
      if (now === null) return Errno.inval;
      if (!mem.ok(out, 8)) return Errno.fault;
      mem.dv.setBigUint64(out >>> 0, now, true);
      return Errno.success;
    },

    random_get(buf: number, len: number): Errno {
      mem.refresh();
      if (!mem.ok(buf, len)) return Errno.fault;
      len >>>= 0;
      const dst = mem.bytes(buf, len);
      if (len > 256) {
        for (let at = 0; at < len; at += 65536) platform.random(dst.subarray(at, Math.min(len, at + 65536)));
        return Errno.success;
      }
      // Small requests come from a pool: one getRandomValues per 4 KiB.
      if (rngAt + len > rng.length) {
        platform.random(rng);
        rngAt = 0;
      }
      dst.set(rng.subarray(rngAt, rngAt + len));
      rng.fill(0, rngAt, rngAt + len);
      rngAt += len;
      return Errno.success;
    },

    proc_exit(code: number): never {
      throw new ProcExit(code >>> 0);
    },

    proc_raise(_sig: number): Errno {
      return Errno.nosys;
    },

    sched_yield(): Errno {
      return Errno.success;
    },

    fd_close(fd: number): Errno {
      const r = x.handle_close(t, handleOf(fd));
      if (r > 0) core.drainReleased(r);
      else if (r < 0) return errnoOfCore(-r, Errno.badf);
      return Errno.success;
    },

    fd_write(fd: number, iovs: number, n: number, out: number): Errno {
      if (n === 1 && os.write1 !== undefined) return io1(fd, iovs, out, true);
      mem.refresh();
      const f = lookup(fd, R.write, 0);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      return count(bufs.length ? os.write(f.os, bufs) : 0, out);
    },

    fd_read(fd: number, iovs: number, n: number, out: number): Errno {
      if (n === 1 && os.read1 !== undefined) return io1(fd, iovs, out, false);
      mem.refresh();
      const f = lookup(fd, R.read, 0);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      return count(bufs.length ? os.read(f.os, bufs) : 0, out);
    },

    fd_pwrite(fd: number, iovs: number, n: number, offset: bigint, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.write | R.seek, 0);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      return count(os.pwrite(f.os, bufs, BigInt.asUintN(64, offset)), out);
    },

    fd_pread(fd: number, iovs: number, n: number, offset: bigint, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.read | R.seek, 0);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      return count(os.pread(f.os, bufs, BigInt.asUintN(64, offset)), out);
    },

    fd_seek(fd: number, offset: bigint, whence: number, out: number): Errno {
      mem.refresh();
      const need = offset === 0n && whence === 1 ? R.tell : R.seek;
      const f = lookup(fd, need, 0);
      if (f === null) return err;
      if (whence > 2) return Errno.inval;
      if (!mem.ok(out, 8)) return Errno.fault;
      const r = os.seek(f.os, offset, whence as Whence);
      if (typeof r === "number") return r;
      mem.dv.setBigUint64(out >>> 0, r, true);
      return Errno.success;
    },

    fd_tell(fd: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.tell, 0);
      if (f === null) return err;
      if (!mem.ok(out, 8)) return Errno.fault;
      const r = os.seek(f.os, 0n, 1);
      if (typeof r === "number") return r;
      mem.dv.setBigUint64(out >>> 0, r, true);
      return Errno.success;
    },

    fd_advise(fd: number, offset: bigint, len: bigint, advice: number): Errno {
      const f = lookup(fd, R.advise, 0);
      if (f === null) return err;
      if (advice > ADVICE_MAX || offset < 0n || len < 0n) return Errno.inval;
      // Advice is a hint; Node cannot pass it to posix_fadvise. Files accept it, as wasmtime's do.
      if (f.type === FileType.directory) return Errno.badf;
      if (f.type !== FileType.regularFile && f.type !== FileType.blockDevice) return Errno.spipe;
      return Errno.success;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): Errno {
      const f = lookup(fd, R.allocate, 0);
      if (f === null) return err;
      // wasmtime's preview1 reports allocate as unsupported for every file; so do we.
      if (offset < 0n || len <= 0n) return Errno.inval;
      return f.type === FileType.directory ? Errno.badf : Errno.notsup;
    },

    fd_datasync(fd: number): Errno {
      const f = lookup(fd, R.datasync, 0);
      return f === null ? err : os.fdatasync(f.os);
    },

    fd_sync(fd: number): Errno {
      const f = lookup(fd, R.sync, 0);
      return f === null ? err : os.fsync(f.os);
    },

    fd_fdstat_get(fd: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, 0, 0);
      if (f === null) return err;
      if (!mem.ok(out, SIZE_FDSTAT)) return Errno.fault;
      const h = handleOf(fd);
      const flags = x.desc_get_flags(t, h);
      x.handle_info(t, h);
      const v = core.view();
      const rights = v[(x.info_ptr() >>> 2) + 5]!;
      const dv = mem.dv;
      const p = out >>> 0;
      dv.setUint8(p, f.type);
      dv.setUint8(p + 1, 0);
      dv.setUint16(p + 2, flags, true);
      dv.setUint32(p + 4, 0, true);
      dv.setBigUint64(p + 8, BigInt(rights), true);
      dv.setBigUint64(p + 16, BigInt(f.type === FileType.directory ? f.inheriting : 0), true);
      return Errno.success;
    },

    fd_fdstat_set_flags(fd: number, flags: number): Errno {
      const f = lookup(fd, R["set-flags"], 0);
      if (f === null) return err;
      if (flags & ~0x1f) return Errno.inval;
      const h = handleOf(fd);
      const old = x.desc_get_flags(t, h);
      // APPEND and the sync flags are fixed when the OS file is opened; NONBLOCK is the host's to honour.
      if ((old ^ flags) & (FDFLAGS.append | FDFLAGS.dsync | FDFLAGS.rsync | FDFLAGS.sync)) {
        if (os.setAppend === undefined || ((old ^ flags) & ~FDFLAGS.append & ~FDFLAGS.nonblock)) return Errno.notsup;
        const r = os.setAppend(f.os, (flags & FDFLAGS.append) !== 0);
        if (r !== Errno.success) return r;
      }
      const r = x.desc_set_flags(t, h, flags);
      return r < 0 ? errnoOfCore(-r, Errno.badf) : Errno.success;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): Errno {
      const f = lookup(fd, 0, 0);
      if (f === null) return err;
      if (base >> 30n || inheriting >> 30n) return Errno.notcapable;
      const r = x.handle_narrow(t, handleOf(fd), Number(base));
      if (r < 0) return errnoOfCore(-r, Errno.badf);
      return Errno.success;
    },

    fd_filestat_get(fd: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.stat, 0);
      if (f === null) return err;
      if (!mem.ok(out, SIZE_FILESTAT)) return Errno.fault;
      if (os.fstatInto !== undefined) return os.fstatInto(f.os, mem.dv, out >>> 0);
      const s = os.fstat(f.os);
      if (typeof s === "number") return s;
      writeFilestat(out, s);
      return Errno.success;
    },

    fd_filestat_set_size(fd: number, size: bigint): Errno {
      const f = lookup(fd, R["set-size"], 0);
      if (f === null) return err;
      if (size < 0n) return Errno.inval;
      return os.ftruncate(f.os, size);
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, fst: number): Errno {
      const f = lookup(fd, R["set-times"], 0);
      if (f === null) return err;
      if (fst & ~0xf || (fst & 3) === 3 || (fst & 12) === 12) return Errno.inval;
      return os.futimes(f.os, BigInt.asUintN(64, atim), BigInt.asUintN(64, mtim), fst);
    },

    fd_prestat_get(fd: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, 0, 0);
      if (f === null) return err;
      if (f.preopen === null) return Errno.badf;
      if (!mem.ok(out, 8)) return Errno.fault;
      mem.dv.setUint32(out >>> 0, 0, true);
      mem.dv.setUint32((out >>> 0) + 4, encodeUtf8(f.preopen).length, true);
      return Errno.success;
    },

    fd_prestat_dir_name(fd: number, buf: number, len: number): Errno {
      mem.refresh();
      const f = lookup(fd, 0, 0);
      if (f === null) return err;
      if (f.preopen === null) return Errno.badf;
      const name = encodeUtf8(f.preopen);
      if (len >>> 0 < name.length) return Errno.nametoolong;
      if (!mem.ok(buf, name.length)) return Errno.fault;
      mem.u8.set(name, buf >>> 0);
      return Errno.success;
    },

    fd_readdir(fd: number, buf: number, len: number, cookie: bigint, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.readdir, K_DIR, Errno.notdir);
      if (f === null) return err;
      if (!mem.ok(buf, len) || !mem.ok(out, 4)) return Errno.fault;
      const size = len >>> 0;
      const dst = mem.bytes(buf, size);
      const dv = mem.dv;
      let used = 0;
      let at = BigInt.asUintN(64, cookie);
      const header = new Uint8Array(SIZE_DIRENT);
      const hv = new DataView(header.buffer);
      while (used < size) {
        const e = os.readdir(f.os, at);
        if (typeof e === "number") return e;
        if (e === null) break;
        // ASCII names (nearly all) are copied as they are; others are encoded as UTF-8.
        const name = e.name;
        let ascii = true;
        for (let i = 0; i < name.length; i++) {
          if (name.charCodeAt(i) > 0x7f) {
            ascii = false;
            break;
          }
        }
        const bytes = ascii ? null : encodeUtf8(name);
        const nameLen = bytes === null ? name.length : bytes.length;
        hv.setBigUint64(0, e.next, true);
        hv.setBigUint64(8, e.ino, true);
        hv.setUint32(16, nameLen, true);
        hv.setUint8(20, e.type);
        // A partial entry fills the buffer; the guest sees bufused == len and asks again from here.
        const h = Math.min(SIZE_DIRENT, size - used);
        dst.set(h === SIZE_DIRENT ? header : header.subarray(0, h), used);
        used += h;
        const n = Math.min(nameLen, size - used);
        if (bytes === null) for (let i = 0; i < n; i++) dst[used + i] = name.charCodeAt(i);
        else dst.set(bytes.subarray(0, n), used);
        used += n;
        at = e.next;
      }
      dv.setUint32(out >>> 0, used, true);
      return Errno.success;
    },

    fd_renumber(from: number, to: number): Errno {
      const r = x.handle_renumber(t, handleOf(from), handleOf(to));
      if (r > 0) core.drainReleased(r);
      else if (r < 0) return errnoOfCore(-r, Errno.badf);
      return Errno.success;
    },

    path_open(dirfd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
      base: bigint, inheriting: bigint, fdflags: number, out: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R.open, K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(pathPtr, pathLen);
      if (p === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      if (oflags & ~0xf || fdflags & ~0x1f) return Errno.inval;
      const want = Number(BigInt.asUintN(30, base));
      let flags = 0;
      if (want & (R.read | R.readdir)) flags |= OpenFlags.READ;
      if (want & (R.write | R["set-size"] | R.allocate)) flags |= OpenFlags.WRITE;
      if (oflags & OFLAGS.creat) flags |= OpenFlags.CREAT;
      if (oflags & OFLAGS.directory) flags |= OpenFlags.DIRECTORY;
      if (oflags & OFLAGS.excl) flags |= OpenFlags.EXCL;
      if (oflags & OFLAGS.trunc) flags |= OpenFlags.TRUNC;
      if (fdflags & FDFLAGS.append) flags |= OpenFlags.APPEND;
      if (fdflags & FDFLAGS.dsync) flags |= OpenFlags.DSYNC;
      if (fdflags & FDFLAGS.nonblock) flags |= OpenFlags.NONBLOCK;
      if (fdflags & FDFLAGS.rsync) flags |= OpenFlags.RSYNC;
      if (fdflags & FDFLAGS.sync) flags |= OpenFlags.SYNC;
      if ((oflags & (OFLAGS.creat | OFLAGS.trunc)) && !(flags & OpenFlags.WRITE)) flags |= OpenFlags.WRITE;
      const h = os.openAt(dir.os, p, (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0, flags);
      if (typeof h === "number") return h;
      // Rights: what was asked, within what the directory lets files inherit, within what the type can use.
      const rights = want & dir.inheriting & rightsForType(h.type);
      const inh = Number(BigInt.asUintN(30, inheriting)) & dir.inheriting;
      const fd = insertFd(h, h.type, rights, inh, fdflags);
      if (fd < 0) return -fd as Errno;
      if (fd > 0x7fff_ffff) return Errno.overflow;
      mem.dv.setUint32(out >>> 0, fd, true);
      return Errno.success;
    },

    path_create_directory(dirfd: number, ptr: number, len: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R["create-directory"], K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      return p === null ? err : os.mkdirAt(dir.os, p);
    },

    path_filestat_get(dirfd: number, flags: number, ptr: number, len: number, out: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R["path-stat"], K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      if (p === null) return err;
      if (!mem.ok(out, SIZE_FILESTAT)) return Errno.fault;
      if (os.statAtInto !== undefined) return os.statAtInto(dir.os, p, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, mem.dv, out >>> 0);
      const s = os.statAt(dir.os, p, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      if (typeof s === "number") return s;
      writeFilestat(out, s);
      return Errno.success;
    },

    path_filestat_set_times(dirfd: number, flags: number, ptr: number, len: number,
      atim: bigint, mtim: bigint, fst: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R["path-set-times"], K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      if (p === null) return err;
      if (fst & ~0xf || (fst & 3) === 3 || (fst & 12) === 12) return Errno.inval;
      return os.utimesAt(dir.os, p, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0,
        BigInt.asUintN(64, atim), BigInt.asUintN(64, mtim), fst);
    },

    path_link(oldfd: number, oldflags: number, oldPtr: number, oldLen: number,
      newfd: number, newPtr: number, newLen: number): Errno {
      mem.refresh();
      const from = lookup(oldfd, R["link-source"], K_DIR, Errno.notdir);
      if (from === null) return err;
      const to = lookup(newfd, R["link-target"], K_DIR, Errno.notdir);
      if (to === null) return err;
      const a = path(oldPtr, oldLen);
      if (a === null) return err;
      const b = path(newPtr, newLen);
      if (b === null) return err;
      return os.linkAt(from.os, a, (oldflags & LOOKUP_SYMLINK_FOLLOW) !== 0, to.os, b);
    },

    path_readlink(dirfd: number, ptr: number, len: number, buf: number, bufLen: number, out: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R.readlink, K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      if (p === null) return err;
      if (!mem.ok(buf, bufLen) || !mem.ok(out, 4)) return Errno.fault;
      const target = os.readlinkAt(dir.os, p);
      if (typeof target === "number") return target;
      // Into a short buffer the target is truncated, as readlink(2) does.
      const bytes = encodeUtf8(target);
      const n = Math.min(bytes.length, bufLen >>> 0);
      mem.u8.set(bytes.subarray(0, n), buf >>> 0);
      mem.dv.setUint32(out >>> 0, n, true);
      return Errno.success;
    },

    path_remove_directory(dirfd: number, ptr: number, len: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R["remove-directory"], K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      return p === null ? err : os.rmdirAt(dir.os, p);
    },

    path_rename(oldfd: number, oldPtr: number, oldLen: number, newfd: number, newPtr: number, newLen: number): Errno {
      mem.refresh();
      const from = lookup(oldfd, R["rename-source"], K_DIR, Errno.notdir);
      if (from === null) return err;
      const to = lookup(newfd, R["rename-target"], K_DIR, Errno.notdir);
      if (to === null) return err;
      const a = path(oldPtr, oldLen);
      if (a === null) return err;
      const b = path(newPtr, newLen);
      if (b === null) return err;
      return os.renameAt(from.os, a, to.os, b);
    },

    path_symlink(oldPtr: number, oldLen: number, dirfd: number, newPtr: number, newLen: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R.symlink, K_DIR, Errno.notdir);
      if (dir === null) return err;
      const target = path(oldPtr, oldLen);
      if (target === null) return err;
      const p = path(newPtr, newLen);
      return p === null ? err : os.symlinkAt(target, dir.os, p);
    },

    path_unlink_file(dirfd: number, ptr: number, len: number): Errno {
      mem.refresh();
      const dir = lookup(dirfd, R["unlink-file"], K_DIR, Errno.notdir);
      if (dir === null) return err;
      const p = path(ptr, len);
      return p === null ? err : os.unlinkAt(dir.os, p);
    },

    poll_oneoff(inPtr: number, outPtr: number, n: number, neventsPtr: number): Errno {
      mem.refresh();
      n >>>= 0;
      if (n === 0) return Errno.inval;
      if (!mem.ok(inPtr, n * SIZE_SUBSCRIPTION) || !mem.ok(outPtr, n * SIZE_EVENT) || !mem.ok(neventsPtr, 4)) {
        return Errno.fault;
      }
      const dv = mem.dv;
      let events = 0;
      const emit = (i: number, error: Errno, type: number, nbytes: bigint, flags: number) => {
        const s = (inPtr >>> 0) + i * SIZE_SUBSCRIPTION;
        const e = (outPtr >>> 0) + events * SIZE_EVENT;
        dv.setBigUint64(e, dv.getBigUint64(s, true), true);
        dv.setUint16(e + 8, error, true);
        dv.setUint8(e + 10, type);
        for (let k = 11; k < 16; k++) dv.setUint8(e + k, 0);
        dv.setBigUint64(e + 16, nbytes, true);
        dv.setUint16(e + 24, flags, true);
        for (let k = 26; k < 32; k++) dv.setUint8(e + k, 0);
        events++;
      };
      // Clocks: the earliest deadline decides how long to wait.
      let wait = -1n;
      let clockIndex = -1;
      // Streams (pipes, sockets, terminals): asked of the OS together.
      const waitOn: H[] = [];
      const waitWrite: boolean[] = [];
      const waitIndex: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = (inPtr >>> 0) + i * SIZE_SUBSCRIPTION;
        const type = dv.getUint8(s + 8);
        if (type === EVENTTYPE.clock) {
          const id = dv.getUint32(s + 16, true);
          const timeout = dv.getBigUint64(s + 24, true);
          const flags = dv.getUint16(s + 40, true);
          const current = clockNow(id);
          if (current === null || flags & ~SUBCLOCK_ABSTIME) {
            emit(i, Errno.inval, type, 0n, 0);
            continue;
          }
          let delta = flags & SUBCLOCK_ABSTIME ? timeout - current : timeout;
          if (delta < 0n) delta = 0n;
          if (wait < 0n || delta < wait) {
            wait = delta;
            clockIndex = i;
          }
        } else if (type === EVENTTYPE.fdRead || type === EVENTTYPE.fdWrite) {
          const fd = dv.getUint32(s + 16, true);
          const f = lookup(fd, R.poll, 0);
          if (f === null) {
            emit(i, err, type, 0n, 0);
            continue;
          }
          const write = type === EVENTTYPE.fdWrite;
          if (f.type === FileType.regularFile || f.type === FileType.directory || os.poll === undefined) {
            // Files are always ready; fd_read readiness reports the bytes left, as wasmtime does.
            let nbytes = 0n;
            if (!write && f.type === FileType.regularFile) {
              const st = os.fstat(f.os);
              const pos = os.seek(f.os, 0n, 1);
              if (typeof st !== "number" && typeof pos !== "number" && st.size > pos) nbytes = st.size - pos;
            }
            emit(i, Errno.success, type, nbytes, 0);
          } else {
            waitOn.push(f.os);
            waitWrite.push(write);
            waitIndex.push(i);
          }
        } else {
          emit(i, Errno.inval, type, 0n, 0);
        }
      }
      if (waitOn.length) {
        // Block only if nothing is ready yet; then at most until the earliest clock.
        const ready = os.poll!(waitOn, waitWrite, events ? 0n : wait);
        if (typeof ready === "number") return ready;
        for (let k = 0; k < waitOn.length; k++) {
          const i = waitIndex[k]!;
          const type = waitWrite[k] ? EVENTTYPE.fdWrite : EVENTTYPE.fdRead;
          if (ready[k] === 1) emit(i, Errno.success, type, 0n, 0);
          else if (ready[k] === 2) emit(i, Errno.success, type, 0n, EVENT_FD_READWRITE_HANGUP);
        }
        if (events === 0 && clockIndex >= 0) emit(clockIndex, Errno.success, EVENTTYPE.clock, 0n, 0);
      } else if (events === 0 && clockIndex >= 0) {
        if (wait > 0n) platform.sleep(wait);
        emit(clockIndex, Errno.success, EVENTTYPE.clock, 0n, 0);
      }
      dv.setUint32(neventsPtr >>> 0, events, true);
      return Errno.success;
    },

    sock_accept(fd: number, flags: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.accept, K_SOCKET, Errno.notsock);
      if (f === null) return err;
      if (flags & ~FDFLAGS.nonblock) return Errno.inval;
      if (!mem.ok(out, 4)) return Errno.fault;
      if (os.accept === undefined) return Errno.notsup;
      const h = os.accept(f.os, (flags & FDFLAGS.nonblock) !== 0);
      if (typeof h === "number") return h;
      const nfd = insertFd(h, h.type, rightsForType(h.type), 0, flags);
      if (nfd < 0) return -nfd as Errno;
      mem.dv.setUint32(out >>> 0, nfd, true);
      return Errno.success;
    },

    sock_recv(fd: number, iovs: number, n: number, riflags: number, outLen: number, outFlags: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.read, K_SOCKET, Errno.notsock);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(outLen, 4) || !mem.ok(outFlags, 2)) return Errno.fault;
      if (riflags & ~(RIFLAGS.peek | RIFLAGS.waitall)) return Errno.inval;
      let r: number;
      if (bufs.length === 0) r = 0;
      else if (riflags && os.recv !== undefined) {
        // Flags need recv(2); scatter over the iovecs from one receive.
        let total = 0;
        for (const b of bufs) total += b.length;
        const tmp = new Uint8Array(total);
        r = os.recv(f.os, tmp, riflags);
        for (let at = 0, k = 0; r > 0 && at < r; k++) {
          const take = Math.min(bufs[k]!.length, r - at);
          bufs[k]!.set(tmp.subarray(at, at + take));
          at += take;
        }
      } else r = os.read(f.os, bufs);
      const res = count(r, outLen);
      if (res === Errno.success) mem.dv.setUint16(outFlags >>> 0, 0, true);
      return res;
    },

    sock_send(fd: number, iovs: number, n: number, _siflags: number, out: number): Errno {
      mem.refresh();
      const f = lookup(fd, R.write, K_SOCKET, Errno.notsock);
      if (f === null) return err;
      const bufs = iovecs(iovs, n);
      if (bufs === null) return err;
      if (!mem.ok(out, 4)) return Errno.fault;
      return count(bufs.length ? os.write(f.os, bufs) : 0, out);
    },

    sock_shutdown(fd: number, how: number): Errno {
      const f = lookup(fd, R.shutdown, K_SOCKET, Errno.notsock);
      if (f === null) return err;
      if (how === 0 || how & ~(SDFLAGS.rd | SDFLAGS.wr)) return Errno.inval;
      return os.shutdown === undefined ? Errno.notsup : os.shutdown(f.os, how);
    },
  };
  const out: Record<string, Fn> = {};
  for (const [name, fn] of Object.entries(fns) as [string, Fn][]) {
    out[name] = /^(fd|path|poll|sock)_/.test(name) ? releasing(fn, held, releaseHeld) : fn;
  }
  const clock = fastClock(fns.clock_time_get, platform.monotonicNs);
  if (clock !== null) {
    out.clock_time_get = clock.fn as Fn;
    mem.onBind(clock.bind);
  }
  return out;
}

/**
 * `fn` followed by the release of the reborrows it made (FdObject.lent): one
 * length test when it made none. Of the same arity as `fn`, so that V8 calls
 * it from Wasm without adapting the arguments.
 */
function releasing(fn: Fn, held: readonly number[], release: () => void): Fn {
  const f = fn as (...a: unknown[]) => number;
  switch (fn.length) {
    case 1: return ((a: unknown) => { try { return f(a); } finally { if (held.length !== 0) release(); } }) as Fn;
    case 2: return ((a: unknown, b: unknown) => { try { return f(a, b); } finally { if (held.length !== 0) release(); } }) as Fn;
    case 3: return ((a: unknown, b: unknown, c: unknown) => { try { return f(a, b, c); } finally { if (held.length !== 0) release(); } }) as Fn;
    case 4: return ((a: unknown, b: unknown, c: unknown, d: unknown) => {
      try { return f(a, b, c, d); } finally { if (held.length !== 0) release(); }
    }) as Fn;
    case 5: return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => {
      try { return f(a, b, c, d, e); } finally { if (held.length !== 0) release(); }
    }) as Fn;
    case 6: return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown) => {
      try { return f(a, b, c, d, e, g); } finally { if (held.length !== 0) release(); }
    }) as Fn;
    case 7: return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown, h: unknown) => {
      try { return f(a, b, c, d, e, g, h); } finally { if (held.length !== 0) release(); }
    }) as Fn;
    case 9: return ((a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown, h: unknown, i: unknown, j: unknown) => {
      try { return f(a, b, c, d, e, g, h, i, j); } finally { if (held.length !== 0) release(); }
    }) as Fn;
    default: return ((...args: unknown[]) => { try { return f(...args); } finally { if (held.length !== 0) release(); } }) as Fn;
  }
}
