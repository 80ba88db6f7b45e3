// The bit layout of a handle, and every constant the core's callers share.
// This is the only file that shifts or masks a handle (see encode/decode).
//
//   bit 31      bits 30..20 (11 bits)   bits 19..0 (20 bits)
//   ┌───┬───────────────────────────┬──────────────────────────┐
//   │ 0 │ generation                │ slot index + 1           │
//   └───┴───────────────────────────┴──────────────────────────┘
//
// - The slot field stores index + 1, so no handle is ever 0: 0 is the niche
//   ("none"), and `option<handle>` costs nothing.
// - Bit 31 is always clear, so no handle is ever 0xFFFF_FFFF (the "invalid"
//   sentinel, like Rust's HandleOrInvalid) and every handle is a positive i32;
//   the core returns errors as negative i32 in the same return value.
// - A slot's first occupant has generation 0, so the first handles a table
//   issues are 1, 2, 3, … and a WASI host that numbers fds as `handle - 1`
//   gets stdin/stdout/stderr at 0, 1, 2 and preopens from 3.
// - The generation advances (mod 2^11) each time a slot is reused, so a stale
//   handle is detected until the slot has been reused 2048 times; the wrap
//   never produces a sentinel, since the slot field is never 0 and bit 31 is
//   never set.

/** Bits of the slot field. 20 bits: about a million slots per table. */
export const INDEX_BITS: u32 = 20;
/** Mask of the slot field (index + 1). */
export const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
/** Bits of the generation: the rest below bit 31. */
export const GEN_BITS: u32 = 31 - INDEX_BITS;
/** Mask of a generation once shifted down. */
export const GEN_MASK: u32 = (1 << GEN_BITS) - 1;
/** Largest capacity: the slot field holds index + 1 and must not be 0. */
export const MAX_CAPACITY: u32 = INDEX_MASK;
/** Default capacity, as POSIX's customary RLIMIT_NOFILE soft limit. */
export const DEFAULT_CAPACITY: u32 = 1024;
/** The niche: never issued, means "no handle". */
export const NONE: u32 = 0;
/** The invalid sentinel: never issued (bit 31 is never set). */
export const INVALID: u32 = 0xFFFF_FFFF;

/** Builds the handle for slot `index` at generation `gen`. */
// @ts-ignore: decorator
@inline export function encode(index: u32, gen: u32): u32 {
  return ((gen & GEN_MASK) << INDEX_BITS) | (index + 1);
}

/**
 * The slot index of a handle, or -1 when the value cannot be a handle at all
 * (0, the invalid sentinel, anything with bit 31 set, or a zero slot field).
 */
// @ts-ignore: decorator
@inline export function decodeIndex(h: u32): i32 {
  if (h & 0x8000_0000) return -1;
  return <i32>(h & INDEX_MASK) - 1;
}

/** The generation of a handle (meaningful only when decodeIndex(h) >= 0). */
// @ts-ignore: decorator
@inline export function decodeGen(h: u32): u32 {
  return h >>> INDEX_BITS;
}

// ---- Numbering policies ---------------------------------------------------
/** Generational numbering (default): stale handles are detected. */
export const POLICY_GENERATIONAL: u32 = 0;
/** POSIX numbering: the lowest free slot is reused, generation stays 0. */
export const POLICY_LOWEST: u32 = 1;

// ---- Kinds (what an entry stands for) --------------------------------------
export const KIND_FILE: u32 = 1;
export const KIND_DIRECTORY: u32 = 2;
export const KIND_PIPE: u32 = 3;
export const KIND_SOCKET: u32 = 4;
export const KIND_LISTENER: u32 = 5;
export const KIND_CHAR_DEVICE: u32 = 6;
export const KIND_POLLER: u32 = 7;
export const KIND_STREAM: u32 = 8;
export const KIND_POLLABLE: u32 = 9;
export const KIND_DIR_STREAM: u32 = 10;
export const KIND_OTHER: u32 = 11;
export const KIND_MAX: u32 = 11;

// ---- Roles ------------------------------------------------------------------
export const ROLE_REGULAR: u32 = 0;
export const ROLE_STDIN: u32 = 1;
export const ROLE_STDOUT: u32 = 2;
export const ROLE_STDERR: u32 = 3;
export const ROLE_IPC: u32 = 4;
export const ROLE_EVENT: u32 = 5;
export const ROLE_MAX: u32 = 5;

// ---- Rights: the bit positions of WASI preview1's `rights`, so a preview1
// host reports them unchanged. Bits 0..29; the core refuses any other bit.
export const RIGHT_FD_DATASYNC: u32 = 1 << 0;
export const RIGHT_FD_READ: u32 = 1 << 1;
export const RIGHT_FD_SEEK: u32 = 1 << 2;
export const RIGHT_FD_FDSTAT_SET_FLAGS: u32 = 1 << 3;
export const RIGHT_FD_SYNC: u32 = 1 << 4;
export const RIGHT_FD_TELL: u32 = 1 << 5;
export const RIGHT_FD_WRITE: u32 = 1 << 6;
export const RIGHT_POLL_FD_READWRITE: u32 = 1 << 27;
/** Every right the core knows (WASI preview1's 30 rights). */
export const RIGHTS_ALL: u32 = (1 << 30) - 1;
/** Passed as `rights` to borrow/dup: keep the source's rights unchanged. */
export const RIGHTS_INHERIT: u32 = 0xFFFF_FFFF;

// ---- Description flags: WASI preview1 `fdflags` bit positions; they belong
// to the open description and are shared by dup'ed handles.
export const DFLAG_APPEND: u32 = 1 << 0;
export const DFLAG_DSYNC: u32 = 1 << 1;
export const DFLAG_NONBLOCK: u32 = 1 << 2;
export const DFLAG_RSYNC: u32 = 1 << 3;
export const DFLAG_SYNC: u32 = 1 << 4;
export const DFLAGS_ALL: u32 = (1 << 5) - 1;

// ---- Handle flags: belong to one handle, never shared.
/** Close this handle on exec; cleared by dup. */
export const HFLAG_CLOEXEC: u32 = 1 << 0;
export const HFLAGS_ALL: u32 = 1;

// ---- Poll interest (after mio's Interest): never empty.
export const INTEREST_READABLE: u32 = 1 << 0;
export const INTEREST_WRITABLE: u32 = 1 << 1;
export const INTEREST_PRIORITY: u32 = 1 << 2;
export const INTEREST_ALL: u32 = (1 << 3) - 1;

/** Deepest nesting of borrow scopes in one table. */
export const MAX_SCOPE_DEPTH: u32 = 256;
