import { http, HttpResponse } from 'msw';
import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { MonitoringClient } from './MonitoringClient';
import { errorResponse, setupMonitoringServer } from '../__testUtils__/server';
import { BASE_URL } from '../__testUtils__/renderMonitoring';
import { statusFixture } from '../__testUtils__/fixtures';

const server = setupMonitoringServer();
const client = new MonitoringClient({
  discoveryApi: mockApis.discovery(),
  fetchApi: new MockFetchApi(),
});
const ref = { kind: 'Component', namespace: 'default', name: 'checkout' };
const entityBase = `${BASE_URL}/entities/component/default/checkout`;

describe('MonitoringClient', () => {
  it('gets the status of an entity with a lower-cased kind', async () => {
    server.use(
      http.get(`${entityBase}/status`, () =>
        HttpResponse.json(statusFixture()),
      ),
    );
    await expect(client.getStatus(ref)).resolves.toMatchObject({
      instance: 'k8s',
    });
  });

  it("sends the user's cluster tokens with entity requests", async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.post(`${entityBase}/plan`, ({ request }) => {
        seen.push(
          request.headers.get('backstage-kubernetes-authorization-oidc-okta'),
        );
        seen.push(request.headers.get('content-type'));
        return HttpResponse.json({ objects: [] });
      }),
    );
    const withTokens = new MonitoringClient({
      discoveryApi: mockApis.discovery(),
      fetchApi: new MockFetchApi(),
      clusterCredentials: {
        headers: async () => ({
          'Backstage-Kubernetes-Authorization-oidc-okta': 'id-token',
        }),
      },
    });
    await withTokens.plan(ref);
    expect(seen).toEqual(['id-token', 'application/json']);
  });

  it('splits the overview into sections, each failing as its own route would', async () => {
    server.use(
      http.get(`${entityBase}/overview`, () =>
        HttpResponse.json({
          status: { value: statusFixture() },
          targets: {
            value: { targets: [], summary: { up: 0, down: 0, unknown: 0 } },
          },
          alerts: {
            error: {
              error: { name: 'UpstreamError', message: 'Alertmanager down' },
              request: { method: 'GET', url: '/alerts' },
              response: { statusCode: 502 },
            },
          },
        }),
      ),
    );
    const overview = await client.getOverview(ref);
    expect(overview.status.value).toMatchObject({ instance: 'k8s' });
    expect(overview.targets.value?.targets).toEqual([]);
    expect(overview.alerts.value).toBeUndefined();
    const error = overview.alerts.error as ResponseError;
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(502);
    expect(error.cause).toMatchObject({
      name: 'UpstreamError',
      message: 'Alertmanager down',
    });
  });

  it('asks for graph panels with the overview and splits them like the other sections', async () => {
    let asked: string | null = null;
    server.use(
      http.get(`${entityBase}/overview`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('graphs');
        const section = { value: { failures: [] } };
        return HttpResponse.json({
          status: section,
          targets: section,
          alerts: section,
          graphs: {
            up: { value: { series: [], failures: [], step: 15 } },
            error_rate: {
              error: {
                error: { name: 'UpstreamTimeoutError', message: 'slow' },
                response: { statusCode: 504 },
              },
            },
          },
        });
      }),
    );
    const overview = await client.getOverview(ref, {
      graphs: ['up', 'request_rate', 'error_rate'],
    });
    expect(asked).toBe('up,request_rate,error_rate');
    expect(overview.graphs?.up?.value).toMatchObject({ step: 15 });
    expect(
      (overview.graphs?.error_rate?.error as ResponseError).statusCode,
    ).toBe(504);
    // not answered (an older backend): absent, so the panel loads on its own
    expect(overview.graphs).not.toHaveProperty('request_rate');
  });

  it('fails the whole overview when the backend refuses it', async () => {
    server.use(
      http.get(`${entityBase}/overview`, ({ request }) =>
        errorResponse(request, 403, {
          name: 'NotAllowedError',
          message: 'Not allowed',
        }),
      ),
    );
    await expect(client.getOverview(ref)).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('encodes path segments', async () => {
    let url = '';
    server.use(
      http.get(
        `${BASE_URL}/entities/:kind/:namespace/:name/targets`,
        ({ request }) => {
          url = request.url;
          return HttpResponse.json({ targets: [], summary: {}, failures: [] });
        },
      ),
    );
    await client.getTargets({
      kind: 'Component',
      namespace: 'a b',
      name: 'x/y',
    });
    expect(url).toBe(`${BASE_URL}/entities/component/a%20b/x%2Fy/targets`);
  });

  it('sends force and ignoreOptIn only when asked', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${entityBase}/apply`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ ok: true, objects: [] });
      }),
      http.post(`${entityBase}/plan`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ objects: [] });
      }),
    );
    await client.apply(ref);
    await client.apply(ref, { force: true });
    await client.apply(ref, { force: true, ignoreOptIn: true });
    await client.plan(ref);
    await client.plan(ref, { ignoreOptIn: true });
    expect(bodies).toEqual([
      {},
      { force: true },
      { force: true, ignoreOptIn: true },
      {},
      { ignoreOptIn: true },
    ]);
  });

  it('posts silences and expires them', async () => {
    let created: unknown;
    let expired = '';
    server.use(
      http.post(`${entityBase}/silences`, async ({ request }) => {
        created = await request.json();
        return HttpResponse.json({ id: 's1' });
      }),
      http.delete(`${entityBase}/silences/:id`, ({ params }) => {
        expired = String(params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect(
      client.createSilence(ref, {
        durationMinutes: 60,
        comment: 'deploying',
        alertname: 'High',
      }),
    ).resolves.toEqual({ id: 's1' });
    expect(created).toEqual({
      durationMinutes: 60,
      comment: 'deploying',
      alertname: 'High',
    });
    await expect(client.expireSilence(ref, 's1')).resolves.toBeUndefined();
    expect(expired).toBe('s1');
  });

  it('passes the query range parameters', async () => {
    let params: URLSearchParams | undefined;
    server.use(
      http.get(`${entityBase}/query_range`, ({ request }) => {
        params = new URL(request.url).searchParams;
        return HttpResponse.json({ series: [], failures: [] });
      }),
    );
    await client.queryRange(ref, {
      panel: 'error_rate',
      start: 100,
      end: 200,
      step: 15,
    });
    expect(Object.fromEntries(params!)).toEqual({
      query: 'error_rate',
      start: '100',
      end: '200',
      step: '15',
    });
  });

  it('previews the resources of an entity that has not opted in', async () => {
    let url = '';
    let body: unknown;
    server.use(
      http.post(`${BASE_URL}/render`, async ({ request }) => {
        url = request.url;
        body = await request.json();
        return HttpResponse.json({ yaml: 'kind: Service\n', objects: [] });
      }),
    );
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'legacy-billing' },
    };
    await expect(client.previewResources(entity)).resolves.toMatchObject({
      yaml: 'kind: Service\n',
    });
    expect(new URL(url).searchParams.get('ignoreOptIn')).toBe('true');
    expect(body).toEqual(entity);
  });

  it('deletes the entity resources on teardown', async () => {
    server.use(
      http.delete(entityBase, () =>
        HttpResponse.json({ ok: true, cluster: 'local', objects: [] }),
      ),
    );
    await expect(client.teardown(ref)).resolves.toMatchObject({ ok: true });
  });

  it("throws the backend's error body as a ResponseError", async () => {
    const problems = [
      {
        annotation: 'prometheus-ocs.io/port',
        value: '0',
        message: 'must be a port name or a number from 1 to 65535',
      },
    ];
    server.use(
      http.get(`${entityBase}/alerts`, ({ request }) =>
        errorResponse(request, 502, {
          name: 'UpstreamError',
          message: 'Alertmanager unreachable',
        }),
      ),
      http.get(`${entityBase}/status`, ({ request }) =>
        errorResponse(request, 400, {
          name: 'InputError',
          message: 'Invalid monitoring annotations',
          problems,
        }),
      ),
    );
    const error = await client.getAlerts(ref).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(502);
    expect(error.cause).toMatchObject({
      name: 'UpstreamError',
      message: 'Alertmanager unreachable',
    });
    expect(error.body.request).toEqual({
      method: 'GET',
      url: '/api/monitoring/entities/component/default/checkout/alerts',
    });

    const invalid = await client.getStatus(ref).catch(e => e);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.cause.name).toBe('InputError');
    expect(invalid.body.error.problems).toEqual(problems);
  });

  it('reports non-JSON errors too', async () => {
    server.use(
      http.get(
        `${entityBase}/status`,
        () => new HttpResponse('upstream timeout', { status: 504 }),
      ),
    );
    const error = await client.getStatus(ref).catch(e => e);
    expect(error.statusCode).toBe(504);
    expect(error.cause.message).toContain('upstream timeout');
  });
});
