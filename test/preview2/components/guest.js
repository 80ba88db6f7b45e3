// A WASI 0.2 guest, componentized by @bytecodealliance/componentize-js
// (StarlingMonkey) in test/preview2/build.ts. Each scenario uses the WASI
// interfaces directly (no libc in between) and returns a report, mostly
// JSON. Every resource is dropped explicitly, children before parents, so
// that no drop is left to the engine's garbage collector (whose order is
// arbitrary) — except where a scenario breaks a rule on purpose.

import { getDirectories } from 'wasi:filesystem/preopens@0.2.10';
import { filesystemErrorCode } from 'wasi:filesystem/types@0.2.10';
import { poll } from 'wasi:io/poll@0.2.10';
import { getEnvironment, getArguments } from 'wasi:cli/environment@0.2.10';
import { getStdout } from 'wasi:cli/stdout@0.2.10';
import { getStderr } from 'wasi:cli/stderr@0.2.10';
import { getStdin } from 'wasi:cli/stdin@0.2.10';
import { now, subscribeDuration, resolution } from 'wasi:clocks/monotonic-clock@0.2.10';
import { now as wallNow } from 'wasi:clocks/wall-clock@0.2.10';
import { getRandomBytes, getRandomU64 } from 'wasi:random/random@0.2.10';

const DISPOSE = Symbol.dispose ?? Symbol.for('dispose');
const drop = (r) => r[DISPOSE]();
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The error-code of a failed call (componentize-js throws ComponentError with the err payload). */
function code(f) {
  try {
    const r = f();
    return { ok: r };
  } catch (e) {
    if (e && e.payload !== undefined) return { err: typeof e.payload === 'object' ? e.payload.tag ?? e.payload : e.payload };
    throw e;
  }
}
const errOf = (f) => {
  const r = code(f);
  if ('ok' in r) {
    if (r.ok && typeof r.ok === 'object' && DISPOSE in r.ok) drop(r.ok);
    return 'ok';
  }
  return r.err;
};

/** The first preopen; the others are dropped. */
function root() {
  const dirs = getDirectories();
  if (dirs.length === 0) throw new Error('no preopens');
  for (const [d] of dirs.slice(1)) drop(d);
  return dirs[0][0];
}

function withRoot(f) {
  const r = root();
  try {
    return f(r);
  } finally {
    drop(r);
  }
}

const RW = { read: true, write: true };
const CREATE = { create: true, truncate: true };

function writeAll(out, bytes) {
  let off = 0;
  while (off < bytes.length) {
    let n = Number(out.checkWrite());
    if (n === 0) {
      const p = out.subscribe();
      p.block();
      drop(p);
      continue;
    }
    n = Math.min(n, bytes.length - off);
    out.write(bytes.subarray(off, off + n));
    off += n;
  }
  out.blockingFlush();
}

function readAll(input) {
  const chunks = [];
  for (;;) {
    try {
      chunks.push(input.blockingRead(65536n));
    } catch (e) {
      if (e.payload && e.payload.tag === 'closed') break;
      throw e;
    }
  }
  return dec.decode(concat(chunks));
}

function concat(chunks) {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function writeFile(dir, path, text) {
  const f = dir.openAt({}, path, CREATE, RW);
  const out = f.writeViaStream(0n);
  writeAll(out, enc.encode(text));
  drop(out);
  drop(f);
}

function readFile(dir, path) {
  const f = dir.openAt({ symlinkFollow: true }, path, {}, { read: true });
  const input = f.readViaStream(0n);
  const text = readAll(input);
  drop(input);
  drop(f);
  return text;
}

function list(dir) {
  const s = dir.readDirectory();
  const names = [];
  for (let e = s.readDirectoryEntry(); e !== undefined; e = s.readDirectoryEntry()) names.push(`${e.name}:${e.type}`);
  drop(s);
  return names.sort();
}

const scenarios = {
  env() {
    return JSON.stringify({ env: getEnvironment(), args: getArguments(), preopens: preopenNames() });
  },

  'write-read'(arg) {
    return withRoot((r) => {
      writeFile(r, arg, 'hello from a component\n');
      const f = r.openAt({}, arg, {}, { read: true });
      const st = f.stat();
      const type = f.getType();
      const flags = f.getFlags();
      drop(f);
      return JSON.stringify({ text: readFile(r, arg), size: Number(st.size), type, flags });
    });
  },

  list(arg) {
    return withRoot((r) => {
      if (!arg) return JSON.stringify(list(r));
      const d = r.openAt({}, arg, { directory: true }, { read: true });
      const names = list(d);
      drop(d);
      return JSON.stringify(names);
    });
  },

  'fs-ops'() {
    return withRoot((r) => {
      const log = [];
      r.createDirectoryAt('d');
      writeFile(r, 'd/a.txt', 'abc');
      r.renameAt('d/a.txt', r, 'd/b.txt');
      const d = r.openAt({}, 'd', { directory: true }, { read: true });
      log.push(`renamed:${list(d).join(',')}`);
      drop(d);
      r.symlinkAt('b.txt', 'd/link');
      log.push(`readlink:${r.readlinkAt('d/link')}`);
      log.push(`via-link:${readFile(r, 'd/link')}`);
      log.push(`stat-at:${r.statAt({}, 'd/link').type}/${r.statAt({ symlinkFollow: true }, 'd/link').type}`);
      r.linkAt({}, 'd/b.txt', r, 'd/hard');
      const a = r.openAt({}, 'd/b.txt', {}, { read: true });
      const b = r.openAt({}, 'd/hard', {}, { read: true, write: true });
      log.push(`same:${a.isSameObject(b)}/${a.isSameObject(r)}`);
      const ha = a.metadataHash();
      const hb = r.metadataHashAt({}, 'd/hard');
      log.push(`hash:${ha.lower === hb.lower && ha.upper === hb.upper}`);
      log.push(`nlink:${a.stat().linkCount}`);
      b.write(enc.encode('XY'), 1n);
      const [bytes, eof] = a.read(10n, 0n);
      log.push(`pread:${dec.decode(bytes)}/${eof}`);
      const app = b.appendViaStream();
      writeAll(app, enc.encode('++'));
      drop(app);
      b.setSize(4n);
      log.push(`after-append-truncate:${readFile(r, 'd/b.txt')}`);
      log.push(`ro-write:${errOf(() => a.write(enc.encode('z'), 0n))}`);
      log.push(`ro-stream:${errOf(() => a.writeViaStream(0n))}`);
      log.push(`dir-read:${errOf(() => r.readViaStream(0n))}`);
      log.push(`file-as-dir:${errOf(() => a.openAt({}, 'x', {}, {}))}`);
      drop(a);
      drop(b);
      log.push(`rmdir-nonempty:${errOf(() => r.removeDirectoryAt('d'))}`);
      r.unlinkFileAt('d/link');
      r.unlinkFileAt('d/hard');
      r.unlinkFileAt('d/b.txt');
      r.removeDirectoryAt('d');
      log.push(`gone:${errOf(() => r.statAt({}, 'd'))}`);
      log.push(`missing:${errOf(() => r.openAt({}, 'nope', {}, { read: true }))}`);
      log.push(`exists:${errOf(() => r.openAt({}, 'hello.txt', { create: true, exclusive: true }, RW))}`);
      const ro = r.openAt({}, '.', { directory: true }, { read: true });
      log.push(`ro-dir-create:${errOf(() => ro.createDirectoryAt('x'))}`);
      log.push(`ro-dir-open-write:${errOf(() => ro.openAt({}, 'hello.txt', {}, RW))}`);
      log.push(`ro-dir-flags:${JSON.stringify(ro.getFlags())}`);
      drop(ro);
      return log.join('\n');
    });
  },

  poll() {
    const log = [];
    const t0 = now();
    const timer = subscribeDuration(20_000_000n);
    const late = subscribeDuration(3_600_000_000_000n);
    log.push(`timer-ready-at-once:${timer.ready()}`);
    const r = root();
    const f = r.openAt({}, 'hello.txt', {}, { read: true });
    const input = f.readViaStream(0n);
    const ps = input.subscribe();
    const ready = poll([late, ps]);
    log.push(`poll:${Array.from(ready).join(',')}`);
    drop(late);
    timer.block();
    const waited = now() - t0;
    log.push(`waited>=20ms:${waited >= 20_000_000n}`);
    log.push(`timer-ready:${timer.ready()}`);
    const out = getStdout();
    const po = out.subscribe();
    log.push(`stdout-ready:${po.ready()}`);
    log.push(`resolution>0:${resolution() > 0n}`);
    drop(po);
    drop(out);
    drop(ps);
    drop(input);
    drop(f);
    drop(r);
    drop(timer);
    return log.join('\n');
  },

  stdout(arg) {
    const out = getStdout();
    out.blockingWriteAndFlush(enc.encode(arg));
    drop(out);
    const err = getStderr();
    err.blockingWriteAndFlush(enc.encode(`err:${arg}`));
    drop(err);
    return 'ok';
  },

  stdin() {
    const input = getStdin();
    const text = readAll(input);
    drop(input);
    return text;
  },

  random() {
    const a = getRandomBytes(32n);
    const b = getRandomBytes(32n);
    return JSON.stringify({ len: a.length, differ: a.some((x, i) => x !== b[i]), u64: typeof getRandomU64() });
  },

  clocks() {
    const w = wallNow();
    const a = now();
    const b = now();
    return JSON.stringify({ seconds: Number(w.seconds), ns: w.nanoseconds, monotonic: b >= a });
  },

  /** Every path in arg (JSON list) tried every way a guest can reach a file; each result is an error-code or "ok". */
  escape(arg) {
    return withRoot((r) => {
      const out = {};
      for (const p of JSON.parse(arg)) {
        out[p] = {
          open: errOf(() => r.openAt({ symlinkFollow: true }, p, {}, { read: true })),
          nofollow: errOf(() => r.openAt({}, p, {}, { read: true })),
          dir: errOf(() => r.openAt({ symlinkFollow: true }, p, { directory: true }, { read: true })),
          create: errOf(() => r.openAt({ symlinkFollow: true }, `${p}/created`, { create: true }, RW)),
          stat: errOf(() => r.statAt({ symlinkFollow: true }, p)),
          mkdir: errOf(() => r.createDirectoryAt(`${p}/made`)),
          unlink: errOf(() => r.unlinkFileAt(`${p}/sentinel`)),
          rename: errOf(() => r.renameAt('victim.txt', r, `${p}/stolen`)),
          link: errOf(() => r.linkAt({}, 'victim.txt', r, `${p}/linked`)),
          symlink: errOf(() => r.symlinkAt('victim.txt', `${p}/planted`)),
          renameFrom: errOf(() => r.renameAt(`${p}/sentinel`, r, 'stolen')),
          linkFrom: errOf(() => r.linkAt({ symlinkFollow: true }, `${p}/sentinel`, r, 'linked')),
          times: errOf(() => r.setTimesAt({ symlinkFollow: true }, p, { tag: 'now' }, { tag: 'now' })),
          rmdir: errOf(() => r.removeDirectoryAt(`${p}/empty`)),
          readlink: errOf(() => r.readlinkAt(`${p}/link`)),
          hash: errOf(() => r.metadataHashAt({ symlinkFollow: true }, p)),
        };
      }
      return JSON.stringify(out);
    });
  },

  /** The guest plants symlinks of its own, then tries to go through them. */
  'escape-symlinks'() {
    return withRoot((r) => {
      const made = {};
      for (const [name, target] of [['dot', '.'], ['esc', 'dot/..'], ['abs', '/etc'], ['up', '../outside'], ['loop', 'loop']]) {
        made[name] = errOf(() => r.symlinkAt(target, name));
      }
      const tries = {};
      for (const p of ['dot/hello.txt', 'esc', 'esc/secret', 'esc/outside/sentinel', 'abs/passwd', 'up/sentinel', 'loop', 'dot/dot/dot/../secret']) {
        tries[p] = errOf(() => r.openAt({ symlinkFollow: true }, p, {}, { read: true }));
      }
      tries['esc/outside/new'] = errOf(() => r.openAt({ symlinkFollow: true }, 'esc/outside/new', { create: true }, RW));
      tries['up/ (mkdir)'] = errOf(() => r.createDirectoryAt('up/made'));
      return JSON.stringify({ made, tries });
    });
  },

  /** Symlink chains of 40 and 41 links (the limit is 40), and paths no OS could take. */
  'escape-limits'() {
    return withRoot((r) => {
      for (const [prefix, n] of [['s', 40], ['t', 41]]) {
        for (let i = 0; i < n; i++) r.symlinkAt(i === n - 1 ? 'hello.txt' : `${prefix}${i + 1}`, `${prefix}${i}`);
      }
      const out = {
        chain40: errOf(() => r.openAt({ symlinkFollow: true }, 's0', {}, { read: true })),
        chain41: errOf(() => r.openAt({ symlinkFollow: true }, 't0', {}, { read: true })),
        nul: errOf(() => r.openAt({}, 'hello.txt\0../../secret', {}, { read: true })),
        trailingSlash: errOf(() => r.openAt({}, 'hello.txt/', {}, { read: true })),
        empty: errOf(() => r.openAt({}, '', {}, { read: true })),
      };
      for (const [prefix, n] of [['s', 40], ['t', 41]]) for (let i = 0; i < n; i++) r.unlinkFileAt(`${prefix}${i}`);
      return JSON.stringify(out);
    });
  },

  /** Drops a descriptor while its stream lives (refused: the stream is its child). */
  'drop-parent'() {
    const r = root();
    const f = r.openAt({}, 'hello.txt', {}, { read: true });
    const input = f.readViaStream(0n);
    drop(f);
    return `not refused ${typeof input}`;
  },

  /** Drops a stream while its pollable lives. */
  'drop-stream'() {
    const out = getStdout();
    const p = out.subscribe();
    drop(out);
    return `not refused ${typeof p}`;
  },

  /** Drops a preopen while a directory-entry stream of it lives. */
  'drop-dir'() {
    const r = root();
    const s = r.readDirectory();
    drop(r);
    return `not refused ${typeof s}`;
  },

  /** Drops the same descriptor twice. */
  'double-drop'() {
    const r = root();
    drop(r);
    drop(r);
    return 'not refused';
  },

  /** Uses a descriptor after dropping it. */
  'use-after-drop'() {
    const r = root();
    drop(r);
    return JSON.stringify(r.stat());
  },

  /** Writes more than check-write allowed. */
  'over-permit'() {
    const out = getStdout();
    out.write(enc.encode('no permit asked'));
    return 'not refused';
  },

  /** Drops the children, then the parents, in the right order: nothing left. */
  'drop-order'() {
    const r = root();
    const f = r.openAt({}, 'hello.txt', {}, { read: true });
    const input = f.readViaStream(0n);
    const p = input.subscribe();
    const s = r.readDirectory();
    drop(p);
    drop(input);
    drop(f);
    drop(s);
    drop(r);
    return 'ok';
  },
};

function preopenNames() {
  const dirs = getDirectories();
  const names = dirs.map(([, n]) => n);
  for (const [d] of dirs) drop(d);
  return names;
}

export function run(scenario, arg) {
  const f = scenarios[scenario];
  if (!f) throw new Error(`unknown scenario ${scenario}`);
  return f(arg);
}

let kept;
export function keep(d) {
  kept = d;
}

export function useKept() {
  return JSON.stringify(kept.stat().type);
}
