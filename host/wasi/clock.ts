// clock_time_get(MONOTONIC) without a JS frame of its own: what programs
// time themselves with, called millions of times by some.
//
// A JS import costs the guest a BigInt for the `precision` argument it
// ignores, a DataView store and the JS function around the clock read; on
// Node 20 that made the call 1.9x node:wasi's (a C++ fast call). Here the
// guest imports a Wasm function instead (wat/clock-entry.wat), which calls
// through a one-slot table: first to the JS implementation, then, once the
// guest's memory is known, to wat/clock-fast.wat, which checks the pointer,
// calls the platform's monotonicNs straight from Wasm (V8 turns its bigint
// into an i64 without allocating) and stores the result itself.
//
// Same answers as the JS implementation, which it falls back to for every
// other clock id, for a memory it cannot import (shared or 64-bit), and
// wherever the modules cannot be compiled.

import { clockEntryWasm, clockFastWasm } from "#host-wasm";
import { decodeBase64 } from "../core/base64.js";

export type ClockTimeGet = (id: number, precision: bigint, out: number) => number;

let modules: { entry: WebAssembly.Module; fast: WebAssembly.Module } | null = null;

/** clock_time_get for a guest: `fn` to import, `bind` to call with the guest's memory once it exists. */
export interface FastClock {
  readonly fn: ClockTimeGet;
  bind(memory: WebAssembly.Memory): void;
}

/**
 * Wraps `slow` (the JS clock_time_get) as described above; `now` is the
 * platform's monotonic clock in ns. Null where Wasm modules cannot be made
 * here (then import `slow` itself).
 */
export function fastClock(slow: ClockTimeGet, now: () => bigint): FastClock | null {
  let entry: WebAssembly.Instance;
  try {
    modules ??= { entry: new WebAssembly.Module(decodeBase64(clockEntryWasm)), fast: new WebAssembly.Module(decodeBase64(clockFastWasm)) };
    entry = new WebAssembly.Instance(modules.entry, { host: { slow } });
  } catch {
    return null;
  }
  const fast = modules.fast;
  return {
    fn: entry.exports.clock_time_get as ClockTimeGet,
    bind(memory: WebAssembly.Memory): void {
      let f: WebAssembly.Instance;
      try {
        f = new WebAssembly.Instance(fast, { host: { memory, now, slow } });
      } catch {
        return; // a shared or 64-bit memory is not the (memory 0) clock-fast.wat imports: stay on `slow`
      }
      (entry.exports.table as WebAssembly.Table).set(0, f.exports.clock_time_get as ClockTimeGet);
    },
  };
}
