/**
 * Differential test at the WASI level: every preview1 conformance guest
 * (test/guests/preview1) runs on the Node backend (host/wasi/node.ts, a real
 * temporary copy of the fs-tests.dir fixture, as conformance.node.test.ts
 * runs it) and on the simulated OS (host/wasi/browser.ts, the same fixture
 * as a tree), and everything the guest can observe must be the same: each
 * WASI call in order with its arguments, result and errno, the bytes it
 * wrote into the guest's memory (normalised where the backends legitimately
 * differ: inode numbers, times, random bytes, directory order; see
 * observe.ts), then the exit code or trap, stdout and stderr.
 *
 * A difference fails with the first diverging call: its index and both
 * backends' lines, after the calls that led to it.
 *
 * Guests whose observations legitimately differ are listed in TRACES_DIFFER
 * with the reason; the test asserts they still differ, so the list cannot
 * go stale.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeManifest } from '../../scripts/build-browser-guests.mjs';
import { PREVIEW1, cFilesUnder, moduleFor, readSidecar, runGuest } from './guests.js';
import { runOnMemory, treeOfManifest } from './memory-guests.js';
import { CallRecorder, firstDifference } from './observe.js';

/**
 * Guests whose observations differ between the backends for a stated reason:
 * guest → reason. None at present (fd_filestat_set_times-nanoseconds was one
 * until the Node backend set times with utimensat instead of libuv's
 * microseconds).
 */
const TRACES_DIFFER: Readonly<Record<string, string>> = {
};

/** Calls shown before the first difference, for context. */
const CONTEXT = 4;

interface Observation {
  calls: string[];
  outcome: string;
  stdout: string;
  stderr: string;
}

const fixture = treeOfManifest(treeManifest(path.join(PREVIEW1, 'fs-tests.dir')));

function onNode(cPath: string): Observation {
  const rec = new CallRecorder();
  const r = runGuest(cPath, 'iolife', readSidecar(cPath), { trace: rec.trace, wrapImports: rec.wrapImports });
  return { calls: rec.calls, outcome: r.trap === null ? `exit ${r.exitCode}` : `trap ${r.trap}`, stdout: r.stdout, stderr: r.stderr };
}

function onMemory(cPath: string, name: string): Observation {
  const rec = new CallRecorder();
  const r = runOnMemory(name, moduleFor(cPath), readSidecar(cPath), { 'fs-tests.dir': fixture }, {
    trace: rec.trace, wrapImports: rec.wrapImports, stdio: 'files',
  });
  return { calls: rec.calls, outcome: r.trap === null ? `exit ${r.exitCode}` : `trap ${r.trap}`, stdout: r.stdout, stderr: r.stderr };
}

/** The first thing the guest could tell apart between the two runs, or null. */
function divergence(node: Observation, memory: Observation): string | null {
  const i = firstDifference(node.calls, memory.calls);
  if (i >= 0) {
    const before = node.calls.slice(Math.max(0, i - CONTEXT), i).map((l, k) => `  #${i - Math.min(i, CONTEXT) + k}  ${l}`);
    return [
      `call #${i} differs (of ${node.calls.length} on node, ${memory.calls.length} on memory)`,
      ...(before.length ? ['after:', ...before] : []),
      `  node:   ${node.calls[i] ?? '(no more calls)'}`,
      `  memory: ${memory.calls[i] ?? '(no more calls)'}`,
    ].join('\n');
  }
  for (const key of ['outcome', 'stdout', 'stderr'] as const) {
    if (node[key] !== memory[key]) {
      return `the calls agree (${node.calls.length}), but ${key} differs:\n  node:   ${JSON.stringify(node[key])}\n  memory: ${JSON.stringify(memory[key])}`;
    }
  }
  return null;
}

const PROGRAMS = cFilesUnder(PREVIEW1).map((rel) => rel.replace(/\.c$/, ''));

describe('preview1 guests: the Node backend and the simulated OS observe the same', () => {
  for (const name of PROGRAMS) {
    const cPath = path.join(PREVIEW1, `${name}.c`);
    const reason = TRACES_DIFFER[name];
    if (reason === undefined) {
      it(`${name}: every call, result and write, then the exit and output, are the same`, () => {
        const d = divergence(onNode(cPath), onMemory(cPath, name));
        expect(d, d ?? '').toBeNull();
      });
    } else {
      it(`${name}: differs (${reason})`, () => {
        const d = divergence(onNode(cPath), onMemory(cPath, name));
        expect(d, `${name} no longer differs: remove it from TRACES_DIFFER`).not.toBeNull();
      });
    }
  }

  it('every TRACES_DIFFER entry names a guest and gives a reason', () => {
    for (const [name, reason] of Object.entries(TRACES_DIFFER)) {
      expect(PROGRAMS, `${name} is not a guest`).toContain(name);
      expect(reason.trim().length, `${name} needs a reason`).toBeGreaterThan(10);
    }
  });
});

describe('the observer', () => {
  it('catches a difference in what a call writes, naming the call (fd_read-stdin with one byte of stdin changed)', () => {
    const name = 'fd_read-stdin';
    const cPath = path.join(PREVIEW1, `${name}.c`);
    const sidecar = readSidecar(cPath);
    expect(sidecar.stdin?.length).toBeGreaterThan(1);
    const run = (stdin: string): Observation => {
      const rec = new CallRecorder();
      const r = runOnMemory(name, moduleFor(cPath), { ...sidecar, stdin }, {}, { trace: rec.trace, wrapImports: rec.wrapImports, stdio: 'files' });
      return { calls: rec.calls, outcome: `exit ${r.exitCode}`, stdout: r.stdout, stderr: r.stderr };
    };
    const changed = sidecar.stdin!.slice(0, -1) + (sidecar.stdin!.endsWith('x') ? 'y' : 'x');
    const d = divergence(run(sidecar.stdin!), run(changed));
    expect(d).toMatch(/^call #\d+ differs/);
    expect(d).toMatch(/\n  node: {3}fd_read\(0, .*\n  memory: fd_read\(0, /);
  });

  it('firstDifference(): the index of the first differing call, a missing call included; -1 when equal', () => {
    expect(firstDifference(['a', 'b'], ['a', 'b'])).toBe(-1);
    expect(firstDifference(['a', 'b'], ['a', 'c'])).toBe(1);
    expect(firstDifference(['a'], ['a', 'b'])).toBe(1);
  });

  it('a difference names the first diverging call with both lines', () => {
    const node = { calls: ['x() = 0', 'fd_close(9) = 8 (badf)'], outcome: 'exit 0', stdout: '', stderr: '' };
    const memory = { ...node, calls: ['x() = 0', 'fd_close(9) = 0'] };
    expect(divergence(node, memory)).toBe(
      'call #1 differs (of 2 on node, 2 on memory)\nafter:\n  #0  x() = 0\n  node:   fd_close(9) = 8 (badf)\n  memory: fd_close(9) = 0',
    );
    expect(divergence(node, { ...node, stdout: 'x' })).toMatch(/^the calls agree \(2\), but stdout differs/);
    expect(divergence(node, node)).toBeNull();
  });
});
