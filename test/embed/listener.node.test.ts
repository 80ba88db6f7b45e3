/**
 * A guest given a listening server accepts connections from Node clients:
 * test/guests/embed/accept.c serves COUNT connections with sock_accept
 * (each: one line back in upper case) on the fd give(server) returned, then
 * closes the listener, its owner. The clients run on a worker thread (the
 * guest blocks the main thread; the kernel's backlog holds their
 * connections until it accepts them).
 *
 * For a Unix-domain server, libuv removes the socket path when Node closes
 * its server; iolife moves the path aside while it does, so the path exists
 * as long as the guest listens, and removes it when the guest's last handle
 * on the socket closes — only if it is still that socket.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WASI } from '../../host/wasi/node.js';
import { guest, openFds, runClients, sidecar } from './helpers.js';

let dir: string;
let out: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-listener-'));
  out = fs.openSync(path.join(dir, 'stdout'), 'w+');
});

afterEach(() => {
  fs.closeSync(out);
  fs.rmSync(dir, { recursive: true, force: true });
});

function runAccept(wasi: WASI): { code: number; stdout: string } {
  const code = wasi.start(new WebAssembly.Instance(guest('accept'), wasi.getImportObject() as WebAssembly.Imports));
  return { code, stdout: fs.readFileSync(path.join(dir, 'stdout'), 'utf8') };
}

describe('a guest given a listening server accepts connections (sock_accept)', () => {
  it('give(net.Server) on TCP: the guest accepts and serves the Node clients, then closes the listener (accept.c\'s sidecar)', async () => {
    const sc = sidecar('accept');
    const count = Number(sc.args![1]);
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const before = openFds();

    const wasi = new WASI({ args: ['accept.wasm', ...sc.args!], stdout: out, stderr: out });
    expect(wasi.give(server)).toBe(Number(sc.args![0]));
    expect(server.listening).toBe(false);
    const clients = runClients({ port, host: '127.0.0.1' }, count, 2);
    const { code, stdout } = runAccept(wasi);
    const result = await clients;

    expect(stdout).toBe(sc.stdout);
    expect(code).toBe(sc.exit_code);
    expect(result).toEqual({ given: count, lent: 0, failures: [] });
    // The guest's close was the last: nothing listens on the port any more.
    const refused = net.connect(port, '127.0.0.1');
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
    expect(openFds()).toBe(before - 1); // the server's own descriptor, closed by give
  });

  it('give(net.Server) on a Unix socket path: the path stays while the guest listens and is removed when it closes the listener', async () => {
    const sock = path.join(dir, 'guest.sock');
    const server = net.createServer();
    server.listen(sock);
    await once(server, 'listening');
    const inode = fs.statSync(sock).ino;

    const wasi = new WASI({ args: ['accept.wasm', '3', '3'], stdout: out, stderr: out });
    expect(wasi.give(server)).toBe(3);
    // Node's server is closed, but the path is still there, still the same socket.
    expect(server.listening).toBe(false);
    expect(fs.statSync(sock).ino).toBe(inode);
    expect(fs.readdirSync(dir).sort()).toEqual(['guest.sock', 'stdout']);
    const clients = runClients({ path: sock }, 3, 1);
    const { code, stdout } = runAccept(wasi);
    const result = await clients;

    expect(stdout).toBe('accepted 3\nclosed listener: OK\n');
    expect(code).toBe(0);
    expect(result).toEqual({ given: 3, lent: 0, failures: [] });
    expect(fs.existsSync(sock)).toBe(false);
  });

  it('give(net.Server) on a Unix socket path: a file put at the path since is not removed', async () => {
    const sock = path.join(dir, 'guest.sock');
    const server = net.createServer();
    server.listen(sock);
    await once(server, 'listening');
    const wasi = new WASI({ args: ['accept.wasm', '3', '0'], stdout: out, stderr: out });
    expect(wasi.give(server)).toBe(3);
    fs.unlinkSync(sock);
    fs.writeFileSync(sock, 'not the socket');
    const { code } = runAccept(wasi);
    expect(code).toBe(0);
    expect(fs.readFileSync(sock, 'utf8')).toBe('not the socket');
  });
});
