import { delay, http, HttpResponse } from 'msw';
import request from 'supertest';
import { fakeKubernetes } from '../__testUtils__/fakeKubernetes';
import { makeEntity, TEST_TOKEN, TEST_TIMEOUTS } from '../testing/fixtures';
import {
  api,
  as,
  AuditRecord,
  boundObjects,
  exact,
  K8S,
  OTHER,
  OWNER,
  setupMsw,
  startMonitoringBackend,
} from '../__testUtils__/testBackend';

const PROXY = `${K8S}/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy`;
const AM = `${K8S}/api/v1/namespaces/monitoring/services/alertmanager-main:web/proxy`;

const msw = setupMsw();

/** Not opted in: no prometheus-ocs.io/enabled annotation. */
const legacy = makeEntity('legacy-billing', {
  'backstage.io/kubernetes-namespace': 'shop-dev',
});
delete legacy.metadata.annotations!['prometheus-ocs.io/enabled'];

const entities = [
  makeEntity('checkout'),
  legacy,
  makeEntity('search', { 'prometheus-ocs.io/interval': '5 minutes' }),
  makeEntity('vault', { 'backstage.io/kubernetes-namespace': 'restricted' }),
];

const auditEvents: AuditRecord[] = [];

function startBackend(configExtra: Record<string, unknown> = {}) {
  return startMonitoringBackend({ entities, auditEvents, configExtra });
}

/**
 * A Kubernetes API with the operator installed and no objects yet; PATCH creates and stores
 * nothing but the ServiceMonitors written (an entity's claim and needs, which the namespace's
 * shared objects are computed from); every other list is empty.
 */
function emptyCluster(seen: { auth: Set<string | null>; patches: string[] }) {
  const monitors: unknown[] = [];
  return [
    http.get(`${K8S}/apis/monitoring.coreos.com/v1`, ({ request: r }) => {
      seen.auth.add(r.headers.get('authorization'));
      return HttpResponse.json({ kind: 'APIResourceList', resources: [] });
    }),
    http.get(
      new RegExp(`^${K8S}/apis?/.*/namespaces/shop-prod/[^/?]+(\\?.*)?$`),
      ({ request: r }) => {
        seen.auth.add(r.headers.get('authorization'));
        const items = new URL(r.url).pathname.endsWith('/servicemonitors')
          ? monitors
          : [];
        return HttpResponse.json({ kind: 'List', metadata: {}, items });
      },
    ),
    http.get(new RegExp(`^${K8S}/apis?/.*/namespaces/shop-prod/`), () =>
      HttpResponse.json(
        { kind: 'Status', code: 404, reason: 'NotFound' },
        { status: 404 },
      ),
    ),
    http.patch(
      new RegExp(`^${K8S}/apis?/.*/namespaces/shop-prod/`),
      async ({ request: r }) => {
        const body = (await r.json()) as any;
        seen.patches.push(`${body.kind}/${body.metadata.name}`);
        const dryRun = new URL(r.url).searchParams.has('dryRun');
        if (body.kind === 'ServiceMonitor' && !dryRun) monitors.push(body);
        return HttpResponse.json({
          ...body,
          metadata: { ...body.metadata, resourceVersion: '1' },
        });
      },
    ),
  ];
}

describe('monitoring router', () => {
  // checkout is enabled: its ServiceMonitor and Service are bound to it (reads need the binding).
  beforeEach(() => {
    msw.use(
      ...boundObjects({
        namespace: 'shop-prod',
        kubernetesId: 'checkout',
        entityRef: 'component:default/checkout',
      }),
    );
  });

  it('reports status per expected object, with the cluster token only sent to the cluster', async () => {
    const seen = { auth: new Set<string | null>(), patches: [] as string[] };
    msw.use(...emptyCluster(seen));
    const server = await startBackend();
    const res = await request(server)
      .get(api('/entities/component/default/checkout/status'))
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/checkout',
      enabled: true,
      allowed: true,
      cluster: 'local',
      namespace: 'shop-prod',
      operatorInstalled: true,
      links: { prometheus: 'http://localhost:9090' },
      // No owners configured for shop-prod: the open mode.
      tenancy: expect.objectContaining({ owners: [], open: true }),
    });
    expect(
      res.body.objects.map((o: any) => `${o.kind}/${o.name}:${o.state}`),
    ).toEqual([
      'Service/checkout-metrics:missing',
      'ServiceMonitor/checkout:missing',
      'ServiceAccount/prometheus-k8s:missing',
      'RoleBinding/prometheus-k8s:missing',
      'Secret/prometheus-k8s-additional-scrape-configs:missing',
      'Prometheus/k8s:missing',
    ]);
    expect([...seen.auth]).toEqual([`Bearer ${TEST_TOKEN}`]);
    expect(JSON.stringify(res.body)).not.toContain(TEST_TOKEN);
  });

  it('answers 404 for an unknown entity and 400 with every problem for bad annotations', async () => {
    const server = await startBackend();
    const missing = await request(server)
      .get(api('/entities/component/default/nope/status'))
      .set('Authorization', as(OWNER));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      name: 'NotFoundError',
      message: 'Entity component:default/nope not found',
    });

    const bad = await request(server)
      .post(api('/entities/component/default/search/plan'))
      .set('Authorization', as(OWNER));
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(bad.body.error.message).toContain('prometheus-ocs.io/interval');
    expect(bad.body.error.problems).toEqual([
      expect.objectContaining({
        annotation: 'prometheus-ocs.io/interval',
        value: '5 minutes',
      }),
    ]);
  });

  it('refuses namespaces the config does not allow, and says so in status', async () => {
    const server = await startBackend();
    const plan = await request(server)
      .post(api('/entities/component/default/vault/plan'))
      .set('Authorization', as(OWNER));
    expect(plan.status).toBe(403);
    expect(plan.body.error.message).toContain(
      'Namespace "restricted" is not allowed',
    );
    const status = await request(server)
      .get(api('/entities/component/default/vault/status'))
      .set('Authorization', as(OWNER));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      allowed: false,
      namespace: 'restricted',
      objects: [],
    });
  });

  it('lets the owner apply and refuses others with 403, auditing both', async () => {
    const seen = { auth: new Set<string | null>(), patches: [] as string[] };
    msw.use(...emptyCluster(seen));
    const server = await startBackend();

    const denied = await request(server)
      .post(api('/entities/component/default/checkout/apply'))
      .set('Authorization', as(OTHER))
      .send({});
    expect(denied.status).toBe(403);
    expect(seen.patches).toEqual([]);

    const applied = await request(server)
      .post(api('/entities/component/default/checkout/apply'))
      .set('Authorization', as(OWNER))
      .send({ force: false });
    expect(applied.status).toBe(200);
    expect(applied.body.ok).toBe(true);
    expect(applied.body.objects.map((o: any) => o.result)).toEqual(
      Array(6).fill('created'),
    );
    // The entity's own objects first (its claim and its needs), then the namespace's shared
    // objects computed from the needs of every entity there.
    expect(seen.patches).toEqual([
      'Service/checkout-metrics',
      'ServiceMonitor/checkout',
      'ServiceAccount/prometheus-k8s',
      'RoleBinding/prometheus-k8s',
      'Secret/prometheus-k8s-additional-scrape-configs',
      'Prometheus/k8s',
    ]);
    expect(auditEvents).toEqual([
      {
        eventId: 'entity-apply',
        outcome: 'fail',
        meta: expect.objectContaining({
          entityRef: 'component:default/checkout',
          error:
            'Not allowed: monitoring.entity.apply on component:default/checkout',
        }),
      },
      {
        eventId: 'entity-apply',
        outcome: 'success',
        meta: expect.objectContaining({
          entityRef: 'component:default/checkout',
          cluster: 'local',
          ok: true,
          objects: expect.arrayContaining([
            'Prometheus shop-prod/k8s: created',
          ]),
        }),
      },
    ]);
  });

  it('lets readers plan (a dry-run) but not apply', async () => {
    const seen = { auth: new Set<string | null>(), patches: [] as string[] };
    const dryRuns: string[] = [];
    msw.use(
      http.patch(
        new RegExp(`^${K8S}/apis?/.*/namespaces/shop-prod/`),
        async ({ request: r }) => {
          dryRuns.push(new URL(r.url).searchParams.get('dryRun') ?? 'none');
          const body = (await r.json()) as any;
          return HttpResponse.json({
            ...body,
            metadata: { ...body.metadata, resourceVersion: '1' },
          });
        },
      ),
      ...emptyCluster(seen),
    );
    const server = await startBackend();

    const plan = await request(server)
      .post(api('/entities/component/default/checkout/plan'))
      .set('Authorization', as(OTHER));
    expect(plan.status).toBe(200);
    expect(plan.body.objects.map((o: any) => o.action)).toEqual(
      Array(6).fill('create'),
    );
    // Every write the plan made was a server-side dry-run.
    expect(dryRuns.length).toBeGreaterThan(0);
    expect(new Set(dryRuns)).toEqual(new Set(['All']));

    const apply = await request(server)
      .post(api('/entities/component/default/checkout/apply'))
      .set('Authorization', as(OTHER))
      .send({});
    expect(apply.status).toBe(403);
  });

  it('rejects unknown apply body fields', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post(api('/entities/component/default/checkout/apply'))
      .set('Authorization', as(OWNER))
      .send({ force: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid request body: force/);
  });

  it('answers 502 naming the cluster when it is unreachable, and 504 on time-outs', async () => {
    msw.use(
      http.get(`${K8S}/apis/monitoring.coreos.com/v1`, () =>
        HttpResponse.error(),
      ),
    );
    const server = await startBackend();
    const unreachable = await request(server)
      .get(api('/entities/component/default/checkout/status'))
      .set('Authorization', as(OWNER));
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error.name).toBe('KubernetesUnreachableError');
    expect(unreachable.body.error.message).toContain(
      "Cluster 'local' is unreachable",
    );

    // The API server never answers: the time-out is the only way the request can end.
    msw.use(
      http.get(`${K8S}/apis/monitoring.coreos.com/v1`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const slow = await request(server)
      .get(api('/entities/component/default/checkout/status'))
      .set('Authorization', as(OWNER));
    expect(slow.status).toBe(504);
    expect(slow.body.error.message).toBe(
      `Cluster 'local' did not answer within ${TEST_TIMEOUTS.kubernetes} ms (request ${slow.headers['x-request-id']})`,
    );
    expect(JSON.stringify(slow.body)).not.toContain(TEST_TOKEN);
  });

  it('serves targets per scrape pool, and N concurrent viewers cause one upstream call', async () => {
    let calls = 0;
    const pools: string[] = [];
    msw.use(
      http.get(exact(`${PROXY}/api/v1/targets`), async ({ request: r }) => {
        calls++;
        const url = new URL(r.url);
        pools.push(
          `${url.searchParams.get('scrapePool')}|${url.searchParams.get(
            'state',
          )}`,
        );
        await delay(50);
        const target = (instance: string, health: string, lastError = '') => ({
          labels: {
            namespace: 'shop-prod',
            service: 'checkout-metrics',
            job: 'checkout-metrics',
            instance,
          },
          scrapePool: 'serviceMonitor/shop-prod/checkout/0',
          scrapeUrl: `http://${instance}/metrics`,
          lastError,
          lastScrape: '2024-05-01T10:00:00Z',
          lastScrapeDuration: 0.004,
          health,
          scrapeInterval: '15s',
        });
        return HttpResponse.json({
          status: 'success',
          data: {
            activeTargets: [
              target('10.0.0.2:8080', 'up'),
              target('10.0.0.1:8080', 'down', 'connection refused'),
            ],
            droppedTargets: [],
          },
        });
      }),
    );
    const server = await startBackend();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(server)
          .get(api('/entities/component/default/checkout/targets'))
          .set('Authorization', as(OTHER)),
      ),
    );
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.body.summary).toEqual({ up: 1, down: 1, unknown: 0 });
      expect(
        res.body.targets.map((t: any) => [t.scrapeUrl, t.health, t.lastError]),
      ).toEqual([
        ['http://10.0.0.1:8080/metrics', 'down', 'connection refused'],
        ['http://10.0.0.2:8080/metrics', 'up', ''],
      ]);
      expect(res.body.failures).toEqual([]);
    }
    expect(calls).toBe(1);
    expect(pools).toEqual(['serviceMonitor/shop-prod/checkout/0|active']);

    // Within the cache window, later viewers are served from coreServices.cache.
    await request(server)
      .get(api('/entities/component/default/checkout/targets'))
      .set('Authorization', as(OTHER));
    expect(calls).toBe(1);
  });

  it('merges Prometheus and Alertmanager alerts from filtered queries, with the entity silences', async () => {
    const queries: string[] = [];
    const amQueries: string[][] = [];
    msw.use(
      http.get(exact(`${PROXY}/api/v1/query`), ({ request: r }) => {
        queries.push(new URL(r.url).searchParams.get('query')!);
        const labels = {
          alertname: 'CheckoutHighErrorRate',
          namespace: 'shop-prod',
          service: 'checkout-metrics',
          severity: 'warning',
        };
        const pending = {
          alertname: 'CheckoutSlow',
          namespace: 'shop-prod',
          service: 'checkout-metrics',
          severity: 'info',
        };
        return HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              {
                metric: { __name__: 'ALERTS', alertstate: 'firing', ...labels },
                value: [1, '1'],
              },
              {
                metric: { __name__: 'ALERTS_FOR_STATE', ...labels },
                value: [1, '1714557600'],
              },
              {
                metric: {
                  __name__: 'ALERTS',
                  alertstate: 'pending',
                  ...pending,
                },
                value: [1, '1'],
              },
            ],
          },
        });
      }),
      http.get(exact(`${AM}/api/v2/alerts`), ({ request: r }) => {
        amQueries.push(new URL(r.url).searchParams.getAll('filter'));
        return HttpResponse.json([
          {
            labels: {
              alertname: 'CheckoutHighErrorRate',
              namespace: 'shop-prod',
              service: 'checkout-metrics',
              severity: 'warning',
              prometheus: 'shop-prod/k8s',
            },
            annotations: {
              summary: 'More than 5% fail',
              description: '7% fail',
            },
            startsAt: '2024-05-01T10:00:05Z',
            fingerprint: 'abc',
            status: {
              state: 'suppressed',
              silencedBy: ['s-1'],
              inhibitedBy: [],
            },
          },
          {
            // Same namespace, another entity: filtered out in memory.
            labels: {
              alertname: 'PaymentsDown',
              namespace: 'shop-prod',
              service: 'payments-metrics',
            },
            status: { state: 'active', silencedBy: [], inhibitedBy: [] },
          },
        ]);
      }),
      http.get(exact(`${AM}/api/v2/silences`), () =>
        HttpResponse.json([
          {
            id: 's-1',
            matchers: [
              {
                name: 'namespace',
                value: 'shop-prod',
                isRegex: false,
                isEqual: true,
              },
              {
                name: 'service',
                value: 'checkout-metrics',
                isRegex: false,
                isEqual: true,
              },
            ],
            startsAt: '2024-05-01T10:00:00Z',
            endsAt: '2024-05-01T12:00:00Z',
            createdBy: 'user:default/owner',
            comment: 'deploying',
            status: { state: 'active' },
          },
          {
            id: 's-2',
            matchers: [
              {
                name: 'namespace',
                value: 'shop-prod',
                isRegex: false,
                isEqual: true,
              },
              {
                name: 'service',
                value: 'payments-metrics',
                isRegex: false,
                isEqual: true,
              },
            ],
            startsAt: '2024-05-01T10:00:00Z',
            endsAt: '2024-05-01T12:00:00Z',
            createdBy: 'user:default/x',
            comment: 'other entity',
            status: { state: 'active' },
          },
        ]),
      ),
    );
    const server = await startBackend();
    const res = await request(server)
      .get(api('/entities/component/default/checkout/alerts'))
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(queries).toEqual([
      '{__name__=~"ALERTS|ALERTS_FOR_STATE",namespace="shop-prod",service="checkout-metrics"}',
    ]);
    expect(amQueries).toEqual([['namespace="shop-prod"']]);
    expect(res.body.alerts).toEqual([
      {
        name: 'CheckoutHighErrorRate',
        state: 'firing',
        severity: 'warning',
        since: '2024-05-01T10:00:00.000Z',
        summary: 'More than 5% fail',
        description: '7% fail',
        labels: {
          alertname: 'CheckoutHighErrorRate',
          namespace: 'shop-prod',
          service: 'checkout-metrics',
          severity: 'warning',
        },
        status: 'suppressed',
        silencedBy: ['s-1'],
        inhibitedBy: [],
        fingerprint: 'abc',
        cluster: 'local',
      },
      {
        name: 'CheckoutSlow',
        state: 'pending',
        severity: 'info',
        labels: {
          alertname: 'CheckoutSlow',
          namespace: 'shop-prod',
          service: 'checkout-metrics',
          severity: 'info',
        },
        silencedBy: [],
        inhibitedBy: [],
        cluster: 'local',
      },
    ]);
    expect(res.body.silences.map((s: any) => s.id)).toEqual(['s-1']);
    expect(res.body.failures).toEqual([]);
  });

  it('returns Prometheus alerts and names Alertmanager when only Alertmanager fails', async () => {
    msw.use(
      http.get(exact(`${PROXY}/api/v1/query`), () =>
        HttpResponse.json({
          status: 'success',
          data: { resultType: 'vector', result: [] },
        }),
      ),
      http.get(exact(`${AM}/api/v2/alerts`), () =>
        HttpResponse.text(
          'no endpoints available for service "alertmanager-main"',
          { status: 503 },
        ),
      ),
      http.get(exact(`${AM}/api/v2/silences`), () => HttpResponse.json([])),
    );
    const server = await startBackend();
    const res = await request(server)
      .get(api('/entities/component/default/checkout/alerts'))
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(res.body.alerts).toEqual([]);
    expect(res.body.failures).toEqual([
      {
        source: "Alertmanager of cluster 'local', alerts and silences",
        message: expect.stringContaining(
          "Alertmanager of cluster 'local' answered 503",
        ),
      },
    ]);
  });

  it('creates silences pinned to the entity for the signed-in user, and expires only its own', async () => {
    const posted: any[] = [];
    const deleted: string[] = [];
    msw.use(
      http.post(exact(`${AM}/api/v2/silences`), async ({ request: r }) => {
        posted.push(await r.json());
        return HttpResponse.json({ silenceID: 'new-1' });
      }),
      http.get(exact(`${AM}/api/v2/silence/new-1`), () =>
        HttpResponse.json({
          id: 'new-1',
          ...posted[0],
          status: { state: 'active' },
        }),
      ),
      http.get(exact(`${AM}/api/v2/silence/foreign-1`), () =>
        HttpResponse.json({
          id: 'foreign-1',
          matchers: [
            {
              name: 'namespace',
              value: 'shop-prod',
              isRegex: false,
              isEqual: true,
            },
          ],
          startsAt: '2024-05-01T10:00:00Z',
          endsAt: '2024-05-01T12:00:00Z',
          createdBy: 'x',
          comment: 'whole namespace',
          status: { state: 'active' },
        }),
      ),
      http.get(exact(`${AM}/api/v2/silence/gone-1`), () =>
        HttpResponse.text('silence not found', { status: 404 }),
      ),
      http.delete(exact(`${AM}/api/v2/silence/new-1`), () => {
        deleted.push('new-1');
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const server = await startBackend();

    const invalid = await request(server)
      .post(api('/entities/component/default/checkout/silences'))
      .set('Authorization', as(OWNER))
      .send({
        comment: 'x',
        durationMinutes: 60,
        endsAt: '2030-01-01T00:00:00Z',
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain(
      'give exactly one of durationMinutes and endsAt',
    );

    const body = {
      comment: 'deploying',
      durationMinutes: 30,
      alertname: 'CheckoutHighErrorRate',
    };
    const denied = await request(server)
      .post(api('/entities/component/default/checkout/silences'))
      .set('Authorization', as(OTHER))
      .send(body);
    expect(denied.status).toBe(403);
    expect(posted).toEqual([]);

    const created = await request(server)
      .post(api('/entities/component/default/checkout/silences'))
      .set('Authorization', as(OWNER))
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'new-1',
      createdBy: OWNER,
      comment: 'deploying',
      state: 'active',
    });
    expect(posted).toHaveLength(1);
    expect(posted[0].matchers).toEqual([
      {
        name: 'alertname',
        value: 'CheckoutHighErrorRate',
        isRegex: false,
        isEqual: true,
      },
      { name: 'namespace', value: 'shop-prod', isRegex: false, isEqual: true },
      {
        name: 'service',
        value: 'checkout-metrics',
        isRegex: false,
        isEqual: true,
      },
    ]);
    expect(posted[0].createdBy).toBe(OWNER);
    expect(
      new Date(posted[0].endsAt).getTime() -
        new Date(posted[0].startsAt).getTime(),
    ).toBe(30 * 60_000);

    const foreign = await request(server)
      .delete(api('/entities/component/default/checkout/silences/foreign-1'))
      .set('Authorization', as(OWNER));
    expect(foreign.status).toBe(403);
    const gone = await request(server)
      .delete(api('/entities/component/default/checkout/silences/gone-1'))
      .set('Authorization', as(OWNER));
    expect(gone.status).toBe(404);
    const expired = await request(server)
      .delete(api('/entities/component/default/checkout/silences/new-1'))
      .set('Authorization', as(OWNER));
    expect(expired.status).toBe(200);
    expect(expired.body.state).toBe('expired');
    expect(deleted).toEqual(['new-1']);
    expect(auditEvents.map(e => `${e.eventId}:${e.outcome}`)).toEqual([
      'silence-create:fail',
      'silence-create:success',
      'silence-expire:fail',
      'silence-expire:fail',
      'silence-expire:success',
    ]);
  });

  it('serves named panels only, bounded, with PromQL scoped by the server', async () => {
    const seen: URLSearchParams[] = [];
    msw.use(
      http.get(exact(`${PROXY}/api/v1/query_range`), ({ request: r }) => {
        seen.push(new URL(r.url).searchParams);
        return HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              { metric: { instance: 'a' }, values: [[1714557600, '1']] },
            ],
          },
        });
      }),
    );
    const server = await startBackend();
    const get = (query: string) =>
      request(server)
        .get(api(`/entities/component/default/checkout/query_range?${query}`))
        .set('Authorization', as(OTHER));

    const unknown = await get('query=sum(up)');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'query must name a panel: error_rate, request_rate, up',
    );
    const tooMany = await get('query=up&start=0&end=86400&step=1');
    expect(tooMany.status).toBe(400);
    const tooLong = await get('query=up&start=0&end=99999999&step=3600');
    expect(tooLong.status).toBe(400);

    // Within the last maxRangeHours: an hour-aligned window two to four hours ago.
    const end = Math.floor(Date.now() / 1000 / 3600) * 3600 - 7200;
    const ok = await get(
      `query=request_rate&start=${end - 7620}&end=${end}&step=60`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.series).toEqual([
      {
        metric: { instance: 'a' },
        values: [[1714557600, '1']],
        cluster: 'local',
      },
    ]);
    expect(ok.body.failures).toEqual([]);
    expect(Object.fromEntries(seen[0])).toEqual({
      query:
        'sum(rate(http_requests_total{namespace="shop-prod",service="checkout-metrics"}[120s]))',
      start: String(end - 7620),
      end: String(end),
      step: '60',
    });
  });

  it('renders manifests from an entity in the body without touching a cluster', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post(api('/render'))
      .set('Authorization', as(OTHER))
      .send(
        makeEntity(
          'cart',
          { 'backstage.io/kubernetes-namespace': 'shop-dev' },
          { lifecycle: 'development' },
        ),
      );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/cart');
    expect(
      res.body.objects.map(
        (o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
      ),
    ).toContain('ServiceMonitor/shop-dev/cart');
    expect(res.body.yaml).toContain('kind: Prometheus');

    const bad = await request(server)
      .post(api('/render'))
      .set('Authorization', as(OTHER))
      .send({ kind: 'Component' });
    expect(bad.status).toBe(400);
  });
});

describe('enabling monitoring for an entity that has not opted in', () => {
  const base = api('/entities/component/default/legacy-billing');
  const summary = (objects: any[], key: string) =>
    objects.map(o => `${o.kind}/${o.name}:${o[key]}`);

  it('plans and applies with ignoreOptIn, reports the objects in status, and tears them down', async () => {
    const cluster = fakeKubernetes(K8S);
    msw.use(...cluster.handlers);
    const server = await startBackend();

    const before = await request(server)
      .get(`${base}/status`)
      .set('Authorization', as(OTHER));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      enabled: false,
      allowed: true,
      applied: false,
      operatorInstalled: true,
      objects: [],
    });

    // Without the flag the opt-in is required, as before.
    const refused = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', as(OTHER))
      .send({});
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('has not opted in');

    const plan = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', as(OTHER))
      .send({ ignoreOptIn: true });
    expect(plan.status).toBe(200);
    expect(summary(plan.body.objects, 'action')).toEqual([
      'Service/legacy-billing-metrics:create',
      'ServiceMonitor/legacy-billing:create',
      'ServiceAccount/prometheus-k8s:create',
      'RoleBinding/prometheus-k8s:create',
      'Secret/prometheus-k8s-additional-scrape-configs:create',
      'Prometheus/k8s:create',
    ]);
    for (const o of plan.body.objects) {
      expect(o.manifest.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'prometheus-ocs',
      });
      // The entity's own objects name it; shared objects name no entity.
      const own = o.kind === 'Service' || o.kind === 'ServiceMonitor';
      expect(o.manifest.metadata.labels['prometheus-ocs.io/scope']).toBe(
        own ? 'entity' : 'shared',
      );
      expect(
        o.manifest.metadata.annotations?.['prometheus-ocs.io/entity-ref'],
      ).toBe(own ? 'component:default/legacy-billing' : undefined);
    }
    expect(cluster.objects.size).toBe(0);

    const denied = await request(server)
      .post(`${base}/apply`)
      .set('Authorization', as(OTHER))
      .send({ ignoreOptIn: true });
    expect(denied.status).toBe(403);
    const applied = await request(server)
      .post(`${base}/apply`)
      .set('Authorization', as(OWNER))
      .send({ ignoreOptIn: true });
    expect(applied.status).toBe(200);
    expect(applied.body.ok).toBe(true);
    expect(applied.body.objects.map((o: any) => o.result)).toEqual(
      Array(6).fill('created'),
    );
    expect(auditEvents.map(e => [e.outcome, e.meta.ignoreOptIn])).toEqual([
      ['fail', true],
      ['success', true],
    ]);

    const after = await request(server)
      .get(`${base}/status`)
      .set('Authorization', as(OTHER));
    expect(after.body).toMatchObject({ enabled: false, applied: true });
    expect(summary(after.body.objects, 'state')).toEqual(
      plan.body.objects.map((o: any) => `${o.kind}/${o.name}:in-sync`),
    );

    const teardown = await request(server)
      .delete(base)
      .set('Authorization', as(OWNER));
    expect(teardown.status).toBe(200);
    expect(teardown.body.ok).toBe(true);
    expect(
      teardown.body.objects.every((o: any) => o.result === 'deleted'),
    ).toBe(true);
    expect(cluster.objects.size).toBe(0);
    const gone = await request(server)
      .get(`${base}/status`)
      .set('Authorization', as(OTHER));
    expect(gone.body).toMatchObject({ applied: false, objects: [] });
  });

  it('rejects unknown plan body fields and non-boolean flags', async () => {
    const server = await startBackend();
    const unknown = await request(server)
      .post(`${base}/plan`)
      .set('Authorization', as(OWNER))
      .send({ enable: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^Invalid request body/);
    const notBoolean = await request(server)
      .post(`${base}/apply`)
      .set('Authorization', as(OWNER))
      .send({ ignoreOptIn: 'yes' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.error.message).toMatch(
      /^Invalid request body: ignoreOptIn/,
    );
  });

  it('still explains the entity when its cluster cannot be asked', async () => {
    msw.use(
      http.get(`${K8S}/apis/monitoring.coreos.com/v1`, () =>
        HttpResponse.error(),
      ),
    );
    const server = await startBackend();
    const res = await request(server)
      .get(`${base}/status`)
      .set('Authorization', as(OTHER));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      enabled: false,
      allowed: true,
      objects: [],
      clusterError: expect.stringContaining("Cluster 'local' is unreachable"),
    });
    expect(res.body.applied).toBeUndefined();
  });
});
