/**
 * The simulator's shadow of the ownership core: what it expects the core to
 * hold after each step of a process history (tables, slots, descriptions,
 * lends, scopes, registrations) and what each operation should answer.
 *
 * It follows the rules assembly/table.ts documents, operation by operation,
 * in the order each one lists its refusals; every prediction is either an
 * error code (and then nothing changes) or success together with the
 * descriptions the operation releases, in the order the core releases them.
 * Handle values are predicted too (free-list order for generational
 * tables, lowest free slot for POSIX numbering), so the simulator can tell a
 * reused number from a stale one.
 *
 * Invariants (checked by the simulator against the core after every step):
 * - a description is live exactly while `refs` > 0; `refs` counts owner
 *   entries in every live table; borrows hold none;
 * - `lends` / `excl` of an entry count / name its live borrows;
 * - `children` counts live owners whose parent is this entry;
 * - `regs` (pollers) counts live entries registered with this one.
 *
 * No Node import: this runs in browsers too.
 */
import type { ErrorCode, Kind, Numbering } from "../core/index.js";
import { INDEX_BITS, INDEX_MASK, MAX_SCOPE_DEPTH } from "../core/index.js";

const GEN_MASK = (1 << (31 - INDEX_BITS)) - 1;
/** Passed as rights to dup/borrow: keep the source's. */
export const INHERIT = 0xffff_ffff;

/** The handle for slot `index` at generation `gen` (assembly/layout.ts). */
export function handleOf(index: number, gen: number): number {
  return (((gen & GEN_MASK) << INDEX_BITS) | (index + 1)) >>> 0;
}

type Live = "owned" | "shared-borrow" | "exclusive-borrow";
type Ended = "closed" | "released" | "revoked" | "transferred" | "renumbered" | "not-inherited";

/** What the host put behind a description (see simulator.ts). */
export interface ShadowResource {
  readonly id: number;
}

/** One open description. */
export interface Desc {
  readonly res: ShadowResource;
  refs: number;
}

/** A live entry: an owner or a borrow. */
export interface Entry {
  state: Live;
  kind: Kind;
  rights: number;
  cloexec: boolean;
  desc: Desc;
  lender: number;
  /** The lender's table, when it is another one (a borrow lent across tables); else null. */
  ltable: ShadowTable | null;
  lends: number;
  excl: number;
  parent: number;
  children: number;
  poller: number;
  token: number;
  interest: number;
  regs: number;
  scope: number;
}

interface Slot {
  gen: number;
  state: Live | Ended;
  e: Entry | null;
}

interface ShadowScope {
  serial: number;
  /** Live borrows made in it, most recent first (the core revokes in this order). */
  borrows: number[];
}

/** A refusal (the error code the core must throw). */
export interface Refused {
  readonly code: ErrorCode;
}
/** Success: a value (a handle, a resource) and the descriptions released, in order. */
export interface Done<T> {
  readonly code?: undefined;
  readonly value: T;
  readonly released: Desc[];
}
export type Outcome<T = void> = Refused | Done<T>;

const refuse = (code: ErrorCode): Refused => ({ code });
const done = <T>(value: T, released: Desc[] = []): Done<T> => ({ value, released });

/** One handle table (shared by its threads). */
export class ShadowTable {
  readonly slots: Slot[] = [];
  /** Generational free list, head first (empty for POSIX numbering). */
  free: number[] = [];
  sharers = 1;
  scopes: ShadowScope[] = [];
  serial = 0;
  dead = false;

  constructor(
    readonly id: number,
    readonly numbering: Numbering,
    readonly capacity: number,
    readonly neverReuse: boolean,
  ) {}

  get count(): number {
    let n = 0;
    for (const s of this.slots) if (s.e !== null) n++;
    return n;
  }

  /** Live handles in slot order (what HandleTable.handles() lists). */
  handles(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i]!.e !== null) out.push(handleOf(i, this.slots[i]!.gen));
    return out;
  }

  entry(h: number): Entry | null {
    const i = (h & INDEX_MASK) - 1;
    const s = this.slots[i];
    return s !== undefined && s.e !== null && handleOf(i, s.gen) === h >>> 0 ? s.e : null;
  }

  /** The entry for `h`, or the lookup refusal (assembly/table.ts entryFor). */
  lookup(h: number, closing: boolean): Entry | Refused {
    h >>>= 0;
    const index = h & 0x8000_0000 ? -1 : (h & INDEX_MASK) - 1;
    if (index < 0 || index >= this.slots.length || (this.numbering === "lowest" && h >>> INDEX_BITS !== 0)) {
      return refuse("unknown-handle");
    }
    const s = this.slots[index]!;
    if (s.gen !== h >>> INDEX_BITS) return refuse("stale-handle");
    if (s.e !== null) return s.e;
    return refuse(s.state === "revoked" ? "scope-ended" : closing ? "double-close" : "closed");
  }

  /** The slot the core will hand out next, or -1 when full (allocSlot). */
  private nextSlot(): number {
    if (!this.neverReuse) {
      if (this.numbering === "lowest") {
        for (let i = 0; i < this.slots.length; i++) if (this.slots[i]!.e === null) return i;
      } else if (this.free.length) {
        return this.free[0]!;
      }
    }
    return this.slots.length < this.capacity ? this.slots.length : -1;
  }

  /** Takes the slot nextSlot() named and puts `e` there; returns its handle. */
  private occupy(index: number, e: Entry): number {
    if (index === this.slots.length) {
      this.slots.push({ gen: 0, state: e.state, e });
    } else {
      if (this.free[0] === index) this.free.shift();
      const s = this.slots[index]!;
      if (this.numbering === "generational") s.gen = (s.gen + 1) & GEN_MASK;
      s.state = e.state;
      s.e = e;
    }
    return handleOf(index, this.slots[index]!.gen);
  }

  private vacate(h: number, reason: Ended): void {
    const index = (h & INDEX_MASK) - 1;
    const s = this.slots[index]!;
    s.e = null;
    s.state = reason;
    if (!this.neverReuse && this.numbering === "generational") this.free.unshift(index);
  }

  private scopePos(serial: number): number {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.serial === serial) return i;
    return -1;
  }

  // ---- operations ---------------------------------------------------------

  insert(kind: Kind, rights: number, cloexec: boolean, parent: number, res: ShadowResource): Outcome<number> {
    let pe: Entry | null = null;
    if (parent) {
      const p = this.lookup(parent, false);
      if ("code" in p) return p;
      if (p.state !== "owned") return refuse("not-owner");
      if (p.excl) return refuse("lent");
      pe = p;
    }
    const slot = this.nextSlot();
    if (slot < 0) return refuse("full");
    const e = newEntry("owned", kind, rights, cloexec, { res, refs: 1 });
    if (pe !== null) {
      e.parent = parent >>> 0;
      pe.children++;
    }
    return done(this.occupy(slot, e));
  }

  close(h: number): Outcome {
    const e = this.lookup(h, true);
    if ("code" in e) return e;
    const refused = movable(e);
    if (refused) return refused;
    if (e.children) return refuse("has-children");
    const released: Desc[] = [];
    this.closeContents(h >>> 0, e, released);
    this.vacate(h, "closed");
    return done(undefined, released);
  }

  /** Undoes an entry's links: registrations both ways, its parent's child count, its reference. */
  private closeContents(h: number, e: Entry, released: Desc[]): void {
    if (e.regs) {
      for (const s of this.slots) if (s.e !== null && s.e.poller === h) clearRegistration(s.e);
      e.regs = 0;
    }
    this.deregister(e);
    if (e.parent) this.entryAt(e.parent).children--;
    if (--e.desc.refs === 0) released.push(e.desc);
  }

  /** The entry in the slot `h` names, whatever its generation (links are kept consistent by the core). */
  private entryAt(h: number): Entry {
    const e = this.slots[(h & INDEX_MASK) - 1]?.e;
    if (!e) throw new Error(`shadow: link to ${h} names no live entry`);
    return e;
  }

  private deregister(e: Entry): void {
    if (!e.poller) return;
    this.entryAt(e.poller).regs--;
    clearRegistration(e);
  }

  dup(h: number, rights: number): Outcome<number> {
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    if (e.state !== "owned") return refuse("not-owner");
    if (e.excl) return refuse("lent");
    if (rights !== INHERIT && rights & ~e.rights) return refuse("rights");
    const slot = this.nextSlot();
    if (slot < 0) return refuse("full");
    const n = newEntry("owned", e.kind, rights === INHERIT ? e.rights : rights, false, e.desc);
    e.desc.refs++;
    if (e.parent) {
      n.parent = e.parent;
      this.entryAt(e.parent).children++;
    }
    return done(this.occupy(slot, n));
  }

  transfer(h: number, to: ShadowTable): Outcome<number> {
    if (to.dead) return refuse("table-closed");
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    const refused = movable(e);
    if (refused) return refused;
    if (e.children || e.regs) return refuse("has-children");
    if (e.parent) return refuse("has-parent");
    const slot = to.nextSlot();
    if (slot < 0) return refuse("full");
    this.deregister(e);
    const n = newEntry("owned", e.kind, e.rights, e.cloexec, e.desc);
    const nh = to.occupy(slot, n);
    this.vacate(h, "transferred");
    return done(nh);
  }

  renumber(from: number, to: number): Outcome {
    const ef = this.lookup(from, false);
    if ("code" in ef) return ef;
    const et = this.lookup(to, false);
    if ("code" in et) return et;
    let refused = movable(ef);
    if (refused) return refused;
    if (ef.children || ef.regs) return refuse("has-children");
    refused = movable(et);
    if (refused) return refused;
    if (et.children) return refuse("has-children");
    if (from >>> 0 === to >>> 0) return done(undefined);
    const released: Desc[] = [];
    this.closeContents(to >>> 0, et, released);
    const st = this.slots[(to & INDEX_MASK) - 1]!;
    st.e = ef;
    st.state = ef.state;
    this.vacate(from, "renumbered");
    return done(undefined, released);
  }

  /** A borrow of `h`, made in table `into` (this one, or another: lending across tables). */
  borrow(h: number, exclusive: boolean, rights: number, scope: number, into: ShadowTable = this): Outcome<number> {
    if (into.dead) return refuse("table-closed");
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    if (e.excl) return refuse("lent");
    if (exclusive) {
      if (e.state === "shared-borrow") return refuse("not-owner");
      if (e.lends) return refuse("lent");
    }
    if (rights !== INHERIT && rights & ~e.rights) return refuse("rights");
    let pos = -1;
    if (scope) {
      pos = into.scopePos(scope);
      if (pos < 0) return refuse("scope-invalid");
      // A scoped lender's scope is of its own table: a borrow elsewhere could always outlive it.
      if (e.scope && (into !== this || this.scopePos(e.scope) > pos)) return refuse("scope-invalid");
    } else if (e.scope) {
      return refuse("scope-invalid");
    }
    const slot = into.nextSlot();
    if (slot < 0) return refuse("full");
    const b = newEntry(exclusive ? "exclusive-borrow" : "shared-borrow", e.kind, rights === INHERIT ? e.rights : rights, false, e.desc);
    b.lender = h >>> 0;
    b.ltable = into === this ? null : this;
    b.scope = scope;
    const bh = into.occupy(slot, b);
    if (exclusive) e.excl = bh;
    else e.lends++;
    if (scope) into.scopes[pos]!.borrows.unshift(bh);
    return done(bh);
  }

  release(b: number): Outcome {
    const e = this.lookup(b, true);
    if ("code" in e) return e;
    if (e.state === "owned") return refuse("not-borrow");
    if (e.excl || e.lends) return refuse("lent");
    this.endBorrow(b >>> 0, e, "released", true);
    return done(undefined);
  }

  private endBorrow(h: number, b: Entry, reason: Ended, unlink: boolean): void {
    const le = (b.ltable ?? this).entryAt(b.lender);
    if (b.state === "exclusive-borrow") le.excl = 0;
    else le.lends--;
    if (b.scope && unlink) {
      const sc = this.scopes[this.scopePos(b.scope)]!;
      sc.borrows.splice(sc.borrows.indexOf(h), 1);
    }
    this.deregister(b);
    this.vacate(h, reason);
  }

  beginScope(): Outcome<number> {
    if (this.scopes.length === MAX_SCOPE_DEPTH) return refuse("full");
    this.serial = (this.serial + 1) & 0x7fff_ffff || 1;
    this.scopes.push({ serial: this.serial, borrows: [] });
    return done(this.serial);
  }

  endScope(serial: number): Outcome {
    const top = this.scopes[this.scopes.length - 1];
    if (top === undefined || top.serial !== serial) return refuse("scope-invalid");
    const count = top.borrows.length;
    for (const b of top.borrows) this.endBorrow(b, this.entry(b)!, "revoked", false);
    this.scopes.pop();
    return count ? refuse("scope-has-borrows") : done(undefined);
  }

  /** The description behind `h` if it is usable, of a kind in `kinds` (empty: any), with `rights`. */
  check(h: number, rights: number, kinds: readonly Kind[]): Outcome<Desc> {
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    if (e.excl) return refuse("lent");
    if (kinds.length && !kinds.includes(e.kind)) return refuse("wrong-kind");
    if (rights & ~e.rights) return refuse("rights");
    return done(e.desc);
  }

  setCloexec(h: number, on: boolean): Outcome {
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    if (e.excl) return refuse("lent");
    if (e.state !== "owned") return refuse("not-owner");
    e.cloexec = on;
    return done(undefined);
  }

  private pollerFor(poller: number): Entry | Refused {
    const pe = this.lookup(poller, false);
    if ("code" in pe) return pe;
    if (pe.kind !== "poller") return refuse("wrong-kind");
    if (pe.state !== "owned") return refuse("not-owner");
    if (pe.excl) return refuse("lent");
    return pe;
  }

  /** register: `need` is the poll right's bit. */
  register(h: number, poller: number, token: number, interest: number, pollRight: number): Outcome {
    const e0 = this.lookup(h, false);
    if ("code" in e0) return e0;
    const pe = this.pollerFor(poller);
    if ("code" in pe) return pe;
    if (h >>> 0 === poller >>> 0 || !interest || interest & ~7) return refuse("invalid-argument");
    if (e0.excl) return refuse("lent");
    if (pollRight & ~e0.rights) return refuse("rights");
    if (e0.poller) return refuse("already-registered");
    e0.poller = poller >>> 0;
    e0.token = token >>> 0;
    e0.interest = interest;
    pe.regs++;
    return done(undefined);
  }

  private registered(h: number, poller: number, need: number): Entry | Refused {
    const e = this.lookup(h, false);
    if ("code" in e) return e;
    const pe = this.pollerFor(poller);
    if ("code" in pe) return pe;
    if (e.excl) return refuse("lent");
    if (need & ~e.rights) return refuse("rights");
    if (!e.poller) return refuse("not-registered");
    if (e.poller !== poller >>> 0) return refuse("wrong-poller");
    return e;
  }

  reregister(h: number, poller: number, token: number, interest: number, pollRight: number): Outcome {
    const e = this.registered(h, poller, pollRight);
    if ("code" in e) return e;
    if (!interest || interest & ~7) return refuse("invalid-argument");
    e.token = token >>> 0;
    e.interest = interest;
    return done(undefined);
  }

  deregisterOp(h: number, poller: number): Outcome {
    const e = this.registered(h, poller, 0);
    if ("code" in e) return e;
    this.deregister(e);
    return done(undefined);
  }

  /** fork: owners copied (a new reference each), borrows/scopes/registrations not inherited. */
  fork(id: number): ShadowTable {
    const t = new ShadowTable(id, this.numbering, this.capacity, this.neverReuse);
    for (const s of this.slots) {
      if (s.e !== null && s.e.state === "owned") {
        const e: Entry = { ...s.e, lends: 0, excl: 0, poller: 0, token: 0, interest: 0, regs: 0 };
        e.desc.refs++;
        t.slots.push({ gen: s.gen, state: "owned", e });
      } else {
        t.slots.push({ gen: s.gen, state: s.e !== null ? "not-inherited" : s.state, e: null });
      }
    }
    if (this.numbering === "generational" && !this.neverReuse) {
      for (let i = 0; i < t.slots.length; i++) if (t.slots[i]!.e === null) t.free.push(i);
    }
    return t;
  }

  /**
   * exec: every borrow this table holds revoked and its scopes ended, CLOEXEC
   * owners and their descendants closed. `registry`: the core's live tables
   * in registry order, one item per table id (a table shared by several ids
   * appears once per id), for the borrows other tables hold on what dies.
   */
  exec(registry: readonly ShadowTable[]): Desc[] {
    return this.closeMarked(true, registry);
  }

  /** One sharer lets go; the last one closes everything (see exec for `registry`). */
  drop(registry: readonly ShadowTable[]): Desc[] {
    if (--this.sharers > 0) return [];
    const released = this.closeMarked(false, registry);
    this.dead = true;
    return released;
  }

  /**
   * assembly/table.ts closeMarked, pass for pass: the order in which borrows
   * are revoked decides the free lists (so the handles issued next), and the
   * order owners close is the order of onRelease.
   */
  private closeMarked(onlyCloexec: boolean, registry: readonly ShadowTable[]): Desc[] {
    const n = this.slots.length;
    // Mark every borrow here and the owners chosen, then their descendants.
    const marked = new Set<Entry>();
    for (let i = 0; i < n; i++) {
      const e = this.slots[i]!.e;
      if (e !== null && (e.state !== "owned" || !onlyCloexec || e.cloexec)) marked.add(e);
    }
    for (let changed = onlyCloexec; changed;) {
      changed = false;
      for (let i = 0; i < n; i++) {
        const e = this.slots[i]!.e;
        if (e === null || e.state !== "owned" || marked.has(e) || !e.parent) continue;
        if (marked.has(this.entryAt(e.parent))) {
          marked.add(e);
          changed = true;
        }
      }
    }
    // Every borrow, in any table, lent from a marked entry dies with it (across any chain).
    for (let changed = true; changed;) {
      changed = false;
      for (const t of registry) {
        for (const s of t.slots) {
          const b = s.e;
          if (b === null || b.state === "owned" || marked.has(b)) continue;
          if (marked.has((b.ltable ?? t).entryAt(b.lender))) {
            marked.add(b);
            changed = true;
          }
        }
      }
    }
    // Revoke them: passes over the tables in registry order, each freeing those with no live borrows of their own.
    for (let left = true; left;) {
      left = false;
      let freed = false;
      for (const t of registry) {
        for (let i = 0; i < t.slots.length; i++) {
          const b = t.slots[i]!.e;
          if (b === null || b.state === "owned" || !marked.has(b)) continue;
          if (b.lends || b.excl) {
            left = true;
            continue;
          }
          t.endBorrow(handleOf(i, t.slots[i]!.gen), b, "revoked", true);
          freed = true;
        }
      }
      if (left && !freed) throw new Error("shadow: revocation made no progress");
    }
    this.scopes = [];
    const released: Desc[] = [];
    for (let left = true; left;) {
      left = false;
      for (let i = 0; i < n; i++) {
        const e = this.slots[i]!.e;
        if (e === null || !marked.has(e)) continue;
        if (e.children) {
          left = true;
          continue;
        }
        const h = handleOf(i, this.slots[i]!.gen);
        this.closeContents(h, e, released);
        this.vacate(h, "closed");
      }
    }
    return released;
  }
}

function newEntry(state: Live, kind: Kind, rights: number, cloexec: boolean, desc: Desc): Entry {
  return {
    state, kind, rights, cloexec, desc, lender: 0, ltable: null, lends: 0, excl: 0, parent: 0, children: 0,
    poller: 0, token: 0, interest: 0, regs: 0, scope: 0,
  };
}

/** close/transfer/renumber: only an owner that is not lent out. */
function movable(e: Entry): Refused | null {
  if (e.state !== "owned") return refuse("not-owner");
  if (e.excl || e.lends) return refuse("lent");
  return null;
}

function clearRegistration(e: Entry): void {
  e.poller = 0;
  e.token = 0;
  e.interest = 0;
}
