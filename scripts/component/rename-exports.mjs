// AssemblyScript transform: rename exports (and, optionally, imports) of the
// compiled module to Canonical-ABI core names that asc cannot spell, e.g.
//   table_insert  ->  iolife:toy/tables#[method]table.insert
//
// Mapping (JSON):
//   {
//     "exports": { "<asc export name>": "<new export name>", ... },
//     "imports": { "<module>#<base>": ["<new module>", "<new base>"], ... },
//     "strict": true          // default: every mapped name must exist
//   }
// The first '#' in an import key separates module from base, so modules that
// contain '#' cannot be keyed (no CABI import module does).
// Imports usually need no mapping: asc's `@external("[export]iolife:toy/tables",
// "[resource-new]table")` already spells any module/base string verbatim.
//
// Where the mapping comes from (first match wins):
//   1. programmatic: `asc.main(argv, { transforms: [createRenameTransform(mapping)] })`
//   2. env var IOLIFE_COMPONENT_MAP=<path to mapping JSON>   (works with
//      `asc ... --transform ./scripts/component/rename-exports.mjs`)
//   3. sidecar `component-map.json` in asc's --baseDir (default: cwd)
// With none of these, the transform is a no-op (and says so on stderr).
//
// Renames happen in afterCompile, i.e. before asc optimises/validates, so the
// optimiser sees the final export set (exported functions are kept alive).
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ENV_VAR = 'IOLIFE_COMPONENT_MAP';
export const SIDECAR = 'component-map.json';

/** Load and normalise a mapping from a path or an object. */
export function loadMapping(src) {
  const m = typeof src === 'string' ? JSON.parse(readFileSync(src, 'utf8')) : src;
  return { exports: m.exports ?? {}, imports: m.imports ?? {}, strict: m.strict ?? true };
}

/**
 * Apply a mapping to a binaryen.js module (what asc hands to afterCompile).
 * `binaryen` is the binaryen.js namespace (Transform#binaryen inside asc).
 * Returns { exports: [[from,to]...], imports: [[from,to]...] } for logging.
 */
export function applyRenames(module, binaryen, mapping) {
  const { exports = {}, imports = {}, strict = true } = mapping;
  const done = { exports: [], imports: [] };

  // --- exports: remove + re-add under the new name (value/kind preserved)
  const exportAdders = {
    [binaryen.ExternalFunction]: (v, n) => module.addFunctionExport(v, n),
    [binaryen.ExternalGlobal]: (v, n) => module.addGlobalExport(v, n),
    [binaryen.ExternalMemory]: (v, n) => module.addMemoryExport(v, n),
    [binaryen.ExternalTable]: (v, n) => module.addTableExport(v, n),
  };
  for (const [from, to] of Object.entries(exports)) {
    const ref = module.getExport(from);
    if (!ref) {
      if (strict) throw new Error(`rename-exports: no export named '${from}'`);
      continue;
    }
    const info = binaryen.getExportInfo(ref);
    if (module.getExport(to)) throw new Error(`rename-exports: export '${to}' already exists`);
    module.removeExport(from);
    exportAdders[info.kind](info.value, to);
    done.exports.push([from, to]);
  }

  // --- imports: binaryen's AddFunctionImport on an existing internal name
  // would create a duplicate, so remove the import and re-add it under the
  // same internal name; calls refer to functions by internal name.
  const want = new Map(Object.entries(imports));
  if (want.size) {
    const found = [];
    for (let i = 0, n = module.getNumFunctions(); i < n; i++) {
      const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
      if (!info.module) continue; // not an import
      const key = `${info.module}#${info.base}`;
      if (want.has(key)) found.push([key, info]);
    }
    for (const [key, info] of found) {
      const [mod, base] = want.get(key);
      module.removeFunction(info.name);
      module.addFunctionImport(info.name, mod, base, info.params, info.results);
      done.imports.push([key, `${mod}#${base}`]);
      want.delete(key);
    }
    if (strict && want.size) {
      throw new Error(`rename-exports: no import(s) ${[...want.keys()].join(', ')}`);
    }
  }
  return done;
}

/** A transform class bound to a mapping, for `asc.main(..., { transforms })`. */
export function createRenameTransform(mapping) {
  const m = loadMapping(mapping);
  return class BoundRenameExports {
    afterCompile(module) {
      applyRenames(module, this.binaryen, m);
    }
  };
}

/** CLI-loadable transform: mapping from $IOLIFE_COMPONENT_MAP or sidecar. */
export default class RenameExports {
  afterCompile(module) {
    let path = process.env[ENV_VAR];
    if (!path) {
      const side = resolve(this.baseDir ?? '.', SIDECAR);
      if (existsSync(side)) path = side;
    }
    if (!path) {
      this.stderr?.write?.(`rename-exports: no ${ENV_VAR} and no ${SIDECAR}; nothing renamed\n`);
      return;
    }
    applyRenames(module, this.binaryen, loadMapping(path));
  }
}
