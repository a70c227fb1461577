/*
 * Bindings, not claims (issue 13, property 2): an entity is bound to its Service/ServiceMonitor by
 * the ownership markers, and its annotations (kubernetes-id, Roadie's prometheus.io/labels) are
 * attacker-controlled input. Against the Kubernetes API stand-in and a fake Prometheus +
 * Alertmanager that records every request: a squatter cannot create another entity's objects,
 * an entity claiming another service's kubernetes-id reads and silences nothing of it (409), and
 * Roadie labels only narrow the entity's own alerts.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@prometheus-ocs/plugin-monitoring-common';
import { makeEntity } from '../testing/fixtures';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

interface FakeSilence {
  id: string;
  matchers: Array<{
    name: string;
    value: string;
    isRegex: boolean;
    isEqual?: boolean;
  }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: string };
}

/**
 * Prometheus + Alertmanager answering every call the plugin makes: Prometheus with empty results,
 * Alertmanager with the silences it holds (created, listed, fetched by id and expired).
 */
async function startFakeUpstream() {
  const requests: string[] = [];
  const silences = new Map<string, FakeSilence>();
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const byId = /^\/api\/v2\/silence\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/api/v1/targets') {
        json(res, 200, { status: 'success', data: { activeTargets: [] } });
      } else if (req.method === 'GET' && url.pathname === '/api/v1/query') {
        json(res, 200, {
          status: 'success',
          data: { resultType: 'vector', result: [] },
        });
      } else if (
        req.method === 'GET' &&
        url.pathname === '/api/v1/query_range'
      ) {
        json(res, 200, {
          status: 'success',
          data: { resultType: 'matrix', result: [] },
        });
      } else if (req.method === 'GET' && url.pathname === '/api/v2/alerts') {
        json(res, 200, []);
      } else if (req.method === 'GET' && url.pathname === '/api/v2/silences') {
        json(res, 200, [...silences.values()]);
      } else if (req.method === 'POST' && url.pathname === '/api/v2/silences') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const id = randomUUID();
        silences.set(id, { ...body, id, status: { state: 'active' } });
        json(res, 200, { silenceID: id });
      } else if (byId && silences.has(byId[1]) && req.method === 'GET') {
        json(res, 200, silences.get(byId[1]));
      } else if (byId && silences.has(byId[1]) && req.method === 'DELETE') {
        silences.get(byId[1])!.status = { state: 'expired' };
        json(res, 200, {});
      } else {
        json(res, 404, { error: `no route ${req.method} ${url.pathname}` });
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    silences,
    /** A silence someone made in Alertmanager itself. */
    add(matchers: Record<string, string>, createdBy: string): string {
      const id = randomUUID();
      silences.set(id, {
        id,
        matchers: Object.entries(matchers).map(([name, value]) => ({
          name,
          value,
          isRegex: false,
          isEqual: true,
        })),
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy,
        comment: 'maintenance',
        status: { state: 'active' },
      });
      return id;
    },
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// Several applies and reads per case against the stand-in, on a busy CI machine.
jest.setTimeout(60_000);

const SHOP_DEV = { 'backstage.io/kubernetes-namespace': 'shop-dev' };

describe('bindings: no entity can squat, read or silence what is bound to another', () => {
  let env: StandInBackend;
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;

  const entity = (name: string) => `/entities/component/default/${name}`;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    env = await startStandInBackend({
      entities: [
        // Another team's entity, in the catalog but not applied yet.
        makeEntity('inventory', SHOP_DEV),
        // A new entity naming inventory's objects.
        makeEntity('squatter', {
          ...SHOP_DEV,
          'backstage.io/kubernetes-id': 'inventory',
        }),
        makeEntity('checkout'),
        // Claims checkout's kubernetes-id after checkout was enabled.
        makeEntity('impostor', { 'backstage.io/kubernetes-id': 'checkout' }),
        // Roadie labels that used to replace the Service matcher.
        makeEntity('wide', { 'prometheus.io/labels': 'severity=critical' }),
        makeEntity('hijack', {
          'prometheus.io/labels': 'service=checkout-metrics',
        }),
        // In the catalog, never applied.
        makeEntity('idle'),
      ],
      upstreams: { prometheusUrl: upstream.url, alertmanagerUrl: upstream.url },
      // Generous: CI machines are busy, and no case here is about time-outs.
      monitoring: {
        timeouts: {
          kubernetes: 15_000,
          prometheus: 15_000,
          alertmanager: 15_000,
        },
      },
    });
    for (const name of ['checkout', 'wide']) {
      const applied = await env.call('post', `${entity(name)}/apply`, {
        body: {},
      });
      if (applied.body.ok !== true) {
        throw new Error(
          `enabling ${name} failed: ${JSON.stringify(applied.body)}`,
        );
      }
    }
  });

  afterAll(async () => {
    await env?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    env.standIn.requests.clear();
    upstream.requests.length = 0;
  });

  const entityObjects = (namespace: string) =>
    [
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' },
    ]
      .flatMap(k => env.standIn.state.list({ ...k, namespace }))
      // Not the operator's own `prometheus-operated` Service.
      .filter(o => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE);

  it("squatting inventory's kubernetes-id: the squatter is refused with 409 naming inventory, nothing is written, and inventory's own apply works", async () => {
    const squat = await env.call('post', `${entity('squatter')}/apply`, {
      body: { force: true },
    });
    expect(squat.status).toBe(409);
    expect(squat.body.error.message).toContain('component:default/inventory');
    expect(env.standIn.requests.writes()).toEqual([]);
    expect(entityObjects('shop-dev')).toEqual([]);

    const own = await env.call('post', `${entity('inventory')}/apply`, {
      body: {},
    });
    expect(own.body).toMatchObject({ ok: true });
    const objects = entityObjects('shop-dev');
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Service/inventory-metrics',
      'ServiceMonitor/inventory',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY_VALUE);
      expect(o.metadata.annotations?.[ENTITY_REF_ANNOTATION]).toBe(
        'component:default/inventory',
      );
    }

    // Once bound, the binding wins: still refused, still nothing written.
    env.standIn.requests.clear();
    const again = await env.call('post', `${entity('squatter')}/apply`, {
      body: { force: true },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('component:default/inventory');
    expect(env.standIn.requests.writes()).toEqual([]);
    // And the squatter cannot take inventory's objects down either.
    const torn = await env.call('delete', entity('squatter'));
    expect(torn.status).toBe(200);
    expect(entityObjects('shop-dev')).toHaveLength(2);
  });

  it("an entity claiming another service's kubernetes-id reads none of its targets, alerts or graphs (409 naming the bound entity)", async () => {
    for (const suffix of ['/targets', '/alerts', '/query_range?query=up']) {
      const res = await env.call('get', `${entity('impostor')}${suffix}`);
      expect({ suffix, status: res.status }).toEqual({ suffix, status: 409 });
      expect(res.body.error.message).toContain('component:default/checkout');
    }
    // The tab's one request: every section refused alike.
    const overview = await env.call(
      'get',
      `${entity('impostor')}/overview?graphs=up,request_rate`,
    );
    expect(overview.status).toBe(200);
    for (const section of [
      overview.body.targets,
      overview.body.alerts,
      overview.body.graphs.up,
      overview.body.graphs.request_rate,
    ]) {
      expect(section.value).toBeUndefined();
      expect(section.error.response.statusCode).toBe(409);
      expect(section.error.error.message).toContain(
        'component:default/checkout',
      );
    }
    expect(upstream.requests).toEqual([]);
    // The bound entity itself still reads.
    const own = await env.call('get', `${entity('checkout')}/targets`);
    expect(own.status).toBe(200);
  });

  it("silencing and expiring another entity's alerts through a claimed kubernetes-id is refused", async () => {
    const created = await env.call('post', `${entity('checkout')}/silences`, {
      body: { durationMinutes: 60, comment: 'deploy' },
    });
    expect(created.status).toBe(201);
    upstream.requests.length = 0;

    const silence = await env.call('post', `${entity('impostor')}/silences`, {
      body: { durationMinutes: 60 * 24 * 30, comment: 'shh' },
    });
    expect(silence.status).toBe(409);
    expect(silence.body.error.message).toContain('component:default/checkout');
    const expire = await env.call(
      'delete',
      `${entity('impostor')}/silences/${created.body.id}`,
    );
    expect(expire.status).toBe(409);
    expect(upstream.requests.filter(r => !r.startsWith('GET '))).toEqual([]);
    expect(upstream.silences.get(created.body.id)?.status.state).toBe('active');
  });

  it('an entity bound nowhere reads empty answers without asking Prometheus, and may not silence', async () => {
    const targets = await env.call('get', `${entity('idle')}/targets`);
    expect(targets.status).toBe(200);
    expect(targets.body).toEqual({
      targets: [],
      summary: { up: 0, down: 0, unknown: 0 },
      failures: [],
    });
    const alerts = await env.call('get', `${entity('idle')}/alerts`);
    expect(alerts.body).toEqual({ alerts: [], silences: [], failures: [] });
    const silence = await env.call('post', `${entity('idle')}/silences`, {
      body: { durationMinutes: 60, comment: 'x' },
    });
    expect(silence.status).toBe(409);
    expect(silence.body.error.message).toContain('not enabled');
    expect(upstream.requests).toEqual([]);
  });

  it("Roadie prometheus.io/labels: severity=critical only narrows the entity's own alerts: its silences stay pinned to its Service, and it cannot expire the namespace's critical silence", async () => {
    const created = await env.call('post', `${entity('wide')}/silences`, {
      body: { durationMinutes: 60 * 24 * 30, comment: 'quiet' },
    });
    expect(created.status).toBe(201);
    const matchers = Object.fromEntries(
      upstream.silences
        .get(created.body.id)!
        .matchers.map(m => [m.name, m.value]),
    );
    expect(matchers).toEqual({
      namespace: 'shop-prod',
      service: 'wide-metrics',
      severity: 'critical',
    });

    // The platform team silenced every critical alert of the namespace in Alertmanager.
    const platform = upstream.add(
      { namespace: 'shop-prod', severity: 'critical' },
      'platform-admin',
    );
    const expire = await env.call(
      'delete',
      `${entity('wide')}/silences/${platform}`,
    );
    expect(expire.status).toBe(403);
    expect(upstream.silences.get(platform)?.status.state).toBe('active');
    // Nor one checkout's team made with extra matchers that happen to include the entity's.
    const narrower = upstream.add(
      {
        namespace: 'shop-prod',
        service: 'wide-metrics',
        severity: 'critical',
        team: 'payments',
      },
      'payments',
    );
    const expireNarrower = await env.call(
      'delete',
      `${entity('wide')}/silences/${narrower}`,
    );
    expect(expireNarrower.status).toBe(403);
    // Its own silence it may expire.
    const own = await env.call(
      'delete',
      `${entity('wide')}/silences/${created.body.id}`,
    );
    expect(own.status).toBe(200);
  });

  it("Roadie labels naming another service's Service are refused with 400 naming the annotation, on reads and silences", async () => {
    for (const [method, suffix, body] of [
      ['get', '/alerts'],
      ['post', '/silences', { durationMinutes: 60, comment: 'x' }],
    ] as const) {
      const res = await env.call(method, `${entity('hijack')}${suffix}`, {
        body,
      });
      expect({ suffix, status: res.status }).toEqual({ suffix, status: 400 });
      expect(res.body.error.message).toContain('prometheus.io/labels');
    }
    expect(upstream.requests).toEqual([]);
  });
});
