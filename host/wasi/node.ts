// `import { WASI } from "iolife"` in Node: the WASI object on real OS
// descriptors (host/os/node), a drop-in for node:wasi's WASI class.

import { getRandomValues } from "node:crypto";
import { adoptFd, boundPort, listenTcp, nodeOs, preopenDir, type NodeHandle } from "../os/node/index.js";
import { WasiBase, type Platform, type WasiOptions } from "./wasi.js";

export { ProcExit } from "./wasi.js";
export type { WasiOptions } from "./wasi.js";

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
  monotonicNs: () => process.hrtime.bigint(),
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
  constructor(options: NodeWasiOptions = {}) {
    const fds = [options.stdin ?? 0, options.stdout ?? 1, options.stderr ?? 2];
    super(options, {
      os: nodeOs,
      platform: nodePlatform,
      stdio: () => fds.map((fd) => adoptFd(fd)),
      preopen: (hostPath) => preopenDir(hostPath),
      exit: (code) => process.exit(code),
      listen: (host, port) => listenTcp(host, port),
    });
  }

  /** The ports the preopened listening sockets are bound to (useful with port 0). */
  listenPorts(): number[] {
    return this.listeners.map((h) => boundPort(h));
  }
}
