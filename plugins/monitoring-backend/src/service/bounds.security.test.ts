/*
 * Bounded everything (tenancy property 4): no request of a signed-in user — or a misbehaving
 * dependency — can make the backend do unbounded work or wait forever.
 *
 * - query_range: the step is at most the range, nothing is evaluated before now − maxRangeHours,
 *   and step variants share one cached answer (`step=52w` ran a 364-day rate window 41 days back;
 *   `step=1000000w` answered 502 with Prometheus' raw error).
 * - Kubernetes lists follow `continue` for at most `monitoring.kubernetes.maxListPages` pages.
 * - Every outbound call has a deadline: catalog, permissions, cluster suppliers (and the tokens
 *   they hand out). Each is tested against a dependency that never answers, with a short
 *   configured time-out — the assertions are about the answer, never about elapsed time.
 */
import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClusterDetails,
  KubernetesClient,
  KubernetesListLimitError,
  monitoringClustersServiceRef,
} from '@prometheus-ocs/plugin-monitoring-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import monitoringPlugin from '../index';
import {
  kubernetesPlugin,
  servicesAllowed,
} from '../__testUtils__/kubernetesPlugin';
import { makeConfig, makeEntity } from '../testing/fixtures';
import {
  RecordingUpstream,
  startRecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  StandInBackend,
  startStandInBackend,
} from '../__testUtils__/standInBackend';
import { fakeKubernetes } from '../__testUtils__/fakeKubernetes';
import { K8S, OTHER, OWNER, setupMsw } from '../__testUtils__/testBackend';

// Starting backends and stand-ins takes a while on a busy 2-core machine; nothing below
// depends on elapsed time.
jest.setTimeout(30_000);

const MAX_RANGE_HOURS = 24;
// Kubernetes at K8S for the plan/status tests (msw); loopback requests pass through.
const msw = setupMsw();
const entityPath = '/entities/component/default/checkout';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('query_range is bounded', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      permissions: 'allow',
      monitoring: {
        // Prometheus at an explicit URL: no apply needed before asking it.
        clusters: [
          {
            name: 'local',
            allowedNamespaces: ['shop-prod'],
            prometheus: { url: upstream.url },
            alertmanager: { url: upstream.url },
          },
        ],
        queryRange: { maxRangeHours: MAX_RANGE_HOURS },
        timeouts: { kubernetes: 10_000, prometheus: 5000 },
        // A long window: variants of one question must hit one cached answer.
        cache: { ttlSeconds: 300 },
      },
    });
    // Reads are scoped by the entity's binding: enable checkout so its graphs are asked for.
    const applied = await env.call('post', `${entityPath}/apply`, { body: {} });
    if (applied.body.ok !== true) {
      throw new Error(
        `enabling checkout failed: ${JSON.stringify(applied.body)}`,
      );
    }
  });

  afterAll(async () => {
    await env?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    upstream.requests.length = 0;
  });

  it.each([
    ['step=52w (a 364-day rate window evaluated weeks back)', 'step=52w'],
    [
      'step=1000000w (answered 502 with the raw Prometheus error)',
      'step=1000000w',
    ],
    ['a step longer than the given range', 'start=START&end=END&step=2h'],
    ['a numeric step of ten years', 'step=315360000'],
  ])(
    'refuses %s with 400 naming step, without asking Prometheus',
    async (_case, q) => {
      const now = nowSeconds();
      const query = q
        .replace('START', String(now - 3600))
        .replace('END', String(now));
      const res = await env.call(
        'get',
        `${entityPath}/query_range?query=request_rate&${query}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(/^step /);
      expect(upstream.requests).toEqual([]);
    },
  );

  it('refuses a short range that starts before now − maxRangeHours, naming start', async () => {
    const now = nowSeconds();
    const res = await env.call(
      'get',
      `${entityPath}/query_range?query=up&start=${now - 30 * 86400}&end=${
        now - 29 * 86400
      }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^start .*maxRangeHours/);
    expect(upstream.requests).toEqual([]);
  });

  it('never evaluates (nor reads a rate window) before now − maxRangeHours, whatever the step alignment', async () => {
    const before = nowSeconds();
    // Starts 2 minutes inside the limit; a 6h step aligned downwards would start up to 6h earlier.
    const res = await env.call(
      'get',
      `${entityPath}/query_range?query=request_rate&start=${
        before - MAX_RANGE_HOURS * 3600 + 120
      }&end=${before}&step=6h`,
    );
    expect(res.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0].query;
    const earliest = before - MAX_RANGE_HOURS * 3600;
    expect(Number(sent.get('start'))).toBeGreaterThanOrEqual(earliest);
    const window = /\[(\d+)s\]/.exec(sent.get('query')!)![1];
    expect(Number(window)).toBeLessThanOrEqual(MAX_RANGE_HOURS * 3600);
  });

  it('normalises step variants so they share one cached answer (one Prometheus query)', async () => {
    const now = nowSeconds();
    // A fixed range in the past, so every variant asks the same question.
    const start = now - 7200;
    const end = now - 3600;
    for (const step of ['16', '17', '20s', '29.5', '30']) {
      const res = await env.call(
        'get',
        `${entityPath}/query_range?query=up&start=${start}&end=${end}&step=${step}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.step).toBe(30);
    }
    expect(upstream.requests).toHaveLength(1);
  });
});

/** A Kubernetes API that answers every list with one item and a `continue` token, forever. */
async function startEndlessListCluster() {
  let pages = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cluster');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/apis/monitoring.coreos.com/v1') {
      send(200, { kind: 'APIResourceList', resources: [] });
    } else if (req.method === 'GET' && url.searchParams.has('limit')) {
      pages++;
      // A safety stop for the old code, which followed `continue` without a cap.
      const more = pages < 2000;
      send(200, {
        kind: 'List',
        metadata: more ? { continue: `page-${pages}` } : {},
        items: [{ metadata: { name: `svc-${pages}`, namespace: 'shop-prod' } }],
      });
    } else {
      send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages: () => pages,
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('Kubernetes lists are capped', () => {
  let cluster: Awaited<ReturnType<typeof startEndlessListCluster>>;

  beforeAll(async () => {
    cluster = await startEndlessListCluster();
  });
  afterAll(() => cluster?.close());

  it('stops following `continue` after maxListPages with an error naming the list', async () => {
    const details: ClusterDetails = {
      name: 'local',
      url: cluster.url,
      skipTLSVerify: true,
      auth: { type: 'none' },
    };
    const client = new KubernetesClient({
      cluster: details,
      agent: new http.Agent(),
      timeoutMs: 5000,
      maxListPages: 3,
    });
    const before = cluster.pages();
    const listing = client.list({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'shop-prod',
      labelSelector: 'app.kubernetes.io/managed-by=prometheus-ocs',
    });
    await expect(listing).rejects.toThrow(KubernetesListLimitError);
    await expect(listing).rejects.toThrow(
      "Kubernetes API of cluster 'local': the list of Service in namespace shop-prod (app.kubernetes.io/managed-by=prometheus-ocs) did not end after 3 pages",
    );
    expect(cluster.pages() - before).toBe(3);
  });

  it('reports the capped list in the status of an entity instead of looping (monitoring.kubernetes.maxListPages)', async () => {
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({
          // Not opted in: status lists the entity's objects by label selector.
          entities: [
            makeEntity('checkout', { 'prometheus-ocs.io/enabled': 'false' }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: makeConfig(cluster.url, {
            kubernetes: { maxListPages: 2 },
            cache: { ttlSeconds: 0 },
          }) as any,
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    const before = cluster.pages();
    const res = await request(backend.server)
      .get(`/api/monitoring${entityPath}/status`)
      .set('Authorization', mockCredentials.user.header());
    await backend.stop();
    expect(res.status).toBe(200);
    expect(res.body.clusterError).toMatch(
      /the list of (Service|ServiceMonitor|PrometheusRule) in namespace shop-prod .*did not end after 2 pages/,
    );
    // Three kinds listed at most two pages each.
    expect(cluster.pages() - before).toBeLessThanOrEqual(6);
  });
});

/** A promise that never settles: a dependency that accepted the call and never answers. */
const never = <T>() => new Promise<T>(() => {});

/**
 * The monitoring backend against a cluster URL nobody needs to answer (each test's dependency
 * hangs before any cluster call), with short time-outs for every dependency.
 */
async function startBackendWith(options: {
  catalog?: any;
  permissions?: any;
  clusters?: () => Promise<ClusterDetails[]>;
}) {
  const config = makeConfig('http://127.0.0.1:9', {
    timeouts: {
      kubernetes: 300,
      prometheus: 300,
      catalog: 300,
      permissions: 300,
      clusters: 300,
    },
    cache: { ttlSeconds: 0 },
  });
  // A second cluster, supplied by the test's own supplier.
  config.monitoring.clusters.push({
    name: 'remote',
    allowedNamespaces: ['shop-prod'],
  } as any);
  const features: any[] = [
    monitoringPlugin,
    kubernetesPlugin,
    options.catalog ??
      catalogServiceMock.factory({
        entities: [
          makeEntity('checkout'),
          makeEntity('remote-checkout', {
            'backstage.io/kubernetes-cluster': 'remote',
          }),
        ],
      }),
    mockServices.rootConfig.factory({ data: config as any }),
    options.permissions ??
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  ];
  if (options.clusters) {
    // The backend's own cluster supplier instead of the Kubernetes plugin's.
    const getClusters = options.clusters;
    features.push(
      createServiceFactory({
        service: monitoringClustersServiceRef,
        deps: {},
        factory: () => ({ getClusters }),
      }),
    );
  }
  const backend = await startTestBackend({ features });
  return {
    get: (path: string) =>
      request(backend.server)
        .get(`/api/monitoring${path}`)
        .set('Authorization', mockCredentials.user.header()),
    stop: () => backend.stop(),
  };
}

describe('every outbound call has a deadline', () => {
  it('answers 504 naming the catalog when it never answers', async () => {
    const backend = await startBackendWith({
      catalog: catalogServiceMock.mock({
        getEntityByRef: jest.fn(() => never<Entity>()),
      }).factory,
    });
    try {
      const res = await backend.get(`${entityPath}/status`);
      expect(res.status).toBe(504);
      expect(res.body.error.message).toContain(
        'The catalog did not answer within 300 ms',
      );
    } finally {
      await backend.stop();
    }
  });

  it('answers 504 naming the permission service when it never answers', async () => {
    const backend = await startBackendWith({
      permissions: mockServices.permissions.mock({
        authorize: jest.fn(() => never()),
      } as any).factory,
    });
    try {
      const res = await backend.get(`${entityPath}/targets`);
      expect(res.status).toBe(504);
      expect(res.body.error.message).toContain(
        'The permission service did not answer within 300 ms',
      );
    } finally {
      await backend.stop();
    }
  });

  it('answers 504 naming the cluster supplier when one never lists its clusters', async () => {
    const backend = await startBackendWith({
      clusters: () => never<ClusterDetails[]>(),
    });
    try {
      const res = await backend.get(`${entityPath}/status`);
      expect(res.status).toBe(504);
      expect(res.body.error.message).toContain(
        'The cluster supplier (the Kubernetes plugin) did not answer within 300 ms',
      );
    } finally {
      await backend.stop();
    }
  });

  it("answers 504 naming the cluster when a supplier's token never arrives", async () => {
    const backend = await startBackendWith({
      clusters: async () => [
        {
          name: 'remote',
          url: 'http://127.0.0.1:9',
          skipTLSVerify: true,
          auth: { type: 'bearerToken', getToken: () => never<string>() },
        },
      ],
    });
    try {
      const res = await backend.get(
        '/entities/component/default/remote-checkout/status',
      );
      expect(res.status).toBe(504);
      expect(res.body.error.message).toContain(
        "Cluster 'remote' did not answer within 300 ms",
      );
    } finally {
      await backend.stop();
    }
  });
});

describe('plan and status are coalesced and cached per entity', () => {
  const K8S_URL = K8S;
  let k8sCalls: string[] = [];
  const cluster = fakeKubernetes(K8S_URL);
  msw.events.on('request:start', ({ request: r }) => {
    if (r.url.startsWith(K8S_URL)) k8sCalls.push(`${r.method} ${r.url}`);
  });

  /** Two replicas of the backend sharing one cache store (as with Redis in production). */
  async function startReplicas() {
    const shared: CacheService = CacheManager.fromConfig(
      new ConfigReader({}),
    ).forPlugin('monitoring');
    const replicas = [];
    for (let i = 0; i < 2; i++) {
      const backend = await startTestBackend({
        features: [
          monitoringPlugin,
          kubernetesPlugin,
          catalogServiceMock.factory({
            entities: [makeEntity('checkout'), makeEntity('cart')],
          }),
          mockServices.rootConfig.factory({
            data: makeConfig(K8S_URL, {
              timeouts: { kubernetes: 10_000, prometheus: 5000 },
              // Long enough that a stale answer would show.
              cache: { ttlSeconds: 300 },
            }) as any,
          }),
          // Everyone reads; OWNER applies.
          mockServices.permissions.mock({
            authorize: servicesAllowed((r, o) =>
              r.permission.name === 'monitoring.entity.read' ||
              o.credentials.principal.userEntityRef === OWNER
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            ),
          } as any).factory,
          createServiceFactory({
            service: coreServices.cache,
            deps: {},
            factory: () => shared,
          }),
        ],
      });
      replicas.push(backend);
    }
    return replicas;
  }

  it('N concurrent POST plan by a reader cost one set of cluster calls; apply of another entity of the namespace (on another replica) invalidates', async () => {
    msw.use(...cluster.handlers);
    const [a, b] = await startReplicas();
    const plan = (server: any, name = 'checkout') =>
      request(server)
        .post(`/api/monitoring/entities/component/default/${name}/plan`)
        .set('Authorization', mockCredentials.user.header(OTHER))
        .send({});

    k8sCalls = [];
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => plan(a.server)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(answers[0].body);
    }
    const oneSet = k8sCalls.length;
    expect(oneSet).toBeGreaterThan(0);
    // A single plan's calls, not eight times them: same count as one plan of another entity.
    k8sCalls = [];
    expect((await plan(a.server, 'cart')).status).toBe(200);
    expect(oneSet).toBe(k8sCalls.length);

    // Within the window, on either replica: no cluster calls at all.
    k8sCalls = [];
    expect((await plan(a.server)).status).toBe(200);
    expect((await plan(b.server)).status).toBe(200);
    const status = () =>
      request(b.server)
        .get('/api/monitoring/entities/component/default/checkout/status')
        .set('Authorization', mockCredentials.user.header(OTHER));
    expect((await status()).status).toBe(200);
    const afterFirstStatus = k8sCalls.length;
    expect((await status()).status).toBe(200);
    expect(k8sCalls.length).toBe(afterFirstStatus);
    expect(k8sCalls.filter(c => c.includes('dryRun'))).toEqual([]);

    // Apply of *another* entity of shop-prod, through replica b, changes shared objects: checkout's
    // plan on replica a is computed again, and now sees the shared objects exist.
    const applied = await request(b.server)
      .post('/api/monitoring/entities/component/default/cart/apply')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({});
    expect(applied.status).toBe(200);
    k8sCalls = [];
    const replanned = await plan(a.server);
    expect(replanned.status).toBe(200);
    expect(k8sCalls.length).toBeGreaterThan(0);
    const prometheus = (body: any) =>
      body.objects.find((o: any) => o.kind === 'Prometheus').action;
    expect(prometheus(answers[0].body)).toBe('create');
    expect(prometheus(replanned.body)).not.toBe('create');
    k8sCalls = [];
    expect((await status()).body.objects.length).toBeGreaterThan(0);
    expect(k8sCalls.length).toBeGreaterThan(0);

    await a.stop();
    await b.stop();
  });

  it('checks permission before the cache: a cached plan is not served to who may not read', async () => {
    msw.use(...cluster.handlers);
    const backend = await startTestBackend({
      features: [
        monitoringPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [makeEntity('checkout')] }),
        mockServices.rootConfig.factory({
          data: makeConfig(K8S_URL, { cache: { ttlSeconds: 300 } }) as any,
        }),
        mockServices.permissions.mock({
          authorize: servicesAllowed((_r, o) =>
            o.credentials.principal.userEntityRef === OWNER
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          ),
        } as any).factory,
      ],
    });
    const plan = (user: string) =>
      request(backend.server)
        .post('/api/monitoring/entities/component/default/checkout/plan')
        .set('Authorization', mockCredentials.user.header(user))
        .send({});
    expect((await plan(OWNER)).status).toBe(200);
    expect((await plan(OTHER)).status).toBe(403);
    await backend.stop();
  });
});
