import { ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PROMETHEUS_BIN =
  process.env.PROMETHEUS_BIN || '/usr/bin/prometheus';
export const ALERTMANAGER_BIN =
  process.env.ALERTMANAGER_BIN || '/usr/bin/prometheus-alertmanager';

export function haveMonitoringBinaries(): boolean {
  // Under CI the binaries are part of the environment (.ci/run installs them): a missing one must
  // fail the suites that need it, not skip them silently.
  if (process.env.CI) return true;
  try {
    accessSync(PROMETHEUS_BIN, constants.X_OK);
    accessSync(ALERTMANAGER_BIN, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  log: () => string,
) {
  for (let i = 0; i < 1000; i++) {
    if (child.exitCode !== null) {
      throw new Error(`${url} exited with ${child.exitCode}: ${log()}`);
    }
    const ok = await new Promise<boolean>(resolve => {
      http
        .get(url, res => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready: ${log()}`);
}

function start(bin: string, args: string[]) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, log: () => output };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
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
  child: ChildProcess;
  port: number;
}> {
  const { child, log } = start(process.execPath, ['-e', METRICS_TARGET]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', chunk => resolve(Number(String(chunk).trim())));
    child.once('exit', code =>
      reject(new Error(`the metrics target exited with ${code}: ${log()}`)),
    );
  });
  return { child, port };
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
 * Starts a real Prometheus and Alertmanager on free loopback ports, with one operator-style
 * scrape pool `serviceMonitor/<namespace>/<name>/0` of two targets (one small /metrics endpoint
 * in a process of its own, one that is down) and a `TargetDown` rule that fires at once.
 */
export async function startPrometheusStack(options: {
  namespace: string;
  serviceMonitor: string;
  service: string;
}): Promise<PrometheusStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-test-'));
  const [promPort, amPort, downPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const metrics = await startMetricsTarget();
  const upTarget = `127.0.0.1:${metrics.port}`;
  const downTarget = `127.0.0.1:${downPort}`;
  const labels = {
    namespace: options.namespace,
    service: options.service,
    job: options.service,
    endpoint: 'metrics',
  };

  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: {
        scrape_interval: '1s',
        // As long as Prometheus allows: the healthy target must never miss it.
        scrape_timeout: '1s',
        evaluation_interval: '1s',
      },
      alerting: {
        alertmanagers: [
          { static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] },
        ],
      },
      rule_files: [path.join(dir, 'rules.yml')],
      scrape_configs: [
        {
          job_name: `serviceMonitor/${options.namespace}/${options.serviceMonitor}/0`,
          static_configs: [
            { targets: [upTarget], labels: { ...labels, pod: 'up-0' } },
            { targets: [downTarget], labels: { ...labels, pod: 'down-0' } },
          ],
        },
      ],
    }),
  );
  writeFileSync(
    path.join(dir, 'rules.yml'),
    JSON.stringify({
      groups: [
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
    }),
  );
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    JSON.stringify({
      route: { receiver: 'null', group_wait: '1s', group_interval: '1s' },
      receivers: [{ name: 'null' }],
    }),
  );

  const am = start(ALERTMANAGER_BIN, [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(dir, 'am')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
  ]);
  const prom = start(PROMETHEUS_BIN, [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'prom')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  const stopAll = async () => {
    await Promise.all([stop(prom.child), stop(am.child), stop(metrics.child)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(
      `http://127.0.0.1:${amPort}/-/ready`,
      am.child,
      am.log,
    );
    await waitUntilReady(
      `http://127.0.0.1:${promPort}/-/ready`,
      prom.child,
      prom.log,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    prometheusUrl: `http://127.0.0.1:${promPort}`,
    alertmanagerUrl: `http://127.0.0.1:${amPort}`,
    upTarget,
    downTarget,
    stop: stopAll,
  };
}

/** `describe` for suites that need the real binaries (which fail, not skip, under CI). */
export const describeWithMonitoringBinaries = haveMonitoringBinaries()
  ? describe
  : describe.skip;
