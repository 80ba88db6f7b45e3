// Builds the ownership core as a WebAssembly component (see NOTES.md for the
// machinery): assembly/component.ts --asc + renames--> core module
// --componentEmbed/componentNew with wit/core.wit--> component, checked
// against the WIT, transpiled by jco, and bound by the generated fast binding.
//
//   coreMapping(witText)                  -> rename mapping (asc export -> CABI name)
//   compileComponentCore({ root })        -> Promise<Uint8Array> (the core module)
//   buildCoreComponent({ root, log })     -> Promise<{ core, component, written }>, written under build/
//
//   node scripts/component/iolife-core.mjs    builds it (scripts/build.mjs runs this as a child
//                                             process: see the asc caveat in asc-core.mjs)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileCore } from './asc-core.mjs';
import { componentize, inspectComponent, sameExportedTypes, transpile } from './componentize.mjs';
import { generateFastBinding } from './fast-binding.mjs';
import { parseWit, findInterface, resolveType, pascal } from './wit-lite.mjs';

/** The WIT world the component implements, and where its text lives. */
export const WORLD = 'core';
export const WIT_FILE = 'wit/core.wit';
export const ENTRY = 'assembly/component.ts';
/** The name jco gives the transpiled module (build/component/jco/iolife-core.js). */
export const NAME = 'iolife-core';

const snake = (s) => s.replace(/-/g, '_');

/** Does a WIT type (resolved in `iface`) hold a list anywhere? Such results need a post-return. */
function holdsList(wit, iface, ty) {
  const t = resolveType(wit, iface, ty);
  switch (t?.k) {
    case 'list': return true;
    case 'option': return holdsList(wit, iface, t.some);
    case 'result': return [t.ok, t.err].some((x) => x && holdsList(wit, iface, x));
    case 'record': return t.fields.some((f) => holdsList(wit, iface, f.type));
    case 'tuple': return t.elems.some((e) => holdsList(wit, iface, e));
    case 'variant': return t.cases.some((c) => c.type && holdsList(wit, iface, c.type));
    default: return false;
  }
}

/**
 * The rename mapping for assembly/component.ts, derived from the WIT by the
 * naming convention written at the top of that file. Strict: a WIT item
 * without its AssemblyScript export fails the asc build, and componentNew
 * fails on a core export the WIT does not know only if it looks like a CABI
 * name, so the mapping is also what keeps the two in step.
 */
export function coreMapping(witText) {
  const wit = parseWit(witText);
  const world = [...wit.packages.values()].find((p) => p.worlds.has(WORLD)).worlds.get(WORLD);
  const exports = {};
  const add = (iface, asName, fn) => {
    const cabi = `${iface.qname}#${fn.name}`;
    exports[asName] = cabi;
    if (fn.result && holdsList(wit, iface, fn.result)) exports[`post_${asName}`] = `cabi_post_${cabi}`;
  };
  for (const e of world.exports) {
    if (e.kind !== 'iface') throw new Error(`iolife-core: world-level export ${e.func.name} has no naming convention`);
    const iface = findInterface(wit, e.ref, world.pkg);
    for (const r of [...iface.types.values()].filter((t) => t.k === 'resource')) {
      const base = snake(r.name);
      if (r.ctor) add(iface, `${base}_constructor`, r.ctor);
      for (const s of r.statics) add(iface, `${base}_static_${snake(s.short)}`, s);
      for (const m of r.methods) add(iface, `${base}_${snake(m.short)}`, m);
      exports[`${base}_dtor`] = `${iface.qname}#[dtor]${r.name}`;
    }
    for (const f of iface.funcs) add(iface, snake(f.name), f);
  }
  return { exports, strict: true };
}

/**
 * asc options of the release core (asconfig.json: target "release" over
 * "options"), as CLI flags, so the component's core is compiled exactly as
 * build/core.wasm is. Entries and outFile are the component build's own.
 */
export function releaseArgs(root) {
  const cfg = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
  const opts = { ...cfg.options, ...cfg.targets?.release };
  const args = [];
  for (const [k, v] of Object.entries(opts)) {
    if (k === 'outFile' || k === 'use' || v === false) continue; // compileCore adds --use abort=
    args.push(`--${k}`);
    if (v !== true) args.push(String(v));
  }
  return args;
}

export async function compileComponentCore({ root, witText = readFileSync(join(root, WIT_FILE), 'utf8') }) {
  return compileCore({ entry: join(root, ENTRY), mapping: coreMapping(witText), args: releaseArgs(root), baseDir: root });
}

/** Fails the build when wit-component silently left something out (NOTES.md, "Pitfalls"). */
async function checkComponent(component, witText, mapping) {
  if (!(await sameExportedTypes(component, witText, WORLD))) {
    throw new Error(`iolife-core: the component's exported types differ from ${WIT_FILE}`);
  }
  const info = await inspectComponent(component);
  if (info.resources.table?.dtor !== true) throw new Error('iolife-core: resource table has no destructor');
  for (const cabi of Object.values(mapping.exports)) {
    if (!cabi.startsWith('cabi_post_')) continue;
    const fn = cabi.slice(cabi.indexOf('#') + 1);
    if (!info.lifts[fn]?.postReturn) throw new Error(`iolife-core: ${fn} has no post-return`);
  }
  return info;
}

/**
 * Everything under build/ for the component:
 *   build/iolife-core.component.wasm         the component
 *   build/component/iolife-core.core.wasm    its core module (what the fast binding instantiates)
 *   build/component/iolife-core.fast.js      the generated fast binding (+ .d.ts, and handles.d.ts:
 *                                            jco's types with flags parameters widened to numbers)
 *   build/component/core-wasm.js             the core module as base64 (+ .d.ts), for browsers and bundlers
 *   build/component/index.js                 iolife/component: the fast binding, loaded (+ .d.ts)
 *   build/component/jco/                     jco's own transpiled output, unmodified, for comparison
 */
export async function buildCoreComponent({ root, log = () => {} }) {
  const witText = readFileSync(join(root, WIT_FILE), 'utf8');
  const mapping = coreMapping(witText);
  const core = await compileCore({ entry: join(root, ENTRY), mapping, args: releaseArgs(root), baseDir: root });
  const component = await componentize({ coreWasm: core, witText, world: WORLD });
  await checkComponent(component, witText, mapping);

  const out = join(root, 'build', 'component');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const written = {};
  const write = (path, bytes) => { writeFileSync(path, bytes); written[relative(root, path)] = bytes.length; };
  write(join(root, 'build', `${NAME}.component.wasm`), component);
  write(join(out, `${NAME}.core.wasm`), core);

  await transpile(component, join(out, 'jco'), NAME);
  log(`jco transpile -> ${relative(root, join(out, 'jco'))}/`);

  const fast = generateFastBinding({ witText, world: WORLD, name: NAME, coreWasm: core });
  write(join(out, `${NAME}.fast.js`), fast);
  write(join(out, `${NAME}.fast.d.ts`), FAST_DTS);
  const jcoTypes = readFileSync(join(out, 'jco', 'interfaces', 'iolife-core-handles.d.ts'), 'utf8');
  write(join(out, 'handles.d.ts'), GENERATED + widenFlagsParams(jcoTypes, witText));
  write(join(out, 'core-wasm.js'), `${GENERATED}export const coreWasmBase64 = "${Buffer.from(core).toString('base64')}";\n`);
  write(join(out, 'core-wasm.d.ts'), `${GENERATED}/** build/component/${NAME}.core.wasm, base64-encoded. */\nexport declare const coreWasmBase64: string;\n`);
  write(join(out, 'index.js'), INDEX_JS);
  write(join(out, 'index.d.ts'), INDEX_DTS);
  return { core, component, written };
}

const GENERATED = '// Generated by scripts/component/iolife-core.mjs. Do not edit.\n';

/**
 * jco's types for the interface, with every flags-typed parameter widened to
 * `| number`: the fast binding also takes a bitmask there (bit n = member n).
 * jco prints each signature on one line; a signature this does not recognise
 * is left as jco wrote it (still correct, only narrower).
 */
export function widenFlagsParams(dts, witText) {
  const iface = findInterface(parseWit(witText), 'handles');
  const flags = [...iface.types.values()].filter((t) => t.k === 'flags').map((t) => pascal(t.name));
  const param = new RegExp(`(\\w+\\??: )(${flags.join('|')})\\b(?! \\| number)`, 'g');
  return dts.split('\n').map((line) => {
    const m = /^(\s*(?:export function |static )?[\w$]+\()(.*)(\)(?:: .*)?;?)$/.exec(line);
    if (!m || /^\s*(export )?(interface|type|class) /.test(line)) return line;
    return m[1] + m[2].replace(param, '$1$2 | number') + m[3];
  }).join('\n');
}
const QNAME = 'iolife:core/handles@0.1.0';

// The fast binding's shapes are jco's (NOTES.md), so its types are jco's
// too, with flags parameters widened (handles.d.ts).
const FAST_DTS = `${GENERATED}import type * as Handles from './handles.js';

/** The \`iolife:core/handles\` interface: \`Table\`, \`descriptionCount\`, \`takeReleased\`. */
export type HandlesApi = typeof Handles;
export type * from './handles.js';

/** Thrown for an \`err\` result; \`payload\` is the WIT \`error-code\`. */
export declare class ComponentError extends Error {
  readonly payload: Handles.ErrorCode;
}

export interface InstantiateOptions {
  /** Drop tables whose JS object was garbage-collected without [Symbol.dispose]() (default true). */
  finalize?: boolean;
  /** Capture a stack for each ComponentError (default true). */
  errorStacks?: boolean;
}

/**
 * Instantiates the component's core module (build/component/${NAME}.core.wasm,
 * or its bytes) with the Canonical-ABI glue in plain JS: a new instance, with
 * its own tables and open descriptions.
 */
export declare function instantiate(module: WebAssembly.Module | BufferSource, options?: InstantiateOptions): {
  handles: HandlesApi;
  '${QNAME}': HandlesApi;
  /** The core module's raw exports. */
  $exports: WebAssembly.Exports;
};
`;

const INDEX_JS = `${GENERATED}// iolife/component: the ownership core as the WebAssembly component
// iolife:core (wit/core.wit), through iolife's generated fast binding. The
// same JS shapes as jco's transpiled output (build/component/jco/), without
// jco's per-call task machinery. No I/O: the core module is embedded.
import { instantiate } from './${NAME}.fast.js';
import { coreWasmBase64 } from './core-wasm.js';

export { instantiate, ComponentError } from './${NAME}.fast.js';

let compiled;
let compiledSync;

function bytes() {
  const raw = atob(coreWasmBase64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The component's core module, compiled once per JS realm. */
export function coreModule() {
  compiled ??= WebAssembly.compile(bytes());
  return compiled;
}

/** coreModule() compiled synchronously: Node and workers (a browser's main thread refuses large synchronous compiles). */
export function coreModuleSync() {
  compiledSync ??= new WebAssembly.Module(bytes());
  return compiledSync;
}

/** A new instance of the component: \`{ Table, descriptionCount, takeReleased }\`. */
export async function load(options) {
  return instantiate(await coreModule(), options).handles;
}

/** load() without awaiting (Node, workers). */
export function loadSync(options) {
  return instantiate(coreModuleSync(), options).handles;
}
`;

const INDEX_DTS = `${GENERATED}import type { HandlesApi, InstantiateOptions } from './${NAME}.fast.js';

export { instantiate, ComponentError } from './${NAME}.fast.js';
export type * from './${NAME}.fast.js';

/** The component's core module, compiled once per JS realm. */
export declare function coreModule(): Promise<WebAssembly.Module>;
/** coreModule() compiled synchronously (Node, workers). */
export declare function coreModuleSync(): WebAssembly.Module;
/** A new instance of iolife:core: its own tables and open descriptions. */
export declare function load(options?: InstantiateOptions): Promise<HandlesApi>;
/** load() without awaiting (Node, workers). */
export declare function loadSync(options?: InstantiateOptions): HandlesApi;
`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const { written } = await buildCoreComponent({ root });
  for (const [path, size] of Object.entries(written)) console.log(`  ${path} (${size} bytes)`);
}
