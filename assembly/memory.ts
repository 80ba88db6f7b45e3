// Memory layouts of the core's records. Every field is a u32 at a fixed
// offset; records live in blocks from heap.alloc (TLSF) and are reached only
// through the accessors in table.ts.

// ---- Table header (one per table) -------------------------------------------
export const T_CAPACITY: u32 = 0;   // most slots this table may use
export const T_POLICY: u32 = 4;     // POLICY_GENERATIONAL or POLICY_LOWEST
export const T_NOREUSE: u32 = 8;    // 1: debug switch, freed slots are never reused
export const T_ENTRIES: u32 = 12;   // pointer to the entry array (ENTRY_SIZE each)
export const T_ALLOC: u32 = 16;     // slots allocated in the entry array (grows by doubling)
export const T_HIGH: u32 = 20;      // high-water mark: slots below it have been issued
export const T_FREE: u32 = 24;      // head of the in-slot free list (index + 1, 0 = empty)
export const T_COUNT: u32 = 28;     // live entries (owners and borrows)
export const T_SHARERS: u32 = 32;   // sharers (CLONE_FILES); the last one closes all
export const T_DEPTH: u32 = 36;     // scopes currently open
export const T_SCOPES: u32 = 40;    // pointer to the scope stack (SCOPE_SIZE each), 0 until first use
export const T_SERIAL: u32 = 44;    // last scope serial issued
export const T_BITMAP: u32 = 48;    // occupancy bitmap (POLICY_LOWEST only), 1 bit per allocated slot
export const T_HINT: u32 = 52;      // lowest bitmap word that may hold a free slot
export const TABLE_SIZE: u32 = 56;

// ---- Entry (one per slot) -----------------------------------------------------
// Invariants:
// - state is S_OWNED, S_SHARED or S_EXCL exactly when the slot is live.
// - a free slot keeps the generation of its last occupant and, in its state,
//   how that occupant ended; generational tables bump the generation on reuse.
// - a borrow's desc is its lender's; only owners hold a description reference.
// - a borrow's lender lives in the same table, or (ltable != 0) in the table
//   whose header ltable is; that table cannot be freed while it is lent to.
// - lends counts live shared borrows whose lender is this entry; excl is the
//   live exclusive borrow of this entry or 0; both 0 before it may close.
// - children counts live entries whose parent is this entry.
// - regs (pollers only) counts live entries registered with this poller.
export const E_GEN: u32 = 0;        // generation of the current (or last) occupant
export const E_META: u32 = 4;       // state | kind << 8 | role << 16 | hflags << 24
export const E_RIGHTS: u32 = 8;
export const E_DESC: u32 = 12;      // description index + 1
export const E_LENDER: u32 = 16;    // borrows: the handle this borrow was lent from
export const E_LENDS: u32 = 20;     // live shared borrows lent from this entry
export const E_EXCL: u32 = 24;      // live exclusive borrow lent from this entry, or 0
export const E_PARENT: u32 = 28;    // parent handle, or 0
export const E_CHILDREN: u32 = 32;  // live children
export const E_POLLER: u32 = 36;    // poller this entry is registered with, or 0
export const E_TOKEN: u32 = 40;
export const E_INTEREST: u32 = 44;
export const E_REGS: u32 = 48;      // pollers: live registrations
export const E_SCOPE: u32 = 52;     // borrows: serial of the scope, 0 = unscoped
export const E_NEXT: u32 = 56;      // scoped borrows: next in scope list; free slots: next free (index + 1)
export const E_PREV: u32 = 60;      // scoped borrows: previous in scope list (index + 1)
export const E_LTABLE: u32 = 64;    // borrows lent from another table: that table's header, else 0
export const ENTRY_SIZE: u32 = 72;  // 17 fields, padded to 8 bytes

// Entry states. Live: OWNED, SHARED, EXCL. The rest say how a free slot's last
// occupant ended, so a late use gets the precise error.
export const S_NEVER: u32 = 0;
export const S_OWNED: u32 = 1;
export const S_SHARED: u32 = 2;
export const S_EXCL: u32 = 3;
export const S_CLOSED: u32 = 4;
export const S_RELEASED: u32 = 5;
export const S_REVOKED: u32 = 6;
export const S_TRANSFERRED: u32 = 7;
export const S_RENUMBERED: u32 = 8;
export const S_NOT_INHERITED: u32 = 9;

// ---- Scope record (stack of MAX_SCOPE_DEPTH per table) -------------------------
export const SC_SERIAL: u32 = 0;
export const SC_HEAD: u32 = 4;      // most recent borrow of the scope (index + 1)
export const SC_COUNT: u32 = 8;     // live borrows in the scope
export const SCOPE_SIZE: u32 = 12;

// ---- Open description (global pool, shared by tables, forks and dups) ------------
export const D_REFS: u32 = 0;       // owner handles referring to it (in any table)
export const D_FLAGS: u32 = 4;      // DFLAG_* (APPEND, NONBLOCK, SYNC, …)
export const D_HOST: u32 = 8;       // the host's id for the resource behind it
export const D_NEXT: u32 = 12;      // free list link (index + 1)
export const D_OFFSET: u32 = 16;    // u64 file offset
export const DESC_SIZE: u32 = 24;

// ---- Table registry slot -------------------------------------------------------
export const R_PTR: u32 = 0;        // table header, or 0 when free
export const R_GEN: u32 = 4;        // generation of the id
export const R_NEXT: u32 = 8;       // free list link (index + 1)
export const REG_SIZE: u32 = 12;
