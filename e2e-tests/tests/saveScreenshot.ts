import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Locator, Page, TestInfo } from '@playwright/test';

/** Where docs/frontend.md's screenshots live. */
export const DOCS_IMAGES_DIR = resolve(__dirname, '../../docs/images');

/**
 * Screenshots a page (its viewport, or all of it with `fullPage`) or one element into the
 * test's output directory (test-results/<test>/<name>.png), attaches it to the test (HTML
 * report) and, when `UPDATE_DOCS_SCREENSHOTS=1`, copies it to docs/images/<name>.png for the
 * documentation.
 */
export async function saveScreenshot(
  target: Page | Locator,
  testInfo: TestInfo,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // caret: hide the text cursor of focused inputs; animations: freeze progress bars
  const body = await target.screenshot({
    path,
    animations: 'disabled',
    caret: 'hide',
    ...options,
  });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
    writeFileSync(join(DOCS_IMAGES_DIR, `${name}.png`), body);
  }
}
