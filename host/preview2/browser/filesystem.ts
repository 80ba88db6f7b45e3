// iolife/preview2/filesystem (browser, simulated OS): wasi:filesystem on the default context.
import { defaults } from "./default.js";
export const { preopens, types } = defaults.interfaces.filesystem;
