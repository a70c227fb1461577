/*
 * The Backstage backend the benchmarks measure, in its own process so that its memory (RSS) and
 * CPU are its own: Backstage's test backend (`startTestBackend`: the real HTTP stack, routers,
 * auth middleware and cache service, with mock credentials) plus the monitoring plugin, an
 * in-memory catalog and an allow-all permission policy.
 *
 * Started by benchBackend.ts with `fork`; options arrive in BENCH_BACKEND_OPTIONS. IPC messages:
 * `clear-cache` (forget every cached upstream answer, for cold measurements) and `memory` (after a
 * memory-reducing garbage collection).
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { clearableCacheFactory, serveBenchIpc } from './clearableCache';
import monitoringPlugin from '@prometheus-ocs/plugin-monitoring-backend';

export interface BackendProcessOptions {
  config: Record<string, unknown>;
  entities: Entity[];
}

export type BackendProcessMessage =
  | { type: 'ready'; port: number }
  | { type: 'cache-cleared'; id: number }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage };

async function main() {
  const options = JSON.parse(
    process.env.BENCH_BACKEND_OPTIONS ?? '{}',
  ) as BackendProcessOptions;
  const backend = await startTestBackend({
    features: [
      monitoringPlugin,
      // Monitoring reaches clusters through the Kubernetes plugin's proxy, as in a real backend.
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            ...(options.config.kubernetes as JsonObject | undefined),
          },
        } as JsonObject,
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      clearableCacheFactory,
      // The replicated variant (replicatedBackends.ts) shares a PostgreSQL database, which holds
      // the upstream leases; otherwise the test backend's in-memory database.
      ...((options.config.backend as { database?: unknown } | undefined)
        ?.database
        ? [databaseServiceFactory]
        : []),
    ],
  });
  serveBenchIpc(backend.server.port(), () => backend.stop());
}

main().catch(error => {
  process.stderr.write(
    `benchmark backend failed to start: ${error.stack ?? error}\n`,
  );
  process.exit(1);
});
