import { Page, expect } from '@playwright/test';

/** Signs in as the local guest user (a member of team-shop) when the sign-in page is shown. */
export async function signInAsGuest(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  // The sidebar's <nav> has no box of its own (its drawer is positioned), so wait on a link in it.
  const settings = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Settings' });
  // The app first renders either the sign-in page or (with a stored session) the app itself.
  await expect(async () => {
    expect((await enter.isVisible()) || (await settings.isVisible())).toBe(
      true,
    );
  }).toPass({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(settings).toBeVisible();
}
