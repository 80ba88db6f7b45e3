/**
 * One configuration for both WASI versions. The preview1 host's options
 * (`WasiOptions` and Node's `NodeWasiOptions` in host/wasi/) already have
 * this shape, so the same object configures `new WASI(config)` and
 * `createContext(config)` (test/preview2/config.test.ts checks that it
 * type-checks both ways).
 *
 * Default-deny: every field is optional and an omitted one grants nothing —
 * no arguments, no environment, no preopened directory, no network. Only
 * stdio defaults to the embedder's own (fds 0, 1, 2 in Node).
 */
export interface WasiConfig {
  /** The guest's arguments (argv[0] included, if the guest expects one). */
  args?: readonly string[];
  /** The guest's whole environment: nothing is inherited. */
  env?: Readonly<Record<string, string>>;
  /** guest path → host directory. Nothing outside them is reachable. */
  preopens?: Readonly<Record<string, string>>;
  /** The host fd the guest's stdin reads (Node; default 0). */
  stdin?: number;
  /** The host fd the guest's stdout writes (Node; default 1). */
  stdout?: number;
  /** The host fd the guest's stderr writes (Node; default 2). */
  stderr?: number;
  /**
   * The network a guest may use: listening TCP sockets on these addresses
   * (port 0 picks a free port). preview1 preopens them as fds; a preview2
   * guest may bind + listen to exactly these addresses (wasmtime's
   * socket_addr_check). Every other bind, every connect and every name
   * lookup is refused.
   */
  listen?: readonly { host: string; port: number }[];
}
