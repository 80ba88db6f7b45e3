// The representation of a handle, after io-lifetimes' tests/niche-optimizations.rs:
// 0 (the "none" niche) and 0xFFFFFFFF (the invalid sentinel) are never issued,
// bit 31 is always clear (a handle is a positive i32), and the layout
//
//   handle = (generation << INDEX_BITS) | (slot index + 1),  generation < 2^GEN_BITS
//
// round-trips at its extremes: the first handles, the largest slot, the
// largest generation, and the wrap of the generation back to 0.

import { describe, expect, test } from "vitest";
import {
  GEN_BITS, HandleTable, INDEX_BITS, INDEX_MASK, IolifeError, MAX_CAPACITY,
  type Numbering,
} from "../../host/core/index.js";

const GENERATIONS = 2 ** GEN_BITS;
const encode = (index: number, gen: number): number => ((gen << INDEX_BITS) | (index + 1)) >>> 0;
const indexOf = (h: number): number => (h & INDEX_MASK) - 1;
const genOf = (h: number): number => h >>> INDEX_BITS;

/** A handle as the niche rules require it: not a sentinel, bit 31 clear, a positive i32. */
function expectIssuable(h: number, capacity: number, context: string): void {
  expect(h, context).not.toBe(0);
  expect(h, context).not.toBe(0xffff_ffff);
  expect(h & 0x8000_0000, context).toBe(0);
  expect(h | 0, context).toBeGreaterThan(0);
  expect(indexOf(h), context).toBeGreaterThanOrEqual(0);
  expect(indexOf(h), context).toBeLessThan(capacity);
  expect(encode(indexOf(h), genOf(h)), context).toBe(h);
}

function code(op: () => unknown): string {
  try {
    op();
    return "ok";
  } catch (e) {
    if (e instanceof IolifeError) return e.code;
    throw e;
  }
}

/** xorshift32: a small, seeded, reproducible sequence. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

test("layout constants: 20 slot bits, 11 generation bits, bit 31 left clear", () => {
  expect(INDEX_BITS).toBe(20);
  expect(GEN_BITS).toBe(11);
  expect(INDEX_BITS + GEN_BITS).toBe(31);
  expect(INDEX_MASK).toBe(2 ** 20 - 1);
  expect(MAX_CAPACITY).toBe(2 ** 20 - 1);
});

describe("first handles", () => {
  test.each(["generational", "lowest"] as const)("insert()/dup()/borrow(): a fresh %s table issues 1, 2, 3, …", async (numbering) => {
    const t = await HandleTable.create({ numbering });
    expect(t.insert({ kind: "file" })).toBe(1);
    expect(t.insert({ kind: "file" })).toBe(2);
    expect(t.dup(1)).toBe(3);
    expect(t.borrowHandle(2)).toBe(4);
    expect(t.insert({ kind: "pipe" })).toBe(5);
    expect(t.handles()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("sentinels are never issued", () => {
  const CAPACITIES = [1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 1024];
  const ROUNDS = 3000;

  test.each(["generational", "lowest"] as const)(
    "insert()/close(): full %s tables of several capacities, slots reused thousands of times, never issue 0, 0xFFFFFFFF or bit 31",
    async (numbering: Numbering) => {
      for (const capacity of CAPACITIES) {
        const seed = 0x9e37_79b9 ^ capacity;
        const context = `${numbering}, capacity ${capacity}, seed ${seed}`;
        const next = rng(seed);
        const t = await HandleTable.create({ capacity, numbering });
        const live: number[] = [];
        const gens = new Map<number, number>();
        const issue = () => {
          const h = t.insert({ kind: "file" });
          expectIssuable(h, capacity, context);
          const index = indexOf(h);
          const previous = gens.get(index);
          // Generational: a reused slot advances its generation by exactly one (mod 2^11);
          // lowest-free: the generation stays 0.
          const expected = numbering === "lowest" || previous === undefined ? 0 : (previous + 1) % GENERATIONS;
          expect(genOf(h), context).toBe(expected);
          gens.set(index, genOf(h));
          expect(t.info(h).handle, context).toBe(h);
          live.push(h);
        };
        for (let i = 0; i < capacity; i++) issue();
        expect(code(() => t.insert({ kind: "file" })), context).toBe("full");
        for (let round = 0; round < ROUNDS; round++) {
          const k = next() % live.length;
          t.close(live[k]!);
          live.splice(k, 1);
          issue();
        }
        expect([...t.handles()].sort((a, b) => a - b), context).toEqual([...live].sort((a, b) => a - b));
        // Raw values that are not handles are refused in a full table, never resolved.
        for (const h of live.slice(0, 8)) {
          expect(code(() => t.check((h | 0x8000_0000) >>> 0)), context).toBe("unknown-handle");
        }
        expect(code(() => t.check(0)), context).toBe("unknown-handle");
        expect(code(() => t.check(0xffff_ffff)), context).toBe("unknown-handle");
      }
    },
  );
});

describe("generation wrap", () => {
  test("insert(): reusing one slot 2048 times wraps its generation to 0 without a sentinel; the handle after the wrap is the first one", async () => {
    const t = await HandleTable.create({ capacity: 1 });
    const first = t.insert({ kind: "file", resource: 0 });
    expect(first).toBe(1);
    let h = first;
    for (let k = 1; k <= GENERATIONS; k++) {
      t.close(h);
      h = t.insert({ kind: "file", resource: k });
      expectIssuable(h, 1, `reuse ${k}`);
      expect(h, `reuse ${k}`).toBe(encode(0, k % GENERATIONS));
      if (k === GENERATIONS - 1) {
        // The largest generation still leaves bit 31 clear.
        expect(h).toBe(0x7ff0_0001);
        expect(code(() => t.check(first))).toBe("stale-handle");
      }
    }
    expect(h).toBe(first);
    // The documented limit: after 2^11 reuses the first handle names the slot's new occupant.
    expect(t.check(first)).toBe(GENERATIONS);
  });

  test("insert(): in a lowest-free table a reused slot keeps generation 0 forever", async () => {
    const t = await HandleTable.create({ capacity: 1, numbering: "lowest" });
    let h = t.insert({ kind: "file" });
    for (let k = 0; k < GENERATIONS + 10; k++) {
      t.close(h);
      h = t.insert({ kind: "file" });
      expect(h).toBe(1);
    }
  });
});

describe("capacity extremes", () => {
  test("create(): capacity 2^20 is refused; 2^20 - 1 works up to its last slot, handle 0x000FFFFF", async () => {
    let refused: unknown;
    try {
      await HandleTable.create({ capacity: MAX_CAPACITY + 1 });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(IolifeError);
    expect((refused as IolifeError).code).toBe("invalid-argument");

    const t = await HandleTable.create({ capacity: MAX_CAPACITY });
    expect(t.stats().capacity).toBe(2 ** 20 - 1);
    const f = t.insert({ kind: "file", resource: "F" });
    let last = f;
    // Dups share f's description, so filling a million slots costs entries only.
    for (let i = 1; i < MAX_CAPACITY; i++) last = t.dup(f);
    expect(t.count).toBe(MAX_CAPACITY);
    expect(last).toBe(0x000f_ffff);
    expect(last).toBe(encode(MAX_CAPACITY - 1, 0));
    expect(t.info(last).handle).toBe(last);
    expect(code(() => t.dup(f))).toBe("full");
    t.drop();
  });

  test("dup(): the largest handle, 0x7FFFFFFF (last slot, generation 2047), is issued, usable and wraps back to 0x000FFFFF", async () => {
    const t = await HandleTable.create({ capacity: MAX_CAPACITY });
    const f = t.insert({ kind: "file", resource: "F" });
    let last = f;
    for (let i = 1; i < MAX_CAPACITY; i++) last = t.dup(f);
    const top = last;
    for (let k = 1; k < GENERATIONS; k++) {
      t.close(last);
      last = t.dup(f);
      expect(last).toBe(encode(MAX_CAPACITY - 1, k));
    }
    expect(last).toBe(0x7fff_ffff);
    expectIssuable(last, MAX_CAPACITY, "largest handle");
    expect(t.check(last)).toBe("F");
    expect(t.info(last).handle).toBe(0x7fff_ffff);
    expect(code(() => t.check(top))).toBe("stale-handle");
    t.close(last);
    expect(t.dup(f)).toBe(top);
    t.drop();
  });
});
