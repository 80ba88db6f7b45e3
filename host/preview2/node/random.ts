// iolife/preview2/random (Node): wasi:random on the default context.
import { defaults } from "./default.js";
export const { random, insecure, insecureSeed } = defaults.interfaces.random;
