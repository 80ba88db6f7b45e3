// npm start: runs the example guest (examples/notes, built by `npm run build`
// into build/examples/notes.wasm) under the iolife CLI, on a fresh copy of
// examples/notes/data in build/notes-data, so the run never touches the repo.
//   node scripts/run-example.mjs [args for the guest…]   (default: hello from npm start)
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);

const wasm = "build/examples/notes.wasm";
if (!existsSync(wasm) || !existsSync("build/host/cli.js")) {
  console.error(`run-example: ${wasm} or build/host is missing; run \`npm run build\` first (npm start does)`);
  process.exit(1);
}

const data = "build/notes-data";
rmSync(data, { recursive: true, force: true });
cpSync("examples/notes/data", data, { recursive: true });

const guestArgs = process.argv.length > 2 ? process.argv.slice(2) : ["hello", "from", "npm", "start"];
const argv = ["bin/iolife.mjs", "run", "--dir", `${data}::/notes`, wasm, ...guestArgs];
console.log(`$ node ${argv.join(" ")}\n`);
const r = spawnSync(process.execPath, argv, { stdio: "inherit" });
if (r.error) throw r.error;
const code = r.status ?? 1;
if (code === 0) {
  console.log(`\n(host side) ${data}/log.txt now reads:`);
  process.stdout.write(readFileSync(`${data}/log.txt`, "utf8").replace(/^(?=.)/gm, "  "));
}
process.exit(code);
