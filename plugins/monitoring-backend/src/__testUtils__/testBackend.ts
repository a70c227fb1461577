import type { Server } from 'node:http';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { makeConfig } from '../testing/fixtures';
import { KUBERNETES_AUDIT_EVENTS } from './kubernetesPlugin';
import { startMonitoringTestBackend } from './startMonitoringTestBackend';

export { OWNER, OTHER } from './startMonitoringTestBackend';

/** The Kubernetes API server of cluster `local` in router tests. */
export const K8S = 'http://k8s.test';

/** msw treats `:web` as a parameter in string paths, so match such URLs with a RegExp. */
export const exact = (url: string) =>
  new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\?.*)?$`);

export const api = (path: string) => `/api/monitoring${path}`;
export const as = (user: string) => mockCredentials.user.header(user);

/** One msw server per test file; supertest's requests to the test backend pass through. */
export function setupMsw() {
  const msw = setupServer(
    http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () =>
      passthrough(),
    ),
  );
  beforeAll(() => msw.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => msw.resetHandlers());
  afterAll(() => msw.close());
  return msw;
}

export interface AuditRecord {
  eventId: string;
  outcome: 'success' | 'fail';
  meta: any;
}

/**
 * Starts the monitoring backend (startMonitoringTestBackend: catalog mock, owner policy) with the
 * test config (cluster `local` at K8S, answered by msw; `adjust` may change it) and an auditor
 * recording into `auditEvents`.
 */
export async function startMonitoringBackend(options: {
  entities: Entity[];
  auditEvents?: AuditRecord[];
  configExtra?: Record<string, unknown>;
  adjust?: (config: ReturnType<typeof makeConfig>) => void;
}): Promise<Server> {
  const config = makeConfig(K8S, options.configExtra);
  options.adjust?.(config);
  const auditEvents = options.auditEvents ?? [];
  auditEvents.length = 0;
  const auditor = mockServices.auditor.mock({
    createEvent: async (o: any) =>
      KUBERNETES_AUDIT_EVENTS.includes(o.eventId)
        ? { success: async () => {}, fail: async () => {} }
        : {
            success: async (r?: any) => {
              auditEvents.push({
                eventId: o.eventId,
                outcome: 'success',
                meta: r?.meta,
              });
            },
            fail: async (r: any) => {
              auditEvents.push({
                eventId: o.eventId,
                outcome: 'fail',
                meta: { ...r.meta, error: r.error.message },
              });
            },
          },
  } as any);
  const server = await startMonitoringTestBackend({
    entities: options.entities,
    config,
    auditor: auditor.factory,
  });
  return server;
}

/**
 * The entity's ServiceMonitor and Service in `baseUrl`'s cluster, carrying the ownership markers
 * and `entityRef`: the binding reads, targets, alerts, graphs and silences need (msw handlers).
 */
export function boundObjects(options: {
  baseUrl?: string;
  namespace: string;
  kubernetesId: string;
  entityRef: string;
}) {
  const { namespace, kubernetesId, entityRef } = options;
  const base = options.baseUrl ?? K8S;
  const object = (apiVersion: string, kind: string, name: string) => ({
    apiVersion,
    kind,
    metadata: {
      name,
      namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'prometheus-ocs',
        'prometheus-ocs.io/scope': 'entity',
      },
      annotations: { 'prometheus-ocs.io/entity-ref': entityRef },
    },
  });
  return [
    http.get(
      exact(
        `${base}/apis/monitoring.coreos.com/v1/namespaces/${namespace}/servicemonitors/${kubernetesId}`,
      ),
      () =>
        HttpResponse.json(
          object('monitoring.coreos.com/v1', 'ServiceMonitor', kubernetesId),
        ),
    ),
    http.get(
      exact(
        `${base}/api/v1/namespaces/${namespace}/services/${kubernetesId}-metrics`,
      ),
      () =>
        HttpResponse.json(object('v1', 'Service', `${kubernetesId}-metrics`)),
    ),
  ];
}
