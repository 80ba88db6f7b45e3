/**
 * Positive behaviour of the Node backend's path operations, on real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { Errno, FileType, OpenFlags, TimeFlags, type FileStat } from '../../host/os/types.js';
import { expectErrno, makeSandbox, type Sandbox } from './sandbox.js';

const { READ: R, WRITE: W, CREAT, EXCL, TRUNC, DIRECTORY } = OpenFlags;

let sb: Sandbox;
let root: NodeHandle;
const p = (...parts: string[]): string => path.join(sb.box, ...parts);

beforeEach(() => {
  sb = makeSandbox();
  root = sb.root;
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

function open(dir: NodeHandle, rel: string, flags: number, follow = true): NodeHandle {
  const r = nodeOs.openAt(dir, rel, follow, flags);
  if (typeof r === 'number') throw new Error(`openAt(${rel}) failed: ${r}`);
  return r;
}

function stat(rel: string, follow = true): FileStat {
  const r = nodeOs.statAt(root, rel, follow);
  if (typeof r === 'number') throw new Error(`statAt(${rel}) failed: ${r}`);
  return r;
}

function readAll(h: NodeHandle): string {
  const buf = new Uint8Array(4096);
  const n = nodeOs.pread(h, [buf], 0n);
  expect(n).toBeGreaterThanOrEqual(0);
  return Buffer.from(buf.subarray(0, n)).toString('utf8');
}

describe('openAt()', () => {
  it('openAt(): opens nested directories and files inside the sandbox', () => {
    fs.mkdirSync(p('a', 'b', 'c'), { recursive: true });
    fs.writeFileSync(p('a', 'b', 'c', 'f'), 'nested');
    const h = open(root, 'a/b/c/f', R);
    expect(h.type).toBe(FileType.regularFile);
    expect(readAll(h)).toBe('nested');
    nodeOs.close(h);
    const d = open(root, 'a/b', R | DIRECTORY);
    expect(d.type).toBe(FileType.directory);
    const h2 = open(d, 'c/f', R);
    expect(readAll(h2)).toBe('nested');
    nodeOs.close(h2);
    // `..` inside a non-root handle stays within that handle's sandbox.
    expectErrno(nodeOs.openAt(d, '../b/c/f', true, R), Errno.notcapable);
    nodeOs.close(d);
  });

  it('openAt(): resolves `.`/`..` that stay inside', () => {
    fs.mkdirSync(p('a', 'b'), { recursive: true });
    fs.writeFileSync(p('top'), 'top');
    const h = open(root, './a/./b/../../top', R);
    expect(readAll(h)).toBe('top');
    nodeOs.close(h);
    const d = open(root, 'a/..', R);
    expect(d.type).toBe(FileType.directory);
    nodeOs.close(d);
    const dot = open(root, '.', R | DIRECTORY);
    expect(dot.type).toBe(FileType.directory);
    nodeOs.close(dot);
  });

  it('openAt(): follows a symlink inside the sandbox, relative to its own directory', () => {
    fs.mkdirSync(p('a', 'b'), { recursive: true });
    fs.writeFileSync(p('a', 'target'), 'T');
    fs.symlinkSync('../target', p('a', 'b', 'l'));
    fs.symlinkSync('a/b', p('lb'));
    const h = open(root, 'lb/l', R);
    expect(readAll(h)).toBe('T');
    nodeOs.close(h);
    const d = open(root, 'lb/', R, false);
    expect(d.type).toBe(FileType.directory);
    nodeOs.close(d);
  });

  it('openAt(): creates, excludes, truncates', () => {
    const h = open(root, 'new', W | CREAT);
    expect(nodeOs.write(h, [Buffer.from('hello')])).toBe(5);
    nodeOs.close(h);
    expect(fs.readFileSync(p('new'), 'utf8')).toBe('hello');
    expectErrno(nodeOs.openAt(root, 'new', true, W | CREAT | EXCL), Errno.exist);
    const t = open(root, 'new', W | TRUNC);
    nodeOs.close(t);
    expect(fs.readFileSync(p('new'), 'utf8')).toBe('');
    expectErrno(nodeOs.openAt(root, 'missing', true, R), Errno.noent);
    expectErrno(nodeOs.openAt(root, 'x', true, CREAT | DIRECTORY), Errno.inval);
    expectErrno(nodeOs.openAt(root, 'x', true, 1 << 20), Errno.inval);
    expectErrno(nodeOs.openAt(root, '', true, R), Errno.noent);
  });

  it('openAt(): CREAT|EXCL on a symlink is exist, CREAT through a dangling symlink creates its target inside', () => {
    fs.symlinkSync('made', p('dangling'));
    expectErrno(nodeOs.openAt(root, 'dangling', true, W | CREAT | EXCL), Errno.exist);
    expectErrno(nodeOs.openAt(root, 'dangling', false, W | CREAT), Errno.loop);
    const h = open(root, 'dangling', W | CREAT);
    nodeOs.close(h);
    expect(fs.existsSync(p('made'))).toBe(true);
  });

  it('openAt(): a symlink to a directory with NOFOLLOW and DIRECTORY is notdir, without DIRECTORY loop', () => {
    fs.mkdirSync(p('d'));
    fs.symlinkSync('d', p('ld'));
    expectErrno(nodeOs.openAt(root, 'ld', false, R | DIRECTORY), Errno.notdir);
    expectErrno(nodeOs.openAt(root, 'ld', false, R), Errno.loop);
    const h = open(root, 'ld', R | DIRECTORY);
    expect(h.type).toBe(FileType.directory);
    nodeOs.close(h);
  });

  it('openAt(): a symlink to a file fails with loop/notdir without follow, notdir with follow and DIRECTORY', () => {
    // The expectations of wasmtime's test-programs nofollow_errors test.
    fs.writeFileSync(p('target'), '');
    fs.symlinkSync('target', p('symlink'));
    expectErrno(nodeOs.openAt(root, 'symlink', false, R | DIRECTORY), Errno.notdir);
    expectErrno(nodeOs.openAt(root, 'symlink', false, R), Errno.loop);
    expectErrno(nodeOs.openAt(root, 'symlink', true, R | DIRECTORY), Errno.notdir);
  });

  it('openAt(): a directory opened for writing is isdir; DIRECTORY on a file is notdir', () => {
    fs.mkdirSync(p('d'));
    fs.writeFileSync(p('f'), '');
    expectErrno(nodeOs.openAt(root, 'd', true, W), Errno.isdir);
    expectErrno(nodeOs.openAt(root, 'f', true, R | DIRECTORY), Errno.notdir);
  });

  it('openAt(): traverses a directory with search but no read permission (O_PATH walk; trivially true as root)', () => {
    fs.mkdirSync(p('xonly'));
    fs.writeFileSync(p('xonly', 'f'), 'x');
    fs.chmodSync(p('xonly'), 0o111);
    try {
      const h = open(root, 'xonly/f', R);
      expect(readAll(h)).toBe('x');
      nodeOs.close(h);
    } finally {
      fs.chmodSync(p('xonly'), 0o755);
    }
  });
});

describe('statAt()', () => {
  it('statAt(): stats files, directories and symlinks with and without follow', () => {
    fs.writeFileSync(p('f'), 'abc');
    fs.mkdirSync(p('d'));
    fs.symlinkSync('f', p('lf'));
    const f = stat('f');
    expect(f.type).toBe(FileType.regularFile);
    expect(f.size).toBe(3n);
    expect(f.nlink).toBe(1n);
    expect(f.ino).toBe(fs.statSync(p('f'), { bigint: true }).ino);
    expect(stat('d').type).toBe(FileType.directory);
    expect(stat('lf', true).type).toBe(FileType.regularFile);
    expect(stat('lf', false).type).toBe(FileType.symbolicLink);
    expect(stat('.').type).toBe(FileType.directory);
    expectErrno(nodeOs.statAt(root, 'nope', true), Errno.noent);
    expectErrno(nodeOs.statAt(root, 'f/', true), Errno.notdir);
    expectErrno(nodeOs.statAt(root, 'lf/', false), Errno.notdir);
    expectErrno(nodeOs.statAt(root, 'f/x', true), Errno.notdir);
  });

  it('statAt(): keeps nanosecond timestamps', () => {
    fs.writeFileSync(p('f'), '');
    const s = stat('f');
    const host = fs.statSync(p('f'), { bigint: true });
    expect(s.mtimNs).toBe(host.mtimeNs);
    expect(s.atimNs).toBe(host.atimeNs);
    expect(s.ctimNs).toBe(host.ctimeNs);
  });
});

describe('mkdirAt() / rmdirAt() / unlinkAt()', () => {
  it('mkdirAt(): creates nested directories one by one and reports exist', () => {
    expectErrno(nodeOs.mkdirAt(root, 'a'), Errno.success);
    expectErrno(nodeOs.mkdirAt(root, 'a/b/'), Errno.success);
    expect(fs.statSync(p('a', 'b')).isDirectory()).toBe(true);
    expectErrno(nodeOs.mkdirAt(root, 'a'), Errno.exist);
    expectErrno(nodeOs.mkdirAt(root, '.'), Errno.exist);
    expectErrno(nodeOs.mkdirAt(root, 'x/y'), Errno.noent);
  });

  it('rmdirAt(): removes empty directories, refuses non-empty ones and files', () => {
    fs.mkdirSync(p('a', 'b'), { recursive: true });
    fs.writeFileSync(p('f'), '');
    fs.symlinkSync('a', p('la'));
    expectErrno(nodeOs.rmdirAt(root, 'a'), Errno.notempty);
    expectErrno(nodeOs.rmdirAt(root, 'f'), Errno.notdir);
    expectErrno(nodeOs.rmdirAt(root, 'la'), Errno.notdir);
    expectErrno(nodeOs.rmdirAt(root, '.'), Errno.inval);
    expectErrno(nodeOs.rmdirAt(root, 'a/b/'), Errno.success);
    expect(fs.existsSync(p('a', 'b'))).toBe(false);
  });

  it('unlinkAt(): removes files and symlinks themselves, refuses directories', () => {
    fs.writeFileSync(p('f'), '');
    fs.mkdirSync(p('d'));
    fs.symlinkSync('f', p('lf'));
    expectErrno(nodeOs.unlinkAt(root, 'lf'), Errno.success);
    expect(fs.existsSync(p('f'))).toBe(true);
    expectErrno(nodeOs.unlinkAt(root, 'd'), Errno.isdir);
    expectErrno(nodeOs.unlinkAt(root, 'f/'), Errno.notdir);
    expectErrno(nodeOs.unlinkAt(root, 'd/'), Errno.isdir);
    expectErrno(nodeOs.unlinkAt(root, 'f'), Errno.success);
    expectErrno(nodeOs.unlinkAt(root, 'f'), Errno.noent);
  });
});

describe('renameAt() / linkAt() / symlinkAt() / readlinkAt()', () => {
  it('renameAt(): renames across directories without following symlinks', () => {
    fs.mkdirSync(p('a'));
    fs.mkdirSync(p('b'));
    fs.writeFileSync(p('a', 'f'), 'F');
    fs.symlinkSync('a', p('la'));
    expectErrno(nodeOs.renameAt(root, 'a/f', root, 'b/g'), Errno.success);
    expect(fs.readFileSync(p('b', 'g'), 'utf8')).toBe('F');
    expectErrno(nodeOs.renameAt(root, 'la', root, 'lb'), Errno.success);
    expect(fs.readlinkSync(p('lb'))).toBe('a');
    expectErrno(nodeOs.renameAt(root, 'b/g', root, 'x/'), Errno.notdir);
    expectErrno(nodeOs.renameAt(root, 'b/', root, 'c'), Errno.success);
    expectErrno(nodeOs.renameAt(root, 'nope', root, 'c2'), Errno.noent);
    const d = nodeOs.openAt(root, 'a', true, R | DIRECTORY);
    if (typeof d === 'number') throw new Error('open');
    expectErrno(nodeOs.renameAt(root, 'c/g', d, 'moved'), Errno.success);
    expect(fs.existsSync(p('a', 'moved'))).toBe(true);
    nodeOs.close(d);
  });

  it('linkAt(): links files, follows a final symlink only when asked', () => {
    fs.writeFileSync(p('f'), 'F');
    fs.symlinkSync('f', p('lf'));
    fs.mkdirSync(p('d'));
    expectErrno(nodeOs.linkAt(root, 'f', false, root, 'g'), Errno.success);
    expect(stat('f').nlink).toBe(2n);
    expectErrno(nodeOs.linkAt(root, 'lf', true, root, 'h'), Errno.success);
    expect(stat('h', false).type).toBe(FileType.regularFile);
    expectErrno(nodeOs.linkAt(root, 'lf', false, root, 'k'), Errno.success);
    expect(stat('k', false).type).toBe(FileType.symbolicLink);
    expectErrno(nodeOs.linkAt(root, 'f', false, root, 'g'), Errno.exist);
    expectErrno(nodeOs.linkAt(root, 'd', false, root, 'd2'), Errno.perm);
    expectErrno(nodeOs.linkAt(root, 'f/', false, root, 'z'), Errno.notdir);
    // A new name with a trailing slash: noent when absent, exist when present (linkat(2)).
    expectErrno(nodeOs.linkAt(root, 'f', false, root, 'z/'), Errno.noent);
    expectErrno(nodeOs.linkAt(root, 'f', false, root, 'f/'), Errno.exist);
    fs.mkdirSync(p('zd'));
    expectErrno(nodeOs.linkAt(root, 'f', false, root, 'zd/'), Errno.exist);
  });

  it('symlinkAt() / readlinkAt(): create and read links, refuse existing names', () => {
    expectErrno(nodeOs.symlinkAt('some/where', root, 'l'), Errno.success);
    expect(nodeOs.readlinkAt(root, 'l')).toBe('some/where');
    expectErrno(nodeOs.symlinkAt('x', root, 'l'), Errno.exist);
    expectErrno(nodeOs.symlinkAt('x', root, 'l/'), Errno.exist);
    expectErrno(nodeOs.symlinkAt('x', root, 'new/'), Errno.noent);
    expectErrno(nodeOs.symlinkAt('', root, 'empty'), Errno.noent);
    fs.writeFileSync(p('f'), '');
    expectErrno(nodeOs.readlinkAt(root, 'f'), Errno.inval);
    expectErrno(nodeOs.readlinkAt(root, 'nope'), Errno.noent);
    fs.mkdirSync(p('d'));
    fs.symlinkSync('d', p('ld'));
    expectErrno(nodeOs.readlinkAt(root, 'ld/'), Errno.inval);
  });
});

describe('utimesAt() / futimes()', () => {
  it('utimesAt(): sets times to the nanosecond (utimensat, not libuv\'s microseconds)', () => {
    fs.writeFileSync(p('f'), '');
    const a = 1_700_000_000_123_456_789n;
    const m = 1_600_000_000_987_654_321n;
    expectErrno(nodeOs.utimesAt(root, 'f', true, a, m, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
    const s = stat('f');
    expect(s.atimNs).toBe(a);
    expect(s.mtimNs).toBe(m);
  });

  it('utimesAt(): is exact to the nanosecond for many values', () => {
    fs.writeFileSync(p('f'), '');
    for (let i = 0; i < 200; i++) {
      const ns = BigInt(Math.floor(Math.random() * 4e9)) * 1_000_000_000n + BigInt(Math.floor(Math.random() * 1e9));
      expectErrno(nodeOs.utimesAt(root, 'f', true, ns, ns, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
      expect(stat('f').mtimNs).toBe(ns);
    }
  });

  it('futimes(): leaves an omitted time exactly as it was, sub-microsecond digits included', () => {
    fs.writeFileSync(p('f'), '');
    expectErrno(nodeOs.utimesAt(root, 'f', true, 5_000_000_123n, 7_000_000_456n, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
    const h = nodeOs.openAt(root, 'f', true, OpenFlags.READ);
    if (typeof h === 'number') throw new Error('open failed');
    expectErrno(nodeOs.futimes(h, 0n, 9_000_000_789n, TimeFlags.MTIM), Errno.success);
    nodeOs.close(h);
    expect(stat('f').atimNs).toBe(5_000_000_123n);
    expect(stat('f').mtimNs).toBe(9_000_000_789n);
  });

  it('utimesAt(): leaves an omitted time as it is and sets now', () => {
    fs.writeFileSync(p('f'), '');
    expectErrno(nodeOs.utimesAt(root, 'f', true, 5_000_000_000n, 7_000_000_000n, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
    expectErrno(nodeOs.utimesAt(root, 'f', true, 0n, 9_000_000_000n, TimeFlags.MTIM), Errno.success);
    expect(stat('f').atimNs).toBe(5_000_000_000n);
    expect(stat('f').mtimNs).toBe(9_000_000_000n);
    const before = BigInt(Date.now() - 1000) * 1_000_000n;
    expectErrno(nodeOs.utimesAt(root, 'f', true, 0n, 0n, TimeFlags.MTIM_NOW), Errno.success);
    expect(stat('f').mtimNs).toBeGreaterThan(before);
    expect(stat('f').atimNs).toBe(5_000_000_000n);
    expectErrno(nodeOs.utimesAt(root, 'f', true, 0n, 0n, TimeFlags.MTIM | TimeFlags.MTIM_NOW), Errno.inval);
  });

  it('utimesAt(): changes nothing (not even sub-microsecond digits) when no time is asked for', () => {
    fs.writeFileSync(p('f'), '');
    const before = fs.statSync(p('f'), { bigint: true });
    expectErrno(nodeOs.utimesAt(root, 'f', true, 0n, 0n, 0), Errno.success);
    expectErrno(nodeOs.utimesAt(root, 'f', false, 0n, 0n, 0), Errno.success);
    const after = fs.statSync(p('f'), { bigint: true });
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(after.atimeNs).toBe(before.atimeNs);
    expectErrno(nodeOs.utimesAt(root, 'missing', true, 0n, 0n, 0), Errno.noent);
  });

  it('utimesAt(): with follow off sets the symlink, with follow on its target', () => {
    fs.writeFileSync(p('f'), '');
    fs.symlinkSync('f', p('lf'));
    expectErrno(nodeOs.utimesAt(root, 'lf', false, 1_000_000_000n, 1_000_000_000n, 5), Errno.success);
    expect(fs.lstatSync(p('lf'), { bigint: true }).mtimeNs).toBe(1_000_000_000n);
    expect(fs.statSync(p('f'), { bigint: true }).mtimeNs).not.toBe(1_000_000_000n);
    expectErrno(nodeOs.utimesAt(root, 'lf', true, 2_000_000_000n, 2_000_000_000n, 5), Errno.success);
    expect(fs.statSync(p('f'), { bigint: true }).mtimeNs).toBe(2_000_000_000n);
  });

  it('futimes(): sets times of an open handle', () => {
    const h = open(root, 'f', W | CREAT);
    expectErrno(nodeOs.futimes(h, 3_000_000_001_000n, 4_000_000_002_000n, 5), Errno.success);
    const s = nodeOs.fstat(h);
    if (typeof s === 'number') throw new Error('fstat');
    expect(s.atimNs).toBe(3_000_000_001_000n);
    expect(s.mtimNs).toBe(4_000_000_002_000n);
    expectErrno(nodeOs.futimes(h, 0n, 6_000_000_000n, TimeFlags.MTIM), Errno.success);
    const s2 = nodeOs.fstat(h);
    if (typeof s2 === 'number') throw new Error('fstat');
    expect(s2.atimNs).toBe(3_000_000_001_000n);
    nodeOs.close(h);
  });
});
