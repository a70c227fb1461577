import {
  AlertsResponse,
  StatusResponse,
  TargetInfo,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';

/*
 * The monitoring backend's answers for one monitored entity, `component:default/checkout` in
 * namespace shop-prod of cluster `local`, in the shapes its routes send (the types of
 * `@prometheus-ocs/plugin-monitoring-common`).
 */

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

/**
 * `GET …/status` of the entity: opted in, every object in sync, its Prometheus ready (2 of 2).
 *
 * @public
 */
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

/**
 * One scrape target of the entity, up, scraped five seconds ago.
 *
 * @public
 */
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

/**
 * `GET …/targets` listing `targets`, with the summary the backend computes from them.
 *
 * @public
 */
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

/**
 * `GET …/alerts` of the entity: one firing alert, one pending alert silenced by an active silence.
 *
 * @public
 */
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
