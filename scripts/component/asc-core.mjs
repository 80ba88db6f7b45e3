// Compile an AssemblyScript entry to a component-ready core module in memory.
//
//   compileCore({ entry, mapping, args?, baseDir? }) -> Promise<Uint8Array>
//
// Always passes the flags a component core needs:
//   --use abort=            no env.abort import (componentNew rejects unknown imports)
//   --exportStart _initialize   start function exported as `_initialize`, which
//                           wit-component/jco call once after instantiation
// and applies `mapping` (see rename-exports.mjs) through asc's programmatic
// `transforms` option, so no --transform path or env var is involved.
// `args` are extra asc CLI args, e.g. ['-O3', '--runtime', 'stub'].
//
// The module is made from these arguments alone: asc would otherwise read an
// asconfig.json in `baseDir` and compile its `entries` (and options) too, so
// a core compiled from a project's root picked up the project's own entry.
//
// Caveat (asc 0.28): library files loaded through `--lib` (e.g. by
// @assemblyscript/wasi-shim's config) stay in asc's module-level
// `libraryFiles` and are parsed by every later asc.main() in the same
// process. Compile component cores in a process that has not run such a
// build (scripts/build.mjs runs iolife-core.mjs as a child process).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import { createRenameTransform } from './rename-exports.mjs';

export async function compileCore({ entry, mapping, args = ['-O3'], baseDir = '.' }) {
  let binary = null;
  const stderr = [];
  const { error } = await asc.main(
    [entry, '--use', 'abort=', '--exportStart', '_initialize', '--outFile', 'core.wasm',
      '--baseDir', baseDir, ...args],
    {
      transforms: mapping ? [createRenameTransform(mapping)] : [],
      readFile: async (name, dir) => {
        if (basename(name) === 'asconfig.json') return null;
        try { return await readFile(resolve(dir, name), 'utf8'); } catch { return null; }
      },
      writeFile: (name, contents) => { if (name.endsWith('.wasm')) binary = contents; },
      stderr: { write: (s) => stderr.push(String(s)) },
      stdout: { write: () => {} },
    },
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.join('')}`);
  return binary;
}
