// The embedding API of a preview1 WASI object, for any backend: descriptors
// the embedder hands to a guest — given (ownership moves into the guest's
// table), lent for a lease (the guest holds a borrow), and taken back. The
// Node WASI class (node.ts) turns Node resources into OS handles
// (host/os/node/adopt.ts) and calls this. No Node imports.
//
// Invariants (each enforced by the ownership core, not by this file):
// - A given descriptor is an owner in the guest's table: the guest's close
//   closes it; the host holds nothing on it any more.
// - A lent descriptor is an owner in this WASI object's host table (a table
//   of the same core) and a borrow in the guest's: the guest's close is
//   refused (not-owner), its rights only narrow, and the lease ends by
//   releasing the borrow, refused ("lent") while a guest call is using it
//   (preview1.ts reborrows a lent fd for each call), then closing the owner,
//   which closes our dup only: the host's own resource is untouched.
// - take() goes through the core's close of the guest's fd, so everything
//   close refuses (a borrow, a lent fd, a stale or closed fd) take refuses.

import { DESCRIPTION_FLAGS, HandleTable, IolifeError, RIGHTS, type Kind, type Right } from "../core/index.js";
import { FileType, type Os, type OsHandle } from "../os/types.js";
import { RIGHTS_DIRECTORY, RIGHTS_FILE, RIGHTS_INHERITING, RIGHTS_LISTENER, RIGHTS_SOCKET, RIGHTS_STREAM } from "./abi.js";
import { FdObject } from "./preview1.js";

/** What a handed-over descriptor is (the core's kinds of OS descriptors). */
export type EmbedKind = "file" | "directory" | "pipe" | "char-device" | "socket" | "listener";

/** Options of give() and lend(). */
export interface EmbedOptions {
  /**
   * The rights the guest gets (iolife/core RIGHTS names), within those the
   * descriptor's kind can use (asking for more is not an error: the rest
   * are dropped). Default: all the kind can use. The guest can only narrow
   * them further (fd_fdstat_set_rights).
   */
  rights?: readonly Right[];
  /** The fd flags the guest sees: APPEND (default: as the descriptor has it) and NONBLOCK (default: off). */
  flags?: { append?: boolean; nonblock?: boolean };
}

export interface GiveOptions extends EmbedOptions {
  /** For a directory: the guest path it is preopened as (fd_prestat_get / fd_prestat_dir_name report it). */
  name?: string;
}

export type LendOptions = EmbedOptions;

/** A descriptor of ours the backend prepared for give or lend. */
export interface Incoming<H extends OsHandle> {
  readonly handle: H;
  readonly kind: EmbedKind;
  /** A terminal: a character device without seek/tell rights, so that isatty() holds in the guest. */
  readonly terminal: boolean;
  readonly append: boolean;
  readonly nonblock: boolean;
  /** Runs after the OS handle is closed (a given Unix socket's path is removed). */
  readonly removePath?: (() => void) | null;
}

/** What take() hands back: our own descriptor (a dup) on the guest's former fd. */
export interface Taken<H> {
  handle: H;
  kind: Kind;
  /** The Unix socket path cleanup the guest's descriptor carried, now the host's to run. */
  removePath: (() => void) | null;
}

const R = RIGHTS;

/**
 * The rights a descriptor of `kind` can use. A character device that is not
 * a terminal keeps seek and tell (its seeks answer ESPIPE, as a pipe's do),
 * since wasi-libc's isatty() is "a character device without seek or tell".
 */
export function rightsForKind(kind: EmbedKind, type: FileType, terminal: boolean): number {
  switch (kind) {
    case "file": return RIGHTS_FILE;
    case "directory": return RIGHTS_DIRECTORY;
    case "socket": return RIGHTS_SOCKET;
    case "listener": return RIGHTS_LISTENER;
    case "pipe": return RIGHTS_STREAM;
    case "char-device":
      if (type === FileType.blockDevice) return RIGHTS_FILE;
      return terminal ? RIGHTS_STREAM : RIGHTS_STREAM | R.seek | R.tell;
    default: {
      const never: never = kind;
      throw new TypeError(`unknown kind ${String(never)}`);
    }
  }
}

/** The bits of a list of right names; an unknown name is the embedder's mistake (TypeError). */
function rightsBits(rights: readonly Right[]): number {
  let bits = 0;
  for (const r of rights) {
    const bit = (RIGHTS as Record<string, number>)[r];
    if (bit === undefined) throw new TypeError(`unknown right ${JSON.stringify(r)}: one of ${Object.keys(RIGHTS).join(", ")}`);
    bits |= bit;
  }
  return bits;
}

/**
 * A lent descriptor's lease: the guest's fd lives until the lease ends
 * (`using lease = wasi.lend(socket)`). Ending it is refused with the core's
 * "lent" IolifeError while a guest call is using the fd; it is a no-op once
 * the WASI object is disposed (which ended every lease).
 */
export class Lease implements Disposable {
  #ended = false;

  /** @internal Made by lend(). */
  constructor(
    private readonly embedding: Embedding<OsHandle>,
    /** The guest's fd while the lease lasts. */
    readonly fd: number,
    private readonly borrow: number,
    private readonly owner: number,
  ) {}

  /** Whether the guest still holds the fd. */
  get active(): boolean {
    return !this.#ended && !this.embedding.disposed;
  }

  /**
   * Ends the lease: the fd leaves the guest's table and our dup is closed;
   * the host's resource is untouched. Refused (IolifeError "lent") while a
   * guest call is using the fd; then nothing changes. Idempotent.
   */
  end(): void {
    if (this.#ended) return;
    this.embedding.endLease(this.borrow, this.owner);
    this.#ended = true;
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/**
 * give/lend/take over one guest table. `guest` is the WASI object's fd
 * table (fd = handle - 1); lent owners live in a host table of the same
 * core, made on the first lend and dropped by dispose().
 */
export class Embedding<H extends OsHandle> {
  private host: HandleTable | null = null;
  /** True once dispose() ran: every lease has ended, give and lend are refused. */
  disposed = false;

  constructor(private readonly guest: HandleTable, private readonly os: Os<H>) {}

  private refuseDisposed(op: string): void {
    if (this.disposed) throw new IolifeError("table-closed", `${op}: the WASI object has been disposed`, 0, op);
  }

  /** The guest's FdObject, rights and flags for a descriptor handed over. */
  private prepare(inc: Incoming<H>, options: GiveOptions, op: string) {
    const name = options.name ?? null;
    if (name !== null && inc.kind !== "directory") throw new TypeError(`${op}: name is for directories (a preopen); this is a ${inc.kind}`);
    let rights = rightsForKind(inc.kind, inc.handle.type, inc.terminal);
    let inheriting = inc.kind === "directory" ? RIGHTS_INHERITING : 0;
    if (options.rights !== undefined) {
      const asked = rightsBits(options.rights);
      rights &= asked;
      inheriting &= asked;
    }
    const obj = new FdObject(inc.handle, inc.handle.type, inheriting, name, true);
    obj.onClose = inc.removePath ?? null;
    const flags = (inc.append ? DESCRIPTION_FLAGS.append : 0) | (inc.nonblock ? DESCRIPTION_FLAGS.nonblock : 0);
    return { obj, rights, flags };
  }

  /**
   * Moves `inc` into the guest's table; returns the guest's fd. On a refusal
   * (the table is full or disposed) it throws and `inc.handle` is still the
   * caller's.
   */
  give(inc: Incoming<H>, options: GiveOptions = {}): number {
    this.refuseDisposed("give");
    const { obj, rights, flags } = this.prepare(inc, options, "give");
    return this.guest.insert({ kind: inc.kind, rights, flags, resource: obj }) - 1;
  }

  /**
   * Lends `inc` to the guest until the returned lease ends. From here on
   * `inc.handle` is the lease's: on a refusal it has been closed already.
   */
  lend(inc: Incoming<H>, options: LendOptions = {}): Lease {
    this.refuseDisposed("lend");
    const { obj, rights, flags } = this.prepare(inc, options, "lend");
    obj.lent = true;
    this.host ??= this.guest.core.createTable({ capacity: this.guest.stats().capacity });
    const owner = this.host.insert({ kind: inc.kind, rights, flags, resource: obj });
    let b: number;
    try {
      b = this.host.borrowHandle(owner, { into: this.guest });
    } catch (e) {
      this.host.close(owner);
      throw e;
    }
    return new Lease(this as unknown as Embedding<OsHandle>, b - 1, b, owner);
  }

  /** @internal Lease.end(). */
  endLease(borrow: number, owner: number): void {
    if (this.disposed) return;
    this.guest.release(borrow);
    this.host!.close(owner);
  }

  /**
   * Moves the guest's `fd` out: returns a dup of its OS handle (made with
   * `dup`) after closing the fd through the core. Whatever the core's close
   * refuses is refused (IolifeError: not-owner for a lent fd or a borrow,
   * lent for an fd with live borrows, closed / stale-handle / unknown-handle
   * for one the guest no longer has, has-children), and then nothing changed.
   */
  take(fd: number, dup: (h: H) => H): Taken<H> {
    const h = fd + 1;
    const obj = this.guest.check(h);
    if (!(obj instanceof FdObject)) throw new Error(`take: fd ${fd} holds no descriptor`);
    const info = this.guest.info(h);
    const copy = dup((obj as FdObject<H>).os);
    // The path cleanup goes with the descriptor, when this fd is its last.
    const removePath = info.descriptionRefs === 1 ? obj.onClose : null;
    if (removePath !== null) obj.onClose = null;
    try {
      this.guest.close(h);
    } catch (e) {
      if (removePath !== null) obj.onClose = removePath;
      this.os.close(copy);
      throw e;
    }
    return { handle: copy, kind: info.kind, removePath };
  }

  /** Ends every lease (closing our dups). Run after the guest's table is dropped. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.host?.drop();
  }
}
