/**
 * The memory OS backend on its own: runs in Node and in Chromium (no Node
 * import here). Semantics shared with the Node backend are also checked
 * against it by differential.node.test.ts; this file pins down what only
 * the simulation has (clock, randomness, faults, quotas, trees, loopback
 * network) and the sandbox rules, so that the browser run checks them too.
 */
import { describe, expect, it } from 'vitest';
import {
  createMemoryOs, ListenError, MAX_SYMLINKS, type MemHandle, memoryPlatform, type MemoryOs, PIPE_BUF, Xoshiro128,
} from '../../host/os/memory/index.js';
import { FileNode } from '../../host/os/memory/nodes.js';
import {
  type DirEntry, Errno, errnoName, type FileStat, FileType, OpenFlags, TimeFlags, Whence,
} from '../../host/os/types.js';

const { READ: R, WRITE: W, CREAT, EXCL, TRUNC, DIRECTORY, APPEND } = OpenFlags;
const enc = new TextEncoder();
const dec = new TextDecoder();
const EPOCH = 1_700_000_000_000_000_000n;

function sim(options: Parameters<typeof createMemoryOs>[0] = {}): MemoryOs {
  return createMemoryOs({ seed: 42, epochNs: EPOCH, ...options });
}

/** Compare errnos by name, for readable failures. */
function expectErrno(actual: unknown, expected: Errno): void {
  expect(typeof actual === 'number' ? errnoName(actual) : actual).toBe(errnoName(expected));
}

function open(s: MemoryOs, dir: MemHandle, path: string, flags: number, follow = true): MemHandle {
  const h = s.os.openAt(dir, path, follow, flags);
  if (typeof h === 'number') throw new Error(`openAt(${path}): ${errnoName(h)}`);
  return h;
}

function stat(s: MemoryOs, dir: MemHandle, path: string, follow = true): FileStat {
  const r = s.os.statAt(dir, path, follow);
  if (typeof r === 'number') throw new Error(`statAt(${path}): ${errnoName(r)}`);
  return r;
}

function readAll(s: MemoryOs, h: MemHandle): string {
  const st = s.os.fstat(h) as FileStat;
  const b = new Uint8Array(Number(st.size));
  const n = s.os.pread(h, [b], 0n);
  expect(n).toBeGreaterThanOrEqual(0);
  return dec.decode(b.subarray(0, n));
}

function list(s: MemoryOs, dir: MemHandle): DirEntry[] {
  const out: DirEntry[] = [];
  for (let cookie = 0n; ;) {
    const e = s.os.readdir(dir, cookie);
    if (e === null) return out;
    if (typeof e === 'number') throw new Error(`readdir: ${errnoName(e)}`);
    out.push(e);
    cookie = e.next;
  }
}

describe('createMemoryOs(): instances', () => {
  it('createMemoryOs(): keeps each simulated OS apart: a handle of one is badf to another', () => {
    const a = sim();
    const b = sim();
    const ra = a.root({ f: 'a' });
    const rb = b.root({ f: 'b' });
    expectErrno(b.os.openAt(ra, 'f', true, R), Errno.badf);
    expectErrno(b.os.statAt(ra, 'f', true), Errno.badf);
    expectErrno(a.os.renameAt(ra, 'f', rb, 'g'), Errno.badf);
    expect(b.os.read(open(a, ra, 'f', R), [new Uint8Array(1)])).toBe(-Errno.badf);
    expect(readAll(b, open(b, rb, 'f', R))).toBe('b');
    expect(() => b.snapshot(ra)).toThrow(TypeError);
  });

  it('root(): makes separate trees that can still rename into each other (one file system)', () => {
    const s = sim();
    const r1 = s.root({ f: 'one' });
    const r2 = s.root();
    expectErrno(s.os.renameAt(r1, 'f', r2, 'g'), Errno.success);
    expect(s.snapshot(r1)).toEqual({});
    expect(s.snapshot(r2)).toEqual({ g: 'one' });
    // `..` from a root is an escape, even though nothing is above.
    expectErrno(s.os.openAt(r2, '..', true, R), Errno.notcapable);
  });

  it('reopen(): gives a second handle on a directory; closing one leaves the other open', () => {
    const s = sim();
    const r = s.root({ f: 'x' });
    const again = s.reopen(r);
    expectErrno(s.os.close(again), Errno.success);
    expect(r.open).toBe(true);
    expect(readAll(s, open(s, r, 'f', R))).toBe('x');
    expectErrno(s.os.close(again), Errno.badf);
    const f = open(s, r, 'f', R);
    expect(() => s.reopen(f)).toThrow(TypeError);
  });
});

describe('files', () => {
  it('write(): grows a file by doubling its capacity (amortized), never copying it per append', () => {
    const s = sim();
    const r = s.root();
    const h = open(s, r, 'log', W | CREAT | APPEND);
    const one = enc.encode('x');
    const capacities = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      if (s.os.write(h, [one]) !== 1) throw new Error(`append ${i} failed`);
      capacities.add((h.node as FileNode).data.length);
    }
    // 100,000 appends, about log2(100,000 / 64) + 1 reallocations.
    expect(capacities.size).toBeLessThanOrEqual(13);
    const f = h.node as FileNode;
    expect(f.size).toBe(100_000);
    expect(f.data.length).toBeLessThan(2 * 100_000 + 64);
    expect(stat(s, r, 'log').size).toBe(100_000n);
  });

  it('read() / write() / seek(): share one offset per handle; pread/pwrite leave it', () => {
    const s = sim();
    const r = s.root({ f: '0123456789' });
    const h = open(s, r, 'f', R | W);
    const b = new Uint8Array(3);
    expect(s.os.read(h, [b])).toBe(3);
    expect(dec.decode(b)).toBe('012');
    expect(s.os.write(h, [enc.encode('ab'), enc.encode('c')])).toBe(3);
    expect(s.os.seek(h, 0n, Whence.cur)).toBe(6n);
    expect(s.os.pwrite(h, [enc.encode('Z')], 9n)).toBe(1);
    expect(s.os.pread(h, [b], 0n)).toBe(3);
    expect(s.os.seek(h, 0n, Whence.cur)).toBe(6n);
    expect(s.os.seek(h, -1n, Whence.end)).toBe(9n);
    expectErrno(s.os.seek(h, -11n, Whence.end), Errno.inval);
    expectErrno(s.os.seek(h, 1n << 60n, Whence.set), Errno.inval);
    expect(readAll(s, h)).toBe('012abc678Z');
    // A second open has its own offset.
    const h2 = open(s, r, 'f', R);
    expect(s.os.read(h2, [b])).toBe(3);
    expect(dec.decode(b)).toBe('012');
  });

  it('write(): past the end leaves a hole of zeros; ftruncate() up reads zeros, down drops bytes for good', () => {
    const s = sim();
    const r = s.root({ f: 'abc' });
    const h = open(s, r, 'f', R | W);
    expect(s.os.seek(h, 6n, Whence.set)).toBe(6n);
    expect(s.os.write(h, [enc.encode('!')])).toBe(1);
    expect([...new Uint8Array(enc.encode(readAll(s, h)))]).toEqual([97, 98, 99, 0, 0, 0, 33]);
    expectErrno(s.os.ftruncate(h, 1n), Errno.success);
    expectErrno(s.os.ftruncate(h, 1_000_000n), Errno.success);
    const b = new Uint8Array(8);
    expect(s.os.pread(h, [b], 0n)).toBe(8);
    expect([...b]).toEqual([97, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.os.pread(h, [b], 999_998n)).toBe(2);
    expect(stat(s, r, 'f').size).toBe(1_000_000n);
  });

  it('openAt(): APPEND writes at the end whatever the offset; setAppend() turns it off and on', () => {
    const s = sim();
    const r = s.root({ f: 'start' });
    const h = open(s, r, 'f', R | W | APPEND);
    expect(s.os.seek(h, 0n, Whence.set)).toBe(0n);
    expect(s.os.write(h, [enc.encode('+1')])).toBe(2);
    expect(s.os.seek(h, 0n, Whence.cur)).toBe(7n);
    expectErrno(s.os.setAppend!(h, false), Errno.success);
    expect(s.os.seek(h, 0n, Whence.set)).toBe(0n);
    expect(s.os.write(h, [enc.encode('S')])).toBe(1);
    expect(readAll(s, h)).toBe('Start+1');
  });

  it('unlinkAt(): a file open elsewhere keeps its bytes until its last handle closes', () => {
    const s = sim({ maxBytes: 100 });
    const r = s.root({ f: 'x'.repeat(60) });
    const h = open(s, r, 'f', R);
    expectErrno(s.os.unlinkAt(r, 'f'), Errno.success);
    expect(s.usedBytes).toBe(60);
    expect(readAll(s, h)).toBe('x'.repeat(60));
    expect((s.os.fstat(h) as FileStat).nlink).toBe(0n);
    s.os.close(h);
    expect(s.usedBytes).toBe(0);
  });

  it('write(): beyond maxBytes is short, then nospc; beyond maxFileSize is fbig', () => {
    const s = sim({ maxBytes: 10, maxFileSize: 8 });
    const r = s.root();
    const a = open(s, r, 'a', W | CREAT);
    expect(s.os.write(a, [enc.encode('123456')])).toBe(6);
    const b = open(s, r, 'b', W | CREAT);
    expect(s.os.write(b, [enc.encode('abcdef')])).toBe(4);
    expect(s.os.write(b, [enc.encode('z')])).toBe(-Errno.nospc);
    expectErrno(s.os.ftruncate(a, 9n), Errno.fbig);
    expect(s.os.pwrite(a, [enc.encode('x')], 8n)).toBe(-Errno.fbig);
    expectErrno(s.os.unlinkAt(r, 'a'), Errno.success);
    // Still open: its bytes still count.
    expect(s.os.write(b, [enc.encode('z')])).toBe(-Errno.nospc);
    s.os.close(a);
    expect(s.os.write(b, [enc.encode('z')])).toBe(1);
  });
});

describe('path resolution: the sandbox (same rules and errors as the Node backend)', () => {
  const tree = {
    'a/b/deep': 'deep', file: 'inside', etc: { symlink: '/etc' }, out: { symlink: '../outside' },
    dot: { symlink: '.' }, esc: { symlink: 'dot/..' }, mid: { symlink: 'a/b' }, 'a/up1': { symlink: '..' },
    'a/up2': { symlink: '../..' }, la: { symlink: 'lb' }, lb: { symlink: 'la' }, lfile: { symlink: 'file' },
  };
  const cases: [string, Errno | string][] = [
    ['..', Errno.notcapable], ['../secret', Errno.notcapable], ['/etc/passwd', Errno.notcapable],
    ['//x', Errno.notcapable], ['a/../../secret', Errno.notcapable], ['etc', Errno.notcapable],
    ['etc/passwd', Errno.notcapable], ['out/sentinel', Errno.notcapable], ['esc', Errno.notcapable],
    ['esc/secret', Errno.notcapable], ['dot/../secret', Errno.notcapable], ['a/up2/secret', Errno.notcapable],
    ['mid/../up1/../secret', Errno.notcapable], ['la', Errno.loop], ['la/x', Errno.loop],
    ['file\0/../../secret', Errno.inval], ['', Errno.noent], ['file/', Errno.notdir], ['file/.', Errno.notdir],
    ['lfile/', Errno.notdir], ['nope', Errno.noent], ['n'.repeat(256), Errno.nametoolong],
    ['dot/file', 'inside'], ['mid/deep', 'deep'], ['a/up1/file', 'inside'], ['a/up1/a/up1/mid/deep', 'deep'],
    ['./a/./b/../../file', 'inside'], ['lfile', 'inside'],
  ];
  for (const [p, want] of cases) {
    it(`openAt(): ${JSON.stringify(p)} → ${typeof want === 'string' ? JSON.stringify(want) : errnoName(want)}`, () => {
      const s = sim();
      // The sandbox root is box/; outside/ and secret sit beside it, as in the Node tests.
      const top = s.root({ 'box/': null, 'outside/sentinel': 'do not touch', secret: 'top secret' });
      const root = open(s, top, 'box', R | DIRECTORY);
      s.populate(root, tree);
      const h = s.os.openAt(root, p, true, R);
      if (typeof want === 'string') {
        expect(typeof h).toBe('object');
        expect(readAll(s, h as MemHandle)).toBe(want);
      } else {
        expectErrno(h, want);
      }
      expect(s.snapshot(top)).toMatchObject({ 'outside/sentinel': 'do not touch', secret: 'top secret' });
    });
  }

  it(`openAt(): follows ${MAX_SYMLINKS} chained symlinks, refuses ${MAX_SYMLINKS + 1} with loop`, () => {
    const s = sim();
    const chain = (prefix: string, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, { symlink: i === n - 1 ? 'file' : `${prefix}${i + 1}` }]));
    const r = s.root({ file: 'x', ...chain('t', MAX_SYMLINKS), ...chain('u', MAX_SYMLINKS + 1) });
    expect(readAll(s, open(s, r, 't0', R))).toBe('x');
    expectErrno(s.os.openAt(r, 'u0', true, R), Errno.loop);
  });

  it('openAt(): a symlink without follow is loop, or notdir with DIRECTORY; CREAT|EXCL on it is exist', () => {
    const s = sim();
    const r = s.root({ 'd/': null, ld: { symlink: 'd' }, dangling: { symlink: 'made' } });
    expectErrno(s.os.openAt(r, 'ld', false, R), Errno.loop);
    expectErrno(s.os.openAt(r, 'ld', false, R | DIRECTORY), Errno.notdir);
    expect(open(s, r, 'ld/', R, false).type).toBe(FileType.directory);
    expectErrno(s.os.openAt(r, 'dangling', true, W | CREAT | EXCL), Errno.exist);
    open(s, r, 'dangling', W | CREAT);
    expect(stat(s, r, 'made').type).toBe(FileType.regularFile);
  });

  it('symlinkAt(): stores relative targets (even escaping ones), refuses absolute ones', () => {
    const s = sim();
    const r = s.root();
    expectErrno(s.os.symlinkAt('../../etc', r, 'up'), Errno.success);
    expect(s.os.readlinkAt(r, 'up')).toBe('../../etc');
    expectErrno(s.os.openAt(r, 'up', true, R), Errno.notcapable);
    expectErrno(s.os.symlinkAt('/etc', r, 'abs'), Errno.notcapable);
    expectErrno(s.os.symlinkAt('x\0', r, 'nul'), Errno.inval);
    expectErrno(s.os.symlinkAt('', r, 'empty'), Errno.noent);
    expect(stat(s, r, 'up', false)).toMatchObject({ type: FileType.symbolicLink, size: 9n });
  });
});

describe('directories', () => {
  it('readdir(): lists . and .. first, then entries in creation order, with types and inodes', () => {
    const s = sim();
    const r = s.root({ f: '', 'd/': null, l: { symlink: 'f' } });
    const e = list(s, r);
    expect(e.map((x) => x.name)).toEqual(['.', '..', 'f', 'd', 'l']);
    expect(e.map((x) => x.type)).toEqual([3, 3, FileType.regularFile, FileType.directory, FileType.symbolicLink]);
    expect(e[0]!.ino).toBe(e[1]!.ino);
    expect(e[2]!.ino).toBe(stat(s, r, 'f').ino);
    expectErrno(s.os.readdir(open(s, r, 'f', R), 0n), Errno.notdir);
    expectErrno(s.os.readdir(r, -1n), Errno.inval);
  });

  it('readdir(): cookies stay valid while the directory changes (removals shift nothing, additions come last)', () => {
    const s = sim();
    const r = s.root(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, ''])));
    const first = list(s, r).slice(2, 6);
    const resume = first[3]!.next; // after f3
    for (const n of ['f0', 'f1', 'f2', 'f3', 'f5']) s.os.unlinkAt(r, n);
    s.os.mkdirAt(r, 'new');
    const names: string[] = [];
    for (let c = resume; ;) {
      const e = s.os.readdir(r, c);
      if (e === null || typeof e === 'number') break;
      names.push(e.name);
      c = e.next;
    }
    expect(names).toEqual(['f4', 'f6', 'f7', 'f8', 'f9', 'new']);
    // Asking for the same cookie again returns the same entry.
    const again = s.os.readdir(r, resume) as DirEntry;
    expect(s.os.readdir(r, resume)).toBe(again);
  });

  it('readdir(): reads 20,000 entries in order in linear time', () => {
    const s = sim();
    const r = s.root();
    for (let i = 0; i < 20_000; i++) s.os.close(open(s, r, `e${i}`, W | CREAT));
    const t0 = performance.now();
    expect(list(s, r).length).toBe(20_002);
    // Quadratic (a rewind per entry) would be 2e8 steps: seconds. Linear is a few ms.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('renameAt(): moves directories with their link counts; refuses a move into its own subtree', () => {
    const s = sim();
    const r = s.root({ 'a/b/c/': null, 'x/': null, 'full/f': '' });
    expectErrno(s.os.renameAt(r, 'a', r, 'a/b/c/a'), Errno.inval);
    expectErrno(s.os.renameAt(r, 'a/b', r, 'a'), Errno.notempty);
    expectErrno(s.os.renameAt(r, 'x', r, 'full'), Errno.notempty);
    expectErrno(s.os.renameAt(r, 'a/b', r, 'x/b'), Errno.success);
    expect(stat(s, r, 'a').nlink).toBe(2n);
    expect(stat(s, r, 'x').nlink).toBe(3n);
    expectErrno(s.os.renameAt(r, 'x/b/c', r, 'a'), Errno.success);
    expect(s.snapshot(r)).toEqual({ 'a/': null, 'full/f': '', 'x/b/': null });
  });

  it('rmdirAt(): a removed directory still open lists nothing and accepts nothing', () => {
    const s = sim();
    const r = s.root({ 'd/': null });
    const d = open(s, r, 'd', R | DIRECTORY);
    expectErrno(s.os.rmdirAt(r, 'd'), Errno.success);
    expect(list(s, d).map((e) => e.name)).toEqual(['.', '..']);
    expectErrno(s.os.openAt(d, 'x', true, W | CREAT), Errno.noent);
    expectErrno(s.os.mkdirAt(d, 'x'), Errno.noent);
    expect((s.os.fstat(d) as FileStat).nlink).toBe(0n);
  });
});

describe('the virtual clock and timestamps', () => {
  it('memoryPlatform(): starts at epochNs, moves only by ticks, sleep() and advance()', () => {
    const p = memoryPlatform({ epochNs: 5_000n, tickNs: 10n, seed: 1 });
    expect(p.realtimeNs()).toBe(5_000n);
    expect(p.realtimeNs()).toBe(5_010n);
    expect(p.monotonicNs()).toBe(20n);
    p.sleep(1_000n);
    expect(p.nowNs()).toBe(6_030n);
    p.advance(70n);
    expect(p.elapsedNs).toBe(1_100n);
    expect(() => p.advance(-1n)).toThrow(RangeError);
    const frozen = memoryPlatform({ epochNs: 0n, tickNs: 0n });
    expect(frozen.realtimeNs()).toBe(frozen.realtimeNs());
  });

  it('file times come from the virtual clock, and later changes get later times', () => {
    const s = sim();
    const r = s.root();
    const h = open(s, r, 'f', W | CREAT);
    const created = stat(s, r, 'f');
    expect(created.mtimNs).toBeGreaterThanOrEqual(EPOCH);
    expect(created.mtimNs).toBeLessThan(EPOCH + 1_000_000n);
    s.os.write(h, [enc.encode('x')]);
    const written = stat(s, r, 'f');
    expect(written.mtimNs).toBeGreaterThan(created.mtimNs);
    expect(written.ctimNs).toBeGreaterThan(created.ctimNs);
    expect(stat(s, r, '.').mtimNs).toBeLessThan(written.mtimNs);
  });

  it('utimesAt() / futimes(): keep nanoseconds exactly (no microsecond truncation)', () => {
    const s = sim();
    const r = s.root({ f: '', lf: { symlink: 'f' } });
    const a = 1_700_000_000_123_456_789n;
    const m = 1_600_000_000_987_654_321n;
    expectErrno(s.os.utimesAt(r, 'f', true, a, m, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
    expect(stat(s, r, 'f')).toMatchObject({ atimNs: a, mtimNs: m });
    expectErrno(s.os.utimesAt(r, 'lf', false, 1n, 2n, TimeFlags.ATIM | TimeFlags.MTIM), Errno.success);
    expect(stat(s, r, 'lf', false)).toMatchObject({ atimNs: 1n, mtimNs: 2n });
    expect(stat(s, r, 'f').mtimNs).toBe(m);
    const h = open(s, r, 'f', R);
    const before = s.platform.nowNs();
    expectErrno(s.os.futimes(h, 0n, 0n, TimeFlags.ATIM_NOW), Errno.success);
    expect(stat(s, r, 'f').atimNs).toBeGreaterThanOrEqual(before);
    expect(stat(s, r, 'f').mtimNs).toBe(m);
    expectErrno(s.os.futimes(h, 0n, 0n, TimeFlags.MTIM | TimeFlags.MTIM_NOW), Errno.inval);
  });

  it('read(): moves the access time as relatime does (only when not newer than mtime)', () => {
    const s = sim();
    const r = s.root({ f: 'abc' });
    const h = open(s, r, 'f', R);
    const t0 = stat(s, r, 'f');
    s.os.read(h, [new Uint8Array(1)]);
    const t1 = stat(s, r, 'f');
    expect(t1.atimNs).toBeGreaterThan(t0.atimNs);
    s.os.read(h, [new Uint8Array(1)]);
    expect(stat(s, r, 'f').atimNs).toBe(t1.atimNs);
  });
});

describe('seeded randomness', () => {
  it('Xoshiro128: matches the reference xoshiro128** outputs from state {1, 2, 3, 4}', () => {
    // Worked by hand from Blackman & Vigna's xoshiro128starstar.c.
    const x = Xoshiro128.fromState(1, 2, 3, 4);
    expect([x.next(), x.next(), x.next()]).toEqual([11520, 0, 5927040]);
  });

  it('memoryPlatform(): the same seed gives the same bytes; another seed others', () => {
    const bytes = (seed: number, n: number) => {
      const b = new Uint8Array(n);
      memoryPlatform({ seed }).random(b);
      return [...b];
    };
    expect(bytes(7, 37)).toEqual(bytes(7, 37));
    expect(bytes(7, 37)).not.toEqual(bytes(8, 37));
    // A prefix of a longer draw is the shorter draw.
    expect(bytes(7, 64).slice(0, 37)).toEqual(bytes(7, 37));
    expect(new Set(bytes(7, 4096)).size).toBeGreaterThan(250);
  });

  it('memoryPlatform(): without a seed, uses crypto.getRandomValues (not reproducible)', () => {
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    memoryPlatform().random(a);
    memoryPlatform().random(b);
    expect([...a]).not.toEqual([...b]);
  });
});

describe('fault injection', () => {
  it('faults.fail(): makes the next N operations of a kind fail, then they work again', () => {
    const s = sim();
    const r = s.root({ f: 'abc' });
    s.faults.fail('openAt', Errno.mfile);
    expectErrno(s.os.openAt(r, 'f', true, R), Errno.mfile);
    const h = open(s, r, 'f', R | W);
    s.faults.fail('write', Errno.nospc, 2);
    expect(s.os.write(h, [enc.encode('x')])).toBe(-Errno.nospc);
    expect(s.os.pwrite(h, [enc.encode('y')], 0n)).toBe(1);
    expect(s.os.write(h, [enc.encode('x')])).toBe(-Errno.nospc);
    expect(s.os.write(h, [enc.encode('x')])).toBe(1);
    s.faults.fail(['read', 'pread'], Errno.io);
    expect(s.os.pread(h, [new Uint8Array(1)], 0n)).toBe(-Errno.io);
    expect(s.os.read(h, [new Uint8Array(1)])).toBe(1);
    s.faults.fail('*', Errno.intr);
    expectErrno(s.os.statAt(r, 'f', true), Errno.intr);
    expect(s.faults.pending).toBe(0);
    expect(s.faults.injected).toBe(5);
    // y at 0 by pwrite, then x over it at the handle's offset 0.
    expect(readAll(s, h)).toBe('xbc');
  });

  it('faults.short(): makes reads and writes transfer fewer bytes', () => {
    const s = sim();
    const r = s.root({ f: 'abcdef' });
    const h = open(s, r, 'f', R | W);
    s.faults.short('read', 2, 2);
    const b = new Uint8Array(6);
    expect(s.os.read(h, [b])).toBe(2);
    expect(s.os.read(h, [b.subarray(2)])).toBe(2);
    expect(s.os.read(h, [b.subarray(4)])).toBe(2);
    expect(dec.decode(b)).toBe('abcdef');
    s.faults.short('write', 1);
    expect(s.os.pwrite(h, [enc.encode('XY')], 0n)).toBe(2);
    expect(s.os.write(h, [enc.encode('!!')])).toBe(1);
    expect(readAll(s, h)).toBe('XYcdef!');
  });

  it('faults.fail("close"): the handle is closed all the same, as close(2) does', () => {
    const s = sim();
    const r = s.root({ f: '' });
    const h = open(s, r, 'f', R);
    s.faults.fail('close', Errno.io);
    expectErrno(s.os.close(h), Errno.io);
    expect(h.open).toBe(false);
    expectErrno(s.os.close(h), Errno.badf);
  });

  it('faults.clear(): drops pending rules; bad arguments throw', () => {
    const s = sim();
    const r = s.root({ f: '' });
    s.faults.fail('statAt', Errno.io, 100);
    s.faults.clear();
    expect(typeof s.os.statAt(r, 'f', true)).toBe('object');
    expect(() => s.faults.fail('read', Errno.success)).toThrow(RangeError);
    expect(() => s.faults.fail('read', Errno.io, 0)).toThrow(RangeError);
    expect(() => s.faults.short('read', -1)).toThrow(RangeError);
  });
});

describe('pipes', () => {
  it('pipe(): carries bytes, then end of file once the writer closes', () => {
    const s = sim();
    const [r, w] = s.pipe();
    expect(r.type).toBe(FileType.unknown);
    expect(s.os.read(r, [new Uint8Array(4)])).toBe(-Errno.again);
    expect(s.os.write(w, [enc.encode('hello')])).toBe(5);
    const b = new Uint8Array(8);
    expect(s.os.read(r, [b])).toBe(5);
    expect(dec.decode(b.subarray(0, 5))).toBe('hello');
    s.os.close(w);
    expect(s.os.read(r, [b])).toBe(0);
    expect(s.os.poll!([r], [false], 0n)).toEqual([2]);
  });

  it('pipe(): is bounded; small writes are all or nothing (PIPE_BUF), big ones partial', () => {
    const s = sim({ pipeCapacity: 10_000 });
    const [r, w] = s.pipe();
    expect(s.os.write(w, [new Uint8Array(7_000)])).toBe(7_000);
    expect(s.os.write(w, [new Uint8Array(PIPE_BUF)])).toBe(-Errno.again);
    expect(s.os.write(w, [new Uint8Array(5_000)])).toBe(3_000);
    expect(s.os.poll!([w], [true], 0n)).toEqual([0]);
    expect(s.os.write(w, [new Uint8Array(1)])).toBe(-Errno.again);
    expect(s.os.read(r, [new Uint8Array(4_000)])).toBe(4_000);
    expect(s.os.poll!([w, r], [true, false], 0n)).toEqual([1, 1]);
    // The ring wraps around without losing order.
    const pattern = Uint8Array.from({ length: 3_000 }, (_, i) => i & 0xff);
    expect(s.os.write(w, [pattern])).toBe(3_000);
    const out = new Uint8Array(9_000);
    expect(s.os.read(r, [out])).toBe(9_000);
    expect([...out.subarray(6_000)]).toEqual([...pattern]);
  });

  it('pipe(): a write with no reader is pipe; seek/pread are spipe', () => {
    const s = sim();
    const [r, w] = s.pipe();
    expect(s.os.pwrite(w, [enc.encode('x')], 0n)).toBe(-Errno.spipe);
    expectErrno(s.os.seek(r, 0n, Whence.cur), Errno.spipe);
    expectErrno(s.os.fsync(w), Errno.inval);
    s.os.close(r);
    expect(s.os.write(w, [enc.encode('x')])).toBe(-Errno.pipe);
    expect(s.os.poll!([w], [true], 0n)).toEqual([2]);
  });

  it('poll(): with nothing ready, a timeout advances the virtual clock; no timeout is deadlk, not a hang', () => {
    const s = sim();
    const [r] = s.pipe();
    const before = s.platform.nowNs();
    expect(s.os.poll!([r], [false], 5_000_000_000n)).toEqual([0]);
    expect(s.platform.nowNs() - before).toBe(5_000_000_000n);
    expectErrno(s.os.poll!([r], [false], -1n), Errno.deadlk);
  });
});

describe('loopback TCP', () => {
  it('listen() / connect() / accept(): connections queue until accepted, in order', () => {
    const s = sim();
    const l = s.listen('127.0.0.1', 0);
    const port = s.boundPort(l);
    expect(port).toBeGreaterThanOrEqual(49152);
    expectErrno(s.os.accept!(l, true), Errno.again);
    const c1 = s.connect('localhost', port) as MemHandle;
    const c2 = s.connect('::1', port) as MemHandle;
    expect(s.os.write(c1, [enc.encode('one')])).toBe(3);
    expect(s.os.poll!([l], [false], 0n)).toEqual([1]);
    const a1 = s.os.accept!(l, false) as MemHandle;
    const a2 = s.os.accept!(l, false) as MemHandle;
    expect(a1.type).toBe(FileType.socketStream);
    const b = new Uint8Array(8);
    expect(s.os.read(a1, [b])).toBe(3);
    expect(s.os.read(a2, [b])).toBe(-Errno.again);
    expect(s.boundPort(a1)).toBe(port);
    expect(s.boundPort(c2)).not.toBe(port);
    expectErrno(s.os.accept!(a1, true), Errno.inval);
  });

  it('listen(): throws for a taken port or a host that is not loopback; connect() reports refusals', () => {
    const s = sim({ backlog: 1 });
    const l = s.listen('0.0.0.0', 8080);
    expect(() => s.listen('127.0.0.1', 8080)).toThrow(ListenError);
    expect(() => s.listen('10.0.0.1', 1)).toThrow(/loopback/);
    expectErrno(s.connect('127.0.0.1', 8081), Errno.connrefused);
    expectErrno(s.connect('example.com', 8080), Errno.netunreach);
    expect(typeof s.connect('127.0.0.1', 8080)).toBe('object');
    expectErrno(s.connect('127.0.0.1', 8080), Errno.connrefused);
    s.faults.fail('connect', Errno.timedout);
    s.os.accept!(l, true);
    expectErrno(s.connect('127.0.0.1', 8080), Errno.timedout);
  });

  it('recv(): peeks without consuming; shutdown(WR) gives the peer end of file after the data', () => {
    const s = sim();
    const l = s.listen('127.0.0.1', 0);
    const c = s.connect('127.0.0.1', s.boundPort(l)) as MemHandle;
    const a = s.os.accept!(l, true) as MemHandle;
    s.os.write(c, [enc.encode('data')]);
    const b = new Uint8Array(16);
    expect(s.os.recv!(a, b, 1)).toBe(4);
    expect(s.os.recv!(a, b, 2)).toBe(4);
    expect(dec.decode(b.subarray(0, 4))).toBe('data');
    expectErrno(s.os.shutdown!(c, 2), Errno.success);
    expect(s.os.write(c, [enc.encode('x')])).toBe(-Errno.pipe);
    expect(s.os.read(a, [b])).toBe(0);
    expect(s.os.poll!([a, c], [false, false], 0n)).toEqual([1, 0]);
    expectErrno(s.os.shutdown!(a, 3), Errno.success);
    expect(s.os.poll!([a], [false], 0n)).toEqual([2]);
    expect(s.os.recv!(l, b, 0)).toBe(-Errno.notconn);
  });

  it('close(): the peer reads end of file and its writes fail; closing a listener resets what it never accepted', () => {
    const s = sim();
    const l = s.listen('127.0.0.1', 0);
    const port = s.boundPort(l);
    const c = s.connect('127.0.0.1', port) as MemHandle;
    const a = s.os.accept!(l, true) as MemHandle;
    const pending = s.connect('127.0.0.1', port) as MemHandle;
    s.os.write(a, [enc.encode('bye')]);
    s.os.close(a);
    const b = new Uint8Array(8);
    expect(s.os.read(c, [b])).toBe(3);
    expect(s.os.read(c, [b])).toBe(0);
    expect(s.os.write(c, [enc.encode('x')])).toBe(-Errno.pipe);
    s.os.close(l);
    expect(s.os.read(pending, [b])).toBe(-Errno.connreset);
    expect(s.os.poll!([pending], [false], 0n)).toEqual([2]);
    expectErrno(s.connect('127.0.0.1', port), Errno.connrefused);
    // The port is free again.
    expect(s.boundPort(s.listen('127.0.0.1', port))).toBe(port);
  });
});

describe('devices and trees', () => {
  it('device(): calls the embedder for reads and writes', () => {
    const s = sim();
    const got: string[] = [];
    const out = s.device({ write: (bytes) => (got.push(dec.decode(bytes)), bytes.length) });
    const input = enc.encode('typed');
    let at = 0;
    const inp = s.device({ read: (buf) => {
      const n = Math.min(buf.length, input.length - at);
      buf.set(input.subarray(at, at + n));
      at += n;
      return n;
    } });
    expect(out.type).toBe(FileType.characterDevice);
    expect(s.os.write(out, [enc.encode('a'), enc.encode('b')])).toBe(2);
    expect(got).toEqual(['a', 'b']);
    expect(s.os.read(out, [new Uint8Array(1)])).toBe(-Errno.badf);
    const b = new Uint8Array(3);
    expect(s.os.read(inp, [b, new Uint8Array(10)])).toBe(5);
    expect(s.os.read(inp, [b])).toBe(0);
    expect(s.os.poll!([inp, out], [false, true], 0n)).toEqual([1, 1]);
  });

  it('snapshot(): reads back what root(tree) built: text, bytes, symlinks, empty directories', () => {
    const s = sim();
    const bin = new Uint8Array([0xff, 0xfe, 0]);
    const tree = { 'a/b.txt': 'text', 'a/c.bin': bin, 'e/': null, 'e2/sub/': null, link: { symlink: '/etc' }, 'n/x': '' };
    const r = s.root(tree);
    expect(s.snapshot(r)).toEqual({ 'a/b.txt': 'text', 'a/c.bin': bin, 'e/': null, 'e2/sub/': null, link: { symlink: '/etc' }, 'n/x': '' });
    expect(s.snapshot(r, { allDirs: true })).toMatchObject({ 'a/': null, 'e2/': null, 'n/': null });
    expect(s.snapshot(r, { binary: true })['a/b.txt']).toEqual(enc.encode('text'));
    // Snapshots are copies.
    (s.snapshot(r)['a/c.bin'] as Uint8Array)[0] = 1;
    expect((s.snapshot(r)['a/c.bin'] as Uint8Array)[0]).toBe(0xff);
  });

  it('root(): refuses malformed trees', () => {
    const s = sim();
    expect(() => s.root({ '../x': '' })).toThrow(TypeError);
    expect(() => s.root({ '/abs': '' })).toThrow(TypeError);
    expect(() => s.root({ 'a/./b': '' })).toThrow(TypeError);
    expect(() => s.root({ 'f': 'x', 'f/g': 'y' })).toThrow(TypeError);
    expect(() => s.root({ 'd/': 'text' })).toThrow(TypeError);
    expect(() => s.root({ l: { symlink: '' } })).toThrow(TypeError);
    expect(() => s.root({ x: 5 as unknown as string })).toThrow(TypeError);
  });

  it('openAt(): what a guest writes shows up in the snapshot', () => {
    const s = sim();
    const r = s.root({ 'in.txt': 'question' });
    expectErrno(s.os.mkdirAt(r, 'out'), Errno.success);
    const h = open(s, r, 'out/answer.txt', W | CREAT | TRUNC | EXCL);
    s.os.write(h, [enc.encode('42\n')]);
    expectErrno(s.os.symlinkAt('out/answer.txt', r, 'latest'), Errno.success);
    expect(s.snapshot(r)).toEqual({ 'in.txt': 'question', latest: { symlink: 'out/answer.txt' }, 'out/answer.txt': '42\n' });
  });
});
