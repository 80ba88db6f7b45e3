// Builds the preview2 test component (test/preview2/components/guest.js)
// and transpiles it with jco, into build/preview2/. Cached: nothing is
// rebuilt while the sources, this script and the tool versions are
// unchanged (componentize takes ~20 s; a cached run takes milliseconds).
//
//   node test/preview2/build.mjs [--force]
//
// Outputs:
//   build/preview2/guest.wasm            the component (componentize-js)
//   build/preview2/guest/guest.node.js   jco --map 'wasi:<pkg>/*=../../host/preview2/node/<pkg>.js#*'
//   build/preview2/guest/guest.browser.js  the same, mapped to ../../host/preview2/browser/<pkg>.js
//   build/preview2/guest/*.core*.wasm    the core modules (shared by the three JS files)
//   build/preview2/guest/guest.inst.js   jco --instantiation async (imports from Context#getImportObject)
//
// test/preview2/setup.ts runs this as vitest's globalSetup.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const src = join(root, "test/preview2/components");
const out = join(root, "build/preview2");
const jcoWit = join(root, "node_modules/@bytecodealliance/jco/lib/wit/builtin");
const PACKAGES = ["cli", "clocks", "filesystem", "io", "random", "sockets"];
/** The WASI version StarlingMonkey (componentize-js 0.22) imports. */
const WASI_VERSION = "0.2.10";

function version(pkg) {
  return JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version;
}

function stamp() {
  const h = createHash("sha256");
  for (const f of ["guest.js", "guest.wit"]) h.update(readFileSync(join(src, f)));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(version("@bytecodealliance/componentize-js"));
  h.update(version("@bytecodealliance/jco"));
  return h.digest("hex");
}

const OUTPUTS = ["guest.wasm", "guest/guest.node.js", "guest/guest.browser.js", "guest/guest.inst.js", "guest/guest.core.wasm"];

/** The WIT directory componentize reads: our world plus jco's builtin WASI 0.2 packages at WASI_VERSION. */
function writeWit(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "deps"), { recursive: true });
  writeFileSync(join(dir, "world.wit"), readFileSync(join(src, "guest.wit")));
  for (const p of PACKAGES) {
    let text;
    if (p === "sockets") {
      // jco's 0.2.10 sockets WIT carries a workaround for componentize-js 0.22
      // (a method on `network`) but no world; the packages that include
      // wasi:sockets/imports need one.
      text = readFileSync(join(jcoWit, "0.2.10/wasi-sockets/package.wit"), "utf8")
      +
        "\nworld imports {\n  import instance-network;\n  import network;\n  import udp;\n  import udp-create-socket;\n" +
        "  import tcp;\n  import tcp-create-socket;\n  import ip-name-lookup;\n}\n";
    } else {
      text = readFileSync(join(jcoWit, `0.2.12/wasi-${p}/package.wit`), "utf8").replaceAll("@0.2.12", `@${WASI_VERSION}`);
    }
    mkdirSync(join(dir, "deps", p));
    writeFileSync(join(dir, "deps", p, "package.wit"), text);
  }
}

async function componentizeGuest(witDir) {
  // componentize-js runs its WIT splicer as a component on preview2-shim,
  // whose Node filesystem (0.26) starts with NO preopens: without this the
  // splicer cannot read the WIT directory ("No such file or directory").
  const { _addPreopen } = await import("@bytecodealliance/preview2-shim/filesystem");
  _addPreopen(witDir, witDir);
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const { component } = await componentize({
    sourcePath: join(src, "guest.js"),
    witPath: witDir,
    worldName: "guest",
    disableFeatures: ["http", "fetch-event"],
  });
  return component;
}

async function transpileGuest(component, dir) {
  const { transpile } = await import("@bytecodealliance/jco");
  const map = (flavour) => Object.fromEntries(PACKAGES.map((p) => [`wasi:${p}/*`, `../../host/preview2/${flavour}/${p}.js#*`]));
  const mapped = await transpile(component, { name: "guest", map: map("node"), noTypescript: true, quiet: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(mapped.files)) {
    if (name.endsWith(".d.ts")) continue;
    if (name === "guest.js") {
      const js = Buffer.from(bytes).toString("utf8");
      writeFileSync(join(dir, "guest.node.js"), js);
      writeFileSync(join(dir, "guest.browser.js"), js.replaceAll("../../host/preview2/node/", "../../host/preview2/browser/"));
    } else {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
  }
  const inst = await transpile(component, { name: "guest", instantiation: "async", noTypescript: true, quiet: true });
  writeFileSync(join(dir, "guest.inst.js"), inst.files["guest.js"]);
  // Instantiation mode also emits the small shim modules the other mode inlines (guest.core3.wasm, ...).
  for (const [name, bytes] of Object.entries(inst.files)) {
    if (name.endsWith(".wasm") && !(name in mapped.files)) writeFileSync(join(dir, name), bytes);
  }
  return mapped.imports;
}

/** Builds unless up to date. Returns what it did. */
export async function buildComponents({ force = false } = {}) {
  const want = stamp();
  const stampFile = join(out, "stamp");
  if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === want && OUTPUTS.every((f) => existsSync(join(out, f)))) {
    return "up to date";
  }
  const t0 = performance.now();
  mkdirSync(out, { recursive: true });
  const tmp = join(out, `tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    writeWit(join(tmp, "wit"));
    const component = await componentizeGuest(join(tmp, "wit"));
    const t1 = performance.now();
    writeFileSync(join(tmp, "guest.wasm"), component);
    const imports = await transpileGuest(component, join(tmp, "guest"));
    const t2 = performance.now();
    for (const f of ["guest.wasm", "guest", "wit"]) {
      rmSync(join(out, f), { recursive: true, force: true });
      renameSync(join(tmp, f), join(out, f));
    }
    writeFileSync(stampFile, want);
    return `componentize ${Math.round(t1 - t0)} ms, transpile ${Math.round(t2 - t1)} ms, ` +
      `${component.length} bytes, imports: ${imports.join(" ")}`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`build/preview2: ${await buildComponents({ force: process.argv.includes("--force") })}`);
}
