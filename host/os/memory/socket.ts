/**
 * Loopback TCP: listening sockets, connections, accept, shutdown, recv,
 * and stream reads and writes on a connection.
 *
 * One simulated OS has one loopback network; a port is taken by at most one
 * listener whatever loopback address it was named by (127.0.0.1, ::1,
 * localhost, 0.0.0.0 or ::). Connecting completes at once (there is no
 * handshake to wait for): the server end waits in the listener's backlog
 * until accepted, and bytes written meanwhile are queued for it.
 *
 * Semantics (Linux's where a single thread can have them):
 * - read: queued bytes first; then 0 (end of file) once the peer has shut
 *   down writing or closed, or this end has shut down reading; `connreset`
 *   when the connection was reset (its listener closed before accepting
 *   it); otherwise `again` — a simulation cannot block, so a blocking read
 *   that would wait returns `again` too.
 * - write: `pipe` after shutdown(WR) or once the peer has closed (Linux
 *   lets one write through before the reset; here the first one fails);
 *   `connreset` after a reset; what fits in the peer's buffer, `again` when
 *   nothing does. Bytes sent to a peer that shut down reading are still
 *   queued (Linux keeps receiving after SHUT_RD).
 * - accept: the oldest pending connection; `again` when there is none,
 *   blocking or not (see above). On a connected socket: `inval`.
 * - recv: as read, with `peek` leaving the bytes queued; `waitall` cannot
 *   wait either: it returns what is there (a short count), or `again`.
 */
import { Errno } from '../types.js';
import { live, MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { ListenerNode, type Inode, SocketNode } from './nodes.js';

/** The host names of the loopback network. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host === '0.0.0.0' || host === '::' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** An error of the embedder's listen() call (a configuration error, thrown like the Node backend's). */
export class ListenError extends Error {
  constructor(readonly errno: Errno, message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

/**
 * A listening socket on `host:port` (port 0: a free one, see
 * {@link boundPort}). Throws {@link ListenError}: `addrnotavail` for a host
 * that is not loopback, `addrinuse` for a taken port, `inval` for a bad port.
 */
export function listen(k: Kernel, host: string, port: number): MemHandle {
  if (!isLoopback(host)) throw new ListenError(Errno.addrnotavail, `cannot listen on ${host}:${port}: only loopback addresses exist in the simulation`);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ListenError(Errno.inval, `cannot listen on port ${port}`);
  let p = port;
  if (p === 0) {
    p = k.ephemeralPort();
    if (p < 0) throw new ListenError(Errno.addrinuse, 'cannot listen: no free port');
  } else if (k.ports.has(p)) {
    throw new ListenError(Errno.addrinuse, `cannot listen on ${host}:${port}: address in use`);
  }
  const l = new ListenerNode(k.ino(), k.now(), p, k.backlog);
  k.ports.set(p, l);
  return new MemHandle(k, l, true, true);
}

/** The port a socket handle is bound to (a listener's, or the local end of a connection's); -1 if it is none. */
export function boundPort(h: MemHandle): number {
  const n = h.node;
  if (n instanceof ListenerNode) return n.port;
  if (n instanceof SocketNode) return n.localPort;
  return -1;
}

/**
 * Connect to `host:port`: the client end of a new connection, or
 * `netunreach` (not a loopback host), `connrefused` (no listener on the
 * port, or its backlog is full), `addrinuse` (no local port left).
 */
export function connect(k: Kernel, host: string, port: number): MemHandle | Errno {
  if (!isLoopback(host)) return Errno.netunreach;
  const l = k.ports.get(port);
  if (l === undefined || l.pending.length >= l.backlog) return Errno.connrefused;
  const local = k.ephemeralPort();
  if (local < 0) return Errno.addrinuse;
  const now = k.now();
  const client = new SocketNode(k.ino(), now, k.socketBuffer, local, port);
  const server = new SocketNode(k.ino(), now, k.socketBuffer, port, local);
  client.peer = server;
  server.peer = client;
  l.pending.push(server);
  return new MemHandle(k, client, true, true);
}

/**
 * Accept the oldest pending connection of listening socket `h`: `again`
 * when there is none (blocking or not: see the module comment), `inval` on
 * a connected socket, `notsock` on anything else.
 */
export function accept(k: Kernel, h: MemHandle, _nonblock: boolean): MemHandle | Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  if (n instanceof SocketNode) return Errno.inval;
  if (!(n instanceof ListenerNode)) return Errno.notsock;
  if (n.closed) return Errno.inval;
  const s = n.pending.shift();
  if (s === undefined) return Errno.again;
  return new MemHandle(k, s, true, true);
}

/**
 * Shut down reading (1), writing (2) or both (3) of a connection: the peer
 * reads end of file once it has read what was sent. On a listening socket,
 * shutting down reading stops it listening (as Linux does) and writing
 * does nothing. `notconn` on a reset connection, `notsock` on a non-socket,
 * `inval` for another `how`.
 */
export function shutdown(k: Kernel, h: MemHandle, how: number): Errno {
  const n = live(k, h);
  if (n === null) return Errno.badf;
  if (!(n instanceof SocketNode) && !(n instanceof ListenerNode)) return Errno.notsock;
  if (how < 1 || how > 3) return Errno.inval;
  if (n instanceof ListenerNode) {
    // Linux: shutting down reading stops a listener (pending connections are
    // reset, the port is freed, accept is then `inval`); writing: nothing.
    if (how & 1) stopListening(k, n);
    return Errno.success;
  }
  if (n.reset) return Errno.notconn;
  if (how & 1) n.rdShut = true;
  if (how & 2) n.wrShut = true;
  return Errno.success;
}

/**
 * Receive into one buffer with WASI `riflags` (1 peek, 2 waitall): bytes or
 * -errno; `notconn` on a listening socket, `notsock` on a non-socket.
 */
export function recv(k: Kernel, h: MemHandle, buf: Uint8Array, riflags: number): number {
  const n = live(k, h);
  if (n === null) return -Errno.badf;
  if (n instanceof ListenerNode) return -Errno.notconn;
  if (!(n instanceof SocketNode)) return -Errno.notsock;
  if (riflags & ~3) return -Errno.inval;
  return sockRead(k, n, [buf], (riflags & 1) !== 0);
}

/** The peer shut down writing or went away: nothing more will arrive. */
function peerDone(s: SocketNode): boolean {
  const p = s.peer;
  return p === null || p.wrShut || p.closed;
}

/** Read (or peek) up to `max` bytes into `bufs`: bytes or -errno. */
export function sockRead(k: Kernel, s: SocketNode, bufs: readonly Uint8Array[], peek: boolean): number {
  if (s.reset) return -Errno.connreset;
  if (s.inbox.length === 0) return s.rdShut || peerDone(s) ? 0 : -Errno.again;
  const n = s.inbox.pop(bufs, Number.MAX_SAFE_INTEGER, peek);
  if (!peek) s.atim = k.now();
  return n;
}

export function sockWrite(k: Kernel, s: SocketNode, bufs: readonly Uint8Array[]): number {
  if (s.reset) return -Errno.connreset;
  const p = s.peer;
  if (s.wrShut || p === null || p.closed) return -Errno.pipe;
  let total = 0;
  for (let i = 0; i < bufs.length; i++) total += bufs[i]!.length;
  if (total === 0) return 0;
  if (p.inbox.space === 0) return -Errno.again;
  const n = p.inbox.push(bufs, total);
  s.mtim = k.now();
  return n;
}

/** Close a connection end or a listener. */
export function sockClose(k: Kernel, n: Inode): void {
  if (n instanceof SocketNode) {
    n.closed = true;
    n.inbox.clear();
  } else if (n instanceof ListenerNode) {
    stopListening(k, n);
  }
}

/** Free the listener's port and reset the connections it never accepted (their clients see connreset). */
function stopListening(k: Kernel, n: ListenerNode): void {
  n.closed = true;
  if (k.ports.get(n.port) === n) k.ports.delete(n.port);
  for (const s of n.pending) {
    s.closed = true;
    if (s.peer !== null) s.peer.reset = true;
  }
  n.pending.length = 0;
}
