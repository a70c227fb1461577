import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { RenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import {
  DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS,
  DEFAULT_MAX_LIST_PAGES,
} from '@prometheus-ocs/plugin-monitoring-node';

/** How an upstream HTTP API is reached: the API server's service proxy, or a URL from config. */
export type UpstreamLocation =
  | {
      type: 'serviceProxy';
      /** Namespace of the Service; undefined = the entity's namespace. */
      namespace?: string;
      service: string;
      port: string;
      scheme: 'http' | 'https';
    }
  | { type: 'url'; url: string };

/** One configured Prometheus or Alertmanager of a cluster. */
export interface UpstreamEndpoint {
  /**
   * Name from config (`name:`), else derived from the location (Service name or URL host);
   * unique per cluster and kind. Names the source in partial failures and results.
   */
  name: string;
  location: UpstreamLocation;
}

export interface ClusterEndpoints {
  /** At least one; several when config lists several (e.g. the namespace's and a central one). */
  prometheus: UpstreamEndpoint[];
  /** Empty when neither config nor monitoring.defaults.alertmanager names one. */
  alertmanager: UpstreamEndpoint[];
  links: { prometheus?: string; alertmanager?: string };
  /**
   * `monitoring.clusters[].observe`: reads of entities whose home cluster is another one also
   * ask this cluster, when the entity's ServiceMonitor exists here.
   */
  observe: boolean;
}

export interface MonitoringBackendConfig {
  endpoints(cluster: string): ClusterEndpoints;
  /** Clusters with `observe: true`, in config order. */
  observedClusters: string[];
  /** Milliseconds each outbound call may take (`monitoring.timeouts.*`). */
  timeouts: {
    kubernetes: number;
    prometheus: number;
    alertmanager: number;
    /** The catalog service (loading the entity of a request). */
    catalog: number;
    /** The permission service (authorizing a request). */
    permissions: number;
    /** A cluster supplier listing its clusters. */
    clusters: number;
  };
  /** Pages a Kubernetes list may take (`monitoring.kubernetes.maxListPages`). */
  maxListPages: number;
  cacheTtlMs: number;
  /** How long a permission decision is reused for one token (0: never); ≤ cacheTtlMs. */
  decisionTtlMs: number;
  queryRange: {
    maxPoints: number;
    maxRangeSeconds: number;
    panels: Record<string, string>;
  };
}

/** Panels of the Monitoring tab; their PromQL is built here, never taken from the request. */
export const DEFAULT_PANELS: Record<string, string> = {
  up: 'up{$selector}',
  request_rate: 'sum(rate(http_requests_total{$selector}[$window]))',
  error_rate:
    'sum(rate(http_requests_total{$selector,code=~"5.."}[$window])) / sum(rate(http_requests_total{$selector}[$window]))',
};

const PANEL_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function readUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `${key} must be an absolute http(s) URL, got '${value}'`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${key} must be an http(s) URL, got '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

const ENDPOINT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function defaultEndpointName(location: UpstreamLocation): string {
  return location.type === 'url'
    ? new URL(location.url).host
    : location.service;
}

/**
 * Reads `prometheus` / `alertmanager` of a cluster: one object (the original form) or a list of
 * them. Unset means the fallback; an empty list means none (only allowed for Alertmanager).
 */
function readEndpoints(
  cluster: Config | undefined,
  what: 'prometheus' | 'alertmanager',
  key: string,
  fallback?: { namespace?: string; service: string; port: string },
): UpstreamEndpoint[] {
  const raw = cluster?.getOptional(what);
  let entries: Array<{ config?: Config; key: string }>;
  if (raw === undefined) {
    entries = [{ key }];
  } else if (Array.isArray(raw)) {
    entries = cluster!
      .getConfigArray(what)
      .map((config, i) => ({ config, key: `${key}[${i}]` }));
    if (entries.length === 0 && what === 'prometheus') {
      throw new InputError(`${key} must list at least one Prometheus`);
    }
  } else {
    entries = [{ config: cluster!.getConfig(what), key }];
  }
  const endpoints: UpstreamEndpoint[] = [];
  for (const entry of entries) {
    const location = readLocation(entry.config, entry.key, fallback);
    if (!location) {
      if (entry.config) {
        throw new InputError(`${entry.key} needs a service or a url`);
      }
      continue;
    }
    const name =
      entry.config?.getOptionalString('name') ?? defaultEndpointName(location);
    if (!ENDPOINT_NAME.test(name) && entry.config?.has('name')) {
      throw new InputError(
        `${entry.key}.name must be a lower-case DNS label, got '${name}'`,
      );
    }
    if (endpoints.some(e => e.name === name)) {
      throw new InputError(
        `${entry.key}: the name '${name}' is used twice in ${key}; give each entry its own name:`,
      );
    }
    endpoints.push({ name, location });
  }
  return endpoints;
}

function readLocation(
  config: Config | undefined,
  key: string,
  fallback?: { namespace?: string; service: string; port: string },
): UpstreamLocation | undefined {
  const url = config?.getOptionalString('url');
  if (url) {
    return { type: 'url', url: readUrl(`${key}.url`, url) };
  }
  const namespace =
    config?.getOptionalString('namespace') ?? fallback?.namespace;
  const service = config?.getOptionalString('service') ?? fallback?.service;
  const port = String(
    config?.getOptional<string | number>('port') ?? fallback?.port ?? 'web',
  );
  const scheme = (config?.getOptionalString('scheme') ?? 'http') as
    | 'http'
    | 'https';
  if (!service) {
    return undefined;
  }
  if (namespace !== undefined && !DNS_LABEL.test(namespace)) {
    throw new InputError(
      `${key}.namespace must be a namespace name, got '${namespace}'`,
    );
  }
  if (!DNS_LABEL.test(service)) {
    throw new InputError(
      `${key}.service must be a Service name, got '${service}'`,
    );
  }
  if (scheme !== 'http' && scheme !== 'https') {
    throw new InputError(
      `${key}.scheme must be http or https, got '${scheme}'`,
    );
  }
  return { type: 'serviceProxy', namespace, service, port, scheme };
}

function positive(
  config: Config,
  key: string,
  fallback: number,
  allowZero = false,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InputError(
      `${key} must be a ${allowZero ? 'non-negative' : 'positive'} number`,
    );
  }
  return value;
}

/**
 * Reads the backend's part of `monitoring.*` and fails at startup on invalid values, so a
 * misconfiguration never surfaces as a confusing request-time error.
 */
export function readMonitoringBackendConfig(
  config: Config,
  renderOptions: RenderOptions,
): MonitoringBackendConfig {
  const clusterConfigs = new Map<string, Config>();
  for (const c of config.getOptionalConfigArray('monitoring.clusters') ?? []) {
    clusterConfigs.set(c.getString('name'), c);
  }
  const endpoints = new Map<string, ClusterEndpoints>();
  const defaultAlertmanager = renderOptions.defaults.alertmanager;
  const read = (name: string): ClusterEndpoints => {
    const c = clusterConfigs.get(name);
    const key = `monitoring.clusters[${name}]`;
    return {
      prometheus: readEndpoints(c, 'prometheus', `${key}.prometheus`, {
        service: 'prometheus-operated',
        port: 'web',
      }),
      alertmanager: readEndpoints(
        c,
        'alertmanager',
        `${key}.alertmanager`,
        defaultAlertmanager
          ? {
              namespace: defaultAlertmanager.namespace,
              service: defaultAlertmanager.name,
              port: String(defaultAlertmanager.port),
            }
          : undefined,
      ),
      links: {
        prometheus: c?.getOptionalString('links.prometheus'),
        alertmanager: c?.getOptionalString('links.alertmanager'),
      },
      observe: c?.getOptionalBoolean('observe') ?? false,
    };
  };
  for (const name of clusterConfigs.keys()) {
    endpoints.set(name, read(name));
  }

  const prometheusTimeout = positive(
    config,
    'monitoring.timeouts.prometheus',
    5000,
  );
  const panels: Record<string, string> = { ...DEFAULT_PANELS };
  const panelConfig = config.getOptionalConfig('monitoring.queryRange.panels');
  for (const name of panelConfig?.keys() ?? []) {
    const template = panelConfig!.getString(name);
    if (!PANEL_NAME.test(name)) {
      throw new InputError(
        `monitoring.queryRange.panels.${name}: panel names are [a-z][a-z0-9_]*`,
      );
    }
    // Without the selector a panel could read every namespace's series.
    if (!template.includes('$selector')) {
      throw new InputError(
        `monitoring.queryRange.panels.${name} must use $selector so it stays scoped to the entity`,
      );
    }
    panels[name] = template;
  }

  return {
    endpoints: (cluster: string) => endpoints.get(cluster) ?? read(cluster),
    observedClusters: [...endpoints.entries()]
      .filter(([, e]) => e.observe)
      .map(([name]) => name),
    timeouts: {
      kubernetes: positive(config, 'monitoring.timeouts.kubernetes', 10000),
      prometheus: prometheusTimeout,
      alertmanager: positive(
        config,
        'monitoring.timeouts.alertmanager',
        prometheusTimeout,
      ),
      catalog: positive(config, 'monitoring.timeouts.catalog', 10000),
      permissions: positive(config, 'monitoring.timeouts.permissions', 10000),
      clusters: positive(
        config,
        'monitoring.timeouts.clusters',
        DEFAULT_CLUSTER_SUPPLIER_TIMEOUT_MS,
      ),
    },
    maxListPages: Math.ceil(
      positive(
        config,
        'monitoring.kubernetes.maxListPages',
        DEFAULT_MAX_LIST_PAGES,
      ),
    ),
    cacheTtlMs:
      positive(config, 'monitoring.cache.ttlSeconds', 10, true) * 1000,
    decisionTtlMs:
      Math.min(
        positive(config, 'monitoring.cache.decisionTtlSeconds', 0, true),
        positive(config, 'monitoring.cache.ttlSeconds', 10, true),
      ) * 1000,
    queryRange: {
      maxPoints: positive(config, 'monitoring.queryRange.maxPoints', 1100),
      maxRangeSeconds:
        positive(config, 'monitoring.queryRange.maxRangeHours', 168) * 3600,
      panels,
    },
  };
}
