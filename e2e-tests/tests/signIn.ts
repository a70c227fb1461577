import { Page, expect } from '@playwright/test';

/** Signs in as the local guest user (a member of team-shop) if the sign-in page is shown. */
export async function signInAsGuest(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(enter.or(nav).first()).toBeVisible();
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(nav).toBeVisible();
}
