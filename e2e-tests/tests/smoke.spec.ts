import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the portal lists the demo entities and opens one', async ({ page }) => {
  await signInAsGuest(page);
  for (const name of ['checkout', 'payments', 'cart']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.getByRole('link', { name: 'checkout', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/checkout/);
  await expect(page.getByRole('heading', { name: 'checkout' }).first()).toBeVisible();
  await expect(page.getByText('Checkout service (production, monitored, HA)').first()).toBeVisible();
});
