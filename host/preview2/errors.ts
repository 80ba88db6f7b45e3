// The two failure channels of the preview2 host (ARCHITECTURE.md, "Two
// failure channels"):
//
// - An expected failure the WIT lets a guest see (a missing file, a closed
//   stream) is THROWN AS A VALUE that jco lowers into the function's `result`:
//   an `error-code` string for wasi:filesystem and wasi:sockets, a
//   `stream-error` variant ({ tag: "closed" } / { tag: "last-operation-failed" })
//   for wasi:io/streams. jco turns any thrown non-Error into `err(value)`.
// - A guest contract violation (dropping a parent that has live children,
//   using a resource after it was dropped, a borrow used after its call, a
//   write beyond the check-write permit) is a TRAP: a ResourceTrap, which is
//   a WebAssembly.RuntimeError so that jco marks the instance as trapped and
//   refuses to enter it again, as wasmtime does after a trap.
//
// A host bug stays a plain Error and is never disguised as either.

import { IolifeError, type ErrorCode as CoreErrorCode } from "../core/index.js";
import { Errno } from "../os/types.js";

/** wasi:filesystem/types `error-code`. */
export type FsErrorCode =
  | "access" | "would-block" | "already" | "bad-descriptor" | "busy" | "deadlock" | "quota" | "exist"
  | "file-too-large" | "illegal-byte-sequence" | "in-progress" | "interrupted" | "invalid" | "io"
  | "is-directory" | "loop" | "too-many-links" | "message-size" | "name-too-long" | "no-device"
  | "no-entry" | "no-lock" | "insufficient-memory" | "insufficient-space" | "not-directory"
  | "not-empty" | "not-recoverable" | "unsupported" | "no-tty" | "no-such-device" | "overflow"
  | "not-permitted" | "pipe" | "read-only" | "invalid-seek" | "text-file-busy" | "cross-device";

/** wasi:sockets/network `error-code`. */
export type NetErrorCode =
  | "unknown" | "access-denied" | "not-supported" | "invalid-argument" | "out-of-memory" | "timeout"
  | "concurrency-conflict" | "not-in-progress" | "would-block" | "invalid-state" | "new-socket-limit"
  | "address-not-bindable" | "address-in-use" | "remote-unreachable" | "connection-refused"
  | "connection-reset" | "connection-aborted" | "datagram-too-large" | "name-unresolvable"
  | "temporary-resolver-failure" | "permanent-resolver-failure";

type ErrnoName = keyof typeof Errno;

/**
 * Every preview1 errno (the OS layer's vocabulary) as a filesystem
 * `error-code`. A Record over all the names, so a new errno cannot be
 * forgotten. Errnos with no filesystem meaning become `io`, which is what
 * wasmtime reports for an OS error it has no code for.
 */
const FS_CODES: Record<ErrnoName, FsErrorCode | null> = {
  success: null,
  "2big": "invalid",
  acces: "access",
  addrinuse: "io",
  addrnotavail: "io",
  afnosupport: "unsupported",
  again: "would-block",
  already: "already",
  badf: "bad-descriptor",
  badmsg: "io",
  busy: "busy",
  canceled: "interrupted",
  child: "io",
  connaborted: "io",
  connrefused: "io",
  connreset: "io",
  deadlk: "deadlock",
  destaddrreq: "io",
  dom: "invalid",
  dquot: "quota",
  exist: "exist",
  fault: "invalid",
  fbig: "file-too-large",
  hostunreach: "io",
  idrm: "io",
  ilseq: "illegal-byte-sequence",
  inprogress: "in-progress",
  intr: "interrupted",
  inval: "invalid",
  io: "io",
  isconn: "io",
  isdir: "is-directory",
  loop: "loop",
  mfile: "insufficient-memory",
  mlink: "too-many-links",
  msgsize: "message-size",
  multihop: "io",
  nametoolong: "name-too-long",
  netdown: "io",
  netreset: "io",
  netunreach: "io",
  nfile: "insufficient-memory",
  nobufs: "insufficient-memory",
  nodev: "no-device",
  noent: "no-entry",
  noexec: "io",
  nolck: "no-lock",
  nolink: "io",
  nomem: "insufficient-memory",
  nomsg: "io",
  noprotoopt: "unsupported",
  nospc: "insufficient-space",
  nosys: "unsupported",
  notconn: "io",
  notdir: "not-directory",
  notempty: "not-empty",
  notrecoverable: "not-recoverable",
  notsock: "io",
  notsup: "unsupported",
  notty: "no-tty",
  nxio: "no-such-device",
  overflow: "overflow",
  ownerdead: "io",
  perm: "not-permitted",
  pipe: "pipe",
  proto: "io",
  protonosupport: "unsupported",
  prototype: "unsupported",
  range: "invalid",
  rofs: "read-only",
  spipe: "invalid-seek",
  srch: "io",
  stale: "io",
  timedout: "io",
  txtbsy: "text-file-busy",
  xdev: "cross-device",
  // A path that would leave the sandbox: wasmtime (cap-std) reports it as
  // not-permitted, which its preview1 adapter turns back into EPERM.
  notcapable: "not-permitted",
};

/** The same for wasi:sockets. */
const NET_CODES: Partial<Record<ErrnoName, NetErrorCode>> = {
  acces: "access-denied",
  perm: "access-denied",
  notcapable: "access-denied",
  again: "would-block",
  inval: "invalid-argument",
  nomem: "out-of-memory",
  nobufs: "out-of-memory",
  timedout: "timeout",
  already: "concurrency-conflict",
  inprogress: "concurrency-conflict",
  addrnotavail: "address-not-bindable",
  addrinuse: "address-in-use",
  hostunreach: "remote-unreachable",
  netunreach: "remote-unreachable",
  netdown: "remote-unreachable",
  connrefused: "connection-refused",
  connreset: "connection-reset",
  pipe: "connection-reset",
  connaborted: "connection-aborted",
  msgsize: "datagram-too-large",
  notsup: "not-supported",
  nosys: "not-supported",
  afnosupport: "not-supported",
  mfile: "new-socket-limit",
  nfile: "new-socket-limit",
  notconn: "invalid-state",
  isconn: "invalid-state",
  badf: "invalid-state",
};

const ERRNO_NAMES: ErrnoName[] = (() => {
  const names: ErrnoName[] = [];
  for (const [name, value] of Object.entries(Errno)) names[value] = name as ErrnoName;
  return names;
})();

/** The filesystem error-code for an errno from the OS layer (a host bug if it is not an errno). */
export function fsCode(errno: number): FsErrorCode {
  const name = ERRNO_NAMES[errno];
  const code = name === undefined ? undefined : FS_CODES[name];
  if (code === undefined || code === null) throw new Error(`iolife/preview2: ${errno} is not a failure errno`);
  return code;
}

/** The sockets error-code for an errno from the OS layer; `unknown` for one with no socket meaning. */
export function netCode(errno: number): NetErrorCode {
  const name = ERRNO_NAMES[errno];
  if (name === undefined || name === "success") throw new Error(`iolife/preview2: ${errno} is not a failure errno`);
  return NET_CODES[name] ?? "unknown";
}

/**
 * A guest contract violation, raised as a trap. `code` is the ownership
 * core's reason (`has-children`, `closed`, `double-close`, `scope-ended`,
 * ...), or `"permit"` / `"poll"` / `"blocking"` for the rules the preview2
 * layer itself enforces.
 */
export class ResourceTrap extends WebAssembly.RuntimeError {
  readonly code: CoreErrorCode | "permit" | "poll" | "blocking" | "foreign";
  /** The core handle the trap is about (0 when none). */
  readonly handle: number;

  constructor(code: ResourceTrap["code"], message: string, handle = 0, cause?: unknown) {
    super(message);
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause, configurable: true, writable: true });
    this.name = "ResourceTrap";
    this.code = code;
    this.handle = handle;
  }
}

/** A trap for an operation the core refused (`what` names the WASI function). */
export function coreTrap(what: string, e: IolifeError, detail = ""): ResourceTrap {
  return new ResourceTrap(e.code, `${what}: ${e.message}${detail}`, e.handle, e);
}
