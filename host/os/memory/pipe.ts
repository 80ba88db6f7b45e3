/**
 * Pipes: a bounded buffer between a read end and a write end.
 *
 * - read: the queued bytes; 0 (end of file) once every write end is closed
 *   and the buffer is empty; otherwise `again`. A simulation cannot block:
 *   a blocking read of an empty pipe whose writer is still open returns
 *   `again` too (waiting would wait forever, nothing else runs).
 * - write: `pipe` when no read end is open (no SIGPIPE: WASI has none);
 *   a write of at most PIPE_BUF (4096) bytes is all or nothing (`again` if
 *   it does not fit); a longer one writes what fits, `again` if nothing does.
 * - readiness: see poll.ts.
 */
import { Errno } from '../types.js';
import { MemHandle } from './handle.js';
import { type Kernel, PIPE_BUF } from './kernel.js';
import { PipeNode } from './nodes.js';

/** A new pipe: [read end, write end]. */
export function makePipe(k: Kernel): [MemHandle, MemHandle] {
  const p = new PipeNode(k.ino(), k.now(), k.pipeCapacity);
  return [new MemHandle(k, p, true, false), new MemHandle(k, p, false, true)];
}

export function pipeRead(k: Kernel, p: PipeNode, bufs: readonly Uint8Array[]): number {
  if (p.queue.length === 0) return p.writers === 0 ? 0 : -Errno.again;
  const n = p.queue.pop(bufs, Number.MAX_SAFE_INTEGER, false);
  p.atim = k.now();
  return n;
}

export function pipeWrite(k: Kernel, p: PipeNode, bufs: readonly Uint8Array[]): number {
  if (p.readers === 0) return -Errno.pipe;
  let total = 0;
  for (let i = 0; i < bufs.length; i++) total += bufs[i]!.length;
  if (total === 0) return 0;
  const space = p.queue.space;
  if (space === 0 || (total <= PIPE_BUF && space < total)) return -Errno.again;
  const n = p.queue.push(bufs, total);
  const now = k.now();
  p.mtim = now;
  p.ctim = now;
  return n;
}

/** Close one end of a pipe. */
export function pipeClose(h: MemHandle, p: PipeNode): void {
  if (h.readable) p.readers--;
  if (h.writable) p.writers--;
  // Nobody can read what is queued any more.
  if (p.readers === 0) p.queue.clear();
}
