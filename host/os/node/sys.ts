/**
 * The few Linux syscalls Node has no synchronous API for, called through
 * koffi (a maintained FFI with prebuilt binaries in its npm package): poll,
 * fcntl flags, sockets (socket/bind/listen/accept4/getsockname), shutdown,
 * recv/send with flags. A WASI host answers synchronously, so it cannot use
 * Node's asynchronous net module for a guest's socket calls.
 *
 * Each function returns its result or a NEGATED errno number (Linux's), to be
 * mapped by errors.ts; nothing here throws for an OS error.
 */
import koffi from 'koffi';
import { constants as osConstants } from 'node:os';

const libc = koffi.load('libc.so.6');

const c = {
  poll: libc.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
  fcntl: libc.func('int fcntl(int fd, int cmd, int arg)'),
  socket: libc.func('int socket(int domain, int type, int protocol)'),
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, uint8_t *value, uint32_t len)'),
  bind: libc.func('int bind(int fd, uint8_t *addr, uint32_t len)'),
  listen: libc.func('int listen(int fd, int backlog)'),
  accept4: libc.func('int accept4(int fd, void *addr, void *len, int flags)'),
  getsockname: libc.func('int getsockname(int fd, _Out_ uint8_t *addr, _Inout_ uint32_t *len)'),
  shutdown: libc.func('int shutdown(int fd, int how)'),
  recv: libc.func('long recv(int fd, _Out_ uint8_t *buf, unsigned long len, int flags)'),
  send: libc.func('long send(int fd, uint8_t *buf, unsigned long len, int flags)'),
  close: libc.func('int close(int fd)'),
  lseek: libc.func('int64_t lseek(int fd, int64_t offset, int whence)'),
  fcntlDup: libc.func('int fcntl(int fd, int cmd, int arg)'),
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *len)'),
  isatty: libc.func('int isatty(int fd)'),
  utimensat: libc.func('int utimensat(int dirfd, const char *path, uint8_t *times, int flags)'),
  futimens: libc.func('int futimens(int fd, uint8_t *times)'),
};

const F_GETFL = 3;
const F_SETFL = 4;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
export const MSG_PEEK = 2;
export const MSG_WAITALL = 0x100;
const MSG_NOSIGNAL = 0x4000;
export const POLLIN = 1;
export const POLLOUT = 4;
export const POLLERR = 8;
export const POLLHUP = 16;
export const POLLNVAL = 32;

function fail(): number {
  return -koffi.errno();
}

/** The fd's status flags (F_GETFL), or -errno. */
export function getFlags(fd: number): number {
  const r = c.fcntl(fd, F_GETFL, 0) as number;
  return r < 0 ? fail() : r;
}

/** Sets or clears `flag` (O_APPEND, O_NONBLOCK) in the fd's status flags; 0 or -errno. */
export function setFlag(fd: number, flag: number, on: boolean): number {
  const old = getFlags(fd);
  if (old < 0) return old;
  const r = c.fcntl(fd, F_SETFL, on ? old | flag : old & ~flag) as number;
  return r < 0 ? fail() : 0;
}

/**
 * poll(2) over `fds` with `events` (POLLIN/POLLOUT); `timeoutMs` -1 blocks.
 * Fills `revents` and returns the number ready, or -errno.
 */
export function poll(fds: readonly number[], events: readonly number[], revents: number[], timeoutMs: number): number {
  const buf = Buffer.alloc(fds.length * 8);
  for (let i = 0; i < fds.length; i++) {
    buf.writeInt32LE(fds[i]!, i * 8);
    buf.writeInt16LE(events[i]!, i * 8 + 4);
  }
  const r = c.poll(buf, fds.length, timeoutMs) as number;
  if (r < 0) return fail();
  for (let i = 0; i < fds.length; i++) revents[i] = buf.readInt16LE(i * 8 + 6);
  return r;
}

function sockaddr(host: string, port: number): Buffer | null {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host === 'localhost' ? '127.0.0.1' : host);
  if (v4) {
    const a = Buffer.alloc(16);
    a.writeUInt16LE(AF_INET, 0);
    a.writeUInt16BE(port, 2);
    for (let i = 0; i < 4; i++) {
      const b = Number(v4[i + 1]);
      if (b > 255) return null;
      a[4 + i] = b;
    }
    return a;
  }
  if (host === '::1' || host === '::') {
    const a = Buffer.alloc(28);
    a.writeUInt16LE(AF_INET6, 0);
    a.writeUInt16BE(port, 2);
    if (host === '::1') a[23] = 1;
    return a;
  }
  return null;
}

/**
 * A listening TCP socket on `host:port` (numeric IPv4, `localhost`, `::1` or
 * `::`), close-on-exec, blocking. Returns the fd, or -errno (-EINVAL for a
 * host it cannot parse).
 */
export function listenTcp(host: string, port: number, backlog = 128): number {
  const addr = sockaddr(host, port);
  if (addr === null) return -osConstants.errno.EINVAL;
  const fd = c.socket(addr.readUInt16LE(0), SOCK_STREAM | SOCK_CLOEXEC, 0) as number;
  if (fd < 0) return fail();
  const one = Buffer.alloc(4);
  one.writeInt32LE(1, 0);
  let r = c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4) as number;
  if (r >= 0) r = c.bind(fd, addr, addr.length) as number;
  if (r >= 0) r = c.listen(fd, backlog) as number;
  if (r < 0) {
    const e = fail();
    c.close(fd);
    return e;
  }
  return fd;
}

/** The local port a socket is bound to, or -errno. */
export function localPort(fd: number): number {
  const addr = Buffer.alloc(28);
  const len = [28];
  const r = c.getsockname(fd, addr, len) as number;
  return r < 0 ? fail() : addr.readUInt16BE(2);
}

/** The local address of an IP socket (getsockname): family, address bytes (4 or 16) and port; null for any other socket. */
export function localAddress(fd: number): { family: 'ipv4' | 'ipv6'; address: number[]; port: number } | null {
  const addr = Buffer.alloc(28);
  const len = [28];
  if ((c.getsockname(fd, addr, len) as number) < 0) return null;
  const family = addr.readUInt16LE(0);
  if (family === AF_INET) return { family: 'ipv4', address: [...addr.subarray(4, 8)], port: addr.readUInt16BE(2) };
  if (family === AF_INET6) {
    const words: number[] = [];
    for (let i = 0; i < 8; i++) words.push(addr.readUInt16BE(8 + i * 2));
    return { family: 'ipv6', address: words, port: addr.readUInt16BE(2) };
  }
  return null;
}

/** accept4(2): a connected socket fd (close-on-exec; nonblocking if asked), or -errno. */
export function accept(fd: number, nonblock: boolean): number {
  const r = c.accept4(fd, null, null, SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0)) as number;
  return r < 0 ? fail() : r;
}

/** shutdown(2) with Linux's `how` (0 read, 1 write, 2 both); 0 or -errno. */
export function shutdown(fd: number, how: number): number {
  return (c.shutdown(fd, how) as number) < 0 ? fail() : 0;
}

/** recv(2) into `buf` with flags (MSG_PEEK, MSG_WAITALL): bytes or -errno. */
export function recv(fd: number, buf: Uint8Array, flags: number): number {
  const r = Number(c.recv(fd, buf, buf.length, flags));
  return r < 0 ? fail() : r;
}

/** send(2) without SIGPIPE: bytes or -errno. */
export function send(fd: number, buf: Uint8Array): number {
  const r = Number(c.send(fd, buf, buf.length, MSG_NOSIGNAL));
  return r < 0 ? fail() : r;
}

/** lseek(2): the new offset, or -errno (as bigints). */
export function lseek(fd: number, offset: bigint, whence: number): bigint {
  const r = BigInt(c.lseek(fd, offset, whence) as number | bigint);
  return r < 0n ? BigInt(-koffi.errno()) : r;
}

const F_DUPFD_CLOEXEC = 1030;
const SO_ACCEPTCONN = 30;

/** A new descriptor on the same open file description (close-on-exec), or -errno. */
export function dup(fd: number): number {
  const r = c.fcntlDup(fd, F_DUPFD_CLOEXEC, 0) as number;
  return r < 0 ? fail() : r;
}

/** Whether a socket is listening (SO_ACCEPTCONN); false for anything else. */
export function isListening(fd: number): boolean {
  const v = Buffer.alloc(4);
  const len = [4];
  return (c.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, v, len) as number) === 0 && v.readInt32LE(0) !== 0;
}

/** isatty(3). */
export function isTerminal(fd: number): boolean {
  return (c.isatty(fd) as number) === 1;
}

/** tv_nsec values of utimensat(2): set to the kernel's current time, or leave unchanged. */
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;
const AT_SYMLINK_NOFOLLOW = 0x100;

/** Two struct timespec (atime, mtime) from ns values, or UTIME_NOW / UTIME_OMIT markers (negative: -1 now, -2 omit). */
function timespecs(a: bigint, m: bigint): Buffer {
  const b = Buffer.alloc(32);
  const put = (at: number, ns: bigint) => {
    if (ns === -1n) b.writeBigInt64LE(BigInt(UTIME_NOW), at + 8);
    else if (ns === -2n) b.writeBigInt64LE(BigInt(UTIME_OMIT), at + 8);
    else {
      b.writeBigInt64LE(ns / 1_000_000_000n, at);
      b.writeBigInt64LE(ns % 1_000_000_000n, at + 8);
    }
  };
  put(0, a);
  put(16, m);
  return b;
}

/**
 * utimensat(dirfd, name, …, AT_SYMLINK_NOFOLLOW): nanosecond times for the
 * entry `name` of `dirfd` itself (a symlink's own times). `a`/`m` in ns, or
 * -1n (now) / -2n (leave unchanged). 0 or -errno.
 */
export function utimensat(dirfd: number, name: string, a: bigint, m: bigint): number {
  return (c.utimensat(dirfd, name, timespecs(a, m), AT_SYMLINK_NOFOLLOW) as number) < 0 ? fail() : 0;
}

/** futimens(2), with utimensat's time conventions. 0 or -errno. */
export function futimens(fd: number, a: bigint, m: bigint): number {
  return (c.futimens(fd, timespecs(a, m)) as number) < 0 ? fail() : 0;
}
