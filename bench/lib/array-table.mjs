// A plain JS handle table on an array of slots with a free list and
// generation checks: what a careful JS host would write by hand. A handle is
// (generation << 20) | (slot index + 1), as in the core, so a handle whose
// slot was reused is refused as stale. Slots and descriptions are objects
// reused in place through free lists: no allocation once warm. Same cycle
// semantics as map-table.mjs (lend count on the owner, refcounted
// descriptions); errors are negative numbers.

import { E_UNKNOWN, E_WRONG_KIND, E_LENT, E_NOT_OWNER, E_NOT_BORROW, E_RIGHTS } from "./map-table.mjs";

const INDEX_MASK = 0xf_ffff;
const GEN_MASK = 0x7ff;
const FREE = 0;
const OWNED = 1;
const BORROW = 2;

class Slot {
  constructor() {
    this.gen = 0;
    this.state = FREE;
    this.kind = 0;
    this.rights = 0;
    this.desc = null;
    this.lender = 0;
    this.lends = 0;
    this.next = -1; // free list link (slot index)
  }
}

class Description {
  constructor() {
    this.refs = 0;
    this.resource = undefined;
    this.next = null; // free list link
  }
}

export class ArrayTable {
  constructor() {
    this.slots = [];
    this.free = -1;
    this.freeDesc = null;
    this.live = 0;
  }

  alloc() {
    let i = this.free;
    if (i >= 0) {
      const s = this.slots[i];
      this.free = s.next;
      s.gen = (s.gen + 1) & GEN_MASK;
    } else {
      i = this.slots.length;
      this.slots.push(new Slot());
    }
    this.live++;
    return i;
  }

  freeSlot(i, s) {
    s.state = FREE;
    s.desc = null;
    s.next = this.free;
    this.free = i;
    this.live--;
  }

  /** The live slot for `h`, or undefined (unknown, stale or freed). */
  lookup(h) {
    const i = (h & INDEX_MASK) - 1;
    if (i < 0 || i >= this.slots.length) return undefined;
    const s = this.slots[i];
    if (s.state === FREE || s.gen !== h >>> 20) return undefined;
    return s;
  }

  insert(kind, rights, resource) {
    let d = this.freeDesc;
    if (d !== null) this.freeDesc = d.next;
    else d = new Description();
    d.refs = 1;
    d.resource = resource;
    const i = this.alloc();
    const s = this.slots[i];
    s.state = OWNED;
    s.kind = kind;
    s.rights = rights;
    s.desc = d;
    s.lender = 0;
    s.lends = 0;
    return (s.gen << 20) | (i + 1);
  }

  borrow(h) {
    const e = this.lookup(h);
    if (e === undefined) return E_UNKNOWN;
    const i = this.alloc();
    const s = this.slots[i];
    s.state = BORROW;
    s.kind = e.kind;
    s.rights = e.rights;
    s.desc = e.desc;
    s.lender = h;
    s.lends = 0;
    e.lends++;
    return (s.gen << 20) | (i + 1);
  }

  release(b) {
    const s = this.lookup(b);
    if (s === undefined) return E_UNKNOWN;
    if (s.state !== BORROW) return E_NOT_BORROW;
    if (s.lends !== 0) return E_LENT;
    this.slots[(s.lender & INDEX_MASK) - 1].lends--;
    this.freeSlot((b & INDEX_MASK) - 1, s);
    return 0;
  }

  /** 1 if this released the description, else 0; negative on refusal. */
  close(h) {
    const s = this.lookup(h);
    if (s === undefined) return E_UNKNOWN;
    if (s.state !== OWNED) return E_NOT_OWNER;
    if (s.lends !== 0) return E_LENT;
    const d = s.desc;
    this.freeSlot((h & INDEX_MASK) - 1, s);
    if (--d.refs !== 0) return 0;
    d.resource = undefined;
    d.next = this.freeDesc;
    this.freeDesc = d;
    return 1;
  }

  dup(h) {
    const e = this.lookup(h);
    if (e === undefined) return E_UNKNOWN;
    if (e.state !== OWNED) return E_NOT_OWNER;
    const i = this.alloc();
    const s = this.slots[i];
    s.state = OWNED;
    s.kind = e.kind;
    s.rights = e.rights;
    s.desc = e.desc;
    s.lender = 0;
    s.lends = 0;
    e.desc.refs++;
    return (s.gen << 20) | (i + 1);
  }

  /** The resource behind `h` if it is live, of a kind in `kindMask` (0: any) and holds `rights`; else a negative error. */
  check(h, rights, kindMask) {
    const s = this.lookup(h);
    if (s === undefined) return E_UNKNOWN;
    if (kindMask !== 0 && (kindMask & (1 << s.kind)) === 0) return E_WRONG_KIND;
    if ((rights & ~s.rights) !== 0) return E_RIGHTS;
    return s.desc.resource;
  }

  get count() {
    return this.live;
  }
}
