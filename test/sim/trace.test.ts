// The trace of a seeded history is a function of the seed alone, on every
// engine. golden.json holds the trace hashes (FNV-1a over the trace lines) of
// a few seeds; this test runs in Node AND in Chromium against that one file,
// so passing in both projects proves that both engines produce the same
// histories. After a deliberate change of behaviour (of the core, the
// simulated OS or the simulator) regenerate it with
//   npm run sim -- --update-golden
// and look at a trace (npm run sim -- --seed <n> --trace) before committing.

import { describe, expect, test } from "vitest";
import { coreModule } from "../../host/core/index.js";
import { fnv1a, simulate } from "../../host/sim/index.js";
import golden from "./golden.json";

describe("trace", () => {
  test("fnv1a(): the reference values of 32-bit FNV-1a", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  const seeds = Object.keys(golden.hashes);
  test(`simulate(): trace hashes of seeds ${seeds.join(", ")} equal test/sim/golden.json, committed so that Node and Chromium are held to the same traces`, async () => {
    const module = await coreModule();
    const got: Record<string, string> = {};
    for (const seed of seeds) {
      const r = await simulate({ seed: Number(seed), steps: golden.steps, module });
      expect(r.failure, r.failure ? `${r.failure.message}\n  reproduce: ${r.failure.command}` : "").toBeNull();
      got[seed] = r.hash;
    }
    expect(got, "traces differ from golden.json: if the change is deliberate, run `npm run sim -- --update-golden`").toEqual(golden.hashes);
  });
});
