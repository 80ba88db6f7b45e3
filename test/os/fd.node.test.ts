/**
 * Descriptor operations of the Node backend: position tracking (Node has
 * no lseek), append, positional I/O, truncate, sync, close.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adoptFd, nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { Errno, FileType, OpenFlags, Whence } from '../../host/os/types.js';
import { expectErrno, makeSandbox, type Sandbox } from './sandbox.js';

const { READ: R, WRITE: W, CREAT, APPEND, DIRECTORY } = OpenFlags;

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

function open(rel: string, flags: number): NodeHandle {
  const r = nodeOs.openAt(root, rel, true, flags);
  if (typeof r === 'number') throw new Error(`openAt(${rel}) failed: ${r}`);
  return r;
}

const text = (b: Uint8Array, n: number): string => Buffer.from(b.subarray(0, n)).toString('latin1');

describe('read() / write() / seek()', () => {
  it('read(): reads sequentially, advancing the file offset', () => {
    fs.writeFileSync(p('f'), 'abcdefghij');
    const h = open('f', R);
    const b = new Uint8Array(4);
    expect(nodeOs.read(h, [b])).toBe(4);
    expect(text(b, 4)).toBe('abcd');
    const b1 = new Uint8Array(2);
    const b2 = new Uint8Array(3);
    expect(nodeOs.read(h, [b1, b2])).toBe(5);
    expect(text(b1, 2) + text(b2, 3)).toBe('efghi');
    expect(nodeOs.seek(h, 0n, Whence.cur)).toBe(9n);
    expect(nodeOs.read(h, [b])).toBe(1);
    expect(nodeOs.read(h, [b])).toBe(0);
    nodeOs.close(h);
  });

  it('seek(): moves the position for reads and writes (set, cur, end)', () => {
    fs.writeFileSync(p('f'), '0123456789');
    const h = open('f', R | W);
    expect(nodeOs.seek(h, 3n, Whence.set)).toBe(3n);
    const b = new Uint8Array(2);
    expect(nodeOs.read(h, [b])).toBe(2);
    expect(text(b, 2)).toBe('34');
    expect(nodeOs.seek(h, -1n, Whence.cur)).toBe(4n);
    expect(nodeOs.write(h, [Buffer.from('X')])).toBe(1);
    expect(nodeOs.seek(h, -2n, Whence.end)).toBe(8n);
    expect(nodeOs.write(h, [Buffer.from('YZW')])).toBe(3);
    expect(fs.readFileSync(p('f'), 'latin1')).toBe('0123X567YZW');
    expectErrno(nodeOs.seek(h, -100n, Whence.cur), Errno.inval);
    expectErrno(nodeOs.seek(h, 0n, 7 as Whence), Errno.inval);
    // Seeking past the end then writing leaves a hole.
    expect(nodeOs.seek(h, 20n, Whence.set)).toBe(20n);
    expect(nodeOs.write(h, [Buffer.from('!')])).toBe(1);
    expect(fs.statSync(p('f')).size).toBe(21);
    nodeOs.close(h);
  });

  it('pread() / pwrite(): do not move the position', () => {
    fs.writeFileSync(p('f'), 'abcdef');
    const h = open('f', R | W);
    const b = new Uint8Array(3);
    expect(nodeOs.pread(h, [b], 2n)).toBe(3);
    expect(text(b, 3)).toBe('cde');
    expect(nodeOs.pwrite(h, [Buffer.from('ZZ')], 4n)).toBe(2);
    expect(nodeOs.seek(h, 0n, Whence.cur)).toBe(0n);
    expect(nodeOs.read(h, [b])).toBe(3);
    expect(text(b, 3)).toBe('abc');
    expect(fs.readFileSync(p('f'), 'latin1')).toBe('abcdZZ');
    expect(nodeOs.pread(h, [b], -1n)).toBe(-Errno.inval);
    nodeOs.close(h);
  });

  it('write(): with APPEND always writes at the end and reports the end position', () => {
    fs.writeFileSync(p('f'), 'start');
    const h = open('f', R | W | APPEND);
    expect(nodeOs.write(h, [Buffer.from('+1')])).toBe(2);
    fs.appendFileSync(p('f'), '(other)');
    expect(nodeOs.seek(h, 0n, Whence.set)).toBe(0n);
    expect(nodeOs.write(h, [Buffer.from('+2')])).toBe(2);
    expect(fs.readFileSync(p('f'), 'latin1')).toBe('start+1(other)+2');
    expect(nodeOs.seek(h, 0n, Whence.cur)).toBe(16n);
    nodeOs.close(h);
  });

  it('read() / write(): on a directory fail with isdir, seek with spipe', () => {
    fs.mkdirSync(p('d'));
    const d = open('d', R | DIRECTORY);
    expect(nodeOs.read(d, [new Uint8Array(4)])).toBe(-Errno.isdir);
    expect(nodeOs.pread(d, [new Uint8Array(4)], 0n)).toBe(-Errno.isdir);
    expectErrno(nodeOs.seek(d, 0n, Whence.set), Errno.spipe);
    nodeOs.close(d);
  });

  it('read(): on a write-only handle is badf, write() on a read-only handle is badf', () => {
    fs.writeFileSync(p('f'), 'x');
    const r = open('f', R);
    expect(nodeOs.write(r, [Buffer.from('y')])).toBe(-Errno.badf);
    nodeOs.close(r);
    const w = open('f', W);
    expect(nodeOs.read(w, [new Uint8Array(1)])).toBe(-Errno.badf);
    nodeOs.close(w);
  });

  it('read() / write(): use the kernel stream for a FIFO, where seek and pwrite are spipe', () => {
    // A FIFO inside the sandbox, opened non-blocking for reading first.
    fs.mkdirSync(p('d'));
    const fifo = p('d', 'fifo');
    execFileSync('mkfifo', [fifo]);
    const rd = nodeOs.openAt(root, 'd/fifo', true, R | OpenFlags.NONBLOCK);
    if (typeof rd === 'number') throw new Error(`open fifo ${rd}`);
    const wr = nodeOs.openAt(root, 'd/fifo', true, W);
    if (typeof wr === 'number') throw new Error(`open fifo w ${wr}`);
    expect(rd.type).toBe(FileType.unknown);
    expect(nodeOs.write(wr, [Buffer.from('ping')])).toBe(4);
    const b = new Uint8Array(8);
    expect(nodeOs.read(rd, [b])).toBe(4);
    expect(text(b, 4)).toBe('ping');
    expect(nodeOs.read(rd, [b])).toBe(-Errno.again);
    expectErrno(nodeOs.seek(rd, 0n, Whence.cur), Errno.spipe);
    expect(nodeOs.pwrite(wr, [b], 0n)).toBe(-Errno.spipe);
    nodeOs.close(rd);
    nodeOs.close(wr);
  });
});

describe('read1() / write1(): one buffer, no array', () => {
  const memView = (pages: number): Uint8Array => new Uint8Array(new WebAssembly.Memory({ initial: pages }).buffer);

  it('read into, and write from, exactly the view given, in whichever memory', () => {
    fs.writeFileSync(p('f'), 'abcdefghijklmnop');
    const h = open('f', R);
    const a = memView(2);
    const b = memView(2);
    expect(nodeOs.read1!(h, a.subarray(100, 104))).toBe(4);
    expect(nodeOs.read1!(h, b.subarray(70000, 70004))).toBe(4);
    expect(nodeOs.read1!(h, a.subarray(131068))).toBe(4);
    expect(text(a.subarray(100), 4)).toBe('abcd');
    expect(text(b.subarray(70000), 4)).toBe('efgh');
    expect(text(a.subarray(131068), 4)).toBe('ijkl');
    // Nothing else of either memory was touched.
    expect(a.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0)).toBe(8);
    expect(b.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0)).toBe(4);

    const w = open('g', W | CREAT);
    a.set(Buffer.from('XYZ'), 9);
    b.set(Buffer.from('uvw'), 131069);
    expect(nodeOs.write1!(w, a.subarray(9, 12))).toBe(3);
    expect(nodeOs.write1!(w, b.subarray(131069))).toBe(3);
    expect(nodeOs.write1!(w, a.subarray(10, 12))).toBe(2);
    expect(fs.readFileSync(p('g'), 'latin1')).toBe('XYZuvwYZ');
    nodeOs.close(h);
    nodeOs.close(w);
  });

  it('errors are the general path\'s: badf on a write-only handle, isdir on a directory, badf once closed', () => {
    fs.writeFileSync(p('f'), 'x');
    const u8 = memView(1);
    const w = open('f', W);
    expect(nodeOs.read1!(w, u8.subarray(0, 1))).toBe(-Errno.badf);
    const d = open('.', R | DIRECTORY);
    expect(nodeOs.read1!(d, u8.subarray(0, 1))).toBe(-Errno.isdir);
    nodeOs.close(w);
    expect(nodeOs.write1!(w, u8.subarray(0, 1))).toBe(-Errno.badf);
    nodeOs.close(d);
  });
});

describe('fstat() / ftruncate() / fsync() / close()', () => {
  it('ftruncate(): sets the size without moving the position', () => {
    fs.writeFileSync(p('f'), '0123456789');
    const h = open('f', R | W);
    expect(nodeOs.seek(h, 8n, Whence.set)).toBe(8n);
    expectErrno(nodeOs.ftruncate(h, 4n), Errno.success);
    const s = nodeOs.fstat(h);
    expect(typeof s === 'number' ? s : s.size).toBe(4n);
    expect(nodeOs.seek(h, 0n, Whence.cur)).toBe(8n);
    expectErrno(nodeOs.ftruncate(h, -1n), Errno.inval);
    expectErrno(nodeOs.fsync(h), Errno.success);
    expectErrno(nodeOs.fdatasync(h), Errno.success);
    nodeOs.close(h);
  });

  it('fstat(): reports type, size and nanosecond times of the handle', () => {
    fs.writeFileSync(p('f'), 'abc');
    const h = open('f', R);
    const s = nodeOs.fstat(h);
    if (typeof s === 'number') throw new Error('fstat');
    const host = fs.statSync(p('f'), { bigint: true });
    expect(s.type).toBe(FileType.regularFile);
    expect(s.size).toBe(3n);
    expect(s.ino).toBe(host.ino);
    expect(s.dev).toBe(host.dev);
    expect(s.mtimNs).toBe(host.mtimeNs);
    nodeOs.close(h);
  });

  it('close(): makes every later call on the handle badf, a second close too', () => {
    fs.writeFileSync(p('f'), 'abc');
    const h = open('f', R);
    expectErrno(nodeOs.close(h), Errno.success);
    expect(h.open).toBe(false);
    expectErrno(nodeOs.close(h), Errno.badf);
    expect(nodeOs.read(h, [new Uint8Array(1)])).toBe(-Errno.badf);
    expect(nodeOs.write(h, [new Uint8Array(1)])).toBe(-Errno.badf);
    expectErrno(nodeOs.fstat(h), Errno.badf);
    expectErrno(nodeOs.seek(h, 0n, Whence.set), Errno.badf);
    expectErrno(nodeOs.statAt(h, 'x', true), Errno.badf);
    expectErrno(nodeOs.openAt(h, 'x', true, R), Errno.badf);
  });

  it('adoptFd(): wraps a host descriptor, learning its type and O_APPEND', () => {
    const fd = fs.openSync(p('log'), 'a');
    const h = adoptFd(fd);
    expect(h.type).toBe(FileType.regularFile);
    expect(h.append).toBe(true);
    expect(nodeOs.write(h, [Buffer.from('line')])).toBe(4);
    nodeOs.close(h);
    expect(fs.readFileSync(p('log'), 'utf8')).toBe('line');
  });

  it('write() / read() / seek(): share the kernel offset with another descriptor user of the description', () => {
    const fd = fs.openSync(p('shared'), 'w+');
    const h = adoptFd(fd);
    fs.writeSync(fd, 'abc'); // another user of the same description (as a shell or a forked process would be)
    expect(nodeOs.write(h, [Buffer.from('XYZ')])).toBe(3);
    fs.writeSync(fd, '!');
    expect(nodeOs.seek(h, 0n, Whence.cur)).toBe(7n);
    expect(fs.readFileSync(p('shared'), 'utf8')).toBe('abcXYZ!');
    expect(nodeOs.seek(h, 1n, Whence.set)).toBe(1n);
    const b = new Uint8Array(2);
    expect(fs.readSync(fd, b, 0, 2, null)).toBe(2); // the other user reads from the offset seek set
    expect(text(b, 2)).toBe('bc');
    nodeOs.close(h);
  });

  it("adoptFd(): starts at the descriptor's current kernel offset", () => {
    fs.writeFileSync(p('f'), 'abcdef');
    const fd = fs.openSync(p('f'), 'r');
    fs.readSync(fd, Buffer.alloc(2), 0, 2, null); // kernel offset now 2
    const h = adoptFd(fd);
    expect(h.append).toBe(false);
    const b = new Uint8Array(3);
    expect(nodeOs.read(h, [b])).toBe(3);
    expect(Buffer.from(b).toString()).toBe('cde');
    nodeOs.close(h);
  });
});
