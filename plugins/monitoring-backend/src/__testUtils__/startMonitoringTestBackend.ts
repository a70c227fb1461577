import type { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import monitoringPlugin from '../index';

/** Owns every test entity: may apply, tear down and silence. Everyone may read. */
export const OWNER = 'user:default/owner';
/** Signed in, owns nothing. */
export const OTHER = 'user:default/someone-else';

/**
 * `owner`: like an `isEntityOwner` policy where OWNER owns every test entity (anyone reads, only
 * OWNER writes). `allow`: every decision granted.
 */
export type TestPermissions = 'owner' | 'allow';

type Feature = Parameters<typeof startTestBackend>[0]['features'] extends
  | Array<infer F>
  | undefined
  ? F
  : never;

function permissionsFactory(permissions: TestPermissions) {
  if (permissions === 'allow') {
    return mockServices.permissions.factory({ result: AuthorizeResult.ALLOW });
  }
  return mockServices.permissions.mock({
    authorize: async (requests: any[], options: any) =>
      requests.map(r => ({
        result:
          r.permission.name === 'monitoring.entity.read' ||
          options.credentials.principal.userEntityRef === OWNER
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  } as any).factory;
}

/**
 * The one way the backend's tests start the monitoring plugin: Backstage's test backend with the
 * catalog mock holding `entities`, `config` as the root config and the `permissions` policy;
 * `features` adds or replaces services (auditor, logger, …).
 */
export async function startMonitoringTestBackend(options: {
  entities: Entity[];
  config: Record<string, unknown>;
  permissions?: TestPermissions;
  features?: Feature[];
}): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      monitoringPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({ data: options.config as any }),
      permissionsFactory(options.permissions ?? 'owner'),
      ...(options.features ?? []),
    ],
  });
  return server as unknown as Server;
}
