/**
 * Runs a preview1 conformance guest on the simulated OS (host/wasi/browser.ts)
 * the way test/wasi/guests.ts runs it on the Node backend: the sidecar's
 * arguments (argv[0] is `<name>.wasm`), environment and stdin, each `dirs`
 * entry preopened under its own name as a fresh copy of the fixture tree,
 * stdout and stderr captured. No Node imports: it runs in Node and Chromium.
 *
 * Stdio is the browser WASI's character devices by default; `stdio: 'files'`
 * puts it on regular files of the simulated OS instead, as guests.ts does on
 * the Node backend (temporary files), for comparing the two: wasi-libc line-
 * buffers stdout on a character device and fully buffers it on a file, so
 * the calls a guest makes depend on it.
 *
 * The fixture comes from the tree manifest `npm run build` writes
 * (build/guests/fs-tests.json, see scripts/build-browser-guests.mjs).
 */
import { createMemoryOs, type MemHandle, type MemoryOs, type Tree, type TreeValue, WASI } from '../../host/wasi/browser.js';
import { OpenFlags } from '../../host/os/types.js';
import { ProcExit, WasiBase, type WasiOptions } from '../../host/wasi/wasi.js';

/** wasi-testsuite's sidecar (all fields optional); the same shape as guests.ts's. */
export interface Sidecar {
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  stdin?: string;
  exit_code?: number;
  stdout?: string;
}

/** build/guests/index.json. */
export interface GuestIndex {
  guests: { name: string; wasm: string; sidecar: Sidecar }[];
  /** Fixture directory name (as in `dirs`) → its manifest file in build/guests. */
  fixtures: Record<string, string>;
}

/** A tree manifest entry: a Tree value, or a binary file as base64. */
export type ManifestValue = string | null | { symlink: string } | { base64: string };
export type Manifest = Record<string, ManifestValue>;

/** The exit code a trap counts as (what `iolife run` and wasmtime report); guests.ts's TRAP_EXIT_CODE. */
export const TRAP_EXIT_CODE = 134;

/** The seed and start time every memory run uses, so runs repeat exactly. */
export const MEMORY_SEED = 1;
export const MEMORY_EPOCH_NS = 1_700_000_000_000_000_000n;

/** A manifest as a Tree for host/os/memory (base64 decoded; everything else as is). */
export function treeOfManifest(m: Manifest): Tree {
  const tree: Record<string, TreeValue> = {};
  for (const [key, v] of Object.entries(m)) {
    tree[key] = v !== null && typeof v === 'object' && 'base64' in v
      ? Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0))
      : v;
  }
  return tree;
}

export interface MemoryRun {
  /** The exit code, or null if the guest trapped. */
  exitCode: number | null;
  trap: string | null;
  stdout: string;
  stderr: string;
  wasi: WasiBase<MemHandle>;
}

export interface MemoryRunOptions {
  /** WasiOptions.trace: one line per WASI call. */
  trace?: (line: string) => void;
  /** Wraps the import object before instantiation; `memory` is the instance's memory once it exists. */
  wrapImports?: (imports: WebAssembly.Imports, memory: () => WebAssembly.Memory) => WebAssembly.Imports;
  /** Stdio on the browser WASI's character devices (default) or on regular files of the simulated OS. */
  stdio?: 'devices' | 'files';
}

/**
 * Runs `module` (the guest `name`) with `sidecar`'s configuration, each
 * preopen built from `fixtures[dir]`. Never throws for what the guest does
 * (exit codes and traps are reported); throws for a host bug, or if a
 * sidecar names a fixture that is not given.
 */
export function runOnMemory(
  name: string, module: WebAssembly.Module, sidecar: Sidecar, fixtures: Readonly<Record<string, Tree>>,
  opts: MemoryRunOptions = {},
): MemoryRun {
  const preopens: Record<string, Tree> = {};
  for (const d of sidecar.dirs ?? []) {
    const tree = fixtures[d];
    if (tree === undefined) throw new Error(`${name}: its sidecar preopens ${d}, and no fixture tree was given for it`);
    preopens[d] = tree;
  }
  const options = {
    args: [`${name}.wasm`, ...(sidecar.args ?? [])], env: sidecar.env ?? {}, trace: opts.trace,
  } satisfies WasiOptions;
  let wasi: WasiBase<MemHandle>;
  let output: () => { stdout: string; stderr: string };
  if (opts.stdio === 'files') {
    const system = createMemoryOs({ seed: MEMORY_SEED, epochNs: MEMORY_EPOCH_NS });
    const io = system.root({ stdin: sidecar.stdin ?? '', stdout: '', stderr: '' });
    const stdio = [
      openOrThrow(system, io, 'stdin', OpenFlags.READ),
      openOrThrow(system, io, 'stdout', OpenFlags.READ | OpenFlags.WRITE),
      openOrThrow(system, io, 'stderr', OpenFlags.READ | OpenFlags.WRITE),
    ];
    const dirs = new Map(Object.entries(preopens).map(([d, tree]) => [d, system.root(tree)]));
    wasi = new WasiBase({ ...options, preopens: Object.fromEntries([...dirs.keys()].map((d) => [d, d])) }, {
      os: system.os,
      platform: system.platform,
      stdio: () => stdio,
      preopen: (d) => system.reopen(dirs.get(d)!),
      exit: (code) => {
        throw new ProcExit(code);
      },
    });
    output = () => {
      const files = system.snapshot(io);
      for (const h of stdio) system.os.close(h);
      return { stdout: text(files.stdout), stderr: text(files.stderr) };
    };
  } else {
    const w = new WASI({ ...options, stdin: sidecar.stdin ?? '', preopens, seed: MEMORY_SEED, epochNs: MEMORY_EPOCH_NS });
    wasi = w;
    output = () => ({ stdout: w.stdout(), stderr: w.stderr() });
  }
  const imports = wasi.getImportObject() as WebAssembly.Imports;
  let instance: WebAssembly.Instance | undefined;
  const memory = (): WebAssembly.Memory => instance!.exports.memory as WebAssembly.Memory;
  instance = new WebAssembly.Instance(module, opts.wrapImports ? opts.wrapImports(imports, memory) : imports);
  let exitCode: number | null = null;
  let trap: string | null = null;
  try {
    exitCode = wasi.start(instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    trap = e.message;
  }
  return { exitCode, trap, ...output(), wasi };
}

function openOrThrow(system: MemoryOs, dir: MemHandle, name: string, flags: number): MemHandle {
  const h = system.os.openAt(dir, name, false, flags);
  if (typeof h === 'number') throw new Error(`opening ${name} for stdio failed: errno ${h}`);
  return h;
}

const decoder = new TextDecoder();
function text(v: TreeValue | undefined): string {
  return typeof v === 'string' ? v : v instanceof Uint8Array ? decoder.decode(v) : '';
}
