/*
 * Renders e2e-tests/monitoring/prometheus.yml for one run: the checked-in file is a complete,
 * valid config for the default ports (so `promtool check config` and a by-hand
 * `prometheus --config.file=...` work on it), and this rewrites its local targets for the ports
 * actually used and makes the rule file globs absolute (the rendered file lives in the run dir).
 *
 * With `targetFilesDir` (the environment runs the Kubernetes API stand-in), the ServiceMonitor
 * jobs read their targets from one file each instead (`file_sd_configs`), which
 * serviceMonitorDiscovery.ts fills only while the ServiceMonitor exists in the stand-in — as
 * prometheus-operator only generates a scrape job for a ServiceMonitor that exists.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_PORTS, EnvironmentPorts } from './environmentPorts';

interface StaticConfig {
  targets?: string[];
  labels?: Record<string, string>;
}

interface ScrapeJob {
  job_name: string;
  static_configs?: StaticConfig[];
  file_sd_configs?: Array<{ files: string[] }>;
}

interface PrometheusConfig {
  rule_files?: string[];
  alerting?: { alertmanagers?: Array<{ static_configs?: StaticConfig[] }> };
  scrape_configs?: ScrapeJob[];
  [key: string]: unknown;
}

/** A ServiceMonitor endpoint's scrape job whose targets come from a file. */
export interface ServiceMonitorPool {
  /** `serviceMonitor/<namespace>/<name>/<endpoint index>` */
  job: string;
  namespace: string;
  serviceMonitor: string;
  /** the file Prometheus reads the targets from */
  file: string;
  /** the targets, in file_sd format, for when the ServiceMonitor exists */
  targetGroups: StaticConfig[];
}

const SERVICE_MONITOR_JOB = /^serviceMonitor\/([^/]+)\/([^/]+)\/(\d+)$/;

const LOOPBACK_TARGET = /^127\.0\.0\.1:(\d+)$/;

/** Maps each default port of a local process to the port used in this run. */
function portMap(ports: EnvironmentPorts): Map<number, number> {
  const map = new Map<number, number>([
    [DEFAULT_PORTS.alertmanager, ports.alertmanager],
    [DEFAULT_PORTS.demoServiceDown, ports.demoServiceDown],
    [DEFAULT_PORTS.backendMetrics, ports.backendMetrics],
  ]);
  DEFAULT_PORTS.demoService.forEach((port, i) =>
    map.set(port, ports.demoService[i]),
  );
  return map;
}

function rewriteTargets(
  where: string,
  staticConfigs: StaticConfig[] | undefined,
  map: Map<number, number>,
): void {
  for (const staticConfig of staticConfigs ?? []) {
    staticConfig.targets = (staticConfig.targets ?? []).map(target => {
      const match = LOOPBACK_TARGET.exec(target);
      const port = match ? map.get(Number(match[1])) : undefined;
      if (port === undefined) {
        // Every target must be a local process of the environment; anything else would make an
        // isolated test environment scrape the developer's default one.
        throw new Error(
          `${where}: target "${target}" is not one of the environment's local ports (${[
            ...map.keys(),
          ].join(', ')} on 127.0.0.1)`,
        );
      }
      return `127.0.0.1:${port}`;
    });
  }
}

/**
 * Returns the Prometheus config to run with: `template` (the text of
 * e2e-tests/monitoring/prometheus.yml) with targets moved to `ports` and relative `rule_files`
 * resolved against `rulesBaseDir` (the template's directory); with `targetFilesDir`, the
 * ServiceMonitor jobs' targets moved to files there (`pools`).
 */
export function renderPrometheusConfig(options: {
  template: string;
  ports: EnvironmentPorts;
  rulesBaseDir: string;
  targetFilesDir?: string;
}): { config: string; pools: ServiceMonitorPool[] } {
  const config = parse(options.template) as PrometheusConfig;
  if (!config || !Array.isArray(config.scrape_configs)) {
    throw new Error('Prometheus config template has no scrape_configs');
  }
  const map = portMap(options.ports);
  for (const [i, alertmanager] of (
    config.alerting?.alertmanagers ?? []
  ).entries()) {
    rewriteTargets(
      `alerting.alertmanagers[${i}]`,
      alertmanager.static_configs,
      map,
    );
  }
  const pools: ServiceMonitorPool[] = [];
  for (const job of config.scrape_configs) {
    rewriteTargets(`scrape job ${job.job_name}`, job.static_configs, map);
    const serviceMonitor = SERVICE_MONITOR_JOB.exec(job.job_name);
    if (options.targetFilesDir && serviceMonitor) {
      const file = join(
        options.targetFilesDir,
        `${serviceMonitor.slice(1).join('_')}.json`,
      );
      pools.push({
        job: job.job_name,
        namespace: serviceMonitor[1],
        serviceMonitor: serviceMonitor[2],
        file,
        targetGroups: job.static_configs ?? [],
      });
      delete job.static_configs;
      job.file_sd_configs = [{ files: [file] }];
    }
  }
  config.rule_files = (config.rule_files ?? []).map(glob =>
    isAbsolute(glob) ? glob : resolve(options.rulesBaseDir, glob),
  );
  const text = `# Rendered by e2e-tests/src/env from e2e-tests/monitoring/prometheus.yml; do not edit.\n${stringify(
    config,
    { aliasDuplicateObjects: false, lineWidth: 0 },
  )}`;
  return { config: text, pools };
}
