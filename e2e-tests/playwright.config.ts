import { defineConfig } from '@playwright/test';

/*
 * Playwright runs in Debian's Chromium (/usr/bin/chromium); it never downloads a browser.
 * globalSetup starts the whole demo environment (Kubernetes API stand-in, Prometheus,
 * Alertmanager, demo service, Backstage) unless one already answers on the portal's ports.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'e2e-test-report' }]],
  globalSetup: require.resolve('./src/env/globalSetup'),
  globalTeardown: require.resolve('./src/env/globalTeardown'),
  outputDir: 'test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
