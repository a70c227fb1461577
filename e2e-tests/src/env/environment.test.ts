/*
 * Starts the real monitoring side of the environment (demo service, Alertmanager, Prometheus;
 * no stand-in, no Backstage) on free ports with its own run dir, and checks what the portal
 * relies on: operator-style scrape pools and labels, an alert that really fires and reaches
 * Alertmanager, and a stop that leaves no process behind.
 *
 * Needs /usr/bin/prometheus and /usr/bin/prometheus-alertmanager (Debian packages). Without them
 * the suite is skipped locally and fails under CI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, EnvironmentPorts } from './environmentPorts';
import {
  INSTALL_HINT,
  findFreePorts,
  missingMonitoringBinaries,
  processGroupMembers,
} from '@prometheus-ocs/prometheus-launcher';
import { pidFilePath } from './pidFile';
import { RunningEnvironment, startEnvironment } from './startEnvironment';

const missing = missingMonitoringBinaries();
const runSuite = missing.length === 0 || Boolean(process.env.CI);
if (!runSuite) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the environment test: missing ${missing.join(
      ', ',
    )}. ${INSTALL_HINT}`,
  );
}

interface Target {
  scrapePool: string;
  health: 'up' | 'down' | 'unknown';
  labels: Record<string, string>;
  lastError: string;
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** Polls `probe` until it returns a value; the test's own timeout bounds the wait. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

(runSuite ? describe : describe.skip)(
  'startEnvironment (monitoring only)',
  () => {
    let runDir: string;
    let ports: EnvironmentPorts;
    let environment: RunningEnvironment | undefined;

    beforeAll(async () => {
      runDir = await mkdtemp(join(tmpdir(), 'prometheus-ocs-env-'));
      const [
        prometheus,
        alertmanager,
        demoServiceDown,
        backendMetrics,
        ...demoService
      ] = await findFreePorts(4 + DEFAULT_PORTS.demoService.length);
      ports = {
        ...DEFAULT_PORTS,
        prometheus,
        alertmanager,
        demoServiceDown,
        backendMetrics,
        demoService,
      };
      environment = await startEnvironment({
        ports,
        runDir,
        withStandIn: false,
        withBackstage: false,
        log: () => {},
      });
    }, 120_000);

    afterAll(async () => {
      await environment?.stop();
      await rm(runDir, { recursive: true, force: true });
    }, 60_000);

    it('scrapes payments like prometheus-operator: one target up, one down, operator labels', async () => {
      const pool = 'serviceMonitor/shop-prod/payments/0';
      const targets = await eventually(async () => {
        const body = await getJson<{ data: { activeTargets: Target[] } }>(
          `${
            environment!.urls.prometheus
          }/api/v1/targets?scrapePool=${encodeURIComponent(pool)}`,
        );
        const active = body.data.activeTargets;
        return active.length === 2 && active.every(t => t.health !== 'unknown')
          ? active
          : undefined;
      });

      expect(targets.every(t => t.scrapePool === pool)).toBe(true);
      const byPod = Object.fromEntries(targets.map(t => [t.labels.pod, t]));
      expect(byPod['payments-5c4d8f7b9-m3v8t']).toMatchObject({
        health: 'up',
        labels: {
          namespace: 'shop-prod',
          service: 'payments-metrics',
          job: 'payments-metrics',
          endpoint: 'metrics',
          container: 'payments',
          pod: 'payments-5c4d8f7b9-m3v8t',
          instance: `127.0.0.1:${ports.demoService[2]}`,
        },
      });
      expect(byPod['payments-5c4d8f7b9-h9r2c']).toMatchObject({
        health: 'down',
        labels: {
          namespace: 'shop-prod',
          service: 'payments-metrics',
          job: 'payments-metrics',
          endpoint: 'metrics',
          container: 'payments',
          instance: `127.0.0.1:${ports.demoServiceDown}`,
        },
      });
      // No discovery meta labels or operator temporaries leak into the target labels.
      for (const target of targets) {
        expect(Object.keys(target.labels).sort()).toEqual([
          'container',
          'endpoint',
          'instance',
          'job',
          'namespace',
          'pod',
          'service',
        ]);
      }
    }, 60_000);

    it('delivers a firing TargetDown alert for the down payments pod to Alertmanager', async () => {
      const filter = [
        'alertname="TargetDown"',
        'namespace="shop-prod"',
        'service="payments-metrics"',
      ]
        .map(f => `filter=${encodeURIComponent(f)}`)
        .join('&');
      const alert = await eventually(async () => {
        const alerts = await getJson<AmAlert[]>(
          `${environment!.urls.alertmanager}/api/v2/alerts?${filter}`,
        );
        return alerts.find(a => a.labels.pod === 'payments-5c4d8f7b9-h9r2c');
      });

      expect(alert.status.state).toBe('active');
      expect(alert.labels).toMatchObject({
        severity: 'critical',
        job: 'payments-metrics',
        endpoint: 'metrics',
      });
    }, 90_000);

    it('stops every process it started and removes its pid file', async () => {
      const started = environment!.processes;
      expect(started.map(p => p.name).sort()).toEqual([
        'alertmanager',
        'demo-service',
        'prometheus',
      ]);
      expect(started.every(p => processGroupMembers(p.pid).length > 0)).toBe(
        true,
      );

      await environment!.stop();

      for (const { pid } of started) {
        expect(processGroupMembers(pid)).toEqual([]);
      }
      expect(existsSync(pidFilePath(runDir))).toBe(false);
    }, 60_000);
  },
);
