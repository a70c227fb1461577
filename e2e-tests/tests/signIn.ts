import { Page, expect } from '@playwright/test';

/** Signs in as the local guest user (a member of team-shop) when the sign-in page is shown. */
export async function signInAsGuest(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  // The app first renders either the sign-in page or (with a stored session) the app itself.
  await expect(async () => {
    expect((await enter.isVisible()) || (await nav.isVisible())).toBe(true);
  }).toPass({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(nav).toBeVisible();
}
