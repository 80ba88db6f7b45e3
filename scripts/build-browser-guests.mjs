// The preview1 conformance guests, packaged for a browser (which cannot read
// the repository's files, let alone its symlinks):
//
//   build/guests/<name>.wasm        a copy of test/guests/preview1/<name>.wasm
//   build/guests/index.json         { guests: [{ name, wasm, sidecar }], fixtures: { "fs-tests.dir": "fs-tests.json" } }
//   build/guests/fs-tests.json      the fixture test/guests/preview1/fs-tests.dir as a tree manifest
//
// A tree manifest is host/os/memory/tree.ts's Tree in JSON: relative path →
//   "text"                  a file whose bytes are valid UTF-8
//   { "base64": "…" }       any other file
//   null                    a directory (the key ends with "/")
//   { "symlink": "target" } a symlink, target as stored
// Keys are in a depth-first walk with names sorted, so the simulated OS creates
// the entries (and lists them) in that order.
//
// Run by `npm run build` (scripts/build.mjs) after the C guests are compiled;
// on its own: node scripts/build-browser-guests.mjs.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The directory `dir` (never followed through symlinks) as a tree manifest. */
export function treeManifest(dir) {
  const tree = {};
  const walk = (abs, prefix) => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(abs, e.name);
      const key = prefix + e.name;
      if (e.isSymbolicLink()) {
        tree[key] = { symlink: readlinkSync(p, "utf8") };
      } else if (e.isDirectory()) {
        tree[`${key}/`] = null;
        walk(p, `${key}/`);
      } else if (e.isFile()) {
        const bytes = readFileSync(p);
        let text = null;
        try {
          text = strictUtf8.decode(bytes);
        } catch {}
        tree[key] = text ?? { base64: bytes.toString("base64") };
      } else {
        throw new Error(`${p}: only files, directories and symlinks can be in a fixture`);
      }
    }
  };
  walk(dir, "");
  return tree;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Writes build/guests/ from test/guests/preview1 (whose .wasm files must be
 * built). Copies only the .wasm files that changed. Throws if a guest's
 * .wasm is missing or a sidecar names a fixture that does not exist.
 */
export function buildBrowserGuests({ root = ROOT } = {}) {
  const src = join(root, "test", "guests", "preview1");
  const out = join(root, "build", "guests");
  mkdirSync(out, { recursive: true });
  const guests = [];
  const fixtures = new Set();
  let copied = 0;
  for (const file of readdirSync(src).filter((n) => n.endsWith(".c")).sort()) {
    const name = file.slice(0, -2);
    const wasm = join(src, `${name}.wasm`);
    if (!existsSync(wasm)) throw new Error(`${wasm} is missing: the C guests must be built first`);
    const sidecar = JSON.parse(readFileSync(join(src, `${name}.json`), "utf8"));
    for (const d of sidecar.dirs ?? []) fixtures.add(d);
    const dest = join(out, `${name}.wasm`);
    if (mtime(dest) < mtime(wasm) || statSync(dest).size !== statSync(wasm).size) {
      copyFileSync(wasm, dest);
      copied++;
    }
    guests.push({ name, wasm: `${name}.wasm`, sidecar });
  }
  const manifests = {};
  for (const d of [...fixtures].sort()) {
    if (!existsSync(join(src, d))) throw new Error(`a sidecar preopens ${d}, which is not in ${src}`);
    const file = `${d.replace(/\.dir$/, "")}.json`;
    writeFileSync(join(out, file), `${JSON.stringify(treeManifest(join(src, d)), null, 1)}\n`);
    manifests[d] = file;
  }
  writeFileSync(join(out, "index.json"), `${JSON.stringify({ guests, fixtures: manifests }, null, 1)}\n`);
  return { guests: guests.length, copied, fixtures: Object.keys(manifests).length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = buildBrowserGuests();
  console.log(`build-browser-guests: ${r.guests} guests (${r.copied} copied), ${r.fixtures} fixture manifest(s)`);
}
