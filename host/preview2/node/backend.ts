// The Node backend of the preview2 host: real descriptors, sandboxed by
// host/os/node (the same backend, sandbox and platform as the preview1 WASI
// class).

import { adoptFd, boundPort, listenTcp, nodeOs, preopenDir, type NodeHandle } from "../../os/node/index.js";
import { nodePlatform } from "../../wasi/node.js";
import type { WasiConfig } from "../config.js";
import type { Backend } from "../context.js";

/** The Node backend for `config`: stdio from its stdin/stdout/stderr fds (default 0, 1, 2). */
export function nodeBackend(config: WasiConfig): Backend<NodeHandle> {
  const fds = [config.stdin ?? 0, config.stdout ?? 1, config.stderr ?? 2];
  return {
    os: nodeOs,
    platform: nodePlatform,
    stdio: () => fds.map((fd) => adoptFd(fd)),
    preopen: (hostPath) => preopenDir(hostPath),
    listen: (host, port) => listenTcp(host, port),
    localPort: (h) => boundPort(h),
  };
}
