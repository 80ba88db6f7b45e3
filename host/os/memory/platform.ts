/**
 * The simulated OS's clocks and randomness, as a WASI {@link Platform}.
 *
 * Clock: virtual. It starts at `epochNs` (realtime) and 0 (monotonic and
 * CPU time) and moves only when told to: {@link MemoryPlatform.advance},
 * `sleep(ns)`, a `poll` that times out (it advances by its timeout instead
 * of waiting), and `tickNs` per clock reading (default 1 µs) — by the
 * guest, or by the simulated OS stamping a file's times — so that a guest
 * spinning on the clock until a deadline terminates, two readings are never
 * equal, and a later change to a file gets a later time. Nothing here reads
 * the host's clock except the default `epochNs` (the host's time at
 * creation).
 *
 * Randomness: with a `seed`, xoshiro128** (Blackman & Vigna, 2018; 128 bits
 * of state, period 2^128 - 1) seeded through splitmix64: the same seed gives
 * the same bytes, on every engine. NOT cryptographically secure: a seeded
 * platform is for reproducible simulations. Without a seed, bytes come from
 * `crypto.getRandomValues` (secure, not reproducible).
 */
import type { Platform } from '../../wasi/preview1.js';

export interface MemoryPlatformOptions {
  /** Seed of the deterministic generator (a 64-bit integer); omitted: crypto.getRandomValues. */
  seed?: number | bigint;
  /** Realtime clock at the start, ns since the Unix epoch (default: the host's time now). */
  epochNs?: bigint;
  /** How far the clock moves after each clock reading by the guest (default 1000n; 0n freezes it). */
  tickNs?: bigint;
}

/** A {@link Platform} on a virtual clock, plus the controls a simulation needs. */
export interface MemoryPlatform extends Platform {
  /** Moves the virtual clock forward by `ns` (>= 0). */
  advance(ns: bigint): void;
  /** Realtime now, without ticking (what file timestamps use). */
  nowNs(): bigint;
  /** Nanoseconds the clock has moved since the start. */
  readonly elapsedNs: bigint;
}

const MASK64 = (1n << 64n) - 1n;

/** splitmix64 (Steele, Lea & Flood): a 64-bit state to well-mixed 64-bit outputs, used to seed xoshiro. */
function splitmix64(state: { s: bigint }): bigint {
  state.s = (state.s + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** xoshiro128**: four u32 words of state, one u32 per step. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | bigint) {
    const st = { s: BigInt.asUintN(64, BigInt(seed)) };
    const a = splitmix64(st);
    const b = splitmix64(st);
    this.s0 = Number(a & 0xffff_ffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffff_ffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    // The all-zero state is the one fixed point; splitmix64 cannot give it for two outputs, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator in the given state (not all zero): for checking against the reference implementation. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128**: the state must not be all zero');
    const x = new Xoshiro128(0);
    x.s0 = s0 | 0;
    x.s1 = s1 | 0;
    x.s2 = s2 | 0;
    x.s3 = s3 | 0;
    return x;
  }

  /** The next 32 random bits, as an unsigned number. */
  next(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Fills `buf` with random bytes, four per step, little-endian. */
  fill(buf: Uint8Array): void {
    const n = buf.length;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const r = this.next();
      buf[i] = r;
      buf[i + 1] = r >>> 8;
      buf[i + 2] = r >>> 16;
      buf[i + 3] = r >>> 24;
    }
    if (i < n) {
      let r = this.next();
      for (; i < n; i++, r >>>= 8) buf[i] = r;
    }
  }
}

function secureFill(buf: Uint8Array): void {
  // getRandomValues takes at most 65536 bytes per call.
  for (let at = 0; at < buf.length; at += 65536) {
    globalThis.crypto.getRandomValues(buf.subarray(at, Math.min(buf.length, at + 65536)) as Uint8Array<ArrayBuffer>);
  }
}

/** Clocks and randomness for a simulation: see the module comment. */
export function memoryPlatform(options: MemoryPlatformOptions = {}): MemoryPlatform {
  const epoch = options.epochNs ?? BigInt(Date.now()) * 1_000_000n;
  const tick = options.tickNs ?? 1000n;
  if (epoch < 0n) throw new RangeError('memoryPlatform: epochNs must be >= 0');
  if (tick < 0n) throw new RangeError('memoryPlatform: tickNs must be >= 0');
  const rng = options.seed === undefined ? null : new Xoshiro128(options.seed);
  let elapsed = 0n;
  const read = (base: bigint): bigint => {
    const t = base + elapsed;
    elapsed += tick;
    return t;
  };
  return {
    realtimeNs: () => read(epoch),
    monotonicNs: () => read(0n),
    cputimeNs: () => read(0n),
    resolutionNs: 1n,
    random: rng === null ? secureFill : (buf) => rng.fill(buf),
    sleep: (ns) => {
      if (ns > 0n) elapsed += ns;
    },
    advance: (ns) => {
      if (ns < 0n) throw new RangeError('advance: the clock only moves forward');
      elapsed += ns;
    },
    nowNs: () => epoch + elapsed,
    get elapsedNs() {
      return elapsed;
    },
  };
}
