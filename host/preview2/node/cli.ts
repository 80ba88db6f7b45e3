// iolife/preview2/cli (Node): wasi:cli on the default context.
import { defaults } from "./default.js";
export const {
  environment, exit, stdin, stdout, stderr,
  terminalInput, terminalOutput, terminalStdin, terminalStdout, terminalStderr,
} = defaults.interfaces.cli;
