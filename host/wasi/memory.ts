// The guest's linear memory as the host sees it: one set of views per
// instance, renewed only when memory has grown (growth detaches the old
// buffer, so a zero-length view is the cheap signal). Every access the host
// makes on the guest's behalf is bounds-checked first: a wild pointer is the
// guest's contract violation and becomes errno `fault`, never a host crash.

export class GuestMemory {
  private mem: WebAssembly.Memory | undefined;
  u8: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));

  private readonly binders: ((memory: WebAssembly.Memory) => void)[] = [];

  /** Binds the instance's exported memory (and tells those who asked, see onBind). */
  bind(memory: WebAssembly.Memory): void {
    this.mem = memory;
    this.renew();
    for (const f of this.binders) f(memory);
  }

  /** Calls `f` with the memory when it is bound. */
  onBind(f: (memory: WebAssembly.Memory) => void): void {
    this.binders.push(f);
  }

  get bound(): boolean {
    return this.mem !== undefined;
  }

  private renew(): void {
    const buffer = this.mem!.buffer;
    this.u8 = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
  }

  /** Makes the views current; call once at the start of each host call. */
  refresh(): void {
    if (this.u8.byteLength === 0 && this.mem !== undefined) this.renew();
  }

  /** True when [ptr, ptr + len) lies inside memory (ptr and len as the guest passed them, u32). */
  ok(ptr: number, len: number): boolean {
    return (ptr >>> 0) + (len >>> 0) <= this.u8.byteLength;
  }

  /** The guest bytes [ptr, ptr + len) (caller checked bounds). */
  bytes(ptr: number, len: number): Uint8Array {
    return this.u8.subarray(ptr >>> 0, (ptr >>> 0) + (len >>> 0));
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** UTF-8 decoding that reports invalid input as null (errno ilseq), never throws past here. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
