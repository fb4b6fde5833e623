import { defineConfig } from '@playwright/test';

// End-to-end: the real workbench in Debian's Chromium through the browser host (`vigil serve`), started by
// global-setup.ts. Playwright's own browser download cannot work on these machines, so we point it at
// /usr/bin/chromium (installed by `make test` when missing); CHROMIUM_PATH overrides it elsewhere.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['html', { outputFolder: '../../playwright-report', open: 'never' }], ['json', { outputFile: '../../test-results/e2e-results.json' }]],
  globalSetup: './global-setup.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
