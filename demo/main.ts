// The demo page: pick a guest, step through its WASI calls, and watch the
// ownership core's handle table (wasi.table.list()) after each one, with the
// guest's stdout and the files it leaves. Plain DOM, no framework.
//
// For tests and the curious, window.iolifeDemo is the page's state: the
// current Session (its `wasi`, so `iolifeDemo.session.wasi.table.list()` is
// the core's own listing) and load(id), which starts a guest.

import { type HandleInfo, rightNames, DESCRIPTION_FLAGS, formatHandle } from '../host/core/index.js';
import type { Tree, TreeValue } from '../host/wasi/browser.js';
import { canPause, type GuestSpec, preopenOf, Session } from './session.js';

// ---- the guests ---------------------------------------------------------------------------

interface GuestIndex {
  guests: { name: string; wasm: string; sidecar: { args?: string[]; env?: Record<string, string>; dirs?: string[]; stdin?: string } }[];
  fixtures: Record<string, string>;
}
type ManifestValue = string | null | { symlink: string } | { base64: string };

// The page lives at /demo/ both under `npm run demo` and under the test runner's server.
const BUILD = new URL('../build/', location.href);

const NOTES_DATA = import.meta.glob<string>('../examples/notes/data/*.txt', { query: '?raw', import: 'default', eager: true });

/** build/examples/notes.wasm: the example guest `npm start` runs, on examples/notes/data. */
const NOTES: GuestSpec = {
  id: 'notes',
  label: 'notes — the example (AssemblyScript)',
  wasm: new URL('examples/notes.wasm', BUILD).href,
  args: ['notes.wasm', 'hello', 'browser'],
  env: {},
  stdin: '',
  preopens: {
    '/notes': Object.fromEntries(Object.entries(NOTES_DATA).map(([p, text]) => [p.replace(/^.*\//, ''), text])),
  },
};

function treeOf(m: Record<string, ManifestValue>): Tree {
  const out: Record<string, TreeValue> = {};
  for (const [k, v] of Object.entries(m)) {
    out[k] = v !== null && typeof v === 'object' && 'base64' in v ? Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0)) : v;
  }
  return out;
}

/** The C conformance guests build/guests holds (built by `npm run build`); none if it is missing. */
async function conformanceGuests(): Promise<GuestSpec[]> {
  const r = await fetch(new URL('guests/index.json', BUILD));
  if (!r.ok || !(r.headers.get('content-type') ?? '').includes('json')) return [];
  const index = (await r.json()) as GuestIndex;
  const fixtures: Record<string, Tree> = {};
  for (const [dir, file] of Object.entries(index.fixtures)) {
    fixtures[dir] = treeOf((await (await fetch(new URL(`guests/${file}`, BUILD))).json()) as Record<string, ManifestValue>);
  }
  return index.guests.map(({ name, wasm, sidecar }) => ({
    id: name,
    label: name,
    wasm: new URL(`guests/${wasm}`, BUILD).href,
    args: [wasm, ...(sidecar.args ?? [])],
    env: sidecar.env ?? {},
    stdin: sidecar.stdin ?? '',
    preopens: Object.fromEntries((sidecar.dirs ?? []).map((d) => [d, fixtures[d] ?? {}])),
  }));
}

// ---- the page -----------------------------------------------------------------------------

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const guestSelect = $<HTMLSelectElement>('guest');
const stepButton = $<HTMLButtonElement>('step');
const playButton = $<HTMLButtonElement>('play');
const finishButton = $<HTMLButtonElement>('finish');
const resetButton = $<HTMLButtonElement>('reset');
const speed = $<HTMLInputElement>('speed');
const statusEl = $('status');
const tableEl = $<HTMLTableElement>('handle-table');
const tbody = tableEl.tBodies[0]!;

const guests = new Map<string, GuestSpec>();
const modules = new Map<string, Promise<WebAssembly.Module>>();
let session: Session | null = null;
/** Row signature by fd after the previous render, to mark what a call changed. */
let previous = new Map<number, string>();
let renderedCalls = -1;
/** The fds whose rows the last call added or changed. */
let highlighted = new Set<number>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function moduleOf(spec: GuestSpec): Promise<WebAssembly.Module> {
  let m = modules.get(spec.id);
  if (m === undefined) {
    m = fetch(spec.wasm).then(async (r) => {
      if (!r.ok) throw new Error(`${spec.wasm}: ${r.status} (run \`npm run build\`)`);
      return WebAssembly.compile(await r.arrayBuffer());
    });
    modules.set(spec.id, m);
  }
  return m;
}

/** Starts `id` afresh: the guest runs to its first WASI call and pauses there. */
async function load(id: string): Promise<Session> {
  const spec = guests.get(id);
  if (spec === undefined) throw new Error(`no guest ${JSON.stringify(id)}`);
  guestSelect.value = id;
  session?.abort();
  setStatus('loading', `loading ${spec.label}…`);
  const s = new Session(spec, await moduleOf(spec));
  s.delayMs = Number(speed.value);
  s.onChange = () => {
    if (s === session) render(s);
  };
  session = s;
  previous = new Map();
  renderedCalls = -1;
  highlighted = new Set();
  render(s);
  await s.settled();
  return s;
}

function setStatus(state: string, text: string): void {
  statusEl.dataset.state = state;
  statusEl.textContent = text;
}

// ---- rendering ----------------------------------------------------------------------------

const FLAG_NAMES = Object.keys(DESCRIPTION_FLAGS) as (keyof typeof DESCRIPTION_FLAGS)[];
const flagNames = (flags: number): string[] => FLAG_NAMES.filter((f) => (flags & DESCRIPTION_FLAGS[f]) !== 0);

/** What an entry stands for, in words. */
function whatItIs(s: Session, info: HandleInfo): string {
  if (info.role === 'stdin') return 'the page\'s input';
  if (info.role === 'stdout' || info.role === 'stderr') return `${info.role} panel, below`;
  const preopen = preopenOf(info);
  if (preopen !== null) return `preopen ${preopen}`;
  return s.opened.get(info.description) ?? info.kind;
}

function ownerText(info: HandleInfo): string {
  if (info.state === 'owned') return 'owned';
  const kind = info.state === 'exclusive-borrow' ? 'exclusive borrow' : 'shared borrow';
  return `${kind} of fd ${info.lender - 1}`;
}

function row(s: Session, info: HandleInfo, changed: boolean): HTMLTableRowElement {
  const fd = info.handle - 1;
  const rights = rightNames(info.rights);
  const flags = flagNames(info.flags);
  const tr = el('tr', { className: changed ? 'changed' : '' });
  Object.assign(tr.dataset, {
    fd: String(fd), handle: String(info.handle), kind: info.kind, role: info.role, state: info.state,
    lender: String(info.lender), lends: String(info.lends), rights: rights.join(' '),
    description: String(info.description), refs: String(info.descriptionRefs), flags: flags.join(' '),
    cloexec: String(info.cloexec),
  });
  const owner = el('td', { className: 'owner' }, el('span', { className: `state state-${info.state}` }, ownerText(info)));
  if (info.lends > 0) owner.append(el('span', { className: 'lends' }, `lent to ${info.lends}`));
  if (info.cloexec) owner.append(el('span', { className: 'badge' }, 'cloexec'));
  const chips = el('div', { className: 'chips' }, ...rights.map((r) => el('span', { className: 'chip' }, r)));
  const refs = `${info.descriptionRefs} handle${info.descriptionRefs === 1 ? '' : 's'}`;
  tr.append(
    el('td', { className: 'fd' }, el('strong', {}, String(fd)), el('small', { title: 'the core\'s handle: fd + 1, with a generation in the high bits' }, `handle ${formatHandle(info.handle)}`)),
    el('td', { className: 'kind' }, info.kind, info.role !== 'regular' ? el('span', { className: 'badge' }, info.role) : ''),
    owner,
    el('td', { className: 'rights', title: `${rights.length} rights: ${rights.join(', ')}` }, el('span', { className: 'count' }, String(rights.length)), chips),
    el('td', { className: 'desc' }, `#${info.description}`, el('small', {}, ` · ${refs}`),
      ...flags.map((f) => el('span', { className: 'badge flag' }, f))),
    el('td', { className: 'what' }, whatItIs(s, info)),
  );
  return tr;
}

function render(s: Session): void {
  const infos = s.table();
  tableEl.dataset.calls = String(s.calls.length);
  tableEl.dataset.state = s.status;
  // Highlight what the last call changed (until the next call is made).
  if (renderedCalls !== s.calls.length) {
    const next = new Map<number, string>();
    for (const info of infos) {
      next.set(info.handle - 1, JSON.stringify([info.handle, info.state, info.rights, info.description, info.descriptionRefs, info.flags, info.lends]));
    }
    const first = renderedCalls < 0;
    highlighted = new Set(first ? [] : [...next].filter(([fd, sig]) => previous.get(fd) !== sig).map(([fd]) => fd));
    const closed = first ? [] : [...previous.keys()].filter((fd) => !next.has(fd));
    $('closed-note').textContent = closed.length ? `Closed by the last call: fd ${closed.join(', fd ')}.` : '';
    previous = next;
    renderedCalls = s.calls.length;
  }
  tbody.replaceChildren(...infos.map((info) => row(s, info, highlighted.has(info.handle - 1))));
  const when = s.ended
    ? `at exit (${infos.length} left open, then closed by the host)`
    : `after ${s.calls.length} call${s.calls.length === 1 ? '' : 's'}`;
  $('table-caption').textContent = `— the core's listing ${when}`;

  // The next call.
  const p = s.pending;
  $('pending').textContent = p === null
    ? (s.ended ? '— (the guest has ended)' : '—')
    : `${p.name}(${p.args.map(String).join(', ')})${p.note ? `   ${p.note}` : ''}`;

  renderCalls(s);
  $('stdout').textContent = s.wasi.stdout();
  const stderr = s.wasi.stderr();
  $('stderr').textContent = stderr;
  $('stderr').hidden = $('stderr-title').hidden = stderr === '';
  renderFiles(s);
  renderStatus(s);
}

function renderCalls(s: Session): void {
  const list = $('calls');
  // Append only the new calls (a long run stays cheap).
  if (list.childElementCount > s.calls.length) list.replaceChildren();
  for (let i = list.childElementCount; i < s.calls.length; i++) {
    const c = s.calls[i]!;
    const bad = c.errno !== null && c.errno !== 0;
    list.append(el('li', { className: bad ? 'err' : '', value: i }, el('code', {}, c.line), c.note ? el('span', { className: 'note' }, ` ${c.note}`) : ''));
  }
  $('calls-count').textContent = `(${s.calls.length})`;
  list.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

function renderFiles(s: Session): void {
  const out: HTMLElement[] = [];
  for (const dir of Object.keys(s.spec.preopens)) {
    const tree = s.wasi.snapshot(dir, { allDirs: true });
    const ul = el('ul', { className: 'tree' });
    for (const [path, value] of Object.entries(tree)) {
      const depth = path.replace(/\/$/, '').split('/').length - 1;
      const name = path.replace(/\/$/, '').split('/').pop()! + (value === null ? '/' : '');
      let meta = '';
      let title = '';
      if (value === null) meta = 'dir';
      else if (typeof value === 'string') {
        meta = `${new TextEncoder().encode(value).length} B`;
        title = value.length > 400 ? `${value.slice(0, 400)}…` : value;
      } else if (value instanceof Uint8Array) meta = `${value.length} B (binary)`;
      else meta = `→ ${value.symlink}`;
      const li = el('li', { title }, el('span', { className: 'name' }, name), el('span', { className: 'meta' }, meta));
      li.style.paddingLeft = `${depth * 1.1}em`;
      ul.append(li);
    }
    out.push(el('h3', {}, dir), ul);
  }
  if (out.length === 0) out.push(el('p', { className: 'note' }, 'This guest has no preopened directory.'));
  $('files').replaceChildren(...out);
}

function renderStatus(s: Session): void {
  const n = `${s.calls.length} call${s.calls.length === 1 ? '' : 's'}`;
  switch (s.status) {
    case 'paused': setStatus('paused', `paused before call #${s.calls.length}`); break;
    case 'running': setStatus('running', `running (${n})`); break;
    case 'playing': setStatus('playing', `playing (${n})`); break;
    case 'exited': setStatus('exited', `exited with code ${s.exitCode} after ${n}`); break;
    case 'trapped': setStatus('trapped', `trapped after ${n}: ${s.trap}`); break;
    case 'failed': setStatus('failed', `host error: ${s.trap}`); break;
    case 'stopped': setStatus('stopped', 'stopped'); break;
  }
  const live = !s.ended;
  stepButton.disabled = !live || !canPause || s.status === 'playing';
  finishButton.disabled = !live;
  playButton.disabled = !live || !canPause;
  playButton.textContent = s.status === 'playing' ? 'Pause' : 'Play';
  resetButton.disabled = false;
  guestSelect.disabled = false;
}

// ---- wiring -------------------------------------------------------------------------------

stepButton.addEventListener('click', () => void session?.step());
playButton.addEventListener('click', () => {
  if (session === null) return;
  if (session.status === 'playing') session.pause();
  else session.play();
  render(session);
});
finishButton.addEventListener('click', () => void session?.finish());
resetButton.addEventListener('click', () => void load(guestSelect.value));
guestSelect.addEventListener('change', () => {
  history.replaceState(null, '', `?guest=${encodeURIComponent(guestSelect.value)}`);
  void load(guestSelect.value);
});
speed.addEventListener('input', () => {
  $('speed-out').textContent = `${speed.value} ms`;
  if (session !== null) session.delayMs = Number(speed.value);
});

async function init(): Promise<void> {
  const list = [NOTES, ...(await conformanceGuests())];
  for (const g of list) guests.set(g.id, g);
  const example = el('optgroup', { label: 'Example' }, el('option', { value: NOTES.id }, NOTES.label));
  const conformance = el('optgroup', { label: 'Conformance guests (C, test/guests/preview1)' },
    ...list.slice(1).map((g) => el('option', { value: g.id }, g.label)));
  guestSelect.replaceChildren(example, ...(list.length > 1 ? [conformance] : []));
  const wanted = new URLSearchParams(location.search).get('guest');
  await load(wanted !== null && guests.has(wanted) ? wanted : NOTES.id);
}

const ready = init().catch((e: unknown) => {
  setStatus('failed', `could not start: ${e instanceof Error ? e.message : String(e)}`);
  throw e;
});

declare global {
  interface Window {
    iolifeDemo: { ready: Promise<void>; readonly session: Session | null; load(id: string): Promise<Session>; guests(): string[] };
  }
}
window.iolifeDemo = {
  ready,
  get session() {
    return session;
  },
  load,
  guests: () => [...guests.keys()],
};
