import { test, expect } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the portal lists the demo entities and opens one', async ({ page }) => {
  await signInAsGuest(page);
  // The guest (team-shop) owns only some entities: "Owned" shows those, "All" every one.
  await expect(
    page.getByRole('heading', { name: /Owned Components/ }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'payments', exact: true }),
  ).toHaveCount(0);
  await page.getByRole('menuitem', { name: /All/ }).click();
  for (const name of [
    'checkout',
    'payments',
    'cart',
    'legacy-billing',
    'inventory',
    'search',
  ]) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await page.getByRole('link', { name: 'checkout', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/checkout/);
  await expect(
    page.getByText('Checkout service (production, monitored, HA)').first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Monitoring', exact: true }),
  ).toBeVisible();
});
