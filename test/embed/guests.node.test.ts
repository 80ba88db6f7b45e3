/**
 * The guest programs of test/guests/embed/ are run by the embedding tests
 * (test/embed/*.node.test.ts) with the descriptors those tests hand them,
 * not by the conformance runner; test/wasi/guests.ts's GUEST_DIRS points
 * here. This file checks that each one is listed in EMBED_GUESTS with the
 * test that runs it (and so its sidecar's run), and that nothing is listed
 * that does not exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cFilesUnder, GUEST_DIRS } from '../wasi/guests.js';
import { EMBED, EMBED_GUESTS, sidecar } from './helpers.js';

describe('embedding guests (test/guests/embed)', () => {
  it('every program is listed in EMBED_GUESTS with the test that runs it, and every listed one exists', () => {
    expect(cFilesUnder(EMBED)).toEqual(Object.keys(EMBED_GUESTS).sort());
  });

  it('each listed test file exists and runs its guest against its sidecar', () => {
    for (const [c, file] of Object.entries(EMBED_GUESTS)) {
      const name = c.replace(/\.c$/, '');
      const source = fs.readFileSync(file, 'utf8');
      expect(source.includes(`guest('${name}')`), `${file} runs ${c}`).toBe(true);
      expect(source.includes(`sidecar('${name}')`), `${file} checks ${c}'s sidecar`).toBe(true);
      const sc = sidecar(name);
      expect(typeof sc.exit_code).toBe('number');
      expect(typeof sc.stdout).toBe('string');
    }
  });

  it('GUEST_DIRS sends the conformance check here', () => {
    expect(GUEST_DIRS[path.basename(EMBED)]).toBe('test/embed/guests.node.test.ts');
  });
});
