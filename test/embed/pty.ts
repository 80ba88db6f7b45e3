/**
 * A pseudo-terminal pair for the tests, through koffi (posix_openpt,
 * grantpt, unlockpt, ptsname): the master to read what a guest wrote to the
 * terminal, the slave (a real terminal: isatty) to hand to the guest.
 */
import fs from 'node:fs';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const posixOpenpt = libc.func('int posix_openpt(int flags)');
const grantpt = libc.func('int grantpt(int fd)');
const unlockpt = libc.func('int unlockpt(int fd)');
const ptsname = libc.func('const char *ptsname(int fd)');

const O_RDWR = 2;
const O_NOCTTY = 0o400;

/** A new pty pair, or null (and the reason) when this machine cannot make one. */
export function openPty(): { master: number; slave: number; path: string } | { unavailable: string } {
  const master = posixOpenpt(O_RDWR | O_NOCTTY) as number;
  if (master < 0) return { unavailable: `posix_openpt failed: errno ${koffi.errno()}` };
  if ((grantpt(master) as number) < 0 || (unlockpt(master) as number) < 0) {
    fs.closeSync(master);
    return { unavailable: `grantpt/unlockpt failed: errno ${koffi.errno()}` };
  }
  const path = ptsname(master) as string | null;
  if (path === null) {
    fs.closeSync(master);
    return { unavailable: 'ptsname failed' };
  }
  const slave = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  return { master, slave, path };
}
