/**
 * WASI preview1 conformance in Chromium: every C guest of test/guests/preview1
 * runs on the simulated OS (host/wasi/browser.ts) with its sidecar's
 * arguments, environment and stdin, the fs-tests.dir fixture (symlinks
 * included) built from its tree manifest, and must exit and print exactly
 * what its sidecar says: the expectations test/wasi/conformance.node.test.ts
 * holds the Node backend to. Known failures come from the one shared list
 * (known-failing.ts), each with its reason.
 *
 * The page cannot read the repository's files, so it fetches what
 * `npm run build` packages for it (scripts/build-browser-guests.mjs):
 * build/guests/index.json (guests and sidecars), build/guests/<name>.wasm and
 * build/guests/fs-tests.json (the fixture).
 */
import { describe, expect, it } from 'vitest';
import type { Tree } from '../../host/wasi/browser.js';
import { KNOWN_FAILING, knownFailing } from './known-failing.js';
import {
  type GuestIndex, type Manifest, type Sidecar, TRAP_EXIT_CODE, runOnMemory, treeOfManifest,
} from './memory-guests.js';

const BUILD_HINT = 'run `npm run build` (it writes build/guests: scripts/build-browser-guests.mjs)';

/** The dev server serves the repository from its root. A missing file may come back as an HTML page. */
async function fetchJson<T>(path: string): Promise<T | null> {
  const r = await fetch(path);
  if (!r.ok || !(r.headers.get('content-type') ?? '').includes('json')) return null;
  return (await r.json()) as T;
}

async function fetchModule(path: string): Promise<WebAssembly.Module | null> {
  const r = await fetch(path);
  if (!r.ok) return null;
  const bytes = new Uint8Array(await r.arrayBuffer());
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return null;
  return WebAssembly.compile(bytes);
}

const index = await fetchJson<GuestIndex>('/build/guests/index.json');
const SOURCE_SIDECARS = import.meta.glob<Sidecar>('../guests/preview1/*.json', { eager: true, import: 'default' });
const sourceName = (p: string): string => p.replace(/^.*\//, '').replace(/\.json$/, '');

/** Fixture trees by directory name, built once from their manifests. */
const fixtures: Record<string, Tree> = {};
for (const [dir, file] of Object.entries(index?.fixtures ?? {})) {
  const m = await fetchJson<Manifest>(`/build/guests/${file}`);
  if (m !== null) fixtures[dir] = treeOfManifest(m);
}

describe('build/guests (what the browser runs)', () => {
  it('index.json exists and lists every guest of test/guests/preview1 with its current sidecar', () => {
    expect(index, `build/guests/index.json is missing: ${BUILD_HINT}`).not.toBeNull();
    const listed = Object.fromEntries(index!.guests.map((g) => [g.name, g.sidecar]));
    const sources = Object.fromEntries(Object.entries(SOURCE_SIDECARS).map(([p, sc]) => [sourceName(p), sc]));
    // A difference here means build/guests is older than the sources: rebuild.
    expect(listed, `build/guests is stale: ${BUILD_HINT}`).toEqual(sources);
  });

  it('every fixture a sidecar preopens has a manifest, and fs-tests.dir holds its symlinks', () => {
    const wanted = new Set(index?.guests.flatMap((g) => g.sidecar.dirs ?? []) ?? []);
    for (const d of wanted) expect(fixtures[d], `${d} has no manifest in build/guests`).toBeDefined();
    const fs = fixtures['fs-tests.dir']!;
    expect(fs['link-hello']).toEqual({ symlink: 'hello.txt' });
    expect(fs['link-dir']).toEqual({ symlink: 'dir' });
    expect(fs['dangling']).toEqual({ symlink: 'nowhere' });
    expect(fs['hello.txt']).toBe('Hello, world!\n');
  });

  it('every entry of the shared KNOWN_FAILING names a guest and gives a reason per backend', () => {
    const names = new Set(index?.guests.map((g) => g.name));
    for (const [name, why] of Object.entries(KNOWN_FAILING)) {
      expect(names.has(name), `${name} is not a guest`).toBe(true);
      expect(Object.keys(why).length, `${name} names no backend`).toBeGreaterThan(0);
      for (const reason of Object.values(why)) expect(reason.trim().length, `${name} needs a reason`).toBeGreaterThan(10);
    }
  });
});

describe('preview1 guests on the simulated OS, in Chromium', () => {
  for (const { name, wasm, sidecar } of index?.guests ?? []) {
    const known = knownFailing(name, 'memory');
    const test = known === undefined ? it : it.fails;
    test(`${name}: exits and prints exactly as its sidecar says${known ? ` (KNOWN FAILING: ${known})` : ''}`, async () => {
      const module = await fetchModule(`/build/guests/${wasm}`);
      expect(module, `build/guests/${wasm} is missing or not Wasm: ${BUILD_HINT}`).not.toBeNull();
      const r = runOnMemory(name, module!, sidecar, fixtures);
      const observed = { exit_code: r.exitCode ?? TRAP_EXIT_CODE, stdout: r.stdout };
      const context = `${name}${r.trap ? ` trapped: ${r.trap}` : ''}\n--- stderr ---\n${r.stderr}`;
      expect(observed, context).toEqual({ exit_code: sidecar.exit_code ?? 0, stdout: sidecar.stdout ?? '' });
    });
  }
});
