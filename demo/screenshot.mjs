// Screenshots the demo page with headless Chromium (Debian's /usr/bin/chromium):
//   node demo/screenshot.mjs [--guest notes] [--steps 12] [--out build/demo.png] [--width 1400]
// Starts the demo's Vite server on a free port, loads the guest, makes
// `--steps` WASI calls (or runs to the end with --steps end), and saves a
// full-page PNG. Needs `npm run build` first (as `npm run demo` does).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const { values } = parseArgs({
  options: {
    guest: { type: 'string', default: 'notes' },
    steps: { type: 'string', default: '12' },
    out: { type: 'string', default: 'build/demo.png' },
    width: { type: 'string', default: '1400' },
  },
});

const server = await createServer({
  configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
  server: { port: 0, strictPort: false },
  logLevel: 'warn',
});
await server.listen();
const { port } = server.httpServer.address();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: 900 } });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`http://localhost:${port}/demo/?guest=${encodeURIComponent(values.guest)}`);
  await page.evaluate(() => window.iolifeDemo.ready);
  if (values.steps === 'end') {
    await page.evaluate(() => window.iolifeDemo.session.finish());
  } else {
    await page.evaluate(async (n) => {
      for (let i = 0; i < n; i++) await window.iolifeDemo.session.step();
    }, Number(values.steps));
  }
  await page.screenshot({ path: values.out, fullPage: true });
  console.log(`${values.out}: ${values.guest} after ${values.steps} steps`);
} finally {
  await browser.close();
  await server.close();
}
