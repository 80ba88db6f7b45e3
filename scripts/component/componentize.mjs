// Core wasm (from asc) -> WebAssembly component -> JS, using the programmatic
// wasm-tools / js-component-bindgen builds shipped in @bytecodealliance/jco-transpile.
// (jco 1.35's CLI `embed` cannot read WIT files; these APIs take WIT text.)
//
//   componentize({ coreWasm, witText, world })      -> Promise<Uint8Array>
//   transpile(componentBytes, outDir, name, opts?)  -> Promise<{ files, imports, exports }>
//   extractWit(componentBytes)                      -> Promise<string>
//   canonicalWit(witText, world)                    -> Promise<string>
//   coreModules(outDir, name)                       -> string[] (core .wasm paths jco wrote)
//   inspectComponent(componentBytes)                -> Promise<{ lifts, resources, coreExports, coreImports }>
//   exportedInterfaceTypes(componentBytes)          -> Promise<{ [iface]: WAT text of its exported types }>
//   sameExportedTypes(componentBytes, witText, world) -> Promise<boolean>
//
// All are async because the vendored tools initialise lazily.
import { mkdir, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  componentEmbed,
  componentNew,
  componentWit,
  print,
} from '@bytecodealliance/jco-transpile/wasm-tools';
import { transpileBytes } from '@bytecodealliance/jco-transpile';

/**
 * Embed `witText` (a single WIT document: one `package` + its interfaces and
 * worlds) into the core module's `component-type` custom section, then run
 * `wasm-tools component new`. The core module must use the Canonical-ABI core
 * names (see NOTES.md) and must not import anything outside the world (in
 * particular no env.abort: build with `--use abort=`).
 */
export async function componentize({ coreWasm, witText, world, stringEncoding = 'utf8' }) {
  const embedded = await componentEmbed({
    binary: toBytes(coreWasm),
    witSource: witText,
    world,
    stringEncoding,
  });
  return componentNew(embedded, []);
}

/** Default transpile options: our components import nothing from WASI. */
export const TRANSPILE_DEFAULTS = Object.freeze({
  // Programmatic default in jco-transpile 0.15 is `true` (the CLI default is
  // false). With true, a top-level `result` error is thrown as the raw payload
  // (e.g. the enum string 'bad-kind'); with false it is `ComponentError`
  // whose `.payload` is that string. We keep jco's CLI behaviour.
  noComponentErrorWrapping: false,
  wasiShim: false,
  base64Cutoff: 0, // always write core modules as separate .wasm files
});

/**
 * Transpile a component to an ES module + core .wasm files in `outDir`
 * (main file: `${outDir}/${name}.js`). `opts` are jco-transpile
 * TranspilationOptions, e.g. { instantiation: 'sync' }, { validLiftingOptimization: true },
 * { nodejsCompat: false }, { tlaCompat: true }; plus our own
 * { hoistDebugEnv: true } (see hoistJcoDebugEnv).
 */
export async function transpile(componentBytes, outDir, name, opts = {}) {
  const { hoistDebugEnv = false, ...jcoOpts } = opts;
  const res = await transpileBytes(toBytes(componentBytes), {
    ...TRANSPILE_DEFAULTS,
    ...jcoOpts,
    name,
    outDir,
  });
  if (hoistDebugEnv) {
    const js = Object.keys(res.files).find((f) => f.endsWith(`${name}.js`));
    res.files[js] = hoistJcoDebugEnv(res.files[js]);
  }
  await Promise.all(
    Object.entries(res.files).map(async ([path, bytes]) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    }),
  );
  return res;
}

/**
 * jco 1.35 glue calls `_debugLog` several times per call, each reading
 * `process.env.JCO_DEBUG` (a slow C++ interceptor in Node). Reading it once at
 * load time cuts a call from ~2 µs to ~0.7-0.9 µs (measured on the toy). Text
 * patch, so it throws if jco changes the line.
 */
export function hoistJcoDebugEnv(jsBytes) {
  const src = typeof jsBytes === 'string' ? jsBytes : new TextDecoder().decode(jsBytes);
  const needle = 'if (!globalThis?.process?.env?.JCO_DEBUG) { return; }';
  if (!src.includes(needle)) throw new Error('hoistJcoDebugEnv: jco _debugLog pattern not found');
  const decl = 'const JCO_DEBUG_AT_LOAD = !!globalThis?.process?.env?.JCO_DEBUG;\n';
  const body = src.replaceAll(needle, 'if (!JCO_DEBUG_AT_LOAD) { return; }');
  const m = /^(["'])use [^"']*\1;\n/.exec(body); // keep a directive prologue first
  const out = m ? m[0] + decl + body.slice(m[0].length) : decl + body;
  return new TextEncoder().encode(out);
}

/** WIT text decoded from a built component (`wasm-tools component wit`). */
export async function extractWit(componentBytes) {
  return componentWit(toBytes(componentBytes));
}

/**
 * The WIT that a component built from `witText`/`world` would print: embeds
 * the WIT into a dummy core module, componentizes it, and decodes it again.
 * Compare `await extractWit(built) === await canonicalWit(src, world)` to
 * check a build against its source WIT without caring about formatting,
 * comments or declaration order quirks.
 */
export async function canonicalWit(witText, world) {
  const dummy = await componentEmbed({ dummy: true, witSource: witText, world });
  return componentWit(await componentNew(dummy, []));
}

/**
 * Type-level view of each exported interface: the body of the
 * `(component $<iface>-shim-component ...)` that wit-component emits to
 * re-export the interface, as printed WAT. Unlike extractWit() (which only
 * prints the world: `export iolife:toy/tables;`), this includes every
 * resource, method signature, enum case and record field.
 */
export async function exportedInterfaceTypes(componentBytes) {
  const wat = await print(toBytes(componentBytes));
  const out = {};
  const re = /^ {2}\(component \$(\S+)-shim-component[^\n]*\n([\s\S]*?)^ {2}\)\n/gm;
  for (let m; (m = re.exec(wat));) out[m[1]] = m[2];
  return out;
}

/** Do the component's exported interface types equal those `witText`/`world` describe? */
export async function sameExportedTypes(componentBytes, witText, world) {
  const dummy = await componentEmbed({ dummy: true, witSource: witText, world });
  const want = await exportedInterfaceTypes(await componentNew(dummy, []));
  const got = await exportedInterfaceTypes(componentBytes);
  const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
  return [...keys].every((k) => want[k] !== undefined && want[k] === got[k]);
}

/** Core module files written by transpile(), in index order (name.core.wasm, name.core2.wasm, ...). */
export function coreModules(outDir, name) {
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.core(\\d*)\\.wasm$`);
  return readdirSync(outDir)
    .map((f) => [f, re.exec(f)])
    .filter(([, m]) => m)
    .sort(([, a], [, b]) => Number(a[1] || 1) - Number(b[1] || 1))
    .map(([f]) => join(outDir, f));
}

/**
 * Summarise how the core module was wired into the component, from the
 * printed WAT. wit-component silently IGNORES core exports whose names match
 * nothing (a misspelt `#[dtor]x` gives a resource without destructor, a
 * misspelt `cabi_post_...` gives a lift without post-return), so tests should
 * assert on this:
 *   lifts:     { '[method]table.insert': { core, memory, realloc, postReturn, stringEncoding } }
 *   resources: { table: { dtor: true|false } }            (resources DEFINED by this component)
 *   coreExports / coreImports: names of the main (first) core module
 */
export async function inspectComponent(componentBytes) {
  const wat = await print(toBytes(componentBytes));
  const lines = wat.split('\n');
  const name = (s) => (s.startsWith('"') ? JSON.parse(s) : s);
  const id = String.raw`(?:"(?:[^"\\]|\\.)*"|[^\s()]+)`;
  const lifts = {};
  const resources = {};
  const liftRe = new RegExp(String.raw`^\s*\(func \$(${id}) .*\(canon lift \(core func \$(${id})\)(.*)$`);
  const rscRe = new RegExp(String.raw`^\s*\(type \$(${id}) \(;\d+;\) \(resource \(rep i32\)( \(dtor [^)]*\))?\)\)`);
  for (const l of lines) {
    let m = liftRe.exec(l);
    if (m) {
      const opts = m[3];
      const post = new RegExp(String.raw`\(post-return \$(${id})\)`).exec(opts);
      lifts[name(m[1])] = {
        core: name(m[2]),
        memory: opts.includes('(memory '),
        realloc: opts.includes('(realloc '),
        postReturn: post ? name(post[1]) : null,
        stringEncoding: /string-encoding=(\S+?)[\s)]/.exec(opts)?.[1] ?? null,
      };
    } else if ((m = rscRe.exec(l))) {
      resources[name(m[1])] = { dtor: !!m[2] };
    }
  }
  // main core module: first `(core module` block, its import/export lines
  const start = lines.findIndex((l) => /^\s{2}\(core module /.test(l));
  const coreExports = [];
  const coreImports = [];
  for (let i = start + 1; i < lines.length && !/^\s{2}\S/.test(lines[i]); i++) {
    let m = /^\s{4}\(export ("(?:[^"\\]|\\.)*")/.exec(lines[i]);
    if (m) coreExports.push(JSON.parse(m[1]));
    m = /^\s{4}\(import ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")/.exec(lines[i]);
    if (m) coreImports.push([JSON.parse(m[1]), JSON.parse(m[2])]);
  }
  return { lifts, resources, coreExports, coreImports };
}

function toBytes(b) {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}
