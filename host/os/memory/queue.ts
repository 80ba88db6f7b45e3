/**
 * A bounded byte queue (ring buffer): the buffer of a pipe or of one
 * direction of a socket. Fixed capacity, allocated once; push and pop copy
 * only the bytes moved (never the whole queue).
 */
export class ByteQueue {
  private readonly buf: Uint8Array;
  /** Index of the oldest byte. */
  private head = 0;
  /** Bytes queued. */
  length = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  /** Free space, in bytes. */
  get space(): number {
    return this.capacity - this.length;
  }

  /** Appends up to `max` bytes gathered from `bufs`; returns how many were queued. */
  push(bufs: readonly Uint8Array[], max: number): number {
    let room = Math.min(max, this.space);
    let moved = 0;
    const cap = this.capacity;
    for (let i = 0; i < bufs.length && room > 0; i++) {
      const src = bufs[i]!;
      let off = 0;
      while (off < src.length && room > 0) {
        const tail = (this.head + this.length) % cap;
        const n = Math.min(src.length - off, room, cap - tail);
        this.buf.set(src.subarray(off, off + n), tail);
        off += n;
        room -= n;
        moved += n;
        this.length += n;
      }
    }
    return moved;
  }

  /**
   * Moves up to `max` bytes into `bufs` (scatter), oldest first; with `peek`
   * the bytes stay queued. Returns how many were copied.
   */
  pop(bufs: readonly Uint8Array[], max: number, peek: boolean): number {
    let left = Math.min(max, this.length);
    let at = this.head;
    let moved = 0;
    const cap = this.capacity;
    for (let i = 0; i < bufs.length && left > 0; i++) {
      const dst = bufs[i]!;
      let off = 0;
      while (off < dst.length && left > 0) {
        const n = Math.min(dst.length - off, left, cap - at);
        dst.set(this.buf.subarray(at, at + n), off);
        off += n;
        left -= n;
        moved += n;
        at = (at + n) % cap;
      }
    }
    if (!peek) {
      this.head = this.length === moved ? 0 : at;
      this.length -= moved;
    }
    return moved;
  }

  /** Drops every queued byte. */
  clear(): void {
    this.head = 0;
    this.length = 0;
  }
}
