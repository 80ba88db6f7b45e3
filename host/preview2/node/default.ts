// The default context of the Node module singletons (host/preview2/node/*.js).
import type { NodeHandle } from "../../os/node/index.js";
import type { WasiConfig } from "../config.js";
import type { ContextOptions } from "../context.js";
import { Context, DefaultContext } from "../wasi.js";
import type { NodeWasiOptions } from "../../wasi/node.js";
import { nodeBackend } from "./backend.js";

/** Compile-time check: the preview1 WASI class's options are a WasiConfig (one object configures both). */
export type NodeWasiOptionsAreAWasiConfig = Assignable<NodeWasiOptions, WasiConfig>;
type Assignable<T extends U, U> = T;

/**
 * A preview2 context on the Node backend. Default-deny: `createContext()`
 * grants no directory, no environment, no arguments and no network; stdio
 * is the process's own (fds 0, 1, 2) unless the config names other fds.
 */
export function createContext(config: WasiConfig & ContextOptions = {}): Context<NodeHandle> {
  return new Context(config, nodeBackend(config));
}

/** The context the module singletons use. */
export const defaults = new DefaultContext<NodeHandle>(createContext);

/**
 * Configures the context behind `iolife/preview2/<package>` (the modules
 * `jco transpile --map` points at): the previous default context is
 * disposed, closing everything it had opened. Returns the new context.
 */
export function configure(config: WasiConfig & ContextOptions): Context<NodeHandle> {
  return defaults.configure(config);
}

/** The current default context (created default-deny on first use). */
export function defaultContext(): Context<NodeHandle> {
  return defaults.get();
}
