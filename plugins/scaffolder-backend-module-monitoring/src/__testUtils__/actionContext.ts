import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** The demo portal's signed-in user, a member of team-shop (see `GUEST_CLAIMS`). */
export const GUEST = 'user:default/guest';

/** The ownership claims of {@link GUEST}, what the owner policy decides on. */
export const GUEST_CLAIMS = [GUEST, 'group:default/team-shop'];

/**
 * The context of one action run in `workspacePath`, started by {@link GUEST}.
 * `createMockActionContext` takes neither the initiator nor `isDryRun`, so both are set here.
 */
export function actionContext(
  workspacePath: string,
  options: { input?: Record<string, unknown>; isDryRun?: boolean } = {},
) {
  return {
    ...createMockActionContext({
      input: (options.input ?? {}) as any,
      workspacePath,
    }),
    getInitiatorCredentials: async () => mockCredentials.user(GUEST),
    isDryRun: options.isDryRun,
  };
}
