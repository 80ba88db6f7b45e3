/**
 * poll: readiness of handles, on the virtual clock.
 *
 * Per handle: 0 not ready, 1 ready, 2 hung up or in error — the values
 * the Node backend derives from poll(2), computed the way Linux would set
 * POLLIN / POLLOUT / POLLHUP / POLLERR:
 *
 * - files, directories and character devices: always ready;
 * - a pipe's read end: 2 once no write end is open (POLLHUP, even with
 *   bytes left to read), 1 with bytes queued; its write end: 2 once no read
 *   end is open (POLLERR), 1 with space; a direction the end does not have
 *   reports only the hang-up;
 * - a connection: 2 once reset, or once both directions are shut down
 *   (this end's writing, and reading here or by the peer's end of
 *   transmission); reading: 1 with bytes queued or at end of file; writing:
 *   1 with space in the peer's buffer, or when a write would fail at once;
 * - a listener: reading 1 with a connection pending; writing never; 2 once
 *   stopped by shutdown(RD);
 * - a closed or foreign handle: 2 (POLLNVAL).
 *
 * Waiting: a simulation has one thread, so nothing can change while it
 * waits. With nothing ready, a timeout moves the virtual clock forward by
 * that much and returns (all 0): the caller sees its timer expire. Without
 * a timeout (`-1n`) the wait could never end: `deadlk` is returned instead
 * of hanging.
 */
import { Errno } from '../types.js';
import { live, type MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { ListenerNode, PipeNode, SocketNode } from './nodes.js';

/** Readiness of one handle: 0, 1 or 2. */
export function readiness(k: Kernel, h: MemHandle, write: boolean): number {
  const n = live(k, h);
  if (n === null) return 2;
  if (n instanceof PipeNode) {
    if (h.readable) {
      if (n.writers === 0) return 2;
      return !write && n.queue.length > 0 ? 1 : 0;
    }
    if (n.readers === 0) return 2;
    return write && n.queue.space > 0 ? 1 : 0;
  }
  if (n instanceof SocketNode) {
    const p = n.peer;
    const peerDone = p === null || p.wrShut || p.closed;
    if (n.reset || (n.wrShut && (n.rdShut || peerDone))) return 2;
    if (write) return n.wrShut || p === null || p.closed || p.inbox.space > 0 ? 1 : 0;
    return n.inbox.length > 0 || n.rdShut || peerDone ? 1 : 0;
  }
  if (n instanceof ListenerNode) return n.closed ? 2 : !write && n.pending.length > 0 ? 1 : 0;
  return 1;
}

/**
 * Readiness of `hs` (for writing where `write[i]`), waiting up to
 * `timeoutNs` (-1n: no limit) on the virtual clock: see the module comment.
 */
export function poll(k: Kernel, hs: readonly MemHandle[], write: readonly boolean[], timeoutNs: bigint): number[] | Errno {
  const out = new Array<number>(hs.length);
  let ready = false;
  for (let i = 0; i < hs.length; i++) {
    const r = readiness(k, hs[i]!, write[i] === true);
    out[i] = r;
    if (r !== 0) ready = true;
  }
  if (ready || timeoutNs === 0n) return out;
  if (timeoutNs < 0n) return Errno.deadlk;
  k.platform.advance(timeoutNs);
  return out;
}
