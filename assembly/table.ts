// The handle table and borrow checker. Each exported operation validates
// everything first, in the order its comment lists, and changes nothing when
// it refuses (the one exception, scope_end's SCOPE_HAS_BORROWS, is noted).
// test/model/ is the readable reference this file is checked against.

import {
  encode, decodeIndex, decodeGen, GEN_MASK, INDEX_MASK, MAX_CAPACITY,
  POLICY_GENERATIONAL, POLICY_LOWEST, KIND_MAX, KIND_POLLER, ROLE_MAX,
  RIGHTS_ALL, RIGHTS_INHERIT, DFLAGS_ALL, HFLAGS_ALL, HFLAG_CLOEXEC, INTEREST_ALL,
  MAX_SCOPE_DEPTH, RIGHT_FD_FDSTAT_SET_FLAGS, RIGHT_FD_SEEK, RIGHT_FD_TELL,
  RIGHT_POLL_FD_READWRITE,
} from "./layout";
import {
  fail, ERR_UNKNOWN_HANDLE, ERR_STALE_HANDLE, ERR_CLOSED, ERR_DOUBLE_CLOSE, ERR_WRONG_KIND,
  ERR_LENT, ERR_NOT_OWNER, ERR_NOT_BORROW, ERR_SCOPE_ENDED, ERR_SCOPE_HAS_BORROWS,
  ERR_SCOPE_INVALID, ERR_RIGHTS, ERR_HAS_CHILDREN, ERR_HAS_PARENT, ERR_ALREADY_REGISTERED,
  ERR_NOT_REGISTERED, ERR_WRONG_POLLER, ERR_FULL, ERR_INVALID_ARGUMENT, ERR_TABLE_CLOSED,
} from "./errors";
import {
  T_CAPACITY, T_POLICY, T_NOREUSE, T_ENTRIES, T_ALLOC, T_HIGH, T_FREE, T_COUNT,
  T_SHARERS, T_DEPTH, T_SCOPES, T_SERIAL, T_BITMAP, T_HINT, TABLE_SIZE,
  E_GEN, E_META, E_RIGHTS, E_DESC, E_LENDER, E_LENDS, E_EXCL, E_PARENT, E_CHILDREN,
  E_POLLER, E_TOKEN, E_INTEREST, E_REGS, E_SCOPE, E_NEXT, E_PREV, E_LTABLE, ENTRY_SIZE,
  S_NEVER, S_OWNED, S_SHARED, S_EXCL, S_CLOSED, S_RELEASED, S_REVOKED,
  S_TRANSFERRED, S_RENUMBERED, S_NOT_INHERITED,
  SC_SERIAL, SC_HEAD, SC_COUNT, SCOPE_SIZE,
  D_REFS, D_FLAGS, D_HOST, D_NEXT, D_OFFSET, DESC_SIZE,
  R_PTR, R_GEN, R_NEXT, REG_SIZE,
} from "./memory";

/** Most tables alive at once in one core instance (the id's slot field is 16 bits). */
const MAX_TABLES: u32 = 0xFFFF;
/** A table's entry array starts this small and doubles up to its capacity. */
const INITIAL_SLOTS: u32 = 16;
/** Meta bit used by exec/close-all to mark entries to close. */
const META_MARK: u32 = 0x80;
/** NOT_OWNER's reason when a shared borrow is asked to lend exclusively. */
const REASON_SHARED_CANNOT_LEND_EXCLUSIVELY: u32 = 0x100;

// The error of the last failed lookup (negative), for the caller to return.
let lookupError: i32 = 0;

/** heap.realloc, which (in TLSF) needs a block: a null pointer allocates instead. */
function resize(ptr: usize, size: usize): usize {
  return ptr ? heap.realloc(ptr, size) : heap.alloc(size);
}

// ---- Released descriptions ---------------------------------------------------
// Each operation that may release descriptions clears this queue and appends
// the host id of every description whose last owner it closed.
let relPtr: usize = 0;
let relCap: u32 = 0;
let relCount: u32 = 0;

export function releasedPtr(): usize { return relPtr; }
export function releasedCount(): u32 { return relCount; }

function pushReleased(host: u32): void {
  if (relCount == relCap) {
    relCap = relCap ? relCap << 1 : 16;
    relPtr = resize(relPtr, <usize>relCap << 2);
  }
  store<u32>(relPtr + (<usize>relCount << 2), host);
  relCount++;
}

// ---- Open descriptions (one pool for all tables) --------------------------------
let dPtr: usize = 0;
let dCap: u32 = 0;
let dHigh: u32 = 0;
let dFree: u32 = 0;
let dLive: u32 = 0;

export function descriptionCount(): u32 { return dLive; }

// @ts-ignore: decorator
@inline function descAt(index: u32): usize { return dPtr + <usize>index * DESC_SIZE; }

function allocDesc(host: u32, flags: u32): u32 {
  let index: u32;
  if (dFree) {
    index = dFree - 1;
    dFree = load<u32>(descAt(index), D_NEXT);
  } else {
    if (dHigh == dCap) {
      dCap = dCap ? dCap << 1 : 16;
      dPtr = resize(dPtr, <usize>dCap * DESC_SIZE);
    }
    index = dHigh++;
  }
  const d = descAt(index);
  store<u32>(d, 1, D_REFS);
  store<u32>(d, flags, D_FLAGS);
  store<u32>(d, host, D_HOST);
  store<u32>(d, 0, D_NEXT);
  store<u64>(d, 0, D_OFFSET);
  dLive++;
  return index;
}

/** Drops one owner reference; releases the description (once) at zero. Returns 1 if released. */
function dropDescRef(index: u32): u32 {
  const d = descAt(index);
  const refs = load<u32>(d, D_REFS) - 1;
  store<u32>(d, refs, D_REFS);
  if (refs) return 0;
  pushReleased(load<u32>(d, D_HOST));
  store<u32>(d, dFree, D_NEXT);
  dFree = index + 1;
  dLive--;
  return 1;
}

// ---- Table registry -------------------------------------------------------------
// A table id is (generation << 16) | (registry slot + 1): never 0, bit 31
// clear, and a dropped table's id is refused even after its slot is reused.
let regPtr: usize = 0;
let regCap: u32 = 0;
let regHigh: u32 = 0;
let regFree: u32 = 0;

// @ts-ignore: decorator
@inline function regAt(index: u32): usize { return regPtr + <usize>index * REG_SIZE; }

function registerTable(tp: usize): i32 {
  let index: u32;
  if (regFree) {
    index = regFree - 1;
    regFree = load<u32>(regAt(index), R_NEXT);
  } else {
    if (regHigh == MAX_TABLES) return -1;
    if (regHigh == regCap) {
      regCap = regCap ? regCap << 1 : 8;
      regPtr = resize(regPtr, <usize>regCap * REG_SIZE);
    }
    index = regHigh++;
    store<u32>(regAt(index), 0, R_GEN);
  }
  const r = regAt(index);
  const gen = (load<u32>(r, R_GEN) + 1) & 0x7FFF;
  store<u32>(r, tp, R_PTR);
  store<u32>(r, gen, R_GEN);
  return <i32>((gen << 16) | (index + 1));
}

/** The header of live table `t`, or 0 with lookupError set (inlined into the hot operations). */
// @ts-ignore: decorator
@inline function tableAt(t: u32): usize {
  const index = <i32>(t & 0xFFFF) - 1;
  if ((t & 0x8000_0000) == 0 && index >= 0 && <u32>index < regHigh) {
    const r = regAt(<u32>index);
    const tp = load<u32>(r, R_PTR);
    if (tp != 0 && load<u32>(r, R_GEN) == t >>> 16) return tp;
  }
  lookupError = fail(ERR_TABLE_CLOSED, t, -1, 0, 0, 0);
  return 0;
}

/** tableAt, out of line, for the operations that are not hot. */
function tableFrom(t: u32): usize {
  return tableAt(t);
}

// ---- Entries --------------------------------------------------------------------
// @ts-ignore: decorator
@inline function entryAt(tp: usize, index: u32): usize {
  return load<usize>(tp, T_ENTRIES) + <usize>index * ENTRY_SIZE;
}
// @ts-ignore: decorator
@inline function stateOf(e: usize): u32 { return load<u32>(e, E_META) & 0x7F; }
// @ts-ignore: decorator
@inline function kindOf(e: usize): u32 { return (load<u32>(e, E_META) >>> 8) & 0xFF; }
// @ts-ignore: decorator
@inline function isLive(state: u32): bool { return state - S_OWNED <= S_EXCL - S_OWNED; }
// @ts-ignore: decorator
@inline function handleOf(tp: usize, index: u32): u32 {
  return encode(index, load<u32>(entryAt(tp, index), E_GEN));
}
// @ts-ignore: decorator
@inline function setState(e: usize, state: u32): void {
  store<u32>(e, (load<u32>(e, E_META) & ~0xFF) | state, E_META);
}

/**
 * The live entry for handle `h`, or 0 with lookupError set:
 * UNKNOWN_HANDLE (not a handle, never issued), STALE_HANDLE (another
 * generation), SCOPE_ENDED (revoked by its scope), and for a freed slot of
 * the same generation CLOSED, or DOUBLE_CLOSE when `closing`.
 */
// @ts-ignore: decorator
@inline function entryFor(tp: usize, h: u32, closing: bool): usize {
  const index = decodeIndex(h);
  const lowest = load<u32>(tp, T_POLICY) == POLICY_LOWEST;
  if (index < 0 || <u32>index >= load<u32>(tp, T_HIGH) || (lowest && decodeGen(h) != 0)) {
    lookupError = fail(ERR_UNKNOWN_HANDLE, h, index, 0, 0, 0);
    return 0;
  }
  const e = entryAt(tp, <u32>index);
  const gen = load<u32>(e, E_GEN);
  const state = stateOf(e);
  if (gen != decodeGen(h)) {
    lookupError = fail(ERR_STALE_HANDLE, h, index, 0, gen, state);
    return 0;
  }
  if (isLive(state)) return e;
  const code = state == S_REVOKED ? ERR_SCOPE_ENDED : closing ? ERR_DOUBLE_CLOSE : ERR_CLOSED;
  lookupError = fail(code, h, index, 0, 0, state);
  return 0;
}

/** entryFor, out of line, for the operations that are not hot. */
function lookup(tp: usize, h: u32, closing: bool): usize {
  return entryFor(tp, h, closing);
}

/** Grows the entry array (and bitmap) to hold at least `need` slots. */
function ensureSlots(tp: usize, need: u32): void {
  const alloc = load<u32>(tp, T_ALLOC);
  if (need <= alloc) return;
  let next = alloc << 1;
  if (next < need) next = need;
  const cap = load<u32>(tp, T_CAPACITY);
  if (next > cap) next = cap;
  const entries = heap.realloc(load<usize>(tp, T_ENTRIES), <usize>next * ENTRY_SIZE);
  memory.fill(entries + <usize>alloc * ENTRY_SIZE, 0, <usize>(next - alloc) * ENTRY_SIZE);
  store<usize>(tp, entries, T_ENTRIES);
  const bitmap = load<usize>(tp, T_BITMAP);
  if (bitmap) {
    const oldWords = (alloc + 31) >>> 5;
    const words = (next + 31) >>> 5;
    const grown = heap.realloc(bitmap, <usize>words << 2);
    memory.fill(grown + (<usize>oldWords << 2), 0, <usize>(words - oldWords) << 2);
    store<usize>(tp, grown, T_BITMAP);
  }
  store<u32>(tp, next, T_ALLOC);
}

// @ts-ignore: decorator
@inline function bitmapSet(tp: usize, index: u32, on: bool): void {
  const bitmap = load<usize>(tp, T_BITMAP);
  if (!bitmap) return;
  const w = bitmap + (<usize>(index >>> 5) << 2);
  const bit: u32 = 1 << (index & 31);
  store<u32>(w, on ? load<u32>(w) | bit : load<u32>(w) & ~bit);
}

/** The lowest free slot below the high-water mark (POLICY_LOWEST), or -1. */
function lowestFree(tp: usize): i32 {
  const high = load<u32>(tp, T_HIGH);
  const bitmap = load<usize>(tp, T_BITMAP);
  const words = (high + 31) >>> 5;
  for (let w = load<u32>(tp, T_HINT); w < words; w++) {
    let free = ~load<u32>(bitmap + (<usize>w << 2));
    if (w == words - 1 && (high & 31) != 0) free &= (<u32>1 << (high & 31)) - 1;
    if (free) {
      store<u32>(tp, w, T_HINT);
      return <i32>((w << 5) + ctz<u32>(free));
    }
  }
  store<u32>(tp, words, T_HINT);
  return -1;
}

/**
 * Takes a slot for a new occupant and gives it its generation, or returns -1
 * when the table is full. Reuse order: generational tables pop the free list
 * (most recently freed first), lowest-free tables take the lowest free slot;
 * otherwise (or with the no-reuse switch) the high-water mark advances.
 */
function allocSlot(tp: usize): i32 {
  let index: i32 = -1;
  if (!load<u32>(tp, T_NOREUSE)) {
    if (load<u32>(tp, T_POLICY) == POLICY_LOWEST) {
      index = lowestFree(tp);
    } else {
      const head = load<u32>(tp, T_FREE);
      if (head) {
        index = <i32>head - 1;
        store<u32>(tp, load<u32>(entryAt(tp, <u32>index), E_NEXT), T_FREE);
      }
    }
  }
  if (index < 0) {
    const high = load<u32>(tp, T_HIGH);
    if (high >= load<u32>(tp, T_CAPACITY)) return -1;
    ensureSlots(tp, high + 1);
    store<u32>(tp, high + 1, T_HIGH);
    index = <i32>high;
  }
  const e = entryAt(tp, <u32>index);
  if (load<u32>(tp, T_POLICY) == POLICY_GENERATIONAL && stateOf(e) != S_NEVER) {
    store<u32>(e, (load<u32>(e, E_GEN) + 1) & GEN_MASK, E_GEN);
  }
  bitmapSet(tp, <u32>index, true);
  store<u32>(tp, load<u32>(tp, T_COUNT) + 1, T_COUNT);
  return index;
}

/** Frees a live slot; `reason` records how its occupant ended. */
function freeSlot(tp: usize, index: u32, reason: u32): void {
  const e = entryAt(tp, index);
  store<u32>(e, reason, E_META);
  store<u32>(tp, load<u32>(tp, T_COUNT) - 1, T_COUNT);
  if (load<u32>(tp, T_NOREUSE)) return;
  if (load<u32>(tp, T_POLICY) == POLICY_LOWEST) {
    bitmapSet(tp, index, false);
    if ((index >>> 5) < load<u32>(tp, T_HINT)) store<u32>(tp, index >>> 5, T_HINT);
  } else {
    store<u32>(e, load<u32>(tp, T_FREE), E_NEXT);
    store<u32>(tp, index + 1, T_FREE);
  }
}

/** Fills a fresh slot's fields after the generation (meta, rights, desc, the rest zero). */
function initEntry(e: usize, meta: u32, rights: u32, desc: u32): void {
  // Plain stores: for 60 bytes they beat memory.fill, which engines run out of line.
  store<u32>(e, meta, E_META);
  store<u32>(e, rights, E_RIGHTS);
  store<u32>(e, desc, E_DESC);
  store<u32>(e, 0, E_LENDER);
  store<u64>(e, 0, E_LENDS);      // lends, excl
  store<u64>(e, 0, E_PARENT);     // parent, children
  store<u64>(e, 0, E_POLLER);     // poller, token
  store<u64>(e, 0, E_INTEREST);   // interest, regs
  store<u64>(e, 0, E_SCOPE);      // scope, next
  store<u32>(e, 0, E_PREV);
  store<u64>(e, 0, E_LTABLE);     // ltable, padding
}

// ---- Tables ---------------------------------------------------------------------

function newTable(capacity: u32, policy: u32, noReuse: u32, alloc: u32): usize {
  const tp = heap.alloc(TABLE_SIZE);
  memory.fill(tp, 0, TABLE_SIZE);
  store<u32>(tp, capacity, T_CAPACITY);
  store<u32>(tp, policy, T_POLICY);
  store<u32>(tp, noReuse, T_NOREUSE);
  store<u32>(tp, 1, T_SHARERS);
  store<usize>(tp, heap.alloc(<usize>alloc * ENTRY_SIZE), T_ENTRIES);
  memory.fill(load<usize>(tp, T_ENTRIES), 0, <usize>alloc * ENTRY_SIZE);
  if (policy == POLICY_LOWEST) {
    const bytes = <usize>((alloc + 31) >>> 5) << 2;
    const bitmap = heap.alloc(bytes);
    memory.fill(bitmap, 0, bytes);
    store<usize>(tp, bitmap, T_BITMAP);
  }
  store<u32>(tp, alloc, T_ALLOC);
  return tp;
}

function freeTable(tp: usize): void {
  heap.free(load<usize>(tp, T_ENTRIES));
  if (load<usize>(tp, T_BITMAP)) heap.free(load<usize>(tp, T_BITMAP));
  if (load<usize>(tp, T_SCOPES)) heap.free(load<usize>(tp, T_SCOPES));
  heap.free(tp);
}

/**
 * A new empty table. Refuses: INVALID_ARGUMENT (capacity 0 or above
 * MAX_CAPACITY, unknown policy, noReuse not 0/1), FULL (too many tables).
 */
export function tableNew(capacity: u32, policy: u32, noReuse: u32): i32 {
  if (capacity == 0 || capacity > MAX_CAPACITY || policy > POLICY_LOWEST || noReuse > 1) {
    return fail(ERR_INVALID_ARGUMENT, 0, -1, capacity, policy, noReuse);
  }
  const tp = newTable(capacity, policy, noReuse, capacity < INITIAL_SLOTS ? capacity : INITIAL_SLOTS);
  const id = registerTable(tp);
  if (id < 0) {
    freeTable(tp);
    return fail(ERR_FULL, 0, -1, MAX_TABLES, 0, 1);
  }
  return id;
}

/**
 * Adds a sharer (threads, CLONE_FILES): a new id for the same table. Each
 * sharer's id is its own capability — dropping it retires that id only —
 * and the table closes when the last sharer drops. Refuses: TABLE_CLOSED,
 * FULL (too many table ids).
 */
export function tableShare(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const id = registerTable(tp);
  if (id < 0) return fail(ERR_FULL, 0, -1, MAX_TABLES, 0, 1);
  store<u32>(tp, load<u32>(tp, T_SHARERS) + 1, T_SHARERS);
  return id;
}

/**
 * A deep copy, as fork does: every owner is copied with the same handle value,
 * rights, flags (CLOEXEC included), parent and children, and takes a new
 * reference on its description. Borrows, scopes and poll registrations are
 * not inherited; a borrow's handle is refused in the copy. The copy's free
 * list holds its free slots lowest index first. Refuses: TABLE_CLOSED, FULL.
 */
export function tableFork(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const high = load<u32>(tp, T_HIGH);
  const policy = load<u32>(tp, T_POLICY);
  const alloc = load<u32>(tp, T_ALLOC);
  const tq = newTable(load<u32>(tp, T_CAPACITY), policy, load<u32>(tp, T_NOREUSE), alloc);
  const id = registerTable(tq);
  if (id < 0) {
    freeTable(tq);
    return fail(ERR_FULL, 0, -1, MAX_TABLES, 0, 1);
  }
  store<u32>(tq, high, T_HIGH);
  let count: u32 = 0;
  for (let i: u32 = 0; i < high; i++) {
    const from = entryAt(tp, i);
    const to = entryAt(tq, i);
    const state = stateOf(from);
    store<u32>(to, load<u32>(from, E_GEN), E_GEN);
    if (state == S_OWNED) {
      memory.copy(to, from, ENTRY_SIZE);
      store<u32>(to, 0, E_LENDS);
      store<u32>(to, 0, E_EXCL);
      store<u32>(to, 0, E_POLLER);
      store<u32>(to, 0, E_TOKEN);
      store<u32>(to, 0, E_INTEREST);
      store<u32>(to, 0, E_REGS);
      const d = descAt(load<u32>(to, E_DESC) - 1);
      store<u32>(d, load<u32>(d, D_REFS) + 1, D_REFS);
      bitmapSet(tq, i, true);
      count++;
    } else {
      store<u32>(to, isLive(state) ? S_NOT_INHERITED : state, E_META);
    }
  }
  store<u32>(tq, count, T_COUNT);
  if (policy == POLICY_GENERATIONAL && !load<u32>(tq, T_NOREUSE)) {
    let head: u32 = 0;
    for (let i = <i32>high - 1; i >= 0; i--) {
      const e = entryAt(tq, <u32>i);
      if (stateOf(e) != S_OWNED) {
        store<u32>(e, head, E_NEXT);
        head = <u32>i + 1;
      }
    }
    store<u32>(tq, head, T_FREE);
  }
  return id;
}

/**
 * One sharer lets go: its id is retired (any later use of it is
 * TABLE_CLOSED). When it is the last sharer, every borrow the table holds or
 * lends is revoked and every owner closed (each description released once)
 * and the table is freed. Returns the number of descriptions released.
 * Refuses: TABLE_CLOSED.
 */
export function tableDrop(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  relCount = 0;
  const sharers = load<u32>(tp, T_SHARERS) - 1;
  store<u32>(tp, sharers, T_SHARERS);
  // The table stays registered under this id while it closes, so closeMarked's scans find it.
  if (!sharers) closeMarked(tp, false);
  const index = (t & 0xFFFF) - 1;
  const r = regAt(index);
  store<u32>(r, 0, R_PTR);
  store<u32>(r, regFree, R_NEXT);
  regFree = index + 1;
  if (!sharers) freeTable(tp);
  return <i32>relCount;
}

/**
 * exec: revokes every borrow and ends every scope (the old program image's
 * lifetimes are over), then closes every CLOEXEC owner and, with it, its
 * children. Returns the number of descriptions released. Refuses: TABLE_CLOSED.
 */
export function tableExec(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  relCount = 0;
  closeMarked(tp, true);
  return <i32>relCount;
}

/**
 * Marks, in every table (registry order), each live borrow whose lender —
 * in its own table or across tables — is marked, until nothing changes: the
 * borrows that must die with the marked entries, across any chain of
 * reborrows and tables.
 */
function markDependents(): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (let r: u32 = 0; r < regHigh; r++) {
      const tq = load<usize>(regAt(r), R_PTR);
      if (!tq) continue;
      const high = load<u32>(tq, T_HIGH);
      for (let i: u32 = 0; i < high; i++) {
        const b = entryAt(tq, i);
        const meta = load<u32>(b, E_META);
        if ((meta & 0xFF) != S_SHARED && (meta & 0xFF) != S_EXCL) continue;
        const ltable = load<usize>(b, E_LTABLE);
        const from = entryAt(ltable ? ltable : tq, <u32>decodeIndex(load<u32>(b, E_LENDER)));
        if (load<u32>(from, E_META) & META_MARK) {
          store<u32>(b, meta | META_MARK, E_META);
          changed = true;
        }
      }
    }
  }
}

/**
 * Revokes every marked live borrow in every table: repeated passes over the
 * tables (registry order), each freeing, in ascending slot order, the marked
 * borrows that have no live borrows of their own. Marked borrows only lend
 * to marked borrows (markDependents), so each pass frees at least one; a
 * pass that frees none would be a broken invariant, and traps rather than
 * loops.
 */
function revokeMarked(): void {
  let left = true;
  while (left) {
    left = false;
    let freed = false;
    for (let r: u32 = 0; r < regHigh; r++) {
      const tq = load<usize>(regAt(r), R_PTR);
      if (!tq) continue;
      const high = load<u32>(tq, T_HIGH);
      for (let i: u32 = 0; i < high; i++) {
        const b = entryAt(tq, i);
        const meta = load<u32>(b, E_META);
        if (!(meta & META_MARK) || !isLive(meta & 0x7F) || (meta & 0x7F) == S_OWNED) continue;
        if (load<u32>(b, E_LENDS) || load<u32>(b, E_EXCL)) { left = true; continue; }
        endBorrow(tq, i, b, S_REVOKED, true);
        freed = true;
      }
    }
    if (left && !freed) unreachable();
  }
}

/**
 * exec / the last drop: revokes every borrow the table holds and ends its
 * scopes (the program image's lifetimes are over), then closes the owners
 * chosen — all of them, or (onlyCloexec) the CLOEXEC ones and their
 * descendants — after revoking every borrow, in any table, that depends on
 * what dies (markDependents, revokeMarked); owners close in repeated
 * ascending passes, each closing those without live children.
 */
function closeMarked(tp: usize, onlyCloexec: bool): void {
  const high = load<u32>(tp, T_HIGH);
  // Mark: every borrow here, the chosen owners, then their descendants until nothing changes.
  for (let i: u32 = 0; i < high; i++) {
    const e = entryAt(tp, i);
    const state = stateOf(e);
    if (state == S_SHARED || state == S_EXCL ||
        (state == S_OWNED && (!onlyCloexec || ((load<u32>(e, E_META) >>> 24) & HFLAG_CLOEXEC)))) {
      store<u32>(e, load<u32>(e, E_META) | META_MARK, E_META);
    }
  }
  let changed = onlyCloexec;
  while (changed) {
    changed = false;
    for (let i: u32 = 0; i < high; i++) {
      const e = entryAt(tp, i);
      const meta = load<u32>(e, E_META);
      const parent = load<u32>(e, E_PARENT);
      if ((meta & 0xFF) != S_OWNED || !parent) continue;
      const pe = entryAt(tp, <u32>decodeIndex(parent));
      if (load<u32>(pe, E_META) & META_MARK) {
        store<u32>(e, meta | META_MARK, E_META);
        changed = true;
      }
    }
  }
  markDependents();
  revokeMarked();
  store<u32>(tp, 0, T_DEPTH);
  let left = true;
  while (left) {
    left = false;
    let closed = false;
    for (let i: u32 = 0; i < high; i++) {
      const e = entryAt(tp, i);
      if ((load<u32>(e, E_META) & 0xFF) != (S_OWNED | META_MARK)) continue;
      if (load<u32>(e, E_CHILDREN)) { left = true; continue; }
      closeContents(tp, i, e);
      freeSlot(tp, i, S_CLOSED);
      closed = true;
    }
    if (left && !closed) unreachable();
  }
}

// ---- Insert, close, dup -------------------------------------------------------

/**
 * A new owner on a new description. Checks, in order: TABLE_CLOSED;
 * INVALID_ARGUMENT (kind, role, rights, flags out of range; host id with bit
 * 31); the parent (if not 0) must resolve, be an owner (NOT_OWNER) and not be
 * lent exclusively (LENT); FULL.
 */
export function handleInsert(t: u32, kind: u32, role: u32, rights: u32, dflags: u32,
                             hflags: u32, host: u32, parent: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  if (kind == 0 || kind > KIND_MAX || role > ROLE_MAX || (rights & ~RIGHTS_ALL) ||
      (dflags & ~DFLAGS_ALL) || (hflags & ~HFLAGS_ALL) || (host & 0x8000_0000)) {
    return fail(ERR_INVALID_ARGUMENT, 0, -1, kind, role, 0);
  }
  if (parent) {
    const pe = entryFor(tp, parent, false);
    if (!pe) return lookupError;
    if (stateOf(pe) != S_OWNED) return fail(ERR_NOT_OWNER, parent, decodeIndex(parent), 0, 0, 0);
    if (load<u32>(pe, E_EXCL)) return fail(ERR_LENT, parent, decodeIndex(parent), 0, load<u32>(pe, E_EXCL), 1);
  }
  const index = allocSlot(tp);
  if (index < 0) return fail(ERR_FULL, 0, -1, load<u32>(tp, T_CAPACITY), 0, 0);
  const e = entryAt(tp, <u32>index);
  initEntry(e, S_OWNED | (kind << 8) | (role << 16) | (hflags << 24), rights, allocDesc(host, dflags) + 1);
  if (parent) {
    store<u32>(e, parent, E_PARENT);
    const pe = entryAt(tp, <u32>decodeIndex(parent));
    store<u32>(pe, load<u32>(pe, E_CHILDREN) + 1, E_CHILDREN);
  }
  return <i32>handleOf(tp, <u32>index);
}

/** Undoes an entry's links: registrations (both ways), its parent's child count, its description reference. */
function closeContents(tp: usize, index: u32, e: usize): void {
  if (load<u32>(e, E_REGS)) {
    const me = handleOf(tp, index);
    const high = load<u32>(tp, T_HIGH);
    for (let i: u32 = 0; i < high; i++) {
      const r = entryAt(tp, i);
      if (isLive(stateOf(r)) && load<u32>(r, E_POLLER) == me) clearRegistration(r);
    }
    store<u32>(e, 0, E_REGS);
  }
  deregister(tp, e);
  const parent = load<u32>(e, E_PARENT);
  if (parent) {
    const pe = entryAt(tp, <u32>decodeIndex(parent));
    store<u32>(pe, load<u32>(pe, E_CHILDREN) - 1, E_CHILDREN);
  }
  dropDescRef(load<u32>(e, E_DESC) - 1);
}

/** Refusals shared by close, transfer and renumber: an owner not lent out. */
function checkMovable(h: u32, e: usize): i32 {
  if (stateOf(e) != S_OWNED) return fail(ERR_NOT_OWNER, h, decodeIndex(h), 0, 0, stateOf(e));
  if (load<u32>(e, E_EXCL)) return fail(ERR_LENT, h, decodeIndex(h), 0, load<u32>(e, E_EXCL), 1);
  if (load<u32>(e, E_LENDS)) return fail(ERR_LENT, h, decodeIndex(h), load<u32>(e, E_LENDS), 0, 0);
  return 0;
}

/**
 * Closes an owner. Returns 1 if this released its description, else 0.
 * Checks: TABLE_CLOSED; lookup (DOUBLE_CLOSE for an already closed handle);
 * NOT_OWNER (a borrow: release it); LENT (exclusive, then shared);
 * HAS_CHILDREN. Closing a poller drops its registrations; closing a
 * registered handle deregisters it.
 */
export function handleClose(t: u32, h: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  const e = entryFor(tp, h, true);
  if (!e) return lookupError;
  const refused = checkMovable(h, e);
  if (refused) return refused;
  if (load<u32>(e, E_CHILDREN)) return fail(ERR_HAS_CHILDREN, h, decodeIndex(h), load<u32>(e, E_CHILDREN), 0, 0);
  relCount = 0;
  closeContents(tp, <u32>decodeIndex(h), e);
  freeSlot(tp, <u32>decodeIndex(h), S_CLOSED);
  return <i32>relCount;
}

/**
 * A new owner on the same description (shared offset and description flags),
 * CLOEXEC cleared, rights narrowed to `rights` (RIGHTS_INHERIT keeps them), a
 * child of the same parent. Checks: TABLE_CLOSED; lookup; NOT_OWNER (a
 * borrow cannot mint ownership); LENT (exclusively); RIGHTS (widening); FULL.
 */
export function handleDup(t: u32, h: u32, rights: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  let e = entryFor(tp, h, false);
  if (!e) return lookupError;
  if (stateOf(e) != S_OWNED) return fail(ERR_NOT_OWNER, h, decodeIndex(h), 0, 0, stateOf(e));
  if (load<u32>(e, E_EXCL)) return fail(ERR_LENT, h, decodeIndex(h), 0, load<u32>(e, E_EXCL), 1);
  const have = load<u32>(e, E_RIGHTS);
  if (rights != RIGHTS_INHERIT && (rights & ~have)) return fail(ERR_RIGHTS, h, decodeIndex(h), rights & ~have, rights, 1);
  const index = allocSlot(tp);
  if (index < 0) return fail(ERR_FULL, 0, -1, load<u32>(tp, T_CAPACITY), 0, 0);
  e = entryAt(tp, <u32>decodeIndex(h));
  const n = entryAt(tp, <u32>index);
  const desc = load<u32>(e, E_DESC);
  initEntry(n, load<u32>(e, E_META) & 0x00FF_FF00 | S_OWNED, rights == RIGHTS_INHERIT ? have : rights, desc);
  const d = descAt(desc - 1);
  store<u32>(d, load<u32>(d, D_REFS) + 1, D_REFS);
  const parent = load<u32>(e, E_PARENT);
  if (parent) {
    store<u32>(n, parent, E_PARENT);
    const pe = entryAt(tp, <u32>decodeIndex(parent));
    store<u32>(pe, load<u32>(pe, E_CHILDREN) + 1, E_CHILDREN);
  }
  return <i32>handleOf(tp, <u32>index);
}

/**
 * Moves ownership into table `to` (which may be `t`): a new handle there, the
 * old one freed. Rights, kind, role, flags and the description move along;
 * a poll registration does not. Checks: TABLE_CLOSED (t, then to); lookup;
 * NOT_OWNER (a borrow cannot give ownership away); LENT; HAS_CHILDREN
 * (children, or registrations if a poller, as renumber refuses `from`:
 * they name this handle, which is about to be freed); HAS_PARENT; FULL (in `to`).
 */
export function handleTransfer(t: u32, h: u32, to: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const tq = tableFrom(to);
  if (!tq) return lookupError;
  let e = lookup(tp, h, false);
  if (!e) return lookupError;
  const refused = checkMovable(h, e);
  if (refused) return refused;
  if (load<u32>(e, E_CHILDREN) || load<u32>(e, E_REGS)) {
    return fail(ERR_HAS_CHILDREN, h, decodeIndex(h), load<u32>(e, E_CHILDREN) + load<u32>(e, E_REGS), 0, 0);
  }
  if (load<u32>(e, E_PARENT)) return fail(ERR_HAS_PARENT, h, decodeIndex(h), 0, load<u32>(e, E_PARENT), 0);
  const index = allocSlot(tq);
  if (index < 0) return fail(ERR_FULL, h, decodeIndex(h), load<u32>(tq, T_CAPACITY), to, 0);
  e = entryAt(tp, <u32>decodeIndex(h));
  deregister(tp, e);
  const n = entryAt(tq, <u32>index);
  initEntry(n, load<u32>(e, E_META), load<u32>(e, E_RIGHTS), load<u32>(e, E_DESC));
  freeSlot(tp, <u32>decodeIndex(h), S_TRANSFERRED);
  return <i32>handleOf(tq, <u32>index);
}

/**
 * fd_renumber / dup2 as WASI does it: `to` is closed, and the entry of
 * `from` moves to `to`'s number (keeping its flags and registration); `from`
 * is freed. from == to is a no-op once both resolve. Returns the number of
 * descriptions released. Checks: TABLE_CLOSED; lookup from, then to;
 * from: NOT_OWNER, LENT, HAS_CHILDREN (children, or registrations if a
 * poller); to: NOT_OWNER, LENT, HAS_CHILDREN.
 */
export function handleRenumber(t: u32, from: u32, to: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const ef = lookup(tp, from, false);
  if (!ef) return lookupError;
  const et = lookup(tp, to, false);
  if (!et) return lookupError;
  let refused = checkMovable(from, ef);
  if (refused) return refused;
  if (load<u32>(ef, E_CHILDREN) || load<u32>(ef, E_REGS)) {
    return fail(ERR_HAS_CHILDREN, from, decodeIndex(from), load<u32>(ef, E_CHILDREN) + load<u32>(ef, E_REGS), 0, 0);
  }
  refused = checkMovable(to, et);
  if (refused) return refused;
  if (load<u32>(et, E_CHILDREN)) return fail(ERR_HAS_CHILDREN, to, decodeIndex(to), load<u32>(et, E_CHILDREN), 0, 0);
  relCount = 0;
  if (from == to) return 0;
  closeContents(tp, <u32>decodeIndex(to), et);
  memory.copy(et + E_META, ef + E_META, ENTRY_SIZE - E_META);
  // `to` stays live (closeContents does not count it gone); freeSlot of
  // `from` counts the one entry that is gone.
  freeSlot(tp, <u32>decodeIndex(from), S_RENUMBERED);
  return <i32>relCount;
}

// ---- Borrowing ---------------------------------------------------------------------

/** The stack position of live scope `serial`, or -1. */
function scopePos(tp: usize, serial: u32): i32 {
  const scopes = load<usize>(tp, T_SCOPES);
  for (let i = <i32>load<u32>(tp, T_DEPTH) - 1; i >= 0; i--) {
    if (load<u32>(scopes + <usize>i * SCOPE_SIZE, SC_SERIAL) == serial) return i;
  }
  return -1;
}

/**
 * A borrow of `h` (in table `t`), made in table `into` (which may be `t`):
 * exclusive (at most one, and no shared ones) or shared (counted as a lend
 * of `h`). `h` may itself be a borrow (a reborrow). `scope` 0 makes a borrow
 * that lives until released; otherwise the borrow dies when that scope (of
 * `into`) ends. A borrow in another table is how a caller lends to a callee
 * (the Canonical ABI's own/borrow across tables): the lender's table cannot
 * close the lender while it is lent, and its last sharer's drop revokes it.
 * Checks: TABLE_CLOSED (t, then into); lookup; LENT (h is lent exclusively);
 * for exclusive: NOT_OWNER (h is a shared borrow), LENT (h has shared
 * borrows); RIGHTS (widening); SCOPE_INVALID (scope not live, or the borrow
 * would outlive its lender's scope — which a scoped lender in another table
 * always could); FULL (in `into`).
 */
// @ts-ignore: decorator
@inline function borrow(t: u32, h: u32, exclusive: u32, rights: u32, scope: u32, into: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  const tq = into == t ? tp : tableFrom(into);
  if (!tq) return lookupError;
  let e = entryFor(tp, h, false);
  if (!e) return lookupError;
  const index = <u32>decodeIndex(h);
  if (load<u32>(e, E_EXCL)) return fail(ERR_LENT, h, index, 0, load<u32>(e, E_EXCL), 1);
  if (exclusive) {
    if (stateOf(e) == S_SHARED) return fail(ERR_NOT_OWNER, h, index, 0, 0, REASON_SHARED_CANNOT_LEND_EXCLUSIVELY);
    if (load<u32>(e, E_LENDS)) return fail(ERR_LENT, h, index, load<u32>(e, E_LENDS), 0, 0);
  }
  const have = load<u32>(e, E_RIGHTS);
  if (rights != RIGHTS_INHERIT && (rights & ~have)) return fail(ERR_RIGHTS, h, index, rights & ~have, rights, 1);
  let pos: i32 = -1;
  const lenderScope = load<u32>(e, E_SCOPE);
  if (scope) {
    pos = scopePos(tq, scope);
    if (pos < 0) return fail(ERR_SCOPE_INVALID, h, index, 0, scope, 0);
    if (lenderScope && (tq != tp || scopePos(tp, lenderScope) > pos)) return fail(ERR_SCOPE_INVALID, h, index, 0, scope, 1);
  } else if (lenderScope) {
    return fail(ERR_SCOPE_INVALID, h, index, 0, lenderScope, 1);
  }
  const slot = allocSlot(tq);
  if (slot < 0) return fail(ERR_FULL, 0, -1, load<u32>(tq, T_CAPACITY), 0, 0);
  e = entryAt(tp, index);
  const b = entryAt(tq, <u32>slot);
  const meta = (load<u32>(e, E_META) & 0x00FF_FF00) | (exclusive ? S_EXCL : S_SHARED);
  initEntry(b, meta, rights == RIGHTS_INHERIT ? have : rights, load<u32>(e, E_DESC));
  store<u32>(b, h, E_LENDER);
  if (tq != tp) store<usize>(b, tp, E_LTABLE);
  const bh = handleOf(tq, <u32>slot);
  if (exclusive) store<u32>(e, bh, E_EXCL);
  else store<u32>(e, load<u32>(e, E_LENDS) + 1, E_LENDS);
  if (scope) {
    const sc = load<usize>(tq, T_SCOPES) + <usize>pos * SCOPE_SIZE;
    const head = load<u32>(sc, SC_HEAD);
    store<u32>(b, scope, E_SCOPE);
    store<u32>(b, head, E_NEXT);
    if (head) store<u32>(entryAt(tq, head - 1), <u32>slot + 1, E_PREV);
    store<u32>(sc, <u32>slot + 1, SC_HEAD);
    store<u32>(sc, load<u32>(sc, SC_COUNT) + 1, SC_COUNT);
  }
  return <i32>bh;
}

/** A borrow of `h` in its own table `t` (see borrow). */
export function handleBorrow(t: u32, h: u32, exclusive: u32, rights: u32, scope: u32): i32 {
  return borrow(t, h, exclusive, rights, scope, t);
}

/** A borrow of `h` (in `t`) made in table `into`: lending across tables (see borrow). */
export function handleBorrowInto(t: u32, h: u32, exclusive: u32, rights: u32, scope: u32, into: u32): i32 {
  return borrow(t, h, exclusive, rights, scope, into);
}

/** Ends a live borrow that has no lends of its own: returns its lend, unlinks it, frees it. */
function endBorrow(tp: usize, index: u32, b: usize, reason: u32, unlink: bool): void {
  const lender = load<u32>(b, E_LENDER);
  const ltable = load<usize>(b, E_LTABLE);
  const le = entryAt(ltable ? ltable : tp, <u32>decodeIndex(lender));
  if (stateOf(b) == S_EXCL) store<u32>(le, 0, E_EXCL);
  else store<u32>(le, load<u32>(le, E_LENDS) - 1, E_LENDS);
  const scope = load<u32>(b, E_SCOPE);
  if (scope && unlink) {
    const sc = load<usize>(tp, T_SCOPES) + <usize>scopePos(tp, scope) * SCOPE_SIZE;
    const next = load<u32>(b, E_NEXT);
    const prev = load<u32>(b, E_PREV);
    if (prev) store<u32>(entryAt(tp, prev - 1), next, E_NEXT);
    else store<u32>(sc, next, SC_HEAD);
    if (next) store<u32>(entryAt(tp, next - 1), prev, E_PREV);
    store<u32>(sc, load<u32>(sc, SC_COUNT) - 1, SC_COUNT);
  }
  deregister(tp, b);
  freeSlot(tp, index, reason);
}

/**
 * Ends a borrow. Checks: TABLE_CLOSED; lookup (DOUBLE_CLOSE if already
 * released, SCOPE_ENDED if its scope ended); NOT_BORROW (an owner: close it);
 * LENT (it has reborrows still live).
 */
export function handleRelease(t: u32, b: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  const e = entryFor(tp, b, true);
  if (!e) return lookupError;
  const index = <u32>decodeIndex(b);
  if (stateOf(e) == S_OWNED) return fail(ERR_NOT_BORROW, b, index, 0, 0, 0);
  if (load<u32>(e, E_EXCL)) return fail(ERR_LENT, b, index, 0, load<u32>(e, E_EXCL), 1);
  if (load<u32>(e, E_LENDS)) return fail(ERR_LENT, b, index, load<u32>(e, E_LENDS), 0, 0);
  endBorrow(tp, index, e, S_RELEASED, true);
  return 0;
}

/** Opens a borrow scope nested in the current ones; returns its serial. Refuses: TABLE_CLOSED, FULL (depth). */
export function scopeBegin(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const depth = load<u32>(tp, T_DEPTH);
  if (depth == MAX_SCOPE_DEPTH) return fail(ERR_FULL, 0, -1, MAX_SCOPE_DEPTH, 0, 2);
  let scopes = load<usize>(tp, T_SCOPES);
  if (!scopes) {
    scopes = heap.alloc(<usize>MAX_SCOPE_DEPTH * SCOPE_SIZE);
    store<usize>(tp, scopes, T_SCOPES);
  }
  let serial = (load<u32>(tp, T_SERIAL) + 1) & 0x7FFF_FFFF;
  if (!serial) serial = 1;
  store<u32>(tp, serial, T_SERIAL);
  const sc = scopes + <usize>depth * SCOPE_SIZE;
  store<u32>(sc, serial, SC_SERIAL);
  store<u32>(sc, 0, SC_HEAD);
  store<u32>(sc, 0, SC_COUNT);
  store<u32>(tp, depth + 1, T_DEPTH);
  return <i32>serial;
}

/**
 * Ends the innermost scope. Its borrows die with it: if any were still live
 * they are revoked (most recent first) and SCOPE_HAS_BORROWS reports how many
 * — after the scope has ended, since a lifetime cannot be extended by
 * refusing. Checks first: TABLE_CLOSED; SCOPE_INVALID (not the innermost
 * live scope).
 */
export function scopeEnd(t: u32, scope: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const depth = load<u32>(tp, T_DEPTH);
  const sc = load<usize>(tp, T_SCOPES) + <usize>(depth - 1) * SCOPE_SIZE;
  if (!depth || load<u32>(sc, SC_SERIAL) != scope) {
    return fail(ERR_SCOPE_INVALID, 0, -1, depth, scope, depth ? load<u32>(sc, SC_SERIAL) : 0);
  }
  const count = load<u32>(sc, SC_COUNT);
  let next = load<u32>(sc, SC_HEAD);
  while (next) {
    const index = next - 1;
    const b = entryAt(tp, index);
    next = load<u32>(b, E_NEXT);
    endBorrow(tp, index, b, S_REVOKED, false);
  }
  store<u32>(tp, depth - 1, T_DEPTH);
  if (count) return fail(ERR_SCOPE_HAS_BORROWS, 0, -1, count, scope, 0);
  return 0;
}

// ---- Rights, flags, offset ------------------------------------------------------

/** Lookup plus the check every use makes: not lent exclusively. */
function use(tp: usize, h: u32): usize {
  const e = entryFor(tp, h, false);
  if (!e) return 0;
  if (load<u32>(e, E_EXCL)) {
    lookupError = fail(ERR_LENT, h, decodeIndex(h), 0, load<u32>(e, E_EXCL), 1);
    return 0;
  }
  return e;
}

/** Lookup, use, and a rights check. */
function useWith(tp: usize, h: u32, need: u32): usize {
  const e = use(tp, h);
  if (!e) return 0;
  const missing = need & ~load<u32>(e, E_RIGHTS);
  if (missing) {
    lookupError = fail(ERR_RIGHTS, h, decodeIndex(h), missing, need, 0);
    return 0;
  }
  return e;
}

/**
 * The hot path of every host call: the host id behind `h` if it is live, not
 * lent exclusively, of a kind in `kindMask` (bit k for kind k; 0 = any) and
 * holds `rights`. Checks: TABLE_CLOSED; lookup; LENT; WRONG_KIND; RIGHTS.
 */
export function handleCheck(t: u32, h: u32, rights: u32, kindMask: u32): i32 {
  const tp = tableAt(t);
  if (!tp) return lookupError;
  const e = entryFor(tp, h, false);
  if (!e) return lookupError;
  if (load<u32>(e, E_EXCL)) return fail(ERR_LENT, h, decodeIndex(h), 0, load<u32>(e, E_EXCL), 1);
  const kind = kindOf(e);
  if (kindMask && !(kindMask & (1 << kind))) return fail(ERR_WRONG_KIND, h, decodeIndex(h), kind, kindMask, 0);
  const missing = rights & ~load<u32>(e, E_RIGHTS);
  if (missing) return fail(ERR_RIGHTS, h, decodeIndex(h), missing, rights, 0);
  return <i32>load<u32>(descAt(load<u32>(e, E_DESC) - 1), D_HOST);
}

/** Narrows `h`'s rights; never widens. Checks: TABLE_CLOSED; lookup; LENT; RIGHTS. */
export function handleNarrow(t: u32, h: u32, rights: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = use(tp, h);
  if (!e) return lookupError;
  const have = load<u32>(e, E_RIGHTS);
  if (rights & ~have) return fail(ERR_RIGHTS, h, decodeIndex(h), rights & ~have, rights, 1);
  store<u32>(e, rights, E_RIGHTS);
  return 0;
}

/** Sets or clears CLOEXEC (a handle's own flag). Checks: TABLE_CLOSED; INVALID_ARGUMENT; lookup; LENT; NOT_OWNER. */
export function handleSetCloexec(t: u32, h: u32, on: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  if (on > 1) return fail(ERR_INVALID_ARGUMENT, h, -1, on, 0, 0);
  const e = use(tp, h);
  if (!e) return lookupError;
  if (stateOf(e) != S_OWNED) return fail(ERR_NOT_OWNER, h, decodeIndex(h), 0, 0, stateOf(e));
  const meta = load<u32>(e, E_META);
  store<u32>(e, on ? meta | (HFLAG_CLOEXEC << 24) : meta & ~(HFLAG_CLOEXEC << 24), E_META);
  return 0;
}

/** The description's flags (shared by dups). Checks: TABLE_CLOSED; lookup; LENT. */
export function descGetFlags(t: u32, h: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = use(tp, h);
  if (!e) return lookupError;
  return <i32>load<u32>(descAt(load<u32>(e, E_DESC) - 1), D_FLAGS);
}

/** Replaces the description's flags. Checks: TABLE_CLOSED; INVALID_ARGUMENT; lookup; LENT; RIGHTS (fd_fdstat_set_flags). */
export function descSetFlags(t: u32, h: u32, flags: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  if (flags & ~DFLAGS_ALL) return fail(ERR_INVALID_ARGUMENT, h, -1, flags, 0, 0);
  const e = useWith(tp, h, RIGHT_FD_FDSTAT_SET_FLAGS);
  if (!e) return lookupError;
  store<u32>(descAt(load<u32>(e, E_DESC) - 1), flags, D_FLAGS);
  return 0;
}

/** The description's offset (shared by dups). Checks: TABLE_CLOSED; lookup; LENT; RIGHTS (fd_tell). */
export function descGetOffset(t: u32, h: u32): i64 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = useWith(tp, h, RIGHT_FD_TELL);
  if (!e) return lookupError;
  return load<i64>(descAt(load<u32>(e, E_DESC) - 1), D_OFFSET);
}

/** Sets the description's offset. Checks: TABLE_CLOSED; INVALID_ARGUMENT (negative); lookup; LENT; RIGHTS (fd_seek). */
export function descSetOffset(t: u32, h: u32, offset: i64): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  if (offset < 0) return fail(ERR_INVALID_ARGUMENT, h, -1, 0, 0, 0);
  const e = useWith(tp, h, RIGHT_FD_SEEK);
  if (!e) return lookupError;
  store<i64>(descAt(load<u32>(e, E_DESC) - 1), offset, D_OFFSET);
  return 0;
}

// ---- Poll registration (after mio's Registry) ------------------------------------

function clearRegistration(e: usize): void {
  store<u32>(e, 0, E_POLLER);
  store<u32>(e, 0, E_TOKEN);
  store<u32>(e, 0, E_INTEREST);
}

/** Drops `e`'s registration, if any, from its poller's count. */
function deregister(tp: usize, e: usize): void {
  const poller = load<u32>(e, E_POLLER);
  if (!poller) return;
  const pe = entryAt(tp, <u32>decodeIndex(poller));
  store<u32>(pe, load<u32>(pe, E_REGS) - 1, E_REGS);
  clearRegistration(e);
}

/** The poller entry for a registration call, or 0 with lookupError set. */
function pollerFor(tp: usize, poller: u32): usize {
  const pe = lookup(tp, poller, false);
  if (!pe) return 0;
  if (kindOf(pe) != KIND_POLLER) {
    lookupError = fail(ERR_WRONG_KIND, poller, decodeIndex(poller), kindOf(pe), 1 << KIND_POLLER, 0);
    return 0;
  }
  if (stateOf(pe) != S_OWNED) {
    lookupError = fail(ERR_NOT_OWNER, poller, decodeIndex(poller), 0, 0, stateOf(pe));
    return 0;
  }
  if (load<u32>(pe, E_EXCL)) {
    lookupError = fail(ERR_LENT, poller, decodeIndex(poller), 0, load<u32>(pe, E_EXCL), 1);
    return 0;
  }
  return pe;
}

/**
 * Registers `h` with `poller` for `interest` under `token`. Checks:
 * TABLE_CLOSED; lookup h; poller: lookup, WRONG_KIND, NOT_OWNER, LENT (exclusively);
 * INVALID_ARGUMENT (h is the poller, empty or unknown interest); h: LENT,
 * RIGHTS (poll_fd_readwrite); ALREADY_REGISTERED (with any poller).
 */
export function pollRegister(t: u32, h: u32, poller: u32, token: u32, interest: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  if (!lookup(tp, h, false)) return lookupError;
  const pe = pollerFor(tp, poller);
  if (!pe) return lookupError;
  if (h == poller || !interest || (interest & ~INTEREST_ALL)) return fail(ERR_INVALID_ARGUMENT, h, decodeIndex(h), interest, poller, 0);
  const e = useWith(tp, h, RIGHT_POLL_FD_READWRITE);
  if (!e) return lookupError;
  if (load<u32>(e, E_POLLER)) return fail(ERR_ALREADY_REGISTERED, h, decodeIndex(h), 0, load<u32>(e, E_POLLER), 0);
  store<u32>(e, poller, E_POLLER);
  store<u32>(e, token, E_TOKEN);
  store<u32>(e, interest, E_INTEREST);
  store<u32>(pe, load<u32>(pe, E_REGS) + 1, E_REGS);
  return 0;
}

/** The checks re-/deregistration share: lookup h, the poller, h usable, registered with this poller. */
function registered(tp: usize, h: u32, poller: u32, need: u32): usize {
  if (!lookup(tp, h, false)) return 0;
  if (!pollerFor(tp, poller)) return 0;
  const e = useWith(tp, h, need);
  if (!e) return 0;
  const current = load<u32>(e, E_POLLER);
  if (!current) {
    lookupError = fail(ERR_NOT_REGISTERED, h, decodeIndex(h), 0, poller, 0);
    return 0;
  }
  if (current != poller) {
    lookupError = fail(ERR_WRONG_POLLER, h, decodeIndex(h), 0, current, poller);
    return 0;
  }
  return e;
}

/**
 * Changes the token and interest of a registration. Checks: TABLE_CLOSED;
 * lookup h; poller: lookup, WRONG_KIND, NOT_OWNER, LENT (exclusively); h: LENT, RIGHTS;
 * NOT_REGISTERED; WRONG_POLLER; INVALID_ARGUMENT (interest).
 */
export function pollReregister(t: u32, h: u32, poller: u32, token: u32, interest: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = registered(tp, h, poller, RIGHT_POLL_FD_READWRITE);
  if (!e) return lookupError;
  if (!interest || (interest & ~INTEREST_ALL)) return fail(ERR_INVALID_ARGUMENT, h, decodeIndex(h), interest, poller, 0);
  store<u32>(e, token, E_TOKEN);
  store<u32>(e, interest, E_INTEREST);
  return 0;
}

/**
 * Ends a registration. Checks: TABLE_CLOSED; lookup h; poller: lookup,
 * WRONG_KIND, NOT_OWNER, LENT (exclusively); h: LENT; NOT_REGISTERED; WRONG_POLLER.
 */
export function pollDeregister(t: u32, h: u32, poller: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = registered(tp, h, poller, 0);
  if (!e) return lookupError;
  deregister(tp, e);
  return 0;
}

// ---- Introspection -------------------------------------------------------------------

// The record handleInfo fills (u32 fields, in this order):
export const INFO: usize = memory.data(96, 8);
// 0 handle, 1 state, 2 kind, 3 role, 4 hflags, 5 rights, 6 dflags, 7 host,
// 8 description index, 9 description refs, 10 lender, 11 lends, 12 excl,
// 13 parent, 14 children, 15 poller, 16 token, 17 interest, 18 regs, 19 scope,
// 20 lent from another table (1) or not (0)

/** Fills INFO for live handle `h` (allowed while lent). Checks: TABLE_CLOSED; lookup. */
export function handleInfo(t: u32, h: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const e = lookup(tp, h, false);
  if (!e) return lookupError;
  const meta = load<u32>(e, E_META);
  const desc = load<u32>(e, E_DESC) - 1;
  const d = descAt(desc);
  store<u32>(INFO, h, 0);
  store<u32>(INFO, meta & 0x7F, 4);
  store<u32>(INFO, (meta >>> 8) & 0xFF, 8);
  store<u32>(INFO, (meta >>> 16) & 0xFF, 12);
  store<u32>(INFO, meta >>> 24, 16);
  store<u32>(INFO, load<u32>(e, E_RIGHTS), 20);
  store<u32>(INFO, load<u32>(d, D_FLAGS), 24);
  store<u32>(INFO, load<u32>(d, D_HOST), 28);
  store<u32>(INFO, desc, 32);
  store<u32>(INFO, load<u32>(d, D_REFS), 36);
  store<u32>(INFO, load<u32>(e, E_LENDER), 40);
  store<u32>(INFO, load<u32>(e, E_LENDS), 44);
  store<u32>(INFO, load<u32>(e, E_EXCL), 48);
  store<u32>(INFO, load<u32>(e, E_PARENT), 52);
  store<u32>(INFO, load<u32>(e, E_CHILDREN), 56);
  store<u32>(INFO, load<u32>(e, E_POLLER), 60);
  store<u32>(INFO, load<u32>(e, E_TOKEN), 64);
  store<u32>(INFO, load<u32>(e, E_INTEREST), 68);
  store<u32>(INFO, load<u32>(e, E_REGS), 72);
  store<u32>(INFO, load<u32>(e, E_SCOPE), 76);
  store<u32>(INFO, load<usize>(e, E_LTABLE) ? 1 : 0, 80);
  return 0;
}

/** Fills INFO with the table's figures: capacity, policy, noReuse, count, high, sharers, depth. */
export function tableInfo(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  store<u32>(INFO, load<u32>(tp, T_CAPACITY), 0);
  store<u32>(INFO, load<u32>(tp, T_POLICY), 4);
  store<u32>(INFO, load<u32>(tp, T_NOREUSE), 8);
  store<u32>(INFO, load<u32>(tp, T_COUNT), 12);
  store<u32>(INFO, load<u32>(tp, T_HIGH), 16);
  store<u32>(INFO, load<u32>(tp, T_SHARERS), 20);
  store<u32>(INFO, load<u32>(tp, T_DEPTH), 24);
  return 0;
}

/** Live entries (owners and borrows). Refuses: TABLE_CLOSED. */
export function tableCount(t: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  return <i32>load<u32>(tp, T_COUNT);
}

/** The first live handle in a slot after `prev`'s (prev 0: from the start), or 0 at the end. */
export function tableNext(t: u32, prev: u32): i32 {
  const tp = tableFrom(t);
  if (!tp) return lookupError;
  const high = load<u32>(tp, T_HIGH);
  for (let i = prev & INDEX_MASK; i < high; i++) {
    if (isLive(stateOf(entryAt(tp, i)))) return <i32>handleOf(tp, i);
  }
  return 0;
}
