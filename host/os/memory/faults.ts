/**
 * Fault injection: make the next operations of a kind fail, or come back
 * short, so that tests can drive a guest down its error paths
 * deterministically.
 *
 *     const sim = createMemoryOs();
 *     sim.faults.fail('openAt', Errno.mfile);          // the next openAt: EMFILE
 *     sim.faults.fail('write', Errno.nospc, 3);        // the next 3 writes: ENOSPC
 *     sim.faults.fail(['read', 'recv'], Errno.intr);   // the next read or recv: EINTR
 *     sim.faults.short('read', 1, Infinity);           // every read returns at most 1 byte
 *     sim.faults.fail('*', Errno.io);                  // the next operation of any kind: EIO
 *     sim.faults.clear();
 *
 * Rules are matched in the order they were added; the first one that
 * applies to the operation is used and its count goes down by one. A
 * failing operation does nothing at all (as a system call refused at
 * entry) and returns the errno the way the operation reports errors (an
 * `Errno`, or a negated one for byte counts) — except `close`, which
 * closes the handle and then reports the errno, as Linux's close(2) does.
 * A short rule limits the buffers of one read-like or write-like call to
 * `maxBytes` in total; the call then behaves as usual on the shortened
 * buffers (a short write really writes only that much).
 *
 * `connect` (the factory's own operation, returning a handle or an errno)
 * can be made to fail too.
 */
import type { Errno } from '../types.js';

/** What an injected fault can target: an `Os` method, the factory's `connect`, or `'*'` (anything). */
export type FaultOp =
  | 'openAt' | 'statAt' | 'mkdirAt' | 'unlinkAt' | 'rmdirAt' | 'renameAt' | 'linkAt' | 'symlinkAt'
  | 'readlinkAt' | 'utimesAt' | 'readdir' | 'read' | 'pread' | 'write' | 'pwrite' | 'seek' | 'fstat'
  | 'ftruncate' | 'fsync' | 'fdatasync' | 'futimes' | 'close' | 'setAppend' | 'accept' | 'shutdown'
  | 'recv' | 'poll' | 'connect' | '*';

/** Operations a short rule can shorten. */
export type ShortOp = 'read' | 'pread' | 'write' | 'pwrite' | 'recv';

interface Rule {
  ops: ReadonlySet<string> | null;
  /** The errno to fail with, or 0 for a short rule. */
  errno: number;
  maxBytes: number;
  remaining: number;
}

export class Faults {
  private rules: Rule[] = [];
  /** True while any rule is pending: the only thing the fast path looks at. */
  armed = false;
  /** Faults injected so far (failures and shortenings), for tests to check. */
  injected = 0;

  /** Make the next `times` operations of kind `op` fail with `errno` (not `success`). */
  fail(op: FaultOp | readonly FaultOp[], errno: Errno, times = 1): this {
    if (errno === 0) throw new RangeError('faults.fail: errno must not be success');
    return this.add(op, errno, 0, times);
  }

  /** Make the next `times` calls of `op` transfer at most `maxBytes` bytes (>= 0). */
  short(op: ShortOp | readonly ShortOp[], maxBytes: number, times = 1): this {
    if (!(maxBytes >= 0)) throw new RangeError('faults.short: maxBytes must be >= 0');
    return this.add(op, 0, Math.floor(maxBytes), times);
  }

  /** Drop every pending rule. */
  clear(): void {
    this.rules = [];
    this.armed = false;
  }

  /** Rules still pending. */
  get pending(): number {
    return this.rules.length;
  }

  /**
   * For operation `op`: the errno of the first failing rule that applies
   * (consuming it), or 0. Short rules are skipped here.
   */
  take(op: string): number {
    const rule = this.find(op, false);
    return rule === null ? 0 : rule.errno;
  }

  /** For a read/write-like `op`: the byte limit of the first short rule that applies (consuming it), or -1. */
  takeShort(op: string): number {
    const rule = this.find(op, true);
    return rule === null ? -1 : rule.maxBytes;
  }

  private add(op: string | readonly string[], errno: number, maxBytes: number, times: number): this {
    if (!(times >= 1)) throw new RangeError('faults: times must be >= 1');
    const list = typeof op === 'string' ? [op] : op;
    this.rules.push({ ops: list.includes('*') ? null : new Set(list), errno, maxBytes, remaining: times });
    this.armed = true;
    return this;
  }

  private find(op: string, short: boolean): Rule | null {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if ((r.errno === 0) !== short) continue;
      if (r.ops !== null && !r.ops.has(op)) continue;
      if (--r.remaining <= 0) {
        rules.splice(i, 1);
        this.armed = rules.length !== 0;
      }
      this.injected++;
      return r;
    }
    return null;
  }
}

/** `bufs` cut to `max` bytes in total (the same arrays when they fit). */
export function shorten(bufs: readonly Uint8Array[], max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = max;
  for (const b of bufs) {
    if (left <= 0) break;
    out.push(b.length <= left ? b : b.subarray(0, left));
    left -= b.length;
  }
  return out;
}
