/**
 * The example guest (examples/notes → build/examples/notes.wasm) and the
 * `iolife run` CLI, end to end: every case spawns `node bin/iolife.mjs` as a
 * user would, and checks its exit code, stdout and stderr.
 *
 * Exit codes (host/cli.ts): 0 or the guest's own; 2 for a bad command line;
 * 1 for a module that cannot be loaded or instantiated; 134 for a trap.
 * Needs `npm run build` (npm test does it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'bin/iolife.mjs');
const NOTES = path.join(ROOT, 'build/examples/notes.wasm');
const DATA = path.join(ROOT, 'examples/notes/data');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function iolife(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Every path under `dir` (except `skip`) with its type, size, mode, mtime and
 * contents; `writable`'s own mtime is left out (creating log.txt changes it).
 */
function snapshot(dir: string, skip: (p: string) => boolean, writable: string): string {
  const lines: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (skip(p)) continue;
      const s = fs.lstatSync(p, { bigint: true });
      const body = s.isFile() ? fs.readFileSync(p, 'latin1') : s.isSymbolicLink() ? fs.readlinkSync(p) : '';
      const mtime = p === writable ? '-' : s.mtimeNs;
      lines.push(`${path.relative(dir, p)} ${s.mode.toString(8)} ${s.size} ${mtime} ${JSON.stringify(body)}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return lines.join('\n');
}

// --- tiny hand-assembled modules (no wabt, no compiler) ----------------------

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const I32 = 0x7f;

/**
 * A command that writes `message` to stdout with fd_write, then executes
 * `unreachable` in a function named "explode" (so the trap's stack names it).
 */
function trappingGuest(message: string): Uint8Array {
  const types = section(1, vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])], // fd_write
    [0x60, 0, 0], // () -> ()
  ]));
  const imports = section(2, vec([[...name('wasi_snapshot_preview1'), ...name('fd_write'), 0x00, 0]]));
  const funcs = section(3, vec([[1], [1]])); // func 1 = _start, func 2 = explode
  const memory = section(5, vec([[0x00, 1]]));
  const exports = section(7, vec([[...name('_start'), 0x00, 1], [...name('memory'), 0x02, 0]]));
  // _start: fd_write(1, iovs=0, 1, nwritten=8); drop; call explode
  const start = [0, 0x41, 1, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a, 0x10, 2, 0x0b];
  const explode = [0, 0x00, 0x0b];
  const code = section(10, vec([[...leb(start.length), ...start], [...leb(explode.length), ...explode]]));
  // memory[0..8) = iovec { buf: 16, len }, the message at 16
  const msg = [...Buffer.from(message, 'utf8')];
  const init = [16, 0, 0, 0, ...new Uint8Array(new Uint32Array([msg.length]).buffer), 0, 0, 0, 0, 0, 0, 0, 0, ...msg];
  const data = section(11, vec([[0x00, 0x41, 0, 0x0b, ...vec(init.map((b) => [b]))]]));
  const names = section(0, [...name('name'), ...section(1, vec([[1, ...name('_start')], [2, ...name('explode')]]))]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...memory, ...exports, ...code, ...data, ...names]);
}

/** A valid module with a memory and no _start. */
function reactorWithoutStart(): Uint8Array {
  const memory = section(5, vec([[0x00, 1]]));
  const exports = section(7, vec([[...name('memory'), 0x02, 0]]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...memory, ...exports]);
}

// ------------------------------------------------------------------------------

let tmp: string;

beforeAll(() => {
  if (!fs.existsSync(NOTES) || !fs.existsSync(path.join(ROOT, 'build/host/cli.js'))) {
    throw new Error('build/examples/notes.wasm or build/host is missing: run `npm run build` first (npm test does)');
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-example-'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the notes example under iolife run', () => {
  /** tmp/<case>/notes (a copy of the data, preopened) beside tmp/<case>/outside (must stay untouched). */
  function setUp(label: string) {
    const base = fs.mkdtempSync(path.join(tmp, `${label}-`));
    const notes = path.join(base, 'notes');
    fs.cpSync(DATA, notes, { recursive: true });
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'do not read me\n');
    fs.writeFileSync(path.join(base, 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    const log = path.join(notes, 'log.txt');
    const before = snapshot(base, (p) => p === log, notes);
    return { base, notes, log, assertOutsideUntouched: () => expect(snapshot(base, (p) => p === log, notes)).toBe(before) };
  }

  it('lists and counts the .txt files, appends a dated line to log.txt, and is refused outside /notes', () => {
    const box = setUp('run');
    const t0 = Date.now();
    const r = iolife('run', '--dir', `${box.notes}::/notes`, NOTES, 'hello', 'test');
    const t1 = Date.now();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('arguments: hello test\n');
    expect(out).toMatch(/^ {2}fd 3 {2}\/notes$/m);
    expect(out).toContain('/notes has 3 entries:\n');
    // the same numbers as wc(1) on examples/notes/data
    expect(out).toMatch(/^ {2}groceries\.txt +4 lines +11 words +53 bytes$/m);
    expect(out).toMatch(/^ {2}ideas\.txt +3 lines +30 words +178 bytes$/m);
    expect(out).toMatch(/^ {2}todo\.txt +5 lines +23 words +106 bytes$/m);
    expect(out).toContain('3 text files: 12 lines, 64 words in all\n');
    expect(out).toMatch(/^ {2}\/notes\/\.\.\/\.\.\/etc\/passwd +refused: notcapable \(errno 76\)/m);
    expect(out).toMatch(/^ {2}\/etc\/passwd +refused: notcapable \(errno 76\)/m);
    expect(out).not.toContain('OPENED');
    expect(out).toContain('done: everything outside /notes stayed out of reach.\n');

    // The appended line reached the host copy, dated by the guest's realtime clock.
    const log = fs.readFileSync(box.log, 'utf8');
    const m = /^(\S+) notes ran with arguments: hello test\n$/.exec(log);
    expect(m, log).not.toBeNull();
    const when = Date.parse(m![1]!);
    expect(when).toBeGreaterThanOrEqual(t0 - 1000);
    expect(when).toBeLessThanOrEqual(t1 + 1000);
    expect(out).toContain(`appended to /notes/log.txt: ${log.trimEnd()}\n`);

    // A second run appends (O_APPEND), and now counts log.txt too.
    const again = iolife('run', '--dir', `${box.notes}::/notes`, NOTES);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('/notes has 4 entries:\n');
    expect(again.stdout).toMatch(new RegExp(`^ {2}log\\.txt +1 line +7 words +${Buffer.byteLength(log)} bytes$`, 'm'));
    const lines = fs.readFileSync(box.log, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(log.trimEnd());
    expect(lines[1]).toMatch(/ notes ran with no arguments$/);

    // Nothing but log.txt changed: the data files, the outside directory, the decoy passwd.
    box.assertOutsideUntouched();
    for (const f of fs.readdirSync(DATA)) {
      expect(fs.readFileSync(path.join(box.notes, f), 'utf8')).toBe(fs.readFileSync(path.join(DATA, f), 'utf8'));
    }
    expect(fs.existsSync(path.join(DATA, 'log.txt'))).toBe(false);
  });

  it('passes everything after the program to the guest, flags included', () => {
    const box = setUp('args');
    const r = iolife('run', '--dir', `${box.notes}::/notes`, NOTES, '--bogus', '--dir', 'x');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('arguments: --bogus --dir x\n');
  });

  it('grants nothing by default: without --dir the guest finds no /notes and exits 1', () => {
    const r = iolife('run', NOTES);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('preopened directories:\n  (none)\n');
    expect(r.stdout).toContain('error: no preopened directory /notes');
  });

  it('--trace prints one line per WASI call to stderr', () => {
    const box = setUp('trace');
    const r = iolife('run', '--trace', '--dir', `${box.notes}::/notes`, NOTES);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 text files');
    const trace = r.stderr.split('\n').filter(Boolean);
    expect(trace.length).toBeGreaterThan(10);
    for (const line of trace) expect(line).toMatch(/^\[wasi\] [a-z_0-9]+\(.*\) (= \d+( \([a-z0-9]+\))?|-> exit \d+)$/);
    expect(r.stderr).toMatch(/^\[wasi\] fd_write\(1, \d+, \d+, \d+\) = 0$/m);
    expect(r.stderr).toMatch(/^\[wasi\] fd_prestat_get\(3, \d+\) = 0$/m);
    expect(r.stderr).toMatch(/^\[wasi\] fd_prestat_get\(4, \d+\) = 8 \(badf\)$/m);
    expect(r.stderr).toMatch(/^\[wasi\] fd_readdir\(3, \d+, 4096, 0, \d+\) = 0$/m);
    expect(r.stderr).toMatch(/^\[wasi\] clock_time_get\(0, \d+, \d+\) = 0$/m);
    // the two escape attempts
    expect(r.stderr.match(/^\[wasi\] path_open\(3, .*\) = 76 \(notcapable\)$/gm)).toHaveLength(2);
  });
});

describe('scripts/run-example.mjs (what npm start runs after the build)', () => {
  it('runs the guest on a fresh copy in build/notes-data and leaves examples/ clean', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/run-example.mjs'), 'from', 'the', 'test'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ node bin/iolife.mjs run --dir build/notes-data::/notes build/examples/notes.wasm from the test\n');
    expect(r.stdout).toContain('/notes has 3 entries:\n');
    expect(r.stdout).toMatch(/\(host side\) build\/notes-data\/log\.txt now reads:\n {2}\S+ notes ran with arguments: from the test\n$/);
    expect(fs.existsSync(path.join(DATA, 'log.txt'))).toBe(false);
  });
});

describe('iolife run: the command line', () => {
  it('--help and -h print the usage and exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = iolife(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: iolife run \[options\] <program.wasm> \[args...\]\n/);
      expect(r.stdout).toContain('--dir HOST[::GUEST]');
      expect(r.stderr).toBe('');
    }
  });

  it.each([
    [['run', '--bogus', 'x.wasm'], /^iolife: unknown option '--bogus'$/],
    [['run', '-x', 'x.wasm'], /^iolife: unknown option '-x'$/],
    [['run', '--trace=yes', 'x.wasm'], /'--trace' does not take an argument/],
    [['run', '--dir'], /--dir.*(argument missing|expects)/],
    [['run', '--dir', '::/notes', 'x.wasm'], /--dir expects HOST or HOST::GUEST, got '::\/notes'/],
    [['run', '--fd-numbering', 'weird', 'x.wasm'], /--fd-numbering expects generational or lowest, got 'weird'/],
    [['run', '--env', 'NOEQUALS', 'x.wasm'], /--env expects NAME=VALUE, got 'NOEQUALS'/],
    [['run', '--env', '=value', 'x.wasm'], /--env expects NAME=VALUE, got '=value'/],
    [['run'], /missing program\.wasm/],
    [[], /missing command \(run\)/],
    [['launch', 'x.wasm'], /unknown command 'launch'/],
  ])('%j exits 2 with a clear message and the usage', (args, message) => {
    const r = iolife(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^iolife: /);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).toContain('usage: iolife run');
  });
});

describe('iolife run: modules that cannot run exit 1 with a clear message', () => {
  function file(label: string, bytes: Uint8Array): string {
    const p = path.join(tmp, label);
    fs.writeFileSync(p, bytes);
    return p;
  }

  it('random bytes', () => {
    let seed = 12345;
    const bytes = Uint8Array.from({ length: 256 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const p = file('random.wasm', bytes);
    const r = iolife('run', p);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^iolife: cannot load ${p}: .*magic`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a truncated module', () => {
    const p = file('truncated.wasm', fs.readFileSync(NOTES).subarray(0, 100));
    const r = iolife('run', p);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^iolife: cannot load ${p}: \\S.*`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file', () => {
    const p = path.join(tmp, 'no-such-program.wasm');
    const r = iolife('run', p);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^iolife: cannot load ${p}: ENOENT`));
  });

  it('a valid module that is not a command (no _start)', () => {
    const p = file('reactor.wasm', reactorWithoutStart());
    expect(WebAssembly.validate(fs.readFileSync(p))).toBe(true);
    const r = iolife('run', p);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^iolife: .*_start/);
  });

  it('a --dir that does not exist', () => {
    const r = iolife('run', '--dir', `${path.join(tmp, 'nowhere')}::/notes`, NOTES);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^iolife: .*ENOENT.*nowhere/);
  });
});

describe('iolife run: a guest that traps', () => {
  it('exits 134 with a readable message naming the trap and the function, after the output it wrote', () => {
    const bytes = trappingGuest('about to trap\n');
    expect(WebAssembly.validate(bytes)).toBe(true);
    const p = path.join(tmp, 'trap.wasm');
    fs.writeFileSync(p, bytes);
    const r = iolife('run', p);
    expect(r.code).toBe(134);
    expect(r.stdout).toBe('about to trap\n');
    expect(r.stderr).toMatch(new RegExp(`^iolife: ${p} trapped: unreachable\n`));
    expect(r.stderr).toContain('explode');
  });
});
