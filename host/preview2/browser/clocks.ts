// iolife/preview2/clocks (browser, simulated OS): wasi:clocks on the default context.
import { defaults } from "./default.js";
export const { monotonicClock, wallClock } = defaults.interfaces.clocks;
