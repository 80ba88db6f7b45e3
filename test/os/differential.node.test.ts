/**
 * Differential test: the same OS-level scripts run on the Node backend (a
 * real temporary directory, real descriptors) and on the memory backend, and
 * every observable result must agree — errnos, bytes, positions, stat
 * fields a guest can rely on (type, size of files and symlinks, nlink),
 * directory listings (names and types, sorted: the order of a real file
 * system's listing is its own), and time relations. What legitimately
 * differs is not compared: dev, ino values, directory sizes, absolute times
 * (the memory clock is virtual) and listing order.
 *
 * A difference fails the test naming the first diverging step, with both
 * results. Each scenario also checks that nothing outside the sandbox root
 * changed, on both backends (the memory one gets the same `outside/` and
 * `secret` beside its root as the temporary directory has).
 *
 * DIFF_DUMP=1 prints the Node side's log of each scenario.
 */
import fs from 'node:fs';
import path from 'node:path';
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { createMemoryOs, type MemHandle, type MemoryOs, type Tree, Xoshiro128 } from '../../host/os/memory/index.js';
import { adoptFd, boundPort, listenTcp, nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import {
  type DirEntry, Errno, errnoName, type FileStat, FileType, OpenFlags, type Os, type OsHandle, TimeFlags, Whence,
} from '../../host/os/types.js';
import { makeSandbox, type Sandbox } from './sandbox.js';

const { READ: R, WRITE: W, CREAT, EXCL, TRUNC, DIRECTORY, APPEND, NONBLOCK } = OpenFlags;
const enc = new TextEncoder();
const dec = new TextDecoder();

// ---- the two sides ------------------------------------------------------------

/** One backend, seen through the Os interface plus the embedder's set-up calls. */
interface Side<H extends OsHandle> {
  name: 'node' | 'memory';
  os: Os<H>;
  root: H;
  /** Build a tree under the root (embedder-level: absolute symlink targets allowed). */
  setup(tree: Tree): void;
  /** A nonblocking pipe [read end, write end]. */
  pipe(): [H, H];
  /** A loopback listener on a free port, and a client connected to it (nonblocking). */
  tcp(): { listener: H; connect(): H };
  /** Assert nothing outside the root changed, then release everything. */
  finish(): void;
}

function writeTree(dir: string, tree: Tree): void {
  for (const [key, value] of Object.entries(tree)) {
    const p = path.join(dir, key);
    if (value === null) {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof value === 'string' || value instanceof Uint8Array) fs.writeFileSync(p, value);
    else fs.symlinkSync(value.symlink, p);
  }
}

// Real pipes and client sockets for the Node side (Node has no synchronous pipe(2) nor connect(2)).
const libc = koffi.load('libc.so.6');
const c = {
  pipe2: libc.func('int pipe2(_Out_ int *fds, int flags)'),
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  connect: libc.func('int connect(int fd, uint8_t *addr, uint32_t len)'),
  fcntl: libc.func('int fcntl(int fd, int cmd, int arg)'),
};
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;

function nodePipe(): [NodeHandle, NodeHandle] {
  const fds = new Int32Array(2);
  if ((c.pipe2(fds, O_NONBLOCK | O_CLOEXEC) as number) !== 0) throw new Error(`pipe2 failed: ${koffi.errno()}`);
  return [adoptFd(fds[0]!), adoptFd(fds[1]!)];
}

function nodeConnect(port: number): NodeHandle {
  const fd = c.socket(2 /* AF_INET */, 1 /* SOCK_STREAM */ | O_CLOEXEC, 0) as number;
  if (fd < 0) throw new Error(`socket failed: ${koffi.errno()}`);
  const addr = Buffer.alloc(16);
  addr.writeUInt16LE(2, 0);
  addr.writeUInt16BE(port, 2);
  addr.set([127, 0, 0, 1], 4);
  if ((c.connect(fd, addr, 16) as number) !== 0) throw new Error(`connect failed: ${koffi.errno()}`);
  // A read with nothing to read is then `again`, as in the simulation.
  setNonblock(fd);
  return adoptFd(fd);
}

/** fcntl(F_SETFL, flags | O_NONBLOCK). */
function setNonblock(fd: number): void {
  if ((c.fcntl(fd, 4, (c.fcntl(fd, 3, 0) as number) | O_NONBLOCK) as number) !== 0) throw new Error('fcntl failed');
}

function nodeSide(): Side<NodeHandle> {
  const sb: Sandbox = makeSandbox();
  const opened: NodeHandle[] = [];
  const track = <T extends NodeHandle>(h: T): T => (opened.push(h), h);
  return {
    name: 'node',
    os: nodeOs,
    root: sb.root,
    setup: (tree) => writeTree(sb.box, tree),
    pipe: () => nodePipe().map(track) as [NodeHandle, NodeHandle],
    tcp: () => {
      // A blocking listener, as --listen makes: accept(nonblock) with none pending must still say `again`.
      const listener = track(listenTcp('127.0.0.1', 0));
      return { listener, connect: () => track(nodeConnect(boundPort(listener))) };
    },
    finish: () => {
      for (const h of opened) if (h.open) nodeOs.close(h);
      try {
        sb.assertOutsideUntouched();
      } finally {
        sb.dispose();
      }
    },
  };
}

/** The memory side: a root holding box/ (the sandbox), outside/sentinel and secret, as the temp dir does. */
function memorySide(): Side<MemHandle> & { sim: MemoryOs } {
  const sim = createMemoryOs({ seed: 1, epochNs: 1_700_000_000_000_000_000n });
  const top = sim.root({ 'box/': null, 'outside/sentinel': 'do not touch', secret: 'top secret' });
  const root = sim.os.openAt(top, 'box', false, R | DIRECTORY);
  if (typeof root === 'number') throw new Error('open box');
  const outside = (): unknown => {
    const t = sim.snapshot(top);
    delete t['box/'];
    for (const k of Object.keys(t)) if (k.startsWith('box/')) delete t[k];
    return t;
  };
  const before = outside();
  return {
    name: 'memory',
    sim,
    os: sim.os,
    root,
    setup: (tree) => sim.populate(root, tree),
    pipe: () => sim.pipe(),
    tcp: () => {
      const listener = sim.listen('127.0.0.1', 0);
      return {
        listener,
        connect: () => {
          const h = sim.connect('127.0.0.1', sim.boundPort(listener));
          if (typeof h === 'number') throw new Error(`connect: ${errnoName(h)}`);
          return h;
        },
      };
    },
    finish: () => expect(outside()).toEqual(before),
  };
}

// ---- recording ------------------------------------------------------------------

type Obs = unknown;

/** What a script sees: the backend plus helpers that record normalized observations. */
class Trial<H extends OsHandle> {
  readonly log: [string, Obs][] = [];
  private readonly times = new Map<string, FileStat>();

  constructor(readonly side: Side<H>) {}

  get os(): Os<H> {
    return this.side.os;
  }

  get root(): H {
    return this.side.root;
  }

  rec(label: string, value: Obs): void {
    this.log.push([label, value]);
  }

  /** An Errno status, as a name. */
  status(label: string, e: Errno): void {
    this.rec(label, errnoName(e));
  }

  /** A byte count or a negated errno. */
  count(label: string, n: number): number {
    this.rec(label, n < 0 ? errnoName(-n) : n);
    return n;
  }

  open(label: string, p: string, flags: number, follow = true, dir: H = this.root): H | null {
    const r = this.os.openAt(dir, p, follow, flags);
    if (typeof r === 'number') {
      this.rec(label, errnoName(r));
      return null;
    }
    this.rec(label, `handle(${typeName(r.type)})`);
    return r;
  }

  /** The stat fields both backends agree on. */
  stat(label: string, p: string, follow = true, dir: H = this.root): FileStat | null {
    const s = this.os.statAt(dir, p, follow);
    this.rec(label, typeof s === 'number' ? errnoName(s) : shape(s));
    return typeof s === 'number' ? null : s;
  }

  fstat(label: string, h: H): FileStat | null {
    const s = this.os.fstat(h);
    this.rec(label, typeof s === 'number' ? errnoName(s) : shape(s));
    return typeof s === 'number' ? null : s;
  }

  write(label: string, h: H, text: string | Uint8Array): number {
    return this.count(label, this.os.write(h, [typeof text === 'string' ? enc.encode(text) : text]));
  }

  /** Read up to `max` bytes at the position; records the text (or the errno). */
  read(label: string, h: H, max = 4096): void {
    const b = new Uint8Array(max);
    const n = this.os.read(h, [b]);
    this.rec(label, n < 0 ? errnoName(-n) : dec.decode(b.subarray(0, n)));
  }

  pread(label: string, h: H, offset: bigint, max = 4096): void {
    const b = new Uint8Array(max);
    const n = this.os.pread(h, [b], offset);
    this.rec(label, n < 0 ? errnoName(-n) : Array.from(b.subarray(0, n)).join(','));
  }

  seek(label: string, h: H, offset: bigint, whence: Whence): void {
    const r = this.os.seek(h, offset, whence);
    this.rec(label, typeof r === 'number' ? errnoName(r) : r);
  }

  close(label: string, h: H | null): void {
    if (h !== null) this.status(label, this.os.close(h));
  }

  readlink(label: string, p: string): void {
    const r = this.os.readlinkAt(this.root, p);
    this.rec(label, typeof r === 'number' ? errnoName(r) : `-> ${r}`);
  }

  /** Every entry of directory handle `h` (names and types, sorted, `.`/`..` checked to come first). */
  list(label: string, h: H): void {
    const out: string[] = [];
    const entries: DirEntry[] = [];
    for (let cookie = 0n; ;) {
      const e = this.os.readdir(h, cookie);
      if (e === null) break;
      if (typeof e === 'number') {
        this.rec(label, errnoName(e));
        return;
      }
      entries.push(e);
      cookie = e.next;
      if (entries.length > 10_000) throw new Error('readdir does not end');
    }
    const first = entries.slice(0, 2).map((e) => e.name).join(' ');
    for (const e of entries.slice(2)) out.push(`${e.name}:${typeName(e.type)}`);
    this.rec(label, `${first} | ${out.sort().join(' ')}`);
  }

  /** The whole sandbox, through the Os interface: every path with its type, size/target/contents and nlink. */
  tree(label: string): void {
    const lines: string[] = [];
    const walk = (rel: string): void => {
      const d = this.os.openAt(this.root, rel, false, R | DIRECTORY);
      if (typeof d === 'number') {
        lines.push(`${rel}: open ${errnoName(d)}`);
        return;
      }
      const names: string[] = [];
      for (let cookie = 0n; ;) {
        const e = this.os.readdir(d, cookie);
        if (e === null || typeof e === 'number') break;
        if (e.name !== '.' && e.name !== '..') names.push(e.name);
        cookie = e.next;
      }
      this.os.close(d);
      for (const name of names.sort()) {
        const p = rel === '.' ? name : `${rel}/${name}`;
        const s = this.os.statAt(this.root, p, false);
        if (typeof s === 'number') {
          lines.push(`${p}: ${errnoName(s)}`);
          continue;
        }
        if (s.type === FileType.directory) {
          lines.push(`${p}/ nlink=${s.nlink}`);
          walk(p);
        } else if (s.type === FileType.symbolicLink) {
          lines.push(`${p} -> ${String(this.os.readlinkAt(this.root, p))}`);
        } else {
          const h = this.os.openAt(this.root, p, false, R);
          let text = '?';
          if (typeof h !== 'number') {
            const b = new Uint8Array(Number(s.size));
            const n = this.os.pread(h, [b], 0n);
            text = n < 0 ? errnoName(-n) : JSON.stringify(dec.decode(b.subarray(0, n)));
            this.os.close(h);
          }
          lines.push(`${p} ${typeName(s.type)} size=${s.size} nlink=${s.nlink} ${text}`);
        }
      }
    };
    walk('.');
    this.rec(label, lines.join('\n'));
  }

  /** Remember the times of `p` under `key` (for {@link order}). */
  mark(key: string, p: string, follow = true): void {
    const s = this.os.statAt(this.root, p, follow);
    if (typeof s === 'number') throw new Error(`mark ${p}: ${errnoName(s)}`);
    this.times.set(key, s);
  }

  /** How the times of `p` now compare with those marked under `key` ('=' or '>' per field, '<' would be a bug). */
  order(label: string, key: string, p: string, follow = true): void {
    const was = this.times.get(key)!;
    const s = this.os.statAt(this.root, p, follow);
    if (typeof s === 'number') {
      this.rec(label, errnoName(s));
      return;
    }
    const cmp = (a: bigint, b: bigint): string => (a === b ? '=' : a > b ? '>' : '<');
    this.rec(label, `m${cmp(s.mtimNs, was.mtimNs)} c${cmp(s.ctimNs, was.ctimNs)}`);
  }

  /** Exact times (for values that were set, to the microsecond). */
  exactTimes(label: string, p: string, follow = true): void {
    const s = this.os.statAt(this.root, p, follow);
    this.rec(label, typeof s === 'number' ? errnoName(s) : `a=${s.atimNs} m=${s.mtimNs}`);
  }

  /** Readiness, as poll reports it. */
  poll(label: string, hs: H[], write: boolean[]): void {
    const r = this.os.poll!(hs, write, 0n);
    this.rec(label, typeof r === 'number' ? errnoName(r) : r.join(','));
  }
}

function typeName(t: FileType): string {
  return ['unknown', 'block', 'char', 'dir', 'file', 'dgram', 'stream', 'symlink'][t] ?? `type${t}`;
}

function shape(s: FileStat): string {
  // Directory sizes differ by file system (ext4: blocks; tmpfs: entries; memory: 4096): not compared.
  const size = s.type === FileType.directory ? '' : ` size=${s.size}`;
  return `${typeName(s.type)}${size} nlink=${s.nlink}`;
}

// ---- the scenarios ---------------------------------------------------------------

interface Scenario {
  name: string;
  tree?: Tree;
  run<H extends OsHandle>(t: Trial<H>): void;
}

const long = (n: number): string => 'n'.repeat(n);

const scenarios: Scenario[] = [
  {
    name: 'file I/O: write, read, seek, pread/pwrite, append',
    tree: { f: '0123456789' },
    run(t) {
      const h = t.open('open rw', 'f', R | W)!;
      t.read('read 4', h, 4);
      t.seek('tell', h, 0n, Whence.cur);
      t.write('write X', h, 'X');
      t.seek('seek -2 end', h, -2n, Whence.end);
      t.write('write YZW', h, 'YZW');
      t.seek('seek set 3', h, 3n, Whence.set);
      t.read('read rest', h);
      t.read('read at eof', h);
      t.seek('seek -100 cur', h, -100n, Whence.cur);
      t.seek('seek bad whence', h, 0n, 7 as Whence);
      t.pread('pread 2', h, 2n, 3);
      t.count('pwrite ZZ at 4', t.os.pwrite(h, [enc.encode('ZZ')], 4n));
      t.seek('position kept', h, 0n, Whence.cur);
      t.pread('pread -1', h, -1n);
      t.pread('pread past end', h, 100n);
      t.seek('seek past end', h, 20n, Whence.set);
      t.write('write in hole', h, '!');
      t.pread('read the hole', h, 10n, 20);
      t.fstat('fstat', h);
      t.count('scatter read', t.os.pread(h, [new Uint8Array(2), new Uint8Array(3)], 0n));
      t.count('gather write', t.os.write(h, [enc.encode('ab'), enc.encode(''), enc.encode('cd')]));
      t.close('close', h);
      const a = t.open('open append', 'f', R | W | APPEND)!;
      t.write('append', a, '+1');
      t.seek('append position', a, 0n, Whence.cur);
      t.seek('seek 0', a, 0n, Whence.set);
      t.write('append again', a, '+2');
      t.seek('append position 2', a, 0n, Whence.cur);
      t.count('pwrite on append', t.os.pwrite(a, [enc.encode('P')], 0n));
      t.close('close append', a);
      t.tree('tree');
    },
  },
  {
    name: 'descriptor errors: access modes, directories, closed handles',
    tree: { f: 'x', 'd/': null },
    run(t) {
      const r = t.open('open r', 'f', R)!;
      t.write('write on read-only', r, 'y');
      t.status('ftruncate read-only', t.os.ftruncate(r, 0n));
      const w = t.open('open w', 'f', W)!;
      t.read('read on write-only', w);
      t.status('ftruncate -1', t.os.ftruncate(w, -1n));
      t.close('close w', w);
      const d = t.open('open dir', 'd', R | DIRECTORY)!;
      t.read('read dir', d);
      t.pread('pread dir', d, 0n);
      t.seek('seek dir', d, 0n, Whence.set);
      t.write('write dir', d, 'z');
      t.status('ftruncate dir', t.os.ftruncate(d, 0n));
      t.status('fsync dir', t.os.fsync(d));
      t.status('fdatasync file', t.os.fdatasync(r));
      t.close('close dir', d);
      t.close('close r', r);
      t.close('close again', r);
      t.read('read closed', r);
      t.write('write closed', r, 'x');
      t.fstat('fstat closed', r);
      t.seek('seek closed', r, 0n, Whence.set);
      t.stat('statAt on closed dir', 'x', true, d);
      t.open('openAt on closed dir', 'x', R, true, d);
      t.list('readdir closed', d);
      const f = t.open('open file as dir handle', 'f', R)!;
      t.stat('statAt under a file handle', 'x', true, f);
      t.stat('statAt . under a file handle', '.', true, f);
      t.open('openAt under a file handle', 'x', R, true, f);
      t.list('readdir on a file', f);
      t.status('readdir negative cookie', (() => {
        const e = t.os.readdir(t.root, -1n);
        return typeof e === 'number' ? e : Errno.success;
      })());
      t.close('close f', f);
    },
  },
  {
    name: 'open flags: creat, excl, trunc, directory, invalid combinations',
    tree: { f: 'content', 'd/': null, 'd/in': 'i' },
    run(t) {
      t.close('creat new', t.open('open creat', 'new', W | CREAT));
      t.stat('new is empty', 'new');
      t.open('creat excl existing', 'new', W | CREAT | EXCL);
      t.open('creat excl dir', 'd', W | CREAT | EXCL);
      t.close('trunc', t.open('open trunc', 'f', W | TRUNC));
      t.stat('truncated', 'f');
      t.open('missing', 'missing', R);
      t.open('missing with directory', 'missing', R | DIRECTORY);
      t.open('creat|directory', 'x', CREAT | DIRECTORY);
      t.open('unknown flag', 'x', 1 << 20);
      t.open('empty path', '', R);
      t.open('write a directory', 'd', W);
      t.open('creat on a directory', 'd', R | CREAT);
      t.open('directory flag on a file', 'f', R | DIRECTORY);
      t.open('file with trailing slash', 'f/', R);
      t.open('creat with trailing slash, missing', 'newdir/', W | CREAT);
      t.open('creat with trailing slash, dir', 'd/', R | CREAT);
      t.close('dir with trailing slash', t.open('open d/', 'd/', R));
      t.close('dot', t.open('open .', '.', R | DIRECTORY));
      t.open('dot creat', '.', R | CREAT);
      t.open('dot creat excl', '.', R | CREAT | EXCL);
      t.open('dot write', '.', W);
      t.close('d/..', t.open('open d/..', 'd/..', R));
      t.close('d/./in', t.open('open d/./in', 'd/./in', R));
      t.open('creat under a file', 'f/x', W | CREAT);
      t.open('creat in missing dir', 'nodir/x', W | CREAT);
      t.close('nonblock file', t.open('open nonblock', 'f', R | NONBLOCK));
      t.open(`name of 256 bytes`, long(256), W | CREAT);
      t.close('name of 255 bytes', t.open('open 255', long(255), W | CREAT));
      t.open('intermediate of 256 bytes', `${long(256)}/x`, R);
      t.tree('tree');
    },
  },
  {
    name: 'symlinks: follow, nofollow, dangling, chains, loops',
    tree: {
      target: 'T', 'd/': null, 'd/deep': 'deep', sym: { symlink: 'target' }, ld: { symlink: 'd' },
      dangling: { symlink: 'made' }, la: { symlink: 'lb' }, lb: { symlink: 'la' }, self: { symlink: 'self' },
      'a/b/': null, 'a/b/l': { symlink: '../t2' }, 'a/t2': 'T2', lab: { symlink: 'a/b' }, slashy: { symlink: 'd/' },
      fslash: { symlink: 'target/' },
    },
    run(t) {
      t.open('nofollow symlink->file', 'sym', R, false);
      t.open('nofollow symlink->file, directory', 'sym', R | DIRECTORY, false);
      t.open('follow symlink->file, directory', 'sym', R | DIRECTORY, true);
      t.close('follow symlink->file', t.open('open sym', 'sym', R));
      t.open('nofollow symlink->dir', 'ld', R, false);
      t.open('nofollow symlink->dir, directory', 'ld', R | DIRECTORY, false);
      t.close('follow symlink->dir', t.open('open ld', 'ld', R | DIRECTORY));
      t.close('symlink->dir with slash, nofollow', t.open('open ld/', 'ld/', R, false));
      t.close('through symlink', t.open('open ld/deep', 'ld/deep', R, false));
      t.open('creat excl on dangling', 'dangling', W | CREAT | EXCL);
      t.open('creat nofollow on dangling', 'dangling', W | CREAT, false);
      t.close('creat through dangling', t.open('creat made', 'dangling', W | CREAT));
      t.stat('made exists', 'made');
      t.open('loop a<->b', 'la', R);
      t.open('loop through', 'la/x', R);
      t.open('self loop', 'self', R);
      t.stat('lstat loop', 'la', false);
      t.stat('stat loop', 'la', true);
      t.close('relative to its own dir', t.open('open lab/l', 'lab/l', R));
      t.close('lab/ nofollow', t.open('open lab/', 'lab/', R, false));
      t.stat('stat sym', 'sym', true);
      t.stat('lstat sym', 'sym', false);
      t.stat('lstat sym/', 'sym/', false);
      t.stat('stat . ', '.');
      t.stat('target with slash to dir', 'slashy', true);
      t.stat('target with slash to file', 'fslash', true);
      t.stat('target with slash to file, nofollow', 'fslash', false);
      t.open('open target with slash to file', 'fslash', R);
      t.readlink('readlink sym', 'sym');
      t.readlink('readlink file', 'target');
      t.readlink('readlink missing', 'nope');
      t.readlink('readlink ld/', 'ld/');
      t.readlink('readlink sym/', 'sym/');
      t.readlink('readlink .', '.');
      t.status('symlink exists', t.os.symlinkAt('x', t.root, 'sym'));
      t.status('symlink exists with slash', t.os.symlinkAt('x', t.root, 'sym/'));
      t.status('symlink new with slash', t.os.symlinkAt('x', t.root, 'new/'));
      t.status('symlink empty target', t.os.symlinkAt('', t.root, 'empty'));
      t.status('symlink at .', t.os.symlinkAt('x', t.root, '.'));
      t.status('symlink long target', t.os.symlinkAt('x'.repeat(4096), t.root, 'toolong'));
      t.status('symlink 4095 target', t.os.symlinkAt('x'.repeat(4095), t.root, 'longest'));
      t.status('symlink ok', t.os.symlinkAt('some/where', t.root, 'l2'));
      t.readlink('readlink l2', 'l2');
      t.stat('lstat symlink size', 'l2', false);
      t.tree('tree');
    },
  },
  {
    name: 'symlink chains: 39 and 40 followed, 41 refused',
    tree: Object.fromEntries(
      [39, 40, 41].flatMap((n, k) => Array.from({ length: n }, (_, i) => {
        const p = 'stu'[k]!;
        return [`${p}${i}`, { symlink: i === n - 1 ? 'file' : `${p}${i + 1}` }];
      })).concat([['file', 'inside']]),
    ),
    run(t) {
      for (const p of ['s0', 't0', 'u0']) {
        const h = t.open(`open ${p}`, p, R);
        if (h !== null) {
          t.read(`read ${p}`, h);
          t.close(`close ${p}`, h);
        }
        t.stat(`stat ${p}`, p);
      }
    },
  },
  {
    name: 'sandbox escapes: .., absolute paths, escaping symlinks, NUL (escape.node.test.ts)',
    tree: {
      'a/': null, file: 'inside', etc: { symlink: '/etc' }, out: { symlink: '../outside' },
      outfile: { symlink: '../outside/sentinel' }, dot: { symlink: '.' }, esc: { symlink: 'dot/..' },
      'a/b/deep': 'deep', mid: { symlink: 'a/b' }, 'a/up2': { symlink: '../..' }, 'a/up1': { symlink: '..' },
      lfile: { symlink: 'file' }, dangling2: { symlink: '../newdir' },
    },
    run(t) {
      const tryOpen = (label: string, p: string, follow = true, flags = R): void => {
        const h = t.open(label, p, flags, follow);
        if (h !== null) {
          if (h.type === FileType.regularFile) t.read(`${label}: content`, h);
          t.close(`${label}: close`, h);
        }
      };
      for (const p of ['..', '../secret', '../outside/sentinel', '/', '/etc/passwd', '//etc/passwd', 'a/../../secret',
        'a/./../a/../../outside/sentinel', 'etc', 'etc/passwd', 'a/../etc/passwd', 'out/sentinel', 'outfile',
        'dot/file', 'esc', 'esc/secret', 'esc/outside/sentinel', 'dot/../secret', 'mid/deep', 'a/up1/file',
        'a/up1/a/up1/mid/deep', 'a/up2/secret', 'a/up2/outside/sentinel', 'mid/../up1/../secret',
        'file\0/../../secret', 'file/', 'file/.', 'lfile/']) {
        tryOpen(`open ${JSON.stringify(p)}`, p);
      }
      tryOpen('etc/ nofollow', 'etc/', false);
      tryOpen('etc nofollow', 'etc', false);
      tryOpen('etc nofollow directory', 'etc', false, R | DIRECTORY);
      tryOpen('lfile/ nofollow', 'lfile/', false);
      tryOpen('creat a/../../x', 'a/../../x', true, W | CREAT);
      tryOpen('trunc through outfile', 'outfile', true, W | TRUNC);
      tryOpen('creat through out/', 'out/new', true, W | CREAT);
      tryOpen('creat with NUL', 'newfile\0junk', true, W | CREAT);
      tryOpen('creat under a file', 'file/x', true, W | CREAT);
      t.status('made -> ../outside', t.os.symlinkAt('../outside', t.root, 'made'));
      t.status('made2 -> a/../../secret', t.os.symlinkAt('a/../../secret', t.root, 'made2'));
      tryOpen('open made/sentinel', 'made/sentinel');
      tryOpen('open made2', 'made2');
      t.stat('stat made2', 'made2');
      t.status('mkdir made/newdir', t.os.mkdirAt(t.root, 'made/newdir'));
      t.status('unlink made/sentinel', t.os.unlinkAt(t.root, 'made/sentinel'));
      t.readlink('readlink made', 'made');
      t.status('unlink made', t.os.unlinkAt(t.root, 'made'));
      t.status('symlink absolute', t.os.symlinkAt('/etc', t.root, 'abs'));
      t.status('symlink at ../abs', t.os.symlinkAt('x', t.root, '../abs'));
      t.status('symlink target NUL', t.os.symlinkAt('x\0y', t.root, 'nul'));
      for (const [p, follow] of [['..', true], ['../secret', false], ['/etc/passwd', true], ['out', true],
        ['out/sentinel', false], ['out', false]] as const) {
        t.stat(`stat ${p} ${follow}`, p, follow);
      }
      for (const p of ['../newdir', 'a/../../newdir', 'out/newdir', '/tmp/newdir', 'dangling2']) {
        t.status(`mkdir ${p}`, t.os.mkdirAt(t.root, p));
      }
      t.status('unlink ../secret', t.os.unlinkAt(t.root, '../secret'));
      t.status('unlink out/sentinel', t.os.unlinkAt(t.root, 'out/sentinel'));
      t.status('rmdir ../outside', t.os.rmdirAt(t.root, '../outside'));
      t.status('rmdir out/..', t.os.rmdirAt(t.root, 'out/..'));
      t.status('rmdir ..', t.os.rmdirAt(t.root, '..'));
      for (const [a, b] of [['../secret', 'stolen'], ['out/sentinel', 'stolen'], ['/etc/passwd', 'stolen'],
        ['file', '../planted'], ['file', 'out/sentinel'], ['file', 'a/../../planted'], ['file', '/tmp/x/sentinel']]) {
        t.status(`rename ${a} ${b}`, t.os.renameAt(t.root, a!, t.root, b!));
      }
      for (const [a, b, follow] of [['file', '../planted', false], ['file', 'out/planted', false],
        ['../secret', 'stolen', false], ['out/sentinel', 'stolen', false], ['outfile', 'stolen', true],
        ['outfile', 'copy', false]] as const) {
        t.status(`link ${a} ${b} ${follow}`, t.os.linkAt(t.root, a, follow, t.root, b));
      }
      tryOpen('open copy (a link to an escaping symlink)', 'copy');
      t.stat('lstat copy', 'copy', false);
      t.status('utimes ../secret', t.os.utimesAt(t.root, '../secret', true, 1n, 1n, 5));
      t.status('utimes outfile follow', t.os.utimesAt(t.root, 'outfile', true, 1n, 1n, 5));
      t.status('utimes outfile nofollow', t.os.utimesAt(t.root, 'outfile', false, 1_000_000_000n, 2_000_000_000n, 5));
      t.exactTimes('outfile times', 'outfile', false);
      t.readlink('readlink etc', 'etc');
      t.readlink('readlink ../outside', '../outside');
      t.readlink('readlink etc/', 'etc/');
      t.stat('NUL stat', 'file\0', true);
      t.status('NUL mkdir', t.os.mkdirAt(t.root, 'd\0x'));
      t.status('NUL unlink', t.os.unlinkAt(t.root, 'file\0x'));
      t.status('NUL rmdir', t.os.rmdirAt(t.root, 'a\0'));
      t.status('NUL rename src', t.os.renameAt(t.root, 'file\0', t.root, 'x'));
      t.status('NUL rename dst', t.os.renameAt(t.root, 'file', t.root, 'x\0'));
      t.status('NUL link', t.os.linkAt(t.root, 'file', false, t.root, 'x\0'));
      t.status('NUL symlink', t.os.symlinkAt('file', t.root, 'x\0'));
      t.readlink('NUL readlink', 'x\0');
      t.status('NUL utimes', t.os.utimesAt(t.root, 'file\0', true, 0n, 0n, 5));
      // A directory handle below the root is a sandbox of its own.
      const d = t.open('open a/b', 'a/b', R | DIRECTORY)!;
      t.open('.. from a/b', '../up1', R, true, d);
      t.close('deep from a/b', t.open('open deep', 'deep', R, true, d));
      t.close('close a/b', d);
      t.tree('tree');
    },
  },
  {
    name: 'directories: mkdir, rmdir, unlink',
    tree: { f: '', 'a/b/': null, la: { symlink: 'a' }, lf: { symlink: 'f' }, 'e/': null },
    run(t) {
      t.status('mkdir x', t.os.mkdirAt(t.root, 'x'));
      t.status('mkdir x/y/', t.os.mkdirAt(t.root, 'x/y/'));
      t.status('mkdir x again', t.os.mkdirAt(t.root, 'x'));
      t.status('mkdir .', t.os.mkdirAt(t.root, '.'));
      t.status('mkdir missing parent', t.os.mkdirAt(t.root, 'q/r'));
      t.status('mkdir over symlink', t.os.mkdirAt(t.root, 'lf'));
      t.status('mkdir under a file', t.os.mkdirAt(t.root, 'f/x'));
      t.status('mkdir long', t.os.mkdirAt(t.root, long(256)));
      t.stat('x nlink', 'x');
      t.stat('root nlink', '.');
      t.status('rmdir non-empty', t.os.rmdirAt(t.root, 'a'));
      t.status('rmdir file', t.os.rmdirAt(t.root, 'f'));
      t.status('rmdir symlink to dir', t.os.rmdirAt(t.root, 'la'));
      t.status('rmdir .', t.os.rmdirAt(t.root, '.'));
      t.status('rmdir a/..', t.os.rmdirAt(t.root, 'a/..'));
      t.status('rmdir missing', t.os.rmdirAt(t.root, 'nope'));
      t.status('rmdir a/b/', t.os.rmdirAt(t.root, 'a/b/'));
      t.stat('a nlink after', 'a');
      t.status('unlink symlink', t.os.unlinkAt(t.root, 'lf'));
      t.stat('target kept', 'f');
      t.status('unlink dir', t.os.unlinkAt(t.root, 'a'));
      t.status('unlink f/', t.os.unlinkAt(t.root, 'f/'));
      t.status('unlink a/', t.os.unlinkAt(t.root, 'a/'));
      t.status('unlink .', t.os.unlinkAt(t.root, '.'));
      t.status('unlink a/..', t.os.unlinkAt(t.root, 'a/..'));
      t.status('unlink missing/', t.os.unlinkAt(t.root, 'missing/'));
      t.status('unlink f', t.os.unlinkAt(t.root, 'f'));
      t.status('unlink f again', t.os.unlinkAt(t.root, 'f'));
      // A removed directory, still open.
      const e = t.open('open e', 'e', R | DIRECTORY)!;
      t.status('rmdir e', t.os.rmdirAt(t.root, 'e'));
      t.fstat('fstat removed', e);
      t.list('list removed', e);
      t.open('creat in removed', 'x', W | CREAT, true, e);
      t.status('mkdir in removed', t.os.mkdirAt(e, 'x'));
      t.status('symlink in removed', t.os.symlinkAt('t', e, 'x'));
      t.stat('stat . in removed', '.', true, e);
      t.open('.. from removed', '..', R, true, e);
      t.close('close e', e);
      t.tree('tree');
    },
  },
  {
    name: 'rename: POSIX rules for files and directories',
    tree: {
      'a/f': 'F', 'b/': null, 'c/': null, 'full/x': 'x', 'empty/': null, file: 'file', other: 'other',
      la: { symlink: 'a' }, 'p/q/r/': null, h1: 'hard',
    },
    run(t) {
      t.status('file across dirs', t.os.renameAt(t.root, 'a/f', t.root, 'b/g'));
      t.status('file onto file', t.os.renameAt(t.root, 'other', t.root, 'file'));
      t.status('symlink renamed as itself', t.os.renameAt(t.root, 'la', t.root, 'lb'));
      t.readlink('lb', 'lb');
      t.status('file with slash', t.os.renameAt(t.root, 'b/g', t.root, 'x/'));
      t.status('file with slash src', t.os.renameAt(t.root, 'file/', t.root, 'x'));
      t.status('dir with slash', t.os.renameAt(t.root, 'b/', t.root, 'b2'));
      t.status('missing', t.os.renameAt(t.root, 'nope', t.root, 'x'));
      t.status('dir onto empty dir', t.os.renameAt(t.root, 'c', t.root, 'empty'));
      t.status('dir onto non-empty dir', t.os.renameAt(t.root, 'b2', t.root, 'full'));
      t.status('dir onto file', t.os.renameAt(t.root, 'b2', t.root, 'file'));
      t.status('file onto dir', t.os.renameAt(t.root, 'file', t.root, 'b2'));
      t.status('dir into itself', t.os.renameAt(t.root, 'p', t.root, 'p/q/r/s'));
      t.status('dir into child', t.os.renameAt(t.root, 'p/q', t.root, 'p/q/z'));
      t.status('dir onto itself', t.os.renameAt(t.root, 'p', t.root, 'p'));
      t.status('dir onto its ancestor', t.os.renameAt(t.root, 'p/q/r', t.root, 'p'));
      t.status('dot source', t.os.renameAt(t.root, '.', t.root, 'x'));
      t.status('dot target', t.os.renameAt(t.root, 'file', t.root, '.'));
      t.status('dotdot target', t.os.renameAt(t.root, 'file', t.root, 'p/..'));
      t.status('link h2', t.os.linkAt(t.root, 'h1', false, t.root, 'h2'));
      t.status('onto another name of itself', t.os.renameAt(t.root, 'h1', t.root, 'h2'));
      t.stat('h1 still there', 'h1');
      t.status('file onto itself', t.os.renameAt(t.root, 'file', t.root, 'file'));
      t.status('empty source', t.os.renameAt(t.root, '', t.root, 'x'));
      t.status('empty target', t.os.renameAt(t.root, 'file', t.root, ''));
      t.status('into missing dir', t.os.renameAt(t.root, 'file', t.root, 'nodir/x'));
      t.status('under a file', t.os.renameAt(t.root, 'file', t.root, 'h1/x'));
      t.status('long target', t.os.renameAt(t.root, 'file', t.root, long(256)));
      t.status('dir moved down', t.os.renameAt(t.root, 'b2', t.root, 'p/q/b3'));
      t.stat('p/q nlink', 'p/q');
      t.stat('root nlink', '.');
      const d = t.open('open p', 'p', R | DIRECTORY)!;
      t.status('rename across handles', t.os.renameAt(t.root, 'file', d, 'moved'));
      t.status('rename out through ..', t.os.renameAt(d, 'moved', d, '../moved'));
      t.close('close p', d);
      t.tree('tree');
    },
  },
  {
    name: 'hard links: nlink, follow, errors, unlink of one name',
    tree: { f: 'F', lf: { symlink: 'f' }, 'd/': null, dangling: { symlink: 'nowhere' } },
    run(t) {
      t.status('link f g', t.os.linkAt(t.root, 'f', false, t.root, 'g'));
      t.stat('nlink 2', 'f');
      t.status('link follow lf h', t.os.linkAt(t.root, 'lf', true, t.root, 'h'));
      t.stat('h is the file', 'h', false);
      t.status('link nofollow lf k', t.os.linkAt(t.root, 'lf', false, t.root, 'k'));
      t.stat('k is a symlink', 'k', false);
      t.stat('lf nlink', 'lf', false);
      t.status('link exists', t.os.linkAt(t.root, 'f', false, t.root, 'g'));
      t.status('link dir', t.os.linkAt(t.root, 'd', false, t.root, 'd2'));
      t.status('link dir onto existing', t.os.linkAt(t.root, 'd', false, t.root, 'f'));
      t.status('link src slash', t.os.linkAt(t.root, 'f/', false, t.root, 'z'));
      t.status('link dir src slash', t.os.linkAt(t.root, 'd/', false, t.root, 'z'));
      t.status('link dst slash', t.os.linkAt(t.root, 'f', false, t.root, 'z/'));
      t.status('link missing dst slash', t.os.linkAt(t.root, 'nope', false, t.root, 'z/'));
      t.status('link missing', t.os.linkAt(t.root, 'nope', false, t.root, 'z'));
      t.status('link onto .', t.os.linkAt(t.root, 'f', false, t.root, '.'));
      t.status('link dot', t.os.linkAt(t.root, '.', false, t.root, 'z'));
      t.status('link dangling follow', t.os.linkAt(t.root, 'dangling', true, t.root, 'z'));
      t.status('link dangling nofollow', t.os.linkAt(t.root, 'dangling', false, t.root, 'z'));
      t.status('link into d', t.os.linkAt(t.root, 'f', false, t.root, 'd/f'));
      t.stat('nlink 4', 'f');
      const h = t.open('open g', 'g', R | W)!;
      t.write('write through g', h, 'G');
      t.status('unlink f', t.os.unlinkAt(t.root, 'f'));
      t.fstat('fstat g', h);
      t.close('close g', h);
      t.tree('tree');
    },
  },
  {
    name: 'unlinked open file keeps its bytes',
    tree: { f: 'abc' },
    run(t) {
      const h = t.open('open', 'f', R | W)!;
      t.status('unlink', t.os.unlinkAt(t.root, 'f'));
      t.fstat('fstat nlink 0', h);
      t.write('write', h, 'XYZ');
      t.pread('pread', h, 0n);
      t.stat('gone', 'f');
      t.close('close', h);
      t.close('recreate', t.open('creat again', 'f', W | CREAT));
      t.stat('new and empty', 'f');
    },
  },
  {
    name: 'truncation: shrink, extend with zeros, position kept',
    tree: { f: '0123456789' },
    run(t) {
      const h = t.open('open', 'f', R | W)!;
      t.seek('seek 8', h, 8n, Whence.set);
      t.status('truncate 4', t.os.ftruncate(h, 4n));
      t.fstat('size 4', h);
      t.seek('position kept', h, 0n, Whence.cur);
      t.read('read past end', h);
      t.status('extend to 12', t.os.ftruncate(h, 12n));
      t.pread('zeros', h, 0n);
      t.write('write at 8', h, 'Z');
      t.pread('after write', h, 0n);
      t.status('truncate 0', t.os.ftruncate(h, 0n));
      t.status('extend again', t.os.ftruncate(h, 3n));
      t.pread('zeros again (old bytes gone)', h, 0n);
      t.close('close', h);
      t.close('open trunc', t.open('trunc', 'f', W | TRUNC));
      t.stat('empty', 'f');
    },
  },
  {
    name: 'readdir: dot entries first, names and types, cookies',
    tree: { f: '', 'd/': null, l: { symlink: 'f' }, 'd/inner': 'i' },
    run(t) {
      t.list('root', t.root);
      const d = t.open('open d', 'd', R | DIRECTORY)!;
      t.list('d', d);
      const e0 = t.os.readdir(d, 0n);
      const again = t.os.readdir(d, 0n);
      t.rec('cookie 0 twice', typeof e0 === 'object' && typeof again === 'object' && e0?.name === again?.name);
      const past = t.os.readdir(d, 1000n);
      t.rec('cookie past the end', past);
      t.status('mkdir d/new', t.os.mkdirAt(t.root, 'd/new'));
      t.status('unlink d/inner', t.os.unlinkAt(t.root, 'd/inner'));
      t.list('d after changes', d);
      t.close('close d', d);
      t.status('mkdir many', t.os.mkdirAt(t.root, 'many'));
      for (let i = 0; i < 50; i++) {
        const h = t.os.openAt(t.root, `many/${i}`, false, W | CREAT);
        if (typeof h !== 'number') t.os.close(h);
      }
      const m = t.open('open many', 'many', R | DIRECTORY)!;
      t.list('many', m);
      t.close('close many', m);
    },
  },
  {
    name: 'timestamps: set exactly, now, omit, symlink vs target, order after writes',
    tree: { f: 'x', lf: { symlink: 'f' }, 'd/': null },
    run(t) {
      const { ATIM, MTIM, ATIM_NOW, MTIM_NOW } = TimeFlags;
      t.status('set both', t.os.utimesAt(t.root, 'f', true, 5_000_000_000n, 7_000_000_000n, ATIM | MTIM));
      t.exactTimes('read back', 'f');
      t.status('mtime only', t.os.utimesAt(t.root, 'f', true, 0n, 9_000_000_000n, MTIM));
      t.exactTimes('atime kept', 'f');
      t.status('set and now', t.os.utimesAt(t.root, 'f', true, 0n, 0n, MTIM | MTIM_NOW));
      t.status('unknown bits', t.os.utimesAt(t.root, 'f', true, 0n, 0n, 1 << 4));
      t.status('nothing', t.os.utimesAt(t.root, 'f', true, 0n, 0n, 0));
      t.exactTimes('unchanged', 'f');
      t.status('nothing, missing', t.os.utimesAt(t.root, 'missing', true, 0n, 0n, 0));
      t.status('link itself', t.os.utimesAt(t.root, 'lf', false, 1_000_000_000n, 1_000_000_000n, ATIM | MTIM));
      t.exactTimes('link times', 'lf', false);
      t.exactTimes('target untouched', 'f');
      t.status('through link', t.os.utimesAt(t.root, 'lf', true, 2_000_000_000n, 2_000_000_000n, ATIM | MTIM));
      t.exactTimes('target set', 'f');
      t.status('trailing slash on file', t.os.utimesAt(t.root, 'f/', true, 0n, 0n, ATIM | MTIM));
      t.mark('f', 'f');
      t.status('mtime now', t.os.utimesAt(t.root, 'f', true, 0n, 0n, MTIM_NOW));
      t.order('now is later than 2s after the epoch', 'f', 'f');
      const st = t.os.statAt(t.root, 'f', true);
      t.rec('atime kept with mtime now', typeof st === 'number' ? errnoName(st) : st.atimNs);
      const h = t.open('open', 'f', R | W)!;
      t.status('futimes', t.os.futimes(h, 3_000_000_001_000n, 4_000_000_002_000n, ATIM | MTIM));
      t.exactTimes('futimes read back', 'f');
      t.status('futimes mtime only', t.os.futimes(h, 0n, 6_000_000_000n, MTIM));
      t.exactTimes('futimes atime kept', 'f');
      t.status('futimes bad', t.os.futimes(h, 0n, 0n, ATIM | ATIM_NOW));
      t.mark('before write', 'f');
      t.write('write', h, 'more');
      t.order('write moves mtime and ctime', 'before write', 'f');
      t.mark('d before', 'd');
      t.close('creat in d', t.open('creat', 'd/new', W | CREAT));
      t.order('creating moves the directory times', 'd before', 'd');
      t.status('set d', t.os.utimesAt(t.root, 'd', true, 1_000_000n, 1_000_000n, ATIM | MTIM));
      t.mark('d set', 'd');
      t.status('unlink in d', t.os.unlinkAt(t.root, 'd/new'));
      t.order('removing moves the directory times', 'd set', 'd');
      t.close('close', h);
      t.status('futimes closed', t.os.futimes(h, 0n, 0n, MTIM));
    },
  },
  {
    name: 'pipes: bounded buffer, EOF, EPIPE, readiness (nonblocking)',
    run(t) {
      const [r, w] = t.side.pipe();
      t.fstat('fstat read end', r);
      t.poll('empty: read end not ready, write end ready', [r, w], [false, true]);
      t.read('read empty', r);
      t.write('write', w, 'hello');
      t.poll('data: read end ready', [r], [false]);
      t.read('read', r, 3);
      t.read('read rest', r);
      t.seek('seek on a pipe', r, 0n, Whence.cur);
      t.count('pwrite on a pipe', t.os.pwrite(w, [enc.encode('x')], 0n));
      t.count('pread on a pipe', t.os.pread(r, [new Uint8Array(1)], 0n));
      t.status('ftruncate pipe', t.os.ftruncate(w, 0n));
      t.write('write on the read end', r, 'x');
      t.read('read on the write end', w);
      t.count('fill it', t.os.write(w, [new Uint8Array(100_000)]));
      t.poll('full: write end not ready', [w], [true]);
      t.write('write to a full pipe', w, 'x');
      t.count('drain', t.os.read(r, [new Uint8Array(65536)]));
      t.count('write 5000 (more than PIPE_BUF) into space', t.os.write(w, [new Uint8Array(5000)]));
      t.close('close write end', w);
      t.poll('writer gone: hang-up', [r], [false]);
      t.count('read what is left', t.os.read(r, [new Uint8Array(10_000)]));
      t.read('then end of file', r);
      const [r2, w2] = t.side.pipe();
      t.close('close read end', r2);
      t.poll('reader gone: error', [w2], [true]);
      t.write('write with no reader', w2, 'x');
      t.close('close w2', w2);
    },
  },
  {
    name: 'loopback TCP: connect, accept, send, peek, shutdown, end of file (nonblocking)',
    run(t) {
      const { listener, connect } = t.side.tcp();
      t.poll('nothing pending', [listener], [false]);
      const acc = t.os.accept!(listener, true);
      t.rec('accept with none pending', typeof acc === 'number' ? errnoName(acc) : 'handle');
      const client = connect();
      t.poll('pending', [listener], [false]);
      const server = t.os.accept!(listener, true);
      if (typeof server === 'number') throw new Error(`accept: ${errnoName(server)}`);
      t.rec('accepted', typeName(server.type));
      t.fstat('fstat socket', server);
      t.poll('client writable, server has nothing', [client, server], [true, false]);
      t.read('read with nothing', server);
      t.write('send', client, 'ping');
      t.poll('server readable', [server], [false]);
      const b = new Uint8Array(16);
      t.count('peek', t.os.recv!(server, b, 1));
      t.rec('peeked', dec.decode(b.subarray(0, 4)));
      t.read('read after peek', server);
      t.count('recv on a listener', t.os.recv!(listener, b, 0));
      t.status('shutdown(WR) of a listener does nothing', t.os.shutdown!(listener, 2));
      // (shutdown with `how` outside 1..3 is outside the Os contract: the Node backend treats it as 2, memory says inval.)
      t.status('shutdown a file-less handle kind', t.os.shutdown!(t.root, 2));
      t.write('reply', server, 'pong');
      t.read('client reads', client);
      t.status('client shuts down writing', t.os.shutdown!(client, 2));
      t.poll('server sees end of file as readable', [server], [false]);
      t.read('server reads EOF', server);
      t.write('client writes after shutdown', client, 'x');
      t.write('server still writes', server, 'late');
      t.read('client still reads', client);
      t.status('server shuts down writing too', t.os.shutdown!(server, 2));
      t.poll('both directions done: hang-up', [client, server], [false, false]);
      t.read('client reads EOF', client);
      t.seek('seek on a socket', client, 0n, Whence.cur);
      t.close('close client', client);
      t.close('close server', server);
      // shutdown(RD): reads end (0) once the queue is empty; bytes that still arrive are queued and readable.
      const c2 = connect();
      const s2 = t.os.accept!(listener, true);
      if (typeof s2 === 'number') throw new Error(`accept: ${errnoName(s2)}`);
      t.write('before shutdown(RD)', c2, 'early');
      t.status('shutdown(RD)', t.os.shutdown!(s2, 1));
      t.poll('readable after shutdown(RD)', [s2], [false]);
      t.read('queued bytes still read', s2);
      t.read('then end of file', s2);
      t.write('peer writes after shutdown(RD)', c2, 'late');
      t.read('read after shutdown(RD)', s2);
      t.write('a socket that shut down reading still writes', s2, 'out');
      t.read('its peer reads', c2);
      t.close('close c2', c2);
      t.poll('peer gone, not shut for writing: readable', [s2], [false]);
      t.read('end of file', s2);
      t.close('close s2', s2);
      // shutdown(RD) of a listener stops it listening (Linux): accept is then inval.
      t.status('shutdown(RD) of a listener', t.os.shutdown!(listener, 1));
      const late = t.os.accept!(listener, true);
      t.rec('accept after', typeof late === 'number' ? errnoName(late) : 'handle');
    },
  },
];

// ---- random operation sequences -------------------------------------------------

/**
 * A random script over a small name space, so that operations collide:
 * names a, b, c, d inside one or two levels, `..` and `.` components, and
 * symlinks (to names, to `..`, to `.`) that the script itself creates.
 * Every result is recorded, and the whole tree at the end.
 */
function randomScenario(seed: number, steps: number): Scenario {
  return {
    name: `random sequence, seed ${seed}`,
    tree: { 'a/': null, 'a/f': 'A', b: 'B' },
    run<H extends OsHandle>(t: Trial<H>) {
      const rng = new Xoshiro128(seed);
      const pick = <T>(xs: readonly T[]): T => xs[rng.next() % xs.length]!;
      const names = ['a', 'b', 'c', 'd'];
      const comp = (): string => pick([...names, ...names, ...names, '.', '..']);
      const path = (): string => {
        const r = rng.next() % 10;
        const depth = r < 6 ? 1 : r < 9 ? 2 : 3;
        const parts = Array.from({ length: depth }, comp);
        return parts.join('/') + (rng.next() % 8 === 0 ? '/' : '');
      };
      const targets = ['a', 'b', 'c', '.', '..', 'a/f', 'a/..', '../a', 'd/'];
      const open: H[] = [];
      for (let i = 0; i < steps; i++) {
        const p = path();
        const q = path();
        const follow = rng.next() % 2 === 0;
        // Creations are drawn more often, so that later operations find something.
        const op = pick([0, 0, 0, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        const label = `#${i}`;
        switch (op) {
          case 0: t.status(`${label} mkdir ${p}`, t.os.mkdirAt(t.root, p)); break;
          case 1: {
            const flags = pick([R, W | CREAT, R | W | CREAT | EXCL, W | TRUNC, R | DIRECTORY, W | CREAT | APPEND]);
            const h = t.open(`${label} open ${p} ${flags} ${follow}`, p, flags, follow);
            if (h !== null) open.push(h);
            break;
          }
          case 2: t.status(`${label} unlink ${p}`, t.os.unlinkAt(t.root, p)); break;
          case 3: t.status(`${label} rmdir ${p}`, t.os.rmdirAt(t.root, p)); break;
          case 4: case 5: t.status(`${label} rename ${p} ${q}`, t.os.renameAt(t.root, p, t.root, q)); break;
          case 6: t.status(`${label} link ${p} ${q} ${follow}`, t.os.linkAt(t.root, p, follow, t.root, q)); break;
          case 7: {
            const target = pick(targets);
            t.status(`${label} symlink ${target} ${p}`, t.os.symlinkAt(target, t.root, p));
            break;
          }
          case 8: t.stat(`${label} stat ${p} ${follow}`, p, follow); break;
          case 9: t.readlink(`${label} readlink ${p}`, p); break;
          case 10: case 11: {
            if (open.length === 0) break;
            const hh = open[rng.next() % open.length]!;
            const what = rng.next() % 5;
            if (what === 0) t.write(`${label} write`, hh, `w${i}`);
            else if (what === 1) t.read(`${label} read`, hh, 8);
            else if (what === 2) t.status(`${label} ftruncate`, t.os.ftruncate(hh, BigInt(rng.next() % 6)));
            else if (what === 3) t.fstat(`${label} fstat`, hh);
            else t.seek(`${label} seek`, hh, BigInt(rng.next() % 5), Whence.set);
            break;
          }
          case 12: {
            if (open.length === 0) break;
            const h = open.splice(rng.next() % open.length, 1)[0]!;
            t.close(`${label} close`, h);
            break;
          }
          case 13: t.status(`${label} utimes ${p}`, t.os.utimesAt(t.root, p, follow, 1_000_000n * BigInt(i), 2_000_000n * BigInt(i), TimeFlags.ATIM | TimeFlags.MTIM)); break;
          case 14: {
            const d = t.os.openAt(t.root, p, follow, R | DIRECTORY);
            if (typeof d === 'number') t.rec(`${label} list ${p}`, errnoName(d));
            else {
              t.list(`${label} list ${p}`, d);
              t.os.close(d);
            }
            break;
          }
          default: t.tree(`${label} tree`);
        }
      }
      for (const h of open) t.os.close(h);
      t.tree('final tree');
    },
  };
}

// ---- running ----------------------------------------------------------------------

function runOn<H extends OsHandle>(side: Side<H>, s: Scenario): [string, Obs][] {
  const t = new Trial(side);
  try {
    if (s.tree) side.setup(s.tree);
    s.run(t);
  } finally {
    side.finish();
  }
  return t.log;
}

function fmt(v: Obs): string {
  return typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

/** The first step where the logs differ, described; null if they agree. */
function firstDifference(a: [string, Obs][], b: [string, Obs][]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) {
      return `step ${i}: only one backend got here (node: ${x ? x[0] : 'ended'}, memory: ${y ? y[0] : 'ended'})`;
    }
    if (x[0] !== y[0]) return `step ${i}: the scripts diverged (${x[0]} / ${y[0]})`;
    if (fmt(x[1]) !== fmt(y[1])) {
      return `step ${i} "${x[0]}" differs:\n  node:   ${fmt(x[1])}\n  memory: ${fmt(y[1])}`;
    }
  }
  return null;
}

describe('differential: Node backend vs memory backend', () => {
  for (const s of scenarios) {
    it(`${s.name}: same observable results`, () => {
      const node = runOn(nodeSide(), s);
      const memory = runOn(memorySide(), s);
      expect(node.length).toBeGreaterThan(0);
      if (process.env.DIFF_DUMP) console.log(node.map(([l, v]) => `${l}: ${fmt(v)}`).join('\n'));
      const diff = firstDifference(node, memory);
      if (diff !== null) expect.fail(`${s.name}\n${diff}`);
    });
  }

  const SEEDS = Number(process.env.DIFF_SEEDS ?? 40);
  const FIRST = Number(process.env.DIFF_SEED ?? 1);
  it(`random operation sequences (${SEEDS} seeds from ${FIRST}, 80 steps): same observable results`, () => {
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const s = randomScenario(seed, 80);
      const node = runOn(nodeSide(), s);
      if (process.env.DIFF_DUMP) console.log(node.map(([l, v]) => `${l}: ${fmt(v)}`).join('\n'));
      const diff = firstDifference(node, runOn(memorySide(), s));
      if (diff !== null) expect.fail(`${s.name} (rerun with DIFF_SEED=${seed} DIFF_SEEDS=1)\n${diff}`);
    }
  });

  it('the harness notices a difference (a deliberately wrong memory result)', () => {
    const a: [string, Obs][] = [['open', 'handle(file)'], ['read', 'abc']];
    const b: [string, Obs][] = [['open', 'handle(file)'], ['read', 'abd']];
    expect(firstDifference(a, b)).toMatch(/step 1 "read" differs/);
    expect(firstDifference(a, a)).toBeNull();
  });
});
