import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  MonitoringClusterPolicy,
  MonitoringDefaults,
  RenderOptions,
} from './contract';
import { DEFAULT_MONITORING_DEFAULTS } from './defaultMonitoringDefaults';
import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelKey,
} from './kubernetesNames';
import { parsePrometheusDuration } from './prometheusDuration';
import { parseQuantity } from './quantity';
import { MONITORING_LIMITS } from './parseMonitoringAnnotations';
import { sortedRecord } from './sortedRecord';

const VERSION = /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/;

class ConfigProblems {
  readonly messages: string[] = [];
  add(key: string, message: string, value?: unknown) {
    this.messages.push(
      `${key}${
        value !== undefined ? ` (${JSON.stringify(value)})` : ''
      } ${message}`,
    );
  }
  /** Runs a typed config read; a type error from the reader becomes a problem instead of aborting. */
  read<T>(key: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.add(key, `is invalid: ${(error as Error).message}`);
      return undefined;
    }
  }
}

function readResourceMap(
  config: Config | undefined,
  key: string,
  problems: ConfigProblems,
): Record<string, string> | undefined {
  if (!config) return undefined;
  const out: Record<string, string> = {};
  for (const name of config.keys()) {
    const raw = problems.read(`${key}.${name}`, () => config.get(name));
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (checkLabelKey(name)) {
      problems.add(
        `${key}.${name}`,
        'must be a resource name such as cpu or memory',
      );
    } else if (
      typeof value !== 'string' ||
      parseQuantity(value) === undefined
    ) {
      problems.add(
        `${key}.${name}`,
        'must be a Kubernetes quantity such as 100m, 400Mi or 2Gi',
        raw,
      );
    } else {
      out[name] = value;
    }
  }
  return sortedRecord(out);
}

function readDefaults(
  config: Config | undefined,
  problems: ConfigProblems,
): MonitoringDefaults {
  const base = DEFAULT_MONITORING_DEFAULTS;
  const key = 'monitoring.defaults';
  const str = (name: string) =>
    problems.read(`${key}.${name}`, () => config?.getOptionalString(name));
  const num = (name: string) =>
    problems.read(`${key}.${name}`, () => config?.getOptionalNumber(name));

  const defaults: MonitoringDefaults = {
    ...base,
    replicas: { ...base.replicas },
    resources: {
      requests: { ...base.resources.requests },
      limits: { ...base.resources.limits },
    },
  };

  const instance = str('instance');
  if (instance !== undefined) {
    const problem = checkDns1123Label(instance);
    if (problem || instance.length > MONITORING_LIMITS.maxInstanceLength) {
      problems.add(
        `${key}.instance`,
        problem ??
          `must be at most ${MONITORING_LIMITS.maxInstanceLength} characters`,
        instance,
      );
    } else defaults.instance = instance;
  }

  for (const which of ['production', 'default'] as const) {
    const n = num(`replicas.${which}`);
    if (n !== undefined) {
      if (!Number.isInteger(n) || n < 1 || n > MONITORING_LIMITS.maxReplicas) {
        problems.add(
          `${key}.replicas.${which}`,
          `must be a whole number from 1 to ${MONITORING_LIMITS.maxReplicas}`,
          n,
        );
      } else defaults.replicas[which] = n;
    }
  }

  const retention = str('retention');
  if (retention !== undefined) {
    const ms = parsePrometheusDuration(retention);
    if (ms === undefined || ms < MONITORING_LIMITS.minRetentionMs) {
      problems.add(
        `${key}.retention`,
        'must be a Prometheus duration of at least 1h, such as 15d',
        retention,
      );
    } else defaults.retention = retention;
  }

  const interval = str('scrapeInterval');
  if (interval !== undefined) {
    const ms = parsePrometheusDuration(interval);
    if (
      ms === undefined ||
      ms < MONITORING_LIMITS.minIntervalMs ||
      ms > MONITORING_LIMITS.maxIntervalMs
    ) {
      problems.add(
        `${key}.scrapeInterval`,
        'must be a Prometheus duration between 1s and 5m, such as 30s',
        interval,
      );
    } else defaults.scrapeInterval = interval;
  }

  const clusterRole = str('clusterRole');
  if (clusterRole !== undefined) {
    const problem = checkDns1123Subdomain(clusterRole);
    if (problem) problems.add(`${key}.clusterRole`, problem, clusterRole);
    else defaults.clusterRole = clusterRole;
  }

  const am = problems.read(`${key}.alertmanager`, () =>
    config?.getOptionalConfig('alertmanager'),
  );
  if (am) {
    const namespace = problems.read(`${key}.alertmanager.namespace`, () =>
      am.getString('namespace'),
    );
    const name = problems.read(`${key}.alertmanager.name`, () =>
      am.getString('name'),
    );
    const rawPort =
      problems.read(`${key}.alertmanager.port`, () => am.getOptional('port')) ??
      'web';
    const port = typeof rawPort === 'number' ? String(rawPort) : rawPort;
    let ok = namespace !== undefined && name !== undefined;
    if (namespace !== undefined && checkDns1123Label(namespace)) {
      problems.add(
        `${key}.alertmanager.namespace`,
        checkDns1123Label(namespace)!,
        namespace,
      );
      ok = false;
    }
    if (name !== undefined && checkDns1035Label(name)) {
      problems.add(
        `${key}.alertmanager.name`,
        `must be a Service name: ${checkDns1035Label(name)}`,
        name,
      );
      ok = false;
    }
    const portOk =
      typeof port === 'string' &&
      (/^[0-9]+$/.test(port)
        ? Number(port) >= 1 && Number(port) <= 65535
        : !checkDns1123Label(port));
    if (!portOk) {
      problems.add(
        `${key}.alertmanager.port`,
        'must be a Service port name or a number from 1 to 65535',
        rawPort,
      );
      ok = false;
    }
    if (ok)
      defaults.alertmanager = {
        namespace: namespace!,
        name: name!,
        port: port as string,
      };
  }

  const resources = problems.read(`${key}.resources`, () =>
    config?.getOptionalConfig('resources'),
  );
  if (resources) {
    const requests = readResourceMap(
      problems.read(`${key}.resources.requests`, () =>
        resources.getOptionalConfig('requests'),
      ),
      `${key}.resources.requests`,
      problems,
    );
    const limits = readResourceMap(
      problems.read(`${key}.resources.limits`, () =>
        resources.getOptionalConfig('limits'),
      ),
      `${key}.resources.limits`,
      problems,
    );
    if (requests) defaults.resources.requests = requests;
    if (limits) defaults.resources.limits = limits;
    for (const [name, limit] of Object.entries(defaults.resources.limits)) {
      const request = defaults.resources.requests[name];
      if (
        request !== undefined &&
        parseQuantity(request)! > parseQuantity(limit)!
      ) {
        problems.add(
          `${key}.resources.requests.${name}`,
          `must not exceed the limit ${limit}`,
          request,
        );
      }
    }
  }

  const storage = problems.read(`${key}.storage`, () =>
    config?.getOptionalConfig('storage'),
  );
  if (storage) {
    const size = problems.read(`${key}.storage.size`, () =>
      storage.getString('size'),
    );
    const storageClassName = problems.read(
      `${key}.storage.storageClassName`,
      () => storage.getOptionalString('storageClassName'),
    );
    let ok = size !== undefined;
    if (size !== undefined && !(parseQuantity(size)! > 0)) {
      problems.add(
        `${key}.storage.size`,
        'must be a positive Kubernetes quantity such as 50Gi',
        size,
      );
      ok = false;
    }
    if (
      storageClassName !== undefined &&
      checkDns1123Subdomain(storageClassName)
    ) {
      problems.add(
        `${key}.storage.storageClassName`,
        checkDns1123Subdomain(storageClassName)!,
        storageClassName,
      );
      ok = false;
    }
    if (ok)
      defaults.storage = {
        size: size!,
        ...(storageClassName ? { storageClassName } : {}),
      };
  }

  const version = str('version');
  if (version !== undefined) {
    if (!VERSION.test(version)) {
      problems.add(
        `${key}.version`,
        'must be a Prometheus version such as v3.5.0',
        version,
      );
    } else defaults.version = version;
  }
  return defaults;
}

function readClusters(
  config: Config,
  problems: ConfigProblems,
): MonitoringClusterPolicy[] {
  const items =
    problems.read('monitoring.clusters', () =>
      config.getOptionalConfigArray('monitoring.clusters'),
    ) ?? [];
  const clusters: MonitoringClusterPolicy[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = `monitoring.clusters[${index}]`;
    const name = problems.read(`${key}.name`, () => item.getString('name'));
    const namespaces =
      problems.read(`${key}.allowedNamespaces`, () =>
        item.getOptionalStringArray('allowedNamespaces'),
      ) ?? [];
    if (name === undefined) return;
    if (seen.has(name)) {
      problems.add(`${key}.name`, 'is listed twice', name);
      return;
    }
    seen.add(name);
    const allowed: string[] = [];
    for (const ns of namespaces) {
      const problem = checkDns1123Label(ns);
      if (problem)
        problems.add(
          `${key}.allowedNamespaces`,
          `entry ${JSON.stringify(ns)} ${problem}`,
        );
      else allowed.push(ns);
    }
    clusters.push({ name, allowedNamespaces: [...new Set(allowed)].sort() });
  });
  return clusters;
}

/**
 * Reads the renderer's configuration (`monitoring.defaultCluster`, `monitoring.defaults`,
 * `monitoring.clusters`), filling in the production defaults. Every problem is reported at once.
 * When `monitoring.defaultCluster` is not set and exactly one cluster is configured, that cluster is
 * the default.
 *
 * @throws InputError naming every invalid key.
 */
export function readRenderOptions(config: Config): RenderOptions {
  const problems = new ConfigProblems();
  const defaultsConfig = problems.read('monitoring.defaults', () =>
    config.getOptionalConfig('monitoring.defaults'),
  );
  const defaults = readDefaults(defaultsConfig, problems);
  const clusters = readClusters(config, problems);
  let defaultCluster = problems.read('monitoring.defaultCluster', () =>
    config.getOptionalString('monitoring.defaultCluster'),
  );
  if (defaultCluster === undefined && clusters.length === 1) {
    defaultCluster = clusters[0].name;
  }
  if (problems.messages.length > 0) {
    throw new InputError(
      `Invalid monitoring configuration: ${problems.messages.join('; ')}`,
    );
  }
  return { defaults, clusters, ...(defaultCluster ? { defaultCluster } : {}) };
}
