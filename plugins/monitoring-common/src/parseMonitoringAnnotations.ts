import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  AnnotationProblem,
  MonitoringAlertRule,
  MonitoringSettings,
  RenderOptions,
} from './contract';
import {
  MONITORING_ANNOTATIONS as A,
  MONITORING_ANNOTATION_DEFAULTS,
} from './annotations';
import {
  checkDns1123Label,
  checkIanaSvcName,
  checkLabelValue,
} from './kubernetesNames';
import { parseLabelSelector, LabelSelector } from './labelSelector';
import { parsePrometheusDuration } from './prometheusDuration';
import { parseAlertRules } from './alertRules';
import { generatedNames } from './generatedNames';
import { sortedRecord } from './sortedRecord';

/** Result of {@link parseMonitoringAnnotations}: settings when there are no problems, and every problem. */
export interface ParsedMonitoringAnnotations {
  settings?: MonitoringSettings;
  problems: AnnotationProblem[];
}

/** Bounds that keep annotated values sensible; documented in docs/annotations.md. */
export const MONITORING_LIMITS = {
  minIntervalMs: 1000,
  /** Prometheus' 5m lookback: a longer scrape interval makes series go stale between scrapes. */
  maxIntervalMs: 5 * 60 * 1000,
  minRetentionMs: 3600 * 1000,
  maxReplicas: 10,
  /** Prometheus CR names become StatefulSet `prometheus-<name>`, whose pod labels must stay ≤ 63 characters. */
  maxInstanceLength: 40,
  maxPathLength: 1024,
  maxRoadieAlerts: 100,
  maxShownValueLength: 200,
} as const;

const PATH = /^\/([A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CLUSTER_NAME = /^[A-Za-z0-9]([A-Za-z0-9._:@-]*[A-Za-z0-9])?$/;

/** Shortens a value for messages, so a 10 kB hostile value does not produce a 10 kB error. */
export function shownValue(value: string): string {
  return value.length > MONITORING_LIMITS.maxShownValueLength
    ? `${value.slice(0, MONITORING_LIMITS.maxShownValueLength)}… (${
        value.length
      } characters)`
    : value;
}

class ProblemCollector {
  readonly problems: AnnotationProblem[] = [];
  constructor(private readonly annotations: Record<string, unknown>) {}

  add(annotation: string, message: string, value?: string) {
    this.problems.push({
      annotation,
      ...(value !== undefined ? { value: shownValue(value) } : {}),
      message,
    });
  }

  /** The annotation's string value; `undefined` when absent, with a problem when not a string. */
  get(annotation: string): string | undefined {
    const value = this.annotations[annotation];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(
        annotation,
        `must be a string (quote it in YAML), got ${typeof value}`,
        String(value),
      );
      return undefined;
    }
    return value;
  }
}

function parseRoadieAlerts(
  value: string,
  p: ProblemCollector,
): string[] | 'all' {
  if (value.trim().toLowerCase() === 'all') {
    return 'all';
  }
  const names = value
    .split(',')
    .map(name => name.trim())
    .filter(name => name.length > 0);
  if (names.length === 0) {
    p.add(
      A.roadieAlert,
      'must be "all" or a comma-separated list of alert names',
      value,
    );
    return [];
  }
  if (names.length > MONITORING_LIMITS.maxRoadieAlerts) {
    p.add(
      A.roadieAlert,
      `must list at most ${MONITORING_LIMITS.maxRoadieAlerts} alert names`,
      value,
    );
    return [];
  }
  for (const name of names) {
    if (CONTROL_CHARS.test(name) || name.length > 200) {
      p.add(
        A.roadieAlert,
        `alert name ${JSON.stringify(
          shownValue(name),
        )} must be at most 200 characters without control characters`,
        value,
      );
    }
  }
  return [...new Set(names)].sort();
}

function parseRoadieLabels(
  value: string,
  p: ProblemCollector,
): Record<string, string> {
  const labels: Record<string, string> = {};
  const items = value
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);
  if (items.length === 0) {
    p.add(
      A.roadieLabels,
      'must be a comma-separated list of name=value label matchers',
      value,
    );
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq).trim();
    let labelValue = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (
      labelValue.length >= 2 &&
      labelValue.startsWith('"') &&
      labelValue.endsWith('"')
    ) {
      labelValue = labelValue.slice(1, -1);
    }
    if (eq < 0 || !PROMETHEUS_LABEL_NAME.test(name) || name.startsWith('__')) {
      p.add(
        A.roadieLabels,
        `item ${JSON.stringify(
          shownValue(item),
        )} must be name=value with a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`,
        value,
      );
    } else if (
      labelValue.length === 0 ||
      labelValue.length > 1024 ||
      CONTROL_CHARS.test(labelValue) ||
      labelValue.includes('"')
    ) {
      p.add(
        A.roadieLabels,
        `value of label "${name}" must be 1-1024 characters without quotes or control characters`,
        value,
      );
    } else if (name in labels && labels[name] !== labelValue) {
      p.add(
        A.roadieLabels,
        `label "${name}" is given twice with different values`,
        value,
      );
    } else {
      labels[name] = labelValue;
    }
  }
  return sortedRecord(labels);
}

function checkInstance(
  annotation: string,
  value: string,
  p: ProblemCollector,
): boolean {
  const problem = checkDns1123Label(value);
  if (problem) {
    p.add(annotation, problem, value);
    return false;
  }
  if (value.length > MONITORING_LIMITS.maxInstanceLength) {
    p.add(
      annotation,
      `must be at most ${MONITORING_LIMITS.maxInstanceLength} characters (the operator derives StatefulSet and pod names from it)`,
      value,
    );
    return false;
  }
  return true;
}

/**
 * Reads and validates every monitoring annotation of an entity (the contract in
 * docs/annotations.md), resolving defaults from the render options.
 *
 * All problems are collected, never only the first. `settings` is returned only when there are no
 * problems. Entities that did not opt in are validated the same way and get `enabled: false`, so a
 * preview can show what opting in would do; use {@link isMonitoringEnabled} to skip them cheaply.
 * An annotated cluster must be one of `monitoring.clusters`; whether the entity's namespace is
 * allowed there is a policy decision made by the renderer, not here.
 */
export function parseMonitoringAnnotations(
  entity: Entity,
  options: RenderOptions,
): ParsedMonitoringAnnotations {
  const annotations: Record<string, unknown> =
    (entity.metadata?.annotations as Record<string, unknown> | undefined) ?? {};
  const p = new ProblemCollector(annotations);
  const defaults = options.defaults;

  // prometheus-ocs.io/enabled
  let enabled = false;
  const enabledValue = p.get(A.enabled);
  if (enabledValue !== undefined) {
    const v = enabledValue.trim();
    if (v === 'true') enabled = true;
    else if (v !== 'false')
      p.add(A.enabled, 'must be "true" or "false"', enabledValue);
  }

  // backstage.io/kubernetes-id, else the entity name; it becomes a label value and object names.
  let kubernetesId = '';
  const idValue = p.get(A.kubernetesId);
  if (idValue !== undefined) {
    const problem =
      idValue.length === 0 ? 'must not be empty' : checkLabelValue(idValue);
    if (problem) p.add(A.kubernetesId, problem, idValue);
    else kubernetesId = idValue;
  } else {
    const name = String(entity.metadata?.name ?? '');
    const problem =
      name.length === 0 ? 'must not be empty' : checkLabelValue(name);
    if (problem) {
      p.add(
        A.kubernetesId,
        `is not set and the entity name cannot be used instead: it ${problem}`,
        name,
      );
    } else {
      kubernetesId = name;
    }
  }

  // backstage.io/kubernetes-namespace
  let namespace: string = MONITORING_ANNOTATION_DEFAULTS.namespace;
  const nsValue = p.get(A.kubernetesNamespace);
  if (nsValue !== undefined) {
    const problem = checkDns1123Label(nsValue);
    if (problem)
      p.add(
        A.kubernetesNamespace,
        `must be a Kubernetes namespace name: ${problem}`,
        nsValue,
      );
    else namespace = nsValue;
  }

  // backstage.io/kubernetes-cluster, else the configured default cluster.
  let cluster = options.defaultCluster ?? '';
  const clusterValue = p.get(A.kubernetesCluster);
  if (clusterValue !== undefined) {
    if (clusterValue.length > 253 || !CLUSTER_NAME.test(clusterValue)) {
      p.add(
        A.kubernetesCluster,
        'must be a cluster name from kubernetes.clusterLocatorMethods: letters, digits and ._:@- (at most 253 characters)',
        clusterValue,
      );
    } else if (!options.clusters.some(c => c.name === clusterValue)) {
      // A typo or a cluster prometheus-ocs does not know: bad input (400 naming the annotation),
      // unlike a listed cluster whose namespace configuration does not allow (policy, 403).
      p.add(
        A.kubernetesCluster,
        `names a cluster that is not one of monitoring.clusters (${
          options.clusters.map(c => c.name).join(', ') || 'none configured'
        })`,
        clusterValue,
      );
    } else {
      cluster = clusterValue;
    }
  } else if (!cluster) {
    p.add(
      A.kubernetesCluster,
      'is not set and no monitoring.defaultCluster is configured, so the target cluster is unknown',
    );
  }

  // backstage.io/kubernetes-label-selector: the pods the Service selects.
  let podSelector: LabelSelector | undefined;
  const selectorValue = p.get(A.kubernetesLabelSelector);
  if (selectorValue !== undefined) {
    const parsed = parseLabelSelector(selectorValue);
    for (const problem of parsed.problems) {
      p.add(
        A.kubernetesLabelSelector,
        `must be a Kubernetes label selector: ${problem}`,
        selectorValue,
      );
    }
    if (parsed.selector) {
      // A Service selects pods by equality only; set-based requirements cannot be carried over
      // without selecting more pods than the entity owns.
      if (parsed.selector.matchExpressions?.length) {
        p.add(
          A.kubernetesLabelSelector,
          `a Service selector supports only key=value requirements; ${parsed.selector.matchExpressions
            .map(r => `"${r.key}" (${r.operator})`)
            .join(
              ', ',
            )} cannot be expressed. Use key=value labels that identify the pods`,
          selectorValue,
        );
      } else if (
        !parsed.selector.matchLabels ||
        Object.keys(parsed.selector.matchLabels).length === 0
      ) {
        p.add(
          A.kubernetesLabelSelector,
          'must contain at least one key=value requirement',
          selectorValue,
        );
      } else {
        podSelector = parsed.selector;
      }
    }
  } else if (kubernetesId) {
    podSelector = { matchLabels: { 'app.kubernetes.io/name': kubernetesId } };
  }

  // prometheus-ocs.io/port: a port name (IANA_SVC_NAME) or number.
  let port: MonitoringSettings['port'] = {
    name: MONITORING_ANNOTATION_DEFAULTS.port,
  };
  const portValue = p.get(A.port);
  if (portValue !== undefined) {
    if (/^[0-9]+$/.test(portValue)) {
      const n = Number(portValue);
      if (n < 1 || n > 65535 || portValue.length > 5) {
        p.add(
          A.port,
          'must be a port number between 1 and 65535 or a port name',
          portValue,
        );
      } else {
        port = { name: MONITORING_ANNOTATION_DEFAULTS.port, number: n };
      }
    } else {
      const problem = checkIanaSvcName(portValue);
      if (problem)
        p.add(
          A.port,
          `${problem}, or a port number between 1 and 65535`,
          portValue,
        );
      else port = { name: portValue };
    }
  }

  // prometheus-ocs.io/path
  let path: string = MONITORING_ANNOTATION_DEFAULTS.path;
  const pathValue = p.get(A.path);
  if (pathValue !== undefined) {
    if (
      pathValue.length > MONITORING_LIMITS.maxPathLength ||
      !PATH.test(pathValue)
    ) {
      p.add(
        A.path,
        `must be an absolute URL path starting with "/" (RFC 3986 path characters or %XX escapes, no query or fragment, at most ${MONITORING_LIMITS.maxPathLength} characters)`,
        pathValue,
      );
    } else {
      path = pathValue;
    }
  }

  // prometheus-ocs.io/interval
  let interval = defaults.scrapeInterval;
  const intervalValue = p.get(A.interval);
  if (intervalValue !== undefined) {
    const ms = parsePrometheusDuration(intervalValue);
    if (ms === undefined) {
      p.add(
        A.interval,
        'must be a Prometheus duration such as 30s or 1m (units y w d h m s ms, no spaces)',
        intervalValue,
      );
    } else if (
      ms < MONITORING_LIMITS.minIntervalMs ||
      ms > MONITORING_LIMITS.maxIntervalMs
    ) {
      p.add(
        A.interval,
        'must be between 1s and 5m (longer intervals make series go stale in Prometheus)',
        intervalValue,
      );
    } else {
      interval = intervalValue;
    }
  }

  // prometheus-ocs.io/instance, else Roadie's prometheus.io/service-name, else the default.
  let instance = defaults.instance;
  const instanceValue = p.get(A.instance);
  const roadieInstance = p.get(A.roadieServiceName);
  const instanceValid =
    instanceValue !== undefined && checkInstance(A.instance, instanceValue, p);
  if (instanceValid) {
    instance = instanceValue;
  }
  if (roadieInstance !== undefined) {
    if (checkInstance(A.roadieServiceName, roadieInstance, p)) {
      if (instanceValue === undefined) {
        instance = roadieInstance;
      } else if (instanceValid && instanceValue !== roadieInstance) {
        p.add(
          A.roadieServiceName,
          `names a different Prometheus than ${A.instance} ("${shownValue(
            instanceValue,
          )}"); remove one of them`,
          roadieInstance,
        );
      }
    }
  }

  // prometheus-ocs.io/replicas, else by lifecycle.
  const lifecycle = (entity.spec as { lifecycle?: unknown } | undefined)
    ?.lifecycle;
  let replicas =
    lifecycle === 'production'
      ? defaults.replicas.production
      : defaults.replicas.default;
  const replicasValue = p.get(A.replicas);
  if (replicasValue !== undefined) {
    const n = /^[0-9]{1,3}$/.test(replicasValue) ? Number(replicasValue) : NaN;
    if (!(n >= 1 && n <= MONITORING_LIMITS.maxReplicas)) {
      p.add(
        A.replicas,
        `must be a whole number from 1 to ${MONITORING_LIMITS.maxReplicas}`,
        replicasValue,
      );
    } else {
      replicas = n;
    }
  }

  // prometheus-ocs.io/retention
  let retention = defaults.retention;
  const retentionValue = p.get(A.retention);
  if (retentionValue !== undefined) {
    const ms = parsePrometheusDuration(retentionValue);
    if (ms === undefined) {
      p.add(
        A.retention,
        'must be a Prometheus duration such as 15d or 12h (units y w d h m s ms, no spaces)',
        retentionValue,
      );
    } else if (ms < MONITORING_LIMITS.minRetentionMs) {
      p.add(A.retention, 'must be at least 1h', retentionValue);
    } else {
      retention = retentionValue;
    }
  }

  // prometheus-ocs.io/alert-rules
  let alertRules: MonitoringAlertRule[] | undefined;
  const rulesValue = p.get(A.alertRules);
  if (rulesValue !== undefined) {
    const parsed = parseAlertRules(rulesValue);
    for (const problem of parsed.problems) {
      p.add(A.alertRules, problem, rulesValue);
    }
    alertRules = parsed.rules;
  }

  // Roadie migration annotations
  let alertNames: string[] | 'all' = 'all';
  const roadieAlertValue = p.get(A.roadieAlert);
  if (roadieAlertValue !== undefined) {
    alertNames = parseRoadieAlerts(roadieAlertValue, p);
  }
  let alertLabels: Record<string, string> = {};
  const roadieLabelsValue = p.get(A.roadieLabels);
  if (roadieLabelsValue !== undefined) {
    alertLabels = parseRoadieLabels(roadieLabelsValue, p);
  }

  // Roadie's labels only narrow the entity's alerts: its own namespace and Service (and the job,
  // which prometheus-operator sets to the Service name) cannot be pointed at another service's.
  if (kubernetesId && roadieLabelsValue !== undefined) {
    const service = generatedNames({
      kubernetesId,
      instance,
      withPrometheusRule: false,
    }).service;
    const own: Record<string, string> = { namespace, service, job: service };
    for (const label of Object.keys(own)) {
      if (label in alertLabels && alertLabels[label] !== own[label]) {
        p.add(
          A.roadieLabels,
          `label "${label}" must be the entity's own ("${own[label]}") or left out: ${A.roadieLabels} may only narrow the entity's alerts, never select another service's`,
          roadieLabelsValue,
        );
      }
    }
  }

  if (p.problems.length > 0 || !podSelector) {
    return { problems: p.problems };
  }

  const names = generatedNames({
    kubernetesId,
    instance,
    withPrometheusRule: alertRules !== undefined,
  });
  const settings: MonitoringSettings = {
    entityRef: stringifyEntityRef(entity),
    enabled,
    cluster,
    namespace,
    kubernetesId,
    podSelector,
    port,
    path,
    interval,
    instance,
    replicas,
    retention,
    alertNames,
    alertLabels,
    names,
    scrapePools: [`serviceMonitor/${namespace}/${names.serviceMonitor}/0`],
    alertMatchers: { namespace, service: names.service },
  };
  if (alertRules) {
    settings.alertRules = alertRules;
  }
  return { settings, problems: [] };
}
