import type { MonitoringDefaults, RenderOptions } from './contract';

/**
 * Production defaults of `monitoring.defaults` (see docs/configuration.md).
 * Memory: 400Mi is what a small namespace Prometheus needs at rest; the 2Gi limit stops a cardinality
 * explosion from taking the node down while leaving room for compaction. No CPU limit on purpose:
 * CPU limits throttle rule evaluation and compaction without protecting neighbours.
 */
export const DEFAULT_MONITORING_DEFAULTS: MonitoringDefaults = Object.freeze({
  instance: 'k8s',
  replicas: Object.freeze({ production: 2, default: 1 }),
  retention: '15d',
  scrapeInterval: '30s',
  clusterRole: 'prometheus-k8s',
  resources: Object.freeze({
    requests: Object.freeze({ cpu: '100m', memory: '400Mi' }),
    limits: Object.freeze({ memory: '2Gi' }),
  }),
}) as MonitoringDefaults;

/**
 * Builds {@link RenderOptions} from partial input with the production defaults, for tests,
 * previews and tools that do not read app-config. Config-driven code uses `readRenderOptions`.
 *
 * @public
 */
export function createRenderOptions(
  input: {
    defaults?: Partial<MonitoringDefaults>;
    clusters?: RenderOptions['clusters'];
    defaultCluster?: string;
  } = {},
): RenderOptions {
  const defaults: MonitoringDefaults = {
    ...DEFAULT_MONITORING_DEFAULTS,
    replicas: { ...DEFAULT_MONITORING_DEFAULTS.replicas },
    resources: {
      requests: { ...DEFAULT_MONITORING_DEFAULTS.resources.requests },
      limits: { ...DEFAULT_MONITORING_DEFAULTS.resources.limits },
    },
    ...input.defaults,
  };
  const clusters = input.clusters ?? [];
  return {
    defaults,
    clusters,
    defaultCluster:
      input.defaultCluster ??
      (clusters.length === 1 ? clusters[0].name : undefined),
  };
}
