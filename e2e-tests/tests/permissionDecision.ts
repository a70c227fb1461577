import { Page } from '@playwright/test';

interface AuthorizeRequestItem {
  id: string;
  permission: { name: string };
  resourceRef?: string;
}

/**
 * Resolves with the permission backend's answer ('ALLOW' / 'DENY') to the frontend's question
 * about `permission` on `resourceRef`. Call it before the page asks (before navigating), then
 * await it: once it resolved, the UI knows whether to show the action, so asserting that an
 * action is absent is meaningful and not just "not rendered yet".
 */
export async function waitForPermissionDecision(
  page: Page,
  permission: string,
  resourceRef: string,
): Promise<string> {
  let itemId: string | undefined;
  const response = await page.waitForResponse(
    candidate => {
      if (
        !candidate.url().includes('/api/permission/authorize') ||
        candidate.request().method() !== 'POST'
      ) {
        return false;
      }
      const items: AuthorizeRequestItem[] =
        candidate.request().postDataJSON()?.items ?? [];
      itemId = items.find(
        item =>
          item.permission.name === permission &&
          item.resourceRef === resourceRef,
      )?.id;
      return itemId !== undefined;
    },
    { timeout: 90_000 },
  );
  const body: { items: Array<{ id: string; result: string }> } =
    await response.json();
  const decision = body.items.find(item => item.id === itemId)?.result;
  if (!decision) {
    throw new Error(
      `The permission backend gave no decision about ${permission} on ${resourceRef}`,
    );
  }
  return decision;
}
