import type { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import monitoringPlugin from '../index';
import {
  auditorExceptKubernetes,
  kubernetesPlugin,
  servicesAllowed,
} from './kubernetesPlugin';

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
    authorize: servicesAllowed((r, options) =>
      r.permission.name === 'monitoring.entity.read' ||
      options.credentials.principal.userEntityRef === OWNER
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    ),
  } as any).factory;
}

/**
 * The one way the backend's tests start the monitoring plugin: Backstage's test backend with the
 * Kubernetes plugin (the monitoring plugin reaches clusters through its proxy), the catalog mock
 * holding `entities`, `config` as the root config, the `permissions` policy and `auditor`
 * (default: Backstage's, silent for the Kubernetes plugin); `features` adds services (logger, …).
 */
export async function startMonitoringTestBackend(options: {
  entities: Entity[];
  config: Record<string, unknown>;
  permissions?: TestPermissions;
  auditor?: Feature;
  features?: Feature[];
}): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      monitoringPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({ data: options.config as any }),
      permissionsFactory(options.permissions ?? 'owner'),
      options.auditor ?? auditorExceptKubernetes,
      ...(options.features ?? []),
    ],
  });
  return server as unknown as Server;
}
