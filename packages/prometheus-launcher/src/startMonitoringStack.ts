/*
 * A throw-away Prometheus + Alertmanager pair for tests and benchmarks: free loopback ports, a
 * temporary directory for configs, data and logs, Prometheus sending its alerts to this
 * Alertmanager. The caller describes only what differs (scrape pools, rules, routing).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LaunchedServer } from './launchedServer';
import { launchAlertmanager } from './launchAlertmanager';
import { launchPrometheus } from './launchPrometheus';
import { findFreePorts } from './portAvailability';

export interface MonitoringStackOptions {
  /** Prometheus `global` section (scrape and evaluation intervals, external labels). */
  global: Record<string, unknown>;
  /**
   * Prometheus `scrape_configs`; a function gets the `extraPorts`, e.g. to point a target at a
   * port nothing listens on.
   */
  scrapeConfigs: unknown[] | ((extraPorts: number[]) => unknown[]);
  /**
   * How many further free ports to pick together with the stack's own, so that none of them is
   * Prometheus' or Alertmanager's port; default 0.
   */
  extraPorts?: number;
  /** Rule groups (`groups:` of a rule file); none by default. */
  ruleGroups?: unknown[];
  /** Alertmanager `route`; the receiver `null` (drops everything) is always defined. */
  alertmanagerRoute?: Record<string, unknown>;
  /** Prefix of the temporary directory; default `prometheus-ocs-`. */
  tempDirPrefix?: string;
  /** Readiness timeout of each process; default 60 s. */
  readyTimeoutMs?: number;
}

export interface MonitoringStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  prometheus: LaunchedServer;
  alertmanager: LaunchedServer;
  /** The `extraPorts` picked, nothing listens on them. */
  extraPorts: number[];
  /** Configs, data and logs; removed by stop(). */
  dir: string;
  /** Why one of the two cannot serve any more (exited, with its log), or undefined. */
  failure(): string | undefined;
  /** Stops both processes and removes the directory. */
  stop(): Promise<void>;
}

/** Starts Alertmanager, then Prometheus, and resolves once both are ready. */
export async function startMonitoringStack(
  options: MonitoringStackOptions,
): Promise<MonitoringStack> {
  const dir = mkdtempSync(
    path.join(os.tmpdir(), options.tempDirPrefix ?? 'prometheus-ocs-'),
  );
  const [prometheusPort, alertmanagerPort, ...extraPorts] = await findFreePorts(
    2 + (options.extraPorts ?? 0),
  );
  const file = (name: string) => path.join(dir, name);

  writeFileSync(
    file('prometheus.yml'),
    JSON.stringify({
      global: options.global,
      alerting: {
        alertmanagers: [
          { static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] },
        ],
      },
      rule_files: options.ruleGroups ? [file('rules.yml')] : [],
      scrape_configs:
        typeof options.scrapeConfigs === 'function'
          ? options.scrapeConfigs(extraPorts)
          : options.scrapeConfigs,
    }),
  );
  if (options.ruleGroups) {
    writeFileSync(
      file('rules.yml'),
      JSON.stringify({ groups: options.ruleGroups }),
    );
  }
  writeFileSync(
    file('alertmanager.yml'),
    JSON.stringify({
      route: { receiver: 'null', ...options.alertmanagerRoute },
      receivers: [{ name: 'null' }],
    }),
  );

  const started: LaunchedServer[] = [];
  const stop = async () => {
    await Promise.all(started.map(server => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const alertmanager = launchAlertmanager({
      configFile: file('alertmanager.yml'),
      dataDir: file('alertmanager'),
      port: alertmanagerPort,
      logFile: file('alertmanager.log'),
    });
    started.push(alertmanager);
    const prometheus = launchPrometheus({
      configFile: file('prometheus.yml'),
      dataDir: file('prometheus'),
      port: prometheusPort,
      logFile: file('prometheus.log'),
    });
    started.push(prometheus);
    const failure = () => prometheus.failure() ?? alertmanager.failure();
    const timeoutMs = options.readyTimeoutMs;
    await alertmanager.ready({ timeoutMs, failed: failure });
    await prometheus.ready({ timeoutMs, failed: failure });
    return {
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      prometheus,
      alertmanager,
      extraPorts,
      dir,
      failure,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
