/*
 * Nothing in a request or an entity chooses where the backend sends requests. Path tricks in
 * route parameters (`..`, encoded slashes, double encoding, NUL) and URL-like annotations that
 * are not part of the contract are refused or ignored; after a whole session of attempts, every
 * request the cluster and the upstreams received is on a short allow-list.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { makeEntity } from '../testing/fixtures';
import {
  startRecordingUpstream,
  RecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

/** What the backend may ask the API server: its objects in shop-prod, discovery, the proxy. */
const CLUSTER_ALLOW_LIST = [
  /^\/apis?(\/[a-z.]+)?(\/v1)?$/,
  /^\/api\/v1\/namespaces\/shop-prod\/(serviceaccounts|secrets|services)(\/[a-z0-9-]+)?$/,
  /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/namespaces\/shop-prod\/rolebindings(\/[a-z0-9-]+)?$/,
  /^\/apis\/monitoring\.coreos\.com\/v1\/namespaces\/shop-prod\/(prometheuses|servicemonitors|prometheusrules)(\/[a-z0-9-]+)?$/,
  /^\/apis\/apps\/v1\/namespaces\/shop-prod\/statefulsets(\/[a-z0-9-]+)?$/,
  /^\/api\/v1\/namespaces\/shop-prod\/services\/prometheus-operated:web\/proxy\/api\/v1\/(targets|query|query_range)$/,
  /^\/api\/v1\/namespaces\/monitoring\/services\/alertmanager-main:web\/proxy\/api\/v2\/(alerts|silences|silence\/[0-9A-Za-z-]+)$/,
];
/** What Prometheus and Alertmanager may be asked. */
const UPSTREAM_ALLOW_LIST = [
  /^\/api\/v1\/(targets|query|query_range)$/,
  /^\/api\/v2\/(alerts|silences|silence\/[0-9A-Za-z-]+)$/,
];

const TRICKS = [
  '..',
  '%2e%2e',
  '..%2F..%2F..%2Fapi%2Fv1%2Fnamespaces%2Fkube-system%2Fsecrets',
  '%2e%2e%2f%2e%2e%2fapi%2fv1%2fsecrets',
  '%252e%252e%252fapi%252fv1%252fsecrets',
  '..%5C..%5Capi',
  'a%00b',
  'abc%2Fdef',
  'x'.repeat(300),
  `http:%2F%2F127.0.0.1%2Fsteal`,
];

describe('request targets cannot be chosen by callers or entities', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;
  let canary: http.Server;
  const canaryHits: string[] = [];

  beforeAll(async () => {
    canary = http.createServer((req, res) => {
      canaryHits.push(`${req.method} ${req.url}`);
      res.end('{}');
    });
    await new Promise<void>(r => canary.listen(0, '127.0.0.1', r));
    const canaryUrl = `http://127.0.0.1:${
      (canary.address() as AddressInfo).port
    }`;
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [
        makeEntity('checkout', {
          // Look-alikes of other plugins' annotations: not part of the contract, never used.
          'prometheus.io/url': canaryUrl,
          'prometheus-ocs.io/prometheus-url': canaryUrl,
          'prometheus-ocs.io/alertmanager-url': canaryUrl,
          'backstage.io/kubernetes-api-url': canaryUrl,
          'prometheus.io/rule': `up{namespace="kube-system"}`,
        }),
      ],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      permissions: 'allow',
      monitoring: { cache: { ttlSeconds: 0 } },
    });
  });

  afterAll(async () => {
    await env?.close();
    await upstream?.close();
    await new Promise(r => canary.close(r));
  });

  const checkout = '/entities/component/default/checkout';

  it('works for the entity, through the configured upstreams only', async () => {
    expect(
      (await env.call('post', `${checkout}/apply`, { body: {} })).body,
    ).toMatchObject({
      ok: true,
    });
    expect((await env.call('get', `${checkout}/status`)).status).toBe(200);
    expect((await env.call('get', `${checkout}/targets`)).status).toBe(200);
    expect((await env.call('get', `${checkout}/alerts`)).status).toBe(200);
    expect(
      (await env.call('get', `${checkout}/query_range?query=up`)).status,
    ).toBe(200);
    expect(
      (
        await env.call('post', `${checkout}/silences`, {
          body: { durationMinutes: 5, comment: 'maintenance' },
        })
      ).status,
    ).toBe(201);
  });

  it.each(TRICKS)(
    'refuses the silence id %s without reaching anything else',
    async id => {
      const res = await env.call('delete', `${checkout}/silences/${id}`);
      expect([400, 404]).toContain(res.status);
    },
  );

  it.each(TRICKS)(
    'answers entity names like %s with 400 or 404',
    async name => {
      for (const suffix of ['/status', '/targets', '/alerts']) {
        const res = await env.call(
          'get',
          `/entities/component/default/${name}${suffix}`,
        );
        expect([400, 404]).toContain(res.status);
        const other = await env.call(
          'get',
          `/entities/component/${name}/checkout${suffix}`,
        );
        expect([400, 404]).toContain(other.status);
      }
    },
  );

  it('pins silences to the entity whatever the body says', async () => {
    const from = upstream.requests.length;
    const extra = await env.call('post', `${checkout}/silences`, {
      body: {
        durationMinutes: 5,
        comment: 'widen',
        matchers: [{ name: 'namespace', value: '.*', isRegex: true }],
      },
    });
    expect(extra.status).toBe(400);
    const regexName = await env.call('post', `${checkout}/silences`, {
      body: { durationMinutes: 5, comment: 'regex', alertname: '.*' },
    });
    expect(regexName.status).toBe(400);
    const named = await env.call('post', `${checkout}/silences`, {
      body: {
        durationMinutes: 5,
        comment: 'one alert',
        alertname: 'TargetDown',
      },
    });
    expect(named.status).toBe(201);

    const posted = upstream.requests
      .slice(from)
      .filter(x => x.method === 'POST');
    expect(posted).toHaveLength(1);
    const matchers = JSON.parse(posted[0].body).matchers;
    expect(
      matchers
        .map((m: any) => `${m.name}${m.isRegex ? '=~' : '='}${m.value}`)
        .sort(),
    ).toEqual([
      'alertname=TargetDown',
      'namespace=shop-prod',
      'service=checkout-metrics',
    ]);
  });

  it('sent every request of the session to allow-listed paths only, and none elsewhere', () => {
    const cluster = env.standIn.requests.list();
    expect(cluster.length).toBeGreaterThan(0);
    const offCluster = cluster
      .map(r => r.path)
      .filter(p => !CLUSTER_ALLOW_LIST.some(re => re.test(p)));
    expect(offCluster).toEqual([]);
    expect(upstream.requests.length).toBeGreaterThan(0);
    const offUpstream = upstream.requests
      .map(r => r.path)
      .filter(p => !UPSTREAM_ALLOW_LIST.some(re => re.test(p)));
    expect(offUpstream).toEqual([]);
    expect(canaryHits).toEqual([]);
  });
});
