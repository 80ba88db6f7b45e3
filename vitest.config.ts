// Test file naming convention (both projects look under test/):
//   *.test.ts          runs in Node AND in Chromium (vitest browser mode)
//   *.node.test.ts     Node only (fs, child processes, node: built-ins, ...)
//   *.browser.test.ts  Chromium only (DOM, window, browser APIs)
//
// Chromium is Debian's system build at /usr/bin/chromium, driven by
// Playwright; no Playwright-downloaded browser is used (or needed).
// package.json "imports" (e.g. #core-wasm) are resolved by Vite in both
// projects with no extra configuration.
import { configDefaults, defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

const ALL_TESTS = 'test/**/*.test.ts';
const NODE_ONLY = 'test/**/*.node.test.ts';
const BROWSER_ONLY = 'test/**/*.browser.test.ts';

export default defineConfig({
  test: {
    // Generous: property tests (fast-check) can run for a long time.
    testTimeout: 120_000,
    // Builds the WASI 0.2 test component (cached under build/preview2/).
    globalSetup: ['test/preview2/setup.ts'],
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [ALL_TESTS],
          exclude: [...configDefaults.exclude, BROWSER_ONLY],
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          include: [ALL_TESTS],
          exclude: [...configDefaults.exclude, NODE_ONLY],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                  '--disable-quic',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
