import { MonitoringSettings } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * What one entity may see in Prometheus and Alertmanager. Everything is derived from validated
 * settings; the namespace matcher is always the entity's own, so no annotation can widen the
 * scope to another namespace.
 */
export interface EntityScope {
  cluster: string;
  namespace: string;
  scrapePools: string[];
  /** Matchers for target series (`up`, request metrics): namespace + the entity's Service. */
  targetMatchers: Record<string, string>;
  /**
   * Matchers for alerts and silences: namespace + the entity's Service, or namespace + Roadie's
   * `prometheus.io/labels` when given.
   */
  alertMatchers: Record<string, string>;
  /** Roadie's `prometheus.io/alert`: alert names to show, or all. */
  alertNames: string[] | 'all';
}

export function entityScope(settings: MonitoringSettings): EntityScope {
  const { namespace } = settings;
  const service = settings.names.service;
  const base = settings.alertMatchers ?? { namespace, service };
  const roadie = settings.alertLabels ?? {};
  return {
    cluster: settings.cluster,
    namespace,
    scrapePools: settings.scrapePools,
    targetMatchers: { namespace, service },
    alertMatchers: Object.keys(roadie).length
      ? { ...roadie, namespace }
      : { ...base, namespace },
    alertNames: settings.alertNames,
  };
}

/** Escapes a value for a double-quoted PromQL / Alertmanager matcher string. */
export function quoteLabelValue(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}

/** `namespace="a",service="b"`, sorted by label name, for use inside `{...}`. */
export function promqlMatchers(matchers: Record<string, string>): string {
  return Object.keys(matchers)
    .sort()
    .map(name => `${name}=${quoteLabelValue(matchers[name])}`)
    .join(',');
}

/** Escapes a string for use as a literal inside a PromQL/RE2 regular expression. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Alertmanager `filter=` parameters: one equality matcher per label. */
export function alertmanagerFilters(
  matchers: Record<string, string>,
): string[] {
  return Object.keys(matchers)
    .sort()
    .map(name => `${name}=${quoteLabelValue(matchers[name])}`);
}

/** Whether a label set satisfies every equality matcher. */
export function matchesAll(
  labels: Record<string, string> | undefined,
  matchers: Record<string, string>,
): boolean {
  return Object.entries(matchers).every(([k, v]) => labels?.[k] === v);
}
