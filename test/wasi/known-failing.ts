/**
 * The one list of preview1 conformance guests (test/guests/preview1) that a
 * backend of iolife does not pass yet, with the reason per backend: the host
 * bug or limit, reported rather than hidden. Every test that checks the
 * guests against their sidecars reads it:
 *
 *   node    test/wasi/conformance.node.test.ts     (the Node backend, real files)
 *   memory  test/wasi/conformance.browser.test.ts  (the simulated OS, in Chromium)
 *           test/wasi/memory-wasi.test.ts          (the simulated OS, in Node)
 *
 * Each listed guest runs as an expected failure (it.fails), so fixing the
 * host makes the test fail until the entry is removed. No Node imports: the
 * browser tests import this file too.
 */
export type Backend = 'node' | 'memory';

export const KNOWN_FAILING: Readonly<Record<string, Readonly<Partial<Record<Backend, string>>>>> = {
};

/** Why `guest` is expected to fail on `backend`, or undefined if it must pass. */
export function knownFailing(guest: string, backend: Backend): string | undefined {
  return KNOWN_FAILING[guest]?.[backend];
}
