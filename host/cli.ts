// `iolife run [options] program.wasm [args…]`, in the style of `wasmtime run`.
// Bad flags and bad modules get a clear message and exit code 2 / 1; a trap
// prints a readable message and exits 134 (as wasmtime does); otherwise the
// exit code is the guest's.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { WASI } from "./wasi/node.js";

const USAGE = `usage: iolife run [options] <program.wasm> [args...]

Runs a WASI preview1 program in iolife's sandbox. Nothing is reachable
unless granted: no directories, no network, no environment by default.

options:
  --dir HOST[::GUEST]    preopen host directory HOST as GUEST (default: the same path); repeatable
  --env NAME=VALUE       set an environment variable; repeatable
  --inherit-env          pass this process's whole environment to the guest
  --fd-numbering MODE    generational (default: a stale fd is EBADF) or lowest (POSIX numbering)
  --trace                print one line per WASI call (arguments, result, errno) to stderr
  --listen HOST:PORT     preopen a listening TCP socket
  -h, --help             show this help
`;

class UsageError extends Error {}

interface RunOptions {
  program: string;
  args: string[];
  preopens: Record<string, string>;
  env: Record<string, string>;
  fdNumbering: "generational" | "lowest";
  trace: boolean;
  listen: { host: string; port: number }[];
}

function parse(argv: string[]): RunOptions | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: "string", multiple: true },
      env: { type: "string", multiple: true },
      "inherit-env": { type: "boolean" },
      "fd-numbering": { type: "string" },
      trace: { type: "boolean" },
      listen: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    // Options end at the program: everything after it is the guest's.
    tokens: false,
  });
  if (values.help) return "help";
  const [command, program, ...args] = positionals;
  if (command !== "run") throw new UsageError(command === undefined ? "missing command (run)" : `unknown command '${command}'`);
  if (program === undefined) throw new UsageError("missing program.wasm");
  const preopens: Record<string, string> = {};
  for (const d of values.dir ?? []) {
    const [host, guest = host, extra] = d.split("::");
    if (!host || extra !== undefined || !guest) throw new UsageError(`--dir expects HOST or HOST::GUEST, got '${d}'`);
    preopens[guest] = host;
  }
  const env: Record<string, string> = {};
  if (values["inherit-env"]) for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const e of values.env ?? []) {
    const eq = e.indexOf("=");
    if (eq <= 0) throw new UsageError(`--env expects NAME=VALUE, got '${e}'`);
    env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  const numbering = values["fd-numbering"] ?? "generational";
  if (numbering !== "generational" && numbering !== "lowest") {
    throw new UsageError(`--fd-numbering expects generational or lowest, got '${numbering}'`);
  }
  const listen = (values.listen ?? []).map((l) => {
    const m = /^(.*):(\d+)$/.exec(l);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !m[1] || port > 65535) throw new UsageError(`--listen expects HOST:PORT, got '${l}'`);
    return { host: m[1], port };
  });
  return { program, args, preopens, env, fdNumbering: numbering, trace: values.trace ?? false, listen };
}

/** Splits argv so that the program's own arguments are never parsed as iolife's options. */
function splitAtProgram(argv: string[]): [string[], string[]] {
  const valued = new Set(["--dir", "--env", "--fd-numbering", "--listen"]);
  let seenCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return [argv.slice(0, i), argv.slice(i + 1)];
    if (valued.has(a)) { i++; continue; }
    if (a.startsWith("-")) continue;
    if (!seenCommand) { seenCommand = true; continue; }
    return [argv.slice(0, i + 1), argv.slice(i + 1)];
  }
  return [argv, []];
}

/**
 * node:util's message for an unknown option ends with a hint to pass it after
 * `--`, which here would hand it to the guest instead: keep only the first part.
 */
function usageMessage(e: Error): string {
  const code = (e as { code?: string }).code;
  const m = /^Unknown option '([^']*)'/.exec(e.message);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && m) return `unknown option '${m[1]}'`;
  return e.message;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let opts: RunOptions | "help";
  try {
    const [mine, guest] = splitAtProgram(argv);
    opts = parse(mine);
    if (opts !== "help") opts.args = guest;
  } catch (e) {
    process.stderr.write(`iolife: ${usageMessage(e as Error)}\n\n${USAGE}`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(readFileSync(opts.program));
  } catch (e) {
    process.stderr.write(`iolife: cannot load ${opts.program}: ${(e as Error).message}\n`);
    return 1;
  }
  let wasi: WASI;
  try {
    wasi = new WASI({
      version: "preview1",
      args: [opts.program, ...opts.args],
      env: opts.env,
      preopens: opts.preopens,
      fdNumbering: opts.fdNumbering,
      listen: opts.listen,
      trace: opts.trace ? (line) => process.stderr.write(`[wasi] ${line}\n`) : undefined,
    });
  } catch (e) {
    process.stderr.write(`iolife: ${(e as Error).message}\n`);
    return 1;
  }
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
  } catch (e) {
    wasi.dispose();
    process.stderr.write(`iolife: cannot instantiate ${opts.program}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    return wasi.start(instance);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      process.stderr.write(`iolife: ${opts.program} trapped: ${e.message}\n${(e.stack ?? "").split("\n").slice(1).join("\n")}\n`);
      return 134;
    }
    if (e instanceof TypeError && e.message.startsWith("WASI:")) {
      process.stderr.write(`iolife: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
