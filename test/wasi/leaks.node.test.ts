/**
 * Descriptor leaks across whole programs: every OS descriptor a guest makes
 * the host open (files, directories, directory streams, renumbered and
 * unlinked files) must be closed when the program ends, however it ends:
 * a trap (its own `unreachable`, or a stack overflow raised by the engine),
 * proc_exit, or a return from main with everything still open.
 *
 * The guests of test/guests/leaks/ do exactly that; each also has a sidecar,
 * checked on every run. The count of /proc/self/fd is taken before and after
 * hundreds of runs (plus one run of every preview1 conformance guest) and
 * must come back to where it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAKS, PREVIEW1, TRAP_EXIT_CODE, cFilesUnder, readSidecar, runGuest } from './guests.js';

/** Open descriptors of this process. */
function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

const LEAK_GUESTS = cFilesUnder(LEAKS).map((rel) => path.join(LEAKS, rel));
const RUNS = 240;

describe('descriptor leaks', () => {
  it('every leak guest ends as its sidecar says (trap = exit code 134)', () => {
    expect(LEAK_GUESTS.length).toBeGreaterThanOrEqual(4);
    for (const c of LEAK_GUESTS) {
      const sc = readSidecar(c);
      const r = runGuest(c, 'iolife', sc);
      expect({ exit_code: r.exitCode ?? TRAP_EXIT_CODE, stdout: r.stdout }, `${path.basename(c)}\n${r.stderr}`)
        .toEqual({ exit_code: sc.exit_code, stdout: sc.stdout });
    }
  });

  it(`WASI.start(): leaves as many descriptors open as before, after ${RUNS} runs of guests that trap, proc_exit or return holding files`, () => {
    // Warm up: lazily loaded modules, the compiled modules' cache.
    for (const c of LEAK_GUESTS) runGuest(c, 'iolife');
    const before = openFdCount();
    const outcomes = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) {
      const c = LEAK_GUESTS[i % LEAK_GUESTS.length]!;
      const r = runGuest(c, 'iolife');
      const key = `${path.basename(c)} -> ${r.trap === null ? `exit ${r.exitCode}` : 'trap'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect(openFdCount(), `descriptors open after the runs (${[...outcomes].map(([k, n]) => `${k} x${n}`).join(', ')})`)
      .toBe(before);
    // Every way of ending happened.
    expect([...outcomes.keys()].some((k) => k.endsWith('trap'))).toBe(true);
    expect([...outcomes.keys()].some((k) => k.endsWith('exit 3'))).toBe(true);
    expect([...outcomes.keys()].some((k) => k.endsWith('exit 0'))).toBe(true);
  });

  it('WASI.start(): leaves as many descriptors open as before, after one run of every preview1 conformance guest', () => {
    const guests = cFilesUnder(PREVIEW1).map((rel) => path.join(PREVIEW1, rel));
    for (const c of guests.slice(0, 3)) runGuest(c, 'iolife');
    const before = openFdCount();
    for (const c of guests) runGuest(c, 'iolife');
    expect(openFdCount()).toBe(before);
  });
});
