/**
 * Runs the C guest programs of test/guests/ the way wasi-testsuite's
 * runners do: each program beside a sidecar `<name>.json`
 * ({ args, env, dirs, stdin, exit_code, stdout }), each `dirs` entry a
 * fixture directory copied to a fresh temporary directory and preopened
 * under its own name, stdio on temporary files.
 *
 * Layout of one run (everything removed afterwards):
 *
 *   <tmp>/fs-tests.dir/   the copy of the fixture <dir of the program>/fs-tests.dir
 *                         (test/guests/leaks/ links to preview1's), preopened
 *                         as "fs-tests.dir"
 *   <tmp>/secret.txt      outside every preopen: a guest must never reach it
 *   <io>/stdin, stdout, stderr
 *
 * `outside` reports whether anything under <tmp> but outside the preopens
 * changed during the run (a sandbox escape that wrote or renamed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import { WASI as IolifeWASI } from '../../host/wasi/node.js';

export const GUESTS = fileURLToPath(new URL('../guests/', import.meta.url));

/**
 * Every directory of guest programs and the test file that runs ALL the
 * `.c` programs in it (each discovers its directory, so a new program is
 * run without being listed anywhere). A `.c` anywhere else is run by no
 * test, which test/wasi/conformance.node.test.ts reports as a failure.
 */
export const GUEST_DIRS: Readonly<Record<string, string>> = {
  preview1: 'test/wasi/conformance.node.test.ts',
  leaks: 'test/wasi/leaks.node.test.ts',
  // The embedding tests hand these guests their descriptors; each guest is listed with its test there.
  embed: 'test/embed/guests.node.test.ts',
};
export const PREVIEW1 = path.join(GUESTS, 'preview1');
export const LEAKS = path.join(GUESTS, 'leaks');

/** The exit code a trap counts as when compared with a sidecar (what `wasmtime run` and `iolife run` report). */
export const TRAP_EXIT_CODE = 134;

/** wasi-testsuite's sidecar (all fields optional). */
export interface Sidecar {
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  stdin?: string;
  exit_code?: number;
  stdout?: string;
}

export type Engine = 'iolife' | 'node:wasi';

export interface RunResult {
  /** The exit code, or null if the guest trapped. */
  exitCode: number | null;
  /** The trap's message, or null. */
  trap: string | null;
  stdout: string;
  stderr: string;
  /** Whether anything outside the preopens changed (must stay false). */
  outsideChanged: boolean;
}

/** Every `.c` file under `dir`, recursively, as paths relative to `dir`, sorted. */
export function cFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.endsWith('.dir')) walk(p);
      } else if (e.name.endsWith('.c')) {
        out.push(path.relative(dir, p));
      }
    }
  };
  walk(dir);
  return out.sort();
}

export function readSidecar(cPath: string): Sidecar {
  return JSON.parse(fs.readFileSync(cPath.replace(/\.c$/, '.json'), 'utf8')) as Sidecar;
}

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module for a guest's `.c` path (its `.wasm` must have been built). */
export function moduleFor(cPath: string): WebAssembly.Module {
  const wasm = cPath.replace(/\.c$/, '.wasm');
  let m = modules.get(wasm);
  if (m === undefined) {
    if (!fs.existsSync(wasm)) throw new Error(`${wasm} is missing: run \`npm run build\` (or node scripts/build-guests.mjs)`);
    m = new WebAssembly.Module(fs.readFileSync(wasm));
    modules.set(wasm, m);
  }
  return m;
}

/** Everything under `root` except the preopened directories: type, size, mode, mtime, contents. */
function snapshot(root: string, skip: ReadonlySet<string>): string {
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (skip.has(p)) continue;
      const s = fs.lstatSync(p, { bigint: true });
      const extra = s.isFile() ? fs.readFileSync(p, 'latin1') : s.isSymbolicLink() ? fs.readlinkSync(p) : '';
      lines.push(`${path.relative(root, p)} ${s.mode} ${s.size} ${s.mtimeNs} ${s.nlink} ${extra}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return lines.join('\n');
}

export interface RunOptions {
  /** iolife only: fd numbering policy (default generational). */
  fdNumbering?: 'generational' | 'lowest';
  /** iolife only: WasiOptions.trace, one line per WASI call. */
  trace?: (line: string) => void;
  /** Wraps the import object before instantiation (to observe each call); `memory` is the instance's memory once it exists. */
  wrapImports?: (imports: WebAssembly.Imports, memory: () => WebAssembly.Memory) => WebAssembly.Imports;
}

/**
 * Runs the guest compiled from `cPath` under `engine` with its sidecar's
 * configuration. Never throws for what the guest does (exit codes and traps
 * are reported); throws for a host bug (any other exception).
 */
export function runGuest(cPath: string, engine: Engine, sidecar = readSidecar(cPath), opts: RunOptions = {}): RunResult {
  const module = moduleFor(cPath);
  const srcDir = path.dirname(cPath);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-guest-'));
  const io = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-io-'));
  const fds: number[] = [];
  try {
    const preopens: Record<string, string> = {};
    for (const d of sidecar.dirs ?? []) {
      const host = path.join(tmp, d);
      // realpath: a directory of guests may share another's fixture through a symlink.
      fs.cpSync(fs.realpathSync(path.join(srcDir, d)), host, { recursive: true, verbatimSymlinks: true });
      preopens[d] = host;
    }
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the sandbox\n');
    const skip = new Set(Object.values(preopens));
    const before = snapshot(tmp, skip);

    fs.writeFileSync(path.join(io, 'stdin'), sidecar.stdin ?? '');
    const stdin = fs.openSync(path.join(io, 'stdin'), 'r');
    fds.push(stdin);
    const stdout = fs.openSync(path.join(io, 'stdout'), 'w+');
    fds.push(stdout);
    const stderr = fs.openSync(path.join(io, 'stderr'), 'w+');
    fds.push(stderr);

    const args = [path.basename(cPath).replace(/\.c$/, '.wasm'), ...(sidecar.args ?? [])];
    const env = sidecar.env ?? {};
    const wasi = engine === 'iolife'
      ? new IolifeWASI({
        version: 'preview1', args, env, preopens, stdin, stdout, stderr, returnOnExit: true, fdNumbering: opts.fdNumbering,
        trace: opts.trace,
      })
      : new NodeWASI({ version: 'preview1', args, env, preopens, stdin, stdout, stderr, returnOnExit: true });
    const imports = wasi.getImportObject() as WebAssembly.Imports;
    let instance: WebAssembly.Instance | undefined;
    const memory = (): WebAssembly.Memory => instance!.exports.memory as WebAssembly.Memory;
    instance = new WebAssembly.Instance(module, opts.wrapImports ? opts.wrapImports(imports, memory) : imports);
    let exitCode: number | null = null;
    let trap: string | null = null;
    try {
      exitCode = wasi.start(instance) ?? 0;
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      trap = e.message;
    }
    const outsideChanged = snapshot(tmp, skip) !== before;
    return {
      exitCode,
      trap,
      stdout: fs.readFileSync(path.join(io, 'stdout'), 'utf8'),
      stderr: fs.readFileSync(path.join(io, 'stderr'), 'utf8'),
      outsideChanged,
    };
  } finally {
    for (const fd of fds) fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(io, { recursive: true, force: true });
  }
}
