// The TypeScript mirror of assembly/layout.ts and assembly/errors.ts.
// test/core/constants.node.test.ts fails if the two drift apart.

/** What an entry stands for. */
export const KINDS = {
  file: 1,
  directory: 2,
  pipe: 3,
  socket: 4,
  listener: 5,
  "char-device": 6,
  poller: 7,
  stream: 8,
  pollable: 9,
  "dir-stream": 10,
  other: 11,
} as const;
export type Kind = keyof typeof KINDS;

/** What an entry is for, as a process sees it. */
export const ROLES = {
  regular: 0,
  stdin: 1,
  stdout: 2,
  stderr: 3,
  ipc: 4,
  event: 5,
} as const;
export type Role = keyof typeof ROLES;

/** Rights: WASI preview1's bit positions, with short names. */
export const RIGHTS = {
  datasync: 1 << 0,
  read: 1 << 1,
  seek: 1 << 2,
  "set-flags": 1 << 3,
  sync: 1 << 4,
  tell: 1 << 5,
  write: 1 << 6,
  advise: 1 << 7,
  allocate: 1 << 8,
  "create-directory": 1 << 9,
  "create-file": 1 << 10,
  "link-source": 1 << 11,
  "link-target": 1 << 12,
  open: 1 << 13,
  readdir: 1 << 14,
  readlink: 1 << 15,
  "rename-source": 1 << 16,
  "rename-target": 1 << 17,
  "path-stat": 1 << 18,
  "path-set-size": 1 << 19,
  "path-set-times": 1 << 20,
  stat: 1 << 21,
  "set-size": 1 << 22,
  "set-times": 1 << 23,
  symlink: 1 << 24,
  "remove-directory": 1 << 25,
  "unlink-file": 1 << 26,
  poll: 1 << 27,
  shutdown: 1 << 28,
  accept: 1 << 29,
} as const;
export type Right = keyof typeof RIGHTS;
/** Every right. */
export const RIGHTS_ALL = (1 << 30) - 1;
/** Passed to the core's borrow/dup: keep the source's rights. */
export const RIGHTS_INHERIT = 0xffff_ffff;

/** Open-description flags (shared by dup'ed handles): WASI `fdflags` bits. */
export const DESCRIPTION_FLAGS = {
  append: 1 << 0,
  dsync: 1 << 1,
  nonblock: 1 << 2,
  rsync: 1 << 3,
  sync: 1 << 4,
} as const;
export type DescriptionFlag = keyof typeof DESCRIPTION_FLAGS;

/** Per-handle flags. */
export const HFLAG_CLOEXEC = 1;

/** Poll interest (never empty). */
export const INTEREST = {
  readable: 1 << 0,
  writable: 1 << 1,
  priority: 1 << 2,
} as const;
export type Interest = keyof typeof INTEREST;

/** Numbering policies. */
export const POLICIES = { generational: 0, lowest: 1 } as const;
export type Numbering = keyof typeof POLICIES;

/** Entry states as the core reports them (live ones, then how a freed slot ended). */
export const STATES = [
  "never", "owned", "shared-borrow", "exclusive-borrow", "closed", "released",
  "revoked", "transferred", "renumbered", "not-inherited",
] as const;
export type State = (typeof STATES)[number];

/** Handle bit layout (see assembly/layout.ts). */
export const INDEX_BITS = 20;
export const INDEX_MASK = (1 << INDEX_BITS) - 1;
export const GEN_BITS = 31 - INDEX_BITS;
export const MAX_CAPACITY = INDEX_MASK;
export const DEFAULT_CAPACITY = 1024;
export const MAX_SCOPE_DEPTH = 256;

/**
 * The closed set of errors, by core code (1-based: code n is ERROR_CODES[n - 1]).
 * Names are those of the WIT `error-code` enum.
 */
export const ERROR_CODES = [
  "unknown-handle",
  "stale-handle",
  "closed",
  "double-close",
  "wrong-kind",
  "lent",
  "not-owner",
  "not-borrow",
  "scope-ended",
  "scope-has-borrows",
  "scope-invalid",
  "rights",
  "has-children",
  "has-parent",
  "already-registered",
  "not-registered",
  "wrong-poller",
  "full",
  "invalid-argument",
  "table-closed",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
