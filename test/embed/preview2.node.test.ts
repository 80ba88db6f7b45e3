/**
 * The embedding API on a preview2 context (NodeContext: give, lend, take),
 * driven from JS the way jco's glue calls the resources (methods, and
 * [Symbol.dispose] for the guest's drops). A given file, directory, pipe,
 * character device or connected socket is a wasi:filesystem descriptor (of
 * its type; read and written through its streams), a directory given with
 * a name is a preopen, a listening TCP server is a wasi:sockets tcp-socket
 * that accepts. Lent ones are views on a borrow: the guest's drop traps
 * (not-owner), the lease cannot end while the guest holds streams of it or
 * a call uses it. take() moves them back out as Node resources.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IolifeError } from '../../host/core/index.js';
import { createContext, type NodeContext } from '../../host/preview2/node/index.js';
import { Descriptor } from '../../host/preview2/filesystem.js';
import { TcpSocket } from '../../host/preview2/sockets.js';
import { ResourceTrap } from '../../host/preview2/errors.js';
import { openFds, tick } from './helpers.js';

let dir: string;
let ctx: NodeContext;
const enc = new TextEncoder();
const dec = new TextDecoder();
const drop = (r: { [Symbol.dispose](): void }): void => r[Symbol.dispose]();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-p2embed-'));
  ctx = createContext({});
});

afterEach(() => {
  ctx.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function tcpPair(): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepting = once(server, 'connection');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [accepted] = (await accepting) as [net.Socket];
  await once(client, 'connect').catch(() => {});
  return { server, accepted, client };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IolifeError) return e.code;
    if (e instanceof ResourceTrap) return `trap ${e.code}`;
    throw e;
  }
  throw new Error('not refused');
}

function received(s: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString())).on('end', () => resolve(text));
  });
}

describe('preview2 NodeContext: give()', () => {
  it('give(file): a descriptor of type regular-file, read through its stream; its drop closes the descriptor', () => {
    fs.writeFileSync(path.join(dir, 'f.txt'), 'file contents');
    const before = openFds();
    const d = ctx.give(fs.openSync(path.join(dir, 'f.txt'), 'r'), { rights: ['read', 'stat'] });
    expect(d).toBeInstanceOf(Descriptor);
    const desc = d as Descriptor;
    expect(desc.getType()).toBe('regular-file');
    expect(desc.getFlags()).toMatchObject({ read: true, write: false });
    const s = desc.readViaStream(0n);
    expect(dec.decode(s.blockingRead(100n))).toBe('file contents');
    expect(codeOf(() => drop(desc))).toBe('trap has-children');
    drop(s);
    drop(desc);
    expect(openFds()).toBe(before); // the given fd (opened after `before`) moved as is, and is closed now
  });

  it('give(dir, { name }): a new preopen that get-directories lists', () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'hello.txt'), 'hello');
    expect(ctx.give(path.join(dir, 'data'), { name: '/data' })).toBeUndefined();
    const dirs = ctx.interfaces.filesystem.preopens.getDirectories();
    expect(dirs.map(([, p]) => p)).toEqual(['/data']);
    const [[root]] = dirs as [[Descriptor, string]];
    const f = root.openAt({}, 'hello.txt', {}, { read: true });
    const s = f.readViaStream(0n);
    expect(dec.decode(s.blockingRead(10n))).toBe('hello');
    drop(s);
    drop(f);
    drop(root);
  });

  it('give(net.Socket): a descriptor of type socket; the guest\'s streams reach the peer; its drop ends the connection', async () => {
    const { server, accepted, client } = await tcpPair();
    client.write('from the peer');
    await tick(20);
    const d = ctx.give(accepted) as Descriptor;
    expect(accepted.destroyed).toBe(true);
    expect(d.getType()).toBe('socket');
    const input = d.readViaStream(0n);
    const output = d.writeViaStream(0n);
    expect(dec.decode(input.blockingRead(100n))).toBe('from the peer');
    const text = received(client);
    output.blockingWriteAndFlush(enc.encode('to the peer'));
    drop(input);
    drop(output);
    drop(d);
    expect(await text).toBe('to the peer');
    server.close();
  });

  it('give(child.stdout): a descriptor (Node\'s stdio pipes are socketpairs) whose stream blocks until data comes', () => {
    const child = spawn('sh', ['-c', 'sleep 0.2; printf late'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const d = ctx.give(child.stdout) as Descriptor;
    expect(d.getType()).toBe('socket');
    const s = d.readViaStream(0n);
    expect(dec.decode(s.blockingRead(100n))).toBe('late');
    drop(s);
    drop(d);
  });

  it('give(net.Server): a listening tcp-socket that accepts; take() of an accepted connection hands it to the host', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const l = ctx.give(server) as TcpSocket;
    expect(l).toBeInstanceOf(TcpSocket);
    expect(l.isListening()).toBe(true);
    expect(l.localAddress()).toEqual({ tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });
    const client = net.connect(port, '127.0.0.1');
    await once(client, 'connect');
    client.write('ping\n');
    await tick(20);
    const [conn, input, output] = l.accept();
    expect(dec.decode(input.blockingRead(100n))).toBe('ping\n');
    output.blockingWriteAndFlush(enc.encode('pong\n'));
    // Its streams are children: the connection cannot leave the table while they live.
    expect(codeOf(() => ctx.take(conn))).toBe('has-children');
    drop(input);
    drop(output);
    const back = ctx.take(conn) as net.Socket;
    expect(back).toBeInstanceOf(net.Socket);
    const text = received(client);
    back.end('from the host\n');
    expect(await text).toBe('pong\nfrom the host\n');
    client.destroy();
    drop(l);
  });

  it('give(net.Server) on a Unix path: TypeError (WASI 0.2 has no Unix sockets); the server keeps listening on its path', async () => {
    const sock = path.join(dir, 's.sock');
    const server = net.createServer().listen(sock);
    await once(server, 'listening');
    const before = openFds();
    expect(() => ctx.give(server)).toThrow(/WASI 0.2 has no Unix-domain sockets/);
    expect(server.listening).toBe(true);
    expect(fs.existsSync(sock)).toBe(true);
    expect(openFds()).toBe(before);
    server.close();
  });
});

describe('preview2 NodeContext: lend() and take()', () => {
  it('lend(net.Socket): a view the guest uses; its drop traps (not-owner); the lease cannot end while a stream of it lives or a call uses it; afterwards the host\'s socket works', async () => {
    const { server, accepted, client } = await tcpPair();
    client.write('hello');
    await tick(20);
    const before = openFds();
    const lease = ctx.lend(accepted, { rights: ['read', 'write', 'stat', 'poll'] });
    const view = lease.resource as Descriptor;
    expect(openFds()).toBe(before + 1);
    expect(view.getType()).toBe('socket');
    const input = view.readViaStream(0n);
    expect(dec.decode(input.blockingRead(100n))).toBe('hello');
    expect(codeOf(() => drop(view))).toBe('trap not-owner');
    expect(codeOf(() => lease.end())).toBe('has-children');
    drop(input);
    // Lent again to a guest call (ContextCore.lend): the lease cannot end under it.
    expect(ctx.lend(view, () => codeOf(() => lease.end()))).toBe('lent');
    expect(codeOf(() => ctx.take(view))).toBe('not-owner');
    expect(openFds()).toBe(before + 1);
    lease.end();
    expect(lease.active).toBe(false);
    expect(openFds()).toBe(before);
    expect(codeOf(() => view.getType())).toBe('trap closed');
    const text = received(client);
    accepted.end('the host again');
    expect(await text).toBe('the host again');
    server.close();
  });

  it('take(descriptor): a number sharing the offset; take of a dropped one: closed; after dispose, lend and give: table-closed', () => {
    fs.writeFileSync(path.join(dir, 'f.txt'), '0123456789');
    const d = ctx.give(fs.openSync(path.join(dir, 'f.txt'), 'r')) as Descriptor;
    const s = d.readViaStream(0n);
    drop(s);
    const fd = ctx.take(d) as number;
    expect(typeof fd).toBe('number');
    expect(fs.readFileSync(fd, 'utf8')).toBe('0123456789');
    fs.closeSync(fd);
    expect(codeOf(() => ctx.take(d))).toBe('closed');
    ctx.dispose();
    const f = fs.openSync(path.join(dir, 'f.txt'), 'r');
    expect(codeOf(() => ctx.give(f))).toBe('table-closed');
    expect(codeOf(() => ctx.lend(f))).toBe('table-closed');
    fs.closeSync(f);
  });

  it('take(tcp-socket) of a given listener: a net.Server listening on it', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const back = ctx.take(ctx.give(server) as TcpSocket) as net.Server;
    expect(back).toBeInstanceOf(net.Server);
    const conn = once(back, 'connection');
    const c = net.connect(port, '127.0.0.1');
    const [s] = (await conn) as [net.Socket];
    s.destroy();
    c.destroy();
    back.close();
  });
});
