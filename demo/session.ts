// One run of a guest on the simulated OS that can pause before each WASI
// call. No DOM here: main.ts renders a Session, the demo test drives one.
//
// Pausing a running Wasm guest needs JSPI (WebAssembly.Suspending and
// WebAssembly.promising): each import is an async function that waits for
// the page's Step/Play before it makes the call, and the guest's stack stays
// suspended in between. Without JSPI the guest runs to the end at once (the
// table is still recorded after every call).

import { type HandleInfo } from '../host/core/index.js';
import { ProcExit, type Tree, WASI } from '../host/wasi/browser.js';

/** What the page can run. */
export interface GuestSpec {
  id: string;
  label: string;
  /** URL of the .wasm file. */
  wasm: string;
  /** argv, argv[0] included. */
  args: string[];
  env: Record<string, string>;
  stdin: string;
  /** Guest path → the files it starts with. */
  preopens: Record<string, Tree>;
}

/** One WASI call that was made. */
export interface CallRecord {
  index: number;
  /** WasiOptions.trace's line: `name(args) = result (errno)`. */
  line: string;
  /** The paths among the arguments, decoded (`"todo.txt"`), or "". */
  note: string;
  /** The errno it returned, or null if it ended the guest (proc_exit). */
  errno: number | null;
}

export type Status = 'paused' | 'running' | 'playing' | 'exited' | 'trapped' | 'failed' | 'stopped';

/** Thrown into a guest that is abandoned mid-run (see Session.abort). */
class Aborted extends Error {
  constructor() {
    super('stopped by the page');
    this.name = 'Aborted';
  }
}

interface Jspi {
  Suspending: new (fn: (...args: never[]) => Promise<unknown>) => unknown;
  promising: (fn: unknown) => () => Promise<unknown>;
}
const WA = WebAssembly as unknown as Partial<Jspi>;

/** Whether this browser can pause a guest between calls. */
export const canPause = typeof WA.Suspending === 'function' && typeof WA.promising === 'function';

/** The same run every time: seeded randomness, a virtual clock from 2025-01-01T00:00:00Z. */
const SEED = 1;
const EPOCH_NS = 1_735_689_600_000_000_000n;

/** Where the (pointer, length) pairs of paths are among each call's arguments. */
const PATH_ARGS: Readonly<Record<string, readonly [number, number][]>> = {
  path_open: [[2, 3]],
  path_filestat_get: [[2, 3]],
  path_filestat_set_times: [[2, 3]],
  path_create_directory: [[1, 2]],
  path_remove_directory: [[1, 2]],
  path_unlink_file: [[1, 2]],
  path_readlink: [[1, 2]],
  path_symlink: [[0, 1], [3, 4]],
  path_rename: [[1, 2], [4, 5]],
  path_link: [[2, 3], [5, 6]],
};

/** How much of what an fd_write writes the call log shows. */
const NOTE_BYTES = 48;

type Fn = (...args: (number | bigint)[]) => number;

export class Session {
  readonly spec: GuestSpec;
  readonly wasi: WASI;
  readonly calls: CallRecord[] = [];
  status: Status = 'running';
  /** The call the guest is paused before (or about to make), with its decoded paths. */
  pending: { name: string; args: (number | bigint)[]; note: string } | null = null;
  exitCode: number | null = null;
  trap: string | null = null;
  /** The core's listing when the guest ended, before the host closed what was left. */
  atExit: HandleInfo[] | null = null;
  /** Open description id → the path the guest opened it by ("/notes/todo.txt"). */
  readonly opened = new Map<number, string>();
  /** Delay between calls while playing, in ms. */
  delayMs = 300;
  /** Called after every change (a call made, a pause, the end). */
  onChange: () => void = () => {};
  /** Settles when the guest has ended and its handles are closed. */
  readonly done: Promise<void>;

  private mode: 'step' | 'play' | 'finish' = 'step';
  private resume: (() => void) | null = null;
  private cancel: ((e: Aborted) => void) | null = null;
  private aborted = false;
  private waiters: (() => void)[] = [];
  private traced = '';
  private lastListing: HandleInfo[] = [];
  private readonly memory: WebAssembly.Memory;

  constructor(spec: GuestSpec, module: WebAssembly.Module) {
    this.spec = spec;
    this.wasi = new WASI({
      args: spec.args, env: spec.env, stdin: spec.stdin, preopens: spec.preopens, seed: SEED, epochNs: EPOCH_NS,
      trace: (line) => {
        this.traced = line;
      },
    });
    const imports: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(this.wasi.wasiImport as unknown as Record<string, Fn>)) {
      imports[name] = canPause
        ? new WA.Suspending!(async (...args: (number | bigint)[]) => {
          await this.before(name, args);
          return this.call(name, fn, args);
        })
        : (...args: (number | bigint)[]) => {
          this.pending = { name, args, note: this.note(name, args) };
          return this.call(name, fn, args);
        };
    }
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports } as WebAssembly.Imports);
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.done = canPause ? this.runSuspendable(instance) : Promise.resolve(this.runAtOnce(instance));
  }

  /** The core's listing now (live), or as it was when the guest ended. */
  table(): HandleInfo[] {
    return this.atExit ?? this.wasi.table.list();
  }

  get ended(): boolean {
    return this.status === 'exited' || this.status === 'trapped' || this.status === 'failed' || this.status === 'stopped';
  }

  /** Makes the next call; resolves when the guest pauses again (before the call after it) or ends. */
  step(): Promise<void> {
    this.mode = 'step';
    return this.proceed();
  }

  /** Makes calls one after another, `delayMs` apart, until pause() or the end. */
  play(): void {
    this.mode = 'play';
    void this.proceed();
  }

  /** Stops playing before the next call. */
  pause(): void {
    if (this.mode === 'play') this.mode = 'step';
  }

  /** Runs to the end at full speed. */
  finish(): Promise<void> {
    this.mode = 'finish';
    void this.proceed();
    return this.done;
  }

  /** Resolves at the next pause or at the end. */
  settled(): Promise<void> {
    if (this.ended || this.status === 'paused') return Promise.resolve();
    return new Promise((res) => this.waiters.push(res));
  }

  private proceed(): Promise<void> {
    if (this.ended) return Promise.resolve();
    const next = new Promise<void>((res) => this.waiters.push(res));
    const resume = this.resume;
    if (resume !== null) {
      this.resume = this.cancel = null;
      this.status = this.mode === 'play' ? 'playing' : 'running';
      resume();
    }
    return next;
  }

  private settle(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const res of w) res();
  }

  /**
   * Ends a paused or playing guest where it is (the page moved on to another
   * one): its pending call throws into it, it unwinds, and the host closes
   * its handles as at any other end.
   */
  abort(): void {
    this.aborted = true;
    const cancel = this.cancel;
    this.resume = this.cancel = null;
    cancel?.(new Aborted());
  }

  private async before(name: string, args: (number | bigint)[]): Promise<void> {
    if (this.aborted) throw new Aborted();
    this.pending = { name, args, note: this.note(name, args) };
    if (this.mode === 'finish') return;
    if (this.mode === 'play') {
      this.onChange();
      await new Promise((res) => setTimeout(res, this.delayMs));
      if (this.aborted) throw new Aborted();
      if (!this.stepping()) return; // still playing (or finishing): no pause
    }
    this.status = 'paused';
    this.onChange();
    this.settle();
    await new Promise<void>((res, rej) => {
      this.resume = res;
      this.cancel = rej;
    });
  }

  /** Whether the next call waits for step() (the mode changes while a call is delayed). */
  private stepping(): boolean {
    return this.mode === 'step';
  }

  private call(name: string, fn: Fn, args: (number | bigint)[]): number {
    this.traced = '';
    const note = this.pending?.note ?? '';
    let result: number | undefined;
    try {
      result = fn(...args);
      return result;
    } finally {
      if (name === 'path_open' && result === 0) this.rememberOpen(args, note);
      this.calls.push({ index: this.calls.length, line: this.traced, note, errno: result ?? null });
      this.pending = null;
      if (!canPause) this.lastListing = this.wasi.table.list();
      this.onChange();
    }
  }

  /** The guest opened a file: name its description by the path (under its directory's name). */
  private rememberOpen(args: (number | bigint)[], note: string): void {
    const fd = new DataView(this.memory.buffer).getUint32(Number(args[8]) >>> 0, true);
    const dirInfo = this.wasi.table.info((Number(args[0]) >>> 0) + 1);
    const dir = this.opened.get(dirInfo.description) ?? preopenOf(dirInfo) ?? `fd ${Number(args[0])}`;
    this.opened.set(this.wasi.table.info(fd + 1).description, `${dir.replace(/\/$/, '')}/${JSON.parse(note || '""')}`);
  }

  private note(name: string, args: (number | bigint)[]): string {
    const mem = new Uint8Array(this.memory.buffer);
    if (name === 'fd_write') return this.written(mem, Number(args[1]) >>> 0, Number(args[2]) >>> 0);
    const at = PATH_ARGS[name];
    if (at === undefined) return '';
    return at.map(([p, n]) => {
      const ptr = Number(args[p]) >>> 0;
      const len = Number(args[n]) >>> 0;
      if (ptr + len > mem.length) return '(outside memory)';
      return JSON.stringify(new TextDecoder().decode(mem.subarray(ptr, ptr + len)));
    }).join(' → ');
  }

  /** What an fd_write is about to write (its iovecs), as a short JSON string. */
  private written(mem: Uint8Array, iovs: number, n: number): string {
    if (iovs + n * 8 > mem.length) return '';
    const dv = new DataView(mem.buffer);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const buf = dv.getUint32(iovs + i * 8, true);
      const len = dv.getUint32(iovs + i * 8 + 4, true);
      if (buf + len > mem.length) return '';
      parts.push(mem.subarray(buf, buf + Math.min(len, NOTE_BYTES)));
    }
    const text = parts.map((p) => new TextDecoder().decode(p)).join('');
    return text === '' ? '' : JSON.stringify(text.length > NOTE_BYTES ? `${text.slice(0, NOTE_BYTES)}…` : text);
  }

  private async runSuspendable(instance: WebAssembly.Instance): Promise<void> {
    // start() would dispose the table as soon as _start returned its promise
    // (the guest only suspended); so bind the memory as a reactor's, call the
    // promising _start here and dispose when it settles.
    this.wasi.initialize({ exports: { memory: this.memory } } as unknown as WebAssembly.Instance);
    const start = WA.promising!(instance.exports._start);
    try {
      await start();
      this.end(0, null);
    } catch (e) {
      if (e instanceof ProcExit) this.end(e.code, null);
      else if (e instanceof Aborted) this.end(null, e.message, 'stopped');
      else if (e instanceof WebAssembly.RuntimeError) this.end(null, e.message);
      else this.end(null, String(e), 'failed');
    }
  }

  private runAtOnce(instance: WebAssembly.Instance): void {
    try {
      this.end(this.wasi.start(instance), null);
    } catch (e) {
      this.end(null, String(e), e instanceof WebAssembly.RuntimeError ? 'trapped' : 'failed');
    }
  }

  private end(code: number | null, trap: string | null, status?: Status): void {
    // start() (without JSPI) has closed everything already: keep the listing after the last call.
    this.atExit = canPause ? this.wasi.table.list() : this.lastListing;
    this.wasi.dispose();
    this.exitCode = code;
    this.trap = trap;
    this.status = status ?? (trap === null ? 'exited' : 'trapped');
    this.pending = null;
    this.onChange();
    this.settle();
  }
}

/** The guest path of a preopened directory's entry, if it is one. */
export function preopenOf(info: HandleInfo): string | null {
  const r = info.resource as { preopen?: unknown } | null;
  return r !== null && typeof r === 'object' && typeof r.preopen === 'string' ? r.preopen : null;
}
