// Loading the test component (test/preview2/components/guest.js, built by
// build.mjs into build/preview2/guest/) in Node and in Chromium.
//
// - The --map flavour (guest.node.js / guest.browser.js) imports
//   build/host/preview2/{node,browser}/<pkg>.js and runs on their default
//   context: one instance per test file, configured before the import.
// - The --instantiation flavour (guest.inst.js) takes a context's import
//   object: a fresh instance per test, for the cases that trap (a trapped
//   instance cannot be entered again).

/** The guest's exports. */
export interface Guest {
  run(scenario: string, arg: string): string;
  keep(d: unknown): void;
  useKept(): string;
}

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string" && typeof window === "undefined";
// Vite serves the project root at "/" (a module's import.meta.url is its file path under the server).
const dir = isNode ? new URL("../../build/preview2/guest/", import.meta.url) : new URL("/build/preview2/guest/", location.origin);
const modules = new Map<string, Promise<WebAssembly.Module>>();

async function compile(name: string): Promise<WebAssembly.Module> {
  const url = new URL(name, dir);
  if (isNode) {
    const { readFile } = await import("node:fs/promises");
    return WebAssembly.compile(await readFile(url));
  }
  return WebAssembly.compileStreaming(fetch(url));
}

/** A core module of the component, compiled once per test file. */
export function coreModule(name: string): Promise<WebAssembly.Module> {
  let m = modules.get(name);
  if (m === undefined) modules.set(name, (m = compile(name)));
  return m;
}

/** A new instance of the guest on `imports` (a context's getImportObject()). */
export async function instantiateGuest(imports: Record<string, object>): Promise<Guest> {
  const { instantiate } = (await import("../../build/preview2/guest/guest.inst.js")) as {
    instantiate(getCoreModule: (path: string) => Promise<WebAssembly.Module>, imports: Record<string, object>): Promise<Guest>;
  };
  return instantiate(coreModule, imports);
}

/** The error a call throws (fails the test if it returns). */
export function thrown(f: () => unknown): Error & { code?: string } {
  let r: unknown;
  try {
    r = f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error(`expected a throw, got ${JSON.stringify(r)}`);
}
