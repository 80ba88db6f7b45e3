/**
 * lend(): the guest holds a borrow of a Node resource for the length of a
 * lease. It can use the fd; its close (and renumbering) is refused, since it
 * is not the owner; ending the lease removes the fd from its table and
 * closes iolife's dup only, so the host's resource is untouched; ending the
 * lease while a guest call is using the fd is refused, and the call
 * completes. The guest runs test/guests/embed/ops.c (one line per
 * operation).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IolifeError } from '../../host/core/index.js';
import * as sys from '../../host/os/node/sys.js';
import { WASI, type Lease } from '../../host/wasi/node.js';
import { guest, hookedOs, isOpen, openFds, tcpPair, tick } from './helpers.js';

let dir: string;
let out: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-lend-'));
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

/** Collects what `s` receives until `n` bytes arrived (or it ends); leaves it open and paused. */
function receive(s: net.Socket, n: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const done = (): void => {
      s.off('data', onData);
      s.off('end', done);
      s.pause();
      resolve(got);
    };
    const onData = (chunk: Buffer): void => {
      got += chunk.toString();
      if (got.length >= n) done();
    };
    s.on('data', onData);
    s.on('end', done);
    s.resume();
  });
}

describe('lend()', () => {
  it('lend(net.Socket): the guest receives and sends; its fd_close and fd_renumber are refused (ENOTCAPABLE); afterwards the host\'s socket works and no descriptor is left', async () => {
    const { server, accepted, client } = await tcpPair();
    client.write('hello');
    await tick(20);
    const before = openFds();
    const wasi = new WASI({
      args: ['ops.wasm', 'recv', '3', '100', 'send', '3', 'reply', 'close', '3', 'renumber', '3', '1', 'renumber', '1', '3', 'fdstat', '3', 'send', '3', '!'],
      stdout: out, stderr: out,
    });
    const lease = wasi.lend(accepted, { rights: ['read', 'write'] });
    expect(lease.fd).toBe(3);
    expect(lease.active).toBe(true);
    expect(openFds()).toBe(before + 1); // iolife's dup
    const { code, stdout } = runOps(wasi);
    expect(stdout).toBe([
      'recv 3: "hello"', 'send 3: 5', 'close 3: ENOTCAPABLE', 'renumber 3 1: ENOTCAPABLE', 'renumber 1 3: ENOTCAPABLE',
      'fdstat 3: filetype=6 rights=read,write flags=none', 'send 3: 1', '',
    ].join('\n'));
    expect(code).toBe(0);
    // start() disposed the WASI object: the lease is over, the dup closed, the socket the host's as before.
    expect(lease.active).toBe(false);
    expect(openFds()).toBe(before);
    expect(accepted.destroyed).toBe(false);
    accepted.write(' and the host');
    expect(await receive(client, 'reply! and the host'.length)).toBe('reply! and the host');
    client.write('back to the host');
    expect(await receive(accepted, 'back to the host'.length)).toBe('back to the host');
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('Lease.end(): refused ("lent") while a guest call is using the fd, which completes; between calls it removes the fd and closes the dup', async () => {
    const { server, accepted, client } = await tcpPair();
    client.write('hello');
    await tick(20);
    let lease: Lease | undefined;
    const refusals: string[] = [];
    let fdsAtRefusal = 0;
    let fdsAfterEnd = 0;
    const wasi = new WASI({
      args: ['ops.wasm', 'read', '3', '100', 'write', '1', 'mark', 'fdstat', '3', 'read', '3', '100'],
      stdout: out, stderr: out,
    }, hookedOs((op, _h, bytes) => {
      if (op === 'read' && refusals.length === 0) {
        // Inside fd_read on the lent fd: the lease cannot end under it.
        try {
          lease![Symbol.dispose]();
          refusals.push('not refused');
        } catch (e) {
          refusals.push(e instanceof IolifeError ? e.code : String(e));
        }
        fdsAtRefusal = openFds();
      } else if (op === 'write' && Buffer.from(bytes!).toString() === 'mark') {
        // Inside fd_write on stdout: the lent fd is not in use, so the lease ends.
        lease!.end();
        fdsAfterEnd = openFds();
      }
    }));
    const before = openFds();
    lease = wasi.lend(accepted);
    const { code, stdout } = runOps(wasi);
    expect(refusals).toEqual(['lent']);
    expect(fdsAtRefusal).toBe(before + 1);
    expect(fdsAfterEnd).toBe(before);
    // (wasi-libc's stdout is line-buffered: "mark" goes out between the lines.)
    expect(stdout).toBe('read 3: "hello"\nmarkwrite 1: 4\nfdstat 3: EBADF\nread 3: EBADF\n');
    expect(code).toBe(0);
    expect(lease.active).toBe(false);
    // The host's socket is untouched.
    accepted.write('still here');
    expect(await receive(client, 'still here'.length)).toBe('still here');
    client.destroy();
    accepted.destroy();
    server.close();
  });

  it('Lease.end() before the guest runs: the fd is gone from its table, the host\'s fd is open and usable', () => {
    fs.writeFileSync(path.join(dir, 'file.txt'), 'host file\n');
    const fd = fs.openSync(path.join(dir, 'file.txt'), 'r');
    const before = openFds();
    const wasi = new WASI({ args: ['ops.wasm', 'fdstat', '3', 'read', '3', '10'], stdout: out, stderr: out });
    const lease = wasi.lend(fd);
    lease.end();
    lease.end(); // idempotent
    expect(openFds()).toBe(before);
    expect(runOps(wasi).stdout).toBe('fdstat 3: EBADF\nread 3: EBADF\n');
    expect(fs.readFileSync(fd, 'utf8')).toBe('host file\n');
    fs.closeSync(fd);
  });

  it('lend(): leases end in any order; the guest sees the ones still active', () => {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'aaa');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'bbb');
    const a = fs.openSync(path.join(dir, 'a.txt'), 'r');
    const b = fs.openSync(path.join(dir, 'b.txt'), 'r');
    const before = openFds();
    const wasi = new WASI({ args: ['ops.wasm', 'read', '3', '10', 'read', '4', '10'], stdout: out, stderr: out });
    const la = wasi.lend(a);
    const lb = wasi.lend(b);
    expect([la.fd, lb.fd]).toEqual([3, 4]);
    la.end();
    expect(runOps(wasi).stdout).toBe('read 3: EBADF\nread 4: "bbb"\n');
    lb.end(); // after dispose: a no-op
    expect(openFds()).toBe(before);
    expect(isOpen(a) && isOpen(b)).toBe(true);
    fs.closeSync(a);
    fs.closeSync(b);
  });

  it('lend(child.stdout): a read on a socket Node keeps nonblocking waits for data (the description\'s O_NONBLOCK is left as it is)', () => {
    const child = spawn('sh', ['-c', 'sleep 0.3; printf late'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const hostFd = (child.stdout as unknown as { _handle: { fd: number } })._handle.fd;
    expect(sys.getFlags(hostFd) & sys.O_NONBLOCK).not.toBe(0);
    const wasi = new WASI({ args: ['ops.wasm', 'fdstat', '3', 'read', '3', '100'], stdout: out, stderr: out });
    using lease = wasi.lend(child.stdout);
    expect(lease.fd).toBe(3);
    const started = performance.now();
    const { stdout } = runOps(wasi);
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(stdout).toBe('fdstat 3: filetype=6 rights=read,write,stat,shutdown,poll flags=none\nread 3: "late"\n');
    expect(sys.getFlags(hostFd) & sys.O_NONBLOCK).not.toBe(0);
    child.kill();
  });

  it('give(child.stdout): the description is the guest\'s alone, made blocking; the read waits for data', () => {
    const child = spawn('sh', ['-c', 'sleep 0.3; printf late'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const wasi = new WASI({ args: ['ops.wasm', 'read', '3', '100', 'read', '3', '100'], stdout: out, stderr: out });
    expect(wasi.give(child.stdout)).toBe(3);
    expect(child.stdout.destroyed).toBe(true);
    expect(runOps(wasi).stdout).toBe('read 3: "late"\nread 3: ""\n');
  });

  it('lend() with flags: nonblock is refused on a blocking description the host keeps; append must match it', () => {
    const fd = fs.openSync(path.join(dir, 'f.txt'), 'w');
    const wasi = new WASI({});
    const before = openFds();
    expect(() => wasi.lend(fd, { flags: { nonblock: true } })).toThrow(/cannot make a descriptor the host keeps using nonblocking/);
    expect(() => wasi.lend(fd, { flags: { append: true } })).toThrow(/cannot set O_APPEND/);
    expect(openFds()).toBe(before);
    wasi.dispose();
    fs.closeSync(fd);
  });
});
