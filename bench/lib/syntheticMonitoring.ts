/*
 * A real Prometheus and Alertmanager (the Debian packages) on free loopback ports, loaded like a
 * busy shared cluster: thousands of targets in operator-style scrape pools
 * `serviceMonitor/<namespace>/<name>/0`, most of them down, and a `TargetDown` rule that fires for
 * every down target (thousands of firing alerts in Alertmanager).
 *
 * Down targets are loopback addresses 127.1.x.y on a port nothing listens on (connection
 * refused at once, like a crashed pod). Up targets are paths of one small in-process /metrics
 * server — a Prometheus that scrapes big endpoints (its own /metrics) from hundreds of targets
 * grows to many GB, which would measure the machine rather than the plugin.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  findFreePorts,
  MonitoringStack,
  startMonitoringStack,
} from '@prometheus-ocs/prometheus-launcher';

export interface SyntheticLoadOptions {
  /** total number of targets; default 10 000 (env BENCH_TARGETS) */
  targets: number;
  /** targets per scrape pool; default 25 (env BENCH_POOL_SIZE) */
  poolSize: number;
  /** scrape pools per namespace; default 10 */
  poolsPerNamespace: number;
  /** every n-th target of a pool is up, the others are down; default 10 */
  upEvery: number;
  /** Prometheus scrape interval; default 30s (env BENCH_SCRAPE_INTERVAL) */
  scrapeInterval: string;
}

export function syntheticLoadOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): SyntheticLoadOptions {
  const int = (name: string, fallback: number) => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a positive whole number`);
    }
    return value;
  };
  return {
    targets: int('BENCH_TARGETS', 10_000),
    poolSize: int('BENCH_POOL_SIZE', 25),
    poolsPerNamespace: 10,
    upEvery: 10,
    scrapeInterval: env.BENCH_SCRAPE_INTERVAL || '30s',
  };
}

/** The entity every benchmark looks at: one of the pools, in namespace `shop-prod`. */
export const BENCH_ENTITY = {
  name: 'checkout',
  namespace: 'shop-prod',
  service: 'checkout-metrics',
  scrapePool: 'serviceMonitor/shop-prod/checkout/0',
} as const;

interface Pool {
  namespace: string;
  name: string;
  targets: Array<{ address: string; metricsPath?: string; pod: string }>;
}

/** Namespaces `shop-prod`, `team-01`, `team-02`, …; pools `checkout`, `svc-01`, … per namespace. */
function layout(
  options: SyntheticLoadOptions,
  upAddress: string,
  downPort: number,
) {
  const poolCount = Math.ceil(options.targets / options.poolSize);
  const pools: Pool[] = [];
  let target = 0;
  for (let p = 0; p < poolCount; p++) {
    const ns = Math.floor(p / options.poolsPerNamespace);
    const inNs = p % options.poolsPerNamespace;
    const namespace =
      ns === 0 ? BENCH_ENTITY.namespace : `team-${String(ns).padStart(2, '0')}`;
    const name =
      ns === 0 && inNs === 0
        ? BENCH_ENTITY.name
        : `svc-${String(inNs).padStart(2, '0')}`;
    const pool: Pool = { namespace, name, targets: [] };
    for (
      let i = 0;
      i < options.poolSize && target < options.targets;
      i++, target++
    ) {
      const pod = `${name}-${(p * 7919 + i * 104729)
        .toString(36)
        .slice(-5)}-${i}`;
      if (i % options.upEvery === 0) {
        pool.targets.push({
          address: upAddress,
          metricsPath: `/metrics/${target}`,
          pod,
        });
      } else {
        // 127.1.0.0/16 is loopback too; one address per target keeps `instance` unique.
        pool.targets.push({
          address: `127.1.${(target >> 8) & 255}.${target & 255}:${downPort}`,
          pod,
        });
      }
    }
    pools.push(pool);
  }
  return pools;
}

export interface SyntheticMonitoring {
  prometheusUrl: string;
  alertmanagerUrl: string;
  namespaces: string[];
  targets: number;
  pools: number;
  upTargets: number;
  downTargets: number;
  stop(): Promise<void>;
}

async function prometheusValue(url: string, query: string): Promise<number> {
  const res = await fetch(
    `${url}/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  const body = (await res.json()) as any;
  const sample = body?.data?.result?.[0];
  return sample ? Number(sample.value[1]) : 0;
}

async function alertmanagerActiveAlerts(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(l => l.startsWith('alertmanager_alerts{state="active"}'));
  return line ? Number(line.split(' ')[1]) : 0;
}

/**
 * Starts the metrics server, Prometheus and Alertmanager, and waits until every target has been
 * scraped, every down target's alert fires in Prometheus and has reached Alertmanager.
 */
export async function startSyntheticMonitoring(
  options: SyntheticLoadOptions,
  log: (line: string) => void = () => {},
): Promise<SyntheticMonitoring> {
  // Down targets listen on 127.1.x.y, where neither Prometheus nor Alertmanager (127.0.0.1) are.
  const [downPort] = await findFreePorts(1);

  let scrapes = 0;
  const metrics = http.createServer((req, res) => {
    scrapes++;
    const id = (req.url ?? '').split('/').pop();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      [
        '# TYPE http_requests_total counter',
        `http_requests_total{code="200",handler="/api"} ${scrapes * 5}`,
        `http_requests_total{code="500",handler="/api"} ${scrapes}`,
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${40_000_000 + Number(id) * 10}`,
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>(resolve => metrics.listen(0, '127.0.0.1', resolve));
  const upAddress = `127.0.0.1:${(metrics.address() as AddressInfo).port}`;

  const pools = layout(options, upAddress, downPort);
  const upTargets = pools.reduce(
    (n, p) => n + p.targets.filter(t => t.metricsPath).length,
    0,
  );
  const downTargets = options.targets - upTargets;
  const namespaces = [...new Set(pools.map(p => p.namespace))];

  const stopMetrics = () =>
    new Promise<void>(resolve => metrics.close(() => resolve()));
  let monitoringStack: MonitoringStack;
  try {
    monitoringStack = await startMonitoringStack({
      tempDirPrefix: 'prometheus-ocs-bench-',
      global: {
        scrape_interval: options.scrapeInterval,
        scrape_timeout: '5s',
        // Alerts fire (and reach Alertmanager) soon after the first scrape of each target.
        evaluation_interval: '10s',
        // What prometheus-operator sets; Alertmanager alerts then carry them too.
        external_labels: {
          prometheus: 'monitoring/k8s',
          prometheus_replica: 'prometheus-k8s-0',
        },
      },
      scrapeConfigs: pools.map(pool => ({
        job_name: `serviceMonitor/${pool.namespace}/${pool.name}/0`,
        static_configs: pool.targets.map(t => ({
          targets: [t.address],
          labels: {
            namespace: pool.namespace,
            service: `${pool.name}-metrics`,
            job: `${pool.name}-metrics`,
            endpoint: 'metrics',
            container: 'app',
            pod: t.pod,
            ...(t.metricsPath ? { __metrics_path__: t.metricsPath } : {}),
          },
        })),
      })),
      ruleGroups: [
        {
          name: 'targets',
          rules: [
            {
              alert: 'TargetDown',
              expr: 'up == 0',
              labels: { severity: 'warning' },
              annotations: {
                summary: 'Target {{ $labels.instance }} is down',
                description:
                  '{{ $labels.pod }} of {{ $labels.namespace }}/{{ $labels.service }} cannot be scraped.',
              },
            },
          ],
        },
      ],
      alertmanagerRoute: {
        group_by: ['namespace', 'service'],
        group_wait: '1s',
        group_interval: '1m',
      },
    });
  } catch (error) {
    await stopMetrics();
    throw error;
  }
  const { prometheusUrl, alertmanagerUrl } = monitoringStack;
  const stop = async () => {
    await monitoringStack.stop();
    await stopMetrics();
  };
  try {
    log(
      `Prometheus ${prometheusUrl} and Alertmanager ${alertmanagerUrl}: ${options.targets} targets ` +
        `(${upTargets} up, ${downTargets} down) in ${pools.length} pools of ${namespaces.length} namespaces; ` +
        `waiting for every target to be scraped and ${downTargets} TargetDown alerts to fire…`,
    );

    const deadline = Date.now() + 240_000;
    for (;;) {
      const [scraped, firing, inAlertmanager] = await Promise.all([
        prometheusValue(prometheusUrl, 'count(up)'),
        prometheusValue(prometheusUrl, 'count(ALERTS{alertstate="firing"})'),
        alertmanagerActiveAlerts(alertmanagerUrl),
      ]);
      if (
        scraped >= options.targets &&
        firing >= downTargets &&
        inAlertmanager >= downTargets
      ) {
        break;
      }
      const reason = monitoringStack.failure();
      if (reason) throw new Error(reason);
      if (Date.now() > deadline) {
        throw new Error(
          `not ready after 240 s: ${scraped} targets scraped, ${firing} alerts firing, ${inAlertmanager} in Alertmanager`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
    return {
      prometheusUrl,
      alertmanagerUrl,
      namespaces,
      targets: options.targets,
      pools: pools.length,
      upTargets,
      downTargets,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
