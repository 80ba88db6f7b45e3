// Self-test of the component pipeline on example/ (the iolife:toy/tables toy):
// asc (+ rename transform) -> core -> component -> jco JS and generated fast
// binding; runs the same checks through both and prints ns/call.
//   node scripts/component/selftest.mjs [outDir]      (default: a fresh tmp dir)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { compileCore } from './asc-core.mjs';
import { componentize, transpile, inspectComponent, sameExportedTypes, coreModules } from './componentize.mjs';
import { generateFastBinding } from './fast-binding.mjs';

const here = fileURLToPath(new URL('./example/', import.meta.url));
const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'iolife-comp-'));
const witText = readFileSync(join(here, 'toy.wit'), 'utf8');

const core = await compileCore({ entry: join(here, 'toy.ts'), mapping: JSON.parse(readFileSync(join(here, 'toy.map.json'), 'utf8')) });
const comp = await componentize({ coreWasm: core, witText, world: 'toy' });
writeFileSync(join(out, 'toy.component.wasm'), comp);
assert.ok(await sameExportedTypes(comp, witText, 'toy'), 'exported types differ from WIT');
const info = await inspectComponent(comp);
assert.equal(info.resources.table?.dtor, true, 'table has no destructor (misspelt #[dtor] export?)');
assert.ok(info.lifts['[method]table.handles'].postReturn, 'handles has no post-return');
await transpile(comp, join(out, 'jco'), 'toy', { hoistDebugEnv: true });
writeFileSync(join(out, 'toy-fast.mjs'), generateFastBinding({ witText, world: 'toy', coreWasm: core }));

const jco = (await import(pathToFileURL(join(out, 'jco', 'toy.js')))).tables;
const { instantiate } = await import(pathToFileURL(join(out, 'toy-fast.mjs')));
const fast = instantiate(readFileSync(coreModules(join(out, 'jco'), 'toy')[0])).tables;

function check(tables) {
  const t = new tables.Table(2);
  assert.deepEqual([t.insert(1), t.insert(3)], [1, 2]);
  assert.throws(() => t.insert(0), (e) => e.payload === 'table-full');
  assert.throws(() => t.insert(9), (e) => e.payload === 'bad-kind');
  t.close(1);
  assert.throws(() => t.close(1), (e) => e.payload === 'bad-handle');
  assert.equal(t.kindOf(2), 3); assert.equal(t.kindOf(1), undefined);
  assert.deepEqual(t.stats(), { live: 1, capacity: 2 });
  assert.deepEqual([...t.handles()], [2]);
  assert.equal(t.label(2), 'kind-3#2');
  t.setLabel(2, 'héllo ✓'); assert.equal(t.label(2), 'héllo ✓');
  const before = tables.droppedCount();
  t[Symbol.dispose]();
  assert.equal(tables.droppedCount(), before + 1);
}
function nsPerCall(tables, n) {
  const t = new tables.Table(4);
  let ns = 0;
  for (let w = 0; w < 3; w++) {
    const s = process.hrtime.bigint();
    for (let i = 0; i < n; i++) t.close(t.insert(1));
    ns = Number(process.hrtime.bigint() - s) / (2 * n);
  }
  t[Symbol.dispose]();
  return ns.toFixed(1);
}
check(jco);
check(fast);
console.log(`ok toy: ${out}\n  jco (debug env hoisted): ${nsPerCall(jco, 2e4)} ns/call\n  fast binding:            ${nsPerCall(fast, 1e6)} ns/call`);

// ---- kitchen sink: same inputs through jco and the fast binding must agree
{
  const ksWit = readFileSync(join(here, 'ks.wit'), 'utf8');
  const ksCore = await compileCore({ entry: join(here, 'ks.ts'), mapping: JSON.parse(readFileSync(join(here, 'ks.map.json'), 'utf8')) });
  const ksComp = await componentize({ coreWasm: ksCore, witText: ksWit, world: 'ks' });
  await transpile(ksComp, join(out, 'ks'), 'ks', { instantiation: 'sync' });
  writeFileSync(join(out, 'ks-fast.mjs'), generateFastBinding({ witText: ksWit, world: 'ks', coreWasm: ksCore }));
  const calls = [];
  const host = (tag) => ({
    log(msg) {
      calls.push([tag, 'log', msg]);
      if (msg.startsWith('bad')) throw Object.assign(new Error('refused'), { payload: 'refused:' + msg });
      return msg.length * 10;
    },
    pair(n) { calls.push([tag, 'pair', n]); return [n + 1, 'p'.repeat(n) + 'é']; },
  });
  const jcoKs = (await import(pathToFileURL(join(out, 'ks', 'ks.js'))))
    .instantiate((p) => new WebAssembly.Module(readFileSync(join(out, 'ks', p))), { 'iolife:ks/host': host('jco') }).echo;
  const fastKs = (await import(pathToFileURL(join(out, 'ks-fast.mjs'))))
    .instantiate(ksCore, { imports: { 'iolife:ks/host@0.1.0': host('fast') } }).echo;
  const cases = [
    ['echoRec', { a: 200, b: 2n ** 63n + 5n, c: 'héllo', d: 1.5 }],
    ['echoVar', { tag: 'none' }], ['echoVar', { tag: 'num', val: 4000000000 }], ['echoVar', { tag: 'big', val: -(2n ** 62n) }],
    ['echoVar', { tag: 'fl', val: Math.PI }], ['echoVar', { tag: 'text', val: 'vär' }],
    ['echoFlags', { read: true, write: false, exec: true }],
    ['echoPoints', [{ x: -3, y: 4 }, { x: 32767, y: -32768 }]], ['echoPoints', []],
    ['echoStrs', ['a', '', 'ünï', 'x'.repeat(100)]],
    ['echoOpt', undefined], ['echoOpt', 'some'],
    ['echoTuple', [255, '😀', true]],
    ['echoResult', { tag: 'ok', val: 12345678901234n }], ['echoResult', { tag: 'err', val: 'bäd' }],
    ['echoNested', undefined], ['echoNested', { tag: 'ok', val: 7 }], ['echoNested', { tag: 'err', val: 'blue' }],
    ['sum17', ...Array.from({ length: 16 }, (_, i) => i * 1000), -5],
    ['callHost', 'hello'], ['callHost', 'bad news'],
  ];
  const run = (api, [fn, ...args]) => { try { return { ok: api[fn](...args) }; } catch (e) { return { err: e.payload ?? String(e) }; } };
  for (const c of cases) assert.deepEqual(run(fastKs, c), run(jcoKs, c), c[0]);
  const by = (tag) => calls.filter((c) => c[0] === tag).map((c) => c.slice(1));
  assert.deepEqual(by('fast'), by('jco'));
  console.log(`ok kitchen sink: ${cases.length} cases identical in jco and fast binding`);
}
