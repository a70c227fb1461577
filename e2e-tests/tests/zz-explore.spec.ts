import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';
test('explore', async ({ page }) => {
  for (const e of (process.env.ENTS ?? 'cart').split(',')) {
    await signInAsGuest(page, `/catalog/default/component/${e}/monitoring`);
    await page.waitForTimeout(6000);
    await page.screenshot({ path: `/tmp/explore/${e}.png`, fullPage: true });
  }
});
