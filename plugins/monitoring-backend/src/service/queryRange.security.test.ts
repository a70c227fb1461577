/*
 * Graphs are bounded: a caller names a panel, never PromQL, and cannot ask for more than
 * `queryRange.maxRangeHours` or `queryRange.maxPoints`. Refused requests never reach Prometheus;
 * accepted ones reach it with the entity's own selector and a bounded range and step. The same
 * holds for the panels the tab's `GET overview?graphs=` carries.
 */
import { makeEntity } from '../testing/fixtures';
import {
  startRecordingUpstream,
  RecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const MAX_POINTS = 500;
const MAX_RANGE_HOURS = 24;
const path = '/entities/component/default/checkout/query_range';

describe('query_range bounds', () => {
  let env: StandInBackend;
  let upstream: RecordingUpstream;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      monitoring: {
        queryRange: { maxPoints: MAX_POINTS, maxRangeHours: MAX_RANGE_HOURS },
        cache: { ttlSeconds: 0 },
      },
    });
    // The service proxy needs `prometheus-operated`, which the operator creates after an apply.
    const applied = await env.call(
      'post',
      '/entities/component/default/checkout/apply',
      {
        body: {},
      },
    );
    if (!applied.body.ok) {
      throw new Error(`apply failed: ${applied.text}`);
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
    [
      'PromQL instead of a panel',
      `query=${encodeURIComponent('up{namespace="kube-system"}')}`,
    ],
    [
      'an expensive expression',
      `query=${encodeURIComponent('count({__name__=~".+"})')}`,
    ],
    ['a prototype property', 'query=__proto__'],
    ['an inherited method', 'query=constructor'],
    ['no panel', ''],
    ['the query twice', 'query=up&query=request_rate'],
    [
      'a range beyond the limit',
      `query=up&start=${now - (MAX_RANGE_HOURS + 1) * 3600}&end=${now}`,
    ],
    ['too many points', `query=up&start=${now - 3600}&end=${now}&step=1`],
    ['a zero step', `query=up&start=${now - 600}&end=${now}&step=0`],
    ['a negative step', `query=up&start=${now - 600}&end=${now}&step=-15`],
    ['a step that is not a number', 'query=up&step=NaN'],
    ['an infinite range', 'query=up&start=0&end=1e309'],
    ['end before start', `query=up&start=${now}&end=${now - 600}`],
    ['an empty range', `query=up&start=${now}&end=${now}`],
    ['a malformed time', 'query=up&start=yesterday'],
    ['a time given twice', `query=up&start=${now - 600}&start=${now - 60}`],
  ])('refuses %s with 400, without asking Prometheus', async (_case, query) => {
    const res = await env.call('get', `${path}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(upstream.requests).toEqual([]);
  });

  const overview = '/entities/component/default/checkout/overview';

  it.each([
    [
      'PromQL instead of a panel',
      `graphs=${encodeURIComponent('up{namespace="kube-system"}')}`,
    ],
    ['an unknown panel next to known ones', 'graphs=up,nope,error_rate'],
    ['a prototype property', 'graphs=__proto__'],
    ['an inherited method', 'graphs=up,constructor'],
    ['graphs twice', 'graphs=up&graphs=request_rate'],
  ])(
    'refuses an overview with %s with 400, without asking anything upstream',
    async (_case, query) => {
      const res = await env.call('get', `${overview}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(/^graphs must/);
      expect(upstream.requests).toEqual([]);
    },
  );

  it("answers the overview's graphs like query_range without a range: each panel once, the entity's selector, bounded", async () => {
    const res = await env.call(
      'get',
      `${overview}?graphs=up,request_rate,up,error_rate`,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.graphs).sort()).toEqual([
      'error_rate',
      'request_rate',
      'up',
    ]);
    const ranges = upstream.requests.filter(
      r => r.path === '/api/v1/query_range',
    );
    expect(ranges).toHaveLength(3);
    for (const r of ranges) {
      const start = Number(r.query.get('start'));
      const end = Number(r.query.get('end'));
      const step = Number(r.query.get('step'));
      // the default window: the last hour, at the default step
      expect({ range: end - start, step }).toEqual({ range: 3600, step: 15 });
      const selectors = r.query.get('query')!.match(/\{[^}]*\}/g)!;
      for (const selector of selectors) {
        expect(selector).toMatch(/namespace="shop-prod"/);
        expect(selector).toMatch(/service="checkout-metrics"/);
      }
    }
    for (const panel of Object.values<any>(res.body.graphs)) {
      expect(panel.value).toMatchObject({ series: [], failures: [], step: 15 });
    }
  });

  it('asks Prometheus for the named panel with the entity selector and a bounded range', async () => {
    const requests = [
      'query=up',
      // Half an hour inside the limit: "now" is when the suite started.
      `query=request_rate&start=${
        now - MAX_RANGE_HOURS * 3600 + 1800
      }&end=${now}`,
      `query=error_rate&start=${now - 3600}&end=${now}&step=${Math.ceil(
        3600 / (MAX_POINTS - 1),
      )}`,
    ];
    for (const query of requests) {
      const res = await env.call('get', `${path}?${query}`);
      expect(res.status).toBe(200);
    }
    expect(upstream.requests).toHaveLength(requests.length);
    for (const r of upstream.requests) {
      expect(r.path).toBe('/api/v1/query_range');
      const start = Number(r.query.get('start'));
      const end = Number(r.query.get('end'));
      const step = Number(r.query.get('step'));
      expect(step).toBeGreaterThanOrEqual(1);
      expect(end - start).toBeLessThanOrEqual(MAX_RANGE_HOURS * 3600);
      expect(Math.floor((end - start) / step) + 1).toBeLessThanOrEqual(
        MAX_POINTS,
      );
      // Every selector in the PromQL is the entity's own.
      const selectors = r.query.get('query')!.match(/\{[^}]*\}/g)!;
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) {
        expect(selector).toMatch(/namespace="shop-prod"/);
        expect(selector).toMatch(/service="checkout-metrics"/);
      }
    }
  });
});
