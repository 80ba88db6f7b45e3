// The browser flavour of iolife/preview2 as jco's --map output loads it
// (from build/, so that tests and the transpiled guest share one module
// instance), plus what the tests need from the simulated OS.
export { configure, createContext, MemoryContext, ResourceTrap, type MemoryConfig } from "../../build/host/preview2/browser/index.js";
export { createMemoryOs } from "../../build/host/os/memory/index.js";
export { OpenFlags } from "../../build/host/os/types.js";
