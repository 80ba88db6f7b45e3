/**
 * Character devices backed by JavaScript functions: the embedder's stdin,
 * stdout and stderr (or a console). See {@link DeviceIo}.
 */
import { Errno } from '../types.js';
import { MemHandle } from './handle.js';
import type { Kernel } from './kernel.js';
import { DeviceNode, type DeviceIo } from './nodes.js';

/** A handle on a new character device; readable and writable as `io` has read/write. */
export function makeDevice(k: Kernel, io: DeviceIo): MemHandle {
  return new MemHandle(k, new DeviceNode(k.ino(), k.now(), io), io.read !== undefined, io.write !== undefined);
}

export function deviceRead(d: DeviceNode, bufs: readonly Uint8Array[]): number {
  const read = d.io.read;
  if (read === undefined) return -Errno.badf;
  let total = 0;
  for (let i = 0; i < bufs.length; i++) {
    const b = bufs[i]!;
    const n = read(b);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < b.length) break;
  }
  return total;
}

export function deviceWrite(d: DeviceNode, bufs: readonly Uint8Array[]): number {
  const write = d.io.write;
  if (write === undefined) return -Errno.badf;
  let total = 0;
  for (let i = 0; i < bufs.length; i++) {
    const b = bufs[i]!;
    const n = write(b);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < b.length) break;
  }
  return total;
}
