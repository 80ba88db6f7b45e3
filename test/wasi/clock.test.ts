/**
 * clock_time_get's Wasm fast path (host/wasi/clock.ts), in Node and in
 * Chromium: before the guest's memory is bound every call goes to the JS
 * implementation; after, MONOTONIC is answered from Wasm with the same
 * checks (the pointer, in the grown memory too) and every other clock id
 * still goes to JS; a memory it cannot import (shared) keeps the JS path.
 * The C guests clock_time_get-* run through it in the conformance tests.
 */
import { describe, expect, it } from 'vitest';
import { fastClock, type ClockTimeGet } from '../../host/wasi/clock.js';
import { WASI } from '../../host/wasi/browser.js';

const FAULT = 21;
const MONOTONIC = 1;

function setup() {
  const slowCalls: [number, bigint, number][] = [];
  const slow: ClockTimeGet = (id, precision, out) => {
    slowCalls.push([id, precision, out]);
    return 99; // what the JS implementation said: passed through as it is
  };
  let t = 0x1_2345_6789_abcdn;
  let reads = 0;
  const now = (): bigint => {
    reads++;
    return (t += 1000n);
  };
  const clock = fastClock(slow, now);
  if (clock === null) throw new Error('fastClock: no Wasm here');
  return { clock, slowCalls, reads: () => reads, time: () => t };
}

describe('clock_time_get fast path', () => {
  it('goes to the JS implementation until the memory is bound, then answers MONOTONIC from Wasm', () => {
    const { clock, slowCalls, reads, time } = setup();
    expect(clock.fn(MONOTONIC, 5n, 8)).toBe(99);
    expect(slowCalls).toEqual([[MONOTONIC, 5n, 8]]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    clock.bind(memory);
    const dv = new DataView(memory.buffer);
    expect(clock.fn(MONOTONIC, 5n, 8)).toBe(0);
    expect(slowCalls.length).toBe(1);
    expect(reads()).toBe(1);
    expect(dv.getBigUint64(8, true)).toBe(time());
    // Unaligned is fine, as in the JS implementation.
    expect(clock.fn(MONOTONIC, 0n, 13)).toBe(0);
    expect(dv.getBigUint64(13, true)).toBe(time());
  });

  it('every other clock id still goes to the JS implementation, with its arguments', () => {
    const { clock, slowCalls, reads } = setup();
    clock.bind(new WebAssembly.Memory({ initial: 1 }));
    for (const id of [0, 2, 3, 4, 7, -1]) expect(clock.fn(id, 1n, 64)).toBe(99);
    expect(slowCalls).toEqual([0, 2, 3, 4, 7, -1].map((id) => [id, 1n, 64]));
    expect(reads()).toBe(0);
  });

  it('a result pointer past the end is fault, nothing written and the clock not read; the end moves with memory.grow', () => {
    const { clock, reads, time } = setup();
    const memory = new WebAssembly.Memory({ initial: 1 });
    clock.bind(memory);
    const end = 65536;
    for (const out of [end - 7, end, end + 100, -1, -8, 0x7fff_ffff]) expect(clock.fn(MONOTONIC, 0n, out)).toBe(FAULT);
    expect(reads()).toBe(0);
    expect(new Uint8Array(memory.buffer).every((b) => b === 0)).toBe(true);
    expect(clock.fn(MONOTONIC, 0n, end - 8)).toBe(0);
    memory.grow(1);
    expect(clock.fn(MONOTONIC, 0n, end)).toBe(0);
    expect(new DataView(memory.buffer).getBigUint64(end, true)).toBe(time());
    expect(clock.fn(MONOTONIC, 0n, 2 * end - 7)).toBe(FAULT);
  });

  it('a shared memory keeps the JS implementation', () => {
    const { clock, slowCalls } = setup();
    clock.bind(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }));
    expect(clock.fn(MONOTONIC, 0n, 8)).toBe(99);
    expect(slowCalls.length).toBe(1);
  });

  it('WASI imports it: after binding, MONOTONIC reads the platform clock into guest memory', () => {
    const wasi = new WASI();
    const fn = wasi.wasiImport.clock_time_get as unknown as ClockTimeGet;
    expect(String(fn)).toMatch(/native code/); // a Wasm function, not the JS one
    const memory = new WebAssembly.Memory({ initial: 1 });
    wasi.initialize({ exports: { memory } } as unknown as WebAssembly.Instance);
    const dv = new DataView(memory.buffer);
    expect(fn(MONOTONIC, 0n, 0)).toBe(0);
    const t0 = dv.getBigUint64(0, true);
    expect(fn(MONOTONIC, 0n, 8)).toBe(0);
    expect(dv.getBigUint64(8, true)).toBeGreaterThanOrEqual(t0);
    expect(fn(MONOTONIC, 0n, 65530)).toBe(FAULT);
    expect(fn(7, 0n, 0)).toBe(28); // inval, from the JS implementation
    wasi.dispose();
  });
});
