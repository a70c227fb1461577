/*
 * Load: 500 Monitoring tabs opened at the same moment (status + targets + alerts each, 1,500
 * concurrent requests) against the backend with a real Prometheus and Alertmanager behind the
 * Kubernetes API stand-in. The cache window is 1 s so that the load starts cold and spans several
 * windows (coalesced upstream requests included). Every answer must be complete: no error status,
 * no partial failure. Nothing here measures time, and the test config's time-outs are far above
 * what an answer takes even on a busy CI machine; how fast the answers come (with the production
 * time-outs) is bench/'s subject.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { makeEntity } from '../testing/fixtures';
import {
  describeWithMonitoringBinaries,
  PrometheusStack,
  startPrometheusStack,
} from '../__testUtils__/prometheusStack';
import {
  OWNER,
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';

const TABS = 500;

describeWithMonitoringBinaries('500 concurrent Monitoring tabs', () => {
  let stack: PrometheusStack;
  let env: StandInBackend;

  beforeAll(async () => {
    stack = await startPrometheusStack({
      namespace: 'shop-prod',
      serviceMonitor: 'checkout',
      service: 'checkout-metrics',
    });
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      upstreams: stack,
      permissions: 'allow',
      monitoring: { cache: { ttlSeconds: 1 } },
    });
    const applied = await env.call(
      'post',
      '/entities/component/default/checkout/apply',
      { body: {} },
    );
    if (!applied.body.ok) {
      throw new Error(`apply failed: ${applied.text}`);
    }
    // Wait until Prometheus scraped both targets and the alert reached Alertmanager, so every
    // tab below has something to show.
    const ready = async () => {
      const [alerts, targets] = await Promise.all(
        ['alerts', 'targets'].map(p =>
          env.call('get', `/entities/component/default/checkout/${p}`),
        ),
      );
      return (
        alerts.body.alerts?.some((a: any) => a.summary) &&
        targets.body.summary?.up === 1
      );
    };
    for (let i = 0; i < 150 && !(await ready()); i++) {
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await env?.close();
    await stack?.stop();
  });

  it('answers every request completely', async () => {
    const { port } = env.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/api/monitoring/entities/component/default/checkout`;
    const headers = { authorization: mockCredentials.user.header(OWNER) };
    const problems: string[] = [];
    // Start cold: the answers cached while waiting above have expired.
    await new Promise(r => setTimeout(r, 1100));
    env.standIn.requests.clear();
    // One connection per request, as 500 browsers would open them (fetch's shared keep-alive pool
    // reused sockets the server was closing), at most 200 at a time: 1,500 connects in the same
    // instant overflow the listen backlog (511), and on a busy machine the kernel then resets
    // connections (ECONNRESET) before the backend sees them. The 1,500 requests are still all
    // issued at once; the rest wait for a connection, as a proxy in front of Backstage would.
    const agent = new http.Agent({ maxSockets: 200 });
    const get = (path: string) =>
      new Promise<any>(resolve => {
        const failed = (error: unknown) => {
          problems.push(`${path}: ${error}`);
          resolve(undefined);
        };
        http
          .get(`${base}/${path}`, { headers, agent }, res => {
            const chunks: Buffer[] = [];
            res.on('data', chunk => chunks.push(chunk));
            res.on('error', failed);
            res.on('end', () => {
              try {
                const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                if (res.statusCode !== 200) {
                  problems.push(
                    `${path}: ${res.statusCode} ${JSON.stringify(body.error)}`,
                  );
                } else if (body.failures?.length) {
                  problems.push(
                    `${path}: partial ${JSON.stringify(body.failures)}`,
                  );
                }
                resolve(body);
              } catch (error) {
                failed(error);
              }
            });
          })
          .on('error', failed);
      });

    const tabs = await Promise.all(
      Array.from({ length: TABS }, async () => {
        const [status, targets, alerts] = await Promise.all([
          get('status'),
          get('targets'),
          get('alerts'),
        ]);
        return { status, targets, alerts };
      }),
    );

    agent.destroy();
    expect(problems.slice(0, 10)).toEqual([]);
    expect(problems).toHaveLength(0);
    // The load reached Prometheus and Alertmanager (through the service proxy).
    expect(
      env.standIn.requests.list({ path: /prometheus-operated:web\/proxy/ })
        .length,
    ).toBeGreaterThan(0);
    expect(
      env.standIn.requests.list({ path: /alertmanager-main:web\/proxy/ })
        .length,
    ).toBeGreaterThan(0);
    for (const tab of tabs) {
      expect(tab.status.objects.every((o: any) => o.state === 'in-sync')).toBe(
        true,
      );
      expect(tab.targets.summary).toEqual({ up: 1, down: 1, unknown: 0 });
      expect(tab.alerts.alerts.map((a: any) => a.name)).toContain('TargetDown');
    }
  });
});
