import type { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import monitoringPlugin from '../index';
import {
  auditorExceptKubernetes,
  kubernetesPlugin,
  servicesAllowed,
} from './kubernetesPlugin';
import { principalOf, recorded, ServiceCalls } from './ServiceCalls';

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

function permissionsFactory(
  permissions: TestPermissions,
  calls: ServiceCalls | undefined,
) {
  const decide = servicesAllowed((r, options) =>
    permissions === 'allow' ||
    r.permission.name === 'monitoring.entity.read' ||
    options.credentials.principal.userEntityRef === OWNER
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  );
  const record = async (requests: any[], options: any) => {
    if (options?.credentials?.principal?.type !== 'service') {
      calls?.permission.push({
        method: 'authorize',
        principal: principalOf(options),
        permissions: requests.map(r => r.permission.name),
      });
    }
    return decide(requests, options);
  };
  return mockServices.permissions.mock({
    authorize: record,
    authorizeConditional: record,
  } as any).factory;
}

function catalogFactory(entities: Entity[], calls: ServiceCalls | undefined) {
  if (!calls) return catalogServiceMock.factory({ entities });
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      recorded(
        catalogServiceMock({ entities }),
        calls.catalog,
        (method, args) => ({
          method,
          principal: principalOf(args[args.length - 1]),
        }),
      ),
  });
}

/**
 * The one way the backend's tests start the monitoring plugin: Backstage's test backend with the
 * Kubernetes plugin (the monitoring plugin reaches clusters through its proxy), the catalog mock
 * holding `entities`, `config` as the root config, the `permissions` policy and `auditor`
 * (default: Backstage's, silent for the Kubernetes plugin); `features` adds services (logger, …);
 * `calls` records what the plugin asked the permission and catalog services.
 */
export async function startMonitoringTestBackend(options: {
  entities: Entity[];
  config: Record<string, unknown>;
  permissions?: TestPermissions;
  auditor?: Feature;
  features?: Feature[];
  /** records the plugin's calls to the permission and catalog services */
  calls?: ServiceCalls;
}): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      monitoringPlugin,
      kubernetesPlugin,
      catalogFactory(options.entities, options.calls),
      mockServices.rootConfig.factory({ data: options.config as any }),
      permissionsFactory(options.permissions ?? 'owner', options.calls),
      options.auditor ?? auditorExceptKubernetes,
      ...(options.features ?? []),
    ],
  });
  return server as unknown as Server;
}
