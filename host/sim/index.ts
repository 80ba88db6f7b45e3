/**
 * iolife's deterministic simulation: seeded process histories on one
 * ownership core and one simulated OS, checked against a shadow after
 * every step (see simulator.ts). No Node import: it runs in browsers too.
 *
 *     const r = await simulate({ seed: 7, steps: 200 });
 *     if (r.failure) console.log(r.failure.message, r.failure.command);
 *     r.hash;   // the same on every engine for the same seed and steps
 *
 * test/sim runs it in Node and Chromium; `npm run sim` (scripts/sim.mjs)
 * runs more seeds, prints traces, and updates test/sim/golden.json.
 */
export { simulate, type Sabotage, type SimFailureReport, type SimOptions, type SimResult, type SimStats } from "./simulator.js";
export { fnv1a, reproCommand } from "./trace.js";
