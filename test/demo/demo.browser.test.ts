/**
 * The demo page (demo/, `npm run demo`) in Chromium: it is loaded in a frame
 * from the test runner's server (which, like the demo's, serves the
 * repository from its root), its buttons are clicked, and the handle table
 * it shows is checked after every WASI call against the core's own listing:
 *
 * - live: the page's session's `wasi.table.list()` at each pause (every
 *   field of every row: fd, handle, kind, role, owner state, lender, lends,
 *   rights, description id, references, flags, cloexec);
 * - independently: the same guest run here, outside the page, with
 *   WasiOptions.trace taking the core's listing after each call; the page must
 *   show the same rows at the same step.
 *
 * Needs `npm run build` (build/examples/notes.wasm, build/guests).
 */
import { describe, expect, it, vi } from 'vitest';
import { DESCRIPTION_FLAGS, type HandleInfo, rightNames } from '../../host/core/index.js';
import { WASI } from '../../host/wasi/browser.js';

interface DemoSession {
  wasi: WASI;
  status: string;
  exitCode: number | null;
  calls: { line: string }[];
  finish(): Promise<void>;
}
/** What demo/main.ts puts on the page's window (typed here, not imported: the page is another realm). */
interface DemoWindow {
  iolifeDemo?: { ready: Promise<void>; session: DemoSession | null; guests(): string[] };
}

const flagNames = (flags: number): string =>
  Object.entries(DESCRIPTION_FLAGS).filter(([, bit]) => (flags & bit) !== 0).map(([n]) => n).join(' ');

/** What a row must say about a core entry (the page's data attributes), computed here from the listing. */
function expectedRow(info: HandleInfo, withDescription = true): Record<string, string> {
  return {
    fd: String(info.handle - 1), handle: String(info.handle), kind: info.kind, role: info.role, state: info.state,
    lender: String(info.lender), lends: String(info.lends), rights: rightNames(info.rights).join(' '),
    ...(withDescription ? { description: String(info.description) } : {}),
    refs: String(info.descriptionRefs), flags: flagNames(info.flags), cloexec: String(info.cloexec),
  };
}

/** The rows the page shows, from the DOM; each also checked for what a reader sees in it. */
function shownRows(doc: Document, withDescription = true): Record<string, string>[] {
  return [...doc.querySelectorAll<HTMLTableRowElement>('#handle-table tbody tr')].map((tr) => {
    const d = { ...tr.dataset } as Record<string, string>;
    const cells = tr.cells;
    expect(cells[0]!.querySelector('strong')!.textContent).toBe(d.fd);
    expect(cells[1]!.textContent).toContain(d.kind);
    expect([...cells[3]!.querySelectorAll('.chip')].map((c) => c.textContent).join(' ')).toBe(d.rights);
    expect(cells[4]!.textContent).toContain(`#${d.description}`);
    if (!withDescription) delete d.description;
    return d;
  });
}

async function openDemo(guest: string): Promise<{ win: DemoWindow; doc: Document; frame: HTMLIFrameElement }> {
  const frame = document.createElement('iframe');
  frame.style.width = '1400px';
  frame.style.height = '900px';
  const loaded = new Promise((res) => frame.addEventListener('load', res, { once: true }));
  frame.src = `/demo/index.html?guest=${encodeURIComponent(guest)}`;
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as unknown as DemoWindow;
  await vi.waitFor(() => expect(win.iolifeDemo).toBeDefined(), { timeout: 20_000 });
  await win.iolifeDemo!.ready;
  return { win, doc: frame.contentDocument!, frame };
}

async function buildMissing(): Promise<string | null> {
  for (const path of ['/build/examples/notes.wasm', '/build/guests/index.json']) {
    const r = await fetch(path, { method: 'HEAD' });
    if (!r.ok || (r.headers.get('content-type') ?? '').includes('html')) return path;
  }
  return null;
}

/** Clicks a button of the page and waits until it is paused again (one more call made) or the guest ended. */
async function click(doc: Document, id: string, callsBefore: number): Promise<void> {
  const button = doc.getElementById(id) as HTMLButtonElement;
  expect(button.disabled, `#${id} is disabled`).toBe(false);
  button.click();
  const table = doc.getElementById('handle-table')!;
  await vi.waitFor(() => {
    const state = table.dataset.state;
    expect(state === 'exited' || state === 'trapped' || (state === 'paused' && Number(table.dataset.calls) > callsBefore)).toBe(true);
  }, { timeout: 10_000 });
}

const NOTES_DATA = import.meta.glob<string>('../../examples/notes/data/*.txt', { query: '?raw', import: 'default', eager: true });

/** The core's listing after each call of the notes guest, run here the way the page runs it. */
async function notesListings(): Promise<{ listings: HandleInfo[][]; lines: string[] }> {
  const bytes = new Uint8Array(await (await fetch('/build/examples/notes.wasm')).arrayBuffer());
  const listings: HandleInfo[][] = [];
  const lines: string[] = [];
  const wasi: WASI = new WASI({
    args: ['notes.wasm', 'hello', 'browser'], seed: 1, epochNs: 1_735_689_600_000_000_000n,
    preopens: { '/notes': Object.fromEntries(Object.entries(NOTES_DATA).map(([p, t]) => [p.replace(/^.*\//, ''), t])) },
    trace: (line) => {
      lines.push(line);
      listings.push(wasi.table.list());
    },
  });
  const instance = new WebAssembly.Instance(await WebAssembly.compile(bytes), wasi.getImportObject() as WebAssembly.Imports);
  expect(wasi.start(instance)).toBe(0);
  return { listings, lines };
}

describe('demo page', () => {
  it('notes, stepped call by call: after every call the table shows exactly the core\'s listing', async () => {
    const missing = await buildMissing();
    if (missing !== null) throw new Error(`${missing} is missing: run \`npm run build\``);
    const { listings, lines } = await notesListings();
    const { win, doc, frame } = await openDemo('notes');
    try {
      const table = doc.getElementById('handle-table')!;
      const session = win.iolifeDemo!.session!;
      expect(table.dataset.state, 'the page needs JSPI to pause (Chromium >= 137)').toBe('paused');
      expect(table.dataset.calls).toBe('0');
      // Before the first call: stdio and the preopen.
      expect(shownRows(doc)).toEqual(session.wasi.table.list().map((i) => expectedRow(i)));
      expect(shownRows(doc).map((r) => r.kind)).toEqual(['char-device', 'char-device', 'char-device', 'directory']);

      let sawFile = false;
      let sawAppend = false;
      for (let calls = 0; table.dataset.state === 'paused'; calls++) {
        await click(doc, 'step', calls);
        if (table.dataset.state !== 'paused') break;
        expect(table.dataset.calls).toBe(String(calls + 1));
        const shown = shownRows(doc);
        // The live listing, every field.
        expect(shown, `after call #${calls}`).toEqual(session.wasi.table.list().map((i) => expectedRow(i)));
        // The independent run: the same rows (description ids are numbered per core instance, so left out).
        expect(shownRows(doc, false), `after call #${calls}: ${lines[calls]}`).toEqual(listings[calls]!.map((i) => expectedRow(i, false)));
        sawFile ||= shown.some((r) => r.kind === 'file');
        sawAppend ||= shown.some((r) => r.flags === 'append');
      }
      expect(sawFile, 'the guest opened a file while stepping').toBe(true);
      expect(sawAppend, 'log.txt was open for appending').toBe(true);

      // The end: the page shows the listing at exit, the guest's calls, stdout and files.
      expect(table.dataset.state).toBe('exited');
      expect(session.exitCode).toBe(0);
      expect(doc.getElementById('status')!.textContent).toContain('exited with code 0');
      expect([...doc.querySelectorAll('#calls li code')].map((c) => c.textContent)).toEqual(lines);
      expect(doc.getElementById('stdout')!.textContent).toBe(session.wasi.stdout());
      expect(session.wasi.stdout()).toContain('done: everything outside /notes stayed out of reach.');
      expect(shownRows(doc, false)).toEqual(listings.at(-1)!.map((i) => expectedRow(i, false)));
      expect(doc.getElementById('files')!.textContent).toContain('log.txt');
    } finally {
      frame.remove();
    }
  });

  it('choosing another guest mid-run stops the paused one (its handles closed) and pauses the new one before its first call', async () => {
    const missing = await buildMissing();
    if (missing !== null) throw new Error(`${missing} is missing: run \`npm run build\``);
    const { win, doc, frame } = await openDemo('notes');
    try {
      const old = win.iolifeDemo!.session!;
      for (let calls = 0; calls < 18; calls++) await click(doc, 'step', calls);
      expect(old.wasi.table.list().some((i) => i.kind === 'file'), 'notes has a file open at call 18').toBe(true);
      const select = doc.getElementById('guest') as HTMLSelectElement;
      select.value = 'fd_renumber-basic';
      select.dispatchEvent(new Event('change'));
      await vi.waitFor(() => expect(win.iolifeDemo!.session).not.toBe(old));
      await vi.waitFor(() => expect(old.status).toBe('stopped'));
      expect(() => old.wasi.table.list(), 'the stopped guest\'s table is dropped').toThrow();
      const table = doc.getElementById('handle-table')!;
      await vi.waitFor(() => expect(table.dataset.state).toBe('paused'));
      expect(table.dataset.calls).toBe('0');
      expect(shownRows(doc)).toEqual(win.iolifeDemo!.session!.wasi.table.list().map((i) => expectedRow(i)));
      expect(doc.querySelector('#handle-table tbody tr:last-child td.what')!.textContent).toBe('preopen fs-tests.dir');
    } finally {
      frame.remove();
    }
  });

  it('a conformance guest, run to the end with "Run to end": the table is the listing at exit, the status its exit code', async () => {
    const missing = await buildMissing();
    if (missing !== null) throw new Error(`${missing} is missing: run \`npm run build\``);
    const { win, doc, frame } = await openDemo('fd_renumber-basic');
    try {
      expect(win.iolifeDemo!.guests()).toContain('fd_renumber-basic');
      const table = doc.getElementById('handle-table')!;
      const session = win.iolifeDemo!.session!;
      const select = doc.getElementById('guest') as HTMLSelectElement;
      expect(select.value).toBe('fd_renumber-basic');
      expect(table.dataset.state).toBe('paused');
      // Mid-run first: one step, then the live listing.
      await click(doc, 'step', 0);
      expect(shownRows(doc)).toEqual(session.wasi.table.list().map((i) => expectedRow(i)));
      await click(doc, 'finish', 1);
      expect(table.dataset.state).toBe('exited');
      expect(doc.getElementById('status')!.textContent).toMatch(/^exited with code 0 after \d+ calls$/);
      expect(Number(table.dataset.calls)).toBe(session.calls.length);
      const atExit = (session as unknown as { atExit: HandleInfo[] }).atExit;
      expect(shownRows(doc)).toEqual(atExit.map((i) => expectedRow(i)));
      expect(doc.getElementById('stdout')!.textContent).toBe(session.wasi.stdout());
      expect(session.wasi.stdout().length).toBeGreaterThan(0);
    } finally {
      frame.remove();
    }
  });
});
