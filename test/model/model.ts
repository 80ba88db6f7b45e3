// The reference model of iolife's ownership core, written to be read.
//
// In the manner of the Component Model's canonical-abi/definitions.py: plain
// records, one small function per exported operation of the core
// (assembly/table.ts), and every refusal a visible `refuseIf(...)` line, in
// the order the operation's doc comment lists it. A refusal changes nothing
// (the one exception, scopeEnd's "scope-has-borrows", is reported after the
// scope has ended, as the core documents). Nothing here is fast: tables are
// arrays that are scanned, free lists are arrays.
//
// The model speaks the core's ABI: tables by id, handles as u32 numbers,
// kinds/roles/rights/flags as numbers. Callers pass u32 values (`x >>> 0`).
// Where the core hands the host a host id, the model hands back the resource
// itself (the host's id ↔ resource mapping is host/core's business).
//
// test/core/model.property.test.ts runs random operation sequences on the
// Wasm core and on this model side by side and compares them after every step.

import { KINDS, ROLES, type ErrorCode, type State } from "../../host/core/constants.js";
import {
  GEN_MASK, INDEX_MASK, INTEREST_ALL, KIND_MAX, KIND_POLLER, MAX_CAPACITY, MAX_SCOPE_DEPTH,
  MAX_TABLES, POLICY_GENERATIONAL, POLICY_LOWEST, RIGHTS_ALL, RIGHTS_INHERIT, RIGHT_FD_FDSTAT_SET_FLAGS,
  RIGHT_FD_SEEK, RIGHT_FD_TELL, RIGHT_POLL_FD_READWRITE, ROLE_MAX, DFLAGS_ALL, HFLAGS_ALL, HFLAG_CLOEXEC,
  SERIAL_MASK, TABLE_GEN_MASK, generationOf, handleOf, slotIndexOf, tableIdOf,
} from "./handles.js";

// ---- Refusals and assertions -------------------------------------------------
// Two channels, never mixed: a refusal is the core's answer to a caller's
// mistake (an error code); a failed assertion is a bug in the model itself.

/** A refused operation. Deliberately not an Error: it is an answer, not a bug. */
export class Refusal {
  constructor(readonly code: ErrorCode) {}
  toString(): string {
    return `refused: ${this.code}`;
  }
}

export function refuseIf(condition: boolean, code: ErrorCode): void {
  if (condition) throw new Refusal(code);
}

function assert(condition: boolean, what: string): void {
  if (!condition) throw new Error(`model invariant broken: ${what}`);
}

// ---- Records -------------------------------------------------------------------

/**
 * An open description: what dup shares (offset, APPEND/NONBLOCK/SYNC flags)
 * and what fork and transfer carry to other tables of the same core.
 * - refs counts owner handles referring to it, in every table of the core;
 *   borrows refer to their lender's description but hold no reference.
 * - at refs 0 it is released, exactly once: its resource goes to the host.
 */
export interface Description {
  /** Its place in the core's pool; info() reports it. */
  readonly index: number;
  refs: number;
  flags: number;
  offset: bigint;
  resource: unknown;
}

/** Live states; any other state is a free slot and says how its last occupant ended. */
const LIVE: readonly State[] = ["owned", "shared-borrow", "exclusive-borrow"];

/**
 * One slot of a table.
 * - live exactly when state is owned, shared-borrow or exclusive-borrow;
 * - a free slot keeps the generation of its last occupant; generational
 *   tables advance it when the slot is reused;
 * - only owners hold a reference on their description;
 * - a borrow's lender lives in the same table or, when lenderTable is set,
 *   in that other table of the same core, which stays live while it lends;
 * - lends counts live shared borrows lent from this slot, in any table;
 *   exclusiveBorrow is the live exclusive borrow lent from it (or 0);
 * - children counts live entries whose parent is this one;
 * - registrations (pollers only) counts live entries registered with it.
 */
export interface Slot {
  readonly index: number;
  generation: number;
  state: State;
  kind: number;
  role: number;
  cloexec: boolean;
  rights: number;
  description: Description | null;
  /** Borrows: the handle this borrow was lent from. */
  lender: number;
  /** Borrows lent from another table (lending across tables): that table; null when the lender is in this one. */
  lenderTable: Table | null;
  lends: number;
  exclusiveBorrow: number;
  parent: number;
  children: number;
  poller: number;
  token: number;
  interest: number;
  registrations: number;
  /** Borrows: the serial of the scope it dies with, or 0. */
  scope: number;
}

/** A borrow scope: its serial, and its live borrows (slot indices), most recent first. */
export interface Scope {
  readonly serial: number;
  borrows: number[];
}

export interface Table {
  readonly capacity: number;
  readonly numbering: "generational" | "lowest";
  /** Debug switch: freed slots are never reused. */
  readonly neverReuse: boolean;
  /** Every slot ever issued; slots.length is the high-water mark. */
  slots: Slot[];
  /** Generational numbering: freed slots, the one to reuse next first. */
  freeList: number[];
  sharers: number;
  /** Open scopes, innermost last. */
  scopes: Scope[];
  lastSerial: number;
}

/** A registry slot: a table id names a slot and its generation. */
interface Registration {
  table: Table | null;
  generation: number;
}

/** One core instance: its tables and the open descriptions they share. */
export interface Core {
  registry: Registration[];
  /** Registry slots to reuse, the next first. */
  freeRegistry: number[];
  /** The description pool; null where a description was released. */
  descriptions: (Description | null)[];
  /** Pool places to reuse, the next first. */
  freeDescriptions: number[];
  /** Resources of the descriptions released by the last operation, in release order. */
  released: unknown[];
}

export function newCore(): Core {
  return { registry: [], freeRegistry: [], descriptions: [], freeDescriptions: [], released: [] };
}

// ---- Small helpers -------------------------------------------------------------

function isLive(slot: Slot): boolean {
  return LIVE.includes(slot.state);
}

function isBorrow(slot: Slot): boolean {
  return slot.state === "shared-borrow" || slot.state === "exclusive-borrow";
}

function handleAt(slot: Slot): number {
  return handleOf(slot.index, slot.generation);
}

/** The slot a live reference (lender, parent, poller) names. */
function slotNamed(table: Table, h: number): Slot {
  const slot = table.slots[slotIndexOf(h)];
  assert(slot !== undefined && isLive(slot) && handleAt(slot) === h, `handle ${h} is live`);
  return slot!;
}

/** The live slot a borrow was lent from: in its own table, or across tables in its lender's. */
function lenderOf(table: Table, borrow: Slot): Slot {
  return slotNamed(borrow.lenderTable ?? table, borrow.lender);
}

/** Missing bits of `want` in `have`. */
function missing(want: number, have: number): boolean {
  return ((want & ~have) >>> 0) !== 0;
}

// ---- Open descriptions (one pool per core) --------------------------------------

/** A new description with one reference; the most recently freed place is reused first. */
function newDescription(core: Core, resource: unknown, flags: number): Description {
  const index = core.freeDescriptions.length > 0 ? core.freeDescriptions.shift()! : core.descriptions.length;
  const description: Description = { index, refs: 1, flags, offset: 0n, resource };
  core.descriptions[index] = description;
  return description;
}

/** Drops one owner reference; at zero the description is released (once). */
function dropReference(core: Core, description: Description): void {
  description.refs -= 1;
  if (description.refs > 0) return;
  core.released.push(description.resource);
  core.descriptions[description.index] = null;
  core.freeDescriptions.unshift(description.index);
}

// ---- The table registry ------------------------------------------------------------

/** The live table `t` names. */
function tableFrom(core: Core, t: number): Table {
  const index = (t & 0xffff) - 1;
  const entry = index >= 0 && t < 0x8000_0000 ? core.registry[index] : undefined;
  const live = entry !== undefined && entry.table !== null && entry.generation === t >>> 16;
  refuseIf(!live, "table-closed");
  return entry!.table!;
}

function registryFull(core: Core): boolean {
  return core.freeRegistry.length === 0 && core.registry.length === MAX_TABLES;
}

/** Gives `table` an id: the most recently freed registry slot first, its generation advanced. */
function registerTable(core: Core, table: Table): number {
  let index: number;
  if (core.freeRegistry.length > 0) {
    index = core.freeRegistry.shift()!;
  } else {
    index = core.registry.length;
    core.registry.push({ table: null, generation: 0 });
  }
  const entry = core.registry[index]!;
  entry.generation = (entry.generation + 1) & TABLE_GEN_MASK;
  entry.table = table;
  return tableIdOf(index, entry.generation);
}

/** Retires table id `t`: its registry slot is reused first. */
function unregister(core: Core, t: number): void {
  const index = (t & 0xffff) - 1;
  core.registry[index]!.table = null;
  core.freeRegistry.unshift(index);
}

function emptyTable(capacity: number, numbering: Table["numbering"], neverReuse: boolean): Table {
  return { capacity, numbering, neverReuse, slots: [], freeList: [], sharers: 1, scopes: [], lastSerial: 0 };
}

// ---- Slots ---------------------------------------------------------------------------

/** The fields of a fresh occupant (the caller sets state and what it needs). */
function clearSlot(slot: Slot): void {
  slot.kind = 0;
  slot.role = 0;
  slot.cloexec = false;
  slot.rights = 0;
  slot.description = null;
  slot.lender = 0;
  slot.lenderTable = null;
  slot.lends = 0;
  slot.exclusiveBorrow = 0;
  slot.parent = 0;
  slot.children = 0;
  slot.poller = 0;
  slot.token = 0;
  slot.interest = 0;
  slot.registrations = 0;
  slot.scope = 0;
}

function neverUsedSlot(index: number): Slot {
  const slot = { index, generation: 0, state: "never" } as Slot;
  clearSlot(slot);
  return slot;
}

/**
 * Takes a slot for a new occupant. Reuse order: generational tables take the
 * most recently freed slot, lowest-free tables the lowest free slot; with
 * neither (or with the never-reuse switch) the high-water mark advances.
 * A reused slot of a generational table moves to the next generation.
 */
function takeSlot(table: Table): Slot {
  let slot = table.neverReuse ? undefined : reusableSlot(table);
  if (slot === undefined) {
    refuseIf(table.slots.length >= table.capacity, "full");
    slot = neverUsedSlot(table.slots.length);
    table.slots.push(slot);
  }
  if (table.numbering === "generational" && slot.state !== "never") {
    slot.generation = (slot.generation + 1) & GEN_MASK;
  }
  clearSlot(slot);
  return slot;
}

/** The freed slot to reuse next, taken off the free list; undefined if there is none. */
function reusableSlot(table: Table): Slot | undefined {
  if (table.numbering === "lowest") return table.slots.find((s) => !isLive(s));
  const index = table.freeList.shift();
  return index === undefined ? undefined : table.slots[index];
}

/** Frees a live slot; `ending` records how its occupant ended. */
function freeSlot(table: Table, slot: Slot, ending: State): void {
  slot.state = ending;
  if (table.neverReuse) return;
  if (table.numbering === "generational") table.freeList.unshift(slot.index);
}

/**
 * The live slot handle `h` names, in the order of the core's lookup:
 * unknown-handle (not a handle, never issued, or a generation in a
 * lowest-free table), stale-handle (another generation), scope-ended
 * (revoked with its scope), then for a slot freed at the same generation
 * double-close when closing, else closed.
 */
function lookup(table: Table, h: number, closing = false): Slot {
  const index = slotIndexOf(h);
  refuseIf(index < 0 || index >= table.slots.length, "unknown-handle");
  refuseIf(table.numbering === "lowest" && generationOf(h) !== 0, "unknown-handle");
  const slot = table.slots[index]!;
  refuseIf(slot.generation !== generationOf(h), "stale-handle");
  if (isLive(slot)) return slot;
  refuseIf(slot.state === "revoked", "scope-ended");
  refuseIf(closing, "double-close");
  throw new Refusal("closed");
}

/** Every use of a handle: lookup, then it must not be lent exclusively. */
function use(table: Table, h: number): Slot {
  const slot = lookup(table, h);
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  return slot;
}

/** A use that needs rights `need`. */
function useWith(table: Table, h: number, need: number): Slot {
  const slot = use(table, h);
  refuseIf(missing(need, slot.rights), "rights");
  return slot;
}

// ---- Registrations ---------------------------------------------------------------

/** Drops `slot`'s registration, if any, from its poller's count. */
function deregisterSlot(table: Table, slot: Slot): void {
  if (slot.poller === 0) return;
  slotNamed(table, slot.poller).registrations -= 1;
  slot.poller = 0;
  slot.token = 0;
  slot.interest = 0;
}

/** Undoes an owner's links: registrations with it, its own registration, its parent's count, its reference. */
function closeContents(core: Core, table: Table, slot: Slot): void {
  if (slot.registrations > 0) {
    for (const other of table.slots) {
      if (!isLive(other) || other.poller !== handleAt(slot)) continue;
      other.poller = 0;
      other.token = 0;
      other.interest = 0;
    }
    slot.registrations = 0;
  }
  deregisterSlot(table, slot);
  if (slot.parent !== 0) slotNamed(table, slot.parent).children -= 1;
  dropReference(core, slot.description!);
}

// ---- Tables ------------------------------------------------------------------------

/**
 * table_new: a new empty table.
 * Refuses: invalid-argument (capacity 0 or above MAX_CAPACITY, unknown
 * policy, noReuse not 0/1), full (too many tables).
 */
export function tableNew(core: Core, capacity: number, policy: number, noReuse: number): number {
  refuseIf(capacity === 0 || capacity > MAX_CAPACITY, "invalid-argument");
  refuseIf(policy !== POLICY_GENERATIONAL && policy !== POLICY_LOWEST, "invalid-argument");
  refuseIf(noReuse > 1, "invalid-argument");
  refuseIf(registryFull(core), "full");
  const numbering = policy === POLICY_LOWEST ? "lowest" : "generational";
  return registerTable(core, emptyTable(capacity, numbering, noReuse === 1));
}

/**
 * table_share: one more sharer of the same table (threads, CLONE_FILES), with
 * an id of its own. Refuses: table-closed, full (too many table ids).
 */
export function tableShare(core: Core, t: number): number {
  const table = tableFrom(core, t);
  refuseIf(registryFull(core), "full");
  table.sharers += 1;
  return registerTable(core, table);
}

/**
 * table_fork: a deep copy. Owners are copied with their handle values, rights,
 * CLOEXEC, parent and children, each taking a new reference on its
 * description; their lends (in this table or lent across tables) and poll
 * registrations are not copied. Borrows, whether lent here or from another
 * table, are not inherited: their slots are free in the copy ("not-inherited").
 * The copy's free list holds its free slots lowest first.
 * Refuses: table-closed, full (too many tables).
 */
export function tableFork(core: Core, t: number): number {
  const table = tableFrom(core, t);
  refuseIf(registryFull(core), "full");
  const copy = emptyTable(table.capacity, table.numbering, table.neverReuse);
  for (const slot of table.slots) {
    if (slot.state === "owned") {
      copy.slots.push({
        ...slot, lends: 0, exclusiveBorrow: 0, poller: 0, token: 0, interest: 0, registrations: 0,
      });
      slot.description!.refs += 1;
    } else {
      const free = neverUsedSlot(slot.index);
      free.generation = slot.generation;
      free.state = isLive(slot) ? "not-inherited" : slot.state;
      copy.slots.push(free);
    }
  }
  if (copy.numbering === "generational" && !copy.neverReuse) {
    copy.freeList = copy.slots.filter((s) => s.state !== "owned").map((s) => s.index);
  }
  return registerTable(core, copy);
}

/**
 * table_drop: one sharer lets go, and its id is retired. The last one revokes
 * every borrow the table holds or lends (in any table), closes every owner
 * (each description released once) and frees the table.
 * Returns the number of descriptions released. Refuses: table-closed.
 */
export function tableDrop(core: Core, t: number): number {
  const table = tableFrom(core, t);
  core.released = [];
  table.sharers -= 1;
  // The id stays registered while the table closes: the registry scans below visit it.
  if (table.sharers === 0) closeMarked(core, table, () => true);
  unregister(core, t);
  return core.released.length;
}

/**
 * table_exec: revokes every borrow and ends every scope, then closes every
 * CLOEXEC owner and all its descendants, after revoking every borrow in any
 * table that depends on them. Returns the number of descriptions released.
 * Refuses: table-closed.
 */
export function tableExec(core: Core, t: number): number {
  const table = tableFrom(core, t);
  core.released = [];
  closeMarked(core, table, (slot) => slot.cloexec);
  return core.released.length;
}

/**
 * What exec and the last drop do: marks every borrow the table holds, the
 * owners `chosen` picks and their descendants, then every borrow in any
 * table that depends on what is marked (markDependents); revokes the marked
 * borrows (revokeMarked); ends the table's scopes; and closes the marked
 * owners in repeated ascending passes, each closing those that have no live
 * children left.
 */
function closeMarked(core: Core, table: Table, chosen: (slot: Slot) => boolean): void {
  const marked = new Set<Slot>();
  for (const slot of table.slots) {
    if (isBorrow(slot) || (slot.state === "owned" && chosen(slot))) marked.add(slot);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const slot of table.slots) {
      if (slot.state !== "owned" || marked.has(slot) || slot.parent === 0) continue;
      if (!marked.has(slotNamed(table, slot.parent))) continue;
      marked.add(slot);
      changed = true;
    }
  }
  markDependents(core, marked);
  revokeMarked(core, marked);
  table.scopes = [];
  let left = true;
  while (left) {
    left = false;
    for (const slot of table.slots) {
      if (slot.state !== "owned" || !marked.has(slot)) continue;
      if (slot.children > 0) {
        left = true;
        continue;
      }
      assert(slot.lends === 0 && slot.exclusiveBorrow === 0, "a closing owner lends nothing");
      closeContents(core, table, slot);
      freeSlot(table, slot, "closed");
    }
  }
}

/**
 * Marks every live borrow, in every table, whose lender (in its own table or
 * across tables) is marked, until nothing changes: what must die with the
 * marked entries, across any chain of reborrows and tables.
 */
function markDependents(core: Core, marked: Set<Slot>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const { table } of liveTableIds(core)) {
      for (const slot of table.slots) {
        if (!isBorrow(slot) || marked.has(slot)) continue;
        if (!marked.has(lenderOf(table, slot))) continue;
        marked.add(slot);
        changed = true;
      }
    }
  }
}

/**
 * Revokes every marked borrow, in repeated passes over the registry (a table
 * with several sharers is visited once per id, as the core's scan does),
 * each revoking, in ascending slot order, the marked borrows that have no
 * live borrows of their own. Each revoked borrow gives its lend back (across
 * tables too) and leaves its scope. Marked borrows lend only to marked
 * borrows, so every pass revokes at least one.
 */
function revokeMarked(core: Core, marked: Set<Slot>): void {
  let left = true;
  while (left) {
    left = false;
    let revoked = false;
    for (const { table } of liveTableIds(core)) {
      for (const slot of table.slots) {
        if (!isBorrow(slot) || !marked.has(slot)) continue;
        if (slot.lends > 0 || slot.exclusiveBorrow !== 0) {
          left = true;
          continue;
        }
        endBorrow(table, slot, "revoked", true);
        revoked = true;
      }
    }
    assert(!left || revoked, "each pass revokes a borrow");
  }
}

// ---- Insert, close, dup, transfer, renumber ---------------------------------------

export interface InsertArgs {
  kind: number;
  role: number;
  rights: number;
  dflags: number;
  hflags: number;
  resource: unknown;
  parent: number;
}

/**
 * handle_insert: a new owner on a new description.
 * Refuses: table-closed; invalid-argument (kind, role, rights, flags out of
 * range); the parent (if not 0): lookup, not-owner, lent (exclusively); full.
 * (The core also refuses a host id with bit 31 set; the model is handed the
 * resource itself, so that refusal belongs to the host layer here.)
 */
export function insert(core: Core, t: number, a: InsertArgs): number {
  const table = tableFrom(core, t);
  refuseIf(a.kind === 0 || a.kind > KIND_MAX, "invalid-argument");
  refuseIf(a.role > ROLE_MAX, "invalid-argument");
  refuseIf(missing(a.rights, RIGHTS_ALL), "invalid-argument");
  refuseIf(missing(a.dflags, DFLAGS_ALL), "invalid-argument");
  refuseIf(missing(a.hflags, HFLAGS_ALL), "invalid-argument");
  if (a.parent !== 0) {
    const parent = lookup(table, a.parent);
    refuseIf(parent.state !== "owned", "not-owner");
    refuseIf(parent.exclusiveBorrow !== 0, "lent");
  }
  const slot = takeSlot(table);
  slot.state = "owned";
  slot.kind = a.kind;
  slot.role = a.role;
  slot.cloexec = (a.hflags & HFLAG_CLOEXEC) !== 0;
  slot.rights = a.rights;
  slot.description = newDescription(core, a.resource, a.dflags);
  if (a.parent !== 0) {
    slot.parent = a.parent;
    slotNamed(table, a.parent).children += 1;
  }
  return handleAt(slot);
}

/**
 * handle_close: closes an owner; returns 1 if that released its description.
 * Refuses: table-closed; lookup (double-close for a closed handle);
 * not-owner (a borrow: release it); lent (exclusively, then shared);
 * has-children. Closing a poller drops the registrations made with it;
 * closing a registered handle deregisters it.
 */
export function close(core: Core, t: number, h: number): number {
  const table = tableFrom(core, t);
  const slot = lookup(table, h, true);
  refuseIf(slot.state !== "owned", "not-owner");
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  refuseIf(slot.lends > 0, "lent");
  refuseIf(slot.children > 0, "has-children");
  core.released = [];
  closeContents(core, table, slot);
  freeSlot(table, slot, "closed");
  return core.released.length;
}

/**
 * handle_dup: a new owner on the same description, CLOEXEC cleared, rights
 * narrowed to `rights` (RIGHTS_INHERIT keeps them), a child of the same parent.
 * Refuses: table-closed; lookup; not-owner; lent (exclusively); rights
 * (widening); full.
 */
export function dup(core: Core, t: number, h: number, rights: number): number {
  const table = tableFrom(core, t);
  const slot = lookup(table, h);
  refuseIf(slot.state !== "owned", "not-owner");
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  refuseIf(rights !== RIGHTS_INHERIT && missing(rights, slot.rights), "rights");
  const copy = takeSlot(table);
  copy.state = "owned";
  copy.kind = slot.kind;
  copy.role = slot.role;
  copy.cloexec = false;
  copy.rights = rights === RIGHTS_INHERIT ? slot.rights : rights;
  copy.description = slot.description;
  slot.description!.refs += 1;
  if (slot.parent !== 0) {
    copy.parent = slot.parent;
    slotNamed(table, slot.parent).children += 1;
  }
  return handleAt(copy);
}

/**
 * handle_transfer: moves an owner into table `to` (which may be `t`): a new
 * handle there, the old one freed ("transferred"). Kind, role, rights,
 * CLOEXEC and the description move along; its own poll registration does not.
 * Refuses: table-closed (t, then to); lookup; not-owner; lent (exclusively,
 * then shared); has-children (children, or registrations made with it if it
 * is a poller — as renumber refuses for `from`); has-parent; full (in `to`).
 */
export function transfer(core: Core, t: number, h: number, to: number): number {
  const table = tableFrom(core, t);
  const target = tableFrom(core, to);
  const slot = lookup(table, h);
  refuseIf(slot.state !== "owned", "not-owner");
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  refuseIf(slot.lends > 0, "lent");
  refuseIf(slot.children > 0 || slot.registrations > 0, "has-children");
  refuseIf(slot.parent !== 0, "has-parent");
  const moved = takeSlot(target);
  deregisterSlot(table, slot);
  moved.state = "owned";
  moved.kind = slot.kind;
  moved.role = slot.role;
  moved.cloexec = slot.cloexec;
  moved.rights = slot.rights;
  moved.description = slot.description;
  freeSlot(table, slot, "transferred");
  return handleAt(moved);
}

/**
 * handle_renumber (fd_renumber / dup2): `to` is closed and `from`'s entry
 * (flags and registration included) moves to `to`'s number; `from` is freed
 * ("renumbered"). from == to is a no-op once both resolve. Returns the number
 * of descriptions released.
 * Refuses: table-closed; lookup from, then to; from: not-owner, lent,
 * has-children (children, or registrations made with it); to: not-owner,
 * lent, has-children.
 */
export function renumber(core: Core, t: number, from: number, to: number): number {
  const table = tableFrom(core, t);
  const source = lookup(table, from);
  const target = lookup(table, to);
  refuseIf(source.state !== "owned", "not-owner");
  refuseIf(source.exclusiveBorrow !== 0, "lent");
  refuseIf(source.lends > 0, "lent");
  refuseIf(source.children > 0 || source.registrations > 0, "has-children");
  refuseIf(target.state !== "owned", "not-owner");
  refuseIf(target.exclusiveBorrow !== 0, "lent");
  refuseIf(target.lends > 0, "lent");
  refuseIf(target.children > 0, "has-children");
  core.released = [];
  if (from === to) return 0;
  closeContents(core, table, target);
  moveEntry(source, target);
  freeSlot(table, source, "renumbered");
  return core.released.length;
}

/** Everything but the slot's own index and generation moves from `source` to `target`. */
function moveEntry(source: Slot, target: Slot): void {
  target.state = source.state;
  target.kind = source.kind;
  target.role = source.role;
  target.cloexec = source.cloexec;
  target.rights = source.rights;
  target.description = source.description;
  target.lender = source.lender;
  target.lenderTable = source.lenderTable;
  target.lends = source.lends;
  target.exclusiveBorrow = source.exclusiveBorrow;
  target.parent = source.parent;
  target.children = source.children;
  target.poller = source.poller;
  target.token = source.token;
  target.interest = source.interest;
  target.registrations = source.registrations;
  target.scope = source.scope;
}

// ---- Borrowing ---------------------------------------------------------------------

/** Position of live scope `serial` in the table's stack (0 = outermost), or -1. */
function scopePosition(table: Table, serial: number): number {
  return table.scopes.findIndex((s) => s.serial === serial);
}

/**
 * handle_borrow: a borrow of h in its own table (see borrowInto, with into = t).
 */
export function borrow(core: Core, t: number, h: number, exclusive: boolean, rights: number, scope: number): number {
  return borrowInto(core, t, h, exclusive, rights, scope, t);
}

/**
 * handle_borrow_into: a borrow of h (in table t) made in table `into`, which
 * may be t or another id of the same table (then it is an ordinary borrow)
 * or another table of the core (lending across tables: the borrow records
 * its lender's table). Shared (counted in h's lends) or exclusive (at most
 * one, and no shared ones). h may itself be a borrow (a reborrow).
 * `scope` 0: lives until released; otherwise dies when that scope of
 * `into` ends.
 * Refuses: table-closed (t, then into); lookup; lent (h is lent
 * exclusively); exclusive: not-owner (h is a shared borrow), lent (h has
 * shared borrows); rights (widening); scope-invalid (scope not live in
 * `into`, or the borrow would outlive h's own scope — which a scoped h
 * lending across tables always could); full (in `into`).
 */
export function borrowInto(core: Core, t: number, h: number, exclusive: boolean, rights: number, scope: number, into: number): number {
  const table = tableFrom(core, t);
  const target = tableFrom(core, into);
  const lender = lookup(table, h);
  refuseIf(lender.exclusiveBorrow !== 0, "lent");
  refuseIf(exclusive && lender.state === "shared-borrow", "not-owner");
  refuseIf(exclusive && lender.lends > 0, "lent");
  refuseIf(rights !== RIGHTS_INHERIT && missing(rights, lender.rights), "rights");
  const across = target !== table;
  const position = scope !== 0 ? scopePosition(target, scope) : -1;
  refuseIf(scope !== 0 && position < 0, "scope-invalid");
  refuseIf(scope !== 0 && lender.scope !== 0 && across, "scope-invalid"); // a scoped lender cannot lend across tables
  refuseIf(scope !== 0 && lender.scope !== 0 && scopePosition(table, lender.scope) > position, "scope-invalid");
  refuseIf(scope === 0 && lender.scope !== 0, "scope-invalid");
  const slot = takeSlot(target);
  slot.state = exclusive ? "exclusive-borrow" : "shared-borrow";
  slot.kind = lender.kind;
  slot.role = lender.role;
  slot.rights = rights === RIGHTS_INHERIT ? lender.rights : rights;
  slot.description = lender.description;
  slot.lender = h;
  slot.lenderTable = across ? table : null;
  if (exclusive) lender.exclusiveBorrow = handleAt(slot);
  else lender.lends += 1;
  if (scope !== 0) {
    slot.scope = scope;
    target.scopes[position]!.borrows.unshift(slot.index);
  }
  return handleAt(slot);
}

/** Ends a live borrow that lends nothing: gives back its lend (in its lender's table), leaves its scope, frees it. */
function endBorrow(table: Table, slot: Slot, ending: State, leaveScope: boolean): void {
  const lender = lenderOf(table, slot);
  if (slot.state === "exclusive-borrow") lender.exclusiveBorrow = 0;
  else lender.lends -= 1;
  if (slot.scope !== 0 && leaveScope) {
    const scope = table.scopes[scopePosition(table, slot.scope)]!;
    scope.borrows = scope.borrows.filter((i) => i !== slot.index);
  }
  deregisterSlot(table, slot);
  freeSlot(table, slot, ending);
}

/**
 * handle_release: ends a borrow.
 * Refuses: table-closed; lookup (double-close if already released,
 * scope-ended if its scope ended); not-borrow (an owner: close it); lent
 * (reborrows still live: exclusive, then shared).
 */
export function release(core: Core, t: number, b: number): number {
  const table = tableFrom(core, t);
  const slot = lookup(table, b, true);
  refuseIf(slot.state === "owned", "not-borrow");
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  refuseIf(slot.lends > 0, "lent");
  endBorrow(table, slot, "released", true);
  return 0;
}

/** scope_begin: opens a scope nested in the current ones; returns its serial. Refuses: table-closed, full (depth). */
export function scopeBegin(core: Core, t: number): number {
  const table = tableFrom(core, t);
  refuseIf(table.scopes.length === MAX_SCOPE_DEPTH, "full");
  let serial = (table.lastSerial + 1) & SERIAL_MASK;
  if (serial === 0) serial = 1;
  table.lastSerial = serial;
  table.scopes.push({ serial, borrows: [] });
  return serial;
}

/**
 * scope_end: ends the innermost scope. Its live borrows are revoked (most
 * recent first); if there were any, scope-has-borrows is reported — after
 * the scope has ended, since a lifetime cannot be extended by refusing.
 * Refuses first: table-closed; scope-invalid (not the innermost live scope).
 */
export function scopeEnd(core: Core, t: number, serial: number): number {
  const table = tableFrom(core, t);
  const innermost = table.scopes[table.scopes.length - 1];
  refuseIf(innermost === undefined || innermost.serial !== serial, "scope-invalid");
  const live = innermost!.borrows.length;
  for (const index of innermost!.borrows) endBorrow(table, table.slots[index]!, "revoked", false);
  table.scopes.pop();
  refuseIf(live > 0, "scope-has-borrows");
  return 0;
}

// ---- Rights, flags, offset -----------------------------------------------------------

/**
 * handle_check: the resource behind h, if h is usable, of a kind in `kindMask`
 * (bit k for kind k; 0 = any) and holds `rights`.
 * Refuses: table-closed; lookup; lent; wrong-kind; rights.
 */
export function check(core: Core, t: number, h: number, rights: number, kindMask: number): unknown {
  const table = tableFrom(core, t);
  const slot = use(table, h);
  refuseIf(kindMask !== 0 && (kindMask & (1 << slot.kind)) === 0, "wrong-kind");
  refuseIf(missing(rights, slot.rights), "rights");
  return slot.description!.resource;
}

/** handle_narrow: replaces h's rights by a subset. Refuses: table-closed; lookup; lent; rights (widening). */
export function narrow(core: Core, t: number, h: number, rights: number): number {
  const table = tableFrom(core, t);
  const slot = use(table, h);
  refuseIf(missing(rights, slot.rights), "rights");
  slot.rights = rights;
  return 0;
}

/** handle_set_cloexec. Refuses: table-closed; invalid-argument (on not 0/1); lookup; lent; not-owner. */
export function setCloexec(core: Core, t: number, h: number, on: number): number {
  const table = tableFrom(core, t);
  refuseIf(on > 1, "invalid-argument");
  const slot = use(table, h);
  refuseIf(slot.state !== "owned", "not-owner");
  slot.cloexec = on === 1;
  return 0;
}

/** desc_get_flags: the description's flags. Refuses: table-closed; lookup; lent. */
export function getFlags(core: Core, t: number, h: number): number {
  const table = tableFrom(core, t);
  return use(table, h).description!.flags;
}

/** desc_set_flags. Refuses: table-closed; invalid-argument; lookup; lent; rights (fd_fdstat_set_flags). */
export function setFlags(core: Core, t: number, h: number, flags: number): number {
  const table = tableFrom(core, t);
  refuseIf(missing(flags, DFLAGS_ALL), "invalid-argument");
  const slot = useWith(table, h, RIGHT_FD_FDSTAT_SET_FLAGS);
  slot.description!.flags = flags;
  return 0;
}

/** desc_get_offset: the description's offset. Refuses: table-closed; lookup; lent; rights (fd_tell). */
export function getOffset(core: Core, t: number, h: number): bigint {
  const table = tableFrom(core, t);
  return useWith(table, h, RIGHT_FD_TELL).description!.offset;
}

/** desc_set_offset (`offset` is the i64 the core receives). Refuses: table-closed; invalid-argument (negative); lookup; lent; rights (fd_seek). */
export function setOffset(core: Core, t: number, h: number, offset: bigint): number {
  const table = tableFrom(core, t);
  refuseIf(offset < 0n, "invalid-argument");
  const slot = useWith(table, h, RIGHT_FD_SEEK);
  slot.description!.offset = offset;
  return 0;
}

// ---- Poll registration (after mio's Registry) ------------------------------------------

/** The poller of a registration call: lookup, wrong-kind, not-owner, lent (exclusively). */
function pollerFor(table: Table, poller: number): Slot {
  const slot = lookup(table, poller);
  refuseIf(slot.kind !== KIND_POLLER, "wrong-kind");
  refuseIf(slot.state !== "owned", "not-owner");
  refuseIf(slot.exclusiveBorrow !== 0, "lent");
  return slot;
}

function validInterest(interest: number): boolean {
  return interest !== 0 && !missing(interest, INTEREST_ALL);
}

/**
 * poll_register: registers h with `poller` for `interest` under `token`.
 * Refuses: table-closed; lookup h; poller: lookup, wrong-kind, not-owner;
 * invalid-argument (h is the poller, empty or unknown interest); h: lent,
 * rights (poll_fd_readwrite); already-registered (with any poller).
 */
export function pollRegister(core: Core, t: number, h: number, poller: number, token: number, interest: number): number {
  const table = tableFrom(core, t);
  lookup(table, h);
  const pollerSlot = pollerFor(table, poller);
  refuseIf(h === poller || !validInterest(interest), "invalid-argument");
  const slot = useWith(table, h, RIGHT_POLL_FD_READWRITE);
  refuseIf(slot.poller !== 0, "already-registered");
  slot.poller = poller;
  slot.token = token;
  slot.interest = interest;
  pollerSlot.registrations += 1;
  return 0;
}

/** What re- and deregistration check: lookup h; the poller; h usable (with `need`); registered with this poller. */
function registered(table: Table, h: number, poller: number, need: number): Slot {
  lookup(table, h);
  pollerFor(table, poller);
  const slot = useWith(table, h, need);
  refuseIf(slot.poller === 0, "not-registered");
  refuseIf(slot.poller !== poller, "wrong-poller");
  return slot;
}

/**
 * poll_reregister: a registration's new token and interest.
 * Refuses: table-closed; lookup h; poller: lookup, wrong-kind, not-owner;
 * h: lent, rights; not-registered; wrong-poller; invalid-argument (interest).
 */
export function pollReregister(core: Core, t: number, h: number, poller: number, token: number, interest: number): number {
  const table = tableFrom(core, t);
  const slot = registered(table, h, poller, RIGHT_POLL_FD_READWRITE);
  refuseIf(!validInterest(interest), "invalid-argument");
  slot.token = token;
  slot.interest = interest;
  return 0;
}

/**
 * poll_deregister: ends a registration.
 * Refuses: table-closed; lookup h; poller: lookup, wrong-kind, not-owner;
 * h: lent; not-registered; wrong-poller.
 */
export function pollDeregister(core: Core, t: number, h: number, poller: number): number {
  const table = tableFrom(core, t);
  const slot = registered(table, h, poller, 0);
  deregisterSlot(table, slot);
  return 0;
}

// ---- Introspection ----------------------------------------------------------------------

const KIND_NAMES = Object.keys(KINDS);
const ROLE_NAMES = Object.keys(ROLES);

/** What handle_info reports about a live handle (the shape of host/core's HandleInfo). */
export interface Info {
  handle: number;
  state: State;
  kind: string;
  role: string;
  cloexec: boolean;
  rights: number;
  flags: number;
  resource: unknown;
  description: number;
  descriptionRefs: number;
  lender: number;
  lends: number;
  exclusiveBorrow: number;
  parent: number;
  children: number;
  poller: number;
  token: number;
  interest: number;
  registrations: number;
  scope: number;
  /** Lent from another table (borrowInto across tables). */
  foreignLender: boolean;
}

function infoOf(slot: Slot): Info {
  const d = slot.description!;
  return {
    handle: handleAt(slot), state: slot.state, kind: KIND_NAMES[slot.kind - 1]!, role: ROLE_NAMES[slot.role]!,
    cloexec: slot.cloexec, rights: slot.rights, flags: d.flags, resource: d.resource, description: d.index,
    descriptionRefs: d.refs, lender: slot.lender, lends: slot.lends, exclusiveBorrow: slot.exclusiveBorrow,
    parent: slot.parent, children: slot.children, poller: slot.poller, token: slot.token,
    interest: slot.interest, registrations: slot.registrations, scope: slot.scope,
    foreignLender: slot.lenderTable !== null,
  };
}

/** handle_info: everything about a live handle (allowed while lent). Refuses: table-closed; lookup. */
export function info(core: Core, t: number, h: number): Info {
  const table = tableFrom(core, t);
  return infoOf(lookup(table, h));
}

export interface Stats {
  capacity: number;
  numbering: "generational" | "lowest";
  neverReuse: boolean;
  count: number;
  highWater: number;
  sharers: number;
  scopeDepth: number;
}

/** table_count: live entries, owners and borrows. Refuses: table-closed. */
export function count(core: Core, t: number): number {
  return tableFrom(core, t).slots.filter(isLive).length;
}

/** table_info: the table's figures. Refuses: table-closed. */
export function stats(core: Core, t: number): Stats {
  const table = tableFrom(core, t);
  return {
    capacity: table.capacity, numbering: table.numbering, neverReuse: table.neverReuse,
    count: count(core, t), highWater: table.slots.length, sharers: table.sharers, scopeDepth: table.scopes.length,
  };
}

/** table_next: the first live handle in a slot after prev's slot (prev 0: from the start), 0 at the end. Refuses: table-closed. */
export function next(core: Core, t: number, prev: number): number {
  const table = tableFrom(core, t);
  const start = prev & INDEX_MASK;
  const slot = table.slots.find((s) => s.index >= start && isLive(s));
  return slot === undefined ? 0 : handleAt(slot);
}

/** info() of every live handle, in slot order (table_next's order). */
export function list(core: Core, t: number): Info[] {
  return tableFrom(core, t).slots.filter(isLive).map(infoOf);
}

/** Open descriptions alive in the core. */
export function descriptionCount(core: Core): number {
  return core.descriptions.filter((d) => d !== null).length;
}

/** Every live table id, in registry order, with the table it names (sharers' ids name the same table). */
export function liveTableIds(core: Core): { id: number; table: Table }[] {
  const out: { id: number; table: Table }[] = [];
  core.registry.forEach((r, index) => {
    if (r.table !== null) out.push({ id: tableIdOf(index, r.generation), table: r.table });
  });
  return out;
}

/** The live tables of the core, each once, with its lowest live id. */
export function liveTables(core: Core): { id: number; table: Table }[] {
  const byTable = new Map<Table, number>();
  for (const { id, table } of liveTableIds(core)) {
    const seen = byTable.get(table);
    if (seen === undefined || id < seen) byTable.set(table, id);
  }
  return [...byTable].map(([table, id]) => ({ id, table }));
}
