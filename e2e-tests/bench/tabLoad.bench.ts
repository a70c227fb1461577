import { Page, expect, test } from '@playwright/test';
import { signInAsGuest } from '../tests/signIn';

/*
 * Time from clicking an entity's Monitoring tab to its targets and alerts drawn, in Chromium, as
 * the guest user (team-shop) on `checkout`: cold (the backend's cache window of 10 s has passed
 * since anyone asked, and a new browser page) and warm (the tab opened again within the window).
 * Measured in the page (performance.now(), checked every animation frame), printed, not asserted.
 */

const ENTITY = 'checkout';
const ROUNDS = Number(process.env.BENCH_BROWSER_ROUNDS || 5);
/** The backend's cache window (app-config.yaml monitoring.cache.ttlSeconds) and a margin. */
const COLD_WAIT_MS = 11_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** On the entity's overview page: click Monitoring, ms until target and alert counts are drawn. */
async function openTab(page: Page): Promise<number> {
  await page.goto(`/catalog/default/component/${ENTITY}`);
  const tab = page.getByRole('link', { name: 'Monitoring', exact: true });
  await expect(tab).toBeVisible({ timeout: 60_000 });
  const start = await page.evaluate(() => performance.now());
  await tab.click();
  const drawn = await page.waitForFunction(
    () => {
      const targets = document.querySelector('[aria-label="Target counts"]');
      const alerts = document.querySelector('[aria-label="Alert counts"]');
      return targets && alerts ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return ((await drawn.jsonValue()) as number) - start;
}

test('Monitoring tab: time to targets and alerts drawn', async ({
  browser,
}) => {
  const cold: number[] = [];
  const warm: number[] = [];
  // Sign-in once; the session is kept in the context's storage.
  const context = await browser.newContext();
  const first = await context.newPage();
  await signInAsGuest(first, `/catalog/default/component/${ENTITY}`);
  // The app's bundle is in the browser cache from here on (what a returning user has).
  await openTab(first);
  await first.close();
  for (let round = 0; round < ROUNDS; round++) {
    await new Promise(r => setTimeout(r, COLD_WAIT_MS));
    const page = await context.newPage();
    cold.push(await openTab(page));
    warm.push(await openTab(page));
    await page.close();
  }
  await context.close();
  const line = (label: string, xs: number[]) =>
    `| ${label} | ${xs.length} | ${median(xs).toFixed(0)} ms | ${Math.max(
      ...xs,
    ).toFixed(0)} ms |`;
  // eslint-disable-next-line no-console
  console.log(
    [
      '',
      `Monitoring tab of ${ENTITY} in Chromium, click → targets and alerts drawn:`,
      '',
      '| load | samples | median | max |',
      '| --- | --- | --- | --- |',
      line('cold (cache window expired, new page)', cold),
      line('warm (again within the window)', warm),
      '',
    ].join('\n'),
  );
});
