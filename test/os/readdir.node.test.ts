/**
 * readdir() of the Node backend: `.` and `..` first, cookies, O(1)
 * sequential reads, re-reading the last entry, rewinds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeOs, type NodeHandle } from '../../host/os/node/index.js';
import { type DirEntry, Errno, FileType, OpenFlags } from '../../host/os/types.js';
import { expectErrno, makeSandbox, type Sandbox } from './sandbox.js';

let sb: Sandbox;
let root: NodeHandle;
const p = (...parts: string[]): string => path.join(sb.box, ...parts);

beforeEach(() => {
  sb = makeSandbox();
  root = sb.root;
});
afterEach(() => {
  sb.assertOutsideUntouched();
  sb.dispose();
});

function readAll(dir: NodeHandle): DirEntry[] {
  const out: DirEntry[] = [];
  for (let cookie = 0n; ; ) {
    const e = nodeOs.readdir(dir, cookie);
    if (e === null) return out;
    if (typeof e === 'number') throw new Error(`readdir ${e}`);
    out.push(e);
    cookie = e.next;
  }
}

describe('readdir()', () => {
  it('readdir(): lists `.`, `..` and every entry with its type and inode', () => {
    fs.writeFileSync(p('f'), '');
    fs.mkdirSync(p('d'));
    fs.symlinkSync('f', p('l'));
    const entries = readAll(root);
    expect(entries.slice(0, 2).map((e) => e.name)).toEqual(['.', '..']);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).toEqual(['.', '..', 'd', 'f', 'l']);
    expect(byName.get('f')!.type).toBe(FileType.regularFile);
    expect(byName.get('d')!.type).toBe(FileType.directory);
    expect(byName.get('l')!.type).toBe(FileType.symbolicLink);
    expect(byName.get('.')!.type).toBe(FileType.directory);
    expect(byName.get('f')!.ino).toBe(fs.lstatSync(p('f'), { bigint: true }).ino);
    expect(byName.get('.')!.ino).toBe(fs.statSync(sb.box, { bigint: true }).ino);
    // `..` is reported as the directory itself: the parent (outside) is never looked at.
    expect(byName.get('..')!.ino).toBe(byName.get('.')!.ino);
    entries.forEach((e, i) => expect(e.next).toBe(BigInt(i + 1)));
  });

  it('readdir(): reports `..` of a subdirectory with its own inode, never looking at the parent', () => {
    fs.mkdirSync(p('sub'));
    const d = nodeOs.openAt(root, 'sub', true, OpenFlags.READ | OpenFlags.DIRECTORY);
    if (typeof d === 'number') throw new Error('open');
    const entries = readAll(d);
    expect(entries.map((e) => e.name)).toEqual(['.', '..']);
    expect(entries[1]!.ino).toBe(fs.statSync(p('sub'), { bigint: true }).ino);
    nodeOs.close(d);
  });

  it('readdir(): returns the last entry again in O(1) when its cookie is asked twice', () => {
    for (let i = 0; i < 10; i++) fs.writeFileSync(p(`f${i}`), '');
    const a = nodeOs.readdir(root, 0n);
    const b = nodeOs.readdir(root, 1n);
    const c = nodeOs.readdir(root, 2n);
    const again = nodeOs.readdir(root, 2n);
    expect(again).toBe(c);
    expect([a, b].map((e) => (e as DirEntry).name)).toEqual(['.', '..']);
    const d = nodeOs.readdir(root, 3n) as DirEntry;
    expect(d.name).not.toBe((c as DirEntry).name);
  });

  it('readdir(): rewinds for an earlier cookie and skips for a later one', () => {
    for (let i = 0; i < 50; i++) fs.writeFileSync(p(`f${i}`), '');
    const all = readAll(root).map((e) => e.name);
    expect(all.length).toBe(52);
    expect((nodeOs.readdir(root, 10n) as DirEntry).name).toBe(all[10]);
    expect((nodeOs.readdir(root, 30n) as DirEntry).name).toBe(all[30]);
    expect((nodeOs.readdir(root, 5n) as DirEntry).name).toBe(all[5]);
    expect(nodeOs.readdir(root, 52n)).toBe(null);
    expect(nodeOs.readdir(root, 1000n)).toBe(null);
    expect(readAll(root).map((e) => e.name)).toEqual(all);
    expectErrno(nodeOs.readdir(root, -1n), Errno.inval);
  });

  it('readdir(): reads 2,000 entries in order without re-reading the directory per call', () => {
    fs.mkdirSync(p('big'));
    for (let i = 0; i < 2_000; i++) fs.writeFileSync(p('big', `entry-${i}`), '');
    const d = nodeOs.openAt(root, 'big', true, OpenFlags.READ | OpenFlags.DIRECTORY);
    if (typeof d === 'number') throw new Error('open');
    const t0 = performance.now();
    const n = readAll(d).length;
    const ms = performance.now() - t0;
    expect(n).toBe(2_002);
    // Re-reading the directory per call would be ~2e6 entry reads (and lstats).
    expect(ms).toBeLessThan(2_000);
    nodeOs.close(d);
  });

  it('readdir(): refuses a non-directory handle with notdir and a closed one with badf', () => {
    fs.writeFileSync(p('f'), '');
    const h = nodeOs.openAt(root, 'f', true, OpenFlags.READ);
    if (typeof h === 'number') throw new Error('open');
    expectErrno(nodeOs.readdir(h, 0n), Errno.notdir);
    nodeOs.close(h);
    expectErrno(nodeOs.readdir(h, 0n), Errno.badf);
  });
});
