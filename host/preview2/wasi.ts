// A preview2 context: the shared state (ContextCore) plus the namespaces of
// every interface bound to it, in the two shapes jco uses:
//   - getImportObject(): { "wasi:filesystem/types": {...}, ... }, for
//     `jco transpile --instantiation` (the same keys as preview2-shim's
//     WASIShim#getImportObject);
//   - the module singletons under host/preview2/node/ and browser/, for
//     `jco transpile --map 'wasi:filesystem/*=iolife/preview2/filesystem#*'`,
//     which delegate to the default context (see configure()).

import type { OsHandle } from "../os/types.js";
import { cliInterfaces } from "./cli.js";
import { clocksInterfaces } from "./clocks.js";
import type { WasiConfig } from "./config.js";
import { ContextCore, type Backend, type ContextOptions } from "./context.js";
import { filesystemInterfaces } from "./filesystem.js";
import { ioInterfaces } from "./io.js";
import { randomInterfaces } from "./random.js";
import { socketsInterfaces } from "./sockets.js";

/** Every interface's namespaces, grouped by WASI package as preview2-shim's modules are. */
export function bindInterfaces(ctx: () => ContextCore) {
  return {
    cli: cliInterfaces(ctx),
    clocks: clocksInterfaces(ctx),
    filesystem: filesystemInterfaces(ctx),
    io: ioInterfaces(),
    random: randomInterfaces(ctx),
    sockets: socketsInterfaces(ctx),
  };
}
export type Interfaces = ReturnType<typeof bindInterfaces>;

/** The import object for jco's --instantiation mode, keyed by WASI interface name. */
export function importObject(ns: Interfaces, asVersion?: string): Record<string, object> {
  const v = asVersion ? `@${asVersion}` : "";
  const { cli, clocks, filesystem, io, random, sockets } = ns;
  return {
    [`wasi:cli/environment${v}`]: cli.environment,
    [`wasi:cli/exit${v}`]: cli.exit,
    [`wasi:cli/stderr${v}`]: cli.stderr,
    [`wasi:cli/stdin${v}`]: cli.stdin,
    [`wasi:cli/stdout${v}`]: cli.stdout,
    [`wasi:cli/terminal-input${v}`]: cli.terminalInput,
    [`wasi:cli/terminal-output${v}`]: cli.terminalOutput,
    [`wasi:cli/terminal-stderr${v}`]: cli.terminalStderr,
    [`wasi:cli/terminal-stdin${v}`]: cli.terminalStdin,
    [`wasi:cli/terminal-stdout${v}`]: cli.terminalStdout,
    [`wasi:clocks/monotonic-clock${v}`]: clocks.monotonicClock,
    [`wasi:clocks/wall-clock${v}`]: clocks.wallClock,
    [`wasi:filesystem/preopens${v}`]: filesystem.preopens,
    [`wasi:filesystem/types${v}`]: filesystem.types,
    [`wasi:io/error${v}`]: io.error,
    [`wasi:io/poll${v}`]: io.poll,
    [`wasi:io/streams${v}`]: io.streams,
    [`wasi:random/random${v}`]: random.random,
    [`wasi:random/insecure${v}`]: random.insecure,
    [`wasi:random/insecure-seed${v}`]: random.insecureSeed,
    [`wasi:sockets/instance-network${v}`]: sockets.instanceNetwork,
    [`wasi:sockets/ip-name-lookup${v}`]: sockets.ipNameLookup,
    [`wasi:sockets/network${v}`]: sockets.network,
    [`wasi:sockets/tcp${v}`]: sockets.tcp,
    [`wasi:sockets/tcp-create-socket${v}`]: sockets.tcpCreateSocket,
    [`wasi:sockets/udp${v}`]: sockets.udp,
    [`wasi:sockets/udp-create-socket${v}`]: sockets.udpCreateSocket,
  };
}

/**
 * One guest's WASI 0.2 world: its resources live in one ownership-core
 * table. Dispose it when the guest is done: every OS handle it opened is
 * closed, once.
 */
export class Context<H extends OsHandle = OsHandle> extends ContextCore<H> {
  /** The interfaces bound to this context, grouped by WASI package. */
  readonly interfaces: Interfaces;

  constructor(config: WasiConfig & ContextOptions, backend: Backend<H>) {
    super(config, backend);
    this.interfaces = bindInterfaces(() => this);
  }

  /** For `jco transpile --instantiation`: the same keys as preview2-shim's WASIShim. */
  getImportObject(opts: { asVersion?: string } = {}): Record<string, object> {
    return importObject(this.interfaces, opts.asVersion);
  }

  /** The ports of the granted listening sockets (config.listen order): useful with port 0. */
  listenPorts(): number[] {
    return this.listeners.map((l) => l.port);
  }
}

/**
 * The default context behind the module singletons (the `--map` shape).
 * Until configure() is called it is created on first use from an empty
 * config: no preopens, no environment, no arguments, no network.
 */
export class DefaultContext<H extends OsHandle, C extends object = WasiConfig & ContextOptions, X extends Context<H> = Context<H>> {
  private current: X | undefined;
  readonly interfaces: Interfaces;

  constructor(private readonly make: (config: C) => X) {
    this.interfaces = bindInterfaces(() => this.get());
  }

  get(): X {
    return (this.current ??= this.make({} as C));
  }

  /** Replaces the default context with one made from `config` (the old one is disposed) and returns it. */
  configure(config: C): X {
    const next = this.make(config);
    const old = this.current;
    this.current = next;
    old?.dispose();
    return next;
  }
}

export type { WasiConfig } from "./config.js";
export type { Backend, ContextOptions } from "./context.js";
