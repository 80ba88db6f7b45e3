/**
 * The simulator's dice: xoshiro128** (host/os/memory/platform.ts, the same
 * bits for the same seed on every engine) with the few draws a generator
 * needs. Only integer arithmetic, so Node and browsers agree bit for bit.
 */
import { Xoshiro128 } from "../os/memory/platform.js";

export class Rng {
  private readonly x: Xoshiro128;

  constructor(seed: number) {
    this.x = new Xoshiro128(seed);
  }

  /** 32 random bits. */
  u32(): number {
    return this.x.next();
  }

  /** An integer in [0, n) (n >= 1). */
  int(n: number): number {
    return this.x.next() % n;
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `percent` / 100. */
  chance(percent: number): boolean {
    return this.int(100) < percent;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("rng.pick: nothing to pick from");
    return items[this.int(items.length)]!;
  }

  /** An index into `weights`, each chosen in proportion to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.int(total);
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  fill(buf: Uint8Array): void {
    this.x.fill(buf);
  }
}
