import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  UpstreamClient,
  describeUpstream,
  Upstream,
  upstreamAddress,
} from './UpstreamClient';

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledFrame: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

const upstream: Upstream = {
  kind: 'prometheus',
  cluster: 'prod',
  location: { type: 'url', url: 'http://prometheus.test:9090' },
  namespace: 'shop-prod',
  // Far above any answer on a busy machine; the time-out test sets its own.
  timeoutMs: 30_000,
};

const client = new UpstreamClient({
  getClient: async () => {
    throw new Error('url mode never uses the cluster');
  },
});

describe('UpstreamClient (url mode)', () => {
  it('sends query parameters (repeated ones too) and parses JSON', async () => {
    msw.use(
      http.get('http://prometheus.test:9090/api/v1/targets', ({ request }) =>
        HttpResponse.json({
          params: [...new URL(request.url).searchParams.entries()],
        }),
      ),
    );
    await expect(
      client.json(upstream, {
        path: 'api/v1/targets',
        query: { scrapePool: 'a/b', x: ['1', '2'] },
      }),
    ).resolves.toEqual({
      params: [
        ['scrapePool', 'a/b'],
        ['x', '1'],
        ['x', '2'],
      ],
    });
  });

  it('names the upstream in the message and keeps its answer and address for the log', async () => {
    msw.use(
      http.get('http://prometheus.test:9090/api/v1/query', () =>
        HttpResponse.json(
          { status: 'error', error: 'parse error at char 3' },
          { status: 400 },
        ),
      ),
    );
    await expect(
      client.json(upstream, { path: 'api/v1/query' }),
    ).rejects.toMatchObject({
      name: 'UpstreamError',
      statusCode: 502,
      message: "Prometheus of cluster 'prod' answered 400",
      detail: 'http://prometheus.test:9090 answered 400: parse error at char 3',
    });
  });

  it('times out with 504', async () => {
    // Prometheus never answers: the time-out is the only way the request can end.
    msw.use(
      http.get('http://prometheus.test:9090/api/v1/query', async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    await expect(
      client.json({ ...upstream, timeoutMs: 100 }, { path: 'api/v1/query' }),
    ).rejects.toMatchObject({
      name: 'UpstreamTimeoutError',
      statusCode: 504,
      message: "Prometheus of cluster 'prod' did not answer within 100 ms",
      detail: 'http://prometheus.test:9090',
    });
  });

  it('describes upstreams to users without their address; the log gets the Service', () => {
    const proxied: Upstream = {
      ...upstream,
      kind: 'alertmanager',
      location: {
        type: 'serviceProxy',
        service: 'alertmanager-main',
        port: 'web',
        scheme: 'http',
        namespace: 'monitoring',
      },
    };
    expect(describeUpstream(proxied)).toBe("Alertmanager of cluster 'prod'");
    expect(upstreamAddress(proxied)).toBe(
      "service monitoring/alertmanager-main:web of cluster 'prod'",
    );
  });
});
