/**
 * The bytes of a regular file: positional reads and writes, resizing.
 * Growth doubles the capacity (amortized O(1) per appended byte); only the
 * bytes read or written are copied, never the whole file per call.
 */
import { Errno } from '../types.js';
import type { Kernel } from './kernel.js';
import type { FileNode } from './nodes.js';

/** Smallest capacity a file grows to. */
const MIN_CAPACITY = 64;

/** Copy bytes of `f` from `pos` into `bufs` (scatter): bytes read (0 at or past the end). */
export function readAt(f: FileNode, bufs: readonly Uint8Array[], pos: number): number {
  const size = f.size;
  if (pos >= size) return 0;
  const data = f.data;
  let at = pos;
  for (let i = 0; i < bufs.length && at < size; i++) {
    const dst = bufs[i]!;
    const n = Math.min(dst.length, size - at);
    // Bytes in [data.length, size) were never written (a truncate up): zeros.
    const stored = Math.max(0, Math.min(n, data.length - at));
    if (stored > 0) dst.set(data.subarray(at, at + stored));
    if (stored < n) dst.fill(0, stored, n);
    at += n;
  }
  return at - pos;
}

/** Make room for bytes up to `end` (exclusive), doubling the capacity. */
function reserve(k: Kernel, f: FileNode, end: number): void {
  const cap = f.data.length;
  if (end <= cap) return;
  const grown = Math.min(Math.max(end, cap * 2, MIN_CAPACITY), Math.max(end, k.maxFileSize));
  const data = new Uint8Array(grown);
  data.set(cap <= f.size ? f.data : f.data.subarray(0, f.size));
  f.data = data;
}

/**
 * Write `bufs` (gather) into `f` at `pos`: bytes written, or a negated
 * errno (`fbig` past the largest file size, `nospc` when the quota is
 * spent). A write that only partly fits writes what fits, as Linux does.
 */
export function writeAt(k: Kernel, f: FileNode, bufs: readonly Uint8Array[], pos: number): number {
  let total = 0;
  for (let i = 0; i < bufs.length; i++) total += bufs[i]!.length;
  if (total === 0) return 0;
  if (pos >= k.maxFileSize) return -Errno.fbig;
  let end = Math.min(pos + total, k.maxFileSize);
  if (end > f.size && k.charge(f.size, end) !== Errno.success) {
    // Partly: up to what the quota allows.
    end = f.size + Math.max(0, k.free);
    if (end <= pos) return -Errno.nospc;
    k.charge(f.size, end);
  }
  reserve(k, f, end);
  const data = f.data;
  let at = pos;
  for (let i = 0; i < bufs.length && at < end; i++) {
    const src = bufs[i]!;
    const n = Math.min(src.length, end - at);
    data.set(n === src.length ? src : src.subarray(0, n), at);
    at += n;
  }
  if (end > f.size) f.size = end;
  const now = k.now();
  f.mtim = now;
  f.ctim = now;
  return at - pos;
}

/** Set the size of `f` (truncate or extend with zeros): `fbig` past the largest file size, `nospc` over quota. */
export function resize(k: Kernel, f: FileNode, size: number): Errno {
  if (size > k.maxFileSize) return Errno.fbig;
  const e = k.charge(f.size, size);
  if (e !== Errno.success) return e;
  if (size < f.size) {
    // Keep the invariant: bytes past the size are zero.
    f.data.fill(0, Math.min(size, f.data.length), Math.min(f.size, f.data.length));
    // Give back memory when a file shrinks to a quarter of its capacity.
    if (size < f.data.length >>> 2) f.data = f.data.slice(0, Math.max(size, MIN_CAPACITY));
  }
  f.size = size;
  const now = k.now();
  f.mtim = now;
  f.ctim = now;
  return Errno.success;
}
