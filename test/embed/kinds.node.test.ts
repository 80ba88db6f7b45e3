/**
 * Every kind of descriptor a Node embedder can hand to a guest, and what the
 * guest sees of it (test/guests/embed/ops.c runs one operation per
 * argument and prints one line each): the file type and rights fdstat
 * reports, isatty, and reads and writes that reach the host's side.
 *
 * Kinds (after the file-descriptors crate): a directory (by path, as a
 * preopen), regular files (a numeric fd, an fs.promises FileHandle), a FIFO,
 * character devices (/dev/null, /dev/urandom), a terminal (a pty's slave), a
 * connected TCP socket, a TCP server, a child process's stdin (a Unix
 * socket), process.stdout, Unix-domain servers (test/embed/listener).
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WASI } from '../../host/wasi/node.js';
import { guest, isOpen, openFds, runClients, sidecar, tcpPair, tick } from './helpers.js';
import { openPty } from './pty.js';

let dir: string;
let out: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-kinds-'));
  out = fs.openSync(path.join(dir, 'stdout'), 'w+');
});

afterEach(() => {
  fs.closeSync(out);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs ops.c with `args` on `wasi` (whose stdout is `out`); returns its exit code and stdout. */
function runOps(wasi: WASI): { code: number; stdout: string } {
  const code = wasi.start(new WebAssembly.Instance(guest('ops'), wasi.getImportObject() as WebAssembly.Imports));
  return { code, stdout: fs.readFileSync(path.join(dir, 'stdout'), 'utf8') };
}

describe('give(): every kind of descriptor, as the guest sees it', () => {
  it('give(): directory, files, FIFO, character devices, terminal, TCP socket and server, a child\'s stdin: file types, rights, isatty and I/O (ops.c\'s sidecar)', async () => {
    const pty = openPty();
    if ('unavailable' in pty) throw new Error(`this test needs a pty: ${pty.unavailable}`);
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'hello.txt'), 'hello from the preopen\n');
    fs.writeFileSync(path.join(dir, 'file.txt'), 'file contents\n');
    fs.writeFileSync(path.join(dir, 'log.txt'), 'first line\n');
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const { server, accepted, client } = await tcpPair();
    client.write('from the peer');
    const listening = net.createServer().listen(0, '127.0.0.1');
    await once(listening, 'listening');
    const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const childOut: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => childOut.push(d));
    const childClosed = once(child, 'close');
    const logHandle = await fs.promises.open(path.join(dir, 'log.txt'), 'a');
    const fileFd = fs.openSync(path.join(dir, 'file.txt'), 'r+');
    await tick(20); // the peer's bytes reach the kernel's buffer of `accepted`

    const sc = sidecar('ops');
    const wasi = new WASI({ args: ['ops.wasm', ...sc.args!], stdout: out, stderr: out });
    // A directory first: wasi-libc finds preopens from fd 3 up, stopping at the first fd that is not one.
    const fds = {
      data: wasi.give(data, { name: '/data' }),
      file: wasi.give(fileFd),
      log: wasi.give(logHandle),
      fifo: wasi.give(fs.openSync(fifo, fs.constants.O_RDWR)),
      null: wasi.give(fs.openSync('/dev/null', 'r+')),
      urandom: wasi.give(fs.openSync('/dev/urandom', 'r')),
      tty: wasi.give(pty.slave),
      socket: wasi.give(accepted),
      server: wasi.give(listening),
      child: wasi.give(child.stdin),
    };
    expect(fds).toEqual({ data: 3, file: 4, log: 5, fifo: 6, null: 7, urandom: 8, tty: 9, socket: 10, server: 11, child: 12 });
    // The host cannot use the Node objects any more.
    expect(logHandle.fd).toBe(-1);
    expect(accepted.destroyed).toBe(true);
    expect(listening.listening).toBe(false);
    expect(child.stdin.destroyed).toBe(true);

    const { code, stdout } = runOps(wasi);
    expect(stdout).toBe(sc.stdout);
    expect(code).toBe(sc.exit_code);

    // What the guest wrote reached the host's side of each.
    expect(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8')).toBe('first line\nappended\n');
    const fromTty = Buffer.alloc(64);
    expect(fromTty.toString('utf8', 0, fs.readSync(pty.master, fromTty))).toBe('to the terminal\r\n');
    const peer: Buffer[] = [];
    client.on('data', (d: Buffer) => peer.push(d));
    await once(client, 'end');
    expect(Buffer.concat(peer).toString()).toBe('to the peer');
    await childClosed;
    expect(Buffer.concat(childOut).toString()).toBe('to the child\n');

    client.destroy();
    server.close();
    fs.closeSync(pty.master);
  });

  it('give() and lend() with flags: append makes the guest\'s writes append; nonblock makes a socket\'s empty receive EAGAIN; fdstat reports them', async () => {
    fs.writeFileSync(path.join(dir, 'log.txt'), 'start\n');
    const { server, accepted, client } = await tcpPair();
    const fh = await fs.promises.open(path.join(dir, 'log.txt'), 'r+');
    const wasi = new WASI({
      args: ['ops.wasm', 'fdstat', '3', 'seek', '3', '0', 'write', '3', 'appended\n', 'fdstat', '4', 'recv', '4', '10', 'fdstat', '5', 'read', '5', '5'],
      stdout: out, stderr: out,
    });
    expect(wasi.give(fs.openSync(path.join(dir, 'log.txt'), 'r+'), { flags: { append: true } })).toBe(3);
    expect(wasi.give(accepted, { flags: { nonblock: true } })).toBe(4);
    const lease = wasi.lend(fh, { rights: ['read'] }); // a FileHandle lent: the host keeps it open
    expect(lease.fd).toBe(5);
    expect(runOps(wasi).stdout).toBe([
      'fdstat 3: filetype=4 rights=read,write,seek,tell,stat,poll flags=append',
      'seek 3: 0',
      'write 3: 9',
      'fdstat 4: filetype=6 rights=read,write,stat,shutdown,poll flags=nonblock',
      'recv 4: EAGAIN',
      'fdstat 5: filetype=4 rights=read flags=none',
      'read 5: "start"',
      '',
    ].join('\n'));
    expect(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8')).toBe('start\nappended\n');
    expect(fh.fd).toBeGreaterThanOrEqual(0);
    expect((await fh.read(Buffer.alloc(5), 0, 5, 0)).bytesRead).toBe(5);
    await fh.close();
    client.destroy();
    server.close();
  });

  it('give(process.stdout) and lend(process.stdin): dups of the process\'s own stdio, which stays open', () => {
    const wasi = new WASI({ args: ['ops.wasm', 'close', '3', 'close', '4'], stdout: out, stderr: out });
    const before = openFds();
    expect(wasi.give(process.stdout)).toBe(3);
    using lease = wasi.lend(process.stdin);
    expect(lease.fd).toBe(4);
    expect(openFds()).toBe(before + 2);
    expect(runOps(wasi).stdout).toBe('close 3: OK\nclose 4: ENOTCAPABLE\n');
    expect(isOpen(0) && isOpen(1)).toBe(true);
    expect(openFds()).toBe(before);
  });
});

