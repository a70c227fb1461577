import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  MonitoringClusterPolicy,
  MonitoringDefaults,
  MonitoringNamespaceSettings,
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
import { MONITORING_LIMITS } from './annotationParsing/monitoringLimits';
import { compareStrings, sortedRecord } from './sortedRecord';

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

/** `<key>.resources`: requests and limits maps (each replaces the default map when given). */
function readResources(
  config: Config | undefined,
  key: string,
  problems: ConfigProblems,
):
  | { requests?: Record<string, string>; limits?: Record<string, string> }
  | undefined {
  const resources = problems.read(`${key}.resources`, () =>
    config?.getOptionalConfig('resources'),
  );
  if (!resources) return undefined;
  return {
    requests: readResourceMap(
      problems.read(`${key}.resources.requests`, () =>
        resources.getOptionalConfig('requests'),
      ),
      `${key}.resources.requests`,
      problems,
    ),
    limits: readResourceMap(
      problems.read(`${key}.resources.limits`, () =>
        resources.getOptionalConfig('limits'),
      ),
      `${key}.resources.limits`,
      problems,
    ),
  };
}

function checkRequestsWithinLimits(
  resources: MonitoringDefaults['resources'],
  key: string,
  problems: ConfigProblems,
) {
  for (const [name, limit] of Object.entries(resources.limits)) {
    const request = resources.requests[name];
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

/** `<key>.storage`: size and optional StorageClass. */
function readStorage(
  config: Config | undefined,
  key: string,
  problems: ConfigProblems,
): MonitoringDefaults['storage'] {
  const storage = problems.read(`${key}.storage`, () =>
    config?.getOptionalConfig('storage'),
  );
  if (!storage) return undefined;
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
  return ok
    ? { size: size!, ...(storageClassName ? { storageClassName } : {}) }
    : undefined;
}

/** `<key>.replicas`: a whole number from 1 to the replicas limit. */
function checkReplicas(
  n: number,
  key: string,
  problems: ConfigProblems,
): boolean {
  if (!Number.isInteger(n) || n < 1 || n > MONITORING_LIMITS.maxReplicas) {
    problems.add(
      key,
      `must be a whole number from 1 to ${MONITORING_LIMITS.maxReplicas}`,
      n,
    );
    return false;
  }
  return true;
}

/** A retention: a Prometheus duration of at least 1h. */
function checkRetention(
  retention: string,
  key: string,
  problems: ConfigProblems,
): boolean {
  const ms = parsePrometheusDuration(retention);
  if (ms === undefined || ms < MONITORING_LIMITS.minRetentionMs) {
    problems.add(
      key,
      'must be a Prometheus duration of at least 1h, such as 15d',
      retention,
    );
    return false;
  }
  return true;
}

/** Entity refs of `<key>` (owners or grants), normalized like the catalog's, sorted. */
function readRefs(
  config: Config,
  key: string,
  name: string,
  defaultKind: string,
  problems: ConfigProblems,
): string[] {
  const values =
    problems.read(`${key}.${name}`, () =>
      config.getOptionalStringArray(name),
    ) ?? [];
  const refs = new Set<string>();
  for (const value of values) {
    try {
      refs.add(
        stringifyEntityRef(
          parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
        ).toLocaleLowerCase('en-US'),
      );
    } catch (error) {
      problems.add(
        `${key}.${name}`,
        `entry ${JSON.stringify(value)} is not an entity ref: ${
          (error as Error).message
        }`,
      );
    }
  }
  return [...refs].sort(compareStrings);
}

/** `monitoring.clusters[i].namespaces`: per allowed namespace, owners and settings. */
function readNamespaces(
  item: Config,
  key: string,
  allowed: string[],
  problems: ConfigProblems,
): Record<string, MonitoringNamespaceSettings> | undefined {
  const namespaces = problems.read(`${key}.namespaces`, () =>
    item.getOptionalConfig('namespaces'),
  );
  if (!namespaces) return undefined;
  const out: Record<string, MonitoringNamespaceSettings> = {};
  for (const ns of namespaces.keys()) {
    const nsKey = `${key}.namespaces.${ns}`;
    if (!allowed.includes(ns)) {
      problems.add(
        nsKey,
        'names a namespace that is not in allowedNamespaces of the cluster',
      );
      continue;
    }
    const c = problems.read(nsKey, () => namespaces.getConfig(ns));
    if (!c) continue;
    const settings: MonitoringNamespaceSettings = {
      owners: readRefs(c, nsKey, 'owners', 'group', problems),
      grants: readRefs(c, nsKey, 'grants', 'component', problems),
      maxInstances: 1,
    };
    const replicas = problems.read(`${nsKey}.replicas`, () =>
      c.getOptionalNumber('replicas'),
    );
    if (
      replicas !== undefined &&
      checkReplicas(replicas, `${nsKey}.replicas`, problems)
    ) {
      settings.replicas = replicas;
    }
    const retention = problems.read(`${nsKey}.retention`, () =>
      c.getOptionalString('retention'),
    );
    if (
      retention !== undefined &&
      checkRetention(retention, `${nsKey}.retention`, problems)
    ) {
      settings.retention = retention;
    }
    const maxInstances = problems.read(`${nsKey}.maxInstances`, () =>
      c.getOptionalNumber('maxInstances'),
    );
    if (maxInstances !== undefined) {
      if (
        !Number.isInteger(maxInstances) ||
        maxInstances < 1 ||
        maxInstances > 20
      ) {
        problems.add(
          `${nsKey}.maxInstances`,
          'must be a whole number from 1 to 20',
          maxInstances,
        );
      } else settings.maxInstances = maxInstances;
    }
    const resources = readResources(c, nsKey, problems);
    if (resources) {
      settings.resources = {
        requests: resources.requests ?? {},
        limits: resources.limits ?? {},
      };
      checkRequestsWithinLimits(settings.resources, nsKey, problems);
    }
    const storage = readStorage(c, nsKey, problems);
    if (storage) settings.storage = storage;
    out[ns] = settings;
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
    if (
      n !== undefined &&
      checkReplicas(n, `${key}.replicas.${which}`, problems)
    ) {
      defaults.replicas[which] = n;
    }
  }

  const retention = str('retention');
  if (
    retention !== undefined &&
    checkRetention(retention, `${key}.retention`, problems)
  ) {
    defaults.retention = retention;
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

  const resources = readResources(config, key, problems);
  if (resources?.requests) defaults.resources.requests = resources.requests;
  if (resources?.limits) defaults.resources.limits = resources.limits;
  checkRequestsWithinLimits(defaults.resources, key, problems);
  const storage = readStorage(config, key, problems);
  if (storage) defaults.storage = storage;

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
    const allowedNamespaces = [...new Set(allowed)].sort();
    const settings = readNamespaces(item, key, allowedNamespaces, problems);
    clusters.push({
      name,
      allowedNamespaces,
      ...(settings ? { namespaces: settings } : {}),
    });
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
 *
 * @public
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
