// The numbers the reference model shares with the core: the handle bit layout
// and the argument domains. Restated from assembly/layout.ts on purpose: the
// model is a second, independent reading of the spec, so it does not import
// the implementation's constants (only the public vocabulary of names, from
// host/core/constants.ts, so that error codes compare by name).
//
//   bit 31      bits 30..20 (11 bits)   bits 19..0 (20 bits)
//   ┌───┬───────────────────────────┬──────────────────────────┐
//   │ 0 │ generation                │ slot index + 1           │
//   └───┴───────────────────────────┴──────────────────────────┘

export const INDEX_BITS = 20;
/** Mask of the slot field (which holds index + 1, so it is never 0 in a handle). */
export const INDEX_MASK = (1 << INDEX_BITS) - 1;
/** Generations count modulo 2^11. */
export const GEN_MASK = (1 << (31 - INDEX_BITS)) - 1;

/** The niche: never issued. */
export const NONE = 0;
/** The invalid sentinel: never issued. */
export const INVALID = 0xffff_ffff;

/** The handle of slot `index` at generation `generation`. */
export function handleOf(index: number, generation: number): number {
  return (((generation & GEN_MASK) << INDEX_BITS) | (index + 1)) >>> 0;
}

/** The slot index a value names, or -1 if it cannot be a handle at all (bit 31 set, or slot field 0). */
export function slotIndexOf(h: number): number {
  if ((h >>> 0) >= 0x8000_0000) return -1;
  return (h & INDEX_MASK) - 1;
}

/** The generation a value names. */
export function generationOf(h: number): number {
  return (h >>> 0) >>> INDEX_BITS;
}

// ---- Tables -------------------------------------------------------------------
/** Largest capacity: the slot field must fit index + 1. */
export const MAX_CAPACITY = INDEX_MASK;
/** Most tables alive at once in one core (a table id's slot field is 16 bits). */
export const MAX_TABLES = 0xffff;
/** Table ids carry a 15-bit generation above a 16-bit registry slot + 1. */
export const TABLE_GEN_MASK = 0x7fff;
export const POLICY_GENERATIONAL = 0;
export const POLICY_LOWEST = 1;
/** Deepest nesting of borrow scopes in one table. */
export const MAX_SCOPE_DEPTH = 256;
/** Scope serials count modulo 2^31, skipping 0 ("no scope"). */
export const SERIAL_MASK = 0x7fff_ffff;

/** A table id: registry slot `index`, generation `generation`. */
export function tableIdOf(index: number, generation: number): number {
  return ((generation << 16) | (index + 1)) >>> 0;
}

// ---- Argument domains ---------------------------------------------------------
export const KIND_POLLER = 7;
export const KIND_MAX = 11;
export const ROLE_MAX = 5;
/** WASI preview1's 30 rights. */
export const RIGHTS_ALL = (1 << 30) - 1;
/** As `rights` to borrow/dup: keep the source's rights. */
export const RIGHTS_INHERIT = 0xffff_ffff;
export const RIGHT_FD_SEEK = 1 << 2;
export const RIGHT_FD_FDSTAT_SET_FLAGS = 1 << 3;
export const RIGHT_FD_TELL = 1 << 5;
export const RIGHT_POLL_FD_READWRITE = 1 << 27;
/** Description flags: APPEND, DSYNC, NONBLOCK, RSYNC, SYNC. */
export const DFLAGS_ALL = (1 << 5) - 1;
/** Handle flags: CLOEXEC only. */
export const HFLAG_CLOEXEC = 1;
export const HFLAGS_ALL = 1;
/** Poll interest: READABLE, WRITABLE, PRIORITY; never empty. */
export const INTEREST_ALL = (1 << 3) - 1;
