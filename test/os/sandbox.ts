/**
 * Test helpers for the Node OS backend: a real temporary directory holding a
 * sandbox root (`box/`, preopened) next to things that must stay untouched
 * (`outside/`, `secret`), and a snapshot of everything outside the box.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { preopenDir, nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { Errno, errnoName } from '../../host/os/types.js';

export interface Sandbox {
  /** The temp directory holding everything. */
  tmp: string;
  /** Host path of the sandbox root. */
  box: string;
  /** Host path of a directory outside the sandbox, with a `sentinel` file. */
  outside: string;
  /** The preopened handle of `box`. */
  root: NodeHandle;
  /** Snapshot of everything outside `box`, taken at creation. */
  before: string;
  /** Assert nothing outside `box` changed since creation. */
  assertOutsideUntouched(): void;
  /** Close the root and remove the temp directory. */
  dispose(): void;
}

/** Every path under `tmp` except `box/`, with type, size, mode, mtime and contents. */
export function snapshotOutside(tmp: string, box: string): string {
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (p === box) continue;
      const s = fs.lstatSync(p, { bigint: true });
      let extra = '';
      if (s.isFile()) extra = fs.readFileSync(p, 'latin1');
      else if (s.isSymbolicLink()) extra = fs.readlinkSync(p);
      lines.push(`${path.relative(tmp, p)} mode=${s.mode} size=${s.size} mtime=${s.mtimeNs} nlink=${s.nlink} ${extra}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(tmp);
  return lines.join('\n');
}

export function makeSandbox(): Sandbox {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iolife-os-'));
  const box = path.join(tmp, 'box');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(box);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'sentinel'), 'do not touch');
  fs.writeFileSync(path.join(tmp, 'secret'), 'top secret');
  const before = snapshotOutside(tmp, box);
  const root = preopenDir(box);
  return {
    tmp,
    box,
    outside,
    root,
    before,
    assertOutsideUntouched() {
      expect(snapshotOutside(tmp, box)).toBe(before);
    },
    dispose() {
      if (root.open) nodeOs.close(root);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Compare errnos by name, for readable failures. */
export function expectErrno(actual: unknown, expected: Errno): void {
  expect(typeof actual === 'number' ? errnoName(actual) : actual).toBe(errnoName(expected));
}

/** Number of open descriptors of this process. */
export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}
