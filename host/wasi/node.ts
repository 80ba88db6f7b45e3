// `import { WASI } from "iolife"` in Node: the WASI object on real OS
// descriptors (host/os/node), a drop-in for node:wasi's WASI class.

import { getRandomValues } from "node:crypto";
import { adoptResource, dupHandle, toNodeResource, type NodeResource, type TakenResource } from "../os/node/adopt.js";
import { adoptFd, boundPort, listenTcp, nodeOs, preopenDir, type NodeHandle } from "../os/node/index.js";
import type { Os } from "../os/types.js";
import { Embedding, Lease, type EmbedKind, type GiveOptions, type LendOptions } from "./embed.js";
import { WasiBase, type Platform, type WasiOptions } from "./wasi.js";

export { ProcExit } from "./wasi.js";
export type { WasiOptions } from "./wasi.js";
export { Lease };
export type { EmbedOptions, GiveOptions, LendOptions } from "./embed.js";
export type { NodeResource, TakenResource };

/** node:wasi's stdio options: the host fds the guest's 0, 1 and 2 stand for. */
export interface NodeWasiOptions extends WasiOptions {
  stdin?: number;
  stdout?: number;
  stderr?: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const hrBase = process.hrtime.bigint();
const epochBase = BigInt(Date.now()) * 1_000_000n;

/** Clocks and randomness of the Node process. */
export const nodePlatform: Platform = {
  realtimeNs: () => epochBase + (process.hrtime.bigint() - hrBase),
  // The function itself (it needs no `this`): host/wasi/clock.ts calls it straight from Wasm.
  monotonicNs: process.hrtime.bigint,
  cputimeNs: () => {
    const u = process.cpuUsage();
    return BigInt(u.user + u.system) * 1000n;
  },
  resolutionNs: 1000n,
  random: (buf) => {
    getRandomValues(buf);
  },
  sleep: (ns) => {
    Atomics.wait(sleeper, 0, 0, Number(ns) / 1e6);
  },
};

/**
 * WASI preview1 for Node, with node:wasi's constructor options and methods
 * (getImportObject, start, initialize, wasiImport). Every descriptor is an
 * entry of the ownership core; paths never leave the preopens.
 */
export class WASI extends WasiBase<NodeHandle> {
  /**
   * `os` is the OS backend (default: the Node backend); a wrapper of it
   * observes or interposes on every OS call (tests, tracing).
   */
  constructor(options: NodeWasiOptions = {}, os: Os<NodeHandle> = nodeOs) {
    const fds = [options.stdin ?? 0, options.stdout ?? 1, options.stderr ?? 2];
    super(options, {
      os,
      platform: nodePlatform,
      stdio: () => fds.map((fd) => adoptFd(fd)),
      preopen: (hostPath) => preopenDir(hostPath),
      exit: (code) => process.exit(code),
      listen: (host, port) => listenTcp(host, port),
    });
    this.embedding = new Embedding(this.table, os);
  }

  /** The ports the preopened listening sockets are bound to (useful with port 0). */
  listenPorts(): number[] {
    return this.listeners.map((h) => boundPort(h));
  }

  // Made after super(): its dispose() may run before (a failed preopen), hence the `?.` there.
  private readonly embedding: Embedding<NodeHandle>;

  /**
   * Moves ownership of a Node resource into the guest's fd table and returns
   * the guest's fd: a numeric fd (moved as is; fds 0-2 are dup'ed), an
   * fs.promises FileHandle, a directory path (`name` makes it a preopen), a
   * net.Socket, a net.Server, a child process's stdio stream, or
   * process.stdin/stdout/stderr (dup'ed, never closed). The guest's close
   * closes it; the Node object is closed or destroyed here, so the host
   * cannot use it any more. Refused (TypeError, nothing changed): a socket
   * with bytes Node already read (use `pauseOnConnect: true`) or unflushed
   * writes, a closed or destroyed object, a server not listening.
   */
  give(resource: NodeResource, options: GiveOptions = {}): number {
    const a = adoptResource(resource, { mode: "give", append: options.flags?.append, nonblock: options.flags?.nonblock });
    let fd: number;
    try {
      fd = this.embedding.give(a, options);
    } catch (e) {
      a.abort();
      throw e;
    }
    a.commit();
    return fd;
  }

  /**
   * Lends a Node resource to the guest until the returned lease ends
   * (`using lease = wasi.lend(socket, { rights: ["read", "write"] })`;
   * `lease.fd` is the guest's fd). The guest uses a dup of it: its close is
   * refused (ENOTCAPABLE: it is not the owner), and ending the lease removes
   * the fd from its table and closes the dup only; the resource itself stays
   * the host's, untouched. Ending the lease while a guest call is using the
   * fd is refused (IolifeError "lent"). The host must not read from the
   * resource during the lease (a socket: `pauseOnConnect: true`, or pause());
   * a lent net.Server keeps its Node listener (whichever accepts first gets
   * the connection).
   */
  lend(resource: NodeResource, options: LendOptions = {}): Lease {
    const a = adoptResource(resource, { mode: "lend", append: options.flags?.append, nonblock: options.flags?.nonblock });
    try {
      const lease = this.embedding.lend(a, options);
      a.commit();
      return lease;
    } catch (e) {
      a.abort();
      throw e;
    }
  }

  /**
   * Moves ownership of the guest's `fd` back to the host: a number for
   * files, directories, pipes and character devices (close it with
   * fs.closeSync), a net.Socket for a connected socket, a net.Server
   * listening on it for a listener. Refused (IolifeError, nothing changed)
   * for a lent fd ("not-owner"), an fd with live borrows ("lent"), and one
   * the guest closed ("closed", "stale-handle") or never had.
   */
  take(fd: number): TakenResource {
    const t = this.embedding.take(fd, dupHandle);
    return toNodeResource(t.handle, t.kind as EmbedKind, t.removePath);
  }

  /** Closes every fd the guest holds and ends every lease (each OS descriptor closed once). Idempotent. */
  override dispose(): void {
    try {
      super.dispose();
    } finally {
      this.embedding?.dispose();
    }
  }
}
