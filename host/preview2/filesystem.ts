// wasi:filesystem — preopens and types — on the ownership core and an OS
// backend (host/os): the sandbox is the backend's (every path resolved one
// component at a time under its directory handle, never escaping it).
//
// A descriptor is a core entry of the file's kind ("file", "directory",
// ...) whose rights are its descriptor-flags:
//   read              → read (files), readdir/readlink/path-stat/open (directories)
//   write             → write, set-size, set-times (files); on a directory,
//                       `write` means files opened under it may be writable
//   mutate-directory  → create-*, unlink, remove-directory, rename-*, link-*,
//                       symlink, path-set-times (directories)
// Rights never grow: open-at refuses (not-permitted) a flag the directory
// could not hand down, as wasmtime does.

import { RIGHTS } from "../core/constants.js";
import { Errno, FileType, OpenFlags, TimeFlags, type FileStat, type OsHandle } from "../os/types.js";
import { kindOfType } from "../wasi/preview1.js";
import { ContextCore, K_DESCRIPTOR, K_DIRECTORY, K_DIR_STREAM, maskOf, Resource, type State } from "./context.js";
import { ResourceTrap, fsCode, type FsErrorCode } from "./errors.js";
import {
  IoError, MAX_PERMIT, READY, newInputStream, newOutputStream,
  type InputSource, type InputStream, type OutputSink, type OutputStream,
} from "./io.js";

const R = RIGHTS;
/** Rights every descriptor has. */
const ALWAYS = R.stat | R.sync | R.datasync | R.advise | R.poll;
const FILE_READ = R.read;
const FILE_WRITE = R.write | R["set-size"] | R["set-times"] | R.allocate;
const DIR_READ = R.read | R.readdir | R.readlink | R["path-stat"] | R.open;
const DIR_MUTATE = R["create-directory"] | R["create-file"] | R["link-source"] | R["link-target"] |
  R["rename-source"] | R["rename-target"] | R.symlink | R["remove-directory"] | R["unlink-file"] |
  R["path-set-times"] | R["path-set-size"] | R["set-times"];

const K_NOT_DIR = maskOf("file", "char-device", "pipe", "socket");

/** wasi:filesystem/types `descriptor-type`. */
export type DescriptorType =
  | "unknown" | "block-device" | "character-device" | "directory" | "fifo" | "symbolic-link" | "regular-file" | "socket";

export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}
export interface PathFlags {
  symlinkFollow?: boolean;
}
export interface OpenFlagsP2 {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}
export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}
export type NewTimestamp = { tag: "no-change" } | { tag: "now" } | { tag: "timestamp"; val: Datetime };
export interface DescriptorStat {
  type: DescriptorType;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp: Datetime | undefined;
  dataModificationTimestamp: Datetime | undefined;
  statusChangeTimestamp: Datetime | undefined;
}
export interface DirectoryEntry {
  type: DescriptorType;
  name: string;
}

/** The state behind a descriptor entry (shared by dups of one description). */
export interface DescState<H extends OsHandle = OsHandle> extends State {
  readonly os: H;
  /** The sync flags it was opened with (descriptor-flags bits 2..4). */
  readonly syncFlags?: DescriptorFlags;
}

export function descriptorType(t: FileType): DescriptorType {
  switch (t) {
    case FileType.blockDevice: return "block-device";
    case FileType.characterDevice: return "character-device";
    case FileType.directory: return "directory";
    case FileType.regularFile: return "regular-file";
    case FileType.socketDgram:
    case FileType.socketStream: return "socket";
    case FileType.symbolicLink: return "symbolic-link";
    case FileType.unknown: return "unknown";
    default: {
      const never: never = t;
      throw new Error(`iolife/preview2: unknown file type ${String(never)}`);
    }
  }
}

const NS = 1_000_000_000n;

function datetime(ns: bigint): Datetime {
  return { seconds: ns / NS, nanoseconds: Number(ns % NS) };
}

export function statOf(s: FileStat): DescriptorStat {
  return {
    type: descriptorType(s.type),
    linkCount: s.nlink,
    size: s.size,
    dataAccessTimestamp: datetime(s.atimNs),
    dataModificationTimestamp: datetime(s.mtimNs),
    statusChangeTimestamp: datetime(s.ctimNs),
  };
}

/** A value or an errno from the OS layer → the value, or the error-code thrown as a value. */
function ok<T>(r: T | number): T {
  if (typeof r === "number") throw fsCode(r);
  return r;
}

function check(errno: number): void {
  if (errno !== Errno.success) throw fsCode(errno);
}

/** new-timestamp → (ns, TimeFlags bits) for one of atime (shift 0) / mtime (shift 2). */
function timeArg(t: NewTimestamp, set: number, now: number): [bigint, number] {
  switch (t.tag) {
    case "no-change": return [0n, 0];
    case "now": return [0n, now];
    case "timestamp": return [t.val.seconds * NS + BigInt(t.val.nanoseconds), set];
    default: throw new ResourceTrap("foreign", `wasi:filesystem/types: bad new-timestamp ${JSON.stringify(t)}`);
  }
}

function times(a: NewTimestamp, m: NewTimestamp): [bigint, bigint, number] {
  const [an, af] = timeArg(a, TimeFlags.ATIM, TimeFlags.ATIM_NOW);
  const [mn, mf] = timeArg(m, TimeFlags.MTIM, TimeFlags.MTIM_NOW);
  return [an, mn, af | mf];
}

/** 64-bit mix (splitmix64's finaliser), for metadata-hash. */
function mix(x: bigint): bigint {
  x = BigInt.asUintN(64, (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n);
  x = BigInt.asUintN(64, (x ^ (x >> 27n)) * 0x94d049bb133111ebn);
  return x ^ (x >> 31n);
}

// ---------------------------------------------------------------- file streams

/** Reads a file from `offset` (pread; plain read for pipes and devices). */
class FileInput implements InputSource {
  constructor(private readonly ctx: ContextCore, private readonly h: OsHandle, private offset: bigint) {}

  read(n: number): Uint8Array | null | number {
    const buf = this.ctx.scratch(n);
    const seekable = this.h.type === FileType.regularFile || this.h.type === FileType.blockDevice;
    const r = seekable ? this.ctx.os.pread(this.h, [buf], this.offset) : this.ctx.os.read(this.h, [buf]);
    if (r < 0) return r;
    if (r === 0) return null;
    this.offset += BigInt(r);
    return buf.slice(0, r);
  }

  waitable() {
    return READY;
  }
}

/** Writes a file from `offset`, or at its end for an append stream (fstat + pwrite). */
class FileOutput implements OutputSink {
  constructor(private readonly ctx: ContextCore, private readonly h: OsHandle, private offset: bigint, private readonly append: boolean) {}

  permit(): number {
    return MAX_PERMIT;
  }

  write(bytes: Uint8Array): number {
    const os = this.ctx.os;
    const seekable = this.h.type === FileType.regularFile || this.h.type === FileType.blockDevice;
    if (this.append && seekable) {
      const st = os.fstat(this.h);
      if (typeof st === "number") return -st;
      this.offset = st.size;
    }
    let done = 0;
    while (done < bytes.length) {
      const chunk = done === 0 ? bytes : bytes.subarray(done);
      const r = seekable ? os.pwrite(this.h, [chunk], this.offset) : os.write(this.h, [chunk]);
      if (r < 0) return r;
      done += r;
      this.offset += BigInt(r);
    }
    return 0;
  }

  flush(): number {
    return 0;
  }

  waitable() {
    return READY;
  }
}

// ---------------------------------------------------------------- resources

interface DirStreamState extends State {
  readonly os: OsHandle;
  cookie: bigint;
}

/** wasi:filesystem/types `directory-entry-stream`: a child of its descriptor. */
export class DirectoryEntryStream extends Resource {
  protected get _what(): string {
    return "wasi:filesystem/types directory-entry-stream";
  }

  readDirectoryEntry(): DirectoryEntry | undefined {
    const st = this._ctx.use<DirStreamState>(this._h, K_DIR_STREAM, 0, "wasi:filesystem/types directory-entry-stream.read-directory-entry");
    for (;;) {
      const e = ok(this._ctx.os.readdir(st.os, st.cookie));
      if (e === null) return undefined;
      st.cookie = e.next;
      if (e.name === "." || e.name === "..") continue;
      return { type: descriptorType(e.type), name: e.name };
    }
  }
}

const T = "wasi:filesystem/types descriptor.";

/** wasi:filesystem/types `descriptor`. */
export class Descriptor extends Resource {
  protected get _what(): string {
    return "wasi:filesystem/types descriptor";
  }

  /** The state if the descriptor is live, of `mask` and holds `rights`; else the error-codes given. */
  private st(op: string, mask = K_DESCRIPTOR, rights = 0, denied: FsErrorCode = "bad-descriptor", wrongKind?: FsErrorCode): DescState {
    return this._ctx.use<DescState>(this._h, mask, rights, T + op, denied, wrongKind);
  }

  /** A directory's state, with `rights` (not-permitted without them; not-directory for a file). */
  private dir(op: string, rights: number): DescState {
    return this.st(op, K_DIRECTORY, rights, "not-permitted", "not-directory");
  }

  private has(rights: number): boolean {
    return this._ctx.has(this._h, rights);
  }

  readViaStream(offset: bigint): InputStream {
    const st = this.st("read-via-stream", K_NOT_DIR, FILE_READ);
    return newInputStream(this._ctx, new FileInput(this._ctx, st.os, offset), this._h);
  }

  writeViaStream(offset: bigint): OutputStream {
    const st = this.st("write-via-stream", K_NOT_DIR, R.write);
    return newOutputStream(this._ctx, new FileOutput(this._ctx, st.os, offset, false), this._h);
  }

  appendViaStream(): OutputStream {
    const st = this.st("append-via-stream", K_NOT_DIR, R.write);
    return newOutputStream(this._ctx, new FileOutput(this._ctx, st.os, 0n, true), this._h);
  }

  advise(_offset: bigint, _length: bigint, _advice: string): void {
    this.st("advise", K_NOT_DIR);
  }

  syncData(): void {
    check(this._ctx.os.fdatasync(this.st("sync-data").os));
  }

  sync(): void {
    check(this._ctx.os.fsync(this.st("sync").os));
  }

  getFlags(): DescriptorFlags {
    const st = this.st("get-flags");
    const isDir = st.os.type === FileType.directory;
    return {
      read: this.has(isDir ? R.readdir : R.read),
      write: !isDir && this.has(R.write),
      fileIntegritySync: st.syncFlags?.fileIntegritySync ?? false,
      dataIntegritySync: st.syncFlags?.dataIntegritySync ?? false,
      requestedWriteSync: st.syncFlags?.requestedWriteSync ?? false,
      mutateDirectory: isDir && this.has(R["create-file"]),
    };
  }

  getType(): DescriptorType {
    return descriptorType(this.st("get-type").os.type);
  }

  setSize(size: bigint): void {
    const st = this.st("set-size", K_NOT_DIR, R["set-size"], "not-permitted", "is-directory");
    check(this._ctx.os.ftruncate(st.os, size));
  }

  setTimes(atim: NewTimestamp, mtim: NewTimestamp): void {
    const st = this.st("set-times", K_DESCRIPTOR, R["set-times"], "not-permitted");
    const [a, m, f] = times(atim, mtim);
    check(this._ctx.os.futimes(st.os, a, m, f));
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const st = this.st("read", K_NOT_DIR, FILE_READ);
    const n = length > BigInt(MAX_PERMIT) ? MAX_PERMIT : Number(length);
    const buf = this._ctx.scratch(n);
    const r = n === 0 ? 0 : this._ctx.os.pread(st.os, [buf], offset);
    if (r < 0) throw fsCode(-r);
    return [buf.slice(0, r), n > 0 && r === 0];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    const st = this.st("write", K_NOT_DIR, R.write);
    const r = this._ctx.os.pwrite(st.os, [buffer], offset);
    if (r < 0) throw fsCode(-r);
    return BigInt(r);
  }

  readDirectory(): DirectoryEntryStream {
    const st = this.dir("read-directory", R.readdir);
    const state: DirStreamState = { wit: "directory-entry-stream", os: st.os, cookie: 0n };
    return new DirectoryEntryStream(this._ctx, this._ctx.insert("dir-stream", state, this._h));
  }

  createDirectoryAt(path: string): void {
    check(this._ctx.os.mkdirAt(this.dir("create-directory-at", R["create-directory"]).os, path));
  }

  stat(): DescriptorStat {
    return statOf(ok(this._ctx.os.fstat(this.st("stat").os)));
  }

  statAt(pathFlags: PathFlags, path: string): DescriptorStat {
    const st = this.dir("stat-at", R["path-stat"]);
    return statOf(ok(this._ctx.os.statAt(st.os, path, pathFlags.symlinkFollow ?? false)));
  }

  setTimesAt(pathFlags: PathFlags, path: string, atim: NewTimestamp, mtim: NewTimestamp): void {
    const st = this.dir("set-times-at", R["path-set-times"]);
    const [a, m, f] = times(atim, mtim);
    check(this._ctx.os.utimesAt(st.os, path, pathFlags.symlinkFollow ?? false, a, m, f));
  }

  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    const st = this.dir("link-at", R["link-source"]);
    const to = Descriptor.other(this, newDescriptor, "link-at").dir("link-at", R["link-target"]);
    check(this._ctx.os.linkAt(st.os, oldPath, oldPathFlags.symlinkFollow ?? false, to.os, newPath));
  }

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlagsP2, flags: DescriptorFlags): Descriptor {
    const st = this.dir("open-at", R.open);
    const mutate = this.has(R["create-file"]);
    const writable = this.has(R.write);
    if (flags.write && !writable) throw "not-permitted";
    if ((openFlags.create || openFlags.truncate || flags.mutateDirectory) && !mutate) throw "not-permitted";
    let of = 0;
    if (flags.read) of |= OpenFlags.READ;
    if (flags.write) of |= OpenFlags.WRITE;
    if (openFlags.create) of |= OpenFlags.CREAT;
    if (openFlags.directory) of |= OpenFlags.DIRECTORY;
    if (openFlags.exclusive) of |= OpenFlags.EXCL;
    if (openFlags.truncate) of |= OpenFlags.TRUNC;
    if (flags.fileIntegritySync) of |= OpenFlags.SYNC;
    if (flags.dataIntegritySync) of |= OpenFlags.DSYNC;
    if (flags.requestedWriteSync) of |= OpenFlags.RSYNC;
    const os = this._ctx.os;
    const h = ok(os.openAt(st.os, path, pathFlags.symlinkFollow ?? false, of));
    const isDir = h.type === FileType.directory;
    const rights = ALWAYS | (isDir
      ? (flags.read ? DIR_READ : 0) | (flags.mutateDirectory ? DIR_MUTATE : 0) | (writable ? R.write : 0)
      : (flags.read ? FILE_READ : 0) | (flags.write ? FILE_WRITE : 0));
    const syncFlags = flags.fileIntegritySync || flags.dataIntegritySync || flags.requestedWriteSync ? { ...flags } : undefined;
    const state: DescState = { wit: "descriptor", os: h, syncFlags, release: () => void os.close(h) };
    let handle: number;
    try {
      handle = this._ctx.insert(kindOfType(h.type), state, 0, rights);
    } catch (e) {
      os.close(h);
      throw e;
    }
    return new Descriptor(this._ctx, handle);
  }

  readlinkAt(path: string): string {
    return ok(this._ctx.os.readlinkAt(this.dir("readlink-at", R.readlink).os, path));
  }

  removeDirectoryAt(path: string): void {
    check(this._ctx.os.rmdirAt(this.dir("remove-directory-at", R["remove-directory"]).os, path));
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    const st = this.dir("rename-at", R["rename-source"]);
    const to = Descriptor.other(this, newDescriptor, "rename-at").dir("rename-at", R["rename-target"]);
    check(this._ctx.os.renameAt(st.os, oldPath, to.os, newPath));
  }

  symlinkAt(oldPath: string, newPath: string): void {
    check(this._ctx.os.symlinkAt(oldPath, this.dir("symlink-at", R.symlink).os, newPath));
  }

  unlinkFileAt(path: string): void {
    check(this._ctx.os.unlinkAt(this.dir("unlink-file-at", R["unlink-file"]).os, path));
  }

  isSameObject(other: Descriptor): boolean {
    const a = ok(this._ctx.os.fstat(this.st("is-same-object").os));
    const b = ok(this._ctx.os.fstat(Descriptor.other(this, other, "is-same-object").st("is-same-object").os));
    return a.dev === b.dev && a.ino === b.ino;
  }

  metadataHash(): { lower: bigint; upper: bigint } {
    return this.hash(ok(this._ctx.os.fstat(this.st("metadata-hash").os)));
  }

  metadataHashAt(pathFlags: PathFlags, path: string): { lower: bigint; upper: bigint } {
    const st = this.dir("metadata-hash-at", R["path-stat"]);
    return this.hash(ok(this._ctx.os.statAt(st.os, path, pathFlags.symlinkFollow ?? false)));
  }

  private hash(s: FileStat): { lower: bigint; upper: bigint } {
    const k = this._ctx.hashKey;
    return { lower: mix(s.dev ^ k), upper: mix(s.ino ^ mix(k)) };
  }

  /** A descriptor argument (a borrow the guest lends): of iolife and of the same context, else a trap. */
  private static other(self: Descriptor, d: Descriptor, op: string): Descriptor {
    if (!(d instanceof Descriptor) || d._ctx !== self._ctx) {
      throw new ResourceTrap("foreign", `${T}${op}: the other descriptor is not one of this context`);
    }
    return d;
  }
}

/** wasi:filesystem/types `filesystem-error-code`: the code behind a stream error, if it came from the filesystem. */
export function filesystemErrorCode(err: IoError): FsErrorCode | undefined {
  return IoError._state(err).code;
}

/** The wasi:filesystem namespaces for `ctx`, as jco imports them (`preopens`, `types`). */
export function filesystemInterfaces(ctx: () => ContextCore) {
  return {
    preopens: {
      /** A new descriptor for each preopen on every call (a dup of the context's own entry, as wasmtime hands out a new handle each time). */
      getDirectories(): [Descriptor, string][] {
        const c = ctx();
        return c.preopens.map((p) => [new Descriptor(c, c.table.dup(p.handle)), p.path]);
      },
    },
    types: { Descriptor, DirectoryEntryStream, filesystemErrorCode },
  };
}
