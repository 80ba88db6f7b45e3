// iolife/preview2/cli (browser, simulated OS): wasi:cli on the default context.
import { defaults } from "./default.js";
export const {
  environment, exit, stdin, stdout, stderr,
  terminalInput, terminalOutput, terminalStdin, terminalStdout, terminalStderr,
} = defaults.interfaces.cli;
