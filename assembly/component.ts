// The core as a WebAssembly component: wit/core.wit's `iolife:core/handles`
// in the Canonical ABI, over the same operations as the plain core
// (index.ts). This entry only adapts; every rule stays in table.ts.
//
// scripts/component/iolife-core.mjs renames the exports below to their
// Canonical-ABI names (the "legacy" mangling, see scripts/component/NOTES.md):
//   table_constructor       iolife:core/handles@0.1.0#[constructor]table
//   table_static_<name>     …#[static]table.<name>
//   table_<name>            …#[method]table.<name>      (snake_case → kebab-case)
//   table_dtor              …#[dtor]table
//   <name>                  …#<name>                    (free functions)
//   post_<export>           cabi_post_<renamed export>  (results holding a list)
//
// Conventions of the ABI, as used here:
// - A method's `self` (a `borrow<table>` of a resource this component
//   defines) arrives as the resource's rep. A `table` resource's rep is an
//   index + 1 into `reps`, which holds the core's table id (tableNew). Not the
//   table id itself: `share()` gives every sharer the same id, but each
//   sharer is its own resource that lets go once (close-all or destructor),
//   so each needs a slot of its own; after close-all the slot holds 0 and
//   the core refuses it with TABLE_CLOSED.
// - Results that do not fit one i32 are written to RET (a static return
//   area, as wit-bindgen's RET_AREA) and RET is returned. The caller copies
//   the result out before its next call. Offsets below are the Canonical ABI
//   layouts of wit/core.wit's types (result: discriminant u8 @0, payload at
//   the payload's alignment).
// - Lists are heap.alloc'ed here and freed by the post-return function the
//   host calls once it has copied them out.
// - The core returns >= 0 or a negated error code; error-code case n is core
//   code n + 1 (wit/core.wit lists them in the order of errors.ts).
// - Enums: kind case n is core kind n + 1; role, numbering: case n is n;
//   state case n is core state n + 1. Flags use the core's bit positions
//   (kind-set bit n is core kind n + 1, hence the shift in check).

import {
  tableNew, tableShare, tableFork, tableDrop, tableExec, tableInfo, tableCount, tableNext,
  handleInsert, handleClose, handleDup, handleTransfer, handleRenumber, handleBorrow,
  handleRelease, handleCheck, handleNarrow, handleSetCloexec, handleInfo,
  descGetFlags, descSetFlags, descGetOffset, descSetOffset, scopeBegin, scopeEnd,
  pollRegister, pollReregister, pollDeregister, releasedPtr, releasedCount,
  descriptionCount, INFO,
} from "./table";
import { INVALID, RIGHTS_INHERIT, HFLAG_CLOEXEC, POLICY_GENERATIONAL } from "./layout";

// The resource intrinsic for `table`, provided by the component runtime.
// @ts-ignore: decorator
@external("[export]iolife:core/handles@0.1.0", "[resource-new]table")
declare function tableResourceNew(rep: u32): u32;

/** The static return area: the largest result is info's (92 bytes), the strictest alignment get-offset's (8). */
const RET: usize = memory.data(96, 8);

// ---- Reps: one slot per `table` resource -------------------------------------
// A live slot holds its table id (never 0: ids are (gen << 16) | (index + 1)),
// or 0 once close-all let it go. A free slot holds FREE_BIT | next free slot.
const FREE_BIT: u32 = 0x8000_0000;
let repPtr: usize = 0;
let repCap: u32 = 0;
let repHigh: u32 = 0;
let repFree: u32 = 0;

/** A rep for table id `t`. */
function repNew(t: u32): u32 {
  let rep: u32;
  if (repFree) {
    rep = repFree;
    repFree = load<u32>(repPtr + (<usize>(rep - 1) << 2)) & ~FREE_BIT;
  } else {
    if (repHigh == repCap) {
      repCap = repCap ? repCap << 1 : 16;
      repPtr = repPtr ? heap.realloc(repPtr, <usize>repCap << 2) : heap.alloc(<usize>repCap << 2);
    }
    rep = ++repHigh;
  }
  store<u32>(repPtr + (<usize>(rep - 1) << 2), t);
  return rep;
}

/** The table id of a live rep (0 after close-all). Reps come from the runtime, which only passes live ones. */
// @ts-ignore: decorator
@inline function tid(rep: u32): u32 {
  return load<u32>(repPtr + (<usize>(rep - 1) << 2));
}

// ---- Descriptions released by destructors, for take-released ------------------
let orphanPtr: usize = 0;
let orphanCap: u32 = 0;
let orphanCount: u32 = 0;

function queueReleased(): void {
  const n = releasedCount();
  if (orphanCount + n > orphanCap) {
    let cap = orphanCap ? orphanCap : 16;
    while (cap < orphanCount + n) cap <<= 1;
    orphanPtr = orphanPtr ? heap.realloc(orphanPtr, <usize>cap << 2) : heap.alloc(<usize>cap << 2);
    orphanCap = cap;
  }
  memory.copy(orphanPtr + (<usize>orphanCount << 2), releasedPtr(), <usize>n << 2);
  orphanCount += n;
}

// ---- Result writers ---------------------------------------------------------------

/** result<_, error-code>: discriminant @0, error @1. */
// @ts-ignore: decorator
@inline function unit(r: i32): usize {
  if (r < 0) {
    store<u8>(RET, 1);
    store<u8>(RET, <u8>(-r - 1), 1);
  } else {
    store<u8>(RET, 0);
  }
  return RET;
}

/** result<u32-sized, error-code>: discriminant @0, value or error @4. */
// @ts-ignore: decorator
@inline function word(r: i32): usize {
  if (r < 0) {
    store<u8>(RET, 1);
    store<u8>(RET, <u8>(-r - 1), 4);
  } else {
    store<u8>(RET, 0);
    store<u32>(RET, <u32>r, 4);
  }
  return RET;
}

/** result<option<u32>, error-code> from a close or renumber: the released description's host id, if any. */
function releasedOne(r: i32): usize {
  if (r < 0) {
    store<u8>(RET, 1);
    store<u8>(RET, <u8>(-r - 1), 4);
  } else {
    store<u8>(RET, 0);
    if (r > 0) {
      store<u8>(RET, 1, 4);
      store<u32>(RET, load<u32>(releasedPtr()), 8);
    } else {
      store<u8>(RET, 0, 4);
    }
  }
  return RET;
}

/** A heap copy of `n` u32s at `src` (ptr 0 when empty), freed by a post-return. */
function copyList(src: usize, n: u32): usize {
  if (!n) return 0;
  const p = heap.alloc(<usize>n << 2);
  memory.copy(p, src, <usize>n << 2);
  return p;
}

/** result<list<u32>, error-code> of the released descriptions: ok (ptr @4, len @8). */
function releasedList(r: i32): usize {
  if (r < 0) return word(r);
  const n = releasedCount();
  store<u8>(RET, 0);
  store<u32>(RET, <u32>copyList(releasedPtr(), n), 4);
  store<u32>(RET, n, 8);
  return RET;
}

/** result<own<table>, error-code> for a new table id (or an error). */
function newTable(r: i32): usize {
  return r < 0 ? word(r) : word(<i32>tableResourceNew(repNew(<u32>r)));
}

/** option<T> in the core's 0-means-none convention, at `at` (disc) and `at + 4` (value). */
// @ts-ignore: decorator
@inline function option(at: usize, v: u32): void {
  store<u8>(at, v ? 1 : 0);
  store<u32>(at, v, 4);
}

/** some(0) is not "none": it becomes the invalid sentinel, which the core refuses. */
// @ts-ignore: decorator
@inline function someHandle(disc: u32, v: u32): u32 {
  return disc ? (v ? v : INVALID) : 0;
}

// ---- The resource -----------------------------------------------------------------

/** [constructor]table: traps when the core refuses (open reports it instead). */
export function table_constructor(capacity: u32): u32 {
  const r = tableNew(capacity, POLICY_GENERATIONAL, 0);
  if (r < 0) unreachable();
  return tableResourceNew(repNew(<u32>r));
}

export function table_static_open(capacity: u32, numbering: u32, neverReuse: u32): usize {
  return newTable(tableNew(capacity, numbering, neverReuse));
}

/** [dtor]table: this sharer lets go, unless close-all already did. */
export function table_dtor(rep: u32): void {
  const t = tid(rep);
  if (t && tableDrop(t) > 0) queueReleased();
  store<u32>(repPtr + (<usize>(rep - 1) << 2), FREE_BIT | repFree);
  repFree = rep;
}

export function table_insert(self: u32, kind: u32, role: u32, rights: u32, dflags: u32,
                             cloexec: u32, host: u32, parentDisc: u32, parent: u32): usize {
  return word(handleInsert(tid(self), kind + 1, role, rights, dflags, cloexec ? HFLAG_CLOEXEC : 0,
    host, someHandle(parentDisc, parent)));
}

export function table_close(self: u32, h: u32): usize {
  return releasedOne(handleClose(tid(self), h));
}

export function table_dup(self: u32, h: u32, rightsDisc: u32, rights: u32): usize {
  return word(handleDup(tid(self), h, rightsDisc ? rights : RIGHTS_INHERIT));
}

export function table_borrow(self: u32, h: u32, exclusive: u32, rightsDisc: u32, rights: u32,
                             scopeDisc: u32, scope: u32): usize {
  return word(handleBorrow(tid(self), h, exclusive, rightsDisc ? rights : RIGHTS_INHERIT,
    someHandle(scopeDisc, scope)));
}

export function table_release(self: u32, b: u32): usize {
  return unit(handleRelease(tid(self), b));
}

export function table_transfer(self: u32, h: u32, to: u32): usize {
  return word(handleTransfer(tid(self), h, tid(to)));
}

export function table_renumber(self: u32, from: u32, to: u32): usize {
  return releasedOne(handleRenumber(tid(self), from, to));
}

export function table_check(self: u32, h: u32, rights: u32, kinds: u32): usize {
  return word(handleCheck(tid(self), h, rights, kinds << 1));
}

export function table_narrow(self: u32, h: u32, rights: u32): usize {
  return unit(handleNarrow(tid(self), h, rights));
}

export function table_set_cloexec(self: u32, h: u32, on: u32): usize {
  return unit(handleSetCloexec(tid(self), h, on));
}

/** result<description-flags, error-code>: flags (u8) or error @1. */
export function table_get_description_flags(self: u32, h: u32): usize {
  const r = descGetFlags(tid(self), h);
  store<u8>(RET, r < 0 ? 1 : 0);
  store<u8>(RET, <u8>(r < 0 ? -r - 1 : r), 1);
  return RET;
}

export function table_set_description_flags(self: u32, h: u32, flags: u32): usize {
  return unit(descSetFlags(tid(self), h, flags));
}

/** result<u64, error-code>: u64 or error @8. */
export function table_get_offset(self: u32, h: u32): usize {
  const r = descGetOffset(tid(self), h);
  if (r < 0) {
    store<u8>(RET, 1);
    store<u8>(RET, <u8>(-r - 1), 8);
  } else {
    store<u8>(RET, 0);
    store<u64>(RET, r, 8);
  }
  return RET;
}

export function table_set_offset(self: u32, h: u32, offset: i64): usize {
  return unit(descSetOffset(tid(self), h, offset));
}

export function table_begin_scope(self: u32): usize {
  return word(scopeBegin(tid(self)));
}

export function table_end_scope(self: u32, scope: u32): usize {
  return unit(scopeEnd(tid(self), scope));
}

export function table_register(self: u32, h: u32, poller: u32, token: u32, interest: u32): usize {
  return unit(pollRegister(tid(self), h, poller, token, interest));
}

export function table_reregister(self: u32, h: u32, poller: u32, token: u32, interest: u32): usize {
  return unit(pollReregister(tid(self), h, poller, token, interest));
}

export function table_deregister(self: u32, h: u32, poller: u32): usize {
  return unit(pollDeregister(tid(self), h, poller));
}

/**
 * result<handle-info, error-code>: the record at @4, laid out as
 * handle@0 state@4 kind@5 role@6 cloexec@7 rights@8 description-flags@12
 * host@16 description@20 description-refs@24 lender@28 lends@36
 * exclusive-borrow@40 parent@48 children@56 poller@60 token@68 interest@72
 * registrations@76 scope@80 (options: discriminant, then the value 4 later).
 */
export function table_info(self: u32, h: u32): usize {
  const r = handleInfo(tid(self), h);
  if (r < 0) return word(r);
  const o = RET + 4;
  store<u8>(RET, 0);
  store<u32>(o, load<u32>(INFO, 0), 0);
  store<u8>(o, <u8>(load<u32>(INFO, 4) - 1), 4);
  store<u8>(o, <u8>(load<u32>(INFO, 8) - 1), 5);
  store<u8>(o, <u8>load<u32>(INFO, 12), 6);
  store<u8>(o, <u8>(load<u32>(INFO, 16) & HFLAG_CLOEXEC), 7);
  store<u32>(o, load<u32>(INFO, 20), 8);
  store<u8>(o, <u8>load<u32>(INFO, 24), 12);
  store<u32>(o, load<u32>(INFO, 28), 16);
  store<u32>(o, load<u32>(INFO, 32), 20);
  store<u32>(o, load<u32>(INFO, 36), 24);
  option(o + 28, load<u32>(INFO, 40));
  store<u32>(o, load<u32>(INFO, 44), 36);
  option(o + 40, load<u32>(INFO, 48));
  option(o + 48, load<u32>(INFO, 52));
  store<u32>(o, load<u32>(INFO, 56), 56);
  option(o + 60, load<u32>(INFO, 60));
  store<u32>(o, load<u32>(INFO, 64), 68);
  store<u8>(o, <u8>load<u32>(INFO, 68), 72);
  store<u32>(o, load<u32>(INFO, 72), 76);
  option(o + 80, load<u32>(INFO, 76));
  return RET;
}

/** result<list<handle>, error-code>: ok (ptr @4, len @8). */
export function table_handles(self: u32): usize {
  const t = tid(self);
  const n = tableCount(t);
  if (n < 0) return word(n);
  const p = n ? heap.alloc(<usize>n << 2) : 0;
  let h: u32 = 0;
  for (let i = 0; i < n; i++) {
    h = <u32>tableNext(t, h);
    store<u32>(p + (<usize>i << 2), h);
  }
  store<u8>(RET, 0);
  store<u32>(RET, <u32>p, 4);
  store<u32>(RET, <u32>n, 8);
  return RET;
}

export function table_count(self: u32): usize {
  return word(tableCount(tid(self)));
}

/**
 * result<table-stats, error-code>: the record at @4: capacity@0
 * numbering@4 never-reuse@5 count@8 high-water@12 sharers@16 scope-depth@20.
 */
export function table_stats(self: u32): usize {
  const r = tableInfo(tid(self));
  if (r < 0) return word(r);
  const o = RET + 4;
  store<u8>(RET, 0);
  store<u32>(o, load<u32>(INFO, 0), 0);
  store<u8>(o, <u8>load<u32>(INFO, 4), 4);
  store<u8>(o, <u8>load<u32>(INFO, 8), 5);
  store<u32>(o, load<u32>(INFO, 12), 8);
  store<u32>(o, load<u32>(INFO, 16), 12);
  store<u32>(o, load<u32>(INFO, 20), 16);
  store<u32>(o, load<u32>(INFO, 24), 20);
  return RET;
}

export function table_share(self: u32): usize {
  return newTable(tableShare(tid(self)));
}

export function table_fork(self: u32): usize {
  return newTable(tableFork(tid(self)));
}

export function table_exec(self: u32): usize {
  return releasedList(tableExec(tid(self)));
}

export function table_close_all(self: u32): usize {
  const r = tableDrop(tid(self));
  if (r >= 0) store<u32>(repPtr + (<usize>(self - 1) << 2), 0);
  return releasedList(r);
}

// ---- Free functions ------------------------------------------------------------------

export function description_count(): u32 {
  return descriptionCount();
}

/** list<u32>: ptr @0, len @4; the queue is emptied. */
export function take_released(): usize {
  store<u32>(RET, <u32>copyList(orphanPtr, orphanCount), 0);
  store<u32>(RET, orphanCount, 4);
  orphanCount = 0;
  return RET;
}

// ---- Post-return: free the lists once the host has copied them ---------------------

function freeResultList(ret: usize): void {
  if (load<u8>(ret) == 0) {
    const p = <usize>load<u32>(ret, 4);
    if (p) heap.free(p);
  }
}

export function post_table_handles(ret: usize): void { freeResultList(ret); }
export function post_table_exec(ret: usize): void { freeResultList(ret); }
export function post_table_close_all(ret: usize): void { freeResultList(ret); }
export function post_take_released(ret: usize): void {
  const p = <usize>load<u32>(ret, 0);
  if (p) heap.free(p);
}
