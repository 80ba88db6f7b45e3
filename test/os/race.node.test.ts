/**
 * TOCTOU: another process keeps swapping a directory inside the sandbox with
 * a symlink that points outside, while we resolve paths through it. The
 * walker opens each component with O_NOFOLLOW and never hands the OS a
 * joined path, so no open, stat or create may ever land outside.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { nodeOs } from '../../host/os/node/index.js';
import { Errno, errnoName, OpenFlags } from '../../host/os/types.js';
import { makeSandbox, type Sandbox } from './sandbox.js';

let sb: Sandbox;

beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

/** A child process swapping `box/a` between a real directory and a symlink to ../outside, for at most `ms`. */
async function startSwapper(box: string, ms: number): Promise<{ stop(): Promise<void> }> {
  const script = `
    const fs = require('node:fs');
    const [box, ms] = [process.argv[1], Number(process.argv[2])];
    const end = Date.now() + ms;
    process.stdout.write('r');
    const a = box + '/a', dir = box + '/a_dir', link = box + '/a_link';
    while (Date.now() < end) {
      try { fs.renameSync(dir, a); fs.renameSync(a, dir); fs.renameSync(link, a); fs.renameSync(a, link); } catch {}
    }
  `;
  const child = spawn(process.execPath, ['-e', script, box, String(ms)], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Wait until it is swapping.
  await new Promise<void>((resolve) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => resolve());
  });
  return {
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}

it('openAt() / statAt() / mkdirAt(): never reach outside while a directory is swapped with an escaping symlink', async () => {
  fs.mkdirSync(path.join(sb.box, 'a_dir'));
  fs.writeFileSync(path.join(sb.box, 'a_dir', 'sentinel'), 'inside');
  fs.symlinkSync('../outside', path.join(sb.box, 'a_link'));
  const outsideIno = fs.statSync(path.join(sb.outside, 'sentinel'), { bigint: true }).ino;
  const swapper = await startSwapper(sb.box, 20_000);
  const seen = new Map<string, number>();
  const count = (k: string): void => void seen.set(k, (seen.get(k) ?? 0) + 1);
  try {
    const buf = new Uint8Array(64);
    for (let i = 0; i < 3_000; i++) {
      const r = nodeOs.openAt(sb.root, 'a/sentinel', true, OpenFlags.READ);
      if (typeof r === 'number') {
        count(`open:${errnoName(r)}`);
      } else {
        const n = nodeOs.pread(r, [buf], 0n);
        nodeOs.close(r);
        expect(Buffer.from(buf.subarray(0, n)).toString()).toBe('inside');
        count('open:ok');
      }
      const s = nodeOs.statAt(sb.root, 'a/sentinel', true);
      if (typeof s === 'number') count(`stat:${errnoName(s)}`);
      else expect(s.ino).not.toBe(outsideIno);
      const c = nodeOs.openAt(sb.root, 'a/created', true, OpenFlags.WRITE | OpenFlags.CREAT);
      if (typeof c !== 'number') nodeOs.close(c);
      // A directory made inside may be left behind when `a` moves away in between: fine.
      if (nodeOs.mkdirAt(sb.root, 'a/newdir') === Errno.success) nodeOs.rmdirAt(sb.root, 'a/newdir');
    }
  } finally {
    await swapper.stop();
  }
  // Every failure is one a guest may legitimately see during such a race
  // (notdir: `a` was a symlink when opened, no longer one when read).
  const allowed = ['ok', 'noent', 'notdir', 'notcapable'].flatMap((e) => [`open:${e}`, `stat:${e}`]);
  for (const key of seen.keys()) expect(allowed).toContain(key);
  // The race was really run: both states of `a` were seen.
  expect(seen.get('open:ok') ?? 0).toBeGreaterThan(0);
  expect(seen.get('open:notcapable') ?? 0).toBeGreaterThan(0);
  expect(fs.existsSync(path.join(sb.outside, 'created'))).toBe(false);
  expect(fs.existsSync(path.join(sb.outside, 'newdir'))).toBe(false);
}, 60_000);
