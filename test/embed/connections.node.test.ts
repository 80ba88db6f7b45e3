/**
 * A Node TCP server hands each accepted connection to a guest: the C guest
 * test/guests/embed/echo.c receives a line (sock_recv), sends it back in
 * upper case (sock_send) and closes its fd. Connections alternate between
 * give() (the guest owns the socket: its close ends the connection) and
 * lend() (the guest's close is refused with ENOTCAPABLE; after the lease the
 * host writes "bye", reads the client's "ping" and ends the connection
 * itself). The clients run on a worker thread, since the guest blocks the
 * main thread while it runs.
 *
 * Afterwards the count of /proc/self/fd is back where it started: every dup
 * iolife made was closed, and every socket the host gave away was closed
 * once, by the guest.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WASI } from '../../host/wasi/node.js';
import { guest, openFds, runClients, sidecar } from './helpers.js';

const CONNECTIONS = 1000;

describe('a Node TCP server hands each accepted connection to a guest', () => {
  it(`give() and lend(): ${CONNECTIONS} connections served by a C guest (sock_recv/sock_send); ` +
    'the open descriptors come back to where they started; every lent socket is still usable by the host after its lease', async () => {
    const echo = guest('echo');
    const sc = sidecar('echo');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-embed-'));
    const out = fs.openSync(path.join(dir, 'stdout'), 'w+');
    const server = net.createServer({ pauseOnConnect: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;

    let served = 0;
    let hostReadAfterLease = 0;
    const errors: string[] = [];
    const closed: Promise<unknown>[] = [];
    server.on('connection', (sock: net.Socket) => {
      const mode = served++ % 2 === 0 ? 'give' : 'lend';
      closed.push(once(sock, 'close'));
      const wasi = new WASI({ args: ['echo.wasm', '3', mode], stdout: out, stderr: out });
      try {
        if (mode === 'give') {
          const fd = wasi.give(sock);
          if (fd !== 3) errors.push(`give() returned fd ${fd}`);
          // The host cannot use it any more: Node's socket is destroyed (our dup lives in the guest's table).
          if (!sock.destroyed) errors.push('the given socket is not destroyed');
          const code = wasi.start(new WebAssembly.Instance(echo, wasi.getImportObject() as WebAssembly.Imports));
          if (code !== sc.exit_code) errors.push(`give: exit code ${code}`);
        } else {
          const lease = wasi.lend(sock, { rights: ['read', 'write'] });
          if (lease.fd !== 3) errors.push(`lend() returned fd ${lease.fd}`);
          const code = wasi.start(new WebAssembly.Instance(echo, wasi.getImportObject() as WebAssembly.Imports));
          if (code !== sc.exit_code) errors.push(`lend: exit code ${code}`);
          // start() disposed the WASI object, which ended the lease; ending it again is a no-op.
          lease[Symbol.dispose]();
          if (lease.active) errors.push('the lease is still active after start()');
          // The host's socket is untouched: it writes, reads, and ends the connection itself.
          sock.write('bye\n');
          sock.setEncoding('utf8');
          sock.once('data', (d: string) => {
            if (d === 'ping\n') hostReadAfterLease++;
            else errors.push(`after the lease the host read ${JSON.stringify(d)}`);
            sock.end();
          });
          sock.resume();
        }
      } catch (e) {
        errors.push(String(e));
        sock.destroy();
      }
    });

    // Warm up (modules loaded, first instances), then count.
    const warm = await runClients({ port, host: '127.0.0.1' }, 4, 1);
    expect(warm.failures).toEqual([]);
    await Promise.all(closed);
    const before = openFds();
    served = 0;
    hostReadAfterLease = 0;
    closed.length = 0;
    const started = performance.now();

    const result = await runClients({ port, host: '127.0.0.1' }, CONNECTIONS, 16);
    await Promise.all(closed);
    const elapsed = performance.now() - started;
    const after = openFds();

    expect(errors).toEqual([]);
    expect(result.failures).toEqual([]);
    expect(served).toBe(CONNECTIONS);
    expect(result.given).toBe(CONNECTIONS / 2);
    expect(result.lent).toBe(CONNECTIONS / 2);
    expect(hostReadAfterLease).toBe(CONNECTIONS / 2);
    expect(after, `open descriptors: ${before} before, ${after} after ${CONNECTIONS} connections`).toBe(before);
    const lines = fs.readFileSync(path.join(dir, 'stdout'), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(CONNECTIONS + 4);
    expect(new Set(lines)).toEqual(new Set([sc.stdout!.trimEnd()]));
    console.log(`${CONNECTIONS} connections in ${Math.round(elapsed)} ms; open descriptors ${before} before, ${after} after`);

    server.close();
    fs.closeSync(out);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
