import { Entity } from '@backstage/catalog-model';
import {
  AlertsResponse,
  PlanResponse,
  StatusResponse,
  TargetInfo,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';

let counter = 0;

/**
 * A Component with a name unique to the test: usePermission caches decisions
 * per entity ref across renders (SWR), so tests with different permissions
 * must not share an entity.
 */
export function makeEntity(
  options: { optedIn?: boolean; name?: string } = {},
): Entity {
  counter += 1;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.name ?? `checkout-${counter}`,
      annotations:
        options.optedIn === false
          ? {}
          : { 'prometheus-ocs.io/enabled': 'true' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  };
}

const objectRefs = [
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', name: 'k8s' },
  { apiVersion: 'v1', kind: 'ServiceAccount', name: 'prometheus-k8s' },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    name: 'prometheus-k8s',
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'prometheus-k8s-additional-scrape-configs',
  },
  { apiVersion: 'v1', kind: 'Service', name: 'checkout-metrics' },
  {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    name: 'checkout',
  },
].map(ref => ({ ...ref, namespace: 'shop-prod' }));

export function statusFixture(
  overrides: Partial<StatusResponse> = {},
): StatusResponse {
  return {
    entityRef: 'component:default/checkout',
    enabled: true,
    cluster: 'local',
    namespace: 'shop-prod',
    instance: 'k8s',
    allowed: true,
    operatorInstalled: true,
    objects: objectRefs.map(ref => ({ ...ref, state: 'in-sync' as const })),
    prometheus: {
      replicas: 2,
      availableReplicas: 2,
      retention: '15d',
      conditions: [{ type: 'Available', status: 'True' }],
    },
    links: {
      prometheus: 'http://localhost:9090',
      alertmanager: 'http://localhost:9093',
    },
    ...overrides,
  };
}

/** Opted in, nothing in the cluster yet. */
export function notDeployedStatus(
  overrides: Partial<StatusResponse> = {},
): StatusResponse {
  return statusFixture({
    objects: objectRefs.map(ref => ({ ...ref, state: 'missing' as const })),
    prometheus: undefined,
    ...overrides,
  });
}

export function planFixture(): PlanResponse {
  const objects = objectRefs.map((ref, i) => ({
    ...ref,
    action: (i === 0 ? 'update' : 'create') as 'update' | 'create',
    changedFields: i === 0 ? ['spec.replicas'] : undefined,
    manifest: {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    },
  }));
  return {
    entityRef: 'component:default/checkout',
    cluster: 'local',
    namespace: 'shop-prod',
    yaml: objects
      .map(
        o =>
          `apiVersion: ${o.apiVersion}\nkind: ${o.kind}\nmetadata:\n  name: ${o.name}\n  namespace: ${o.namespace}\n`,
      )
      .join('---\n'),
    objects,
  };
}

export function target(overrides: Partial<TargetInfo> = {}): TargetInfo {
  return {
    scrapePool: 'serviceMonitor/shop-prod/checkout/0',
    scrapeUrl: 'http://10.0.0.1:9301/metrics',
    health: 'up',
    lastScrape: new Date(Date.now() - 5000).toISOString(),
    lastScrapeDuration: 0.0042,
    lastError: '',
    labels: {
      namespace: 'shop-prod',
      pod: 'checkout-1',
      job: 'checkout-metrics',
    },
    cluster: 'local',
    ...overrides,
  };
}

export function targetsFixture(
  targets: TargetInfo[],
  failures: TargetsResponse['failures'] = [],
): TargetsResponse {
  return {
    targets,
    summary: {
      up: targets.filter(t => t.health === 'up').length,
      down: targets.filter(t => t.health === 'down').length,
      unknown: targets.filter(t => t.health === 'unknown').length,
    },
    failures,
  };
}

export function alertsFixture(
  overrides: Partial<AlertsResponse> = {},
): AlertsResponse {
  return {
    alerts: [
      {
        name: 'CheckoutHighErrorRate',
        state: 'firing',
        severity: 'critical',
        since: new Date(Date.now() - 600_000).toISOString(),
        summary: 'Checkout returns errors for more than 5% of requests',
        labels: {
          alertname: 'CheckoutHighErrorRate',
          namespace: 'shop-prod',
          severity: 'critical',
        },
        status: 'active',
        silencedBy: [],
        inhibitedBy: [],
        fingerprint: 'abc123',
        cluster: 'local',
      },
      {
        name: 'CheckoutSlow',
        state: 'pending',
        severity: 'warning',
        since: new Date(Date.now() - 60_000).toISOString(),
        summary: 'p99 latency above 1s',
        labels: { alertname: 'CheckoutSlow', namespace: 'shop-prod' },
        status: 'suppressed',
        silencedBy: ['silence-1'],
        inhibitedBy: [],
        fingerprint: 'def456',
        cluster: 'local',
      },
    ],
    silences: [
      {
        id: 'silence-1',
        matchers: [
          { name: 'alertname', value: 'CheckoutSlow', isRegex: false },
        ],
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'user:default/guest',
        comment: 'deploy in progress',
        state: 'active',
      },
    ],
    failures: [],
    ...overrides,
  };
}
