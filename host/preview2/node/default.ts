// The default context of the Node module singletons (host/preview2/node/*.js).
import { adoptResource, dupHandle, toNodeResource, type NodeResource, type TakenResource } from "../../os/node/adopt.js";
import type { NodeHandle } from "../../os/node/index.js";
import { localAddress } from "../../os/node/sys.js";
import type { WasiConfig } from "../config.js";
import { Resource, type ContextOptions } from "../context.js";
import { give, lend, take, type GiveOptions, type Lease, type LendOptions } from "../embed.js";
import type { Descriptor } from "../filesystem.js";
import type { TcpSocket } from "../sockets.js";
import { Context, DefaultContext } from "../wasi.js";
import type { NodeWasiOptions } from "../../wasi/node.js";
import { nodeBackend } from "./backend.js";

/** Compile-time check: the preview1 WASI class's options are a WasiConfig (one object configures both). */
export type NodeWasiOptionsAreAWasiConfig = Assignable<NodeWasiOptions, WasiConfig>;
type Assignable<T extends U, U> = T;

/**
 * A preview2 context on the Node backend, with the embedding API of the
 * preview1 WASI class (give, lend, take; README "Embedding: give, lend,
 * take"): Node resources become WASI 0.2 resources of this context.
 */
export class NodeContext extends Context<NodeHandle> {
  /**
   * Moves ownership of a Node resource into this context (what the preview1
   * WASI's give() takes; the Node object is closed or destroyed, the process's
   * stdio dup'ed). Returns the resource to pass to the guest: a
   * wasi:filesystem descriptor (files, directories, pipes, character
   * devices, connected sockets, a child's stdio: read and written through
   * its streams) or, for a listening TCP server, a wasi:sockets tcp-socket
   * that is listening. A directory given with `name` becomes a preopen
   * (get-directories) and nothing is returned. A Unix-domain server is
   * refused (TypeError): WASI 0.2 has no Unix sockets.
   */
  give(resource: NodeResource, options: GiveOptions & { name: string }): undefined;
  give(resource: NodeResource, options?: GiveOptions): Descriptor | TcpSocket;
  give(resource: NodeResource, options: GiveOptions = {}): Descriptor | TcpSocket | undefined {
    const a = adoptResource(resource, { mode: "give", append: options.flags?.append, nonblock: options.flags?.nonblock });
    let r: Descriptor | TcpSocket | undefined;
    try {
      r = give(this, { ...a, local: a.kind === "listener" ? localAddress(a.handle.fd) : null }, options);
    } catch (e) {
      a.abort();
      throw e;
    }
    a.commit();
    return r;
  }

  /**
   * Lends a Node resource until the lease ends: `lease.resource` is a view
   * (a descriptor or a tcp-socket) to pass to the guest. The guest's drop of
   * it traps (not-owner); the lease cannot end while the guest holds streams
   * of it (IolifeError has-children); ending it closes iolife's dup only.
   */
  override lend<T extends Resource, U>(r: T, fn: (borrowed: T) => U): U;
  override lend(resource: NodeResource, options?: LendOptions): Lease;
  override lend(resource: unknown, arg?: unknown): unknown {
    // lend(resource of this context, fn): the call-scoped lend of ContextCore.
    if (resource instanceof Resource && typeof arg === "function") return super.lend(resource, arg as (b: Resource) => unknown);
    const options = (arg ?? {}) as LendOptions;
    const a = adoptResource(resource, { mode: "lend", append: options.flags?.append, nonblock: options.flags?.nonblock });
    try {
      const lease = lend(this, { ...a, local: a.kind === "listener" ? localAddress(a.handle.fd) : null }, options);
      a.commit();
      return lease;
    } catch (e) {
      a.abort();
      throw e;
    }
  }

  /**
   * Moves a descriptor or tcp-socket of this context back out as a Node
   * resource: a number (files, directories, pipes, devices), a net.Socket
   * (a connected socket), a net.Server (a listening tcp-socket). Refused
   * (IolifeError, nothing changed) for a lent view (not-owner), one with
   * live streams (has-children) or borrows (lent), a dropped one (closed).
   */
  take(resource: Descriptor | TcpSocket): TakenResource {
    const t = take(this, resource, dupHandle);
    return toNodeResource(t.handle, t.kind, t.removePath);
  }
}

/**
 * A preview2 context on the Node backend. Default-deny: `createContext()`
 * grants no directory, no environment, no arguments and no network; stdio
 * is the process's own (fds 0, 1, 2) unless the config names other fds.
 */
export function createContext(config: WasiConfig & ContextOptions = {}): NodeContext {
  return new NodeContext(config, nodeBackend(config));
}

/** The context the module singletons use. */
export const defaults = new DefaultContext<NodeHandle, WasiConfig & ContextOptions, NodeContext>(createContext);

/**
 * Configures the context behind `iolife/preview2/<package>` (the modules
 * `jco transpile --map` points at): the previous default context is
 * disposed, closing everything it had opened. Returns the new context.
 */
export function configure(config: WasiConfig & ContextOptions): NodeContext {
  return defaults.configure(config);
}

/** The current default context (created default-deny on first use). */
export function defaultContext(): NodeContext {
  return defaults.get();
}
