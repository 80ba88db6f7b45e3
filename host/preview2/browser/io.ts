// iolife/preview2/io (browser, simulated OS): wasi:io (the same classes for every context).
import { defaults } from "./default.js";
export const { error, poll, streams } = defaults.interfaces.io;
