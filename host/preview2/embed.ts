// The embedding API of a preview2 context, for any backend: descriptors the
// embedder hands over become WASI 0.2 resources of the context's table —
// given (an owner the guest receives, e.g. as an export's own<descriptor>),
// lent for a lease (a view on a borrow; the owner stays with the lease), or
// taken back out. The Node context (node/default.ts) turns Node resources
// into OS handles (host/os/node/adopt.ts) and calls this.
//
// What each kind becomes:
// - a directory given with a name: a preopen (wasi:filesystem/preopens
//   get-directories lists it from then on);
// - a file, a directory, a pipe or FIFO, a character device, a connected
//   socket (TCP or Unix; a child's stdio): a wasi:filesystem descriptor of its
//   type, read and written through read-via-stream / write-via-stream;
// - a listening TCP socket: a wasi:sockets tcp-socket, listening (accept).
//
// Invariants (enforced by the core):
// - The guest's drop of a lent view is refused (a trap: not-owner); a lease
//   cannot end while the guest holds streams or pollables of it
//   (has-children) or a call uses it (lent); ending it closes our dup only.
// - take() closes the entry through the core: refused for a lent view
//   (not-owner), an entry with live streams (has-children) or borrows
//   (lent), or a dropped one (closed, stale-handle).

import { IolifeError, RIGHTS, RIGHTS_ALL, type Kind } from "../core/index.js";
import type { OsHandle } from "../os/types.js";
import type { Incoming } from "../wasi/embed.js";
import { kindOfType } from "../wasi/preview1.js";
import { Resource, type ContextCore, type State } from "./context.js";
import { Descriptor, type DescState } from "./filesystem.js";
import { TcpSocket, tcpState, type IpAddressFamily, type TcpState } from "./sockets.js";

export type { GiveOptions, LendOptions } from "../wasi/embed.js";
import type { GiveOptions, LendOptions } from "../wasi/embed.js";

/** A descriptor of ours handed over to a preview2 context. */
export interface Incoming2<H extends OsHandle> extends Incoming<H> {
  /** A listener's local IP address (a listener without one, e.g. a Unix socket, is refused: WASI 0.2 has none). */
  readonly local?: { family: IpAddressFamily; address: number[]; port: number } | null;
}

/** What give() and lend() hand the embedder. */
export type Handed = Descriptor | TcpSocket;

function rightsOf(options: { rights?: readonly string[] }): number {
  if (options.rights === undefined) return RIGHTS_ALL;
  let bits = 0;
  for (const r of options.rights) {
    const bit = (RIGHTS as Record<string, number>)[r];
    if (bit === undefined) throw new TypeError(`unknown right ${JSON.stringify(r)}: one of ${Object.keys(RIGHTS).join(", ")}`);
    bits |= bit;
  }
  return bits;
}

/** The entry's kind and state for `inc`. */
function entryFor<H extends OsHandle>(ctx: ContextCore<H>, inc: Incoming2<H>, op: string): { kind: Kind; state: State; make: (h: number) => Handed } {
  const os = ctx.os;
  if (inc.kind === "listener") {
    if (!inc.local) throw new TypeError(`${op}: only a listening TCP socket can be a WASI 0.2 tcp-socket (WASI 0.2 has no Unix-domain sockets)`);
    const st: TcpState = tcpState(ctx, inc.local.family, "listening", inc.handle);
    st.address = inc.local.address;
    st.port = inc.local.port;
    const release = st.release!;
    st.release = () => {
      release();
      inc.removePath?.();
    };
    return { kind: "socket", state: st, make: (h) => new TcpSocket(ctx, h) };
  }
  const state: DescState = {
    wit: "descriptor", os: inc.handle,
    release: () => {
      os.close(inc.handle);
      inc.removePath?.();
    },
  };
  return { kind: kindOfType(inc.handle.type), state, make: (h) => new Descriptor(ctx, h) };
}

/**
 * Moves `inc` into the context's table: a resource object for the embedder
 * to pass to the guest, or, for a directory given with `name`, a new preopen
 * (undefined). Throws IolifeError (full, table-closed) or TypeError and then
 * `inc.handle` is still the caller's.
 */
export function give<H extends OsHandle>(ctx: ContextCore<H>, inc: Incoming2<H>, options: GiveOptions = {}): Handed | undefined {
  if (ctx.isDisposed) throw new IolifeError("table-closed", "give: the context has been disposed", 0, "give");
  const rights = rightsOf(options);
  if (options.name !== undefined && inc.kind !== "directory") throw new TypeError(`give: name is for directories (a preopen); this is a ${inc.kind}`);
  const { kind, state, make } = entryFor(ctx, inc, "give");
  const h = ctx.table.insert({ kind, rights, resource: state });
  if (options.name !== undefined) {
    ctx.addPreopen(h, options.name);
    return undefined;
  }
  return make(h);
}

/**
 * A lent resource: `resource` is a view on a borrow of an owner the lease
 * keeps in the same table (the guest never receives the owner). It ends
 * with end() or `using`; a no-op once the context is disposed.
 */
export class Lease<T extends Handed = Handed> implements Disposable {
  #ended = false;

  /** @internal Made by lend(). */
  constructor(private readonly ctx: ContextCore, readonly resource: T, private readonly owner: number) {}

  get active(): boolean {
    return !this.#ended && !this.ctx.isDisposed;
  }

  /**
   * Ends the lease: the view stops working (a guest that kept it traps),
   * our dup is closed, the host's resource is untouched. Refused, and
   * nothing changes, while the guest holds streams or pollables of it
   * (IolifeError has-children) or a call is using it (lent). Idempotent.
   */
  end(): void {
    if (this.#ended || this.ctx.isDisposed) {
      this.#ended = true;
      return;
    }
    const t = this.ctx.table;
    const children = t.info(this.owner).children;
    if (children > 0) {
      throw new IolifeError("has-children", `cannot end the lease of ${this.resource._h}: the guest still holds ${children} stream(s) or pollable(s) of it`,
        this.resource._h, "end-lease");
    }
    t.release(this.resource._h);
    t.close(this.owner);
    this.#ended = true;
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/** Lends `inc` until the lease ends. From here on `inc.handle` is the lease's: on a refusal it has been closed. */
export function lend<H extends OsHandle>(ctx: ContextCore<H>, inc: Incoming2<H>, options: LendOptions = {}): Lease {
  if (ctx.isDisposed) throw new IolifeError("table-closed", "lend: the context has been disposed", 0, "lend");
  const rights = rightsOf(options);
  const { kind, state, make } = entryFor(ctx, inc, "lend");
  const owner = ctx.table.insert({ kind, rights, resource: state });
  let b: number;
  try {
    b = ctx.table.borrowHandle(owner);
  } catch (e) {
    ctx.table.close(owner);
    throw e;
  }
  return new Lease(ctx as ContextCore, make(b), owner);
}

/** What take() hands back: our own dup of the entry's OS handle. */
export interface Taken2<H> {
  handle: H;
  kind: "file" | "directory" | "pipe" | "char-device" | "socket" | "listener";
  removePath: null;
}

/**
 * Moves a resource the embedder holds (one it was given back by the guest,
 * or never passed on) out of the context: a dup of its OS handle, after
 * closing its entry through the core (see the module comment for what is
 * refused; then nothing changed).
 */
export function take<H extends OsHandle>(ctx: ContextCore<H>, r: Handed, dup: (h: H) => H): Taken2<H> {
  if (!(r instanceof Resource) || !(r instanceof Descriptor || r instanceof TcpSocket) || r._ctx !== ctx) {
    throw new TypeError("take: not a descriptor or tcp-socket of this context");
  }
  const st = ctx.table.check(r._h) as DescState<H> | TcpState;
  if (st.os === null) throw new TypeError("take: the tcp-socket is neither listening nor connected");
  const listening = r instanceof TcpSocket && (st as TcpState).phase === "listening";
  const info = ctx.table.info(r._h);
  const copy = dup(st.os as H);
  try {
    ctx.table.close(r._h);
  } catch (e) {
    ctx.os.close(copy);
    throw e;
  }
  const kind = listening ? "listener" : (info.kind as Taken2<H>["kind"]);
  return { handle: copy, kind, removePath: null };
}
