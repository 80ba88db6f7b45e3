// wasi:clocks — monotonic-clock and wall-clock — from the backend's
// platform (the Node process's clocks, or a simulated OS's virtual clock).
// A clock pollable is a core entry of kind "pollable" with no parent.

import { ContextCore } from "./context.js";
import { newPollable, type Pollable } from "./io.js";
import type { Datetime } from "./filesystem.js";

const NS = 1_000_000_000n;

/** The wasi:clocks namespaces for `ctx`, as jco imports them. */
export function clocksInterfaces(ctx: () => ContextCore) {
  const at = (deadline: bigint): Pollable => {
    const c = ctx();
    return newPollable(c, { ready: () => c.platform.monotonicNs() >= deadline, deadline }, 0);
  };
  return {
    monotonicClock: {
      now: (): bigint => ctx().platform.monotonicNs(),
      resolution: (): bigint => ctx().platform.resolutionNs,
      subscribeInstant: (when: bigint): Pollable => at(BigInt(when)),
      subscribeDuration: (duration: bigint): Pollable => at(ctx().platform.monotonicNs() + BigInt(duration)),
    },
    wallClock: {
      /** One reading of the clock, split (preview2-shim reads Date.now() twice, so seconds and nanoseconds can disagree). */
      now(): Datetime {
        const ns = ctx().platform.realtimeNs();
        return { seconds: ns / NS, nanoseconds: Number(ns % NS) };
      },
      resolution(): Datetime {
        const r = ctx().platform.resolutionNs;
        return { seconds: r / NS, nanoseconds: Number(r % NS) };
      },
    },
  };
}
