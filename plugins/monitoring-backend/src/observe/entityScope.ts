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
   * Matchers for alerts and silences: namespace + the entity's Service, narrowed by Roadie's
   * `prometheus.io/labels` when given (never replaced or widened by them).
   */
  alertMatchers: Record<string, string>;
  /** Roadie's `prometheus.io/alert`: alert names to show, or all. */
  alertNames: string[] | 'all';
}

/**
 * The entity's scope. Roadie's labels are added to the entity's own matchers and can only narrow
 * them: the namespace and Service matchers are set last, so a Roadie label naming them (which the
 * annotation parser already refuses) cannot replace them. Otherwise `prometheus.io/labels:
 * severity=critical` would select — and let its owner silence — every critical alert of the
 * namespace.
 */
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
    alertMatchers: { ...roadie, ...base, namespace, service },
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
