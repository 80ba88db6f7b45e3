/**
 * WASI preview1 on the simulated OS (host/wasi/browser.ts), in Node and in
 * Chromium:
 *
 * - a tiny guest assembled here byte by byte (no toolchain needed in the
 *   browser): stdout, stdin, path_open/fd_write into its preopen, seeded
 *   random_get, the virtual clock, a refused escape as its exit code;
 * - build/examples/notes.wasm (AssemblyScript, built by `npm run build`):
 *   readdir, wc, an appended log line, refused escapes;
 * - the C conformance guests of test/guests/preview1 (built by `npm run
 *   build`), each checked against its sidecar's exit code and stdout, as
 *   test/wasi/conformance.node.test.ts does on real files. Guests whose
 *   sidecar preopens the fs-tests.dir fixture run in Node only: the fixture
 *   holds symlinks, which a browser page cannot read from the dev server.
 * - the module graph under the "browser" export: no Node import anywhere.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryOs, Errno, type MemHandle, ProcExit, type Tree, WASI } from '../../host/wasi/browser.js';
import { KNOWN_FAILING as SHARED_KNOWN_FAILING } from './known-failing.js';

const enc = new TextEncoder();
const inNode = typeof window === 'undefined';

// ---- loading files in both environments ---------------------------------------------

/** Reads a file of the repository, given its path from the repository root ("build/x.wasm"), or null if missing. */
async function repoFile(rel: string): Promise<Uint8Array | null> {
  if (inNode) {
    const fsName = 'node:fs';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
    const url = new URL(rel, new URL('../../', import.meta.url));
    // Empty: being rebuilt by a concurrent `npm run build` (never a valid module).
    const bytes = fs.existsSync(url) ? new Uint8Array(fs.readFileSync(url)) : null;
    return bytes === null || bytes.length === 0 ? null : bytes;
  }
  // The dev server serves the repository from its root.
  const r = await fetch(`/${rel}`);
  if (!r.ok) return null;
  const bytes = new Uint8Array(await r.arrayBuffer());
  // A missing path may be answered with an HTML page: a Wasm module starts with \0asm.
  return rel.endsWith('.wasm') && (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61) ? null : bytes;
}

// ---- a Wasm assembler just big enough for one guest ------------------------------------

const I32 = 0x7f;
const I64 = 0x7e;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const name = (s: string): number[] => {
  const b = enc.encode(s);
  return [...uleb(b.length), ...b];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const op = {
  i32: (n: number) => [0x41, ...sleb(BigInt(n))],
  i64: (n: bigint) => [0x42, ...sleb(n)],
  call: (f: number) => [0x10, ...uleb(f)],
  drop: [0x1a],
  load: [0x28, 2, 0],
  store: [0x36, 2, 0],
  end: [0x0b],
};

/** Imports of the guest: [name, params, results]. Function index = position. */
const IMPORTS: [string, number[], number[]][] = [
  ['fd_write', [I32, I32, I32, I32], [I32]],
  ['fd_read', [I32, I32, I32, I32], [I32]],
  ['path_open', [I32, I32, I32, I32, I32, I64, I64, I32, I32], [I32]],
  ['fd_close', [I32], [I32]],
  ['random_get', [I32, I32], [I32]],
  ['clock_time_get', [I32, I64, I32], [I32]],
  ['proc_exit', [I32], []],
];
const F = Object.fromEntries(IMPORTS.map(([n], i) => [n, i])) as Record<string, number>;

// Memory layout of the guest.
const IOV = 0; // { buf u32, len u32 }
const NBYTES = 8;
const FD = 16;
const TIME = 32;
const DATA: [number, string][] = [
  [100, 'hello from wasm\n'],
  [200, 'out.txt'],
  [220, '../escape'],
  [240, 'random.bin'],
  [260, 'written by guest'],
  [300, 'clock.bin'],
];
const STDIN_BUF = 1024;
const RANDOM_BUF = 2048;
const RIGHT_FD_WRITE = 1n << 6n;
const OFLAGS_CREAT_TRUNC = 1 | 8;

/** iov = { buf, len } then fd_write(fd, iov, 1, NBYTES), result dropped. */
function writeFrom(fd: number[], buf: number, len: number[]): number[] {
  return [
    ...op.i32(IOV), ...op.i32(buf), ...op.store,
    ...op.i32(IOV + 4), ...len, ...op.store,
    ...fd, ...op.i32(IOV), ...op.i32(1), ...op.i32(NBYTES), ...op.call(F.fd_write!), ...op.drop,
  ];
}

/** path_open(3, follow, path, len, creat|trunc, fd_write, 0, 0, FD); the errno stays on the stack. */
function pathOpen(path: number, len: number, follow: number): number[] {
  return [
    ...op.i32(3), ...op.i32(follow), ...op.i32(path), ...op.i32(len), ...op.i32(OFLAGS_CREAT_TRUNC),
    ...op.i64(RIGHT_FD_WRITE), ...op.i64(0n), ...op.i32(0), ...op.i32(FD), ...op.call(F.path_open!),
  ];
}

const fdAt = [...op.i32(FD), ...op.load];
const closeFd = [...fdAt, ...op.call(F.fd_close!), ...op.drop];

/**
 * The guest: prints a greeting, echoes stdin, writes out.txt, random.bin
 * (16 random bytes) and clock.bin (the realtime clock, u64 LE) into its
 * preopen (fd 3), then tries to create ../escape and exits with that call's
 * errno (notcapable = 76 when the sandbox holds).
 */
function guestModule(): Uint8Array {
  const types = [...IMPORTS.map(([, p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]), [0x60, 0, 0]];
  const startType = types.length - 1;
  const body = [
    ...writeFrom(op.i32(1), 100, op.i32(16)),
    // fd_read(0) into STDIN_BUF, then echo what was read.
    ...op.i32(IOV), ...op.i32(STDIN_BUF), ...op.store, ...op.i32(IOV + 4), ...op.i32(256), ...op.store,
    ...op.i32(0), ...op.i32(IOV), ...op.i32(1), ...op.i32(NBYTES), ...op.call(F.fd_read!), ...op.drop,
    ...writeFrom(op.i32(1), STDIN_BUF, [...op.i32(NBYTES), ...op.load]),
    ...pathOpen(200, 7, 0), ...op.drop,
    ...writeFrom(fdAt, 260, op.i32(16)), ...closeFd,
    ...op.i32(RANDOM_BUF), ...op.i32(16), ...op.call(F.random_get!), ...op.drop,
    ...pathOpen(240, 10, 0), ...op.drop,
    ...writeFrom(fdAt, RANDOM_BUF, op.i32(16)), ...closeFd,
    ...op.i32(0), ...op.i64(1n), ...op.i32(TIME), ...op.call(F.clock_time_get!), ...op.drop,
    ...pathOpen(300, 9, 0), ...op.drop,
    ...writeFrom(fdAt, TIME, op.i32(8)), ...closeFd,
    ...pathOpen(220, 9, 1), ...op.call(F.proc_exit!),
    ...op.end,
  ];
  const code = [...uleb(0), ...body]; // no locals
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(IMPORTS.map(([n], i) => [...name('wasi_snapshot_preview1'), ...name(n), 0x00, ...uleb(i)]))),
    ...section(3, vec([uleb(startType)])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('_start'), 0x00, ...uleb(IMPORTS.length)]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
    ...section(11, vec(DATA.map(([at, text]) => [0x00, ...op.i32(at), ...op.end, ...name(text)]))),
  ];
  return new Uint8Array(bytes);
}

function run(wasi: WASI, module: WebAssembly.Module): number {
  const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  return wasi.start(instance);
}

describe('memory WASI: a hand-assembled guest', () => {
  const module = new WebAssembly.Module(guestModule());
  const EPOCH = 1_700_000_000_000_000_000n;

  function fresh(extra: ConstructorParameters<typeof WASI>[0] = {}): WASI {
    return new WASI({
      args: ['guest'], stdin: 'typed input\n', seed: 7, epochNs: EPOCH,
      preopens: { '/sandbox': { 'keep.txt': 'kept', 'sub/': null } }, ...extra,
    });
  }

  it('start(): runs the guest on stdio and its preopen; the escape is refused (exit code notcapable)', () => {
    const chunks: string[] = [];
    const wasi = fresh({ onStdout: (c) => chunks.push(new TextDecoder().decode(c)) });
    expect(run(wasi, module)).toBe(Errno.notcapable);
    expect(wasi.stdout()).toBe('hello from wasm\ntyped input\n');
    expect(chunks).toEqual(['hello from wasm\n', 'typed input\n']);
    expect(wasi.stderr()).toBe('');
    const tree = wasi.snapshot('/sandbox');
    expect(tree['keep.txt']).toBe('kept');
    expect(tree['sub/']).toBeNull();
    expect(tree['out.txt']).toBe('written by guest');
    expect((tree['random.bin'] as Uint8Array).length).toBe(16);
    expect(Object.keys(tree).sort()).toEqual(['clock.bin', 'keep.txt', 'out.txt', 'random.bin', 'sub/']);
    // The preopen stays readable after the run (the guest's handle was closed, ours was not).
    expect(wasi.dir('/sandbox').open).toBe(true);
  });

  it('start(): is reproducible: the same seed and epoch give the same bytes and times', () => {
    const a = fresh();
    const b = fresh();
    run(a, module);
    run(b, module);
    expect(a.snapshot('/sandbox')).toEqual(b.snapshot('/sandbox'));
    const c = fresh({ seed: 8 });
    run(c, module);
    expect(c.snapshot('/sandbox')['random.bin']).not.toEqual(a.snapshot('/sandbox')['random.bin']);
    // The guest's clock reading is the virtual clock: the epoch plus a few ticks.
    const clock = a.snapshot('/sandbox', { binary: true })['clock.bin'] as Uint8Array;
    const t = new DataView(clock.buffer, clock.byteOffset, 8).getBigUint64(0, true);
    expect(t).toBeGreaterThanOrEqual(EPOCH);
    expect(t - EPOCH).toBeLessThan(1_000_000n);
  });

  it('start(): an injected fault reaches the guest as an errno (its first path_open fails)', () => {
    const wasi = fresh();
    wasi.system.faults.fail('openAt', Errno.io);
    expect(run(wasi, module)).toBe(Errno.notcapable);
    expect(wasi.snapshot('/sandbox')['out.txt']).toBeUndefined();
    expect(wasi.snapshot('/sandbox')['random.bin']).toBeDefined();
  });

  it('preopens: shares a directory of an existing simulated OS (the embedder sees the writes)', () => {
    const system = createMemoryOs({ seed: 1, epochNs: 0n });
    const dir: MemHandle = system.root({ 'a.txt': 'a' });
    const wasi = new WASI({ system, preopens: { '/data': dir } });
    run(wasi, module);
    expect(system.snapshot(dir)['out.txt']).toBe('written by guest');
    expect(wasi.dir('/data')).toBe(dir);
    expect(() => wasi.dir('/nope')).toThrow(TypeError);
  });

  it('returnOnExit: false cannot end a browser process: start() throws the ProcExit', () => {
    const wasi = fresh({ returnOnExit: false });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
    expect(() => wasi.start(instance)).toThrow(ProcExit);
  });
});

describe('memory WASI: build/examples/notes.wasm (AssemblyScript)', () => {
  it('start(): lists and counts the notes, appends to log.txt at the virtual date, refuses the escapes', async () => {
    const bytes = await repoFile('build/examples/notes.wasm');
    if (bytes === null) throw new Error('build/examples/notes.wasm is missing: run `npm run build`');
    const notes: Tree = { 'groceries.txt': 'milk\neggs\nbread\n', 'todo.txt': 'write tests\nship it\n', 'sub/': null };
    const wasi = new WASI({
      args: ['notes.wasm', 'hello', 'browser'], preopens: { '/notes': notes }, seed: 1,
      epochNs: 1_735_689_600_000_000_000n, // 2025-01-01T00:00:00Z
    });
    expect(run(wasi, new WebAssembly.Module(bytes! as Uint8Array<ArrayBuffer>))).toBe(0);
    const out = wasi.stdout();
    expect(out).toContain('arguments: hello browser');
    expect(out).toMatch(/groceries\.txt\s+3 lines\s+3 words\s+16 bytes/);
    expect(out).toMatch(/sub\/\s+\(directory, skipped\)/);
    expect(out).toContain('2 text files: 5 lines, 7 words in all');
    expect(out).toMatch(/\/notes\/\.\.\/\.\.\/etc\/passwd\s+refused: notcapable/);
    expect(out).toContain('done: everything outside /notes stayed out of reach.');
    const log = wasi.snapshot('/notes')['log.txt'];
    expect(log).toMatch(/^2025-01-01T00:00:00\.\d{3}Z notes ran with arguments: hello browser\n$/);
  });
});

// ---- preview1 calls driven from JavaScript ----------------------------------------------

/** A reactor with one page of memory and nothing else: initialize() binds it, then the imports can be called directly. */
function reactor(wasi: WASI): DataView {
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 0x02, 0]])),
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), wasi.getImportObject() as WebAssembly.Imports);
  wasi.initialize(instance);
  return new DataView((instance.exports.memory as WebAssembly.Memory).buffer);
}

type Call = (...args: (number | bigint)[]) => number;

describe('memory WASI: sockets and poll_oneoff through preview1', () => {
  it('sock_accept / sock_recv / sock_send: a preopened listener serves a connection made by the embedder', () => {
    const wasi = new WASI({ listen: [{ host: '127.0.0.1', port: 0 }], seed: 1, epochNs: 0n });
    const mem = reactor(wasi);
    const w = wasi.wasiImport as unknown as Record<string, Call>;
    const [port] = wasi.listenPorts();
    // fd 3 is the listener: nothing pending yet.
    expect(w.sock_accept!(3, 4 /* nonblock */, 100)).toBe(Errno.again);
    const client = wasi.system.connect('127.0.0.1', port!);
    if (typeof client === 'number') throw new Error('connect');
    wasi.system.os.write(client, [enc.encode('hi')]);
    expect(w.sock_accept!(3, 0, 100)).toBe(Errno.success);
    const fd = mem.getUint32(100, true);
    mem.setUint32(200, 300, true); // iovec { buf 300, len 16 }
    mem.setUint32(204, 16, true);
    expect(w.sock_recv!(fd, 200, 1, 1 /* peek */, 104, 108)).toBe(Errno.success);
    expect(mem.getUint32(104, true)).toBe(2);
    expect(w.sock_recv!(fd, 200, 1, 0, 104, 108)).toBe(Errno.success);
    expect(new TextDecoder().decode(new Uint8Array(mem.buffer, 300, 2))).toBe('hi');
    new Uint8Array(mem.buffer, 300, 4).set(enc.encode('pong'));
    mem.setUint32(204, 4, true);
    expect(w.sock_send!(fd, 200, 1, 0, 104)).toBe(Errno.success);
    const b = new Uint8Array(8);
    expect(wasi.system.os.read(client, [b])).toBe(4);
    expect(w.sock_shutdown!(fd, 2 /* wr */)).toBe(Errno.success);
    expect(wasi.system.os.read(client, [b])).toBe(0);
    wasi.dispose();
    // The guest's fds are closed: the listener's port is free again.
    expect(wasi.system.connect('127.0.0.1', port!)).toBe(Errno.connrefused);
  });

  it('poll_oneoff: waiting on an empty pipe with a timeout moves the virtual clock, not the real one', () => {
    const wasi = new WASI({ listen: [{ host: '127.0.0.1', port: 0 }], seed: 1, epochNs: 0n, tickNs: 0n });
    const mem = reactor(wasi);
    const w = wasi.wasiImport as unknown as Record<string, Call>;
    const sub = (at: number, userdata: bigint, tag: number) => {
      mem.setBigUint64(at, userdata, true);
      mem.setUint8(at + 8, tag);
    };
    // fd_read on the listener (nothing pending) and a 5 s relative monotonic clock.
    sub(0, 1n, 1);
    mem.setUint32(16, 3, true);
    sub(48, 2n, 0);
    mem.setUint32(64, 1, true);
    mem.setBigUint64(72, 5_000_000_000n, true);
    mem.setUint16(88, 0, true);
    const t0 = wasi.system.platform.nowNs();
    const realStart = Date.now();
    expect(w.poll_oneoff!(0, 1000, 2, 2000)).toBe(Errno.success);
    expect(mem.getUint32(2000, true)).toBe(1);
    expect(mem.getBigUint64(1000, true)).toBe(2n); // the clock fired
    expect(wasi.system.platform.nowNs() - t0).toBe(5_000_000_000n);
    expect(Date.now() - realStart).toBeLessThan(1000);
    // Without a clock, a wait that can never end is deadlk instead of a hang.
    expect(w.poll_oneoff!(0, 1000, 1, 2000)).toBe(Errno.deadlk);
    // A pending connection makes the listener readable.
    wasi.system.connect('127.0.0.1', wasi.listenPorts()[0]!);
    expect(w.poll_oneoff!(0, 1000, 1, 2000)).toBe(Errno.success);
    expect(mem.getBigUint64(1000, true)).toBe(1n);
    wasi.dispose();
  });
});

// ---- the C conformance guests ------------------------------------------------------------

interface Sidecar {
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  stdin?: string;
  exit_code?: number;
  stdout?: string;
}

const SIDECARS = import.meta.glob<Sidecar>('../guests/preview1/*.json', { eager: true, import: 'default' });

/**
 * Guests the memory backend does not pass yet, with the reason: the list
 * shared with the Node backend's conformance test (known-failing.ts). Each
 * runs as an expected failure, so a fix makes the test fail until the entry goes.
 */
const KNOWN_FAILING: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHARED_KNOWN_FAILING).flatMap(([name, why]) => (why.memory === undefined ? [] : [[name, why.memory]])),
);

/** The fixture directory as a tree (Node only: it holds symlinks). */
async function fixtureTree(dir: string): Promise<Tree> {
  const fsName = 'node:fs';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const root = new URL(`../guests/preview1/${dir}/`, import.meta.url);
  const tree: Record<string, Tree[string]> = {};
  const walk = (url: URL, prefix: string): void => {
    for (const e of fs.readdirSync(url, { withFileTypes: true })) {
      const u = new URL(e.name + (e.isDirectory() ? '/' : ''), url);
      const key = prefix + e.name;
      if (e.isSymbolicLink()) tree[key] = { symlink: fs.readlinkSync(u, 'utf8') };
      else if (e.isDirectory()) {
        tree[key + '/'] = null;
        walk(u, key + '/');
      } else tree[key] = new Uint8Array(fs.readFileSync(u));
    }
  };
  walk(root, '');
  return tree;
}

describe('memory WASI: the preview1 conformance guests (test/guests/preview1)', () => {
  const names = Object.keys(SIDECARS).map((p) => p.replace(/^.*\//, '').replace(/\.json$/, '')).sort();
  it('finds the sidecars, and every KNOWN_FAILING entry names one', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const g of Object.keys(KNOWN_FAILING)) expect(names).toContain(g);
  });
  for (const guest of names) {
    const sidecar = SIDECARS[`../guests/preview1/${guest}.json`]!;
    // Guests that preopen the fs-tests.dir fixture (whose symlinks a browser cannot read from the dev
    // server) run here in Node only; in Chromium conformance.browser.test.ts runs them from its manifest.
    if (sidecar.dirs?.length && !inNode) continue;
    const known = KNOWN_FAILING[guest];
    const test = known === undefined ? it : it.fails;
    test(`${guest}: exit code and stdout as its sidecar says${known ? ` (KNOWN FAILING: ${known})` : ''}`, async () => {
      const bytes = await repoFile(`test/guests/preview1/${guest}.wasm`);
      if (bytes === null) throw new Error(`test/guests/preview1/${guest}.wasm is missing or empty: run \`npm run build\``);
      const preopens: Record<string, Tree> = {};
      for (const d of sidecar.dirs ?? []) preopens[d] = await fixtureTree(d);
      const wasi = new WASI({
        args: [`${guest}.wasm`, ...(sidecar.args ?? [])], env: sidecar.env ?? {}, stdin: sidecar.stdin ?? '',
        preopens, seed: 1, epochNs: 1_700_000_000_000_000_000n,
      });
      const module = new WebAssembly.Module(bytes! as Uint8Array<ArrayBuffer>);
      let code: number;
      try {
        code = run(wasi, module);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        code = 134; // a trap, as `iolife run` and wasmtime report it
      }
      expect({ code, stdout: wasi.stdout() }).toEqual({ code: sidecar.exit_code ?? 0, stdout: sidecar.stdout ?? wasi.stdout() });
    });
  }
});

// ---- no Node in the browser build --------------------------------------------------------

const SOURCES = import.meta.glob<string>('../../host/**/*.ts', { eager: true, query: '?raw', import: 'default' });

describe('the "browser" export', () => {
  it('host/wasi/browser.ts imports no Node module, and nothing it reaches uses Buffer or process', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = SOURCES[file];
      if (src === undefined) {
        problems.push(`${file}: not found`);
        return;
      }
      const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const m of code.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.')) {
          visit(new URL(spec.replace(/\.js$/, '.ts'), `file:///x/${file.slice(6)}`).pathname.replace(/^\/x\//, '../../'));
        } else if (spec !== '#core-wasm' && spec !== '#host-wasm') {
          problems.push(`${file} imports ${spec}`);
        }
      }
      if (/\bBuffer\b|\bprocess\s*\./.test(code)) problems.push(`${file} uses Buffer or process`);
    };
    visit('../../host/wasi/browser.ts');
    expect(problems).toEqual([]);
    expect([...seen].filter((f) => f.includes('/os/memory/')).length).toBeGreaterThan(15);
    expect(seen.has('../../host/os/node/index.ts')).toBe(false);
  });
});

describe('package.json exports', () => {
  it('"iolife" resolves to the memory WASI under the "browser" condition, to the Node one otherwise; "iolife/memory" always to the memory one', async (ctx) => {
    if (!inNode) ctx.skip('resolution conditions are checked with Node');
    if ((await repoFile('build/host/wasi/browser.js')) === null) throw new Error('build/host is missing: run `npm run build`');
    const cpName = 'node:child_process';
    const { execFileSync } = (await import(/* @vite-ignore */ cpName)) as typeof import('node:child_process');
    const cwd = new URL('../../', import.meta.url);
    // A package may import itself by name: the exports map decides which file that is.
    const probe = (conditions: string[], spec: string): string => execFileSync(process.execPath, [
      ...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e',
      `const m = await import(${JSON.stringify(spec)}); console.log(typeof m.createMemoryOs, typeof m.WASI);`,
    ], { cwd, encoding: 'utf8' }).trim();
    expect(probe(['browser'], 'iolife')).toBe('function function');
    expect(probe([], 'iolife')).toBe('undefined function');
    expect(probe([], 'iolife/memory')).toBe('function function');
  });
});
