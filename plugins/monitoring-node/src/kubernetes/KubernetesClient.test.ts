import { http as mswHttp, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import http from 'node:http';
import { KubernetesClient } from './KubernetesClient';
import {
  KubernetesApiError,
  KubernetesTimeoutError,
  KubernetesUnreachableError,
} from './errors';

const BASE = 'http://k8s.test:6443';
const TOKEN = 'secret-token-value';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function makeClient(
  options: { timeoutMs?: number; maxResponseBytes?: number } = {},
) {
  return new KubernetesClient({
    cluster: {
      name: 'local',
      url: BASE,
      skipTLSVerify: true,
      auth: { type: 'bearerToken', getToken: async () => TOKEN },
    },
    agent: new http.Agent(),
    // Far above any answer on a busy machine; the time-out test sets its own.
    timeoutMs: options.timeoutMs ?? 30_000,
    maxResponseBytes: options.maxResponseBytes,
  });
}

const prometheus = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: {
    name: 'k8s',
    namespace: 'shop-prod',
    labels: { prometheus: 'k8s' },
  },
  spec: { replicas: 2, unknownFieldKeptAsIs: { x: 1 } },
};

describe('KubernetesClient', () => {
  it('gets an object as plain JSON with the bearer token, and undefined on 404', async () => {
    const seen: Array<string | null> = [];
    server.use(
      mswHttp.get(
        `${BASE}/apis/monitoring.coreos.com/v1/namespaces/shop-prod/prometheuses/k8s`,
        ({ request }) => {
          seen.push(request.headers.get('authorization'));
          return HttpResponse.json({
            ...prometheus,
            metadata: {
              ...prometheus.metadata,
              creationTimestamp: '2024-01-01T00:00:00Z',
            },
          });
        },
      ),
      mswHttp.get(`${BASE}/api/v1/namespaces/shop-prod/services/nope`, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            code: 404,
            reason: 'NotFound',
            message: 'not found',
          },
          { status: 404 },
        ),
      ),
    );
    const client = makeClient();
    const object = await client.get({
      ...prometheus,
      name: 'k8s',
      namespace: 'shop-prod',
    });
    expect(object?.spec).toEqual({
      replicas: 2,
      unknownFieldKeptAsIs: { x: 1 },
    });
    // Timestamps stay strings: no model deserialization.
    expect(object?.metadata.creationTimestamp).toBe('2024-01-01T00:00:00Z');
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
    await expect(
      client.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'shop-prod',
        name: 'nope',
      }),
    ).resolves.toBeUndefined();
  });

  it('server-side applies with field manager, force and dry-run parameters', async () => {
    const requests: Array<{
      url: URL;
      contentType: string | null;
      body: unknown;
    }> = [];
    server.use(
      mswHttp.patch(
        `${BASE}/apis/monitoring.coreos.com/v1/namespaces/shop-prod/prometheuses/k8s`,
        async ({ request }) => {
          requests.push({
            url: new URL(request.url),
            contentType: request.headers.get('content-type'),
            body: await request.json(),
          });
          return HttpResponse.json({
            ...prometheus,
            metadata: { ...prometheus.metadata, resourceVersion: '5' },
          });
        },
      ),
    );
    const client = makeClient();
    const applied = await client.apply(prometheus, { dryRun: true });
    await client.apply(prometheus, { force: true });
    expect(applied.metadata.resourceVersion).toBe('5');
    expect(requests.map(r => Object.fromEntries(r.url.searchParams))).toEqual([
      { fieldManager: 'prometheus-ocs', dryRun: 'All' },
      { fieldManager: 'prometheus-ocs', force: 'true' },
    ]);
    expect(requests[0].contentType).toBe('application/apply-patch+yaml');
    expect(requests[0].body).toEqual(prometheus);
  });

  it('reports API errors with status, reason and causes, and never the token', async () => {
    server.use(
      mswHttp.patch(
        `${BASE}/apis/monitoring.coreos.com/v1/namespaces/shop-prod/prometheuses/k8s`,
        () =>
          HttpResponse.json(
            {
              kind: 'Status',
              status: 'Failure',
              reason: 'Conflict',
              code: 409,
              message:
                'Apply failed with 1 conflict: conflict with "kubectl-edit": .spec.replicas',
              details: {
                causes: [
                  {
                    reason: 'FieldManagerConflict',
                    message: 'conflict with "kubectl-edit"',
                    field: '.spec.replicas',
                  },
                ],
              },
            },
            { status: 409 },
          ),
      ),
    );
    const error = await makeClient()
      .apply(prometheus)
      .catch(e => e);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error.kubernetesStatus).toBe(409);
    expect(error.statusCode).toBe(502);
    expect(error.reason).toBe('Conflict');
    expect(error.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-edit"',
        field: '.spec.replicas',
      },
    ]);
    expect(error.message).toContain("cluster 'local'");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(
      TOKEN,
    );
  });

  it('lists across continue tokens with a label selector and restores kind', async () => {
    const queries: Array<Record<string, string>> = [];
    server.use(
      mswHttp.get(
        `${BASE}/api/v1/namespaces/shop-dev/services`,
        ({ request }) => {
          const params = Object.fromEntries(new URL(request.url).searchParams);
          queries.push(params);
          return HttpResponse.json(
            params.continue
              ? {
                  kind: 'ServiceList',
                  metadata: {},
                  items: [{ metadata: { name: 'b' } }],
                }
              : {
                  kind: 'ServiceList',
                  metadata: { continue: 'next' },
                  items: [{ metadata: { name: 'a' } }],
                },
          );
        },
      ),
    );
    const items = await makeClient().list({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'shop-dev',
      labelSelector: 'app.kubernetes.io/managed-by=prometheus-ocs',
    });
    expect(items.map(i => [i.kind, i.metadata.name])).toEqual([
      ['Service', 'a'],
      ['Service', 'b'],
    ]);
    expect(queries).toEqual([
      {
        labelSelector: 'app.kubernetes.io/managed-by=prometheus-ocs',
        limit: '500',
      },
      {
        labelSelector: 'app.kubernetes.io/managed-by=prometheus-ocs',
        limit: '500',
        continue: 'next',
      },
    ]);
  });

  it('deletes with a uid precondition and reports a missing object', async () => {
    const bodies: unknown[] = [];
    server.use(
      mswHttp.delete(
        `${BASE}/api/v1/namespaces/shop-dev/services/a`,
        async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({ kind: 'Status', status: 'Success' });
        },
      ),
      mswHttp.delete(`${BASE}/api/v1/namespaces/shop-dev/services/b`, () =>
        HttpResponse.json({ kind: 'Status', code: 404 }, { status: 404 }),
      ),
    );
    const client = makeClient();
    const key = { apiVersion: 'v1', kind: 'Service', namespace: 'shop-dev' };
    await expect(
      client.delete({ ...key, name: 'a' }, { uid: 'u-1' }),
    ).resolves.toBe(true);
    await expect(client.delete({ ...key, name: 'b' })).resolves.toBe(false);
    expect(bodies).toEqual([
      expect.objectContaining({
        preconditions: { uid: 'u-1' },
        kind: 'DeleteOptions',
      }),
    ]);
  });

  it('discovers kinds it does not know, and tells whether a group version is served', async () => {
    let discoveries = 0;
    server.use(
      mswHttp.get(`${BASE}/apis/example.com/v1`, () => {
        discoveries++;
        return HttpResponse.json({
          kind: 'APIResourceList',
          resources: [
            { name: 'widgets', kind: 'Widget', namespaced: true },
            { name: 'widgets/status', kind: 'Widget', namespaced: true },
          ],
        });
      }),
      mswHttp.get(`${BASE}/apis/example.com/v1/namespaces/a/widgets/w`, () =>
        HttpResponse.json({
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
        }),
      ),
      mswHttp.get(`${BASE}/apis/monitoring.coreos.com/v1`, () =>
        HttpResponse.json({ kind: 'Status', code: 404 }, { status: 404 }),
      ),
    );
    const client = makeClient();
    const key = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      namespace: 'a',
      name: 'w',
    };
    await client.get(key);
    await client.get(key);
    expect(discoveries).toBe(1);
    await expect(
      client.hasApiVersion('monitoring.coreos.com/v1'),
    ).resolves.toBe(false);
    await expect(client.hasApiVersion('example.com/v1')).resolves.toBe(true);
  });

  it('proxies to a service with repeated query parameters and returns any status as is', async () => {
    server.use(
      mswHttp.get(
        `${BASE}/api/v1/namespaces/monitoring/services/alertmanager-main:web/proxy/api/v2/alerts`,
        ({ request }) =>
          HttpResponse.json(
            { filters: new URL(request.url).searchParams.getAll('filter') },
            { status: 200 },
          ),
      ),
      mswHttp.get(
        `${BASE}/api/v1/namespaces/shop-prod/services/prometheus-operated:web/proxy/api/v1/query`,
        () =>
          HttpResponse.json({ status: 'error', error: 'bad' }, { status: 400 }),
      ),
    );
    const client = makeClient();
    const ok = await client.proxy(
      { namespace: 'monitoring', service: 'alertmanager-main', port: 'web' },
      {
        path: 'api/v2/alerts',
        query: {
          filter: ['namespace="shop-prod"', 'service="checkout-metrics"'],
        },
      },
    );
    expect(JSON.parse(ok.body)).toEqual({
      filters: ['namespace="shop-prod"', 'service="checkout-metrics"'],
    });
    const bad = await client.proxy(
      { namespace: 'shop-prod', service: 'prometheus-operated', port: 'web' },
      { path: 'api/v1/query', query: { query: 'up' } },
    );
    expect(bad.status).toBe(400);
  });

  it('times out with a 504 error naming the cluster', async () => {
    // The API server never answers: the time-out is the only way the request can end.
    server.use(
      mswHttp.get(`${BASE}/api/v1/namespaces/a/services/slow`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const error = await makeClient({ timeoutMs: 50 })
      .get({ apiVersion: 'v1', kind: 'Service', namespace: 'a', name: 'slow' })
      .catch(e => e);
    expect(error).toBeInstanceOf(KubernetesTimeoutError);
    expect(error.statusCode).toBe(504);
    expect(error.message).toBe("Cluster 'local' did not answer within 50 ms");
  });

  it('reports an unreachable cluster as a 502 error', async () => {
    server.use(
      mswHttp.get(`${BASE}/api/v1/namespaces/a/services/x`, () =>
        HttpResponse.error(),
      ),
    );
    const error = await makeClient()
      .get({ apiVersion: 'v1', kind: 'Service', namespace: 'a', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(KubernetesUnreachableError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toMatch(/^Cluster 'local' is unreachable/);
  });

  it('refuses responses above the size limit', async () => {
    server.use(
      mswHttp.get(`${BASE}/api/v1/namespaces/a/services/big`, () =>
        HttpResponse.text('x'.repeat(5000)),
      ),
    );
    await expect(
      makeClient({ maxResponseBytes: 1000 }).get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'a',
        name: 'big',
      }),
    ).rejects.toThrow('response larger than 1000 bytes refused');
  });
});
