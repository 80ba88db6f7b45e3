// The closed set of errors the core reports. (ERR_*, so that no name can
// collide with the E_* entry field offsets of memory.ts, as E_RIGHTS once did.) Every operation returns either a
// result (>= 0) or the negated code below; the details that let the host name
// the handle and the reason are written to ERR (see index.ts for the layout
// the host reads). Refusals change nothing, with one documented exception:
// SCOPE_HAS_BORROWS is reported after the scope has ended.

/** The value can never be a handle of this table: a sentinel, out of range, never issued. */
export const ERR_UNKNOWN_HANDLE: i32 = 1;
/** The handle's slot now holds a different generation: it was closed and reused. */
export const ERR_STALE_HANDLE: i32 = 2;
/** The handle was closed (or released, transferred, renumbered away) and its slot not reused. */
export const ERR_CLOSED: i32 = 3;
/** close/release of a handle that is already closed. */
export const ERR_DOUBLE_CLOSE: i32 = 4;
/** The entry's kind does not allow the operation (e.g. registering with a non-poller). */
export const ERR_WRONG_KIND: i32 = 5;
/** The handle is lent out (shared borrows, or one exclusive borrow) and the operation needs it not to be. */
export const ERR_LENT: i32 = 6;
/** Only an owner may do this (close, dup, transfer, renumber, be a parent, lend exclusively). */
export const ERR_NOT_OWNER: i32 = 7;
/** release() of a handle that is not a borrow. */
export const ERR_NOT_BORROW: i32 = 8;
/** A borrow used after its scope ended (the scope revoked it). */
export const ERR_SCOPE_ENDED: i32 = 9;
/** A scope ended while borrows made in it were still live; they have been revoked. */
export const ERR_SCOPE_HAS_BORROWS: i32 = 10;
/** The scope is not live, not the innermost, or would outlive the borrow's lender. */
export const ERR_SCOPE_INVALID: i32 = 11;
/** The handle lacks a right the operation needs, or a narrowing asked for more rights. */
export const ERR_RIGHTS: i32 = 12;
/** The handle has live children (streams of a file, pollables of a stream). */
export const ERR_HAS_CHILDREN: i32 = 13;
/** The handle is a child of another handle and cannot leave it (transfer). */
export const ERR_HAS_PARENT: i32 = 14;
/** The handle is already registered with a poller. */
export const ERR_ALREADY_REGISTERED: i32 = 15;
/** re-/deregistration of a handle that is not registered. */
export const ERR_NOT_REGISTERED: i32 = 16;
/** re-/deregistration through a poller other than the one the handle is registered with. */
export const ERR_WRONG_POLLER: i32 = 17;
/** The table (or its scope stack) is full. */
export const ERR_FULL: i32 = 18;
/** An argument is out of its domain (unknown kind, rights bits, empty interest, …). */
export const ERR_INVALID_ARGUMENT: i32 = 19;
/** The table id is not a live table (its last sharer let it go). */
export const ERR_TABLE_CLOSED: i32 = 20;

// Error details, read by the host after a negative return:
//   ERR+0  handle the error is about
//   ERR+4  slot index (or -1)
//   ERR+8  a count (lends, children, registrations, capacity, depth)
//   ERR+12 another handle or value (exclusive borrower, poller, current generation, scope)
//   ERR+16 a sub-reason (see index.ts: REASON_*)
export const ERR: usize = memory.data(32, 8);

/** Records the details of an error and returns its negated code. */
export function fail(code: i32, h: u32, slot: i32, count: u32, other: u32, reason: u32): i32 {
  store<u32>(ERR, h, 0);
  store<i32>(ERR, slot, 4);
  store<u32>(ERR, count, 8);
  store<u32>(ERR, other, 12);
  store<u32>(ERR, reason, 16);
  return -code;
}
