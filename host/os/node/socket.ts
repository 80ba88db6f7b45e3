/**
 * Sockets and readiness: a preopened listening socket, accept, shutdown,
 * recv/send with flags, poll, and the O_APPEND / O_NONBLOCK status flags —
 * through the syscalls in sys.ts.
 */
import { Errno, FileType } from '../types.js';
import { errnoFromNumber } from './errors.js';
import { waitReady } from './fd.js';
import { NodeHandle } from './handle.js';
import * as sys from './sys.js';

const EAGAIN = 11;

function errno(negated: number): Errno {
  return errnoFromNumber(-negated);
}

/**
 * A listening TCP socket on host:port as a handle (port 0 picks a free one;
 * read it back with {@link boundPort}). Throws for the embedder's bad
 * address, as preopenDir does for a missing directory.
 */
export function listenTcp(host: string, port: number): NodeHandle {
  const fd = sys.listenTcp(host, port);
  if (fd < 0) throw new Error(`cannot listen on ${host}:${port}: errno ${-fd}`);
  return new NodeHandle(fd, FileType.socketStream, false);
}

/** The port a socket handle is bound to. */
export function boundPort(h: NodeHandle): number {
  const p = sys.localPort(h.fd);
  if (p < 0) throw new Error(`getsockname failed: errno ${-p}`);
  return p;
}

/** Accept a connection: a new connected socket handle. */
export function accept(h: NodeHandle, nonblock: boolean): NodeHandle | Errno {
  if (h.fd < 0) return Errno.badf;
  // accept4's SOCK_NONBLOCK applies to the new socket only; a blocking
  // listener with nothing pending would block, so ask poll first.
  if (nonblock) {
    const revents = [0];
    const r = sys.poll([h.fd], [sys.POLLIN], revents, 0);
    if (r < 0) return errno(r);
    if (r === 0) return Errno.again;
  }
  let fd = sys.accept(h.fd, nonblock);
  while (fd === -EAGAIN && !nonblock && h.waitOnAgain && waitReady(h.fd, false)) fd = sys.accept(h.fd, false);
  if (fd < 0) return errno(fd);
  return new NodeHandle(fd, FileType.socketStream, false);
}

/** Shut down reading (1), writing (2) or both (3): WASI `sdflags`. */
export function shutdown(h: NodeHandle, how: number): Errno {
  if (h.fd < 0) return Errno.badf;
  const r = sys.shutdown(h.fd, how === 3 ? 2 : how === 1 ? 0 : 1);
  return r < 0 ? errno(r) : Errno.success;
}

/** recv into one buffer with WASI `riflags` (1 peek, 2 waitall): bytes or -errno. */
export function recv(h: NodeHandle, buf: Uint8Array, riflags: number): number {
  if (h.fd < 0) return -Errno.badf;
  const flags = (riflags & 1 ? sys.MSG_PEEK : 0) | (riflags & 2 ? sys.MSG_WAITALL : 0);
  let r = sys.recv(h.fd, buf, flags);
  while (r === -EAGAIN && h.waitOnAgain && waitReady(h.fd, false)) r = sys.recv(h.fd, buf, flags);
  return r < 0 ? -errno(r) : r;
}

/** Turn O_APPEND on or off for the open file description. */
export function setAppend(h: NodeHandle, on: boolean): Errno {
  if (h.fd < 0) return Errno.badf;
  const r = sys.setFlag(h.fd, sys.O_APPEND, on);
  if (r < 0) return errno(r);
  h.append = on;
  return Errno.success;
}

/**
 * Readiness of `hs` (for writing where `write[i]`), waiting up to `timeoutNs`
 * (-1n: no limit). Each result: 0 not ready, 1 ready, 2 hung up or in error.
 */
export function poll(hs: readonly NodeHandle[], write: readonly boolean[], timeoutNs: bigint): number[] | Errno {
  const fds = hs.map((h) => h.fd);
  const events = write.map((w) => (w ? sys.POLLOUT : sys.POLLIN));
  const revents: number[] = new Array(hs.length).fill(0);
  const ms = timeoutNs < 0n ? -1 : Number((timeoutNs + 999_999n) / 1_000_000n);
  for (;;) {
    const r = sys.poll(fds, events, revents, Math.min(ms, 0x7fff_ffff));
    if (r === -4 /* EINTR */) continue;
    if (r < 0) return errno(r);
    break;
  }
  return revents.map((v, i) =>
    v & (sys.POLLERR | sys.POLLHUP | sys.POLLNVAL) ? 2 : v & events[i]! ? 1 : 0);
}
