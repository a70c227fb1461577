/*
 * Integration tests of plan/apply/status/teardown against the Kubernetes API stand-in
 * (packages/kubernetes-api-standin), which implements server-side apply, dry-run, field-manager conflicts,
 * CRD schema validation (422), forbidden namespaces (403), "operator not installed" and faults.
 */
import { Entity } from '@backstage/catalog-model';
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { createRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  startStandIn,
  type StandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { ClusterResolver } from '../clusters/ClusterResolver';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { MonitoringResourceManager } from './MonitoringResourceManager';
import { entityListClaims } from './EntityBinding';

const TOKEN = 'demo-admin-token';

function entity(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': 'shop-prod',
        'prometheus-ocs.io/enabled': 'true',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  };
}

const checkout = entity('checkout', {
  'prometheus-ocs.io/alert-rules': [
    '- alert: CheckoutHighErrorRate',
    '  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
    '  for: 5m',
    '  severity: warning',
    '  summary: More than 5% of checkout requests fail',
  ].join('\n'),
});
const payments = entity('payments');

let standIn: StandIn;
let manager: MonitoringResourceManager;
let objectApi: KubernetesObjectApi;

beforeAll(async () => {
  standIn = await startStandIn({ port: 0, operatorReadyDelayMs: 20 });
  const renderOptions = createRenderOptions({
    clusters: [
      {
        name: 'local',
        allowedNamespaces: ['shop-prod', 'shop-dev', 'restricted'],
      },
    ],
    defaults: {
      alertmanager: {
        namespace: 'monitoring',
        name: 'alertmanager-main',
        port: 'web',
      },
    },
  });
  manager = new MonitoringResourceManager({
    claims: entityListClaims([]),
    renderOptions,
    clusters: new ClusterResolver({
      getClusters: async () => [
        {
          name: 'local',
          url: standIn.url,
          skipTLSVerify: true,
          auth: { type: 'bearerToken', getToken: async () => TOKEN },
        },
      ],
    }),
    // Far above any answer, even on a busy CI machine: 5 s ended cold first requests there.
    clientFactory: new KubernetesClientFactory({ timeoutMs: 30_000 }),
  });
  // "Someone else": kubectl-like edits through @kubernetes/client-node.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: standIn.url, skipTLSVerify: true }],
    users: [{ name: 'admin', token: TOKEN }],
    contexts: [{ name: 'local', cluster: 'local', user: 'admin' }],
    currentContext: 'local',
  });
  objectApi = KubernetesObjectApi.makeApiClient(kc);
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(() => {
  standIn.state.reset();
  standIn.faults.clear();
  standIn.requests.clear();
  standIn.setOperatorInstalled(true);
});

const summary = (
  objects: Array<{ kind: string; name: string } & Record<string, any>>,
  key: string,
) => objects.map(o => `${o.kind}/${o.name}:${o[key]}`);

async function waitForRollout() {
  for (let i = 0; i < 100; i++) {
    const status = await manager.status(checkout);
    if (
      status.prometheus &&
      status.prometheus.availableReplicas >= status.prometheus.replicas
    ) {
      return status;
    }
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('Prometheus never became available');
}

describe('MonitoringResourceManager against the stand-in', () => {
  it('plans, applies (accepted by CRD validation), reports in-sync status and re-applies as a no-op', async () => {
    const plan = await manager.plan(checkout);
    expect(summary(plan.objects, 'action')).toEqual([
      'Service/checkout-metrics:create',
      'ServiceMonitor/checkout:create',
      'PrometheusRule/checkout:create',
      'ServiceAccount/prometheus-k8s:create',
      'RoleBinding/prometheus-k8s:create',
      'Secret/prometheus-k8s-additional-scrape-configs:create',
      'Prometheus/k8s:create',
    ]);
    expect(plan.objects.filter(o => o.error)).toEqual([]);
    expect(plan.yaml).toContain('kind: PrometheusRule');
    expect(standIn.requests.writes()).toEqual([]);

    const applied = await manager.apply(checkout);
    expect(applied.ok).toBe(true);
    // The entity's own objects first (its ServiceMonitor is its claim and records its needs),
    // then the namespace's shared objects computed from those needs.
    expect(summary(applied.objects, 'result')).toEqual([
      'Service/checkout-metrics:created',
      'ServiceMonitor/checkout:created',
      'PrometheusRule/checkout:created',
      'ServiceAccount/prometheus-k8s:created',
      'RoleBinding/prometheus-k8s:created',
      'Secret/prometheus-k8s-additional-scrape-configs:created',
      'Prometheus/k8s:created',
    ]);
    expect([...summary(applied.objects, 'result')].sort()).toEqual(
      plan.objects.map(o => `${o.kind}/${o.name}:created`).sort(),
    );

    const status = await waitForRollout();
    expect(status).toMatchObject({
      enabled: true,
      allowed: true,
      operatorInstalled: true,
    });
    expect(status.objects.map(o => o.state)).toEqual(Array(7).fill('in-sync'));
    expect(status.prometheus).toMatchObject({
      replicas: 2,
      availableReplicas: 2,
      retention: '15d',
    });
    // The namespace has no owners (open mode); its Prometheus is what checkout's needs make it.
    expect(status.tenancy).toEqual({
      owners: [],
      open: true,
      instance: 'k8s',
      effective: { replicas: 2, retention: '15d' },
      needs: [
        {
          entityRef: 'component:default/checkout',
          replicas: 2,
          retention: '15d',
        },
      ],
    });

    const version = standIn.state.resourceVersion();
    const again = await manager.apply(checkout);
    expect(again.objects.map(o => o.result)).toEqual(
      Array(7).fill('unchanged'),
    );
    // Nothing at all was written: the cluster-wide resourceVersion did not move.
    expect(standIn.state.resourceVersion()).toBe(version);
    const replan = await manager.plan(checkout);
    expect(replan.objects.map(o => o.action)).toEqual(
      Array(7).fill('unchanged'),
    );
  });

  it('detects an edit by another manager, reports the conflict, and takes the field back only with force', async () => {
    await manager.apply(checkout);
    // Someone tunes the scrape interval by hand (an Update by another field manager).
    await objectApi.patch(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'checkout', namespace: 'shop-prod' },
        spec: {
          endpoints: [
            {
              port: 'metrics',
              path: '/metrics',
              interval: '5s',
              scheme: 'http',
            },
          ],
        },
      } as any,
      undefined,
      undefined,
      'kubectl-edit',
      undefined,
      PatchStrategy.MergePatch,
    );

    const drifted = await manager.status(checkout);
    expect(drifted.objects.filter(o => o.state !== 'in-sync')).toEqual([
      expect.objectContaining({
        kind: 'ServiceMonitor',
        state: 'drifted',
        driftedFields: ['spec.endpoints[0].interval'],
      }),
    ]);

    const plan = await manager.plan(checkout);
    expect(plan.objects.find(o => o.kind === 'ServiceMonitor')).toMatchObject({
      action: 'update',
      error: expect.stringContaining('kubectl-edit'),
    });

    const refused = await manager.apply(checkout);
    expect(refused.ok).toBe(false);
    expect(
      refused.objects.find(o => o.kind === 'ServiceMonitor'),
    ).toMatchObject({
      result: 'conflict',
      // endpoints is an atomic list in the CRD, so the whole list is the conflicting field.
      message: expect.stringContaining(
        'conflict with "kubectl-edit" using monitoring.coreos.com/v1: .spec.endpoints',
      ),
    });
    // A conflict does not stop the other objects.
    expect(
      refused.objects
        .filter(o => o.kind !== 'ServiceMonitor')
        .map(o => o.result),
    ).toEqual(Array(6).fill('unchanged'));
    expect(
      (await manager.status(checkout)).objects.find(
        o => o.kind === 'ServiceMonitor',
      )?.state,
    ).toBe('drifted');

    const forced = await manager.apply(checkout, { force: true });
    expect(forced.ok).toBe(true);
    expect(forced.objects.find(o => o.kind === 'ServiceMonitor')?.result).toBe(
      'updated',
    );
    const healed = await manager.status(checkout);
    expect(healed.objects.map(o => o.state)).toEqual(Array(7).fill('in-sync'));
  });

  it('shows a hand-edited shared Prometheus as drifted; apply with force does not take the field back, reclaim does', async () => {
    await manager.apply(checkout);
    await objectApi.patch(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'k8s', namespace: 'shop-prod' },
        spec: { replicas: 5 },
      } as any,
      undefined,
      undefined,
      'kubectl-edit',
      undefined,
      PatchStrategy.MergePatch,
    );
    const drifted = await manager.status(checkout);
    expect(drifted.objects.filter(o => o.state !== 'in-sync')).toEqual([
      expect.objectContaining({
        kind: 'Prometheus',
        state: 'drifted',
        driftedFields: ['spec.replicas'],
      }),
    ]);
    const refused = await manager.apply(checkout);
    expect(refused.ok).toBe(false);
    expect(refused.objects.find(o => o.kind === 'Prometheus')).toMatchObject({
      result: 'conflict',
      message: expect.stringContaining('.spec.replicas'),
    });
    // force applies to the entity's own objects only: a shared field another manager owns stays
    // theirs and is reported as a conflict naming that manager.
    const forced = await manager.apply(checkout, { force: true });
    expect(forced.ok).toBe(false);
    expect(forced.objects.find(o => o.kind === 'Prometheus')).toMatchObject({
      result: 'conflict',
      message: expect.stringMatching(/kubectl-edit.*\.spec\.replicas/),
    });
    expect(
      forced.objects.filter(o => o.kind !== 'Prometheus').map(o => o.result),
    ).toEqual(Array(6).fill('unchanged'));
    const prometheusRef = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      namespace: 'shop-prod',
      name: 'k8s',
    };
    expect((standIn.state.get(prometheusRef) as any)?.spec?.replicas).toBe(5);
    expect(
      (await manager.status(checkout)).objects.filter(
        o => o.state !== 'in-sync',
      ),
    ).toEqual([
      expect.objectContaining({
        kind: 'Prometheus',
        state: 'drifted',
        driftedFields: ['spec.replicas'],
      }),
    ]);

    // The namespace reclaim (platform admins, monitoring.namespace.manage) takes it back.
    const reclaimed = await manager.reclaim('local', 'shop-prod');
    expect(reclaimed).toMatchObject({
      cluster: 'local',
      namespace: 'shop-prod',
      ok: true,
    });
    expect(summary(reclaimed.objects, 'result')).toEqual([
      'ServiceAccount/prometheus-k8s:unchanged',
      'RoleBinding/prometheus-k8s:unchanged',
      'Secret/prometheus-k8s-additional-scrape-configs:unchanged',
      'Prometheus/k8s:updated',
    ]);
    expect((standIn.state.get(prometheusRef) as any)?.spec?.replicas).toBe(2);
    const status = await waitForRollout();
    expect(status.objects.map(o => o.state)).toEqual(Array(7).fill('in-sync'));
    expect(status.prometheus).toMatchObject({
      replicas: 2,
      availableReplicas: 2,
    });
  });

  it('never touches an object of the same name that is not ours', async () => {
    await objectApi.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'checkout-metrics',
        namespace: 'shop-prod',
        labels: { team: 'theirs' },
      },
      spec: { ports: [{ name: 'http', port: 80 }] },
    } as any);
    standIn.requests.clear();

    await expect(manager.apply(checkout)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'Service shop-prod/checkout-metrics already exists and is not managed by prometheus-ocs',
      ),
    });
    expect(standIn.requests.writes()).toEqual([]);

    const status = await manager.status(checkout);
    expect(status.objects.find(o => o.kind === 'Service')).toMatchObject({
      state: 'drifted',
      message: expect.stringContaining('not managed by prometheus-ocs'),
    });
    const teardown = await manager.teardown(checkout);
    expect(teardown.objects.find(o => o.kind === 'Service')).toMatchObject({
      result: 'kept',
    });
    expect(
      standIn.state.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop-prod',
        name: 'checkout-metrics',
      }),
    ).toBeDefined();
  });

  it('keeps shared objects while another entity uses them, and removes them with the last one', async () => {
    await manager.apply(checkout);
    const second = await manager.apply(payments);
    // payments' own objects are written first; the shared objects were applied by checkout
    // and payments needs nothing more, so they stay unchanged.
    expect(summary(second.objects, 'result')).toEqual([
      'Service/payments-metrics:created',
      'ServiceMonitor/payments:created',
      'ServiceAccount/prometheus-k8s:unchanged',
      'RoleBinding/prometheus-k8s:unchanged',
      'Secret/prometheus-k8s-additional-scrape-configs:unchanged',
      'Prometheus/k8s:unchanged',
    ]);
    expect((await manager.apply(checkout)).objects.map(o => o.result)).toEqual(
      Array(7).fill('unchanged'),
    );
    // An unmanaged ServiceMonitor in the namespace must survive every teardown.
    await objectApi.create({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: 'hand-made',
        namespace: 'shop-prod',
        labels: { prometheus: 'k8s' },
      },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        endpoints: [{ port: 'web' }],
      },
    } as any);

    const first = await manager.teardown(checkout);
    expect(first.ok).toBe(true);
    expect(summary(first.objects, 'result')).toEqual([
      'ServiceMonitor/checkout:deleted',
      'PrometheusRule/checkout:deleted',
      'Service/checkout-metrics:deleted',
      'Prometheus/k8s:kept',
      'Secret/prometheus-k8s-additional-scrape-configs:kept',
      'RoleBinding/prometheus-k8s:kept',
      'ServiceAccount/prometheus-k8s:kept',
    ]);
    expect(first.objects.find(o => o.kind === 'Prometheus')?.message).toBe(
      'still used by component:default/payments',
    );
    expect((await manager.status(payments)).objects.map(o => o.state)).toEqual(
      Array(6).fill('in-sync'),
    );

    const last = await manager.teardown(payments);
    expect(summary(last.objects, 'result')).toEqual([
      'ServiceMonitor/payments:deleted',
      'Service/payments-metrics:deleted',
      'Prometheus/k8s:deleted',
      'Secret/prometheus-k8s-additional-scrape-configs:deleted',
      'RoleBinding/prometheus-k8s:deleted',
      'ServiceAccount/prometheus-k8s:deleted',
    ]);
    const left = standIn.state
      .list({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        namespace: 'shop-prod',
      })
      .map(o => o.metadata.name);
    expect(left).toEqual(['hand-made']);
    expect((await manager.status(payments)).objects.map(o => o.state)).toEqual(
      Array(6).fill('missing'),
    );
  });

  it('leaves shared objects alone when the entity torn down had no objects in the namespace', async () => {
    expect((await manager.apply(payments)).ok).toBe(true);
    standIn.requests.clear();

    const res = await manager.teardown(checkout);

    expect(res.ok).toBe(true);
    expect(summary(res.objects, 'result')).toEqual([
      'Service/checkout-metrics:not-found',
      'ServiceMonitor/checkout:not-found',
      'PrometheusRule/checkout:not-found',
      'Prometheus/k8s:kept',
      'Secret/prometheus-k8s-additional-scrape-configs:kept',
      'RoleBinding/prometheus-k8s:kept',
      'ServiceAccount/prometheus-k8s:kept',
    ]);
    expect(res.objects.find(o => o.kind === 'Prometheus')?.message).toBe(
      'not touched: component:default/checkout had no objects in namespace shop-prod; still used by component:default/payments',
    );
    // Not a write, not a read of the shared objects: only the entity's lists and the needs.
    expect(standIn.requests.writes()).toEqual([]);
    expect(
      standIn.requests
        .list({ method: 'GET' })
        .filter(r =>
          /prometheuses|serviceaccounts|rolebindings|secrets/.test(r.path),
        ),
    ).toEqual([]);
  });

  it('reports a fault on the 3rd object per object, and a re-run converges', async () => {
    standIn.faults.add({
      method: 'PATCH',
      nth: 3,
      status: 500,
      message: 'etcd timeout',
    });
    const failed = await manager.apply(checkout);
    expect(failed.ok).toBe(false);
    // The entity's own objects are written first, so the 3rd write is its PrometheusRule; the
    // shared objects after it are skipped.
    expect(summary(failed.objects, 'result')).toEqual([
      'Service/checkout-metrics:created',
      'ServiceMonitor/checkout:created',
      'PrometheusRule/checkout:failed',
      'ServiceAccount/prometheus-k8s:skipped',
      'RoleBinding/prometheus-k8s:skipped',
      'Secret/prometheus-k8s-additional-scrape-configs:skipped',
      'Prometheus/k8s:skipped',
    ]);
    // A 5xx's message is the server's internals: it goes to the log, not into the answer.
    expect(failed.objects[2].message).toContain('answered 500');
    expect(failed.objects[2].message).not.toContain('etcd timeout');
    expect(failed.objects[3].message).toContain('PrometheusRule');

    const rerun = await manager.apply(checkout);
    expect(rerun.ok).toBe(true);
    expect(rerun.objects.map(o => o.result)).toEqual([
      'unchanged',
      'unchanged',
      'created',
      'created',
      'created',
      'created',
      'created',
    ]);
    expect((await manager.status(checkout)).objects.map(o => o.state)).toEqual(
      Array(7).fill('in-sync'),
    );
  });

  it('says when prometheus-operator is not installed, and refuses to apply', async () => {
    standIn.setOperatorInstalled(false);
    const status = await manager.status(checkout);
    expect(status.operatorInstalled).toBe(false);
    expect(summary(status.objects, 'state')).toEqual([
      'Service/checkout-metrics:missing',
      'ServiceMonitor/checkout:missing',
      'PrometheusRule/checkout:missing',
      'ServiceAccount/prometheus-k8s:missing',
      'RoleBinding/prometheus-k8s:missing',
      'Secret/prometheus-k8s-additional-scrape-configs:missing',
      'Prometheus/k8s:missing',
    ]);
    const plan = await manager.plan(checkout);
    expect(plan.objects.find(o => o.kind === 'Prometheus')?.error).toBe(
      "prometheus-operator is not installed in cluster 'local' (the API server does not serve monitoring.coreos.com/v1)",
    );
    expect(plan.objects.find(o => o.kind === 'Service')?.error).toBeUndefined();
    await expect(manager.apply(checkout)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(standIn.requests.writes()).toEqual([]);
  });

  it('refuses a namespace the cluster forbids (403 naming the namespace), without writing', async () => {
    const vault = entity('vault', {
      'backstage.io/kubernetes-namespace': 'restricted',
    });
    // The first request into the namespace is the listing of the instances its entities use
    // (maxInstances), before any object is read or written: the 403 fails the apply as a whole.
    await expect(manager.apply(vault)).rejects.toMatchObject({
      name: 'KubernetesApiError',
      kubernetesStatus: 403,
      message: expect.stringMatching(/answered 403.*"restricted"/),
    });
    expect(standIn.requests.writes()).toEqual([]);
    await expect(manager.status(vault)).rejects.toMatchObject({
      name: 'KubernetesApiError',
      kubernetesStatus: 403,
    });
  });

  it("says in status which entity the objects are bound to when they are another entity's", async () => {
    expect((await manager.apply(checkout)).ok).toBe(true);
    // Another catalog entity naming checkout's objects: enabled, and not opted in.
    const squatter = entity('squatter', {
      'backstage.io/kubernetes-id': 'checkout',
    });
    const optedOut = entity('squatter', {
      'backstage.io/kubernetes-id': 'checkout',
      'prometheus-ocs.io/enabled': 'false',
    });

    const enabled = await manager.status(squatter);
    const notOptedIn = await manager.status(optedOut);

    expect([enabled.tenancy?.boundTo, notOptedIn.tenancy?.boundTo]).toEqual([
      'component:default/checkout',
      'component:default/checkout',
    ]);
    expect((await manager.status(checkout)).tenancy).not.toHaveProperty(
      'boundTo',
    );
  });

  describe('entities that have not opted in', () => {
    const legacy = entity('legacy-billing', {
      'backstage.io/kubernetes-namespace': 'shop-dev',
      'prometheus-ocs.io/enabled': 'false',
    });

    it('answers status with label-selected lists only, and nothing applied', async () => {
      const status = await manager.status(legacy);
      expect(status).toEqual({
        entityRef: 'component:default/legacy-billing',
        enabled: false,
        cluster: 'local',
        namespace: 'shop-dev',
        instance: 'k8s',
        allowed: true,
        operatorInstalled: true,
        applied: false,
        objects: [],
        tenancy: {
          owners: [],
          open: true,
          instance: 'k8s',
          effective: { replicas: 1, retention: '15d' },
          needs: [],
        },
      });
      // One discovery request, one list per per-entity kind, and one list of the needs of the
      // namespace's instance (ServiceMonitors), each narrowed by labels.
      const lists = standIn.requests
        .list({ method: 'GET' })
        .filter(r => r.query.labelSelector);
      expect(lists.map(r => r.path).sort()).toEqual([
        '/api/v1/namespaces/shop-dev/services',
        '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/prometheusrules',
        '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/servicemonitors',
        '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/servicemonitors',
      ]);
      expect(new Set(lists.map(r => r.query.labelSelector))).toEqual(
        new Set([
          'app.kubernetes.io/managed-by=prometheus-ocs,prometheus-ocs.io/scope=entity,backstage.io/kubernetes-id=legacy-billing',
          'app.kubernetes.io/managed-by=prometheus-ocs,prometheus-ocs.io/scope=entity,prometheus=k8s',
        ]),
      );
      // Nothing else was asked about the namespace (no per-object reads).
      expect(
        standIn.requests.list({ path: /\/namespaces\/shop-dev\// }),
      ).toHaveLength(lists.length);
    });

    it('plans and applies only when asked to ignore the opt-in, then reports the objects and tears them down', async () => {
      await expect(manager.plan(legacy)).rejects.toMatchObject({
        name: 'InputError',
      });
      await expect(manager.apply(legacy)).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(standIn.requests.writes()).toEqual([]);

      const plan = await manager.plan(legacy, { ignoreOptIn: true });
      expect(summary(plan.objects, 'action')).toEqual([
        'Service/legacy-billing-metrics:create',
        'ServiceMonitor/legacy-billing:create',
        'ServiceAccount/prometheus-k8s:create',
        'RoleBinding/prometheus-k8s:create',
        'Secret/prometheus-k8s-additional-scrape-configs:create',
        'Prometheus/k8s:create',
      ]);
      expect(plan.objects.filter(o => o.error)).toEqual([]);
      for (const o of plan.objects) {
        expect(o.manifest.metadata.labels).toMatchObject({
          'app.kubernetes.io/managed-by': 'prometheus-ocs',
        });
      }
      const isOwn = (kind: string) =>
        kind === 'Service' || kind === 'ServiceMonitor';
      const own = plan.objects.filter(o => isOwn(o.kind));
      const shared = plan.objects.filter(o => !isOwn(o.kind));
      // Per-entity objects are bound to the entity by its ref.
      expect(own.map(o => o.kind).sort()).toEqual([
        'Service',
        'ServiceMonitor',
      ]);
      expect(
        own.map(o => [
          o.manifest.metadata.labels?.['prometheus-ocs.io/scope'],
          o.manifest.metadata.annotations?.['prometheus-ocs.io/entity-ref'],
        ]),
      ).toEqual([
        ['entity', 'component:default/legacy-billing'],
        ['entity', 'component:default/legacy-billing'],
      ]);
      // Shared objects are a function of the namespace: no entity ref (nor any other
      // annotation naming an entity).
      expect(shared.length).toBeGreaterThan(0);
      expect(
        shared.map(
          o => o.manifest.metadata.labels?.['prometheus-ocs.io/scope'],
        ),
      ).toEqual(shared.map(() => 'shared'));
      expect(
        JSON.stringify(shared.map(o => o.manifest.metadata.annotations ?? {})),
      ).not.toContain('legacy-billing');
      // The entity's ServiceMonitor records what it needs of the shared Prometheus.
      expect(
        plan.objects.find(o => o.kind === 'ServiceMonitor')?.manifest.metadata
          .annotations,
      ).toEqual({
        'prometheus-ocs.io/entity-ref': 'component:default/legacy-billing',
        'prometheus-ocs.io/needs-replicas': '2',
        'prometheus-ocs.io/needs-retention': '15d',
      });
      expect(standIn.requests.writes()).toEqual([]);

      const applied = await manager.apply(legacy, { ignoreOptIn: true });
      expect(applied.ok).toBe(true);
      expect(applied.objects.map(o => o.result)).toEqual(
        Array(6).fill('created'),
      );

      const status = await manager.status(legacy);
      expect(status).toMatchObject({
        enabled: false,
        applied: true,
        allowed: true,
        operatorInstalled: true,
      });
      expect(summary(status.objects, 'state')).toEqual(
        plan.objects.map(o => `${o.kind}/${o.name}:in-sync`),
      );
      expect(status.prometheus).toMatchObject({ replicas: 2 });

      // Re-syncing needs the flag again; with it, nothing changes.
      await expect(manager.apply(legacy)).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(
        (await manager.apply(legacy, { ignoreOptIn: true })).objects.map(
          o => o.result,
        ),
      ).toEqual(Array(6).fill('unchanged'));

      const teardown = await manager.teardown(legacy);
      expect(teardown.ok).toBe(true);
      expect(summary(teardown.objects, 'result')).toEqual([
        'ServiceMonitor/legacy-billing:deleted',
        'Service/legacy-billing-metrics:deleted',
        'Prometheus/k8s:deleted',
        'Secret/prometheus-k8s-additional-scrape-configs:deleted',
        'RoleBinding/prometheus-k8s:deleted',
        'ServiceAccount/prometheus-k8s:deleted',
      ]);
      expect(await manager.status(legacy)).toMatchObject({
        applied: false,
        objects: [],
      });
    });

    it('finds the objects of an entity whose annotation was removed, and never counts foreign ones', async () => {
      // Same kubernetes-id label, but not ours: it must not make the entity look applied.
      await objectApi.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'checkout-by-hand',
          namespace: 'shop-prod',
          labels: { 'backstage.io/kubernetes-id': 'checkout' },
        },
        spec: { ports: [{ name: 'http', port: 80 }] },
      } as any);
      const optedOut = entity('checkout', {
        'prometheus-ocs.io/enabled': 'false',
      });
      expect(await manager.status(optedOut)).toMatchObject({
        enabled: false,
        applied: false,
        objects: [],
      });

      await manager.apply(checkout);
      const status = await manager.status(optedOut);
      expect(status).toMatchObject({ enabled: false, applied: true });
      // Rendered from the current annotations: the PrometheusRule of the earlier render is not
      // expected any more, but teardown still finds it by its markers.
      expect(status.objects.map(o => o.state)).toEqual(
        Array(6).fill('in-sync'),
      );

      const teardown = await manager.teardown(optedOut);
      expect(teardown.ok).toBe(true);
      expect(
        teardown.objects
          .filter(o => o.result === 'deleted')
          .map(o => `${o.kind}/${o.name}`),
      ).toEqual([
        'ServiceMonitor/checkout',
        'PrometheusRule/checkout',
        'Service/checkout-metrics',
        'Prometheus/k8s',
        'Secret/prometheus-k8s-additional-scrape-configs',
        'RoleBinding/prometheus-k8s',
        'ServiceAccount/prometheus-k8s',
      ]);
      expect(
        standIn.state.get({
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'shop-prod',
          name: 'checkout-by-hand',
        }),
      ).toBeDefined();
    });
  });

  it('refuses namespaces the configuration does not allow before contacting the cluster', async () => {
    const other = entity('other', {
      'backstage.io/kubernetes-namespace': 'kube-system',
    });
    await expect(manager.apply(other)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(manager.teardown(other)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect((await manager.status(other)).allowed).toBe(false);
    expect(standIn.requests.list()).toEqual([]);
  });
});
