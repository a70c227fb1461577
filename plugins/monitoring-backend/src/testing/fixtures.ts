import { Entity } from '@backstage/catalog-model';

/** A Component entity for tests, opted in unless annotations say otherwise. */
export function makeEntity(
  name: string,
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': 'shop-prod',
        'prometheus-ocs.io/enabled': 'true',
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-shop',
      ...spec,
    },
  };
}

export const TEST_TOKEN = 'test-cluster-token-5f1c';

/**
 * Time-outs of the test config: far above what any answer takes, even on a busy 2-core CI machine
 * with every core taken (10 s was not: cold requests took longer there), so no test depends on
 * the machine's speed. Tests about time-outs use them too, with an upstream that never answers
 * (the stand-in's `hold` faults, msw's `delay('infinite')`): the time-out is the only way such a
 * request can end, and the requests before it have all this time to succeed. Waiting 30 s there
 * is the price of not racing the clock.
 */
export const TEST_TIMEOUTS = { kubernetes: 30_000, prometheus: 30_000 };

/** app-config for tests: one cluster `local` at `url`, two allowed namespaces. */
export function makeConfig(url: string, extra: Record<string, unknown> = {}) {
  return {
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'local',
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: TEST_TOKEN,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    monitoring: {
      defaultCluster: 'local',
      defaults: {
        alertmanager: {
          namespace: 'monitoring',
          name: 'alertmanager-main',
          port: 'web',
        },
      },
      clusters: [
        {
          name: 'local',
          allowedNamespaces: ['shop-prod', 'shop-dev'],
          links: { prometheus: 'http://localhost:9090' },
        },
      ],
      timeouts: TEST_TIMEOUTS,
      cache: { ttlSeconds: 10 },
      ...extra,
    },
  };
}
