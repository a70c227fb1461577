/*
 * The part of prometheus-operator the demo's single Prometheus needs: a ServiceMonitor's scrape
 * job has targets only while the ServiceMonitor exists (and a Prometheus runs in its namespace).
 * Enabling an entity from the Monitoring tab therefore makes its targets appear in Prometheus,
 * and disabling it makes them go — as in a real cluster, where the operator regenerates the
 * Prometheus configuration from ServiceMonitors.
 *
 * The stand-in's objects are read every `intervalMs`; a pool's file (file_sd format) is rewritten
 * only when its content changes, atomically (Prometheus watches the files and would otherwise read
 * a half-written one).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StandInState } from '@prometheus-ocs/kubernetes-api-standin';
import type { ServiceMonitorPool } from './renderPrometheusConfig';

const MONITORING_API = 'monitoring.coreos.com/v1';

export interface ServiceMonitorDiscovery {
  /** Brings every pool's file up to date now. */
  sync(): void;
  stop(): void;
}

/** Whether the operator would generate the pool's scrape job from the stand-in's objects. */
export function isPoolActive(
  state: StandInState,
  pool: ServiceMonitorPool,
): boolean {
  const serviceMonitor = state.get({
    apiVersion: MONITORING_API,
    kind: 'ServiceMonitor',
    namespace: pool.namespace,
    name: pool.serviceMonitor,
  });
  if (!serviceMonitor) return false;
  return (
    state.list({
      apiVersion: MONITORING_API,
      kind: 'Prometheus',
      namespace: pool.namespace,
    }).length > 0
  );
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function startServiceMonitorDiscovery(options: {
  state: StandInState;
  pools: ServiceMonitorPool[];
  intervalMs?: number;
  log?: (message: string) => void;
}): ServiceMonitorDiscovery {
  const { state, pools, log } = options;
  const sync = () => {
    for (const pool of pools) {
      const active = isPoolActive(state, pool);
      const content = `${JSON.stringify(
        active ? pool.targetGroups : [],
        null,
        2,
      )}\n`;
      if (readOrEmpty(pool.file) === content) continue;
      mkdirSync(dirname(pool.file), { recursive: true });
      const temporary = `${pool.file}.tmp`;
      writeFileSync(temporary, content);
      renameSync(temporary, pool.file);
      log?.(
        `scrape pool ${pool.job}: ${
          active
            ? 'ServiceMonitor present, targets on'
            : 'no ServiceMonitor, no targets'
        }`,
      );
    }
  };
  sync();
  const timer = setInterval(() => {
    try {
      sync();
    } catch (error) {
      log?.(`service monitor discovery: ${(error as Error).message}`);
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return { sync, stop: () => clearInterval(timer) };
}
