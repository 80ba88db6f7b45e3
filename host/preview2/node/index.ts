// iolife/preview2 (Node): WASI 0.2 for jco-transpiled components, on the
// ownership core and the sandboxed Node backend.
export { createContext, configure, defaultContext, NodeContext } from "./default.js";
export { Lease } from "../embed.js";
export type { GiveOptions, LendOptions } from "../embed.js";
export { Context, bindInterfaces, importObject, type Interfaces } from "../wasi.js";
export type { WasiConfig } from "../config.js";
export type { ContextOptions, Backend } from "../context.js";
export { ResourceTrap, type FsErrorCode, type NetErrorCode } from "../errors.js";
export { ProcExit } from "../cli.js";
export * as cli from "./cli.js";
export * as clocks from "./clocks.js";
export * as filesystem from "./filesystem.js";
export * as io from "./io.js";
export * as random from "./random.js";
export * as sockets from "./sockets.js";
