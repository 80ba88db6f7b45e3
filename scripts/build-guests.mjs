// Compiles every C guest program under test/guests/ (test/guests/**/*.c) to
// a .wasm beside it, with Debian's clang and wasi-libc:
//   clang --target=wasm32-wasi -O2 -Wall -Werror x.c -o x.wasm
// A .wasm newer than its .c and than every .h of its directory is up to
// date and is skipped. The outputs are gitignored (test/guests/**/*.wasm).
//
// Run on its own (`node scripts/build-guests.mjs [--force]`) or through
// `npm run build` (scripts/build.mjs calls buildGuests()).
import { execFile } from "node:child_process";
import { readdirSync, statSync, unlinkSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Compiler and flags; CLANG overrides the compiler (e.g. clang-14). */
const CLANG = process.env.CLANG ?? "clang";
const FLAGS = ["--target=wasm32-wasi", "-O2", "-Wall", "-Werror"];

const MISSING_TOOLCHAIN =
  "the C guests need clang with the wasm32-wasi target and wasi-libc.\n" +
  "  On Debian/Ubuntu: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32\n" +
  "  (or set CLANG to a clang that has them)";

/** Every file under `dir` whose name ends with `ext`, recursively, sorted. */
function filesUnder(dir, ext) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p, ext));
    else if (entry.isFile() && entry.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** Fails with an actionable message unless clang can build a wasm32-wasi program. */
async function checkToolchain() {
  try {
    await run(CLANG, ["--version"]);
  } catch (e) {
    if (e.code === "ENOENT") throw new Error(`${CLANG} not found: ${MISSING_TOOLCHAIN}`);
    throw e;
  }
}

/** Turns a compiler failure into a message that says what is missing, when it is the toolchain. */
function explain(file, err) {
  const text = `${err.stderr ?? ""}${err.stdout ?? ""}`;
  if (/unable to create target|No available targets|unknown target triple/i.test(text)) {
    return new Error(`${CLANG} has no wasm32 target: ${MISSING_TOOLCHAIN}\n${text}`);
  }
  if (/'(stdio|stdlib|string|errno)\.h' file not found|wasi\/api\.h' file not found|cannot find.*sysroot/i.test(text)) {
    return new Error(`wasi-libc is missing (no wasm32-wasi headers): ${MISSING_TOOLCHAIN}\n${text}`);
  }
  if (/wasm-ld|lld.*not found|unable to execute command/i.test(text)) {
    return new Error(`the wasm linker (wasm-ld, from lld) is missing: ${MISSING_TOOLCHAIN}\n${text}`);
  }
  if (/libclang_rt\.builtins-wasm32/.test(text)) {
    return new Error(`compiler-rt for wasm32 is missing: ${MISSING_TOOLCHAIN}\n${text}`);
  }
  return new Error(`compiling ${file} failed:\n${text}`);
}

/**
 * Builds every out-of-date guest under `root`/test/guests. Returns the
 * number compiled and skipped; throws (after removing a partial output) on
 * the first failure, with a clear message if the toolchain is missing.
 */
export async function buildGuests({ root = ROOT, force = false, log = () => {} } = {}) {
  const guests = join(root, "test", "guests");
  const sources = filesUnder(guests, ".c");
  const headerTime = new Map();
  const newestHeader = (dir) => {
    if (!headerTime.has(dir)) {
      const times = readdirSync(dir).filter((n) => n.endsWith(".h")).map((n) => mtime(join(dir, n)));
      headerTime.set(dir, Math.max(-1, ...times));
    }
    return headerTime.get(dir);
  };
  const stale = sources.filter((c) => {
    if (force) return true;
    const out = mtime(c.replace(/\.c$/, ".wasm"));
    return out < 0 || out < mtime(c) || out < newestHeader(dirname(c));
  });
  if (stale.length === 0) return { compiled: 0, skipped: sources.length };
  await checkToolchain();
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (failure === null && next < stale.length) {
      const c = stale[next++];
      const out = c.replace(/\.c$/, ".wasm");
      try {
        await run(CLANG, [...FLAGS, c, "-o", out], { cwd: dirname(c) });
        log(`  cc ${relative(root, c)}`);
      } catch (e) {
        try {
          unlinkSync(out);
        } catch {}
        failure ??= e.code === "ENOENT" ? new Error(`${CLANG} not found: ${MISSING_TOOLCHAIN}`) : explain(relative(root, c), e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), stale.length) }, worker));
  if (failure !== null) throw failure;
  return { compiled: stale.length, skipped: sources.length - stale.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { compiled, skipped } = await buildGuests({ force: process.argv.includes("--force"), log: console.log });
    console.log(`build-guests: ${compiled} compiled, ${skipped} up to date`);
  } catch (e) {
    console.error(`build-guests: ${e.message}`);
    process.exitCode = 1;
  }
}
