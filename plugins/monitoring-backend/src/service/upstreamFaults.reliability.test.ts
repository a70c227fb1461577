/*
 * Reliability of targets, alerts, silences and graphs when Prometheus or Alertmanager is down or
 * slower than the configured time-out, against a real Prometheus and Alertmanager (Debian
 * packages) behind the Kubernetes API stand-in's service proxy. Partial answers name what
 * failed, nothing hangs, and everything recovers as soon as the upstream does (failures are
 * never cached).
 */
import { AddressInfo, createServer } from 'node:net';
import { makeEntity, TEST_TIMEOUTS } from '../testing/fixtures';
import {
  describeWithMonitoringBinaries,
  PrometheusStack,
  startPrometheusStack,
} from '../__testUtils__/prometheusStack';
import { eventually } from '../__testUtils__/eventually';
import {
  startStandInBackend,
  StandInBackend,
} from '../__testUtils__/standInBackend';
import { monitoringProxyTargets } from '@prometheus-ocs/kubernetes-api-standin';

const entityPath = '/entities/component/default/checkout';
const PROMETHEUS = "Prometheus of cluster 'local'";
const ALERTMANAGER = "Alertmanager of cluster 'local'";

/** A loopback URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describeWithMonitoringBinaries('Prometheus and Alertmanager faults', () => {
  let stack: PrometheusStack;
  let env: StandInBackend;
  let dead: string;

  const proxyTo = (prometheus: string, alertmanager: string) =>
    env.standIn.setProxyTargets(
      monitoringProxyTargets({
        prometheusUrl: prometheus,
        alertmanagerUrl: alertmanager,
      }),
    );

  const firingWithSummary = (r: { status: number; body: any }) =>
    r.status === 200 &&
    r.body.failures.length === 0 &&
    r.body.alerts.some(
      (a: any) => a.name === 'TargetDown' && a.summary && a.since,
    );

  beforeAll(async () => {
    stack = await startPrometheusStack({
      namespace: 'shop-prod',
      serviceMonitor: 'checkout',
      service: 'checkout-metrics',
    });
    dead = await deadUrl();
    env = await startStandInBackend({
      entities: [makeEntity('checkout')],
      upstreams: stack,
      permissions: 'allow',
      // No cache window, so every request below reaches the upstreams (coalescing stays).
      monitoring: {
        cache: { ttlSeconds: 0 },
      },
    });
    const applied = await env.call('post', `${entityPath}/apply`, {
      body: {},
    });
    if (!applied.body.ok) {
      throw new Error(`apply failed: ${applied.text}`);
    }
    await eventually(
      () => env.call('get', `${entityPath}/alerts`),
      firingWithSummary,
    );
    await eventually(
      () => env.call('get', `${entityPath}/targets`),
      r =>
        r.status === 200 &&
        r.body.summary.up === 1 &&
        r.body.summary.down === 1,
    );
  });

  afterAll(async () => {
    await env?.close();
    await stack?.stop();
  });

  afterEach(() => {
    env.standIn.faults.clear();
    proxyTo(stack.prometheusUrl, stack.alertmanagerUrl);
  });

  it('answers 502 naming Prometheus when it is down, keeps Alertmanager alerts, and recovers', async () => {
    proxyTo(dead, stack.alertmanagerUrl);

    const targets = await env.call('get', `${entityPath}/targets`);
    expect(targets.status).toBe(502);
    expect(targets.body.error.name).toBe('UpstreamError');
    expect(targets.body.error.message).toContain(PROMETHEUS);

    const graph = await env.call('get', `${entityPath}/query_range?query=up`);
    expect(graph.status).toBe(502);
    expect(graph.body.error.message).toContain(PROMETHEUS);

    // Alerts still come from Alertmanager; the failing part is named.
    const alerts = await env.call('get', `${entityPath}/alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.failures).toEqual([
      expect.objectContaining({
        source: expect.stringContaining(PROMETHEUS),
      }),
    ]);
    expect(alerts.body.alerts).toContainEqual(
      expect.objectContaining({
        name: 'TargetDown',
        state: 'firing',
        summary: `Target ${stack.downTarget} is down`,
      }),
    );

    proxyTo(stack.prometheusUrl, stack.alertmanagerUrl);
    const recovered = await env.call('get', `${entityPath}/targets`);
    expect(recovered.status).toBe(200);
    expect(recovered.body.summary).toEqual({ up: 1, down: 1, unknown: 0 });
  });

  it('keeps Prometheus alerts when Alertmanager is down, refuses silences with 502, and recovers', async () => {
    proxyTo(stack.prometheusUrl, dead);

    const alerts = await env.call('get', `${entityPath}/alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.failures).toEqual([
      expect.objectContaining({
        source: expect.stringContaining(ALERTMANAGER),
      }),
    ]);
    const targetDown = alerts.body.alerts.find(
      (a: any) => a.name === 'TargetDown',
    );
    // Prometheus knows the state and since when; annotations come from Alertmanager only.
    expect(targetDown).toMatchObject({ state: 'firing', silencedBy: [] });
    expect(targetDown.summary).toBeUndefined();

    const silence = await env.call('post', `${entityPath}/silences`, {
      body: { durationMinutes: 10, comment: 'maintenance' },
    });
    expect(silence.status).toBe(502);
    expect(silence.body.error.message).toContain(ALERTMANAGER);

    // Targets do not depend on Alertmanager.
    const targets = await env.call('get', `${entityPath}/targets`);
    expect(targets.status).toBe(200);

    proxyTo(stack.prometheusUrl, stack.alertmanagerUrl);
    const recovered = await env.call('get', `${entityPath}/alerts`);
    expect(firingWithSummary(recovered)).toBe(true);
  });

  it('answers 502 for alerts only when both are down', async () => {
    proxyTo(dead, dead);
    const alerts = await env.call('get', `${entityPath}/alerts`);
    expect(alerts.status).toBe(502);
    expect(alerts.body.error.message).toMatch(/Prometheus|Alertmanager/);
  });

  it('gives up on an upstream slower than the time-out with 504, without waiting for it', async () => {
    // The stand-in leaves every service-proxy request unanswered until the faults are cleared.
    env.standIn.requests.clear();
    env.standIn.faults.add({ path: /\/proxy\//, hold: true, times: 100 });

    const targets = await env.call('get', `${entityPath}/targets`);
    expect(targets.status).toBe(504);
    expect(targets.body.error).toEqual({
      name: 'UpstreamTimeoutError',
      message: expect.stringContaining(
        `${PROMETHEUS} did not answer within ${TEST_TIMEOUTS.prometheus} ms`,
      ),
    });

    const alerts = await env.call('get', `${entityPath}/alerts`);
    expect(alerts.status).toBe(504);
    // Both answers came before the stand-in answered any proxied request (it logs on answering).
    expect(env.standIn.requests.list({ path: /\/proxy\// })).toEqual([]);

    env.standIn.faults.clear();
    const recovered = await env.call('get', `${entityPath}/targets`);
    expect(recovered.status).toBe(200);
  });

  it('names the slow part when only Alertmanager is slow', async () => {
    env.standIn.faults.add({
      path: /alertmanager-main:web\/proxy\//,
      hold: true,
      times: 100,
    });
    const alerts = await env.call('get', `${entityPath}/alerts`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.failures).toEqual([
      expect.objectContaining({
        source: expect.stringContaining(ALERTMANAGER),
        message: expect.stringContaining(
          `did not answer within ${TEST_TIMEOUTS.prometheus} ms`,
        ),
      }),
    ]);
    expect(alerts.body.alerts.map((a: any) => a.name)).toContain('TargetDown');
  });
});
