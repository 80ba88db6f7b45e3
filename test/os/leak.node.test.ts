/**
 * Descriptor leaks: every directory a walk opens must be closed, on success
 * and on every error path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { OpenFlags } from '../../host/os/types.js';
import { makeSandbox, openFdCount, type Sandbox } from './sandbox.js';

let sb: Sandbox;
let root: NodeHandle;

beforeEach(() => {
  sb = makeSandbox();
  root = sb.root;
  const p = (...parts: string[]): string => path.join(sb.box, ...parts);
  fs.mkdirSync(p('a', 'b', 'c'), { recursive: true });
  fs.writeFileSync(p('a', 'b', 'c', 'f'), 'f');
  fs.symlinkSync('a/b', p('mid'));
  fs.symlinkSync('../../..', p('a', 'b', 'up3'));
  fs.symlinkSync('la2', p('la1'));
  fs.symlinkSync('la1', p('la2'));
  fs.symlinkSync('/etc', p('etc'));
  fs.symlinkSync('.', p('dot'));
  fs.symlinkSync('dot/..', p('esc'));
  fs.mkdirSync(p('d'));
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

const PATHS = [
  'a/b/c/f', // ok
  'mid/c/f', // ok through a symlink
  'a/b/c/nope', // noent at the end
  'a/b/nope/f', // noent in the middle
  'a/b/c/f/x', // notdir in the middle, after 3 opened dirs
  'a/b/c/../../../..', // escape after 3 opened dirs
  'a/b/up3/secret', // escape through a symlink after 2 opened dirs
  'a/b/c/../../../la1/x', // loop after opening dirs
  'a/b/etc/passwd', // noent
  'a/../etc/passwd', // absolute target
  'esc/x', // dot/..
  'a/b/c/f\0', // NUL
];

it('openAt() / statAt() / mkdirAt() ...: leave as many descriptors open as before, after 1,000 resolutions including failing ones', () => {
  // Warm up (lazy module state, Node internals) before counting.
  for (const rel of PATHS) nodeOs.statAt(root, rel, true);
  const before = openFdCount();
  let failures = 0;
  for (let i = 0; i < 1_000; i++) {
    const rel = PATHS[i % PATHS.length]!;
    const follow = i % 2 === 0;
    switch (i % 6) {
      case 0: {
        const r = nodeOs.openAt(root, rel, follow, OpenFlags.READ);
        if (typeof r === 'number') failures++;
        else nodeOs.close(r);
        break;
      }
      case 1:
        if (typeof nodeOs.statAt(root, rel, follow) === 'number') failures++;
        break;
      case 2:
        if (nodeOs.mkdirAt(root, `${rel}-new`) !== 0) failures++;
        else nodeOs.rmdirAt(root, `${rel}-new`);
        break;
      case 3:
        if (nodeOs.renameAt(root, rel, root, `d/${i}`) !== 0) failures++;
        else nodeOs.renameAt(root, `d/${i}`, root, rel);
        break;
      case 4:
        if (nodeOs.linkAt(root, rel, follow, root, `d/l${i}`) !== 0) failures++;
        else nodeOs.unlinkAt(root, `d/l${i}`);
        break;
      case 5:
        if (typeof nodeOs.readlinkAt(root, rel) === 'number') failures++;
        break;
    }
  }
  expect(failures).toBeGreaterThan(500);
  expect(openFdCount()).toBe(before);
});

it('readdir(): closes its stream with the handle', () => {
  const before = openFdCount();
  for (let i = 0; i < 100; i++) {
    const d = nodeOs.openAt(root, 'a', true, OpenFlags.READ | OpenFlags.DIRECTORY);
    if (typeof d === 'number') throw new Error('open');
    expect(nodeOs.readdir(d, 2n)).not.toBe(null);
    nodeOs.close(d);
  }
  expect(openFdCount()).toBe(before);
});
