import { Page, expect } from '@playwright/test';

/**
 * Opens `path` signed in as the local guest user (a member of team-shop), clicking "Enter" when
 * the sign-in page is shown.
 *
 * The guest sign-in fails ("You cannot sign in as a guest…") while the backend restarts, which
 * `yarn dev` does whenever a backend source file changes; the page then shows an error overlay
 * over the sign-in page. Each attempt therefore starts from a fresh navigation.
 */
export async function signInAsGuest(page: Page, path = '/') {
  const enter = page.getByRole('button', { name: 'Enter' });
  // The sidebar's <nav> has no box of its own (its drawer is positioned), so wait on a link in it.
  const settings = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Settings' });
  await expect(async () => {
    await page.goto(path);
    // The app first renders either the sign-in page or (with a stored session) the app itself.
    await expect(enter.or(settings)).toBeVisible({ timeout: 60_000 });
    if (await enter.isVisible()) {
      await enter.click();
    }
    await expect(settings).toBeVisible({ timeout: 15_000 });
  }).toPass({ timeout: 150_000 });
}
