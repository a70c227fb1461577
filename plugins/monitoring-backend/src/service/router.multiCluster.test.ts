/*
 * Reads over several clusters (`monitoring.clusters[].observe`) and several Prometheus /
 * Alertmanager instances per cluster: one failing source never fails the others, and every
 * failure names its cluster and instance.
 */
import { http, HttpResponse } from 'msw';
import request from 'supertest';
import { makeEntity, TEST_TOKEN } from '../testing/fixtures';
import {
  api,
  as,
  boundObjects,
  exact,
  K8S,
  OTHER,
  OWNER,
  setupMsw,
  startMonitoringBackend,
} from '../__testUtils__/testBackend';

const K8S_EU = 'http://k8s-eu.test';
const proxy = (base: string, ns: string, service: string) =>
  `${base}/api/v1/namespaces/${ns}/services/${service}/proxy`;
const PROM = proxy(K8S, 'shop-prod', 'prometheus-operated:web');
const PROM_EU = proxy(K8S_EU, 'shop-prod', 'prometheus-operated:web');
const AM = proxy(K8S, 'monitoring', 'alertmanager-main:web');
const AM_EU = proxy(K8S_EU, 'monitoring', 'alertmanager-main:web');
const SERVICE_MONITOR_EU = `${K8S_EU}/apis/monitoring.coreos.com/v1/namespaces/shop-prod/servicemonitors/checkout`;
const POOL = 'serviceMonitor/shop-prod/checkout/0';

const msw = setupMsw();

const entities = [makeEntity('checkout')];
const checkout = api('/entities/component/default/checkout');

/** Cluster `eu` next to `local`: same namespaces, observed for entities homed in `local`. */
function withEuCluster(
  euPolicy: Record<string, unknown> = {
    allowedNamespaces: ['shop-prod'],
    observe: true,
  },
) {
  return (config: any) => {
    config.kubernetes.clusterLocatorMethods[0].clusters.push({
      name: 'eu',
      url: K8S_EU,
      authProvider: 'serviceAccount',
      serviceAccountToken: TEST_TOKEN,
      skipTLSVerify: true,
    });
    config.monitoring.clusters.push({ name: 'eu', ...euPolicy });
  };
}

const startTwoClusters = (euPolicy?: Record<string, unknown>) =>
  startMonitoringBackend({ entities, adjust: withEuCluster(euPolicy) });

function target(instance: string, health: string) {
  return {
    labels: {
      namespace: 'shop-prod',
      service: 'checkout-metrics',
      instance,
    },
    scrapePool: POOL,
    scrapeUrl: `http://${instance}/metrics`,
    lastError: '',
    lastScrape: '2024-05-01T10:00:00Z',
    lastScrapeDuration: 0.004,
    health,
  };
}

const targetsAnswer = (...targets: unknown[]) =>
  HttpResponse.json({
    status: 'success',
    data: { activeTargets: targets, droppedTargets: [] },
  });

const SERVICE_EU = `${K8S_EU}/api/v1/namespaces/shop-prod/services/checkout-metrics`;

/**
 * The entity's ServiceMonitor and Service exist in `eu` (e.g. applied there by GitOps), bound to
 * `entityRef`.
 */
const serviceMonitorInEu = (entityRef = 'component:default/checkout') =>
  boundObjects({
    baseUrl: K8S_EU,
    namespace: 'shop-prod',
    kubernetesId: 'checkout',
    entityRef,
  });

const notFound = () =>
  HttpResponse.json(
    { kind: 'Status', code: 404, reason: 'NotFound' },
    { status: 404 },
  );

// checkout is enabled in its home cluster `local`: its ServiceMonitor and Service there are bound
// to it (reads and silences go by the binding).
beforeEach(() => {
  msw.use(
    ...boundObjects({
      namespace: 'shop-prod',
      kubernetesId: 'checkout',
      entityRef: 'component:default/checkout',
    }),
  );
});

const unavailable = () =>
  HttpResponse.text('no endpoints available for service', { status: 503 });

describe('reads over several clusters', () => {
  it('returns the targets of the clusters that answered and names the one that failed', async () => {
    msw.use(
      ...serviceMonitorInEu(),
      http.get(exact(`${PROM}/api/v1/targets`), () =>
        targetsAnswer(target('10.0.0.1:8080', 'up')),
      ),
      http.get(exact(`${PROM_EU}/api/v1/targets`), unavailable),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(
      res.body.targets.map((t: any) => `${t.cluster} ${t.scrapeUrl}`),
    ).toEqual(['local http://10.0.0.1:8080/metrics']);
    expect(res.body.summary).toEqual({ up: 1, down: 0, unknown: 0 });
    expect(res.body.failures).toEqual([
      {
        source: `Prometheus of cluster 'eu', scrape pool ${POOL}`,
        message: expect.stringContaining('answered 503'),
      },
    ]);
  });

  it('merges targets and graph series of every observed cluster, each naming its cluster', async () => {
    msw.use(
      ...serviceMonitorInEu(),
      http.get(exact(`${PROM}/api/v1/targets`), () =>
        targetsAnswer(target('10.0.0.1:8080', 'up')),
      ),
      http.get(exact(`${PROM_EU}/api/v1/targets`), () =>
        targetsAnswer(target('10.9.0.1:8080', 'down')),
      ),
      http.get(exact(`${PROM}/api/v1/query_range`), () =>
        HttpResponse.json({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: {}, values: [] }] },
        }),
      ),
      http.get(exact(`${PROM_EU}/api/v1/query_range`), () =>
        HttpResponse.json({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: {}, values: [] }] },
        }),
      ),
    );
    const server = await startTwoClusters();
    const targets = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(
      targets.body.targets.map((t: any) => `${t.cluster}:${t.health}`),
    ).toEqual(['local:up', 'eu:down']);
    expect(targets.body.summary).toEqual({ up: 1, down: 1, unknown: 0 });
    expect(targets.body.failures).toEqual([]);

    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const graph = await request(server)
      .get(
        `${checkout}/query_range?query=up&start=${
          hourAgo - 3600
        }&end=${hourAgo}&step=60`,
      )
      .set('Authorization', as(OTHER));
    expect(graph.status).toBe(200);
    expect(graph.body.series.map((s: any) => s.cluster)).toEqual([
      'local',
      'eu',
    ]);
  });

  it('leaves out observed clusters where the entity has no ServiceMonitor, or its namespace is not allowed', async () => {
    let euCalls = 0;
    msw.use(
      http.get(SERVICE_MONITOR_EU, () => {
        euCalls++;
        return notFound();
      }),
      http.get(exact(SERVICE_EU), () => {
        euCalls++;
        return notFound();
      }),
      http.get(exact(`${PROM}/api/v1/targets`), () =>
        targetsAnswer(target('10.0.0.1:8080', 'up')),
      ),
      http.get(exact(`${PROM_EU}/api/v1/targets`), () => {
        euCalls += 100;
        return targetsAnswer();
      }),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.body.targets).toHaveLength(1);
    expect(res.body.failures).toEqual([]);
    // Asked whether the ServiceMonitor and Service exist (the binding), never its Prometheus.
    expect(euCalls).toBe(2);

    euCalls = 0;
    const notAllowed = await startTwoClusters({
      allowedNamespaces: ['shop-dev'],
      observe: true,
    });
    await request(notAllowed)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(euCalls).toBe(0);
  });

  it("ignores another entity's ServiceMonitor of the same name", async () => {
    let euPrometheusCalls = 0;
    msw.use(
      ...serviceMonitorInEu('component:other/checkout'),
      http.get(exact(`${PROM}/api/v1/targets`), () => targetsAnswer()),
      http.get(exact(`${PROM_EU}/api/v1/targets`), () => {
        euPrometheusCalls++;
        return targetsAnswer();
      }),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(euPrometheusCalls).toBe(0);
  });

  it('refuses reads (409) when its objects in the home cluster are bound to another entity, whatever the observed clusters hold', async () => {
    let prometheusCalls = 0;
    msw.use(
      ...boundObjects({
        namespace: 'shop-prod',
        kubernetesId: 'checkout',
        entityRef: 'component:other/checkout',
      }),
      ...serviceMonitorInEu(),
      http.get(exact(`${PROM}/api/v1/targets`), () => {
        prometheusCalls++;
        return targetsAnswer();
      }),
      http.get(exact(`${PROM_EU}/api/v1/targets`), () => {
        prometheusCalls++;
        return targetsAnswer();
      }),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('component:other/checkout');
    expect(prometheusCalls).toBe(0);
  });

  it('names an observed cluster that cannot be checked, and still answers', async () => {
    msw.use(
      http.get(SERVICE_MONITOR_EU, () => HttpResponse.error()),
      http.get(exact(SERVICE_EU), () => HttpResponse.error()),
      http.get(exact(`${PROM}/api/v1/targets`), () =>
        targetsAnswer(target('10.0.0.1:8080', 'up')),
      ),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(res.body.targets).toHaveLength(1);
    expect(res.body.failures).toEqual([
      {
        source:
          "Kubernetes API of cluster 'eu', ServiceMonitor shop-prod/checkout",
        message: expect.stringContaining("Cluster 'eu' is unreachable"),
      },
    ]);
  });

  it('lists alerts and silences of every cluster when one Alertmanager fails', async () => {
    const alertSamples = (alertname: string) =>
      HttpResponse.json({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            {
              metric: {
                __name__: 'ALERTS',
                alertstate: 'firing',
                alertname,
                namespace: 'shop-prod',
                service: 'checkout-metrics',
                severity: 'warning',
              },
              value: [1, '1'],
            },
          ],
        },
      });
    msw.use(
      ...serviceMonitorInEu(),
      http.get(exact(`${PROM}/api/v1/query`), () =>
        alertSamples('CheckoutErrors'),
      ),
      http.get(exact(`${PROM_EU}/api/v1/query`), () =>
        alertSamples('CheckoutSlow'),
      ),
      http.get(exact(`${AM}/api/v2/alerts`), () => HttpResponse.json([])),
      http.get(exact(`${AM}/api/v2/silences`), () =>
        HttpResponse.json([
          {
            id: 's-local',
            matchers: [
              { name: 'namespace', value: 'shop-prod', isRegex: false },
              { name: 'service', value: 'checkout-metrics', isRegex: false },
            ],
            startsAt: '2024-05-01T10:00:00Z',
            endsAt: '2024-05-01T12:00:00Z',
            createdBy: OWNER,
            comment: 'deploying',
            status: { state: 'active' },
          },
        ]),
      ),
      http.get(exact(`${AM_EU}/api/v2/alerts`), unavailable),
      http.get(exact(`${AM_EU}/api/v2/silences`), () => HttpResponse.json([])),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/alerts`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(res.body.alerts.map((a: any) => `${a.cluster}:${a.name}`)).toEqual([
      'local:CheckoutErrors',
      'eu:CheckoutSlow',
    ]);
    expect(res.body.silences.map((s: any) => `${s.cluster}:${s.id}`)).toEqual([
      'local:s-local',
    ]);
    expect(res.body.failures).toEqual([
      {
        source: "Alertmanager of cluster 'eu', alerts and silences",
        message: expect.stringContaining('answered 503'),
      },
    ]);
  });

  it('expires a silence held by the Alertmanager of an observed cluster', async () => {
    const expired: string[] = [];
    const silence = {
      id: 's-eu',
      matchers: [
        { name: 'namespace', value: 'shop-prod', isRegex: false },
        { name: 'service', value: 'checkout-metrics', isRegex: false },
      ],
      startsAt: '2024-05-01T10:00:00Z',
      endsAt: '2024-05-01T12:00:00Z',
      createdBy: OWNER,
      comment: 'maintenance',
      status: { state: 'active' },
    };
    msw.use(
      ...serviceMonitorInEu(),
      http.get(exact(`${AM}/api/v2/silence/s-eu`), () =>
        HttpResponse.text('silence not found', { status: 404 }),
      ),
      http.get(exact(`${AM_EU}/api/v2/silence/s-eu`), () =>
        HttpResponse.json(silence),
      ),
      http.delete(exact(`${AM_EU}/api/v2/silence/s-eu`), () => {
        expired.push('eu:s-eu');
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .delete(`${checkout}/silences/s-eu`)
      .set('Authorization', as(OWNER));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 's-eu',
      state: 'expired',
      cluster: 'eu',
    });
    expect(expired).toEqual(['eu:s-eu']);
  });

  it('fails with 502 only when every source failed', async () => {
    msw.use(
      ...serviceMonitorInEu(),
      http.get(exact(`${PROM}/api/v1/targets`), unavailable),
      http.get(exact(`${PROM_EU}/api/v1/targets`), unavailable),
    );
    const server = await startTwoClusters();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(502);
    expect(res.body.error.message).toContain("Prometheus of cluster 'local'");
  });
});

describe('several Prometheus instances in one cluster', () => {
  const CENTRAL = 'http://central.test:9090';
  const startWithTwoPrometheus = () =>
    startMonitoringBackend({
      entities,
      adjust: (config: any) => {
        config.monitoring.clusters[0].prometheus = [
          { name: 'namespace' },
          { name: 'central', url: CENTRAL },
        ];
      },
    });

  it('asks each, tags targets with the Prometheus that reported them, and names the one that failed', async () => {
    msw.use(
      http.get(exact(`${PROM}/api/v1/targets`), () =>
        targetsAnswer(target('10.0.0.1:8080', 'up')),
      ),
      http.get(`${CENTRAL}/api/v1/targets`, unavailable),
    );
    const server = await startWithTwoPrometheus();
    const res = await request(server)
      .get(`${checkout}/targets`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(
      res.body.targets.map((t: any) => `${t.cluster}/${t.prometheus}`),
    ).toEqual(['local/namespace']);
    expect(res.body.failures).toEqual([
      {
        source: `Prometheus 'central' of cluster 'local', scrape pool ${POOL}`,
        message: expect.stringContaining('answered 503'),
      },
    ]);
  });

  it('shows an alert that both evaluate once', async () => {
    const samples = {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          {
            metric: {
              __name__: 'ALERTS',
              alertstate: 'firing',
              alertname: 'CheckoutDown',
              namespace: 'shop-prod',
              service: 'checkout-metrics',
            },
            value: [1, '1'],
          },
        ],
      },
    };
    msw.use(
      http.get(exact(`${PROM}/api/v1/query`), () => HttpResponse.json(samples)),
      http.get(`${CENTRAL}/api/v1/query`, () => HttpResponse.json(samples)),
      http.get(exact(`${AM}/api/v2/alerts`), () => HttpResponse.json([])),
      http.get(exact(`${AM}/api/v2/silences`), () => HttpResponse.json([])),
    );
    const server = await startWithTwoPrometheus();
    const res = await request(server)
      .get(`${checkout}/alerts`)
      .set('Authorization', as(OTHER));
    expect(res.body.alerts.map((a: any) => a.name)).toEqual(['CheckoutDown']);
    expect(res.body.failures).toEqual([]);
  });
});

describe('silencing an alert seen in an observed cluster', () => {
  it("creates the silence in that cluster's Alertmanager, and only for clusters the entity is read from", async () => {
    const posted: string[] = [];
    msw.use(
      ...serviceMonitorInEu(),
      http.post(exact(`${AM_EU}/api/v2/silences`), () => {
        posted.push('eu');
        return HttpResponse.json({ silenceID: 'new-eu' });
      }),
      http.post(exact(`${AM}/api/v2/silences`), () => {
        posted.push('local');
        return HttpResponse.json({ silenceID: 'new-local' });
      }),
    );
    const server = await startTwoClusters();
    const body = { comment: 'rolling restart', durationMinutes: 30 };

    const inEu = await request(server)
      .post(`${checkout}/silences`)
      .set('Authorization', as(OWNER))
      .send({ ...body, cluster: 'eu' });
    expect(inEu.status).toBe(201);
    expect(inEu.body).toMatchObject({ id: 'new-eu', cluster: 'eu' });

    const byDefault = await request(server)
      .post(`${checkout}/silences`)
      .set('Authorization', as(OWNER))
      .send(body);
    expect(byDefault.body).toMatchObject({ id: 'new-local', cluster: 'local' });

    const elsewhere = await request(server)
      .post(`${checkout}/silences`)
      .set('Authorization', as(OWNER))
      .send({ ...body, cluster: 'us' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toBe(
      "cluster 'us' is not one component:default/checkout is monitored in (local, eu)",
    );
    expect(posted).toEqual(['eu', 'local']);
  });
});
