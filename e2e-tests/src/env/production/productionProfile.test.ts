/*
 * The production profile, started for real: PostgreSQL and Redis (Debian binaries), two backend
 * replicas of the demo backend (its guest sign-in, catalog and permission policy) configured
 * with app-config.production.yaml, the round robin in front of them, the Kubernetes API stand-in,
 * and a real Prometheus and Alertmanager. Upstream requests are counted at the stand-in's service
 * proxy, the only way from the backend to Prometheus and Alertmanager. Under CI a missing binary
 * fails this suite instead of skipping it. Nothing here measures speed: every wait is for a final
 * state, with generous limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  StandIn,
  monitoringProxyTargets,
  startStandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { EnvironmentPorts } from '../environmentPorts';
import { missingMonitoringBinaries } from '@prometheus-ocs/prometheus-launcher';
import { findFreePorts } from '@prometheus-ocs/prometheus-launcher';
import { missingProductionBinaries } from '@prometheus-ocs/prometheus-launcher';
import { ProductionPorts } from './productionPorts';
import { SERVED_BY_HEADER } from '@prometheus-ocs/prometheus-launcher';
import {
  RunningProductionEnvironment,
  startProductionEnvironment,
} from './startProductionEnvironment';

const WINDOW_SECONDS = 4;
const missing = [
  ...missingMonitoringBinaries(),
  ...missingProductionBinaries(),
];
// Under CI the binaries are part of the environment (scripts/test.sh installs them).
const describeProfile =
  process.env.CI || missing.length === 0 ? describe : describe.skip;

jest.setTimeout(300_000);

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 240_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen: ${last ?? 'no answer yet'}`);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

describeProfile('production profile: PostgreSQL, Redis, two replicas', () => {
  let runDir: string;
  let standIn: StandIn;
  let env: RunningProductionEnvironment;
  let token: string;
  const log: string[] = [];

  const entityUrl = (base: string, entity: string) =>
    `${base}/api/monitoring/entities/component/default/${entity}`;

  const call = async (
    base: string,
    entity: string,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${entityUrl(base, entity)}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return {
      status: response.status,
      servedBy: response.headers.get(SERVED_BY_HEADER),
      body,
    };
  };

  const proxied = () => standIn.requests.list({ path: /\/proxy\// });
  const upstreamKey = (r: { path: string; query: Record<string, string> }) =>
    `${r.path.replace(/^.*\/proxy/, '')}?${new URLSearchParams(r.query)}`;

  beforeAll(async () => {
    if (missing.length > 0) {
      throw new Error(
        `Missing executable(s): ${missing.join(
          ', ',
        )}. Run: bash scripts/system-packages.sh monitoring production`,
      );
    }
    runDir = mkdtempSync(join(os.tmpdir(), 'prometheus-ocs-production-'));
    const free = await findFreePorts(18);
    const ports: EnvironmentPorts = {
      standIn: free[0],
      prometheus: free[1],
      alertmanager: free[2],
      demoService: free.slice(3, 9),
      demoServiceDown: free[9],
      backendMetrics: free[10],
      backend: free[11],
      app: free[12],
    };
    const productionPorts: ProductionPorts = {
      postgres: free[13],
      redis: free[14],
      replicas: [free[15], free[16]],
      replicaMetrics: [free[10], free[17]],
    };
    // The stand-in runs here, not in the environment, to read its request log.
    standIn = await startStandIn({
      port: ports.standIn,
      tls: false,
      operatorReadyDelayMs: 0,
      requestLogLimit: 1_000_000,
      proxyTargets: monitoringProxyTargets({
        prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
        alertmanagerUrl: `http://127.0.0.1:${ports.alertmanager}`,
      }),
    });
    env = await startProductionEnvironment({
      ports,
      productionPorts,
      runDir,
      withStandIn: false,
      extraCatalogFiles: [join(__dirname, 'fixtures/entities.yaml')],
      extraConfig: { monitoring: { cache: { ttlSeconds: WINDOW_SECONDS } } },
      log: message => log.push(message),
      timeouts: { backstage: 600_000 },
    });

    // The guest's token, as the frontend gets it on sign-in (through the round robin).
    token = await eventually('guest sign-in', async () => {
      const response = await fetch(
        `${env.urls.backend}/api/auth/guest/refresh`,
        { headers: { 'x-requested-with': 'XMLHttpRequest' } },
      );
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return ((await response.json()) as any).backstageIdentity.token;
    });
    // Both replicas read the catalog from the shared database once it has processed the files.
    for (const replica of env.replicas) {
      for (const entity of ['invoices', 'shipping']) {
        await eventually(
          `${entity} in the catalog of ${replica.name}`,
          async () =>
            (await call(replica.url, entity, '/status')).status === 200
              ? true
              : undefined,
        );
      }
    }
  }, 900_000);

  afterAll(async () => {
    await env?.stop();
    await standIn?.close();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
  }, 120_000);

  it('converges when two entities of one namespace are enabled through both replicas at once', async () => {
    const [a, b] = env.replicas;
    const apply = (base: string, entity: string) =>
      call(base, entity, '/apply', { method: 'POST', body: {} });
    const first = await Promise.all([
      apply(a.url, 'invoices'),
      apply(b.url, 'shipping'),
    ]);
    // An apply that reports a failed object (e.g. a write that timed out on a busy machine) is
    // run again, as the tab offers; converging may take that, losing nothing may not.
    for (const [i, [replica, entity]] of (
      [
        [a, 'invoices'],
        [b, 'shipping'],
      ] as const
    ).entries()) {
      let result = first[i];
      if (!result.body.ok) {
        // Not an assertion: shows in the test output why the first attempt did not converge.
        // eslint-disable-next-line no-console
        console.log(
          `first apply of ${entity}: ${JSON.stringify(result.body.objects)}`,
        );
      }
      for (let attempt = 1; attempt < 3 && !result.body.ok; attempt++) {
        result = await apply(replica.url, entity);
      }
      expect(result).toMatchObject({ status: 200, body: { ok: true } });
    }
    // Every object of both entities, and the namespace's shared ones, exist and are in sync,
    // whichever replica is asked.
    for (const replica of env.replicas) {
      for (const entity of ['invoices', 'shipping']) {
        const status = await call(replica.url, entity, '/status');
        expect(status.status).toBe(200);
        expect(status.body.applied).toBe(true);
        expect(status.body.objects.length).toBeGreaterThan(0);
        expect(
          status.body.objects.filter((o: any) => o.state !== 'in-sync'),
        ).toEqual([]);
      }
    }
    const serviceMonitors = standIn.state
      .list({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        namespace: 'shop-dev',
      })
      .map(o => o.metadata.name)
      .sort();
    expect(serviceMonitors).toEqual(
      expect.arrayContaining(['invoices', 'shipping']),
    );
  });

  it('asks Prometheus and Alertmanager at most once per question and cache window, with tab loads spread over both replicas', async () => {
    // A slow upstream (as Alertmanager is with many alerts): while one replica waits for its
    // answer, the other replica's viewers miss the shared cache too.
    const slow = standIn.faults.add({
      path: /\/proxy\//,
      delayMs: 500,
      times: Infinity,
    });
    const start = proxied().length;
    const deadline = Date.now() + 3 * WINDOW_SECONDS * 1000;
    const served = new Map<string, Set<string>>();
    const failures: string[] = [];
    // 12 viewers of two entities loading the tab (status + targets + alerts, as the tab does)
    // through the round robin for three windows: three requests per load, so every question
    // reaches both replicas, and each window starts cold on both at once.
    const base = env.urls.backend;
    await Promise.all(
      Array.from({ length: 12 }, async (_, viewer) => {
        // Each viewer switches entities between loads, so that the round robin's strict
        // alternation does not pin a question to one replica.
        for (let load = viewer; Date.now() < deadline; load++) {
          const entity = load % 2 ? 'invoices' : 'shipping';
          const paths = ['/status', '/targets', '/alerts'];
          const answers = await Promise.all(
            paths.map(p => call(base, entity, p)),
          );
          answers.forEach((answer, i) => {
            const replicas = served.get(paths[i]) ?? new Set();
            replicas.add(answer.servedBy ?? '?');
            served.set(paths[i], replicas);
            if (answer.status !== 200 || answer.body.failures?.length) {
              failures.push(`${answer.status} ${JSON.stringify(answer.body)}`);
            }
          });
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      }),
    );
    slow.remove();
    expect(failures).toEqual([]);
    // Each question was asked through both replicas.
    for (const path of ['/targets', '/alerts']) {
      expect([...served.get(path)!].sort()).toEqual(['backend-1', 'backend-2']);
    }

    const byQuestion = new Map<string, number[]>();
    for (const request of proxied().slice(start)) {
      const times = byQuestion.get(upstreamKey(request)) ?? [];
      times.push(Date.parse(request.time));
      byQuestion.set(upstreamKey(request), times);
    }
    // targets, the ALERTS query, Alertmanager's alerts and silences of the namespace
    expect(byQuestion.size).toBeGreaterThanOrEqual(4);
    const tooClose: string[] = [];
    for (const [question, times] of byQuestion) {
      for (let i = 1; i < times.length; i++) {
        // A question is asked again only once the answer of the previous window has expired.
        if (times[i] - times[i - 1] < WINDOW_SECONDS * 1000) {
          tooClose.push(
            `${question}: ${times[i] - times[i - 1]} ms after the previous`,
          );
        }
      }
    }
    expect(tooClose).toEqual([]);
  });

  it('shows a silence created through replica A at once through replica B', async () => {
    const [a, b] = env.replicas;
    // B holds the namespace's silences for the window (a long one would not change this).
    const before = await call(b.url, 'invoices', '/alerts');
    expect(before.status).toBe(200);
    const created = await call(a.url, 'invoices', '/silences', {
      method: 'POST',
      body: {
        durationMinutes: 30,
        comment: 'production profile',
        alertname: 'TargetDown',
      },
    });
    expect(created.status).toBe(201);
    const seen = await call(b.url, 'invoices', '/alerts');
    expect(seen.body.silences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: created.body.id,
          comment: 'production profile',
        }),
      ]),
    );
    const expired = await call(
      b.url,
      'invoices',
      `/silences/${created.body.id}`,
      {
        method: 'DELETE',
      },
    );
    expect(expired.status).toBe(200);
    const gone = await call(a.url, 'invoices', '/alerts');
    expect(
      gone.body.silences.filter((s: any) => s.id === created.body.id),
    ).toEqual([]);
  });

  it('keeps serving from the other replica when one is killed mid-load', async () => {
    const [a, b] = env.replicas;
    const throughProxy: Array<{ status: number; servedBy: string | null }> = [];
    const direct: number[] = [];
    let killed = false;
    let afterKill = 0;
    const load = async (base: string, record: (r: any) => void) => {
      // Until the live replica answered 40 more requests after the kill.
      while (afterKill < 40) {
        const answer = await call(base, 'invoices', '/targets').catch(
          error => ({
            status: 0,
            servedBy: null,
            body: String(error),
          }),
        );
        record(answer);
        if (killed && answer.servedBy !== a.name) afterKill++;
      }
    };
    const loads = [
      ...Array.from({ length: 4 }, () =>
        load(env.urls.backend, r => throughProxy.push(r)),
      ),
      ...Array.from({ length: 2 }, () =>
        load(b.url, r => direct.push(r.status)),
      ),
    ];
    // Kill A while the load is running, once both replicas have answered through the proxy.
    await eventually('both replicas serving', async () =>
      new Set(throughProxy.map(r => r.servedBy)).size === 2 ? true : undefined,
    );
    await a.kill();
    killed = true;
    await Promise.all(loads);

    // Every request sent to the live replica was answered, directly or through the proxy.
    expect(direct.filter(status => status !== 200)).toEqual([]);
    expect(
      throughProxy.filter(r => r.servedBy === b.name && r.status !== 200),
    ).toEqual([]);
    // The proxy does not send requests to the dead replica's port for ever.
    expect(throughProxy.slice(-10).every(r => r.servedBy === b.name)).toBe(
      true,
    );
  });
});
