/**
 * Everything a guest can observe of its WASI calls, one normalised line per
 * call, for comparing two backends (test/wasi/differential.node.test.ts).
 *
 * A call's line is WasiOptions.trace's (`name(args) = result (errno)`, or
 * `-> exit N` for proc_exit) followed by what the call wrote into the guest's
 * memory: every byte that changed during the call, as `@address: bytes`
 * runs. The guest is deterministic and single-threaded, so the same
 * program on two backends makes the same calls with the same pointers until
 * the backends answer differently; what changed in memory during a call is
 * exactly what the host wrote.
 *
 * What legitimately differs between a real file system and the simulated
 * one is normalised here, each with its reason:
 *
 * - inode numbers and device ids (filestat dev/ino, dirent d_ino): each OS
 *   numbers its own inodes;
 * - times (filestat atim/mtim/ctim, clock_time_get, clock_res_get): the
 *   simulation's clock is virtual (its resolution 1 ns, the Node backend's 1 µs);
 * - random_get's bytes: seeded on one side, the OS's on the other;
 * - a directory's size in a filestat: a file system's own bookkeeping;
 * - fd_readdir: the order of entries (a real file system lists in its own
 *   order, the simulation in creation order) and hence the cookies (d_next,
 *   the cookie argument). A call that fills the buffer is compared by its
 *   size only; the call that ends a listing (bufused < len) by every entry
 *   read on that fd since the listing started at cookie 0, as the sorted
 *   names and types.
 *
 * No Node imports: the recorder runs in a browser too.
 */

type Arg = number | bigint;
/** Byte ranges [address, length) a call may legitimately write differently. */
type Mask = [number, number][];

const FILETYPE_DIRECTORY = 3;
const SIZE_DIRENT = 24;

/** dev, ino and the three times of a filestat at `buf`; its size too if it is a directory's. */
function filestatMask(buf: number, dv: DataView): Mask {
  const m: Mask = [[buf, 16], [buf + 40, 24]];
  if (dv.getUint8(buf + 16) === FILETYPE_DIRECTORY) m.push([buf + 32, 8]);
  return m;
}

/**
 * What each call may write differently, by name, from its arguments (as
 * unsigned numbers) and the memory after the call. Only consulted when the
 * call succeeded.
 */
const MASKS: Readonly<Record<string, (a: number[], dv: DataView) => Mask>> = {
  fd_filestat_get: ([, buf], dv) => filestatMask(buf!, dv),
  path_filestat_get: ([, , , , buf], dv) => filestatMask(buf!, dv),
  random_get: ([buf, len]) => [[buf!, len!]],
  clock_time_get: ([, , out]) => [[out!, 8]],
  clock_res_get: ([, out]) => [[out!, 8]],
  // Replaced by the decoded listing (see CallRecorder.listing).
  fd_readdir: ([, buf, len]) => [[buf!, len!]],
};

/** Arguments that legitimately differ, by name: their positions. */
const MASKED_ARGS: Readonly<Record<string, readonly number[]>> = {
  fd_readdir: [3], // the cookie: a position in the backend's own order
};

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The complete entries fd_readdir wrote into [buf, buf + used), as `name:type`. */
function direntsIn(dv: DataView, buf: number, used: number): string[] {
  const entries: string[] = [];
  const dec = new TextDecoder();
  for (let at = buf; at + SIZE_DIRENT <= buf + used;) {
    const namlen = dv.getUint32(at + 16, true);
    if (at + SIZE_DIRENT + namlen > buf + used) break; // cut off by the end of the buffer: read again next call
    entries.push(`${dec.decode(new Uint8Array(dv.buffer, at + SIZE_DIRENT, namlen))}:${dv.getUint8(at + 20)}`);
    at += SIZE_DIRENT + namlen;
  }
  return entries;
}

/**
 * The runs of bytes that differ between `before` and `after` (same length),
 * outside `mask`, as `@address: hex` items.
 */
function changes(before: Uint8Array, after: Uint8Array, mask: Mask): string[] {
  const masked = (i: number): boolean => mask.some(([at, n]) => i >= at && i < at + n);
  const out: string[] = [];
  const n = Math.min(before.length, after.length);
  // Compare a word at a time: most of memory is unchanged.
  const w0 = new Uint32Array(before.buffer, before.byteOffset, n >>> 2);
  const w1 = new Uint32Array(after.buffer, after.byteOffset, n >>> 2);
  let i = 0;
  while (i < n) {
    if ((i & 3) === 0 && i + 4 <= n && w0[i >>> 2] === w1[i >>> 2]) {
      i += 4;
      continue;
    }
    if (before[i] === after[i] || masked(i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && before[j] !== after[j] && !masked(j)) j++;
    out.push(`@${i}: ${hex(after.subarray(i, j))}`);
    i = j;
  }
  return out;
}

/** Records one normalised line per WASI call; see the file comment. */
export class CallRecorder {
  /** The normalised lines, one per call, in order. */
  readonly calls: string[] = [];
  private line: string | null = null;
  /** fd → the entries fd_readdir has returned since cookie 0. */
  private readonly listings = new Map<number, Set<string>>();

  /** Pass as WasiOptions.trace. */
  readonly trace = (line: string): void => {
    this.line = line;
  };

  /** Pass as the runner's wrapImports: wraps wasi_snapshot_preview1 to record what each call wrote. */
  readonly wrapImports = (imports: WebAssembly.Imports, memory: () => WebAssembly.Memory): WebAssembly.Imports => {
    const wasi = imports.wasi_snapshot_preview1 as Record<string, (...args: Arg[]) => number>;
    const wrapped: Record<string, (...args: Arg[]) => number> = {};
    for (const [name, fn] of Object.entries(wasi)) {
      wrapped[name] = (...args: Arg[]): number => {
        const before = new Uint8Array(memory().buffer).slice();
        this.line = null;
        let result: number | undefined;
        try {
          result = fn(...args);
          return result;
        } finally {
          this.record(name, args, result, before, new Uint8Array(memory().buffer));
        }
      };
    }
    return { ...imports, wasi_snapshot_preview1: wrapped };
  };

  private record(name: string, args: Arg[], result: number | undefined, before: Uint8Array, after: Uint8Array): void {
    if (this.line === null) throw new Error(`${name}: the WASI object traced nothing for this call (is trace set?)`);
    const u = args.map((a) => (typeof a === 'bigint' ? Number(BigInt.asUintN(53, a)) : a >>> 0));
    const dv = new DataView(after.buffer);
    let line = this.line;
    const hidden = MASKED_ARGS[name];
    if (hidden !== undefined) {
      const shown = args.map((a, i) => (hidden.includes(i) ? '*' : String(a)));
      line = line.replace(`${name}(${args.map(String).join(', ')})`, `${name}(${shown.join(', ')})`);
    }
    const ok = result === 0;
    const mask = ok ? (MASKS[name]?.(u, dv) ?? []) : [];
    const extra = changes(before, after, mask);
    if (ok && name === 'fd_readdir') extra.unshift(this.listing(dv, args[0] as number, args[3] as bigint, u[1]!, u[2]!, u[4]!));
    this.calls.push(extra.length === 0 ? line : `${line} | ${extra.join(' ')}`);
  }

  private listing(dv: DataView, fd: number, cookie: bigint, buf: number, len: number, usedPtr: number): string {
    const used = dv.getUint32(usedPtr, true);
    let seen = this.listings.get(fd);
    if (seen === undefined || cookie === 0n) this.listings.set(fd, (seen = new Set()));
    for (const e of direntsIn(dv, buf, used)) seen.add(e);
    if (used >= len) return `listing fills the buffer (${used} bytes; entry order is the backend's own)`;
    this.listings.delete(fd);
    return `listing [${[...seen].sort().join(' ')}]`;
  }
}

/** The first index at which two call lists differ, or -1 if they are equal. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}
