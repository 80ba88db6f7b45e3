/**
 * The one place where Node/OS error codes become WASI errno values.
 */
import { constants as osConstants } from 'node:os';
import { Errno } from '../types.js';

/** A Node system error: `err.code` is the OS name (`'ENOENT'`), `err.errno` the negated number. */
interface SystemError {
  code?: unknown;
  errno?: unknown;
}

/** Linux errno number → name, for the codes libuv does not name itself. */
const ERRNO_BY_NUMBER: ReadonlyMap<number, string> = (() => {
  const map = new Map<number, string>();
  for (const [name, value] of Object.entries(osConstants.errno)) {
    if (!map.has(value)) map.set(value, name);
  }
  return map;
})();

/**
 * Map an OS error code name (`'ENOENT'`, as in Node's `err.code`) to the WASI
 * errno vocabulary. Every errno Linux can report from a file-system or
 * descriptor call is listed; a code not listed is not an expected guest
 * error but a host bug, so it THROWS.
 */
export function errnoFromCode(code: string): Errno {
  switch (code) {
    case 'E2BIG': return Errno['2big'];
    case 'EACCES': return Errno.acces;
    case 'EADDRINUSE': return Errno.addrinuse;
    case 'EADDRNOTAVAIL': return Errno.addrnotavail;
    case 'EAFNOSUPPORT': return Errno.afnosupport;
    case 'EAGAIN': return Errno.again;
    case 'EWOULDBLOCK': return Errno.again;
    case 'EALREADY': return Errno.already;
    case 'EBADF': return Errno.badf;
    case 'EBADMSG': return Errno.badmsg;
    case 'EBUSY': return Errno.busy;
    case 'ECANCELED': return Errno.canceled;
    case 'ECHILD': return Errno.child;
    case 'ECONNABORTED': return Errno.connaborted;
    case 'ECONNREFUSED': return Errno.connrefused;
    case 'ECONNRESET': return Errno.connreset;
    case 'EDEADLK': return Errno.deadlk;
    case 'EDEADLOCK': return Errno.deadlk;
    case 'EDESTADDRREQ': return Errno.destaddrreq;
    case 'EDOM': return Errno.dom;
    case 'EDQUOT': return Errno.dquot;
    case 'EEXIST': return Errno.exist;
    case 'EFAULT': return Errno.fault;
    case 'EFBIG': return Errno.fbig;
    case 'EHOSTUNREACH': return Errno.hostunreach;
    case 'EHOSTDOWN': return Errno.hostunreach;
    case 'EIDRM': return Errno.idrm;
    case 'EILSEQ': return Errno.ilseq;
    case 'EINPROGRESS': return Errno.inprogress;
    case 'EINTR': return Errno.intr;
    case 'EINVAL': return Errno.inval;
    case 'EIO': return Errno.io;
    case 'EREMOTEIO': return Errno.io;
    case 'EISCONN': return Errno.isconn;
    case 'EISDIR': return Errno.isdir;
    case 'ELOOP': return Errno.loop;
    case 'EMFILE': return Errno.mfile;
    case 'EMLINK': return Errno.mlink;
    case 'EMSGSIZE': return Errno.msgsize;
    case 'EMULTIHOP': return Errno.multihop;
    case 'ENAMETOOLONG': return Errno.nametoolong;
    case 'ENETDOWN': return Errno.netdown;
    case 'ENETRESET': return Errno.netreset;
    case 'ENETUNREACH': return Errno.netunreach;
    case 'ENFILE': return Errno.nfile;
    case 'ENOBUFS': return Errno.nobufs;
    case 'ENODEV': return Errno.nodev;
    case 'ENOENT': return Errno.noent;
    case 'ENOEXEC': return Errno.noexec;
    case 'ENOLCK': return Errno.nolck;
    case 'ENOLINK': return Errno.nolink;
    case 'ENOMEM': return Errno.nomem;
    case 'ENOMSG': return Errno.nomsg;
    case 'ENOPROTOOPT': return Errno.noprotoopt;
    case 'ENOSPC': return Errno.nospc;
    case 'ENOSYS': return Errno.nosys;
    case 'ENOTCONN': return Errno.notconn;
    case 'ENOTDIR': return Errno.notdir;
    case 'ENOTEMPTY': return Errno.notempty;
    case 'ENOTRECOVERABLE': return Errno.notrecoverable;
    case 'ENOTSOCK': return Errno.notsock;
    case 'ENOTSUP': return Errno.notsup;
    case 'EOPNOTSUPP': return Errno.notsup;
    case 'ENOTTY': return Errno.notty;
    case 'ENXIO': return Errno.nxio;
    case 'EOVERFLOW': return Errno.overflow;
    case 'EOWNERDEAD': return Errno.ownerdead;
    case 'EPERM': return Errno.perm;
    case 'EPIPE': return Errno.pipe;
    case 'EPROTO': return Errno.proto;
    case 'EPROTONOSUPPORT': return Errno.protonosupport;
    case 'EPROTOTYPE': return Errno.prototype;
    case 'ERANGE': return Errno.range;
    case 'EROFS': return Errno.rofs;
    case 'ESPIPE': return Errno.spipe;
    case 'ESRCH': return Errno.srch;
    case 'ESTALE': return Errno.stale;
    case 'ETIMEDOUT': return Errno.timedout;
    case 'ETXTBSY': return Errno.txtbsy;
    case 'EXDEV': return Errno.xdev;
    default:
      throw new Error(`iolife host bug: OS error code ${JSON.stringify(code)} has no WASI errno mapping`);
  }
}

/**
 * Map an error thrown by a `node:fs` call to a WASI errno. Anything that is
 * not an OS error Node reported (a TypeError from bad arguments, a Node
 * `ERR_*` code, a code with no mapping) is a host bug: it is RE-THROWN as is,
 * never turned into a guest-visible errno.
 */
export function errnoFromError(err: unknown): Errno {
  if (typeof err !== 'object' || err === null) throw err;
  const { code, errno } = err as SystemError;
  if (typeof code !== 'string' || typeof errno !== 'number') throw err;
  let name = code;
  // libuv names only the errors it knows; others arrive as 'UNKNOWN' or
  // 'Unknown system error -N'. Name them from the number.
  if (!/^E[A-Z0-9]+$/.test(name)) {
    const byNumber = ERRNO_BY_NUMBER.get(-errno);
    if (byNumber === undefined) throw err;
    name = byNumber;
  }
  try {
    return errnoFromCode(name);
  } catch {
    throw new Error(`iolife host bug: unexpected OS error ${name}`, { cause: err });
  }
}

/** Map a Linux errno number (as syscalls through sys.ts report it, positive) to WASI. Unknown → throws (host bug). */
export function errnoFromNumber(n: number): Errno {
  const name = ERRNO_BY_NUMBER.get(n);
  if (name === undefined) throw new Error(`iolife host bug: OS errno ${n} has no name`);
  return errnoFromCode(name);
}
