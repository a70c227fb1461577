/*
 * The cluster token never leaves the backend except in the Authorization header of requests to
 * the configured API server: not in any answer (successes, partial failures, 4xx, 5xx), not in
 * any log line or audit event, and not to Prometheus/Alertmanager reached by URL.
 */
import { AddressInfo, createServer } from 'node:net';
import request from 'supertest';
import { makeEntity, TEST_TOKEN } from '../testing/fixtures';
import {
  startRecordingUpstream,
  RecordingUpstream,
} from '../__testUtils__/recordingUpstream';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';
import { monitoringProxyTargets } from '@prometheus-ocs/kubernetes-api-standin';

const secretForms = [
  TEST_TOKEN,
  Buffer.from(TEST_TOKEN).toString('base64'),
  encodeURIComponent(TEST_TOKEN),
];

function expectNoToken(what: string, text: string) {
  for (const secret of secretForms) {
    if (text.includes(secret)) {
      throw new Error(
        `${what} contains the cluster token: ${text.slice(0, 500)}`,
      );
    }
  }
}

async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('the cluster token', () => {
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('appears in no answer and no log line, whatever succeeds or fails', async () => {
    const env = await startStandInBackend({
      entities: [
        makeEntity('checkout'),
        makeEntity('vault', {
          'backstage.io/kubernetes-namespace': 'restricted',
        }),
        makeEntity('search', { 'prometheus-ocs.io/interval': '5 minutes' }),
      ],
      upstreams: {
        prometheusUrl: upstream.url,
        alertmanagerUrl: upstream.url,
      },
      monitoring: {
        clusters: [
          { name: 'local', allowedNamespaces: ['shop-prod', 'restricted'] },
        ],
        cache: { ttlSeconds: 0 },
      },
    });
    const answers: Array<{ what: string; res: request.Response }> = [];
    const call = async (...args: Parameters<StandInBackend['call']>) => {
      const res = await env.call(...args);
      answers.push({ what: `${args[0]} ${args[1]}`, res });
      return res;
    };
    const checkout = '/entities/component/default/checkout';
    try {
      // The happy path, every route.
      await call('get', `${checkout}/status`);
      await call('post', `${checkout}/plan`);
      expect(
        (await call('post', `${checkout}/apply`, { body: {} })).body.ok,
      ).toBe(true);
      await call('get', `${checkout}/targets`);
      await call('get', `${checkout}/alerts`);
      await call('get', `${checkout}/query_range?query=up`);
      await call('post', `${checkout}/silences`, {
        body: { durationMinutes: 5, comment: 'token test' },
      });
      await call(
        'delete',
        `${checkout}/silences/0f4c1d3e-5b6a-4c7d-8e9f-a0b1c2d3e4f5`,
      );
      await call('post', '/render', { body: makeEntity('checkout') });

      // Failures of every kind.
      env.standIn.faults.add({
        method: 'GET',
        path: /services/,
        status: 500,
        times: 3,
      });
      expect((await call('get', `${checkout}/status`)).status).toBe(502);
      env.standIn.faults.clear();
      // The 2nd write is never answered: it fails by the time-out.
      env.standIn.faults.add({ method: 'PATCH', nth: 2, hold: true });
      expect(
        (await call('post', `${checkout}/apply`, { body: {} })).body.ok,
      ).toBe(false);
      env.standIn.faults.clear();
      expect(
        (await call('post', '/entities/component/default/vault/plan')).status,
      ).toBe(502);
      await call('post', '/entities/component/default/vault/apply', {
        body: {},
      });
      expect(
        (
          await call('post', '/entities/component/default/search/apply', {
            body: {},
          })
        ).status,
      ).toBe(400);
      expect(
        (await call('get', '/entities/component/default/nope/status')).status,
      ).toBe(404);
      expect(
        (await call('post', `${checkout}/apply`, { body: { force: 'yes' } }))
          .status,
      ).toBe(400);
      const dead = await deadUrl();
      env.standIn.setProxyTargets(
        monitoringProxyTargets({
          prometheusUrl: dead,
          alertmanagerUrl: dead,
        }),
      );
      expect((await call('get', `${checkout}/targets`)).status).toBe(502);
      expect((await call('get', `${checkout}/alerts`)).status).toBe(502);
      expect(
        (
          await call('post', `${checkout}/silences`, {
            body: { durationMinutes: 5, comment: 'x' },
          })
        ).status,
      ).toBe(502);
      await call('delete', checkout);
    } finally {
      await env.close();
    }

    // The token really was in use: the stand-in authenticated the backend's requests.
    expect(env.standIn.requests.list().some(r => r.status === 200)).toBe(true);
    for (const { what, res } of answers) {
      expectNoToken(
        `${what} (${res.status})`,
        `${JSON.stringify(res.headers)} ${res.text}`,
      );
    }
    // Every kind of log line was produced: 5xx warnings and audit events.
    expect(
      env.logs.lines.some(l => l.startsWith('warn') && l.includes('502')),
    ).toBe(true);
    expect(env.logs.lines.some(l => l.includes('entity-apply'))).toBe(true);
    for (const line of env.logs.lines) expectNoToken('log line', line);
  });

  it('is never sent to Prometheus or Alertmanager reached by URL', async () => {
    const env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      permissions: 'allow',
      monitoring: {
        clusters: [
          {
            name: 'local',
            allowedNamespaces: ['shop-prod'],
            prometheus: { url: upstream.url },
            alertmanager: { url: upstream.url },
          },
        ],
        cache: { ttlSeconds: 0 },
      },
    });
    upstream.requests.length = 0;
    try {
      const checkout = '/entities/component/default/checkout';
      // Enabled first: reads and silences are scoped by the entity's binding (docs/tenancy.md).
      expect(
        (await env.call('post', `${checkout}/apply`, { body: {} })).body.ok,
      ).toBe(true);
      expect((await env.call('get', `${checkout}/targets`)).status).toBe(200);
      expect((await env.call('get', `${checkout}/alerts`)).status).toBe(200);
      expect(
        (await env.call('get', `${checkout}/query_range?query=up`)).status,
      ).toBe(200);
      expect(
        (
          await env.call('post', `${checkout}/silences`, {
            body: { durationMinutes: 5, comment: 'by url' },
          })
        ).status,
      ).toBe(201);
    } finally {
      await env.close();
    }
    expect(upstream.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of upstream.requests) {
      expect(r.headers.authorization).toBeUndefined();
      expectNoToken(
        `${r.method} ${r.path}`,
        JSON.stringify(r.headers) + r.query + r.body,
      );
    }
  });
});
