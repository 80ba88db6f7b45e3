/**
 * Every refusal of the embedding API, and that nothing was closed or lost by
 * it: the count of /proc/self/fd is unchanged, the host's resource still
 * works, the guest's fd still works.
 *
 * - take() of a lent fd (not-owner), of an fd with a live borrow (lent), of
 *   a closed, stale or never-issued fd;
 * - widening rights: the guest's fd_fdstat_set_rights only narrows (given
 *   and lent fds alike);
 * - give() of what cannot be handed over without losing something (bytes
 *   Node has buffered, unflushed writes), of what is no resource, with
 *   options that do not fit, into a full or disposed table.
 * (The guest's close of a lent fd and a lease ended during a call are in
 * lend.node.test.ts.)
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IolifeError } from '../../host/core/index.js';
import { WASI } from '../../host/wasi/node.js';
import { guest, isOpen, openFds, tcpPair, tick } from './helpers.js';

let dir: string;
let out: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-refusals-'));
  out = fs.openSync(path.join(dir, 'stdout'), 'w+');
});

afterEach(() => {
  fs.closeSync(out);
  fs.rmSync(dir, { recursive: true, force: true });
});

function runOps(wasi: WASI): { code: number; stdout: string } {
  const code = wasi.start(new WebAssembly.Instance(guest('ops'), wasi.getImportObject() as WebAssembly.Imports));
  return { code, stdout: fs.readFileSync(path.join(dir, 'stdout'), 'utf8') };
}

/** The IolifeError code `fn` throws (fails if it throws anything else, or nothing). */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IolifeError) return e.code;
    throw e;
  }
  throw new Error('not refused');
}

function file(name: string, text: string): number {
  fs.writeFileSync(path.join(dir, name), text);
  return fs.openSync(path.join(dir, name), 'r+');
}

describe('take(): refusals', () => {
  it('take() of a lent fd: not-owner; the guest keeps it, the lease still ends, nothing is closed', () => {
    const fd = file('f.txt', 'lent');
    const wasi = new WASI({ args: ['ops.wasm', 'read', '3', '10'], stdout: out, stderr: out });
    const lease = wasi.lend(fd);
    const before = openFds();
    expect(codeOf(() => wasi.take(lease.fd))).toBe('not-owner');
    expect(openFds()).toBe(before);
    expect(lease.active).toBe(true);
    expect(runOps(wasi).stdout).toBe('read 3: "lent"\n');
    expect(isOpen(fd)).toBe(true);
    fs.closeSync(fd);
  });

  it('take() of an fd with a live borrow: lent; once the borrow is released, take() succeeds', () => {
    const fd = file('f.txt', 'borrowed');
    const wasi = new WASI({});
    expect(wasi.give(fd)).toBe(3);
    const before = openFds();
    const b = wasi.table.borrow(4);
    expect(codeOf(() => wasi.take(3))).toBe('lent');
    expect(openFds()).toBe(before);
    // The borrow is not an owner either.
    expect(codeOf(() => wasi.take(b.handle - 1))).toBe('not-owner');
    b.release();
    const back = wasi.take(3) as number;
    expect(fs.readFileSync(back, 'utf8')).toBe('borrowed');
    fs.closeSync(back);
    wasi.dispose();
  });

  it('take() of a closed fd (closed), a stale one (stale-handle), one never issued (unknown-handle), a non-integer: nothing is opened', () => {
    const wasi = new WASI({});
    expect(wasi.give(file('a.txt', 'a'))).toBe(3);
    wasi.table.close(4); // as the guest's fd_close would
    const before = openFds();
    expect(codeOf(() => wasi.take(3))).toBe('closed');
    const again = wasi.give(file('b.txt', 'b')); // the same slot, a new generation
    expect(again).not.toBe(3);
    expect(codeOf(() => wasi.take(3))).toBe('stale-handle');
    expect(codeOf(() => wasi.take(99))).toBe('unknown-handle');
    expect(codeOf(() => wasi.take(1.5))).toBe('unknown-handle');
    expect(openFds()).toBe(before + 1); // b.txt, given
    wasi.dispose();
    expect(openFds()).toBe(before);
  });

  it('take() after the WASI object is disposed: table-closed', () => {
    const wasi = new WASI({});
    wasi.give(file('a.txt', 'a'));
    wasi.dispose();
    expect(codeOf(() => wasi.take(3))).toBe('table-closed');
  });
});

describe('rights: narrowed by the host, only ever narrowed by the guest', () => {
  it('give({ rights }): the guest cannot widen them (fd_fdstat_set_rights: ENOTCAPABLE), can narrow them, and cannot widen back', () => {
    const fd = file('f.txt', 'unchanged');
    const wasi = new WASI({
      args: ['ops.wasm', 'fdstat', '3', 'write', '3', 'x', 'rights', '3', 'read,write,seek,tell', 'rights', '3', 'read,seek',
        'seek', '3', '2', 'read', '3', '100', 'rights', '3', 'read', 'seek', '3', '0', 'rights', '3', 'read,seek', 'fdstat', '3'],
      stdout: out, stderr: out,
    });
    // "accept" is not a right a file can use: dropped.
    expect(wasi.give(fd, { rights: ['read', 'seek', 'tell', 'accept'] })).toBe(3);
    expect(runOps(wasi).stdout).toBe([
      'fdstat 3: filetype=4 rights=read,seek,tell flags=none',
      'write 3: ENOTCAPABLE',
      'rights 3 read,write,seek,tell: ENOTCAPABLE',
      'rights 3 read,seek: OK',
      'seek 3: 2',
      'read 3: "changed"',
      'rights 3 read: OK',
      'seek 3: ENOTCAPABLE',
      'rights 3 read,seek: ENOTCAPABLE',
      'fdstat 3: filetype=4 rights=read flags=none',
      '',
    ].join('\n'));
    expect(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe('unchanged');
  });

  it('lend({ rights }): the same for a lent socket; the host\'s socket keeps every right', async () => {
    const { server, accepted, client } = await tcpPair();
    const wasi = new WASI({
      args: ['ops.wasm', 'fdstat', '3', 'send', '3', 'x', 'rights', '3', 'read,write', 'rights', '3', 'none', 'fdstat', '3'],
      stdout: out, stderr: out,
    });
    using lease = wasi.lend(accepted, { rights: ['read', 'poll'] });
    expect(lease.fd).toBe(3);
    expect(runOps(wasi).stdout).toBe([
      'fdstat 3: filetype=6 rights=read,poll flags=none',
      'send 3: ENOTCAPABLE',
      'rights 3 read,write: ENOTCAPABLE',
      'rights 3 none: OK',
      'fdstat 3: filetype=6 rights=none flags=none',
      '',
    ].join('\n'));
    accepted.write('the host writes');
    let got = '';
    client.setEncoding('utf8');
    client.on('data', (d: string) => (got += d));
    while (got.length < 'the host writes'.length) await tick(5);
    expect(got).toBe('the host writes');
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('give() and lend(): an unknown right name is a TypeError, and nothing is taken', () => {
    const fd = file('f.txt', 'x');
    const wasi = new WASI({});
    const before = openFds();
    // @ts-expect-error: not a right
    expect(() => wasi.give(fd, { rights: ['fly'] })).toThrow(/unknown right "fly"/);
    // @ts-expect-error: not a right
    expect(() => wasi.lend(fd, { rights: ['fly'] })).toThrow(/unknown right "fly"/);
    expect(openFds()).toBe(before);
    expect(fs.readFileSync(fd, 'utf8')).toBe('x');
    wasi.dispose();
    fs.closeSync(fd);
  });
});

describe('give(): refusals leave the resource with the host', () => {
  it('give(net.Socket) with bytes Node has already read: TypeError; the socket and its bytes stay with the host', async () => {
    const { server, accepted, client } = await tcpPair();
    client.write('early bytes');
    accepted.resume();
    accepted.pause();
    while (accepted.readableLength === 0) await tick(5);
    const wasi = new WASI({});
    const before = openFds();
    expect(() => wasi.give(accepted)).toThrow(/already read 11 bytes .* pauseOnConnect: true/);
    expect(() => wasi.lend(accepted)).toThrow(/already read 11 bytes/);
    expect(openFds()).toBe(before);
    expect(accepted.destroyed).toBe(false);
    expect(String(accepted.read())).toBe('early bytes');
    wasi.dispose();
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('give(net.Socket) with writes Node has not flushed: TypeError; nothing is lost', async () => {
    const { server, accepted, client } = await tcpPair();
    client.pause();
    accepted.write(Buffer.alloc(16 << 20, 1)); // more than the kernel's buffers take at once
    expect(accepted.writableLength).toBeGreaterThan(0);
    const wasi = new WASI({});
    expect(() => wasi.give(accepted)).toThrow(/bytes written by the host are not flushed yet/);
    expect(accepted.destroyed).toBe(false);
    wasi.dispose();
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('give() of a destroyed socket, a server not listening, a closed FileHandle, a path that is no directory, a bad fd, anything else: TypeError', async () => {
    const wasi = new WASI({});
    const dead = new net.Socket();
    dead.destroy();
    const fh = await fs.promises.open(path.join(dir, 'stdout'), 'r');
    await fh.close();
    const before = openFds();
    expect(() => wasi.give(dead)).toThrow(TypeError);
    expect(() => wasi.give(net.createServer())).toThrow(/not listening/);
    expect(() => wasi.give(fh)).toThrow(/closed/);
    expect(() => wasi.give(path.join(dir, 'stdout'))).toThrow(/only a directory/);
    expect(() => wasi.give(path.join(dir, 'missing'))).toThrow(TypeError);
    expect(() => wasi.give(12345)).toThrow(/not an open file descriptor/);
    expect(() => wasi.give(-1)).toThrow(/not a file descriptor/);
    // @ts-expect-error: not a resource
    expect(() => wasi.give({})).toThrow(/not a resource iolife can hand to a guest/);
    expect(openFds()).toBe(before);
    wasi.dispose();
  });

  it('give(socket, { name }) (a preopen name for a non-directory): TypeError; the socket stays the host\'s, the dup is closed', async () => {
    const { server, accepted, client } = await tcpPair();
    const wasi = new WASI({});
    const before = openFds();
    expect(() => wasi.give(accepted, { name: '/sock' })).toThrow(/name is for directories/);
    expect(openFds()).toBe(before);
    expect(accepted.destroyed).toBe(false);
    wasi.dispose();
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('give() into a full table (full) or a disposed one (table-closed): the socket stays the host\'s, nothing is left open', async () => {
    const { server, accepted, client } = await tcpPair();
    const wasi = new WASI({ capacity: 4 }); // stdio + one
    expect(wasi.give(file('a.txt', 'a'))).toBe(3);
    const before = openFds();
    expect(codeOf(() => wasi.give(accepted))).toBe('full');
    expect(codeOf(() => wasi.lend(accepted))).toBe('full');
    expect(accepted.destroyed).toBe(false);
    expect(openFds()).toBe(before);
    wasi.dispose();
    expect(codeOf(() => wasi.give(accepted))).toBe('table-closed');
    expect(codeOf(() => wasi.lend(accepted))).toBe('table-closed');
    expect(accepted.destroyed).toBe(false);
    expect(openFds()).toBe(before - 1); // a.txt, closed with the table
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('give(process.stderr) / give(2): a dup; the guest\'s close never closes the process\'s own stderr', () => {
    const wasi = new WASI({ args: ['ops.wasm', 'close', '3', 'close', '4'], stdout: out, stderr: out });
    const before = openFds();
    expect(wasi.give(process.stderr)).toBe(3);
    expect(wasi.give(2)).toBe(4);
    expect(openFds()).toBe(before + 2);
    expect(runOps(wasi).stdout).toBe('close 3: OK\nclose 4: OK\n');
    expect(isOpen(2)).toBe(true);
    expect(openFds()).toBe(before);
  });
});
