/**
 * WASI preview1 conformance, after wasi-testsuite: every C program in
 * test/guests/preview1/ checks one behaviour (`<call>-<scenario>.c`) and has
 * a sidecar `<name>.json` with its arguments, environment, preopened
 * fixture directories, stdin, and the exact stdout and exit code expected.
 *
 * Each program runs under iolife's WASI (a fresh copy of the fixture as
 * preopen, stdio on temporary files) and must match its sidecar, and must
 * leave everything outside its preopens untouched. The same programs run
 * under node:wasi too: where node:wasi behaves differently, the program is
 * listed in NODE_WASI_DIFFERS with the reason, and the test asserts that it
 * still differs (so the list never goes stale); everywhere else node:wasi
 * must print exactly the same.
 *
 * Build the programs first: `npm run build` (or node scripts/build-guests.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WASI } from '../../host/wasi/node.js';
import {
  GUESTS, GUEST_DIRS, PREVIEW1, TRAP_EXIT_CODE, cFilesUnder, readSidecar, runGuest, type RunResult, type Sidecar,
} from './guests.js';
import { KNOWN_FAILING as SHARED_KNOWN_FAILING } from './known-failing.js';

/**
 * Programs the Node backend does not pass yet: program → the host bug or
 * limit, from the list shared with the simulated OS's tests
 * (known-failing.ts). Each runs as an expected failure (it.fails), so fixing
 * the host makes the test fail until the entry is removed.
 */
const KNOWN_FAILING: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHARED_KNOWN_FAILING).flatMap(([name, why]) => (why.node === undefined ? [] : [[name, why.node]])),
);

/** Programs node:wasi (uvwasi) answers differently: program → how and why. */
const NODE_WASI_DIFFERS: Readonly<Record<string, string>> = {
  'environ_get-empty-by-default': 'environ_get with no variables at all returns EINVAL',
  'fault-wild-iovec': 'a pointer outside linear memory is EOVERFLOW, not EFAULT',
  'fault-wild-out-pointer': 'a pointer outside linear memory is EOVERFLOW, not EFAULT',
  'fault-wild-path': 'a pointer outside linear memory is EOVERFLOW, not EFAULT',
  'fault-wild-poll': 'a pointer outside linear memory is EOVERFLOW, not EFAULT',
  'fault-wild-readdir': 'a pointer outside linear memory is EOVERFLOW, not EFAULT',
  'fd_allocate': 'fd_allocate really allocates (posix_fallocate: the file grows to 100 bytes) where iolife, like wasmtime, answers ENOTSUP',
  'fd_close-stale-fd': 'fds are numbered lowest-free: the next open reuses the closed number, and the stale fd reads the new file',
  'fd_fdstat_get-append-rights': "fs_flags carries Linux's raw open flags (O_LARGEFILE...) beside APPEND: 33793, not 1",
  'fd_fdstat_set_flags-append': "fs_flags carries Linux's raw open flags (O_LARGEFILE, O_RDWR) beside APPEND: 33794, not 1",
  'fd_filestat_get-nanoseconds': 'times set with fd_filestat_set_times read back in whole seconds (the sub-second part is lost)',
  'fd_filestat_set_times-nanoseconds': 'times set with fd_filestat_set_times read back in whole seconds (the sub-second part is lost)',
  'fd_prestat_get-basic': 'a short name buffer is ENOBUFS (not ENAMETOOLONG); fd_prestat_get of stdin or of an opened directory is EINVAL (not EBADF)',
  'fd_readdir-dot-entries': 'fd_readdir leaves out `.` and `..`',
  'fd_readdir-small-buffer': 'fd_readdir leaves out `.` and `..` (10 entries, not 12)',
  'fd_readdir-not-dir': 'rights are checked before the file type: ENOTCAPABLE, not ENOTDIR',
  'path_open-dirfd-not-dir': 'rights are checked before the file type: ENOTCAPABLE, not ENOTDIR',
  'sock_shutdown-not-sock': 'rights are checked before the file type: ENOTCAPABLE, not ENOTSOCK',
  'sock_accept-not-sock': 'rights are checked before the file type: ENOTCAPABLE, not ENOTSOCK',
  'sock_recv-not-sock': 'rights are checked before the file type: ENOTCAPABLE, not ENOTSOCK',
  'sock_send-not-sock': 'rights are checked before the file type: ENOTCAPABLE, not ENOTSOCK',
  'path_filestat_get-symlink': 'following a symlink (SYMLINK_FOLLOW) to hello.txt is ENOENT',
  'path_filestat_set_times-basic': 'times set read back in whole seconds (the sub-second part is lost)',
  'path_filestat_set_times-nofollow': 'the sub-second part is lost, and setting times through the symlink with SYMLINK_FOLLOW is ENOENT',
  'path_open-create-excl': 'CREAT|EXCL with SYMLINK_FOLLOW on an existing symlink is ENOENT, not EEXIST',
  'path_open-directory-flag-symlink': 'DIRECTORY without SYMLINK_FOLLOW opens a symlink to a directory; with SYMLINK_FOLLOW it is ENOENT',
  'path_open-invalid-utf8': 'paths that are not UTF-8 are accepted (the file and the directory are created)',
  'path_open-missing': 'the empty path is EINVAL, not ENOENT',
  'path_open-nofollow-symlink-dir': 'a final symlink is opened without SYMLINK_FOLLOW (no ELOOP); with SYMLINK_FOLLOW it is ENOENT',
  'path_open-nul-in-path': 'a path with a NUL inside is cut at the NUL: "hello.txt\\0" opens hello.txt',
  'path_readlink-short-buffer': 'a buffer shorter than the target is ENOBUFS instead of receiving the truncated target',
  'path_symlink-basic': 'opening the symlink it just created with SYMLINK_FOLLOW is ENOENT',
  'poll_oneoff-bad-fd': 'a subscription on an fd that is not open yields no EBADF event: the call sleeps until the 1 s clock',
  'poll_oneoff-file-ready': 'poll_oneoff on a regular file fails with EPERM (epoll refuses regular files)',
  'sandbox-dot-esc':
    'SANDBOX ESCAPE: through guest-made `dot -> .` and `esc -> dot/..`, the guest opens, creates, renames into, links ' +
    'and unlinks files in the preopen\'s parent directory (here the test\'s temporary directory)',
  'sandbox-dotdot-nested': 'dir/sub/../../../fs-tests.dir/hello.txt (out of the preopen and back in) is allowed: paths are normalised lexically',
  'sandbox-link-outside': 'symlink targets with `..` are refused at creation (ENOTCAPABLE), even dir/out -> ../.. set up by the guest, so the program stops early',
  'sandbox-rename-outside': 'symlink targets with `..` are refused at creation (ENOTCAPABLE), even dir/top -> .. which stays inside',
  'sandbox-symlink-middle': 'symlink targets with `..` are refused at creation (ENOTCAPABLE), even dir/top -> .. which stays inside',
  'sandbox-symlink-etc': 'an absolute symlink target is EPERM (not ENOTCAPABLE), and a relative one climbing out is refused at creation rather than at use',
  'path_open-create-through-symlink': 'CREAT on a dangling symlink without SYMLINK_FOLLOW follows it and creates the target; with SYMLINK_FOLLOW it is ENOENT',
  'sandbox-create-through-symlink': 'symlink targets with `..` are refused at creation (ENOTCAPABLE), so the program stops early',
  'path_remove_directory-dot': 'rmdir of "e/." removes e, and rmdir of "." tries to remove the preopen itself (ENOTEMPTY)',
  'clock_res_get-basic': 'THREAD_CPUTIME_ID reports a resolution above 1 ms',
  'path_open-invalid-flags': 'unknown oflags and fdflags bits are ignored: the file is created',
  'fd_fdstat_set_flags-invalid': "an unknown fdflags bit is accepted (and APPEND cleared); fs_flags carries Linux's raw open flags",
  'sandbox-symlink-loop': 'following a symlink cycle is ENOENT, not ELOOP, and a chain of 40 symlinks does not resolve',
};

/** Programs not run at all under node:wasi: program → why (each must say). */
const NODE_WASI_SKIP: Readonly<Record<string, string>> = {
  'path_filestat_set_times-invalid-flags':
    'DEADLOCKS the test process: after returning EINVAL for ATIM|ATIM_NOW, node:wasi (uvwasi) still holds the ' +
    "preopen's lock, and the next call on that fd waits on it forever",
  'proc_raise-unsupported':
    'node:wasi (uvwasi) sends the signal to the host process: SIGTERM would end the test runner',
  'fd_close-stdout':
    "node:wasi closes the embedder's own descriptor when the guest closes fd 1: the test process would lose its stdout file's fd",
  'path_filestat_set_times-now':
    'not a stable comparison: node:wasi drops the sub-second part of times it sets, so ATIM_NOW|MTIM_NOW lands ' +
    'within the 100 ms window only when the clock is in the first 100 ms of a second (about 1 run in 10)',
  'poll_oneoff-clock':
    'HANGS: a REALTIME clock subscription with an absolute time 1 s in the past does not return (not within 20 s)',
};

const PROGRAMS = cFilesUnder(PREVIEW1);
const nameOf = (rel: string): string => rel.replace(/\.c$/, '');

/** What a run is compared on: a trap counts as exit code 134, as wasmtime reports it. */
function observed(r: RunResult): { exit_code: number; stdout: string } {
  return { exit_code: r.exitCode ?? TRAP_EXIT_CODE, stdout: r.stdout };
}

function expected(sc: Sidecar): { exit_code: number; stdout: string } {
  return { exit_code: sc.exit_code ?? 0, stdout: sc.stdout ?? '' };
}

/** A failure message with the guest's stderr (its diagnostics) attached. */
function context(name: string, r: RunResult): string {
  return `${name}${r.trap ? ` trapped: ${r.trap}` : ''}\n--- stderr ---\n${r.stderr}`;
}

describe('preview1 guests under iolife', () => {
  for (const rel of PROGRAMS) {
    const name = nameOf(rel);
    const known = KNOWN_FAILING[name];
    const test = known === undefined ? it : it.fails;
    test(`${name}: exits and prints exactly as its sidecar says${known ? ` (KNOWN FAILING: ${known})` : ''}`, () => {
      const cPath = path.join(PREVIEW1, rel);
      const sc = readSidecar(cPath);
      const r = runGuest(cPath, 'iolife', sc);
      expect(observed(r), context(name, r)).toEqual(expected(sc));
      expect(r.outsideChanged, 'something outside the preopens changed').toBe(false);
    });
  }
});

describe('preview1 guests under node:wasi', () => {
  for (const rel of PROGRAMS) {
    const name = nameOf(rel);
    const skip = NODE_WASI_SKIP[name];
    if (skip !== undefined) {
      it.skip(`${name}: not run under node:wasi (${skip})`, () => {});
      continue;
    }
    const differs = NODE_WASI_DIFFERS[name];
    if (differs === undefined) {
      it(`${name}: node:wasi prints the same`, () => {
        const cPath = path.join(PREVIEW1, rel);
        const sc = readSidecar(cPath);
        const r = runGuest(cPath, 'node:wasi', sc);
        expect(observed(r), context(name, r)).toEqual(expected(sc));
      });
    } else {
      it(`${name}: node:wasi differs (${differs})`, () => {
        const cPath = path.join(PREVIEW1, rel);
        const sc = readSidecar(cPath);
        const r = runGuest(cPath, 'node:wasi', sc);
        expect(observed(r), `node:wasi now agrees on ${name}: remove it from NODE_WASI_DIFFERS`).not.toEqual(expected(sc));
      });
    }
  }
});

describe('guest programs', () => {
  const all = cFilesUnder(GUESTS);

  it('every guest program under test/guests has a sidecar .json', () => {
    const missing = all.filter((rel) => !fs.existsSync(path.join(GUESTS, rel.replace(/\.c$/, '.json'))));
    expect(missing).toEqual([]);
  });

  it('every guest program under test/guests is run by a test', () => {
    // Each directory in GUEST_DIRS is discovered whole by the test named there.
    const orphans = all.filter((rel) => !(rel.split(path.sep)[0]! in GUEST_DIRS) || !rel.includes(path.sep));
    expect(orphans).toEqual([]);
    for (const file of new Set(Object.values(GUEST_DIRS))) expect(fs.existsSync(file), file).toBe(true);
  });

  it('every preview1 program is named <call>-<scenario> after a wasi_snapshot_preview1 function (or sandbox-/fault-)', () => {
    const wasi = new WASI({ version: 'preview1' });
    const calls = new Set([...Object.keys(wasi.wasiImport), 'sandbox', 'fault']);
    wasi.dispose();
    const bad = PROGRAMS.map(nameOf).filter((n) => {
      const m = /^([a-z_0-9]+)(-[a-z0-9]+)*$/.exec(n);
      return m === null || !calls.has(m[1]!) || (m[1] !== n && !n.startsWith(`${m[1]}-`));
    });
    expect(bad).toEqual([]);
  });

  it('every wasi_snapshot_preview1 function is called by at least one preview1 guest', () => {
    const wasi = new WASI({ version: 'preview1' });
    const functions = Object.keys(wasi.wasiImport);
    wasi.dispose();
    expect(functions.length).toBe(46);
    const sources = PROGRAMS.map((rel) => fs.readFileSync(path.join(PREVIEW1, rel), 'utf8')).join('\n');
    const uncalled = functions.filter((f) => !sources.includes(`__wasi_${f}(`) && !sources.includes(`raw_${f}(`));
    expect(uncalled).toEqual([]);
  });

  it('every sidecar states an exit code and the exact stdout', () => {
    const incomplete = all.filter((rel) => {
      const sc = readSidecar(path.join(GUESTS, rel));
      return typeof sc.exit_code !== 'number' || typeof sc.stdout !== 'string';
    });
    expect(incomplete).toEqual([]);
  });

  it('every entry of KNOWN_FAILING, NODE_WASI_DIFFERS and NODE_WASI_SKIP names an existing program and gives a reason', () => {
    const names = new Set(PROGRAMS.map(nameOf));
    for (const list of [KNOWN_FAILING, NODE_WASI_DIFFERS, NODE_WASI_SKIP]) {
      for (const [name, reason] of Object.entries(list)) {
        expect(names.has(name), `${name} is not a program`).toBe(true);
        expect(reason.trim().length, `${name} needs a reason`).toBeGreaterThan(10);
      }
    }
  });
});
