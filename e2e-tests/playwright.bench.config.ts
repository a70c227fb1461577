import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/*
 * The browser benchmark (`yarn bench:browser`): how long the Monitoring tab takes to draw its
 * targets and alerts in Chromium against the demo portal. It prints figures and asserts nothing
 * about time (speed goals live in benchmarks, not tests); the demo environment is the end-to-end
 * tests' own (globalSetup).
 */
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  reporter: [['list']],
  timeout: 600_000,
});
