import { spawn } from 'node:child_process';
import {
  missingMonitoringBinaries,
  startMonitoringStack,
} from '@prometheus-ocs/prometheus-launcher';

export function haveMonitoringBinaries(): boolean {
  // Under CI the binaries are part of the environment (.ci/run installs them): a missing one must
  // fail the suites that need it, not skip them silently.
  if (process.env.CI) return true;
  return missingMonitoringBinaries().length === 0;
}

export interface PrometheusStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  /** address of the scrape target that answers */
  upTarget: string;
  /** address of the scrape target nothing listens on */
  downTarget: string;
  stop(): Promise<void>;
}

/**
 * The scrape target that answers, as a script for its own process: served from the test process,
 * a busy test (500 tabs at once) or a loaded machine made it miss the scrape time-out now and
 * then, so `up` of the healthy target turned 0 and TargetDown fired for it too.
 */
const METRICS_TARGET = `
let requests = 0;
const server = require('node:http').createServer((_req, res) => {
  requests += 5;
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end('# TYPE http_requests_total counter\\nhttp_requests_total{code="200"} ' + requests + '\\n');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startMetricsTarget(): Promise<{
  port: number;
  stop: () => Promise<void>;
}> {
  const child = spawn(process.execPath, ['-e', METRICS_TARGET], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', chunk => resolve(Number(String(chunk).trim())));
    child.once('exit', code =>
      reject(new Error(`the metrics target exited with ${code}`)),
    );
  });
  const stop = () =>
    new Promise<void>(resolve => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { port, stop };
}

/**
 * Starts a real Prometheus and Alertmanager on free loopback ports, with one operator-style
 * scrape pool `serviceMonitor/<namespace>/<name>/0` of two targets (one small /metrics endpoint
 * in a process of its own, one that is down) and a `TargetDown` rule that fires at once.
 */
export async function startPrometheusStack(options: {
  namespace: string;
  serviceMonitor: string;
  service: string;
}): Promise<PrometheusStack> {
  const metrics = await startMetricsTarget();
  const closeMetrics = metrics.stop;
  const upTarget = `127.0.0.1:${metrics.port}`;
  let downTarget = '';
  const labels = {
    namespace: options.namespace,
    service: options.service,
    job: options.service,
    endpoint: 'metrics',
  };
  try {
    const stack = await startMonitoringStack({
      tempDirPrefix: 'prometheus-ocs-test-',
      global: {
        scrape_interval: '1s',
        // As long as Prometheus allows: the healthy target must never miss it.
        scrape_timeout: '1s',
        evaluation_interval: '1s',
      },
      extraPorts: 1,
      scrapeConfigs: ([downPort]) => {
        downTarget = `127.0.0.1:${downPort}`;
        return [
          {
            job_name: `serviceMonitor/${options.namespace}/${options.serviceMonitor}/0`,
            static_configs: [
              { targets: [upTarget], labels: { ...labels, pod: 'up-0' } },
              { targets: [downTarget], labels: { ...labels, pod: 'down-0' } },
            ],
          },
        ];
      },
      ruleGroups: [
        {
          name: 'targets',
          rules: [
            {
              alert: 'TargetDown',
              expr: 'up == 0',
              labels: { severity: 'critical' },
              annotations: { summary: 'Target {{ $labels.instance }} is down' },
            },
          ],
        },
      ],
      alertmanagerRoute: { group_wait: '1s', group_interval: '1s' },
    });
    return {
      prometheusUrl: stack.prometheusUrl,
      alertmanagerUrl: stack.alertmanagerUrl,
      upTarget,
      downTarget,
      stop: async () => {
        await stack.stop();
        await closeMetrics();
      },
    };
  } catch (error) {
    await closeMetrics();
    throw error;
  }
}

/** `describe` for suites that need the real binaries (which fail, not skip, under CI). */
export const describeWithMonitoringBinaries = haveMonitoringBinaries()
  ? describe
  : describe.skip;
