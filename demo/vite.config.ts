// `npm run demo`: a Vite dev server for demo/ (http://localhost:5173/, which
// redirects to /demo/). Its root is the repository, so the page imports the
// host's TypeScript sources directly and fetches what `npm run build` made
// (build/examples/notes.wasm, build/guests/) at the same paths as under the
// test runner's server, where test/demo/demo.browser.test.ts loads it.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `/` → `/demo/`: the repository root has no page of its own. */
const demoHome: Plugin = {
  name: 'iolife-demo-home',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url === '/' || req.url === '/index.html') {
        res.statusCode = 302;
        res.setHeader('Location', '/demo/');
        res.end();
      } else next();
    });
  },
};

export default defineConfig({
  root,
  plugins: [demoHome],
  // Nothing to pre-bundle: the page imports only the repository's own modules.
  optimizeDeps: { entries: ['demo/index.html'], noDiscovery: true, include: [] },
  server: { port: 5173 },
});
