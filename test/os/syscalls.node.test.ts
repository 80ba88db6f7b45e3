/**
 * Syscall budget of openAt(), measured with strace attached to this very
 * process (skipped where strace is not installed or cannot attach).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeOs } from '../../host/os/node/index.js';
import { OpenFlags } from '../../host/os/types.js';
import { makeSandbox, type Sandbox } from './sandbox.js';

const HAS_STRACE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const N = 1_000;

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
  fs.mkdirSync(path.join(sb.box, 'a', 'b'), { recursive: true });
  fs.writeFileSync(path.join(sb.box, 'f'), 'f');
  fs.writeFileSync(path.join(sb.box, 'a', 'b', 'f'), 'f');
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

/** Count the file syscalls this process makes while `body` runs, per iteration, the closes of the opened fds not counted. */
async function countSyscalls(body: () => void): Promise<Record<string, number> | null> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-strace-'));
  const out = path.join(outDir, 'strace.txt');
  const child = spawn('strace', ['-f', '-c', '-o', out, '-e', 'trace=openat,open,statx,newfstatat,fstat,lstat,readlink,readlinkat,close', '-p', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const attached = await new Promise<boolean>((resolve) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/attached/.test(err)) resolve(true);
    });
    child.once('exit', () => resolve(false));
  });
  if (!attached) return null;
  try {
    body();
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  const counts: Record<string, number> = {};
  const report = fs.readFileSync(out, 'utf8');
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const line of report.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
    if (m && m[2] !== 'total') counts[m[2]!] = Number(m[1]) / N;
  }
  return counts;
}

describe.skipIf(!HAS_STRACE)('openAt() syscalls', () => {
  it('openAt(): costs one openat and one statx for a single-component file', async (ctx) => {
    const handles: unknown[] = [];
    const counts = await countSyscalls(() => {
      for (let i = 0; i < N; i++) handles.push(nodeOs.openAt(sb.root, 'f', true, OpenFlags.READ));
    });
    for (const h of handles) if (typeof h !== 'number') nodeOs.close(h as never);
    if (counts === null) return ctx.skip(); // strace could not attach (ptrace restricted)
    expect(counts.openat).toBeCloseTo(1, 1);
    expect(counts.statx ?? counts.fstat ?? counts.newfstatat).toBeCloseTo(1, 1);
    expect(counts.readlink ?? 0).toBeLessThan(0.05);
    expect(counts.close ?? 0).toBeLessThan(0.05);
  });

  it('openAt(): costs one openat and nothing else for a directory opened with DIRECTORY', async (ctx) => {
    const handles: unknown[] = [];
    const counts = await countSyscalls(() => {
      for (let i = 0; i < N; i++) handles.push(nodeOs.openAt(sb.root, 'a', true, OpenFlags.READ | OpenFlags.DIRECTORY));
    });
    for (const h of handles) if (typeof h !== 'number') nodeOs.close(h as never);
    if (counts === null) return ctx.skip();
    expect(counts.openat).toBeCloseTo(1, 1);
    expect((counts.statx ?? 0) + (counts.fstat ?? 0) + (counts.newfstatat ?? 0)).toBeLessThan(0.05);
  });

  it('openAt(): adds one openat(O_PATH) and one close per intermediate directory', async (ctx) => {
    const handles: unknown[] = [];
    const counts = await countSyscalls(() => {
      for (let i = 0; i < N; i++) handles.push(nodeOs.openAt(sb.root, 'a/b/f', true, OpenFlags.READ));
    });
    for (const h of handles) if (typeof h !== 'number') nodeOs.close(h as never);
    if (counts === null) return ctx.skip();
    expect(counts.openat).toBeCloseTo(3, 1);
    expect(counts.close).toBeCloseTo(2, 1);
    expect(counts.statx ?? counts.fstat ?? counts.newfstatat).toBeCloseTo(1, 1);
  });
});
