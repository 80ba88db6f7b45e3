// vitest globalSetup: builds the preview2 test component (build.mjs, cached
// under build/preview2/) before any test runs, in a child process so that
// componentize-js and its preview2-shim stay out of the test process. Runs
// in Node for both projects; skipped when the run is filtered to other
// directories.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

interface ProjectLike {
  vitest?: { filenamePattern?: string[] };
}

export default function setup(project?: ProjectLike): void {
  const filters = project?.vitest?.filenamePattern;
  if (filters && filters.length > 0 && !filters.some((f) => f.includes("preview2"))) return;
  const script = fileURLToPath(new URL("./build.mjs", import.meta.url));
  execFileSync(process.execPath, [script], { stdio: "inherit" });
}
