// A plain JS handle table on a Map (number → entry object): the simplest
// honest way to do what the core does in the benchmarked cycle. Owners and
// shared borrows are entries; a borrow keeps a lend count on its owner, so an
// owner cannot close while lent and a borrow cannot be closed (only
// released). Descriptions are objects with a reference count (dup shares
// one), and the last close of a description reports its release. Handles come
// from a counter and are not reused, so a stale handle is simply absent.
// Errors are negative numbers, as the core returns them (no exceptions).

export const E_UNKNOWN = -1;
export const E_WRONG_KIND = -5;
export const E_LENT = -6;
export const E_NOT_OWNER = -7;
export const E_NOT_BORROW = -8;
export const E_RIGHTS = -12;

class Description {
  constructor(resource) {
    this.refs = 1;
    this.resource = resource;
  }
}

class Entry {
  constructor(kind, rights, desc, lender) {
    this.kind = kind;
    this.rights = rights;
    this.desc = desc;
    this.lender = lender; // 0 for an owner, else the handle it borrows from
    this.lends = 0;
  }
}

export class MapTable {
  constructor() {
    this.entries = new Map();
    this.next = 0;
  }

  issue() {
    this.next = this.next === 0x3fff_ffff ? 1 : this.next + 1;
    return this.next;
  }

  insert(kind, rights, resource) {
    const h = this.issue();
    this.entries.set(h, new Entry(kind, rights, new Description(resource), 0));
    return h;
  }

  borrow(h) {
    const e = this.entries.get(h);
    if (e === undefined) return E_UNKNOWN;
    const b = this.issue();
    e.lends++;
    this.entries.set(b, new Entry(e.kind, e.rights, e.desc, h));
    return b;
  }

  release(b) {
    const e = this.entries.get(b);
    if (e === undefined) return E_UNKNOWN;
    if (e.lender === 0) return E_NOT_BORROW;
    if (e.lends !== 0) return E_LENT;
    this.entries.get(e.lender).lends--;
    this.entries.delete(b);
    return 0;
  }

  /** 1 if this released the description, else 0; negative on refusal. */
  close(h) {
    const e = this.entries.get(h);
    if (e === undefined) return E_UNKNOWN;
    if (e.lender !== 0) return E_NOT_OWNER;
    if (e.lends !== 0) return E_LENT;
    this.entries.delete(h);
    return --e.desc.refs === 0 ? 1 : 0;
  }

  dup(h) {
    const e = this.entries.get(h);
    if (e === undefined) return E_UNKNOWN;
    if (e.lender !== 0) return E_NOT_OWNER;
    e.desc.refs++;
    const d = this.issue();
    this.entries.set(d, new Entry(e.kind, e.rights, e.desc, 0));
    return d;
  }

  /** The resource behind `h` if it is live, of a kind in `kindMask` (0: any) and holds `rights`; else a negative error. */
  check(h, rights, kindMask) {
    const e = this.entries.get(h);
    if (e === undefined) return E_UNKNOWN;
    if (kindMask !== 0 && (kindMask & (1 << e.kind)) === 0) return E_WRONG_KIND;
    if ((rights & ~e.rights) !== 0) return E_RIGHTS;
    return e.desc.resource;
  }

  get count() {
    return this.entries.size;
  }
}
