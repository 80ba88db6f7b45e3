/**
 * Shared by the embedding tests (test/embed/): the guest programs of
 * test/guests/embed/ (each listed in EMBED_GUESTS with the test file that
 * runs it), a client thread, and descriptor counting.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import type { Os } from '../../host/os/types.js';
import { GUESTS, readSidecar, type Sidecar } from '../wasi/guests.js';

export const EMBED = path.join(GUESTS, 'embed');

/** Every guest of test/guests/embed/ and the test file that runs it (test/embed/guests.node.test.ts checks the list). */
export const EMBED_GUESTS: Readonly<Record<string, string>> = {
  'echo.c': 'test/embed/connections.node.test.ts',
  'accept.c': 'test/embed/listener.node.test.ts',
  'ops.c': 'test/embed/kinds.node.test.ts',
};

const modules = new Map<string, WebAssembly.Module>();

/** The compiled guest `name` (e.g. "echo") of test/guests/embed/. */
export function guest(name: string): WebAssembly.Module {
  let m = modules.get(name);
  if (m === undefined) {
    const wasm = path.join(EMBED, `${name}.wasm`);
    if (!fs.existsSync(wasm)) throw new Error(`${wasm} is missing: run \`npm run build\` (or node scripts/build-guests.mjs)`);
    m = new WebAssembly.Module(fs.readFileSync(wasm));
    modules.set(name, m);
  }
  return m;
}

/** The sidecar of guest `name`. */
export function sidecar(name: string): Sidecar {
  return readSidecar(path.join(EMBED, `${name}.c`));
}

/** Open descriptors of this process. */
export function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** Whether `fd` is open in this process. */
export function isOpen(fd: number): boolean {
  return fs.existsSync(`/proc/self/fd/${fd}`);
}

export interface ClientResult {
  given: number;
  lent: number;
  failures: string[];
}

/** Runs client.worker.mjs on its own thread; resolves when it has finished and exited. */
export function runClients(connect: { port: number; host: string } | { path: string }, count: number, concurrency: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(new URL('./client.worker.mjs', import.meta.url)), { workerData: { connect, count, concurrency } });
    let result: ClientResult | undefined;
    w.on('message', (m: ClientResult) => {
      result = m;
    });
    w.on('error', reject);
    w.on('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`client worker exited with ${code} before reporting`))));
  });
}

/** Resolves after `ms` (lets the event loop run). */
export function tick(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The operations hookedOs() interposes on. */
export type HookedOp = 'read' | 'write' | 'recv';

/**
 * The Node backend with `hook(op, handle, bytes)` called before each read,
 * write and recv (the bytes being written, for writes): a backend through
 * which a test acts in the middle of a guest's call.
 */
export function hookedOs(hook: (op: HookedOp, h: NodeHandle, bytes: Uint8Array | null) => void): Os<NodeHandle> {
  return {
    ...nodeOs,
    read: (h, bufs) => (hook('read', h, null), nodeOs.read(h, bufs)),
    read1: (h, buf) => (hook('read', h, null), nodeOs.read1!(h, buf)),
    write: (h, bufs) => (hook('write', h, Buffer.concat(bufs as Uint8Array[])), nodeOs.write(h, bufs)),
    write1: (h, buf) => (hook('write', h, buf), nodeOs.write1!(h, buf)),
    recv: (h, buf, flags) => (hook('recv', h, null), nodeOs.recv!(h, buf, flags)),
  };
}

/** A connected TCP pair in this process: the server's side (paused, as pauseOnConnect leaves it) and the client's. */
export async function tcpPair(): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepting = once(server, 'connection');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [accepted] = (await accepting) as [net.Socket];
  await once(client, 'connect').catch(() => {});
  return { server, accepted, client };
}
