/**
 * take(): the guest's fd moves back out to the host as a Node resource of
 * its kind — a number for files, directories, pipes and character devices,
 * a net.Socket for a connected socket, a net.Server listening on it for a
 * listener — and is gone from the guest's table. The host gets its own dup;
 * the guest's descriptor is closed through the core.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WASI } from '../../host/wasi/node.js';
import { guest, hookedOs, isOpen, openFds, tcpPair } from './helpers.js';

let dir: string;
let out: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-take-'));
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

describe('take()', () => {
  it('take() of a socket in the middle of a guest\'s run: a net.Socket for the host; the guest\'s fd is gone', async () => {
    const { server, accepted, client } = await tcpPair();
    let taken: unknown;
    const wasi = new WASI({
      args: ['ops.wasm', 'send', '3', 'from the guest, ', 'write', '1', 'mark', 'send', '3', 'lost', 'fdstat', '3'],
      stdout: out, stderr: out,
    }, hookedOs((op, _h, bytes) => {
      if (op === 'write' && Buffer.from(bytes!).toString() === 'mark') taken = wasi.take(3);
    }));
    expect(wasi.give(accepted)).toBe(3);
    const before = openFds();
    const { stdout } = runOps(wasi);
    expect(stdout).toBe('send 3: 16\nmarkwrite 1: 4\nsend 3: EBADF\nfdstat 3: EBADF\n');
    expect(taken).toBeInstanceOf(net.Socket);
    const socket = taken as net.Socket;
    expect(openFds()).toBe(before); // the guest's descriptor closed, the host's dup open
    socket.end('then the host');
    let got = '';
    client.setEncoding('utf8');
    client.on('data', (d: string) => (got += d));
    await once(client, 'end');
    expect(got).toBe('from the guest, then the host');
    client.destroy();
    server.close();
  });

  it('take() of a listener: a net.Server listening on it, which accepts', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const wasi = new WASI({});
    expect(wasi.give(server)).toBe(3);
    const taken = wasi.take(3);
    expect(taken).toBeInstanceOf(net.Server);
    const back = taken as net.Server;
    const accepted = once(back, 'connection');
    const c = net.connect(port, '127.0.0.1');
    const [s] = (await accepted) as [net.Socket];
    s.destroy();
    c.destroy();
    back.close();
    wasi.dispose();
  });

  it('take() of a Unix-domain listener: the path stays with the host\'s server and goes when it closes', async () => {
    const sock = path.join(dir, 'take.sock');
    const server = net.createServer().listen(sock);
    await once(server, 'listening');
    const wasi = new WASI({});
    expect(wasi.give(server)).toBe(3);
    const back = wasi.take(3) as net.Server;
    wasi.dispose();
    expect(fs.existsSync(sock)).toBe(true); // not removed by the guest's table closing
    const accepted = once(back, 'connection');
    const c = net.connect(sock);
    const [s] = (await accepted) as [net.Socket];
    s.destroy();
    c.destroy();
    back.close();
    await once(back, 'close');
    expect(fs.existsSync(sock)).toBe(false);
  });

  it('take() of a file: a number, a dup sharing the offset; the guest\'s fd (the original, given as is) is closed', () => {
    fs.writeFileSync(path.join(dir, 'f.txt'), '0123456789');
    const fd = fs.openSync(path.join(dir, 'f.txt'), 'r');
    fs.readSync(fd, Buffer.alloc(4)); // offset 4
    const wasi = new WASI({});
    expect(wasi.give(fd)).toBe(3);
    const back = wasi.take(3) as number;
    expect(typeof back).toBe('number');
    expect(isOpen(fd)).toBe(false);
    const buf = Buffer.alloc(10);
    expect(buf.toString('utf8', 0, fs.readSync(back, buf))).toBe('456789');
    expect(() => wasi.table.check(4)).toThrow(/closed/);
    fs.closeSync(back);
    wasi.dispose();
  });

  it('take() of a directory preopen and of stdout: numbers (dups); the process\'s own stdout stays open', () => {
    const wasi = new WASI({ stdout: out });
    expect(wasi.give(dir, { name: '/d' })).toBe(3);
    const d = wasi.take(3) as number;
    expect(fs.fstatSync(d).isDirectory()).toBe(true);
    const o = wasi.take(1) as number;
    expect(o).not.toBe(out);
    fs.writeSync(o, 'through the dup\n');
    expect(isOpen(out)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'stdout'), 'utf8')).toBe('through the dup\n');
    fs.closeSync(d);
    fs.closeSync(o);
    wasi.dispose();
    expect(isOpen(out)).toBe(true);
  });
});
