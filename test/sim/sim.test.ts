// Deterministic simulation (host/sim): seeded process histories on one
// ownership core and one simulated OS — tables forked, shared and exec'd,
// pipes between processes, files, loopback sockets, dup/renumber/transfer/
// close, borrows in scopes, poll registrations, faults injected into the OS —
// checked against the simulator's shadow after every step (see
// host/sim/simulator.ts for the list of invariants). Runs in Node and in
// Chromium. A failing history prints the command that replays it:
//   npm run sim -- --seed <n> --steps <k> --trace
// Environment (Node: process.env; browser: import.meta.env, with or without a
// VITE_ prefix): SIM_SEEDS (default 200), SIM_STEPS (default 200).

import { describe, expect, test } from "vitest";
import { coreModule } from "../../host/core/index.js";
import { ByteQueue } from "../../host/os/memory/queue.js";
import { simulate, type Sabotage, type SimResult } from "../../host/sim/index.js";

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const meta = (import.meta as unknown as { env?: Record<string, string | undefined> }).env;
  return proc?.env?.[name] ?? meta?.[name] ?? meta?.[`VITE_${name}`];
}

const SEEDS = Number(env("SIM_SEEDS") ?? 200);
const STEPS = Number(env("SIM_STEPS") ?? 200);

function describeFailure(r: SimResult): string {
  const f = r.failure!;
  return `seed ${r.seed}, step ${f.step}: ${f.message}\n${f.tail.slice(-8).map((l) => `  | ${l}`).join("\n")}\n  reproduce: ${f.command}`;
}

describe("simulate()", () => {
  test(`simulate(): every invariant holds after every step of ${SEEDS} seeded histories of ${STEPS} steps`, async () => {
    const module = await coreModule();
    const failures: string[] = [];
    let streamed = 0;
    let released = 0;
    let faults = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await simulate({ seed, steps: STEPS, module });
      if (r.failure) failures.push(describeFailure(r));
      streamed += r.stats.streamed;
      released += r.stats.released;
      faults += r.stats.faults;
    }
    expect(failures, failures.join("\n\n")).toEqual([]);
    // The histories do reach the OS: bytes flow, descriptions are released, faults fire.
    expect(streamed).toBeGreaterThan(0);
    expect(released).toBeGreaterThan(SEEDS);
    expect(faults).toBeGreaterThan(0);
  });

  test("simulate(): the same seed gives the same trace; another seed, another trace", async () => {
    const a = await simulate({ seed: 99, steps: 150, keepTrace: true });
    const b = await simulate({ seed: 99, steps: 150, keepTrace: true });
    const c = await simulate({ seed: 100, steps: 150 });
    expect(b.trace).toEqual(a.trace);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  test("simulate(): a shorter run is the same history cut short, so --steps <k> replays a failure at step k", async () => {
    const long = await simulate({ seed: 7, steps: 200, keepTrace: true });
    const short = await simulate({ seed: 7, steps: 60, keepTrace: true });
    // Line 0 is the header (it names the number of steps); lines 1..61 are steps 0..60.
    expect(short.trace!.slice(1, 62)).toEqual(long.trace!.slice(1, 62));
  });

  test("simulate(): catches a simulated OS whose pipes and sockets lose a byte now and then", async () => {
    const pop = ByteQueue.prototype.pop;
    let pops = 0;
    // Every 40th read of more than one byte also swallows the next queued byte.
    ByteQueue.prototype.pop = function (bufs, max, peek) {
      const n = pop.call(this, bufs, max, peek);
      if (!peek && n > 1 && ++pops % 40 === 0) pop.call(this, [new Uint8Array(1)], 1, false);
      return n;
    };
    let caught: SimResult | null = null;
    try {
      for (let seed = 1; seed <= 100 && caught === null; seed++) {
        const r = await simulate({ seed, steps: STEPS });
        if (r.failure) caught = r;
      }
    } finally {
      ByteQueue.prototype.pop = pop;
    }
    expect(caught, "no history caught it").not.toBeNull();
    expect(caught!.failure!.message).toMatch(/^read .*(byte \d+ of \d+ is|the OS answered)|stream \d+: \d+ bytes written/);
  });

  // The checks bite: a host that gets resource handling wrong is caught within a few histories.
  const sabotages: [Sabotage, string][] = [
    ["forget-release", "whose onRelease forgets to close the OS object"],
    ["leak-refused-insert", "that leaks the OS object when the core refuses to insert it"],
    ["close-on-every-close", "that closes the OS object when any one of its handles closes"],
  ];
  for (const [sabotage, what] of sabotages) {
    test(`simulate(): catches a host ${what}, and prints the command that replays it`, async () => {
      let caught: SimResult | null = null;
      for (let seed = 1; seed <= 50 && caught === null; seed++) {
        const r = await simulate({ seed, steps: STEPS, sabotage });
        if (r.failure) caught = r;
      }
      expect(caught, "no history caught it").not.toBeNull();
      const f = caught!.failure!;
      expect(f.message).toMatch(/memory-OS object is (open|closed)/);
      expect(f.command).toBe(`npm run sim -- --seed ${caught!.seed} --steps ${Math.min(f.step, STEPS)} --trace`);
      expect(f.tail.at(-1)).toContain("!!");
    });
  }
});
