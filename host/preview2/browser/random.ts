// iolife/preview2/random (browser, simulated OS): wasi:random on the default context.
import { defaults } from "./default.js";
export const { random, insecure, insecureSeed } = defaults.interfaces.random;
